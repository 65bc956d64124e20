"""Finding everything held about one person, by phone number, email address or submission reference.

Other parts keep rows about a person in their own tables (text annotations, SMS conversations, ...).
They tell privacy work about them through `ERASABLE_TABLES` below, so erasure and subject-access export
reach every table without this module knowing each one. A registered table that does not exist (yet)
is skipped.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Iterator, Sequence

from sqlalchemy import MetaData, Table, and_, func, inspect, or_, select, text
from sqlalchemy.orm import Session

from service.privacy.contact_match import normalise_email, normalise_phone
from service.signing import keys_of
from service.storage.orm import Contact, Submission

_REFERENCE = re.compile(r"^[A-Z0-9\-]{4,16}$")


class PersonQueryError(ValueError):
    """``field``: the one to fix (phone, email or reference); None when none or several were given (a form
    points at its first box, the API at the request body)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def phone_variants(e164: str) -> set[str]:
    """Ways the same number may have been stored by other parts (E.164, national, national with a space)."""
    variants = {e164}
    if e164.startswith("+44"):
        national = "0" + e164[3:]
        variants |= {national, e164[1:], f"{national[:5]} {national[5:]}"}
    return variants


@dataclass(frozen=True)
class PersonQuery:
    phone: str | None = None
    email: str | None = None
    reference: str | None = None

    @classmethod
    def parse(cls, phone: str | None = None, email: str | None = None, reference: str | None = None) -> "PersonQuery":
        given = [v for v in (phone, email, reference) if v]
        if len(given) != 1:
            raise PersonQueryError("Give exactly one of: phone, email, reference.")
        if phone:
            normalised = normalise_phone(phone)
            if normalised is None:
                raise PersonQueryError("That is not a phone number, e.g. 07700 900123.", field="phone")
            return cls(phone=normalised)
        if email:
            normalised = normalise_email(email)
            if normalised is None:
                raise PersonQueryError("That is not an email address, e.g. name@example.org.", field="email")
            return cls(email=normalised)
        reference = reference.strip().upper()
        if not _REFERENCE.match(reference):
            raise PersonQueryError("That is not a submission reference, e.g. MSP-7KQ2-9HX4.", field="reference")
        return cls(reference=reference)

    @property
    def kind(self) -> str:
        return "phone" if self.phone else "email" if self.email else "reference"

    @property
    def value(self) -> str:
        return self.phone or self.email or self.reference or ""


@dataclass
class PersonScope:
    """Everything found for one query: the rows of the core tables, and key values for registered tables."""

    query: PersonQuery
    secret_keys: tuple[str, ...]   # SECRET_KEY, then SECRET_KEY_PREVIOUS: rows keyed before a rotation count too
    contacts: list[Contact] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)

    @property
    def contact_ids(self) -> list[int]:
        return [c.id for c in self.contacts]

    @property
    def submission_ids(self) -> list[str]:
        return [s.id for s in self.submissions]

    @property
    def free_text_ids(self) -> list[int]:
        return [t.id for s in self.submissions for t in s.texts]

    # Every phone number and email the person is known by: the query's, and their contact rows', taken when
    # they are found (`take_identifiers`), because erasure blanks those rows before it looks for the rest.
    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)

    def take_identifiers(self) -> None:
        # A request by e-mail follows no phone number: a number typed beside an address is not proof of who
        # holds the phone, and following it handed another person's SMS feedback (a disclosure of harm among
        # it) to whoever typed her number with his own e-mail, or erased it. Staff see the numbers on the
        # person's contact rows and can make a request by phone once the person has shown the phone is theirs.
        # Nor does a request by reference (one piece of feedback): the number on its contact row led to every
        # text ever sent to that number, another person's closing text and reference among them. The texts of
        # the feedback's own SMS run are found by the run (sms_runs_of). Only a request by phone goes by phone.
        self.phones, self.emails = set(), set()
        if self.query.phone:
            numbers = {self.query.phone} | {normalise_phone(c.phone) for c in self.contacts if c.phone}
            self.phones = {v for p in numbers if p for v in phone_variants(p)} | {c.phone for c in self.contacts if c.phone}
        if self.query.email:   # likewise: only a request by e-mail goes by e-mail
            emails = {self.query.email} | {normalise_email(c.email) for c in self.contacts if c.email} | {c.email for c in self.contacts if c.email}
            self.emails = {e for e in emails if e}

    def phone_hashes(self) -> set[str]:
        """HMAC-SHA256 under SECRET_KEY (and each previous key) of each E.164 number, as the SMS
        channel keys its tables (channels/sms/phone.py `phone_hash`; a test checks the two agree)."""
        numbers = {normalise_phone(p) for p in self.phones}   # as the SMS channel has them: E.164 only
        return {hmac.new(key.encode("utf-8"), b"sms-phone:" + p.encode("utf-8"), hashlib.sha256).hexdigest()
                for key in self.secret_keys for p in numbers if p and p.startswith("+")}


