"""What the SMS channel does with the database: invitations, inbound texts, status callbacks, expiry.

Each public function is one short transaction. Every text we send goes through the outbox (written in
the same transaction as the change that causes it), with its encoding and segment count; the webhook
answers Twilio with an empty TwiML response, so replies are durable, counted and sent by the worker.
Submissions go through the one intake path (`service.intake.submit_feedback`) inside the same
transaction, by a savepoint-scoped unit of work.

Nothing here logs a phone number or a message body.
"""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.util import identity_key

from channels.sms import conversation, keywords, messages
from channels.sms.encoding import measure
from channels.sms.models import EXPIRED, FINISHED, OPEN, STOPPED, SmsConversation, SmsInbound, SmsOptOut
from channels.sms.phone import is_e164, lenient, phone_hash
from service.config import Settings
from service.domain.ids import uuid7
from service.domain.model import Channel, Consent, ContactDetails, ContactPreference, SubmitFeedback
from service.domain.questionnaire import QuestionnaireRegistry, default_registry
from service.i18n import DEFAULT_LANGUAGE, is_supported
from service.intake import submit_feedback
from service.outbox.outbox import enqueue
from service.analysis import raise_duty_alert
from service.privacy.person import lock_numbers, sms_reply_key, sms_run_key, sms_run_links
from service.storage.orm import OutboxMessage, Submission
from service.storage.types import utcnow
from service.storage.unit_of_work import UnitOfWork
from service.text.pipeline import check_for_harm_alone

log = logging.getLogger("msp.sms")

QUESTIONNAIRE_ID = "msp"
STRAY_QUESTION = conversation.OWN_WORDS   # a text with no conversation open is kept as "in your own words"
# Sent even to a number that has just opted out: the one confirmation of STOP itself.
OPT_OUT_EXEMPT_PURPOSES = frozenset({"stop_confirmation"})


def conversation_ttl(settings: Settings) -> timedelta:
    """How long a questionnaire by SMS stays open (SMS_CONVERSATION_TTL_HOURS, default 72 = 3 days)."""
    return timedelta(hours=settings.sms_conversation_ttl_hours)


class NestedUnitOfWork(UnitOfWork):
    """A unit of work inside the caller's transaction: its commit releases a savepoint, its rollback
    undoes only what it did. Lets the one intake path run in the same transaction as the SMS state."""

    def __init__(self, session: Session):
        self.session = session
        self._savepoint = None

    def __enter__(self) -> "NestedUnitOfWork":
        self._savepoint = self.session.begin_nested()
        return self

    def late_lock(self) -> "NestedUnitOfWork":
        # The caller's transaction already holds what it holds; a further scope is another savepoint.
        return NestedUnitOfWork(self.session)

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._savepoint is not None and self._savepoint.is_active:
            self._savepoint.rollback()

    def commit(self) -> None:
        if self._savepoint is not None and self._savepoint.is_active:
            self._savepoint.commit()

    def rollback(self) -> None:
        if self._savepoint is not None and self._savepoint.is_active:
            self._savepoint.rollback()


@dataclass(frozen=True)
class QueuedSms:
    id: int
    encoding: str
    segments: int


def queue_sms(session: Session, *, to: str, body: str, purpose: str, language: str, conversation_id: str | None = None,
              dedupe_key: str | None = None, submission_id: str | None = None) -> QueuedSms:
    """An outgoing text in the outbox, with its encoding and segment count."""
    measured = measure(body)
    queued = enqueue(
        session, channel="sms", purpose=purpose, recipient=to, body=body,
        payload={"conversation_id": conversation_id, "language": language},
        dedupe_key=dedupe_key, submission_id=submission_id, encoding=measured.encoding, segments=measured.segments,
    )
    return QueuedSms(queued.id, measured.encoding, measured.segments)


