"""/api/v1/submissions: public intake (rate-limited) and staff reading.

Reading shows people's own words, so every read is written to the audit log, in the same transaction.
Row rules beyond the route's permission (service.auth.permissions):
* provider responders see only submissions about their own providers, only when the person consented to
  share (named or anonymous); with anonymous consent they get the redacted text, the day only and no
  reference; with named consent the name (GET .../contact), never a phone, e-mail or address, nor whether
  or how the person may be contacted. Anything else answers 404, as if it did not exist.
  They know each submission by an id of their own (`provider_view`: the real id tells the time of intake);
* the board has no permission for single submissions (403): aggregates only.
"""
from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
from datetime import datetime
from typing import NamedTuple

import falcon
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import object_session

from service.analysis import checked_and_not_urgent
from service.api.bodies import JSON_ESCAPED_CHAR_BYTES, MAX_BODY_BYTES, read_json
from service.api import provider_view
from service.api.params import datetime_param, in_utc, int_param, reject_bad_query
from service.api.problems import HTTPProblem
from service.audit.log import CONTACT_VIEW, SUBMISSION_LIST, SUBMISSION_VIEW, record_request
from service.api.schemas import (
    MAX_CASE_REFERENCE_CHARS,
    MAX_EMAIL_CHARS,
    MAX_NAME_CHARS,
    MAX_OTHER_NEEDS_CHARS,
    MAX_PHONE_CHARS,
    MAX_POSTAL_ADDRESS_CHARS,
    ContactOut,
    SubmissionCreated,
    SubmissionIn,
    SubmissionOut,
    SubmissionPage,
)
from service.auth.permissions import Permission, Role, role_allows
from service.domain.model import Channel, CommunicationNeed, ContactDetails, ContactPreference, Problem, SubmitFeedback
from service.domain.questionnaire import MAX_FREE_TEXT_CHARS, default_registry
from service.intake import submit_feedback
from service.ratelimit import RateLimiter, retry_after_header
from service.storage.orm import Contact, Submission, TextAnnotation

MAX_PAGE = 100


def command_from_body(body: SubmissionIn, *, idempotency_key: str | None, fingerprint: str | None) -> SubmitFeedback:
    contact = body.contact
    return SubmitFeedback(
        channel=body.channel,
        respondent=body.respondent,
        language=body.language,
        questionnaire_id=body.questionnaire_id,
        questionnaire_version=body.questionnaire_version,
        answers=dict(body.answers),
        texts=dict(body.texts),
        consent=body.consent,
        provider_id=body.provider_id,
        contact=ContactDetails(
            preference=contact.preference, safe_to_contact=contact.safe_to_contact, name=contact.name,
            phone=contact.phone, email=contact.email, postal_address=contact.postal_address,
        ),
        communication_needs=tuple(CommunicationNeed(n) for n in body.communication_needs),
        communication_needs_other=body.communication_needs_other,
        case_reference=body.case_reference,
        idempotency_key=idempotency_key,
        request_fingerprint=fingerprint,
    )


@functools.cache
def submission_body_bytes() -> int:
    """The most bytes a submission body may have: every field that holds words at its longest (each free-text
    question of the longest questionnaire, the other need, the case reference, every contact detail), each
    character escaped, and 64 KiB for the rest. At the usual 64 KiB, two full answers in Urdu written by
    json.dumps were refused as too large, within every field's limit."""
    registry = default_registry()
    free_texts = max(sum(question.kind == "free_text" for question in questionnaire.questions)
                     for questionnaire in registry.definitions.values())
    characters = (free_texts * MAX_FREE_TEXT_CHARS + MAX_OTHER_NEEDS_CHARS + MAX_CASE_REFERENCE_CHARS + MAX_NAME_CHARS
                  + MAX_PHONE_CHARS + MAX_EMAIL_CHARS + MAX_POSTAL_ADDRESS_CHARS)
    return JSON_ESCAPED_CHAR_BYTES * characters + MAX_BODY_BYTES


# submissions.idempotency_key is VARCHAR(200), the most the API promises a caller (maxLength 200).
IDEMPOTENCY_KEY_CHARS = Submission.__table__.c.idempotency_key.type.length