def lock_numbers(session: Session, hashes: Collection[str]) -> None:
    """Hold the numbers (keyed hashes) until the transaction ends. On PostgreSQL a text being taken in
    (channels/sms/flows.py) and a request by phone would otherwise overlap: the request read the person's
    feedback while the webhook was storing a reply, then finished, leaving that reply, with the number, after
    an erasure that said it was done. A transaction-scoped advisory lock per number makes the later one wait
    and then see the first; taken in sorted order, so two holders of several never deadlock. SQLite has one
    writer at a time already."""
    if session.get_bind().dialect.name == "postgresql":
        for hashed in sorted(set(hashes)):
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": int(hashed[:15], 16)})


def find_person(session: Session, query: PersonQuery, secret_key: str, previous_keys: Sequence[str] = ()) -> PersonScope:
    """Everything kept about the person ``query`` names; SMS rows are looked up under ``secret_key``
    and every key in ``previous_keys`` (SECRET_KEY_PREVIOUS). A request by phone first holds the number
    (lock_numbers) until the caller's transaction ends."""
    keys = keys_of(secret_key) + (keys_of(previous_keys) if previous_keys else ())
    if query.phone:
        numbers = PersonScope(query=query, secret_keys=keys)
        numbers.take_identifiers()
        lock_numbers(session, numbers.phone_hashes())
    scope = PersonScope(query=query, secret_keys=keys)
    if query.reference:
        submission = session.scalar(select(Submission).where(Submission.reference == query.reference))
        if submission is not None:
            scope.submissions = [submission, *_sent_in_ahead(session, submission)]
            scope.contacts = [s.contact for s in scope.submissions if s.contact is not None]
        scope.take_identifiers()
        return scope
    ids = _contacts_matching(session, query)
    if ids:
        scope.contacts = list(session.scalars(select(Contact).where(Contact.id.in_(ids)).order_by(Contact.id)))
    scope.take_identifiers()
    found = set(session.scalars(select(Submission.id).where(Submission.contact_id.in_(ids)))) if ids else set()
    found |= _submissions_linked_by_other_parts(session, scope)
    found |= _replies_of_the_numbers_runs(session, scope)
    if found:
        scope.submissions = list(session.scalars(
            select(Submission).where(Submission.id.in_(found)).order_by(Submission.received_at, Submission.id)))
    return scope


# An SMS questionnaire's feedback has the idempotency key "sms-conversation:<run id>"; a reply of the run that
# the disclosure check flagged went in at once as feedback of its own, keyed "sms-conversation:<run id>:
# reply:<MessageSid>" (channels/sms/flows.py). Only this prefix: keys that API clients choose are not read so.
SMS_RUN_KEY = "sms-conversation:"
REPLY_MARK = ":reply:"
RUN_ID_LENGTH = 36   # a run id is a UUID (service/domain/ids.py uuid7)


def sms_run_key(run_id: str) -> str:
    """The idempotency key of an SMS questionnaire's record."""
    return f"{SMS_RUN_KEY}{run_id}"


def sms_reply_key(run_id: str, message_sid: str) -> str:
    """The idempotency key of one reply of the run kept as feedback of its own."""
    return f"{sms_run_key(run_id)}{REPLY_MARK}{message_sid}"


def sms_reply_sid(idempotency_key: str | None) -> str | None:
    """The MessageSid of the text a reply sent in ahead of its questionnaire came in (Twilio keeps a copy)."""
    key = idempotency_key or ""
    if not key.startswith(SMS_RUN_KEY) or REPLY_MARK not in key:
        return None
    return key.rsplit(REPLY_MARK, 1)[1] or None


@dataclass(frozen=True)
class SmsRunLinks:
    """How one piece of SMS feedback stands to its questionnaire: the replies kept as feedback of their own
    (for the questionnaire's record), or the record (for such a reply; None while the questionnaire goes on)."""

    is_reply: bool
    record: Submission | None
    replies: list[Submission]


def sms_run_links(session: Session, submission: Submission) -> SmsRunLinks | None:
    """None for feedback that is neither an SMS questionnaire's record nor one of its replies kept alone."""
    key = submission.idempotency_key or ""
    if not key.startswith(SMS_RUN_KEY):
        return None
    if sms_reply_sid(key):
        record = session.scalar(select(Submission).where(Submission.idempotency_key == key.rsplit(REPLY_MARK, 1)[0]))
        return SmsRunLinks(True, record, [])
    replies = _sent_in_ahead(session, submission)
    return SmsRunLinks(False, None, replies) if replies else None


