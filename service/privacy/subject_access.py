"""Subject-access export (UK GDPR article 15): everything held about a phone number or email address, as JSON."""
from __future__ import annotations

import base64
from collections.abc import Sequence

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.audit.log import PRIVACY_SUBJECT_ACCESS, Actor, identifier_fingerprint, mask_identifier, record
from service.privacy.models import TextReduction
from service.privacy.person import EXPORTED_ONLY, PersonQuery, find_person, person_tables, sms_runs_of
from service.storage.orm import OutboxMessage
from service.storage.types import utcnow


# Columns of registered tables that name the staff member or API token who did the work (typed a box,
# decided a question, sent an invitation): data about the staff, not about the person, so not exported.
STAFF_COLUMNS = frozenset({"typed_by", "decided_by", "invited_by_token_id"})
# Columns that name the staff member after what kind of work it was: text_annotations.translation_source is
# "human:<who typed the translation>" (service.analysis) or the machine translator. The kind stays ("human").
STAFF_AFTER_THE_KIND = {"translation_source": "human:"}


def _staff_left_out(row) -> dict[str, Any]:
    kept = {}
    for name, value in row.items():
        if name in STAFF_COLUMNS:
            continue
        prefix = STAFF_AFTER_THE_KIND.get(name)
        if prefix and isinstance(value, str) and value.startswith(prefix):
            value = prefix.rstrip(":")
        kept[name] = value
    return kept


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        # e.g. a paper form's handwriting crop (PNG): given back as data the person can open
        return {"base64_png" if bytes(value[:8]) == b"\x89PNG\r\n\x1a\n" else "base64": base64.b64encode(bytes(value)).decode()}
    return str(value)


def subject_access_export(session: Session, query: PersonQuery, *, actor: Actor, secret_key: str, previous_keys: Sequence[str] = (),
                          client_address: str = "", request_id: str = "", now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    scope = find_person(session, query, secret_key, previous_keys)
    reductions = {r.free_text_id: r.kind for r in session.scalars(
        select(TextReduction).where(TextReduction.free_text_id.in_(scope.free_text_ids or [-1])))}
    document: dict[str, Any] = {
        "generated_at": now.isoformat(),
        "searched_by": query.kind,
        "about": "Everything this service holds about the person with this " + query.kind + ".",
        "contact_details": [
            {
                "name": c.name, "phone": c.phone, "email": c.email, "postal_address": c.postal_address,
                "preferred_contact": c.preference, "safe_to_contact": c.safe_to_contact,
                "first_given": _iso(c.created_at), "last_contact": _iso(c.last_contact_at), "erased_at": _iso(c.erased_at),
            }
            for c in scope.contacts
        ],
        "feedback": [
            {
                "reference": s.reference, "received_at": _iso(s.received_at), "channel": s.channel, "respondent": s.respondent,
                "language": s.language, "questionnaire": f"{s.questionnaire_id} v{s.questionnaire_version}",
                "answers": dict(s.answers or {}),
                "own_words": {t.question_id: {"text": t.text, "language": t.language, "reduced": reductions.get(t.id)} for t in s.texts},
                "consent_to_share": s.consent, "contact_preference": s.contact_preference, "safe_to_contact": s.contact_safe,
                "communication_needs": list(s.communication_needs or []), "communication_needs_other": s.communication_needs_other,
                "case_reference": s.case_reference, "about_provider": s.provider.name if s.provider else None,
                "urgent": s.urgent,
            }
            for s in scope.submissions
        ],
        "messages": [],
        "other_records": {},
    }
    conditions = []
    if scope.submission_ids:
        conditions.append(OutboxMessage.submission_id.in_(scope.submission_ids))
    recipients = scope.phones | scope.emails
    if recipients:
        conditions.append(OutboxMessage.recipient.in_(recipients))
    own_runs = sms_runs_of(session, scope.submission_ids)
    if own_runs:   # the texts of the SMS run that made the feedback (a request by reference has no number)
        conditions.append(OutboxMessage.payload["conversation_id"].as_string().in_(own_runs))
    if conditions:
        for m in session.scalars(select(OutboxMessage).where(or_(*conditions)).order_by(OutboxMessage.id)):
            if m.channel == "task":
                continue  # internal work items, not messages
            document["messages"].append({
                "channel": m.channel, "purpose": m.purpose, "to": m.recipient, "subject": m.subject, "body": m.body,
                "status": m.status, "created_at": _iso(m.created_at), "sent_at": _iso(m.sent_at),
            })
    for entry, table, condition in [*person_tables(session, scope), *person_tables(session, scope, EXPORTED_ONLY)]:
        rows = session.execute(select(table).where(condition)).mappings().all()
        if rows:
            document["other_records"].setdefault(entry.table, []).extend(
                _jsonable(_staff_left_out(r)) for r in rows)
    record(
        session, actor=actor, action=PRIVACY_SUBJECT_ACCESS, target_type="person",
        target_id=identifier_fingerprint(secret_key, query.kind, query.value),
        detail={"by": query.kind, "identifier": query.value if query.kind == "reference" else mask_identifier(query.value),
                "contacts": len(document["contact_details"]), "submissions": len(document["feedback"]),
                "messages": len(document["messages"])},
        client_address=client_address, request_id=request_id,
    )
    return document
