"""Retention rules, applied by a periodic job (`apply_retention`).

Defaults (configurable):
* RETENTION_CONTACT_MONTHS=12: contact details are erased 12 months after the last contact with the
  person; so are the recipient, subject and body of finished outbox messages older than that, and the
  "other" communication need and the case reference of feedback received before then (and, through
  `AGED_ROWS`, the case reference on printed paper sheets and on ended SMS runs).
* RETENTION_FREE_TEXT_MONTHS=24: after 24 months a free-text answer is kept only in its redacted form
  (service.text.redact), for reporting; unredacted derived text registered with `delete_at_retention`
  (translations, for instance) is deleted. Structured answers and themes stay. Rows of other parts
  registered in `AGED_ROWS` (pages the paper scan could not read, handwriting nobody typed, tick boxes
  nobody decided: pictures of a person's writing, which cannot be redacted) are deleted outright at
  the same age, and words in `AGED_WORDS` (actions agreed at residents' meetings) are cut to their
  redacted form.

Like erasure, cutting a text to its redacted form is a sanctioned change of `FreeText.text`; each one is
recorded in text_reductions, so the job never does the same text twice (an entry of `AGED_WORDS`
records it in its own marker column instead).

`apply_retention` does one batch (at most `_batch_rows()` texts, action words, contacts and outbox messages) in
the caller's transaction and says whether more are due (`RetentionReport.more_to_do`); `apply_retention_in_batches`
runs batch after batch, each in a transaction of its own (so no lock, SQLite's write lock above all, is held for
a whole run), until none is left: a backlog of years (a first run on an older database, a board lowering
RETENTION_FREE_TEXT_MONTHS, a worker down for weeks) is done in one run, not a batch a day.
"""
from __future__ import annotations

import calendar
import logging
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, literal, null, or_, select, update
from sqlalchemy.orm import Session

from service.audit.log import PRIVACY_RETENTION, SYSTEM, Actor, record
from service.privacy.erasure import ERASURE_MARKER
from service.privacy.models import KIND_REDACTED, TextReduction
from service.privacy.person import ERASABLE_TABLES, ErasableTable, by_free_text, reflect_table
from service.storage.orm import Contact, FreeText, OutboxMessage, Submission
from service.storage.types import UTCDateTime

DEFAULT_CONTACT_MONTHS = 12
DEFAULT_FREE_TEXT_MONTHS = 24
BATCH = 500


def _batch_rows() -> int:
    """How many texts (and action words, contacts, outbox messages) one batch, one transaction, changes at
    most (read at each call: tests make BATCH small)."""
    return BATCH * 20


# A worker task of retention runs batches for about this long, then queues the rest as a task of its own: the
# worker handles one message at a time, and an alert to the duty team waiting behind a run of hours would wait
# hours (each claim puts alerts first, so it waits for one more batch at most).
TASK_SECONDS = 10.0

log = logging.getLogger("msp.privacy.retention")

# Which of the two limits an entry below follows.
CONTACT_LIMIT = "contact"
FREE_TEXT_LIMIT = "free_text"


@dataclass(frozen=True)
class AgedRows:
    """Rows of another part's table that retention reaches by their age alone, not through free_texts or
    contacts: a picture of a person's writing (which cannot be cut to a redacted form), a page that belongs
    to no submission, or a detail as identifying as the contact details it must not outlive. Tables or
    columns that do not exist (yet) are skipped."""

    table: str
    timestamp: str                    # the row's age; rows where it is NULL are left alone
    limit: str                        # CONTACT_LIMIT or FREE_TEXT_LIMIT
    only: tuple[tuple[str, tuple[Any, ...]], ...] = ()   # (column, values): only rows holding one of the values
    blank: tuple[str, ...] = ()       # columns set to NULL, the row kept; none: the rows are deleted


