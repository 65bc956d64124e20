"""/api/v1/audit: search the audit log (admins), and export it as CSV. Both are themselves audited."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from typing import Any

import falcon
from pydantic import BaseModel, Field

from service.api import openapi
from service.api.params import datetime_param, int_param, reject_bad_query
from sqlalchemy import ColumnElement, Select, String, cast, or_, select

from service.audit.log import AUDIT_EXPORT, AUDIT_SEARCH, record_request
from service.audit.models import AuditEvent
from service.auth.permissions import Permission
from service.domain.model import Problem

MAX_PAGE = 200
MAX_EXPORT = 100_000
FIELDS = ("id", "at", "actor_type", "actor_id", "actor_role", "actor_label", "action", "target_type", "target_id",
          "detail", "client_address", "request_id")


def event_out(event: AuditEvent) -> dict:
    return {
        "id": event.id, "at": event.at.isoformat(), "actor": {"type": event.actor_type, "id": event.actor_id, "role": event.actor_role, "label": event.actor_label},
        "action": event.action, "target": {"type": event.target_type, "id": event.target_id}, "detail": event.detail,
        "client_address": event.client_address, "request_id": event.request_id,
    }


# A submission's id (a UUID). Views of many at once (a list, the translation queue, a meeting), erasures and
# withdrawals name the submissions they reached only in their detail (`ids`, `submission_ids`, `submissions`,
# `submission_id`), so a search by one of these ids looks there too.
SUBMISSION_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def target_is(value: str) -> ColumnElement[bool]:
    """The events about this target: those naming it as their target and, for a submission's id, those whose
    detail names it, so "who has read this person's words?" finds the lists that showed them too. The match
    is on the detail's JSON text, the id in quotes (no index: bound the search with from/to on a large log).
    The audit log's own searches and exports are left out: their detail names the id as a filter."""
    if not SUBMISSION_ID.fullmatch(value):
        return AuditEvent.target_id == value
    named_in_detail = cast(AuditEvent.detail, String).contains(f'"{value.lower()}"', autoescape=True)
    return or_(AuditEvent.target_id == value,
               named_in_detail & AuditEvent.action.not_in((AUDIT_SEARCH, AUDIT_EXPORT)))


def filtered_query(req: falcon.Request) -> tuple[Select, dict]:
    """The filters shared by search and export: action (prefix with a trailing *), actor_type, actor_id,
    target_type, target_id (see target_is), from, to."""
    problems: list[Problem] = []
    query = select(AuditEvent)
    filters: dict = {}
    for name in ("actor_type", "actor_id", "target_type", "target_id", "action"):
        value = req.get_param(name)
        if value is None:
            continue
        if len(value) > 64:
            problems.append(Problem(name, "too long"))
            continue
        filters[name] = value
        column = getattr(AuditEvent, name)
        if name == "action" and value.endswith("*"):
            query = query.where(column.startswith(value[:-1], autoescape=True))
        elif name == "target_id":
            query = query.where(target_is(value))
        else:
            query = query.where(column == value)
    start, end = datetime_param(req, "from", problems), datetime_param(req, "to", problems)
    if start:
        query = query.where(AuditEvent.at >= start)
        filters["from"] = start.isoformat()
    if end:
        query = query.where(AuditEvent.at < end)
        filters["to"] = end.isoformat()
    reject_bad_query(problems)
    return query, filters


class AuditSearch:
    permissions = {"GET": Permission.AUDIT_READ}

    def __init__(self, services):
        self._services = services

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        query, filters = filtered_query(req)
        limit = req.get_param_as_int("limit", min_value=1, max_value=MAX_PAGE) or 50
        problems: list[Problem] = []
        before = int_param(req, "before_id", problems)   # the next_before_id of the page before
        reject_bad_query(problems)
        if before is not None:
            query = query.where(AuditEvent.id < before)
        query = query.order_by(AuditEvent.id.desc()).limit(limit + 1)
        with self._services.uow() as uow:
            rows = list(uow.session.scalars(query))
            items = [event_out(e) for e in rows[:limit]]
            record_request(uow.session, req, AUDIT_SEARCH, target_type="audit", detail={"filters": filters, "count": len(items)})
            uow.commit()
        resp.media = {"items": items, "next_before_id": rows[limit - 1].id if len(rows) > limit else None}


