"""RFC 9457 problem details: every error the service returns is application/problem+json.

Falcon has no built-in problem+json; one error serializer is installed on the app, and every error
path raises an `falcon.HTTPError` (or a subclass) whose title and description say what to fix.
"""
from __future__ import annotations

import json
import logging
from typing import Any

import falcon
from pydantic import ValidationError

from service.domain.model import DomainError, Problem

log = logging.getLogger("msp.http")

PROBLEM_JSON = "application/problem+json"


class HTTPProblem(falcon.HTTPError):
    """An HTTP error with field-level problems (`errors`: [{field, message}])."""

    def __init__(self, status: str, title: str, detail: str, errors: list[Problem] | None = None, headers: dict[str, str] | None = None):
        super().__init__(status, title=title, description=detail, headers=headers)
        self.errors = errors or []


def problem_document(error: falcon.HTTPError) -> dict[str, Any]:
    status_code = error.status_code
    document: dict[str, Any] = {
        "type": "about:blank",
        "title": error.title or "Error",
        "status": status_code,
    }
    if error.description:
        document["detail"] = error.description
    elif status_code == 404:
        document["title"] = "Not found"
        document["detail"] = "There is nothing at this address. The API starts at /api/v1/ (see /api/v1/openapi.json)."
    errors = getattr(error, "errors", None)
    if errors:
        document["errors"] = [{"field": p.field, "message": p.message} for p in errors]
    return document


def serialize_problem(req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError) -> None:
    resp.content_type = PROBLEM_JSON
    resp.text = json.dumps(problem_document(error), ensure_ascii=False)


def handle_unexpected(req: falcon.Request, resp: falcon.Response, error: Exception, params: dict[str, Any]) -> None:
    """Last resort: log the stack trace server-side, never send it (or any SQL) to the client."""
    if isinstance(error, falcon.HTTPError):
        raise error
    log.exception("unhandled error", extra={"route": req.uri_template or "<no route>"})
    raise falcon.HTTPInternalServerError(title="Something went wrong", description="The error has been logged. Please try again; nothing you sent was lost if you were given a reference.")


def handle_domain_error(req: falcon.Request, resp: falcon.Response, error: DomainError, params: dict[str, Any]) -> None:
    from service.intake import IdempotencyConflict  # local import: intake imports storage

    if isinstance(error, IdempotencyConflict):
        raise HTTPProblem(falcon.HTTP_409, "Idempotency key already used", str(error.problems[0].message if error.problems else error), error.problems)
    detail = "; ".join(f"{p.field}: {p.message}" for p in error.problems) or str(error)
    raise HTTPProblem(falcon.HTTP_422, "The request is not valid", detail, error.problems)


def problems_from_validation(error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        location = ".".join(str(part) for part in item["loc"]) or "body"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown field; remove it"
        elif item["type"] == "missing":
            message = "this field is required"
        problems.append(Problem(location, message))
    return problems