AGED_ROWS: list[AgedRows] = [
    # Pages the paper scan could not read that nobody dealt with.
    AgedRows("paper_unreadable", "created_at", FREE_TEXT_LIMIT),
    # Handwriting nobody typed: a picture of the words cannot be cut to a redacted form, so it goes (the
    # question stays unanswered). Typed crops keep no picture (channels/paper/queues.py).
    AgedRows("paper_text_crops", "created_at", FREE_TEXT_LIMIT, only=(("status", ("waiting",)),)),
    # Tick boxes nobody decided: the crop of the page and the scan file's name (the question stays unanswered).
    AgedRows("paper_reviews", "created_at", FREE_TEXT_LIMIT, only=(("status", ("open",)),)),
    # A council case reference names the adult in the council's records, so it goes with the contact
    # details: on a printed sheet (returned or not) and on an SMS run that has ended (an open one still needs it).
    AgedRows("paper_sheets", "created_at", CONTACT_LIMIT, blank=("case_ref",)),
    AgedRows("sms_conversations", "ended_at", CONTACT_LIMIT, blank=("case_reference",)),
    # Which number each text came from (a keyed hash): as long as the contact details, no longer.
    AgedRows("sms_inbound", "received_at", CONTACT_LIMIT, blank=("phone_hash",)),
]


@dataclass(frozen=True)
class AgedWords:
    """Free text in another part's own table (not in free_texts), cut to its redacted form at the free-text
    limit; `marker` (a nullable timestamp column) records when, so no text is cut twice."""

    table: str
    text: str
    timestamp: str
    marker: str


AGED_WORDS: list[AgedWords] = [
    # What was agreed at a residents' meeting, in the minute-taker's words ("Manager to look into Mr B saying
    # the night carer hits him"). An open action cut this way still shows, redacted, at the next meeting.
    AgedWords("meeting_actions", "what", "created_at", "redacted_at"),
]


@dataclass(frozen=True)
class RetentionRules:
    contact_months: int = DEFAULT_CONTACT_MONTHS
    free_text_months: int = DEFAULT_FREE_TEXT_MONTHS

    @classmethod
    def from_settings(cls, settings_like: Any = None, environ: dict[str, str] | None = None) -> "RetentionRules":
        """Settings fields `retention_contact_months` / `retention_free_text_months` when the lead adds
        them; until then the RETENTION_CONTACT_MONTHS / RETENTION_FREE_TEXT_MONTHS environment variables."""
        environ = os.environ if environ is None else environ
        return cls(
            contact_months=_months(settings_like, "retention_contact_months", environ, "RETENTION_CONTACT_MONTHS", DEFAULT_CONTACT_MONTHS),
            free_text_months=_months(settings_like, "retention_free_text_months", environ, "RETENTION_FREE_TEXT_MONTHS", DEFAULT_FREE_TEXT_MONTHS),
        )


def _months(settings_like: Any, attribute: str, environ, variable: str, default: int) -> int:
    value = getattr(settings_like, attribute, None)
    if value is None:
        value = environ.get(variable) or default
    try:
        months = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{variable}: must be a whole number of months") from None
    if not 1 <= months <= 1200:
        raise ValueError(f"{variable}: must be between 1 and 1200 months")
    return months


def months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass
class RetentionReport:
    contacts_erased: int = 0
    outbox_blanked: int = 0
    texts_redacted: int = 0
    other_needs_erased: int = 0
    case_references_erased: int = 0
    fingerprints_cleared: int = 0
    derived_rows_changed: dict[str, int] = field(default_factory=dict)
    # A batch was full: rows past the limits may be left (another batch, in a transaction of its own, does them).
    more_to_do: bool = False
    batches: int = 1

    @property
    def changed(self) -> bool:
        return bool(self.contacts_erased or self.outbox_blanked or self.texts_redacted or self.other_needs_erased
                    or self.case_references_erased or self.fingerprints_cleared or self.derived_rows_changed)

    def count(self, table: str, rows: int | None) -> None:
        if rows:
            self.derived_rows_changed[table] = self.derived_rows_changed.get(table, 0) + rows

    def add(self, batch: "RetentionReport") -> None:
        """Add a later batch's counts to these totals; more_to_do is the later batch's."""
        self.contacts_erased += batch.contacts_erased
        self.outbox_blanked += batch.outbox_blanked
        self.texts_redacted += batch.texts_redacted
        self.other_needs_erased += batch.other_needs_erased
        self.case_references_erased += batch.case_references_erased
        self.fingerprints_cleared += batch.fingerprints_cleared
        for table, rows in batch.derived_rows_changed.items():
            self.count(table, rows)
        self.more_to_do = batch.more_to_do
        self.batches += batch.batches

    def summary(self) -> str:
        return (f"contacts erased: {self.contacts_erased}; outbox messages blanked: {self.outbox_blanked}; "
                f"texts cut to their redacted form: {self.texts_redacted}; other rows changed: "
                f"{sum(self.derived_rows_changed.values())}")


