"""The OpenAPI 3.1 document, generated from the pydantic models the API actually uses."""
from __future__ import annotations

from typing import Any

import falcon
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from service.api import schemas
from service.auth.permissions import Permission
from service.storage.types import MAX_ROW_ID

_MODELS: list[type[BaseModel]] = [
    schemas.SubmissionIn, schemas.SubmissionCreated, schemas.SubmissionOut, schemas.SubmissionPage,
    schemas.ProviderIn, schemas.ProviderPatch, schemas.ProviderOut, schemas.ProviderList, schemas.ProblemOut,
    schemas.ContactDetailsOut,
]
# Other parts of the service (channels) add their models and operations here at import time.
EXTRA_MODELS: list[type[BaseModel]] = []
EXTRA_PATHS: dict[str, dict[str, Any]] = {}

# A row id in a path or query string (a larger one is refused: 404 in a path, 400 in a query)
ROW_ID_SCHEMA: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(model: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(model)}}


def problem_responses(*codes: int) -> dict[str, Any]:
    text = {400: "Malformed request", 401: "Missing or bad token", 403: "Not allowed", 404: "Not found", 409: "Conflict",
            411: "Body sent without Content-Length (chunked)", 413: "Body too large (over 64 KiB; a submission or meeting log may be longer, as its fields allow)", 415: "Not JSON", 422: "Invalid values",
            429: "Too many requests"}
    return {str(code): {"description": text[code], "content": {"application/problem+json": {"schema": _ref(schemas.ProblemOut)}}} for code in codes}


def operation(summary: str, *, permission: Permission, request: type[BaseModel] | None = None, ok: tuple[int, type[BaseModel] | None] = (200, None),
              errors: tuple[int, ...] = (), parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    status, model = ok
    op: dict[str, Any] = {"summary": summary, "responses": {str(status): {"description": {200: "OK", 201: "Created", 204: "No content"}[status]}}}
    if model is not None:
        op["responses"][str(status)]["content"] = _json(model)
    # Always possible: 401 (no token where one is needed, or one unknown or revoked, even on a public route);
    # with a body, 411 (service.api.bodies refuses a chunked one).
    errors = (*errors, 401, *((411,) if request is not None else ()))
    op["responses"].update(problem_responses(*sorted(set(errors))))
    if request is not None:
        op["requestBody"] = {"required": True, "content": _json(request)}
    if permission is not Permission.PUBLIC:
        op["security"] = [{"bearer": []}]
        op["x-permission"] = permission.value
    if parameters:
        op["parameters"] = parameters
    return op


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path_id(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def build_document(public_base_url: str) -> dict[str, Any]:
    _, defs = models_json_schema([(m, "validation") for m in _MODELS + EXTRA_MODELS], ref_template="#/components/schemas/{model}")
    paths: dict[str, Any] = {
        "/api/v1/submissions": {
            "post": operation(
                "Give feedback (public intake; staff tokens may record other channels)", permission=Permission.PUBLIC,
                request=schemas.SubmissionIn, ok=(201, schemas.SubmissionCreated), errors=(400, 403, 409, 413, 415, 422, 429),
                parameters=[{"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "maxLength": 200},
                             "description": "A repeat with the same key returns the first result and stores nothing new"}],
            ),
            "get": operation(
                "List submissions, newest first", permission=Permission.SUBMISSIONS_READ, ok=(200, schemas.SubmissionPage), errors=(400, 401, 403),
                parameters=[
                    _query("channel", {"type": "string", "enum": ["web", "sms", "paper", "meeting", "assisted"]}, "only this channel"),
                    _query("provider_id", ROW_ID_SCHEMA, "only this provider"),
                    _query("language", {"type": "string"}, "only this language"),
                    _query("received_from", {"type": "string", "format": "date-time"}, "received at or after"),
                    _query("received_to", {"type": "string", "format": "date-time"}, "received before"),
                    _query("limit", {"type": "integer", "minimum": 1, "maximum": 100}, "page size (default 50)"),
                    _query("cursor", {"type": "string"}, "next_cursor from the previous page"),
                ],
            ),
        },
        "/api/v1/submissions/{submission_id}": {
            "get": operation("Read one submission", permission=Permission.SUBMISSIONS_READ, ok=(200, schemas.SubmissionOut), errors=(401, 403, 404),
                             parameters=[_path_id("submission_id", {"type": "string"})]),
        },
        "/api/v1/submissions/{submission_id}/contact": {
            "get": operation("The person's contact details (audited; a provider responder only with named consent, else 403)",
                             permission=Permission.CONTACT_READ, ok=(200, schemas.ContactDetailsOut), errors=(401, 403, 404),
                             parameters=[_path_id("submission_id", {"type": "string"})]),
        },
        "/api/v1/providers": {
            "get": operation("List providers", permission=Permission.PROVIDERS_READ, ok=(200, schemas.ProviderList), errors=(400, 401, 403),
                             parameters=[_query("active", {"type": "boolean"}, "only active (true) or inactive (false) providers")]),
            "post": operation("Add a provider", permission=Permission.PROVIDERS_WRITE, request=schemas.ProviderIn, ok=(201, schemas.ProviderOut), errors=(400, 401, 403, 413, 415, 422)),
        },
        "/api/v1/providers/{provider_id}": {
            "get": operation("Read a provider", permission=Permission.PROVIDERS_READ, ok=(200, schemas.ProviderOut), errors=(401, 403, 404),
                             parameters=[_path_id("provider_id", ROW_ID_SCHEMA)]),
            "patch": operation("Change a provider", permission=Permission.PROVIDERS_WRITE, request=schemas.ProviderPatch, ok=(200, schemas.ProviderOut), errors=(400, 401, 403, 404, 413, 415, 422),
                               parameters=[_path_id("provider_id", ROW_ID_SCHEMA)]),
        },
    }
    for path, operations in EXTRA_PATHS.items():
        paths.setdefault(path, {}).update(operations)
    return {
        "openapi": "3.1.0",
        "info": {"title": "msp-feedback API", "version": "1", "description": "Feedback for a Safeguarding Adults Board (Making Safeguarding Personal). Errors are application/problem+json "
                                                                           "(except those gunicorn gives before the app sees the request, e.g. 414 for a request line over 4094 bytes). "
                                                                           "Every GET also answers HEAD: the same status and headers, no body."},
        "servers": [{"url": public_base_url}],
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {}), "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


class OpenApiDocument:
    permissions = {"GET": Permission.PUBLIC}

    def __init__(self, public_base_url: str):
        self._document = None
        self._base = public_base_url

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        if self._document is None:
            self._document = build_document(self._base)
        resp.media = self._document