class AuditExport:
    permissions = {"GET": Permission.AUDIT_EXPORT}

    def __init__(self, services):
        self._services = services

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        query, filters = filtered_query(req)
        query = query.order_by(AuditEvent.id).limit(MAX_EXPORT)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(FIELDS)
        count = 0
        with self._services.uow() as uow:
            for event in uow.session.scalars(query):
                row = [getattr(event, name) for name in FIELDS]
                row[1] = event.at.isoformat()
                row[9] = json.dumps(event.detail, sort_keys=True, ensure_ascii=False)
                writer.writerow([_csv_safe(value) for value in row])
                count += 1
            record_request(uow.session, req, AUDIT_EXPORT, target_type="audit", detail={"filters": filters, "count": count})
            uow.commit()
        resp.content_type = "text/csv; charset=utf-8"
        resp.set_header("Content-Disposition", 'attachment; filename="audit-log.csv"')
        resp.text = buffer.getvalue()


def _csv_safe(value) -> str:
    """Stop a spreadsheet treating a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- the OpenAPI document (event_out above is what is sent; tests/api check it against these models) ---

class AuditActor(BaseModel):
    type: str = Field(description="user | token | cli | system | anonymous")
    id: str
    role: str
    label: str


class AuditTarget(BaseModel):
    type: str
    id: str


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    actor: AuditActor
    action: str
    target: AuditTarget
    detail: dict[str, Any]
    client_address: str
    request_id: str


class AuditPage(BaseModel):
    items: list[AuditEventOut]
    next_before_id: int | None = Field(description="Pass as ?before_id= for the next (older) page; null on the last page")


def _query_param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


_TEXT = {"type": "string", "maxLength": 64}
_FILTERS = [
    _query_param("action", _TEXT, "this action, e.g. submission.view; a trailing * matches a prefix (submission.*)"),
    _query_param("actor_type", _TEXT, "user, token, cli, system or anonymous"),
    _query_param("actor_id", _TEXT, "the user or token id"),
    _query_param("target_type", _TEXT, "e.g. submission, user, token"),
    _query_param("target_id", _TEXT, "e.g. a submission id; a submission id also finds the events whose detail names it "
                                     "(lists, the translation queue, meetings, erasures, withdrawals of consent)"),
    _query_param("from", {"type": "string", "format": "date-time"}, "at or after (ISO 8601; without a zone, UTC)"),
    _query_param("to", {"type": "string", "format": "date-time"}, "before (ISO 8601; without a zone, UTC)"),
]
_export = openapi.operation(f"The audit log as CSV, oldest first, at most {MAX_EXPORT:,} events (itself audited: {AUDIT_EXPORT})",
                            permission=Permission.AUDIT_EXPORT, errors=(400, 403), parameters=_FILTERS)
_export["responses"]["200"]["content"] = {"text/csv": {"schema": {"type": "string"}, "example": ",".join(FIELDS) + "\n"}}
openapi.EXTRA_MODELS.extend([AuditPage])
openapi.EXTRA_PATHS.update({
    "/api/v1/audit": {
        "get": openapi.operation(f"Search the audit log, newest first (itself audited: {AUDIT_SEARCH})", permission=Permission.AUDIT_READ,
                                 ok=(200, AuditPage), errors=(400, 403), parameters=[
                                     *_FILTERS,
                                     _query_param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "page size (default 50)"),
                                     _query_param("before_id", openapi.ROW_ID_SCHEMA, "next_before_id from the previous page"),
                                 ]),
    },
    "/api/v1/audit/export": {"get": _export},
})