# A text's current reading, as retention uses it: (redacted, redacted translation, translation, language).
Reading = tuple[str | None, str | None, str | None, str | None]


def _redacted_form(text: str, reading: Reading | None) -> str:
    """The form a text is cut to, with today's rules: the text redacted, less whatever the pipeline's stored
    reading (maybe by an older version of the rules) cut too (service.text.redact.redacted_again); words in a
    script or a language (the reading's) the redaction cannot read, as their redacted translation or a marker
    (shareable)."""
    try:
        from service.text.redact import redacted_again, shareable
    except ImportError:  # no redactor: keep nothing rather than keep the words unredacted
        return ERASURE_MARKER
    redacted, redacted_translation, translation, language = reading or (None, None, None, None)
    if translation:
        redacted_translation = redacted_again(translation, redacted_translation or translation)
    if redacted:
        return redacted_again(text, redacted, redacted_translation, language)
    return shareable(text, redacted_translation, language)


def _pipeline_readings(session: Session, free_text_ids: list[int]) -> dict[int, Reading]:
    """The text pipeline's current reading of each text (see Reading), where text_annotations has one."""
    if not free_text_ids:
        return {}
    table = _reflect(session, "text_annotations", "free_text_id")
    if table is None or "redacted" not in table.c:
        return {}
    translation = table.c.translation if "translation" in table.c else null()
    redacted_translation = table.c.redacted_translation if "redacted_translation" in table.c else null()
    language = table.c.language if "language" in table.c else null()
    query = select(table.c.free_text_id, table.c.redacted, redacted_translation.label("redacted_translation"),
                   translation.label("translation"), language.label("language")).where(table.c.free_text_id.in_(free_text_ids))
    if "current" in table.c:
        query = query.where(table.c.current.is_(True))
    return {row.free_text_id: (row.redacted, row.redacted_translation, row.translation, row.language)
            for row in session.execute(query)}