def _keys_starting(session: Session, prefix: str):
    """Idempotency keys that start with `prefix` (which ends in ":"), as a range of keys in byte order, read by
    an index. On PostgreSQL text compares by the database's locale, where under en_GB ";" sorts before ":"
    (the range was empty): the comparison is in byte order, COLLATE "C", which an index serves (migration
    0018). SQLite compares bytes. A LIKE would use neither index."""
    assert prefix.endswith(":")
    key = Submission.idempotency_key
    if session.get_bind().dialect.name == "postgresql":
        key = key.collate("C")
    return and_(key >= prefix, key < prefix[:-1] + ";")    # ";" follows ":" in byte order


def _sent_in_ahead(session: Session, submission: Submission) -> list[Submission]:
    """Parts of one SMS questionnaire sent in before it ended: the person knows the reference of the whole
    (their closing text gives it), so a request by it reaches the words of those parts too."""
    key = submission.idempotency_key or ""
    if not key.startswith(SMS_RUN_KEY) or key.count(":") != 1:
        return []
    return list(session.scalars(select(Submission).where(_keys_starting(session, key + REPLY_MARK))
                                .order_by(Submission.received_at, Submission.id)))


def _replies_of_the_numbers_runs(session: Session, scope: PersonScope) -> set[str]:
    """Replies of the number's SMS runs kept as feedback of their own: after 12 months retention has blanked
    their contact rows, and a run may have no record (stopped with no other answer), so they are found by
    the run, which keeps a keyed hash of the number. One statement however many runs the number has: the
    replies' keys are read by an index (keys from "sms-conversation:" up to "sms-conversation;", in byte
    order), and the run id inside each is matched against the number's runs."""
    hashes = list(by_phone_hash(scope))
    table = reflect_table(session, ErasableTable("sms_conversations", "phone_hash", by_phone_hash)) if hashes else None
    if table is None or "id" not in table.c:
        return set()
    key = Submission.idempotency_key
    run_id = func.substr(key, len(SMS_RUN_KEY) + 1, RUN_ID_LENGTH)
    return set(session.scalars(select(Submission.id).where(
        _keys_starting(session, SMS_RUN_KEY),
        func.substr(key, len(SMS_RUN_KEY) + RUN_ID_LENGTH + 1, len(REPLY_MARK)) == REPLY_MARK,
        run_id.in_(select(table.c.id).where(table.c.phone_hash.in_(hashes))))))


def _contacts_matching(session: Session, query: PersonQuery) -> list[int]:
    """Ids of the contact rows with the query's phone number or email address, however it was written: by
    their normalised value (service/privacy/contact_match.py), in one indexed query, which also returns any
    row whose value was never normalised, compared here (one statement: on PostgreSQL two would each see
    the table at another moment)."""
    match_column, value_column, normalise = ((Contact.phone_match, Contact.phone, normalise_phone) if query.phone
                                             else (Contact.email_match, Contact.email, normalise_email))
    rows = session.execute(select(Contact.id, value_column, match_column).where(or_(
        match_column == query.value, and_(match_column.is_(None), value_column.is_not(None)))))
    return sorted(row_id for row_id, value, match in rows if match == query.value or normalise(value) == query.value)


def _submissions_linked_by_other_parts(session: Session, scope: PersonScope) -> set[str]:
    """Feedback that other parts tie to the person when its contact row cannot: an SMS run that expired
    was submitted without the number (the run keeps only a keyed hash of it), and after 12 months
    retention has blanked the contact row while the words are kept for 24."""
    found: set[str] = set()
    for entry in ERASABLE_TABLES:
        if entry.finds_submissions is None:
            continue
        values = list(entry.values(scope))
        table = reflect_table(session, entry) if values else None
        if table is None or entry.finds_submissions not in table.c:
            continue
        column = table.c[entry.finds_submissions]
        found |= set(session.scalars(select(column).where(table.c[entry.column].in_(values), column.is_not(None))))
    return found


# --- registered tables ----------------------------------------------------------------------------

def by_free_text(scope: PersonScope) -> Collection[Any]:
    return scope.free_text_ids


def by_submission(scope: PersonScope) -> Collection[Any]:
    return scope.submission_ids


def by_phone(scope: PersonScope) -> Collection[Any]:
    return scope.phones


def by_email(scope: PersonScope) -> Collection[Any]:
    return scope.emails


def by_phone_hash(scope: PersonScope) -> Collection[Any]:
    """SMS runs of the person's number, for a request by phone only (not by e-mail: see
    PersonScope.take_identifiers). Not for a query by reference (one piece of feedback): the run that
    made it goes by its submission id, and the number's other runs may be the only link from other
    feedback to the person (an expired run was submitted without the number)."""
    return scope.phone_hashes() if scope.query.phone else ()