def carry_over_opt_out(session: Session, settings: Settings, phone: str) -> None:
    """After SECRET_KEY is rotated, what was kept under the number's hash by a previous key
    (SECRET_KEY_PREVIOUS) moves to the current key's hash the first time the number is seen again,
    so rotating the key never makes the service text someone who asked it to stop:

    * the opt-out: the newest state of any kept under the old keys (STOP wins a tie), unless one is
      already kept under the current key; the old rows are removed either way;
    * conversations, so an open questionnaire goes on and an invitation sees it.

    Runs in a savepoint: when another process carried the same number over at the same moment, its
    work stands and this call changes nothing (the caller's transaction goes on)."""
    if not settings.secret_key_previous or not phone:
        return
    current = phone_hash(phone, settings.secret_key)
    old_hashes = [h for h in (phone_hash(phone, key) for key in settings.secret_key_previous) if h != current]
    try:
        with session.begin_nested():
            old_rows = list(session.scalars(select(SmsOptOut).where(SmsOptOut.phone_hash.in_(old_hashes))
                                            .with_for_update()))
            if old_rows and session.get(SmsOptOut, current) is None:
                newest = max(old_rows, key=lambda row: (row.updated_at, row.opted_out))
                session.add(SmsOptOut(phone_hash=current, opted_out=newest.opted_out, source=newest.source,
                                      language=newest.language, created_at=min(r.created_at for r in old_rows),
                                      updated_at=newest.updated_at))
            for row in old_rows:
                session.delete(row)
            session.execute(update(SmsConversation).where(SmsConversation.phone_hash.in_(old_hashes))
                            .values(phone_hash=current))
    except IntegrityError:
        pass   # carried over by another process meanwhile


def is_opted_out(session: Session, hashed: str) -> bool:
    row = session.get(SmsOptOut, hashed)
    return bool(row and row.opted_out)


def set_opt_out(session: Session, hashed: str, opted_out: bool, *, source: str, language: str | None = None) -> None:
    """One statement (insert, or update when the number has a row): two STOPs from one number at the same
    moment (a double tap, a second phrasing) both found no row on PostgreSQL, and the second insert failed
    its whole webhook with a 500."""
    now = utcnow()
    upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    changes = dict(opted_out=opted_out, source=source, updated_at=now) | ({"language": language} if language else {})
    session.execute(upsert(SmsOptOut)
                    .values(phone_hash=hashed, opted_out=opted_out, source=source, language=language, created_at=now, updated_at=now)
                    .on_conflict_do_update(index_elements=[SmsOptOut.phone_hash], set_=changes))
    loaded = session.identity_map.get(identity_key(SmsOptOut, hashed))
    if loaded is not None:   # the statement went round the session: what it holds is stale
        session.expire(loaded)


