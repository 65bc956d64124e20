"""Writing to, claiming from, and recording outcomes in the outbox table."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session

from service.storage.orm import OutboxMessage
from service.storage.types import utcnow

# How long a claimed row is the claimer's. A row still "sending" after this was left by a worker that
# died mid-send: it is reconciled by its handler (which decides whether it went), never blindly resent.
CLAIM_LEASE = timedelta(minutes=2)
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600
# An alert to the duty team that could not go is tried again at least this often: a mail server put right
# at 3 a.m. must not leave a disclosure of harm waiting until 9 a.m. (about 300 tries a day at worst).
URGENT_BACKOFF_MAX_SECONDS = 5 * 60

DUTY_ALERT = "duty_alert"      # the purpose of an alert to the safeguarding duty team
ANALYSE_TEXT = "analyse_text"  # the text check of new words, queued by service.intake with each submission


# A re-read queued by `msp-feedback reanalyse` (service.analysis.queue_reanalysis) is an `analyse_text` task like
# a first check, so every query about a text's check (waiting, failed, done) counts both alike. Its dedupe key
# tells it apart: it is claimed after all other work, so new feedback is checked first even when the worker has
# fallen behind a backlog of re-reads (restarted for the new model, or slower than their pace).
def reread_dedupe_key(submission_id: str, version_digest: str, earlier_tries: int = 0) -> str:
    return f"{ANALYSE_TEXT}:{submission_id}:again:{version_digest}" + (f":{earlier_tries}" if earlier_tries else "")


def reread_dedupe_keys(version_digest: str = "%") -> str:
    """A LIKE pattern for the dedupe keys of re-reads (of one model version, or of any)."""
    return f"{ANALYSE_TEXT}:%:again:{version_digest}%"


_PRIORITY = case((OutboxMessage.purpose == DUTY_ALERT, 0),
                 ((OutboxMessage.purpose == ANALYSE_TEXT) & OutboxMessage.dedupe_key.like(reread_dedupe_keys()), 3),
                 (OutboxMessage.purpose == ANALYSE_TEXT, 1), else_=2)
FINAL_STATUSES = ("sent", "failed", "cancelled")


@dataclass(frozen=True)
class Enqueued:
    id: int


def enqueue(
    session: Session,
    *,
    channel: str,
    purpose: str,
    recipient: str | None = None,
    subject: str | None = None,
    body: str = "",
    payload: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
    submission_id: str | None = None,
    encoding: str | None = None,
    segments: int | None = None,
    not_before: datetime | None = None,
) -> Enqueued:
    """Add a message to the caller's transaction: it exists exactly when the event that caused it does.

    A Core insert (not an ORM object): it is on the intake hot path. A second message with the same
    `dedupe_key` violates the unique constraint, so the same event never sends twice.
    """
    now = utcnow()
    table = OutboxMessage.__table__
    new_id = session.execute(
        table.insert().returning(table.c.id),
        [dict(
            channel=channel, purpose=purpose, recipient=recipient, subject=subject, body=body, payload=payload or {},
            dedupe_key=dedupe_key, submission_id=submission_id, encoding=encoding, segments=segments, status="pending",
            attempts=0, next_attempt_at=not_before or now, created_at=now, updated_at=now,
        )],
    ).scalar_one()
    return Enqueued(id=new_id)


@dataclass(frozen=True)
class ClaimedMessage:
    """A detached copy of a claimed row: handlers work on this, outside any transaction."""

    id: int
    channel: str
    purpose: str
    recipient: str | None
    subject: str | None
    body: str
    payload: dict[str, Any]
    attempts: int
    submission_id: str | None
    provider_message_id: str | None
    reclaimed: bool  # True when a crashed worker left it in "sending": the handler must reconcile
    lease: datetime | None = None    # the claim's end, which is also its token (see still_claimed)


def claim_due(session: Session, *, limit: int = 20, now: datetime | None = None, max_attempts: int | None = None,
              never_give_up: frozenset[str] = frozenset()) -> list[ClaimedMessage]:
    """Claim up to `limit` due rows and mark them "sending". Commit straight after.

    A row a worker left "sending" may be what killed it (a task that runs the process out of memory): it
    is claimed alone, so a second crash strands nothing else, and after `max_attempts` such tries it is
    marked failed for staff (a duty alert is never given up).

    PostgreSQL: `FOR UPDATE SKIP LOCKED` lets several workers claim in parallel without waiting for or
    double-claiming each other's rows. SQLite: the unit of work began with BEGIN IMMEDIATE, so claims
    are serialised by the database's write lock.
    """
    now = now or utcnow()
    query = (
        select(OutboxMessage)
        .where(
            or_(
                (OutboxMessage.status == "pending") & (OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.status == "sending") & (OutboxMessage.claimed_until < now),
            )
        )
        # Alerts to the duty team first, then the text checks that raise them, then the rest, re-reads last: a
        # queue of texts to a Twilio that does not answer must not hold up an alert by email.
        .order_by(_PRIORITY, OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = []
    for row in session.scalars(query):
        reclaimed = row.status == "sending"
        if reclaimed and max_attempts is not None and row.attempts >= max_attempts and row.purpose not in never_give_up:
            row.status, row.claimed_until = "failed", None
            row.last_error = f"the worker stopped while handling it, {row.attempts} times (see the worker log)"
            continue
        if reclaimed and claimed:
            break                      # claimed alone, next time
        row.status = "sending"
        row.attempts += 1
        row.claimed_until = now + CLAIM_LEASE
        claimed.append(
            ClaimedMessage(
                id=row.id, channel=row.channel, purpose=row.purpose, recipient=row.recipient, subject=row.subject,
                body=row.body, payload=dict(row.payload or {}), attempts=row.attempts, submission_id=row.submission_id,
                provider_message_id=row.provider_message_id, reclaimed=reclaimed, lease=row.claimed_until,
            )
        )
        if reclaimed:
            break
    return claimed


def still_claimed(session: Session, message: ClaimedMessage, now: datetime | None = None) -> bool:
    """Is the row still this claim's, and its lease not run out? Checked just before a row is handled: a
    worker slower than its lease must not send what another worker has claimed since (and sent)."""
    row = session.execute(select(OutboxMessage.status, OutboxMessage.claimed_until).where(OutboxMessage.id == message.id)).first()
    return (row is not None and row.status == "sending" and message.lease is not None and row.claimed_until == message.lease
            and message.lease > (now or utcnow()))


def alert_waiting(session: Session, now: datetime | None = None) -> bool:
    """Is an alert to the duty team due and unclaimed? (The worker then stops its batch and claims it.)"""
    return session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.purpose == DUTY_ALERT, OutboxMessage.status == "pending",
        OutboxMessage.next_attempt_at <= (now or utcnow())).limit(1)) is not None


def release(session: Session, messages: list[ClaimedMessage]) -> None:
    """Give claimed rows back unhandled (the worker stops a batch that is taking long, so that nothing it
    holds outlives its lease and an alert queued meanwhile is claimed next). Not counted as a try. A row
    another worker has claimed since (this claim's lease ran out) is left alone: it may be sending it."""
    for message in messages:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id, OutboxMessage.status == "sending",
                                                    OutboxMessage.claimed_until == message.lease)
                        .values(status="pending", claimed_until=None, attempts=OutboxMessage.attempts - 1))