def apply_retention(session: Session, settings_like: Any = None, now: datetime | None = None, *,
                    actor: Actor = SYSTEM) -> RetentionReport:
    """Apply the retention rules to one batch, in the caller's transaction (commit afterwards). Idempotent.
    `more_to_do` in the report: a batch was full, run it again (in a new transaction:
    `apply_retention_in_batches`)."""
    from service.storage.types import utcnow

    now = now or utcnow()
    rules = RetentionRules.from_settings(settings_like)
    report = RetentionReport()

    # The texts first, locked in id order, as erasure and the text check lock them: one order for all three,
    # so none deadlocks with another (PostgreSQL), and a reading stored meanwhile is either in before the
    # cut (and cut with it) or sees the cut and is not written.
    text_cutoff = months_before(now, rules.free_text_months)
    reduced = select(TextReduction.free_text_id)
    texts = list(session.scalars(select(FreeText).where(FreeText.created_at < text_cutoff, FreeText.id.not_in(reduced))
                                 .order_by(FreeText.id).limit(_batch_rows()).with_for_update()))
    report.more_to_do = len(texts) == _batch_rows()
    if texts:   # erased while this waited for the lock: that erasure has cut them already
        cut_meanwhile = set(session.scalars(select(TextReduction.free_text_id).where(
            TextReduction.free_text_id.in_([t.id for t in texts]))))
        texts = [t for t in texts if t.id not in cut_meanwhile]

    contact_cutoff = months_before(now, rules.contact_months)
    contacts = list(session.scalars(select(Contact).where(Contact.erased_at.is_(None), Contact.last_contact_at < contact_cutoff)
                                    .order_by(Contact.id).limit(_batch_rows())))
    report.more_to_do |= len(contacts) == _batch_rows()
    for contact in contacts:
        contact.blank_details()
        contact.erased_at = now
        report.contacts_erased += 1
    # "Other" communication needs are the person's own words about how to reach them: they serve contact
    # and go with it (the ticked needs stay, for reporting).
    report.other_needs_erased = session.execute(
        update(Submission).where(Submission.received_at < contact_cutoff, Submission.communication_needs_other.is_not(None))
        .values(communication_needs_other=None)).rowcount or 0
    # A council case reference identifies the adult as directly as their contact details (erasure treats it so).
    report.case_references_erased = session.execute(
        update(Submission).where(Submission.received_at < contact_cutoff, Submission.case_reference.is_not(None))
        .values(case_reference=None)).rowcount or 0
    messages = list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.created_at < contact_cutoff, OutboxMessage.status.in_(("sent", "failed", "cancelled")),
        OutboxMessage.recipient.is_not(None) | (OutboxMessage.body != "")).order_by(OutboxMessage.id).limit(_batch_rows())))
    report.more_to_do |= len(messages) == _batch_rows()
    # A submission's request fingerprint is a plain hash of what was sent (the words, and through the API the
    # contact details too), kept only to answer a resend of the same request within hours: once the words are
    # cut or the details erased, a guess of them (a name in a "[NAME]" gap) could be tested against it. So it
    # goes at the sooner of the two limits, as erasure clears it.
    report.fingerprints_cleared = session.execute(
        update(Submission).where(Submission.received_at < max(contact_cutoff, text_cutoff), Submission.request_fingerprint.is_not(None))
        .values(request_fingerprint=None)).rowcount or 0
    for message in messages:
        message.recipient = None
        message.subject = None
        message.body = ""
        report.outbox_blanked += 1

    readings = _pipeline_readings(session, [t.id for t in texts])
    for text in texts:
        text.text = _redacted_form(text.text, readings.get(text.id))  # sanctioned change: see the module docstring
        session.add(TextReduction(free_text_id=text.id, kind=KIND_REDACTED, at=now))
        report.texts_redacted += 1
    ids = [t.id for t in texts]
    if ids:
        for entry in ERASABLE_TABLES:
            if entry.retention is None or entry.values.__name__ != "by_free_text":
                continue
            table = reflect_table(session, entry)
            if table is None:
                continue
            condition = table.c[entry.column].in_(ids)
            if entry.retention == "delete":
                result = session.execute(delete(table).where(condition))
            else:
                values = {name: value for name, value in entry.retention_values if name in table.c}
                result = session.execute(update(table).where(condition).values(**values)) if values else None
            if result is not None:
                report.count(entry.table, result.rowcount)

    cutoffs = {CONTACT_LIMIT: contact_cutoff, FREE_TEXT_LIMIT: text_cutoff}
    for aged in AGED_ROWS:
        report.count(aged.table, _apply_aged_rows(session, aged, cutoffs[aged.limit]))
    for words in AGED_WORDS:
        cut, full = _cut_aged_words(session, words, text_cutoff, now)
        report.count(words.table, cut)
        report.more_to_do |= full

    if report.changed:
        record(session, actor=actor, action=PRIVACY_RETENTION, target_type="retention",
               detail={**asdict(report), "contact_months": rules.contact_months, "free_text_months": rules.free_text_months})
    from service.auth.sessions import purge_expired

    purge_expired(session, now)
    session.flush()
    return report


def _reflect(session: Session, table_name: str, column: str, *other_columns: str):
    """The table as it is in the database, or None when it (or one of the columns) does not exist."""
    table = reflect_table(session, ErasableTable(table_name, column, by_free_text))
    if table is None or any(name not in table.c for name in other_columns):
        return None
    return table


def _utc(moment: datetime):
    """A time as the service stores it (UTC), for columns of a reflected table, which know no UTCDateTime."""
    return literal(moment, UTCDateTime())


def _apply_aged_rows(session: Session, aged: AgedRows, cutoff: datetime) -> int:
    """Delete (or blank) the rows of `aged` older than `cutoff`; returns how many changed."""
    table = _reflect(session, aged.table, aged.timestamp, *(column for column, _ in aged.only), *aged.blank)
    if table is None:
        return 0
    condition = and_(table.c[aged.timestamp] < _utc(cutoff), *(table.c[column].in_(values) for column, values in aged.only))
    if not aged.blank:
        return session.execute(delete(table).where(condition)).rowcount or 0
    not_blank = or_(*(table.c[column].is_not(None) for column in aged.blank))
    return session.execute(update(table).where(condition, not_blank).values({column: None for column in aged.blank})).rowcount or 0