def api_idempotency_key(key: str | None) -> str | None:
    """The idempotency key a caller's Idempotency-Key is stored (and looked up) under.

    API keys live in their own namespace: channels use keys such as `paper:<sheet id>` internally, and a
    caller must never be able to claim (or probe for) another channel's submission with one of those. A
    namespaced key too long for the column (a key of 197 to 200 characters) is stored as its SHA-256, in a
    namespace of its own, so no key the API accepts overflows the column (a 500 on PostgreSQL); shorter
    keys are stored as they were, so a retry of a submission stored before still finds it."""
    if key is None:
        return None
    namespaced = f"api:{key}"
    if len(namespaced) <= IDEMPOTENCY_KEY_CHARS:
        return namespaced
    return "api-sha256:" + hashlib.sha256(namespaced.encode("utf-8")).hexdigest()


SHARED_CONSENTS = ("named", "anonymous")


def is_provider_scoped(principal) -> bool:
    return principal is not None and principal.role is Role.PROVIDER_RESPONDER


def provider_scope(principal):
    """SQL: what a provider responder may see. Feedback about one of their providers, with consent to share,
    once the text check has read it and found nothing urgent: a possible disclosure is for the safeguarding
    duty team, and showing it to the provider it may concern (before the check has run, or after it flagged
    it) could warn the person who harmed (guide: never sent only to the provider)."""
    return and_(Submission.provider_id.in_(principal.provider_ids or (-1,)), Submission.consent.in_(SHARED_CONSENTS),
                checked_and_not_urgent())


class SharedReading(NamedTuple):
    """What of a text's current reading decides how its words are shared without the person's name."""

    language: str | None                # "und": a language the redaction cannot read
    redacted_translation: str | None


def _redact(text: str, reading: SharedReading | None = None) -> str:
    """The words as a provider may read them without the person's name (service.text.redact.shareable)."""
    try:
        from service.text.redact import shareable
    except ImportError:  # without the redactor nothing unredacted may leave
        return "[withheld]"
    language, redacted_translation = reading or (None, None)
    return shareable(text, redacted_translation, language)


def redacted_translations(rows: list[Submission]) -> dict[int, SharedReading]:
    """Free-text id -> the current reading's language and redacted English translation (if any): for a page
    of submissions in one query (one per submission made a page of 100 cost 100 more queries)."""
    session = object_session(rows[0]) if rows else None
    ids = [t.id for row in rows for t in row.texts]
    if session is None or not ids:
        return {}
    return {text_id: SharedReading(language, redacted_translation) for text_id, language, redacted_translation
            in session.execute(select(TextAnnotation.free_text_id, TextAnnotation.language, TextAnnotation.redacted_translation)
                               .where(TextAnnotation.free_text_id.in_(ids), TextAnnotation.current.is_(True)))}


def submission_out(row: Submission, principal=None, translations: dict[int, SharedReading] | None = None,
                   secret_key: str = "") -> SubmissionOut:
    """The submission as the principal may read it. `translations`: `redacted_translations` of the page
    it is on (read here when not given); `secret_key` makes a provider's id for it."""
    texts = {t.question_id: t.text for t in row.texts}
    submission_id, reference = row.id, row.reference
    if is_provider_scoped(principal):
        submission_id = provider_view.shown_id(row.id, secret_key)
    case_reference, needs_other = row.case_reference, row.communication_needs_other
    needs, received_at = list(row.communication_needs or []), row.received_at
    contact = ContactOut(preference=row.contact_preference, safe_to_contact=row.contact_safe,
                         has_details=row.contact is not None and row.contact.erased_at is None)
    if is_provider_scoped(principal) and row.consent != "named":
        if translations is None:
            translations = redacted_translations([row])
        texts = {t.question_id: _redact(t.text, translations.get(t.id)) for t in row.texts}
        # The reference is on the person's own confirmation (the web page, the closing text, a letter): a
        # provider who sees it there, and here, knows who wrote it.
        case_reference = reference = None
        # In a small home the one resident who uses BSL or easy read, or who wrote at 14:07 on Tuesday, is
        # known: the day only, and no communication needs, for a person who chose to stay anonymous.
        needs, needs_other = [], None
        received_at = received_at.replace(hour=0, minute=0, second=0, microsecond=0)
    if is_provider_scoped(principal):
        # Nothing about how to reach the person, whatever the consent ("we never share your contact details
        # with the service"): "not safe to contact" (someone else may read their texts or post) could point
        # at the very home the provider runs.
        contact = ContactOut(preference=ContactPreference.NONE, safe_to_contact=None, has_details=False)
    return SubmissionOut(
        id=submission_id, reference=reference, channel=row.channel, respondent=row.respondent, language=row.language,
        questionnaire_id=row.questionnaire_id, questionnaire_version=row.questionnaire_version,
        answers=dict(row.answers or {}), texts=texts, consent=row.consent,
        contact=contact,
        communication_needs=needs, communication_needs_other=needs_other,
        case_reference=case_reference,
        provider_id=row.provider_id, received_at=received_at, urgent=row.urgent,
    )


