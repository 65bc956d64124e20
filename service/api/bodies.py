"""Reading JSON request bodies safely: size-limited, UTF-8, validated by a pydantic model."""
from __future__ import annotations

import json
from typing import TypeVar

import falcon
from pydantic import BaseModel, ValidationError

from service.api.problems import HTTPProblem, problems_from_validation
from service.domain.model import Problem

MAX_BODY_BYTES = 64 * 1024
# The most bytes one character of a JSON string can take: json.dumps and most clients write every
# non-ASCII character as \uXXXX, and one past U+FFFF (an emoji) as two. A route whose fields may hold more
# characters than 64 KiB allows, written that way, sizes its limit from them (read_json's `limit`).
JSON_ESCAPED_CHAR_BYTES = 12

ModelT = TypeVar("ModelT", bound=BaseModel)


def read_body(req: falcon.Request, limit: int = MAX_BODY_BYTES) -> bytes:
    if req.content_length is None and req.get_header("Transfer-Encoding"):
        # A chunked body has no length to bound the read by; it would be read as empty ("Empty body").
        raise HTTPProblem(falcon.HTTP_411, "Length required", "Send the body with a Content-Length header (not chunked).")
    if req.content_length is not None and req.content_length > limit:
        raise HTTPProblem(falcon.HTTP_413, "Request body too large", f"The body is {req.content_length} bytes; the most accepted is {limit} bytes ({limit // 1024} KiB).")
    raw = req.bounded_stream.read(limit + 1)
    if len(raw) > limit:
        raise HTTPProblem(falcon.HTTP_413, "Request body too large", f"The most accepted is {limit} bytes ({limit // 1024} KiB).")
    return raw


class _Pairs(list):
    """One JSON object as its (key, value) pairs in order, duplicates kept."""


def _first_duplicate(value: object, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The path of the first key given twice in one object, depth first, or None."""
    if isinstance(value, _Pairs):
        seen: set[str] = set()
        for key, item in value:
            if key in seen:
                return (*path, key)
            seen.add(key)
        children = ((key, item) for key, item in value)
    elif isinstance(value, list):
        children = ((str(index), item) for index, item in enumerate(value))
    else:
        return None
    for name, item in children:
        found = _first_duplicate(item, (*path, name))
        if found is not None:
            return found
    return None


def _duplicate_key(text: str) -> str | None:
    """The path ("contact.name", as the model's errors name fields) of a key given twice in one JSON object,
    or None. The model's parser keeps the last value, while a proxy, a WAF or a log may read the first: what
    is stored (consent, above all) must not depend on which parser reads the body, so such a body is
    refused. A body that is not JSON at all is left to the model's parser, which says why (the same errors
    as before). Written back safely: a key may hold half a character (a lone surrogate), which cannot be sent."""
    try:
        found = _first_duplicate(json.loads(text, object_pairs_hook=_Pairs))
    except (ValueError, RecursionError):
        return None
    if found is None:
        return None
    return ".".join(found).encode("utf-8", "backslashreplace").decode("utf-8")[:120]


def read_json(req: falcon.Request, model: type[ModelT], limit: int | None = None) -> ModelT:
    """``limit``: the most bytes the body may have, for a route whose documents may be longer than most."""
    media_type = (req.content_type or "").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise HTTPProblem(falcon.HTTP_415, "Unsupported media type", "Send the body as JSON with the header Content-Type: application/json.")
    raw = read_body(req) if limit is None else read_body(req, limit)
    if not raw.strip():
        raise HTTPProblem(falcon.HTTP_400, "Empty body", "The request needs a JSON object body.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPProblem(falcon.HTTP_400, "Body is not UTF-8", "Encode the JSON body as UTF-8.") from None
    duplicate = _duplicate_key(text)
    if duplicate is not None:
        raise HTTPProblem(falcon.HTTP_400, "Duplicate key in JSON",
                          f'The key "{duplicate}" is given more than once in one object. Send each key once.',
                          [Problem(duplicate, "given more than once in one object; send it once")])
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        if any(item["type"] == "json_invalid" for item in error.errors()):
            message = error.errors()[0].get("ctx", {}).get("error", "invalid JSON")
            raise HTTPProblem(falcon.HTTP_400, "Malformed JSON", f"The body is not valid JSON ({message}). Check quotes, commas and brackets.") from None
        problems = problems_from_validation(error)
        detail = "; ".join(f"{p.field}: {p.message}" for p in problems)
        raise HTTPProblem(falcon.HTTP_422, "The request is not valid", detail, problems) from None