@dataclass(frozen=True)
class ErasableTable:
    """A table holding a person's words or details. `column` is matched against `values(scope)`.

    action "delete" removes the rows (derived text: translations, redactions, themes); "blank" sets the
    `blank_columns` to NULL (or "" where NULL is not allowed) and keeps the row (e.g. counts).
    """

    table: str
    column: str
    values: Callable[[PersonScope], Collection[Any]]
    action: str = "delete"
    blank_columns: tuple[str, ...] = ()
    # Retention (only for tables keyed by free text): what happens to the rows of a text that is cut to
    # its redacted form. None keeps them (theme labels that reporting counts); "delete" removes them;
    # "blank" sets `retention_values` (e.g. an unredacted translation to NULL).
    retention: str | None = None
    retention_values: tuple[tuple[str, Any], ...] = ()
    # A column naming the submission a matching row belongs to: the person's feedback is found through it
    # as well as through their contact details (see `_submissions_linked_by_other_parts`).
    finds_submissions: str | None = None
    # Rows found through another table: (that table, its column matched against `values(scope)`, its column
    # holding this table's `column`). A scanned page is kept by the sheet it came on, and the sheet names the
    # person's feedback: ("paper_sheets", "submission_id", "sheet_id").
    through: tuple[str, str, str] | None = None


# Derived text and per-person tables of other parts. The lead (or the part's engineer) adds entries
# here when a table lands; tables or columns that do not exist are skipped.
ERASABLE_TABLES: list[ErasableTable] = [
    # The text pipeline's readings: translation, redaction, themes, disclosure evidence (quotes).
    ErasableTable("text_annotations", "free_text_id", by_free_text, retention="blank",
                  retention_values=(("translation", None), ("disclosure_evidence", []))),
    # SMS runs: keyed by a hash of the number; `state` holds answers and words of a run in progress.
    ErasableTable("sms_conversations", "phone_hash", by_phone_hash, finds_submissions="submission_id"),
    ErasableTable("sms_conversations", "submission_id", by_submission),
    # Paper returns: handwriting crops waiting to be typed, and boxes waiting for a person to decide.
    ErasableTable("paper_text_crops", "submission_id", by_submission),
    ErasableTable("paper_reviews", "submission_id", by_submission),
    # And the image of a page of their sheet that could not be read (torn, a photocopy of it with other answers).
    ErasableTable("paper_unreadable", "sheet_id", by_submission, through=("paper_sheets", "submission_id", "sheet_id")),
    # The printed sheet the feedback came back on keeps the council's case reference it was printed with.
    ErasableTable("paper_sheets", "submission_id", by_submission, action="blank", blank_columns=("case_ref",)),
    # Each text received keeps its SID (a retried webhook must change nothing) and which number it came from.
    ErasableTable("sms_inbound", "phone_hash", by_phone_hash, action="blank", blank_columns=("phone_hash",)),
    # Deliberately not here: sms_opt_outs. A STOP must still be honoured after an erasure (it holds only
    # a keyed hash of the number), or the person could be texted again. It is in EXPORTED_ONLY below.
]
# Data held about the person that erasure must leave (see above), but that the subject-access export shows.
EXPORTED_ONLY: list[ErasableTable] = [
    ErasableTable("sms_opt_outs", "phone_hash", by_phone_hash),
]
# The name the brief for this part used; the same list.
ERASABLE_TEXT_TABLES = ERASABLE_TABLES


def reflect_table(session: Session, entry: ErasableTable) -> Table | None:
    connection = session.connection()
    inspector = inspect(connection)
    if not inspector.has_table(entry.table):
        return None
    table = Table(entry.table, MetaData(), autoload_with=connection)
    if entry.column not in table.c:
        return None
    return table


def person_tables(session: Session, scope: "PersonScope",
                  entries: Sequence[ErasableTable] | None = None) -> Iterator[tuple[ErasableTable, Table, Any]]:
    """Each registered table (of `entries`, ERASABLE_TABLES by default) that exists and holds rows of this
    person: (entry, table, where-clause)."""
    for entry in ERASABLE_TABLES if entries is None else entries:
        values = list(entry.values(scope))
        if not values:
            continue
        table = reflect_table(session, entry)
        if table is None:
            continue
        if entry.through is None:
            yield entry, table, table.c[entry.column].in_(values)
            continue
        link_name, match, key = entry.through
        link = reflect_table(session, ErasableTable(link_name, match, entry.values))
        if link is None or key not in link.c:
            continue
        yield entry, table, table.c[entry.column].in_(select(link.c[key]).where(link.c[match].in_(values)))


def sms_runs_of(session: Session, values: Collection[str], column: str = "submission_id") -> set[str]:
    """The ids of the SMS runs whose `column` (submission_id or phone_hash) is one of `values`."""
    entry = ErasableTable("sms_conversations", column, by_submission)
    table = reflect_table(session, entry) if values else None
    if table is None or "id" not in table.c:
        return set()
    return set(session.scalars(select(table.c.id).where(table.c[column].in_(list(values)))))