class SubmissionCollection:
    permissions = {"POST": Permission.PUBLIC, "GET": Permission.SUBMISSIONS_READ}

    def __init__(self, uow_factory, limiter: RateLimiter, secret_keys: tuple[str, ...]):
        self._uow_factory = uow_factory
        self._limiter = limiter
        self._secret_keys = secret_keys

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        principal = req.context.principal
        if principal is None:
            wait = self._limiter.check(req.context.client_address)
            if wait:
                raise HTTPProblem(falcon.HTTP_429, "Too many requests", "Please wait a moment and send it again.", headers={"Retry-After": retry_after_header(wait)})
        body = read_json(req, SubmissionIn, submission_body_bytes())
        if body.channel is not Channel.WEB and not (principal and role_allows(principal.role, Permission.SUBMISSIONS_CREATE_ASSISTED)):
            raise HTTPProblem(falcon.HTTP_403, "Channel needs staff sign-in", f"Only staff can record feedback from the '{body.channel.value}' channel; public intake is 'web'.", [Problem("channel", "use 'web', or send a staff token")])
        key = req.get_header("Idempotency-Key")
        if key is not None and not (1 <= len(key) <= 200 and key.isprintable()):
            raise HTTPProblem(falcon.HTTP_400, "Bad Idempotency-Key", "Use a printable key of 1 to 200 characters, e.g. a UUID.")
        fingerprint = hashlib.sha256(body.model_dump_json().encode()).hexdigest() if key else None
        receipt = submit_feedback(command_from_body(body, idempotency_key=api_idempotency_key(key), fingerprint=fingerprint),
                                  self._uow_factory())
        resp.status = falcon.HTTP_201
        resp.location = f"/api/v1/submissions/{receipt.submission_id}"
        if receipt.replayed:
            resp.set_header("Idempotent-Replayed", "true")
        resp.media = SubmissionCreated(id=receipt.submission_id, reference=receipt.reference).model_dump()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        problems: list[Problem] = []
        channel = req.get_param("channel")
        if channel is not None and channel not in {c.value for c in Channel}:
            problems.append(Problem("channel", f"unknown channel '{channel}'"))
        provider_id = int_param(req, "provider_id", problems)
        limit = int_param(req, "limit", problems)
        if limit is None:
            limit = 50
        elif not 1 <= limit <= MAX_PAGE:
            problems.append(Problem("limit", f"must be between 1 and {MAX_PAGE}"))
        received_from = datetime_param(req, "received_from", problems)
        received_to = datetime_param(req, "received_to", problems)
        principal = req.context.principal
        provider = is_provider_scoped(principal)
        cursor = after = None
        if provider:
            received_from, received_to = provider_view.whole_days(received_from, received_to)
            scope = _scope_of(principal)
            if req.get_param("cursor"):
                after = provider_view.read_cursor(req.get_param("cursor"), self._secret_keys, scope)
                if after is None:
                    problems.append(Problem("cursor", BAD_CURSOR))
        else:
            cursor = _decode_cursor(req.get_param("cursor"), problems)
        reject_bad_query(problems)

        query = select(Submission).limit(limit + 1)
        if channel:
            query = query.where(Submission.channel == channel)
        if provider_id is not None:
            query = query.where(Submission.provider_id == provider_id)
        if (language := req.get_param("language")) is not None:
            query = query.where(Submission.language == language)
        if received_from:
            query = query.where(Submission.received_at >= received_from)
        if received_to:
            query = query.where(Submission.received_at < received_to)
        if cursor:
            at, last_id = cursor
            query = query.where(or_(Submission.received_at < at, and_(Submission.received_at == at, Submission.id < last_id)))
        if not provider:
            query = query.order_by(Submission.received_at.desc(), Submission.id.desc())
        with self._uow_factory() as uow:
            if provider:
                day = provider_view.day_of(Submission.received_at, uow.session.get_bind().dialect.name)
                order, page_after = provider_view.order_and_after(day, Submission.received_at, Submission.reference, after)
                query = query.where(provider_scope(principal)).order_by(*order)
                if page_after is not None:
                    query = query.where(page_after)
            rows = list(uow.session.scalars(query))
            page = rows[:limit]
            translations = redacted_translations(page) if provider else None
            items = [submission_out(row, principal, translations, self._secret_keys[0]) for row in page]
            if items:
                record_request(uow.session, req, SUBMISSION_LIST, target_type="submission",
                               detail={"count": len(items), "ids": [row.id for row in page]})
                uow.commit()
            next_cursor = None
            if len(rows) > limit:
                last = rows[limit - 1]
                next_cursor = (provider_view.cursor_after(last.received_at, last.reference, scope, self._secret_keys[0])
                               if provider else _encode_cursor(last))
        resp.media = json.loads(SubmissionPage(items=items, next_cursor=next_cursor).model_dump_json())