def put_off(session: Session, message: ClaimedMessage, reason: str, until: datetime) -> None:
    """Give a claimed row back untried, due again at `until`, with the reason for staff (its handler did not
    try it: see handlers.NotTried). Not counted as a try. A row another worker has claimed since is left alone."""
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id, OutboxMessage.status == "sending",
                                                OutboxMessage.claimed_until == message.lease)
                    .values(status="pending", claimed_until=None, attempts=OutboxMessage.attempts - 1,
                            next_attempt_at=until, last_error=reason[:2000]))


def backoff(attempts: int, *, longest: int = BACKOFF_MAX_SECONDS) -> timedelta:
    # The exponent is bounded so a row tried thousands of times does not compute a huge integer.
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** min(max(attempts - 1, 0), 32), longest))


def record_sent(session: Session, message_id: int, *, provider_message_id: str | None = None, now: datetime | None = None,
                note: str | None = None) -> None:
    row = session.get(OutboxMessage, message_id, with_for_update=True)
    if row is None or row.status in FINAL_STATUSES:
        return
    row.status = "sent"
    row.sent_at = now or utcnow()
    row.claimed_until = None
    row.last_error = note[:2000] if note else None
    if provider_message_id:
        row.provider_message_id = provider_message_id


def record_failure(
    session: Session, message_id: int, error: str, *, final: bool, max_attempts: int, now: datetime | None = None,
    never_give_up: frozenset[str] = frozenset(), lease: datetime | None = None,
) -> str:
    """Retry later with back-off, or give up ("failed", shown to staff). Returns the new status.

    Messages whose purpose is in `never_give_up` (the duty team's alerts) are retried, at most
    URGENT_BACKOFF_MAX_SECONDS apart, for as long as it takes, whatever the server answered: a mail server
    over quota or a wrong setting fixed an hour later must still let the alert through."""
    row = session.get(OutboxMessage, message_id, with_for_update=True)
    if row is None or row.status in FINAL_STATUSES:
        return row.status if row else "missing"
    if lease is not None and row.status == "sending" and row.claimed_until != lease:
        return row.status   # another worker claimed it after this claim's lease ran out: its outcome, not ours
    now = now or utcnow()
    row.last_error = error[:2000]
    row.claimed_until = None
    if row.purpose in never_give_up:
        row.status = "pending"
        row.next_attempt_at = now + backoff(row.attempts, longest=URGENT_BACKOFF_MAX_SECONDS)
    elif final or row.attempts >= max_attempts:
        row.status = "failed"
    else:
        row.status = "pending"
        row.next_attempt_at = now + backoff(row.attempts)
    return row.status


def try_again_now(session: Session, message_id: int, *, now: datetime | None = None) -> OutboxMessage | None:
    """A member of staff asks for a message that is waiting (or was given up) to be tried at once: after
    the mail server was put right, an alert must not wait for its next try. A message being sent, sent or
    cancelled is left alone (None), so it is never sent twice."""
    row = session.get(OutboxMessage, message_id, with_for_update=True)
    if row is None or row.status not in ("pending", "failed"):
        return None
    row.status = "pending"
    row.next_attempt_at = now or utcnow()
    row.claimed_until = None
    return row


def view_detail(message_ids: list[int]) -> dict[str, Any]:
    """The audit detail of a page of the outbox: it shows people's numbers and email addresses beside what
    was sent to them, so the event names the messages shown (each row names its submission), not a count."""
    return {"count": len(message_ids), "message_ids": message_ids}


def record_provider_id(session: Session, message_id: int, provider_message_id: str) -> None:
    """Remember the provider's id as soon as it is known (used to reconcile after a crash)."""
    row = session.get(OutboxMessage, message_id)
    if row is not None:
        row.provider_message_id = provider_message_id