def _cut_aged_words(session: Session, words: AgedWords, cutoff: datetime, now: datetime) -> tuple[int, bool]:
    """Cut the texts of `words` older than `cutoff` to their redacted form, once each, a batch at most; returns
    how many, and whether the batch was full (more may be due)."""
    table = _reflect(session, words.table, words.text, words.timestamp, words.marker)
    if table is None:
        return 0, False
    key = table.primary_key.columns.values()[0]
    rows = session.execute(select(key, table.c[words.text]).where(
        table.c[words.timestamp] < _utc(cutoff), table.c[words.marker].is_(None)).order_by(key).limit(_batch_rows())).all()
    cut = 0
    for row_id, text in rows:
        # The marker in the WHERE: a run going on at the same time has cut it already (and marked it).
        cut += session.execute(update(table).where(key == row_id, table.c[words.marker].is_(None)).values(
            {words.text: _redacted_form(text or "", None), words.marker: _utc(now)})).rowcount or 0
    return cut, len(rows) == _batch_rows()


def apply_retention_in_batches(session_factory, settings_like: Any = None, now: datetime | None = None, *,
                               actor: Actor = SYSTEM, out_of_time: Callable[[], bool] = lambda: False,
                               on_batch: Callable[[RetentionReport, RetentionReport], None] | None = None) -> RetentionReport:
    """Apply the retention rules batch after batch, each in a transaction of its own, until none is left
    (or `out_of_time()` says to stop after a batch: then the totals say `more_to_do`). `on_batch(batch, totals)`
    is told of each batch as it is committed. Returns the totals (`batches`: how many were run)."""
    from service.storage.types import utcnow

    now = now or utcnow()   # one time for every batch: one cutoff for the whole run
    totals = RetentionReport(batches=0)
    while True:
        with session_factory.begin() as session:
            batch = apply_retention(session, settings_like, now, actor=actor)
        totals.add(batch)
        if on_batch is not None:
            on_batch(batch, totals)
        if batch.more_to_do and not batch.changed:
            # Should not happen (every row of a full batch is marked done in it, or was by a run at the same
            # time): never loop, nor queue tasks, for ever on it; tomorrow's run tries again.
            log.warning("a full retention batch changed nothing; stopping this run")
            totals.more_to_do = False
            return totals
        if not batch.more_to_do or out_of_time():
            return totals


def retention_task(session_factory, settings_like: Any = None, *, seconds: float | None = None):
    """A worker task function (outbox purpose "apply_retention"), or call from a scheduler. Given the task's
    outbox message, it runs batches for about `seconds` (default TASK_SECONDS, which says why) and queues the
    rest as a task of its own; called without one (a scheduler), it runs until none is left."""
    def run(message=None) -> None:
        budget = TASK_SECONDS if seconds is None else seconds
        deadline = time.monotonic() + budget
        out_of_time = (lambda: time.monotonic() >= deadline) if message is not None else (lambda: False)
        report = apply_retention_in_batches(session_factory, settings_like, out_of_time=out_of_time)
        if report.more_to_do:
            _queue_the_rest(session_factory, after=message.id)
        log.info("retention applied: %s (%d batch(es))%s", report.summary(), report.batches,
                 "; the rest is queued as a task of its own" if report.more_to_do else "")
    return run


RETENTION_TASK = "apply_retention"


def _queue_the_rest(session_factory, *, after: int) -> None:
    """Queue a retention task to go on where the task `after` (an outbox message id) stopped; once only, also
    when that task is handled again."""
    from sqlalchemy.exc import IntegrityError

    from service.outbox.outbox import enqueue

    try:
        with session_factory.begin() as session:
            enqueue(session, channel="task", purpose=RETENTION_TASK, dedupe_key=f"{RETENTION_TASK}:after:{after}")
    except IntegrityError:   # queued already (this task was handled before, and died after queuing it)
        pass


def enqueue_daily_retention(session: Session, now: datetime | None = None) -> bool:
    """Queue today's retention run as a worker task, once per day (the outbox's dedupe key decides).

    Call it from the worker loop (or any scheduler) as often as you like; returns True when it queued one.
    """
    from sqlalchemy.exc import IntegrityError

    from service.outbox.outbox import enqueue
    from service.storage.types import utcnow

    now = now or utcnow()
    key = f"{RETENTION_TASK}:{now.date().isoformat()}"
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)) is not None:
        return False
    try:
        with session.begin_nested():
            enqueue(session, channel="task", purpose=RETENTION_TASK, dedupe_key=key)
    except IntegrityError:  # another worker queued it first
        return False
    return True