class SubmissionItem:
    permissions = {"GET": Permission.SUBMISSIONS_READ}

    def __init__(self, uow_factory, secret_keys: tuple[str, ...]):
        self._uow_factory = uow_factory
        self._secret_keys = secret_keys

    def on_get(self, req: falcon.Request, resp: falcon.Response, submission_id: str) -> None:
        principal = req.context.principal
        with self._uow_factory() as uow:
            row = _find_submission(uow, submission_id, principal, self._secret_keys)
            out = submission_out(row, principal, secret_key=self._secret_keys[0])
            record_request(uow.session, req, SUBMISSION_VIEW, target_type="submission", target_id=row.id,
                           detail={"texts": len(out.texts), "redacted": is_provider_scoped(principal) and row.consent != "named"})
            uow.commit()
            resp.media = json.loads(out.model_dump_json())


def _find_submission(uow, submission_id: str, principal, secret_keys: tuple[str, ...]) -> Submission:
    """The submission the principal asked for by the id they know it by (a provider's own: `provider_view`)."""
    if len(submission_id) > 36:
        row = None
    elif is_provider_scoped(principal):
        row = next((found for real in provider_view.real_ids(submission_id, secret_keys)
                    if (found := uow.session.scalar(select(Submission).where(Submission.id == real, provider_scope(principal))))), None)
    else:
        row = uow.session.get(Submission, submission_id)
    if row is None:
        raise falcon.HTTPNotFound(title="No such submission", description=f"There is no submission with id '{submission_id[:40]}'.")
    return row


class SubmissionContact:
    """The person's contact details, held apart from what they said. Every view is audited.

    Provider responders see only the name, and only when the person consented to share with their name:
    every channel tells the person "we never share your contact details with the service", and the
    service may be where the person who harms them works (a phone or address they said is not safe to
    use, above all). The board's staff make any contact.
    """

    permissions = {"GET": Permission.CONTACT_READ}

    def __init__(self, uow_factory, secret_keys: tuple[str, ...]):
        self._uow_factory = uow_factory
        self._secret_keys = secret_keys

    def on_get(self, req: falcon.Request, resp: falcon.Response, submission_id: str) -> None:
        principal = req.context.principal
        with self._uow_factory() as uow:
            row = _find_submission(uow, submission_id, principal, self._secret_keys)
            if is_provider_scoped(principal) and row.consent != "named":
                raise falcon.HTTPForbidden(title="Not shared", description="The person did not agree to share their name and contact details with the service.")
            contact: Contact | None = row.contact
            name_only = is_provider_scoped(principal)
            record_request(uow.session, req, CONTACT_VIEW, target_type="submission", target_id=row.id,
                           detail={"contact_id": contact.id if contact else None, "erased": bool(contact and contact.erased_at),
                                   **({"shown": "name only"} if name_only else {})})
            uow.commit()
            resp.media = {
                "submission_id": submission_id,
                "preference": "none" if name_only else row.contact_preference,
                "safe_to_contact": None if name_only else row.contact_safe,
                "name": contact.name if contact else None,
                "phone": None if name_only or not contact else contact.phone,
                "email": None if name_only or not contact else contact.email,
                "postal_address": None if name_only or not contact else contact.postal_address,
                "erased": bool(contact and contact.erased_at),
            }


def _encode_cursor(row: Submission) -> str:
    raw = f"{row.received_at.isoformat()}|{row.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


BAD_CURSOR = "not a cursor this API gave out; start again without it"


def _scope_of(principal) -> str:
    """What a provider's cursor is bound to: the providers the caller acts for."""
    return "providers:" + ",".join(str(i) for i in sorted(principal.provider_ids or ()))


def _decode_cursor(value: str | None, problems: list[Problem]) -> tuple[datetime, str] | None:
    """A staff cursor's time and id."""
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        at, _, last_id = raw.partition("|")
        parsed = datetime.fromisoformat(at)
        if parsed.tzinfo is None or not last_id:
            raise ValueError
        return in_utc(parsed), last_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        problems.append(Problem("cursor", BAD_CURSOR))
        return None
