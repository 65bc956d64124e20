"""Erasure of one person's data on request (UK GDPR article 17).

What goes: their contact details (name, phone, email, postal address), their own words (every free-text
answer, and every translation, redaction or other annotation derived from them), the free-text "other
communication needs", their case reference, and the recipient, subject and body of every outbox message
sent to them or about their feedback; and, at Twilio, the copies of the texts exchanged with them (queued
as an outbox task, see `queue_twilio_deletion`: erasure does not wait on Twilio). What stays: the
structured answers, channel, language, provider and dates, so the board's aggregates do not change; and
the audit log, which never held the person's details (it records the erasure itself, who asked for it, a
masked identifier, and counts).

THIS IS THE ONE SANCTIONED PATH THAT CHANGES STORED TEXT. `FreeText.text` is otherwise written once and
never updated (guide, section 2); erasure replaces it with ERASURE_MARKER and records a TextReduction.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from service.audit.log import PRIVACY_ERASE, Actor, identifier_fingerprint, mask_identifier, record
from service.privacy.models import KIND_ERASED, TextReduction
from service.privacy.person import (ErasableTable, PersonQuery, PersonScope, by_phone_hash, by_submission, find_person,
                                    person_tables, reflect_table, sms_reply_sid, sms_runs_of)
from service.outbox.outbox import DUTY_ALERT, enqueue
from service.storage.orm import FreeText, OutboxMessage
from service.storage.types import utcnow
from service.text.redact import redact

ERASURE_MARKER = "[erased at the person's request]"
ERASED = "erased"   # the one key left in the payload of an erased outbox row

# The outbox task (channel "task") that deletes Twilio's copies of texts: Twilio keeps every message, its
# numbers and its body, in the account's message log until it is deleted. The task's payload holds only
# message SIDs (not personal data: no number, no words); channels/sms/twilio_copies.py runs it.
DELETE_AT_TWILIO = "delete_at_twilio"
# A Twilio message SID (the pattern of Twilio's API description); anything else on a row (the outbox log's
# ids, an email's Message-ID) names no copy at Twilio.
TWILIO_MESSAGE_SID = re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$")
# The SMS channel's idempotency key of feedback made by one text that came outside a questionnaire run
# (channels/sms/flows.py `_submit_stray`): "sms:" + its MessageSid.
STRAY_TEXT_KEY_PREFIX = "sms:"


@dataclass
class ErasureReport:
    submissions: list[str] = field(default_factory=list)
    contacts: int = 0
    free_texts: int = 0
    outbox_messages: int = 0
    outbox_cancelled: int = 0
    twilio_copies: int = 0      # texts whose copy at Twilio is queued for deletion
    derived_rows: dict[str, int] = field(default_factory=dict)
    audit_event_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "submissions": self.submissions, "contacts": self.contacts, "free_texts": self.free_texts,
            "outbox_messages": self.outbox_messages, "outbox_cancelled": self.outbox_cancelled,
            "twilio_copies": self.twilio_copies, "derived_rows": self.derived_rows, "audit_event_id": self.audit_event_id,
        }


def erase_scope(session: Session, scope: PersonScope, now: datetime) -> ErasureReport:
    """Erase everything in `scope` (no audit record: callers record one)."""
    report = ErasureReport(submissions=scope.submission_ids)
    # The texts are locked first, in id order, as the text check locks them when it stores a reading: a
    # reading being stored now is committed before the derived rows below are deleted (so it is deleted
    # too), or it waits and then sees the words erased (and writes nothing); and the two never deadlock.
    if scope.free_text_ids:
        session.execute(select(FreeText.id).where(FreeText.id.in_(scope.free_text_ids)).order_by(FreeText.id).with_for_update())
    # The SMS runs that made this feedback, found before their rows go with the rest: their texts belong to no
    # submission, only to the run (the closing text, which quotes the reference, may still be waiting).
    own_runs = sms_runs_of(session, scope.submission_ids)
    # And every run of their number (not by reference: see `by_phone_hash`), for the texts they sent in it.
    runs = own_runs | sms_runs_of(session, by_phone_hash(scope), column="phone_hash")
    # And the texts they sent that belong to no run (STOP, HELP outside one), by the number they came from.
    sent_by_them = _inbound_sids(session, by_phone_hash(scope))
    for contact in scope.contacts:
        contact.blank_details()
        contact.erased_at = contact.erased_at or now
        report.contacts += 1
    # Derived rows first (they may reference the texts), then the texts themselves.
    for entry, table, condition in person_tables(session, scope):
        if entry.action == "blank":
            blanks = {name: (None if table.c[name].nullable else "") for name in entry.blank_columns if name in table.c}
            result = session.execute(update(table).where(condition).values(**blanks)) if blanks else None
        else:
            result = session.execute(delete(table).where(condition))
        if result is not None and result.rowcount:
            report.derived_rows[entry.table] = report.derived_rows.get(entry.table, 0) + result.rowcount
    for submission in scope.submissions:
        submission.case_reference = None
        submission.communication_needs_other = None
        submission.request_fingerprint = None  # a hash of the body, which held the words
        for text in submission.texts:
            if text.text != ERASURE_MARKER:
                text.text = ERASURE_MARKER  # the sanctioned change: see the module docstring
                report.free_texts += 1
            reduction = session.get(TextReduction, text.id)
            if reduction is None:
                session.add(TextReduction(free_text_id=text.id, kind=KIND_ERASED, at=now))
            else:
                reduction.kind, reduction.at = KIND_ERASED, now
    conditions = []
    if scope.submission_ids:
        conditions.append(OutboxMessage.submission_id.in_(scope.submission_ids))
    recipients = scope.phones | scope.emails
    if recipients:
        to_person = OutboxMessage.recipient.in_(recipients)
        if scope.query.reference:
            # One piece of feedback: the records of the texts of the SMS run that made it (they belong to no
            # submission and are found only by the number) lose it; a text still to go to the number may be
            # another questionnaire's, still open, and goes (retention blanks it at 12 months).
            to_person = to_person & OutboxMessage.status.not_in(("pending", "sending"))
        conditions.append(to_person)
    if own_runs:
        # The texts of the SMS runs that made this feedback (the questions, the closing text with the reference):
        # found by the run, not only by the number, which the record of a run that expired does not hold.
        conditions.append(OutboxMessage.payload["conversation_id"].as_string().in_(own_runs))
    if conditions:
        # Not a duty alert still to go (a mail server down): a disclosure of harm must reach the team (safety
        # first), and the alert holds no words or contact details (a reference, a category, a link). Once
        # it has gone, its record is blanked like the rest.
        alert_to_go = (OutboxMessage.purpose == DUTY_ALERT) & OutboxMessage.status.in_(("pending", "sending"))
        # Locked: a text on its way as the person is erased gets its Twilio SID either before this reads it
        # (and it is deleted with the rest) or after the erasure, seen by the SMS sender (channels/sms/sending.py).
        messages = list(session.scalars(select(OutboxMessage).where(or_(*conditions), ~alert_to_go)
                                        .order_by(OutboxMessage.id).with_for_update()))
        for message in messages:
            if message.status in ("pending", "sending"):
                message.status = "cancelled"
                report.outbox_cancelled += 1
            message.recipient = None
            message.subject = None
            message.body = ""
            message.payload = {ERASED: True}
            message.last_error = None
            report.outbox_messages += 1
    else:
        messages = []
    sids = sorted(set(_twilio_copies(session, scope, runs, messages)) | set(sent_by_them))
    _forget_numbers_of_runs(session, own_runs)
    if sids:
        queue_twilio_deletion(session, sids)
        report.twilio_copies = len(sids)
    session.flush()
    return report


# SIDs a task: one run (a minute at most, about 0.3 s a deletion) gets through them, so a run that is only slow
# does not spend one of the task's attempts on a long list (an erasure of a number with years of texts).
TWILIO_SIDS_PER_TASK = 100


def queue_twilio_deletion(session: Session, sids: Collection[str]) -> None:
    """Queue the deletion at Twilio of these messages, in the caller's transaction: durable (retried with
    back-off while Twilio is down, then shown to staff as failed), and nobody waits on Twilio."""
    ordered = sorted(set(sids))
    for start in range(0, len(ordered), TWILIO_SIDS_PER_TASK):
        enqueue(session, channel="task", purpose=DELETE_AT_TWILIO,
                payload={"sids": ordered[start:start + TWILIO_SIDS_PER_TASK]})


def _twilio_copies(session: Session, scope: PersonScope, runs: set[str], messages: list[OutboxMessage]) -> list[str]:
    """The SIDs of the texts exchanged with the person that Twilio keeps: those we sent (the SMS rows erased
    above, and the texts of their runs, which retention may have left without the number) and those they
    sent, known by the run they answered (sms_inbound) or, for a text outside a run that became feedback,
    by that feedback's idempotency key."""
    sids = {m.provider_message_id for m in messages if m.channel == "sms" and m.provider_message_id}
    sids |= {s.idempotency_key[len(STRAY_TEXT_KEY_PREFIX):] for s in scope.submissions
             if (s.idempotency_key or "").startswith(STRAY_TEXT_KEY_PREFIX)}
    sids |= {sid for s in scope.submissions if (sid := sms_reply_sid(s.idempotency_key))}   # a reply sent in ahead
    if runs:
        sids |= set(session.scalars(select(OutboxMessage.provider_message_id).where(
            OutboxMessage.channel == "sms", OutboxMessage.provider_message_id.is_not(None),
            OutboxMessage.payload["conversation_id"].as_string().in_(runs))))
    inbound = reflect_table(session, ErasableTable("sms_inbound", "conversation_id", by_submission)) if runs else None
    if inbound is not None and "message_sid" in inbound.c:
        sids |= set(session.scalars(select(inbound.c.message_sid).where(inbound.c.conversation_id.in_(runs))))
    return sorted(sid for sid in sids if sid and TWILIO_MESSAGE_SID.match(sid))


