"""/api/v1/privacy/...: erasure, subject-access export, consent withdrawal, retention run.

Identifiers travel in POST bodies, never in URLs (which end up in logs and browser history).
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import falcon
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from service.api import openapi
from service.api.bodies import read_json
from service.api.problems import HTTPProblem
from service.api.schemas import Strict
from service.audit.log import actor_from_principal
from service.auth.permissions import Permission
from service.domain.model import Problem
from service.privacy.consent import withdraw_consent
from service.privacy.erasure import erase_person
from service.privacy.person import PersonQuery, PersonQueryError
from service.privacy.retention import apply_retention
from service.privacy.subject_access import subject_access_export

Short = Annotated[str, StringConstraints(min_length=1, max_length=320)]


class PersonIn(Strict):
    phone: Short | None = None
    email: Short | None = None
    reference: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None


class ErasureIn(PersonIn):
    reason: Annotated[str, StringConstraints(max_length=200)] = ""


def _query(body: PersonIn, allow_reference: bool = True) -> PersonQuery:
    if not allow_reference and body.reference:
        raise HTTPProblem(falcon.HTTP_422, "The request is not valid", "Search by phone or email.", [Problem("reference", "not accepted here; use phone or email")])
    try:
        return PersonQuery.parse(phone=body.phone, email=body.email, reference=body.reference)
    except PersonQueryError as error:
        raise HTTPProblem(falcon.HTTP_422, "The request is not valid", str(error), [Problem(error.field or "body", str(error))]) from None


def _context(req: falcon.Request) -> dict:
    return {
        "actor": actor_from_principal(req.context.principal),
        "client_address": req.context.get("client_address") or req.remote_addr or "",
        "request_id": req.context.get("request_id") or "",
    }


class _Base:
    def __init__(self, services):
        self._services = services


class Erasures(_Base):
    """POST {phone | email | reference, reason?}: erase the person's contact details and words everywhere."""

    permissions = {"POST": Permission.PRIVACY_ERASE}

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_json(req, ErasureIn)
        query = _query(body)
        with self._services.uow() as uow:
            report = erase_person(uow.session, query, secret_key=self._services.settings.secret_key, previous_keys=self._services.settings.secret_key_previous, reason=body.reason, **_context(req))
            uow.commit()
        resp.status = falcon.HTTP_200
        resp.media = {"erased": report.as_dict()}


class SubjectAccess(_Base):
    """POST {phone | email}: everything held about the person, as a JSON download."""

    permissions = {"POST": Permission.PRIVACY_EXPORT}

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        # A feedback reference is too weak an identifier to hand over everything held about a person.
        query = _query(read_json(req, PersonIn), allow_reference=False)
        with self._services.uow() as uow:
            document = subject_access_export(uow.session, query, secret_key=self._services.settings.secret_key, previous_keys=self._services.settings.secret_key_previous, **_context(req))
            uow.commit()
        resp.media = document
        resp.set_header("Content-Disposition", 'attachment; filename="subject-access-export.json"')


class ConsentWithdrawals(_Base):
    """POST {phone | email | reference}: the person no longer shares their feedback with providers."""

    permissions = {"POST": Permission.CONSENT_WITHDRAW}

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        query = _query(read_json(req, PersonIn))
        with self._services.uow() as uow:
            report = withdraw_consent(uow.session, query, secret_key=self._services.settings.secret_key, previous_keys=self._services.settings.secret_key_previous, **_context(req))
            uow.commit()
        resp.media = {"withdrawn": {"submissions": report.submissions, "changed": report.changed,
                                    "outbox_cancelled": report.outbox_cancelled, "hooks": report.hooks}}


class RetentionRun(_Base):
    """POST: apply the retention rules now (the worker also runs them periodically): one batch, so that a request
    never runs for as long as a backlog of years takes; `more_to_do` says to post again (or leave the rest to the
    worker's daily run, which goes on until none is left)."""

    permissions = {"POST": Permission.ADMIN}

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        with self._services.uow() as uow:
            report = apply_retention(uow.session, self._services.settings, actor=_context(req)["actor"])
            uow.commit()
        resp.media = {"contacts_erased": report.contacts_erased, "outbox_blanked": report.outbox_blanked,
                      "texts_redacted": report.texts_redacted, "derived_rows_changed": report.derived_rows_changed,
                      "more_to_do": report.more_to_do}


# --- the OpenAPI document (the answers above are dicts; tests/api check them against these models) -------

class ErasureReportOut(BaseModel):
    submissions: list[str] = Field(description="ids of the submissions whose words and details were erased")
    contacts: int
    free_texts: int
    outbox_messages: int
    outbox_cancelled: int
    twilio_copies: int = Field(description="texts exchanged with the person whose copy at Twilio is queued for deletion "
                                           "(an outbox task: Twilio is not waited on)")
    derived_rows: dict[str, int]
    audit_event_id: int | None


class ErasureOut(BaseModel):
    erased: ErasureReportOut


class SubjectAccessOut(BaseModel):
    """Everything held about the person (a download: Content-Disposition: attachment)."""

    model_config = ConfigDict(extra="allow")
    generated_at: datetime
    searched_by: str = Field(description="phone or email")
    about: str
    contact_details: list[dict[str, Any]]
    feedback: list[dict[str, Any]] = Field(description="each submission with its answers and own words")
    messages: list[dict[str, Any]] = Field(description="SMS and emails sent to or about the person")
    other_records: dict[str, list[dict[str, Any]]] = Field(description="rows of other tables about the person, by table")


class WithdrawalReportOut(BaseModel):
    submissions: list[str]
    changed: int
    outbox_cancelled: int
    hooks: int


class WithdrawalOut(BaseModel):
    withdrawn: WithdrawalReportOut


class RetentionOut(BaseModel):
    contacts_erased: int
    outbox_blanked: int
    texts_redacted: int
    derived_rows_changed: dict[str, int]
    more_to_do: bool = Field(description="the batch was full: rows past the limits may be left; post again, or leave them "
                                         "to the worker's daily run")


_PERSON_ERRORS = (400, 403, 413, 415, 422)
openapi.EXTRA_MODELS.extend([PersonIn, ErasureIn, ErasureOut, SubjectAccessOut, WithdrawalOut, RetentionOut])
openapi.EXTRA_PATHS.update({
    "/api/v1/privacy/erasures": {"post": openapi.operation(
        "Erase a person's contact details and words everywhere, found by phone, email or feedback reference (audited)",
        permission=Permission.PRIVACY_ERASE, request=ErasureIn, ok=(200, ErasureOut), errors=_PERSON_ERRORS)},
    "/api/v1/privacy/subject-access": {"post": openapi.operation(
        "Everything held about a person, found by phone or email (not by reference), as a JSON download (audited)",
        permission=Permission.PRIVACY_EXPORT, request=PersonIn, ok=(200, SubjectAccessOut), errors=_PERSON_ERRORS)},
    "/api/v1/privacy/consent-withdrawals": {"post": openapi.operation(
        "The person no longer shares their feedback with providers, found by phone, email or reference (audited)",
        permission=Permission.CONSENT_WITHDRAW, request=PersonIn, ok=(200, WithdrawalOut), errors=_PERSON_ERRORS)},
    "/api/v1/privacy/retention": {"post": openapi.operation(
        "Apply the retention rules now, one batch (the worker also runs them on its own, until none is left)", permission=Permission.ADMIN,
        ok=(200, RetentionOut), errors=(403,))},
})