def cancel_pending(session: Session, to: str) -> int:
    """After STOP: nothing still waiting in the outbox goes to that number."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.channel == "sms", OutboxMessage.recipient == to, OutboxMessage.status == "pending")
        .values(status="cancelled", last_error="the recipient opted out (STOP)", updated_at=utcnow())
    )
    return result.rowcount or 0


def open_conversation(session: Session, hashed: str) -> SmsConversation | None:
    query = (select(SmsConversation).where(SmsConversation.phone_hash == hashed, SmsConversation.status == OPEN)
             .order_by(SmsConversation.created_at.desc()).limit(1))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalars(query).first()


def last_language(session: Session, hashed: str) -> str | None:
    return session.scalar(select(SmsConversation.language).where(SmsConversation.phone_hash == hashed)
                          .order_by(SmsConversation.created_at.desc()).limit(1))


# --- invitations ---------------------------------------------------------------------------------

class OptedOut(Exception):
    """The number said STOP: no invitation may go to it until it says START."""


class AlreadyOpen(Exception):
    """A questionnaire by SMS is already open with this number; replies would be ambiguous."""


@dataclass(frozen=True)
class Invitation:
    conversation_id: str
    expires_at: datetime
    outbox_ids: tuple[int, ...]
    encodings: tuple[tuple[str, int], ...]   # (encoding, segments) of each queued text


def invite(session_factory: sessionmaker[Session], settings: Settings, *, phone: str, language: str,
           case_reference: str | None = None, provider_id: int | None = None, invited_by_token_id: int | None = None,
           registry: QuestionnaireRegistry | None = None, now: datetime | None = None) -> Invitation:
    """Start a conversation and queue the invitation and first question, in one transaction."""
    registry = registry or default_registry()
    questionnaire = registry.current(QUESTIONNAIRE_ID)
    now = now or utcnow()
    hashed = phone_hash(phone, settings.secret_key)
    with session_factory.begin() as session:   # committed on its own: a refusal below rolls back
        carry_over_opt_out(session, settings, phone)
    with session_factory.begin() as session:
        _lock_number(session, hashed)
        if is_opted_out(session, hashed):
            raise OptedOut()
        existing = open_conversation(session, hashed)
        if existing is not None:
            if existing.expires_at > now and not _invitation_never_arrived(session, existing):
                raise AlreadyOpen()
            _end(session, settings, existing, EXPIRED, phone, registry, now)
        start = conversation.start(questionnaire, language)
        row = SmsConversation(
            id=uuid7(), phone_hash=hashed, language=language, questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version, case_reference=case_reference, provider_id=provider_id,
            status=OPEN, state=start.state.to_json(), invited_by_token_id=invited_by_token_id,
            created_at=now, updated_at=now, expires_at=now + conversation_ttl(settings),
        )
        session.add(row)
        session.flush()
        queued = [queue_sms(session, to=phone, body=out.body, purpose=out.purpose, language=language, conversation_id=row.id,
                            dedupe_key=_start_key(row.id, i)) for i, out in enumerate(start.outgoing)]
        result = Invitation(row.id, row.expires_at, tuple(m.id for m in queued), tuple((m.encoding, m.segments) for m in queued))
    log.info("sms invitation queued", extra={"count": len(result.outbox_ids), "channel": "sms", "purpose": "invitation"})
    return result


def _invitation_never_arrived(session: Session, conv: SmsConversation) -> bool:
    """The invitation failed for good (refused by Twilio, out of retries, reported undelivered) and the
    person has sent nothing since: the questionnaire cannot have begun, so it must not hold the number
    for its 72 hours and refuse staff who invite it again once the phone is back on."""
    if conversation.State.from_json(conv.state).has_responses:
        return False
    invitation = session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == _start_key(conv.id, 0)))
    return invitation is not None and (invitation.status in ("failed", "cancelled")
                                       or invitation.delivery_status in ("undelivered", "failed"))


def _start_key(conversation_id: str, index: int) -> str:
    """The outbox dedupe key of the texts that start a conversation (0 = the invitation)."""
    return f"sms:{conversation_id}:start:{index}"


def _lock_number(session: Session, hashed: str) -> None:
    """One invitation, text taken in or privacy request at a time per number. On PostgreSQL two invitations
    sent at the same moment both found no open questionnaire and opened one each (the person got both, and
    their replies went to the wrong one); an erasure by phone overlapping a reply being stored left that reply.
    The lock makes the second wait and then see the first (service/privacy/person.py lock_numbers)."""
    lock_numbers(session, [hashed])


# --- inbound -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InboundResult:
    outcome: str          # answer | finished | stray | stop | start | help | opted_out | duplicate | not_a_number
    submission_id: str | None = None
    replies: int = 0
    conversation_id: str | None = None


def handle_inbound(session_factory: sessionmaker[Session], settings: Settings, fields: Mapping[str, str], *,
                   registry: QuestionnaireRegistry | None = None, now: datetime | None = None) -> InboundResult:
    """Apply one inbound text (already signature-checked) exactly once per MessageSid."""
    registry = registry or default_registry()
    now = now or utcnow()
    sid = fields["MessageSid"]
    phone = lenient(fields.get("From", ""))
    body = fields.get("Body", "")
    if not is_e164(phone):
        # An alphanumeric sender ("Vodafone", a network's notice) or a malformed From: no person can be
        # answered there and no conversation belongs to it, so nothing is kept and nothing is sent.
        log.info("inbound SMS %s from a sender that is not a phone number: ignored", sid[:40])
        return InboundResult("not_a_number")
    hashed = phone_hash(phone, settings.secret_key)
    with session_factory.begin() as session:   # on its own: the answer below must not hang on it
        carry_over_opt_out(session, settings, phone)
    try:
        with session_factory.begin() as session:
            _lock_number(session, hashed)
            # A retry or duplicate stops here (primary key), before anything changes.
            session.execute(insert(SmsInbound), [dict(message_sid=sid, received_at=now, outcome="processing", phone_hash=hashed)])
            result = _apply(session, settings, registry, sid, phone, hashed, body, fields.get("OptOutType"), now)
            session.execute(update(SmsInbound).where(SmsInbound.message_sid == sid)
                            .values(outcome=result.outcome, conversation_id=result.conversation_id))
        return result
    except IntegrityError:
        with session_factory() as session:
            if session.get(SmsInbound, sid) is not None:
                return InboundResult("duplicate")
        raise


def _apply(session: Session, settings: Settings, registry: QuestionnaireRegistry, sid: str, phone: str, hashed: str,
           body: str, opt_out_type: str | None, now: datetime) -> InboundResult:
    twilio_keyword = keywords.from_opt_out_type(opt_out_type)
    match = keywords.classify(body)
    keyword = twilio_keyword or (match.keyword if match else None)
    conv = open_conversation(session, hashed)
    if conv is not None and conv.expires_at <= now:
        _end(session, settings, conv, EXPIRED, phone, registry, now)
        conv = None
    language = conv.language if conv is not None else None
    if match is not None and match.language != "en":
        language = match.language
    language = language or last_language(session, hashed) or DEFAULT_LANGUAGE
    if not is_supported(language):
        language = DEFAULT_LANGUAGE

    def reply(purpose: str, text: str, index: int = 0) -> None:
        queue_sms(session, to=phone, body=text, purpose=purpose, language=language,
                  conversation_id=conv.id if conv is not None else None, dedupe_key=f"sms-in:{sid}:{index}")

    if keyword is keywords.Keyword.STOP:
        set_opt_out(session, hashed, True, source="twilio" if twilio_keyword else "keyword", language=language)
        cancel_pending(session, phone)
        submission_id = _end(session, settings, conv, STOPPED, phone, registry, now) if conv is not None else None
        if twilio_keyword is None:   # Twilio confirmed its own keyword already (and blocks our texts)
            reply("stop_confirmation", messages.text(language, "stop"))
        return InboundResult("stop", submission_id, 0 if twilio_keyword else 1, conv.id if conv is not None else None)
    if keyword is keywords.Keyword.START:
        set_opt_out(session, hashed, False, source="twilio" if twilio_keyword else "keyword", language=language)
        if twilio_keyword is None:
            reply("start_confirmation", messages.text(language, "start"))
        return InboundResult("start", None, 0 if twilio_keyword else 1)
    if keyword is keywords.Keyword.HELP:
        # "help me" (ساعدني, madad chahiye, pomocy) to a safeguarding service may be a plea, not a question about
        # the texts: it is kept like any other message, so the text check reads it and staff see it. An open
        # questionnaire goes on as it was (the words answer none of its questions).
        kept = _submit_stray(session, registry, sid, phone, body, language, now)
        if is_opted_out(session, hashed):   # no text goes back to a number that said STOP
            return InboundResult("opted_out", kept)
        reply("help", messages.text(language, "help", phone=settings.safeguarding_phone))
        return InboundResult("help", kept, 1, conv.id if conv is not None else None)

    if is_opted_out(session, hashed):
        # They asked for no texts: keep what they said, answer nothing.
        receipt = _submit_stray(session, registry, sid, phone, body, language, now)
        return InboundResult("opted_out", receipt)

    if conv is None:
        submission_id = _submit_stray(session, registry, sid, phone, body, language, now)
        reply("stray_thanks", messages.text(language, "stray", phone=settings.safeguarding_phone))
        return InboundResult("stray", submission_id, 1)

    questionnaire = registry.get(conv.questionnaire_id, conv.questionnaire_version)
    state = conversation.State.from_json(conv.state)
    step = conversation.advance(questionnaire, language, state, body, phone=settings.safeguarding_phone)
    # Every reply is checked alone as it comes, the last one too: read later inside the whole record, after a
    # warm "in your own words" answer, words the classifier flags can score below its threshold.
    harm = _harm_in(conversation.new_words(state, step.state))
    alone = None
    if harm.level is SUSPECTED_HARM or step.state.words_overflow():
        # A reply only the classifier flags goes in now as feedback of its own (read alone, as here; alert within
        # seconds) and its words leave the questionnaire's record (an answer chosen stays): one reading and one
        # alert for them. So does a reply the record has no room left for (its words past 5,000 characters
        # would be cut off, a disclosure among them).
        alone = _submit_reply_alone(session, registry, conv, sid, phone, body, conversation.answered_in_words(state, step.state), now)
        step = dataclasses.replace(step, state=conversation.without_words_of(step.state, state))
    if harm.level is CLEAR_HARM and not step.finished:
        # A cue the rules know ends the questionnaire at once, its words in the record the closing text names.
        # Only the classifier's flag (about one short reply in eight) lets it go on: ending it then cost those
        # people their other answers and the consent question.
        step = conversation.finish_now(language, step.state)
    conv.state = step.state.to_json()
    conv.updated_at = now
    outgoing = list(step.outgoing)
    submission_id = None
    if step.finished:
        # Always a record, even one whose every word went in alone: its reference, in the closing text, reaches
        # those replies (a privacy request by it; its staff page links them).
        submission_id, reference = _submit_conversation(session, conv, step.state, phone, registry, now)
        _close(conv, FINISHED, step.state, submission_id, now)
        outgoing = [out if out.purpose != "closing" else conversation.Outgoing(
            "closing", conversation.closing_text(language, reference=reference, phone=settings.safeguarding_phone)) for out in outgoing]
    if harm.level is not None:
        # Alerted on what was read here, in this transaction: the worker reads the record's words joined to the
        # person's other replies, where "it was sorted out by the manager" a reply earlier read "my carer hit me"
        # as resolved, and no alert came. The worker's reading adds none (one alert per feedback).
        raise_duty_alert(session, alone or submission_id, harm.categories, settings)
    for index, out in enumerate(outgoing):
        reply(out.purpose, out.body, index)
    return InboundResult("finished" if step.finished else "answer", submission_id or alone, len(outgoing), conv.id)


CLEAR_HARM, SUSPECTED_HARM = "clear", "suspected"


@dataclass(frozen=True)
class Harm:
    """What the check of one reply found: `level` CLEAR_HARM (a cue the rules know), SUSPECTED_HARM (the
    classifier's flag alone) or None, and the Care Act categories of the flags."""

    level: str | None = None
    categories: list[str] = dataclasses.field(default_factory=list)


def _harm_in(words: list[str]) -> Harm:
    try:
        flags = [result for result in map(check_for_harm_alone, words) if result.flag]
    except Exception:  # noqa: BLE001 - the words stay in the questionnaire's record, read by the worker at the end
        log.exception("the disclosure check failed on an SMS reply; the questionnaire goes on")
        return Harm()
    if not flags:
        return Harm()
    categories = sorted({result.category or "unspecified" for result in flags})
    return Harm(CLEAR_HARM if any(not result.by_classifier for result in flags) else SUSPECTED_HARM, categories)


def _submit_reply_alone(session: Session, registry: QuestionnaireRegistry, conv: SmsConversation, sid: str, phone: str,
                        body: str, question_id: str | None, now: datetime) -> str:
    """One reply of a questionnaire, as feedback of its own (with the number, for the duty team, and the run's
    case and provider; no consent to share: a possible disclosure goes to the duty team, not to a provider),
    under the free-text question it answered, else as the person's own words. Its idempotency key extends the
    run's, so a privacy request by the run's reference reaches it, and staff see the two linked
    (service/privacy/person.py)."""
    command = SubmitFeedback(
        channel=Channel.SMS, language=conv.language, texts={question_id or STRAY_QUESTION: body[:5000]},
        contact=ContactDetails(preference=ContactPreference.NONE, phone=phone),
        case_reference=conv.case_reference, provider_id=conv.provider_id,
        questionnaire_id=conv.questionnaire_id, questionnaire_version=conv.questionnaire_version,
        idempotency_key=sms_reply_key(conv.id, sid), received_at=now,
    )
    return submit_feedback(command, NestedUnitOfWork(session), registry).submission_id


def _submit_stray(session: Session, registry: QuestionnaireRegistry, sid: str, phone: str, body: str, language: str,
                  now: datetime) -> str | None:
    if not body.strip():
        return None
    command = SubmitFeedback(
        channel=Channel.SMS, language=language, texts={STRAY_QUESTION: body[:5000]},
        contact=ContactDetails(preference=ContactPreference.NONE, phone=phone),
        questionnaire_id=QUESTIONNAIRE_ID, idempotency_key=f"sms:{sid}", received_at=now,
    )
    return submit_feedback(command, NestedUnitOfWork(session), registry).submission_id


def _submit_conversation(session: Session, conv: SmsConversation, state: conversation.State, phone: str | None,
                         registry: QuestionnaireRegistry, now: datetime) -> tuple[str, str]:
    command = SubmitFeedback(
        channel=Channel.SMS, language=conv.language, answers=dict(state.answers), texts=state.texts_to_submit(),
        consent=Consent(state.consent) if state.consent else Consent.NONE,
        contact=ContactDetails(preference=ContactPreference.NONE, phone=phone or None),
        case_reference=conv.case_reference, provider_id=conv.provider_id,
        questionnaire_id=conv.questionnaire_id, questionnaire_version=conv.questionnaire_version,
        idempotency_key=sms_run_key(conv.id), received_at=now,
    )
    receipt = submit_feedback(command, NestedUnitOfWork(session), registry)
    if command.consent is not Consent.NONE:
        # "Can we tell the care service what you said?" is asked last and covers every reply of the run: those
        # kept as feedback of their own (no room in the record, or flagged) take the answer too. The provider
        # still sees only what the text check read and found not urgent (a flagged reply is urgent).
        links = sms_run_links(session, session.get(Submission, receipt.submission_id))
        for reply in links.replies if links else []:
            reply.consent = command.consent.value
    return receipt.submission_id, receipt.reference


def _end(session: Session, settings: Settings, conv: SmsConversation, status: str, phone: str | None,
         registry: QuestionnaireRegistry, now: datetime) -> str | None:
    """Close a conversation that will not finish (expired, or STOP). Answers already given are kept as
    a submission (nothing the person told us is lost); no text is sent."""
    state = conversation.State.from_json(conv.state)
    submission_id = None
    if state.has_responses:
        submission_id, _ = _submit_conversation(session, conv, state, phone, registry, now)
    _close(conv, status, state, submission_id, now)
    return submission_id


def _close(conv: SmsConversation, status: str, state: conversation.State, submission_id: str | None, now: datetime) -> None:
    """End a run. Its answers and words are in the submission now (read by the text check, erased and cut
    by retention there): the run keeps only how far it got, so no copy of the words outlives them here."""
    conv.status, conv.ended_at, conv.updated_at, conv.submission_id = status, now, now, submission_id
    conv.state = {"step": state.step}


EXPIRE_AT_ONCE = 500        # runs ended by one call (each minute)
EXPIRE_LOOKS_AT = 5_000     # runs past their time it reads, so that runs that cannot be ended hold back no others


def expire_due(session_factory: sessionmaker[Session], settings: Settings, *, now: datetime | None = None,
               registry: QuestionnaireRegistry | None = None) -> int:
    """End conversations past their time (a periodic job; inbound texts also end them lazily).

    Answers already given become a submission without contact details (the conversation holds no
    number); nothing is sent. Returns how many conversations expired."""
    registry = registry or default_registry()
    now = now or utcnow()
    with session_factory() as session:
        # Past the ones that could not be ended: 500 that fail every minute (a questionnaire version since
        # removed) held back every later run for good when only the first 500 were read.
        due = session.execute(select(SmsConversation.id, SmsConversation.phone_hash)
                              .where(SmsConversation.status == OPEN, SmsConversation.expires_at <= now)
                              .order_by(SmsConversation.expires_at, SmsConversation.id).limit(EXPIRE_LOOKS_AT)).all()
    ended = 0
    for run_id, hashed in due:
        if ended >= EXPIRE_AT_ONCE:
            break
        # Each run in a transaction of its own, holding its number first and then the run, as a text taken in
        # does: an erasure by phone that overlapped one batch of 500 found no record yet, deleted the runs
        # (the records' only link to the number) and left the words; and one run that could not be submitted
        # (a questionnaire version since removed, a bug) rolled back the whole batch every minute.
        try:
            with session_factory.begin() as session:
                if hashed:
                    lock_numbers(session, [hashed])
                query = select(SmsConversation).where(SmsConversation.id == run_id, SmsConversation.status == OPEN,
                                                      SmsConversation.expires_at <= now)
                if session.get_bind().dialect.name == "postgresql":
                    query = query.with_for_update(skip_locked=True)
                row = session.scalars(query).one_or_none()
                if row is not None:
                    _end(session, settings, row, EXPIRED, None, registry, now)
            ended += row is not None
        except Exception:  # noqa: BLE001 - the others go on; this one stays open and is tried next time
            log.exception("an SMS questionnaire past its time could not be ended", extra={"conversation_id": run_id})
    return ended


# --- status callbacks ----------------------------------------------------------------------------

# Twilio's message statuses in the order they happen; a callback that would move a row backwards
# (callbacks may arrive out of order) or change a final status is ignored.
STATUS_RANK = {"accepted": 1, "scheduled": 1, "queued": 2, "sending": 3, "sent": 4,
               "delivered": 5, "undelivered": 5, "failed": 5, "canceled": 5, "read": 6}
FINAL_DELIVERY = frozenset({"delivered", "undelivered", "failed", "canceled", "read"})
# Why a text Twilio accepted did not arrive (https://www.twilio.com/docs/api/errors), said for staff
# on the outbox page: "the phone was off" and "not a mobile" call for different next steps.
DELIVERY_ERRORS: dict[str, str] = {
    "30001": "Twilio's queue was full",
    "30002": "the Twilio account is suspended",
    "30003": "the phone was off or out of signal",
    "30004": "the message was blocked (the person or their network blocks it)",
    "30005": "the number is not in service",
    "30006": "a landline, or a network Twilio cannot reach",
    "30007": "the network filtered it as spam",
    "30008": "the network gave no reason",
    "30009": "part of the message was lost",
    "30010": "the price was above the account's limit",
    "21610": "the person replied STOP",
}


def _delivery_reason(error_code: str | None) -> str:
    return DELIVERY_ERRORS.get(error_code or "", "no reason given" if not error_code else "see Twilio's error list")


def handle_status(session_factory: sessionmaker[Session], settings: Settings, fields: Mapping[str, str]) -> str:
    """Record MessageStatus and ErrorCode on the outbox row with that provider SID. Returns what happened."""
    sid = fields.get("MessageSid") or fields.get("SmsSid") or ""
    status = (fields.get("MessageStatus") or fields.get("SmsStatus") or "").strip().lower()
    error_code = (fields.get("ErrorCode") or "").strip() or None
    if not sid or status not in STATUS_RANK:
        return "ignored"
    with session_factory.begin() as session:
        query = select(OutboxMessage).where(OutboxMessage.provider_message_id == sid, OutboxMessage.channel == "sms")
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        rows = session.scalars(query).all()
        if not rows:
            return "unknown"
        outcome = "ignored"
        for row in rows:
            current = row.delivery_status
            if current in FINAL_DELIVERY or (current in STATUS_RANK and STATUS_RANK[status] <= STATUS_RANK[current] and status != current):
                continue
            if current == status and (row.delivery_error_code or None) == error_code:
                continue
            row.delivery_status = status
            row.delivery_error_code = error_code[:10] if error_code else None
            row.updated_at = utcnow()
            if status in ("undelivered", "failed"):
                row.last_error = f"Not delivered: Twilio error {row.delivery_error_code or '-'} ({_delivery_reason(error_code)})"
            outcome = "recorded"
            if error_code == "21610" and row.recipient:
                carry_over_opt_out(session, settings, row.recipient)
                set_opt_out(session, phone_hash(row.recipient, settings.secret_key), True, source="status_21610")
        return outcome