def _forget_numbers_of_runs(session: Session, runs: Collection[str]) -> None:
    """The texts received in the SMS runs of the feedback erased keep their SIDs (a retried webhook must change
    nothing) but not the number they came from: by reference too, not only by number (second review)."""
    table = reflect_table(session, ErasableTable("sms_inbound", "conversation_id", by_submission)) if runs else None
    if table is not None and "phone_hash" in table.c:
        session.execute(table.update().where(table.c.conversation_id.in_(list(runs))).values(phone_hash=None))


def _inbound_sids(session: Session, phone_hashes: Collection[str]) -> list[str]:
    """The SIDs of the texts received from these numbers (keyed), read before erasure blanks the hashes."""
    table = reflect_table(session, ErasableTable("sms_inbound", "phone_hash", by_submission)) if phone_hashes else None
    if table is None:
        return []
    return [sid for sid in session.scalars(select(table.c.message_sid).where(table.c.phone_hash.in_(list(phone_hashes))))
            if sid and TWILIO_MESSAGE_SID.match(sid)]


def erase_person(session: Session, query: PersonQuery, *, actor: Actor, secret_key: str, previous_keys: Sequence[str] = (), reason: str = "",
                 client_address: str = "", request_id: str = "", now: datetime | None = None) -> ErasureReport:
    """Find and erase one person's data and record who did it, in the caller's transaction."""
    now = now or utcnow()
    scope = find_person(session, query, secret_key, previous_keys)
    report = erase_scope(session, scope, now)
    event = record(
        session, actor=actor, action=PRIVACY_ERASE, target_type="person",
        target_id=identifier_fingerprint(secret_key, query.kind, query.value),
        detail={"by": query.kind, "identifier": query.value if query.kind == "reference" else mask_identifier(query.value),
                # The audit log is append-only (and cannot be changed on PostgreSQL): a name, phone number or
                # email typed into the reason, perhaps the erased person's own, would stay for ever.
                "reason": redact(reason[:2000])[:200], **{k: v for k, v in report.as_dict().items() if k != "audit_event_id"}},
        client_address=client_address, request_id=request_id,
    )
    session.flush()
    report.audit_event_id = event.id
    return report
