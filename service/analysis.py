"""Running the text pipeline on stored feedback: annotations, the translation queue, urgent alerts.

The pipeline (service.text) is pure; this module is where its results meet the database. It runs in
the worker as the outbox task `analyse_text`, queued by intake in the same transaction as the
submission, so no free text is ever missed, and a failure is retried and in the end shown to staff.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import and_, case, exists, func, or_, select, union, update
from sqlalchemy.orm import Session, sessionmaker

from service.config import Settings
from service.intake import ANALYSE_TEXT
from service.outbox.outbox import DUTY_ALERT, ClaimedMessage, enqueue, reread_dedupe_key, reread_dedupe_keys
from service.privacy.models import TextReduction
from service.storage.orm import FreeText, OutboxMessage, Submission, TextAnnotation
from service.storage.types import utcnow
from service.text.pipeline import (TRANSLATION_MACHINE, TRANSLATION_NOT_NEEDED, TRANSLATION_QUEUED, Analysis,
                                   TextPipeline, check_for_harm_alone)
from service.text.translate import TranslationResult, translator_from_settings

log = logging.getLogger("msp.analysis")

TRANSLATION_HUMAN = "human"


class _GivenTranslation:
    """A translator that answers with a translation a person typed on the staff screen."""

    def __init__(self, text: str, source: str):
        self._text, self._source = text, source

    def translate(self, text: str, source_language: str) -> TranslationResult | None:
        return TranslationResult(text=self._text, source_language=source_language, engine=self._source)


@dataclass
class PipelineHolder:
    """Loads the pipeline once per process, on first use (so processes that never analyse don't pay)."""

    settings: Settings
    loader: Callable[[Settings], TextPipeline] | None = None
    _pipeline: TextPipeline | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)  # one per holder, not one shared by all

    def get(self) -> TextPipeline:
        with self._lock:
            if self._pipeline is None:
                load = self.loader or (lambda s: TextPipeline.load(s.theme_model_dir, translator_from_settings(s.libretranslate_url, s.libretranslate_api_key)))
                self._pipeline = load(self.settings)
            return self._pipeline


# A source longer than its column (a person's long name, a translator's long host) is cut, not refused: a
# refused reading would never be stored (PostgreSQL enforces the length; SQLite does not).
_SOURCE_CHARS = TextAnnotation.__table__.c.translation_source.type.length


def annotation_row(free_text_id: int, analysis: Analysis, *, translation_status: str | None = None, translation_source: str | None = None) -> TextAnnotation:
    source = translation_source or analysis.translation_engine
    return TextAnnotation(
        free_text_id=free_text_id, current=True, model_version=analysis.model_version, language=analysis.language,
        language_confidence=float(analysis.language_confidence), language_uncertain=bool(analysis.language_uncertain),
        translation=analysis.translation, translation_status=translation_status or analysis.translation_status,
        translation_source=source[:_SOURCE_CHARS] if source else None, redacted=analysis.redacted,
        redacted_translation=analysis.redacted_translation, themes=list(analysis.themes), sentiment=analysis.sentiment,
        disclosure=analysis.disclosure.flag, disclosure_category=analysis.disclosure.category,
        disclosure_evidence=list(analysis.disclosure.evidence), created_at=utcnow(),
    )


@dataclass(frozen=True)
class Stored:
    rows: list[TextAnnotation]      # the readings stored (erased texts' are not)
    alerted: bool                   # a duty-team alert was queued now (not one queued before)


def store_annotations(session: Session, submission_id: str, rows: list[TextAnnotation], settings: Settings,
                      read: dict[int, int | None] | None = None) -> Stored:
    """Store new current annotations (older ones kept, marked not current); raise the alarm on a disclosure.

    The duty-team alert is written in the same transaction as the annotation that caused it, at most
    once per submission. The texts' rows are locked first, so two readings of one text
    saved at once (two staff translating it, or the worker and a person) leave one current annotation; a
    text erased or cut by retention since it was read is not written again (nothing derived from erased
    words may come back); and a machine reading never replaces a person's translation made meanwhile.

    `read` (the worker's re-reading): free-text id -> the id of the text's current reading when the rows were
    read (None: it had none). A text whose current reading is now a person's translation other than that one
    is not written: a re-read with the translation it loaded would put that older translation back over a
    newer person's, who is never told (audit translq, finding 3).
    """
    ids = sorted({row.free_text_id for row in rows})
    if ids:
        session.execute(select(FreeText.id).where(FreeText.id.in_(ids)).order_by(FreeText.id).with_for_update())
    cut = set(session.scalars(select(TextReduction.free_text_id).where(TextReduction.free_text_id.in_(ids)))) if ids else set()
    human_now = dict(session.execute(select(TextAnnotation.free_text_id, TextAnnotation.id).where(
        TextAnnotation.free_text_id.in_(ids), TextAnnotation.current.is_(True),
        TextAnnotation.translation_status == TRANSLATION_HUMAN)).all()) if ids else {}
    stored = []
    for row in rows:
        human = human_now.get(row.free_text_id)
        if row.free_text_id in cut or (human is not None and (
                row.translation_status != TRANSLATION_HUMAN or (read is not None and read.get(row.free_text_id) != human))):
            continue
        session.execute(update(TextAnnotation).where(TextAnnotation.free_text_id == row.free_text_id, TextAnnotation.current.is_(True)).values(current=False))
        session.add(row)
        stored.append(row)
    disclosing = [row for row in stored if row.disclosure]
    alerted = bool(disclosing) and raise_duty_alert(
        session, submission_id, sorted({row.disclosure_category or "unspecified" for row in disclosing}), settings,
        detected_languages=sorted({row.language for row in disclosing}))
    return Stored(stored, alerted)


def raise_duty_alert(session: Session, submission_id: str, categories: list[str], settings: Settings,
                     detected_languages: list[str] = ()) -> bool:
    """Mark the submission urgent and put the duty team's alert in the outbox (once per submission).
    True when the alert was queued now, False when one was queued before."""
    session.execute(update(Submission).where(Submission.id == submission_id).values(urgent=True))
    submission = session.get(Submission, submission_id)
    dedupe_key = f"{DUTY_ALERT}:{submission_id}"
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)) is None:
        enqueue(
            session, channel="email", purpose=DUTY_ALERT, recipient=settings.duty_team_email,
            subject=f"URGENT: possible safeguarding disclosure in feedback {submission.reference}",
            body=duty_alert_body(submission, categories, settings, detected_languages),
            payload={"submission_id": submission_id, "categories": categories},
            dedupe_key=dedupe_key, submission_id=submission_id,
        )
        return True
    return False


def duty_alert_body(submission: Submission, categories: list[str], settings: Settings,
                    detected_languages: list[str] = ()) -> str:
    # The person's words are not put in the email: it names the feedback and links to the staff page,
    # where the words that raised the flag are shown to people allowed to see them (and the view is audited).
    # The language the words were read in is given when it is not the form's (Roman Urdu sent through the
    # English form): the duty worker may need an interpreter before phoning.
    other = [code for code in detected_languages if code not in (submission.language, "und")]
    words_in = f", words read as {', '.join(other)}" if other else ""
    return (
        f"Feedback {submission.reference} (received {submission.received_at:%d %b %Y %H:%M} UTC, channel {submission.channel}, "
        f"language {submission.language}{words_in}) may disclose current abuse, neglect or a risk of harm.\n"
        f"Possible category: {', '.join(categories)}.\n\n"
        f"Open it: {settings.public_base_url}/staff/submissions/{submission.id}\n\n"
        "This alert was raised automatically by the text check; please review it now."
    )


class AnalyseTextTask:
    """The outbox task `analyse_text`: analyse every free-text answer of one submission."""

    def __init__(self, session_factory: sessionmaker[Session], settings: Settings, pipelines: PipelineHolder | None = None):
        self._session_factory = session_factory
        self._settings = settings
        self._pipelines = pipelines or PipelineHolder(settings)

    def __call__(self, message: ClaimedMessage) -> None:
        submission_id = message.payload["submission_id"]
        only_question = message.payload.get("question_id")  # a text added later (e.g. typed from paper)
        query = (
            select(FreeText.id, FreeText.text, TextAnnotation.translation_status, TextAnnotation.translation, TextAnnotation.translation_source,
                   TextAnnotation.id)
            .outerjoin(TextAnnotation, (TextAnnotation.free_text_id == FreeText.id) & TextAnnotation.current.is_(True))
            .where(FreeText.submission_id == submission_id)
            # Words erased at the person's request or cut to their redacted form by retention are not read
            # again: their annotations stay as they were.
            .where(FreeText.id.not_in(select(TextReduction.free_text_id)))
            .order_by(FreeText.id)
        )
        if only_question:
            query = query.where(FreeText.question_id == only_question)
        with self._session_factory() as session:
            texts = list(session.execute(query))
            # "If you chose something else, tell us what you need" is free text too ("someone to come, my
            # carer hits me"): it is not a free-text answer with annotations, but it is checked for harm.
            needs_other = None if only_question else session.scalar(
                select(Submission.communication_needs_other).where(Submission.id == submission_id))
        # Analysis runs outside any transaction; only the results are written, in one short transaction.
        try:
            needs_harm = check_for_harm_alone(needs_other) if (needs_other or "").strip() else None
            # Only free texts need the pipeline (an "other need" alone does not wait on a theme model).
            pipeline = self._pipelines.get() if texts else None
            rows, read = [], {}
            for text_id, text, status, translation, source, annotation_id in texts:
                read[text_id] = annotation_id      # what this reading is based on (a person may replace it meanwhile)
                if status == TRANSLATION_HUMAN and translation:
                    # A person's translation is never thrown away by a re-run: read the text again with it.
                    rows.append(_read_with_translation(pipeline, text_id, text, translation, source or "human"))
                else:
                    rows.append(annotation_row(text_id, pipeline.analyse(text)))
            with self._session_factory.begin() as session:
                stored = store_annotations(session, submission_id, rows, self._settings, read)
                if needs_harm is not None and needs_harm.flag and _needs_other_still_there(session, submission_id):
                    stored = Stored(stored.rows, raise_duty_alert(session, submission_id, [needs_harm.category or "unspecified"],
                                                                  self._settings) or stored.alerted)
        except Exception:
            # The task is retried (and in the end shown to staff); meanwhile a disclosure must not wait
            # for a broken theme model, a bug in a later step, or a reading the database refuses to store.
            self._check_for_harm_alone(submission_id, texts, needs_other)
            raise
        log.info("text analysed", extra={"submission_id": submission_id, "count": len(stored.rows),
                                         "model_version": pipeline.model_version if pipeline else None})
        if stored.alerted:
            log.warning("possible disclosure: duty team alerted", extra={"submission_id": submission_id})

    def _check_for_harm_alone(self, submission_id: str, texts, needs_other: str | None = None) -> None:
        try:
            flagged = _harm_alone(texts)
            needs_harm = check_for_harm_alone(needs_other) if (needs_other or "").strip() else None
        except Exception as exc:  # noqa: BLE001 - the task's own error is the one to report
            log.error("the disclosure check alone failed too (%s)", type(exc).__name__, extra={"submission_id": submission_id})
            return
        if not flagged and not (needs_harm and needs_harm.flag):
            return
        with self._session_factory.begin() as session:
            session.execute(select(FreeText.id).where(FreeText.id.in_(flagged)).order_by(FreeText.id).with_for_update())
            erased = set(session.scalars(select(TextReduction.free_text_id).where(TextReduction.free_text_id.in_(flagged))))
            needs_flagged = bool(needs_harm and needs_harm.flag) and _needs_other_still_there(session, submission_id)
            categories = sorted({category for text_id, category in flagged.items() if text_id not in erased}
                                | ({needs_harm.category or "unspecified"} if needs_flagged else set()))
            alerted = bool(categories) and raise_duty_alert(session, submission_id, categories, self._settings)
        if alerted:
            log.warning("possible disclosure found while the text check is failing: duty team alerted",
                        extra={"submission_id": submission_id})


def _needs_other_still_there(session: Session, submission_id: str) -> bool:
    """False when the "other need" words were erased while the check read them: nothing read from erased
    words may come back, the alert included (as for free texts)."""
    return session.scalar(select(Submission.communication_needs_other).where(Submission.id == submission_id)
                          .with_for_update()) is not None


def _harm_alone(texts) -> dict[int, str]:
    """Free-text id -> category, for each text the disclosure check alone flags."""
    flagged = {}
    for text_id, text, *_rest in texts:
        disclosure = check_for_harm_alone(text)
        if disclosure.flag:
            flagged[text_id] = disclosure.category or "unspecified"
    return flagged


def queue_reanalysis(session: Session, model_version: str, *, since: datetime | None = None, per_second: float = 5.0,
                     waiting_translation: bool = False, progress: Callable[[int, int], None] | None = None) -> int:
    """Queue an `analyse_text` task for every submission with a text whose current annotation another model
    made (after the board retrained, say), or that was never read because its check failed. The worker
    then reads them again; earlier annotations stay as history, and a submission already alerted is not
    alerted twice. Words erased on request or cut by retention are not read again, and a submission whose
    check is already waiting is left to it.

    The tasks fall due `per_second` at a time, and are claimed after all other work (see
    outbox.reread_dedupe_key), so that new feedback (and its duty alert) never waits behind a backlog of
    re-reading, even when the worker falls behind. Running it again queues only what is not waiting or done for this
    model version; a re-read that failed is queued again. With `waiting_translation`, texts waiting in the
    human translation queue are read again too (a machine translator may answer now); a person's
    translation is never replaced. Returns how many were queued; the caller commits.
    """
    not_cut = FreeText.id.not_in(select(TextReduction.free_text_id))
    read_by_another = (
        select(FreeText.submission_id.label("submission_id"))
        .join(TextAnnotation, (TextAnnotation.free_text_id == FreeText.id) & TextAnnotation.current.is_(True))
        .where(TextAnnotation.model_version != model_version, not_cut)
    )
    never_read = (   # its check gave up (not those still waiting for their first check)
        select(FreeText.submission_id.label("submission_id"))
        .where(~select(TextAnnotation.id).where(TextAnnotation.free_text_id == FreeText.id).exists(), not_cut)
        .where(select(OutboxMessage.id).where(OutboxMessage.submission_id == FreeText.submission_id,
                                              OutboxMessage.purpose == ANALYSE_TEXT, OutboxMessage.status == "failed").exists())
    )
    waiting = select(OutboxMessage.submission_id).where(
        OutboxMessage.purpose == ANALYSE_TEXT, OutboxMessage.status.in_(("pending", "sending")),
        OutboxMessage.submission_id.is_not(None))
    parts = [read_by_another, never_read]
    if waiting_translation:
        parts.append(
            select(FreeText.submission_id.label("submission_id"))
            .join(TextAnnotation, (TextAnnotation.free_text_id == FreeText.id) & TextAnnotation.current.is_(True))
            .where(TextAnnotation.translation_status == TRANSLATION_QUEUED, not_cut))
    candidates = union(*parts).subquery()
    stale = select(candidates.c.submission_id).distinct().where(candidates.c.submission_id.not_in(waiting))
    if since is not None:
        stale = stale.where(candidates.c.submission_id.in_(select(Submission.id).where(Submission.received_at >= since)))
    # Texts never read (their check gave up: they were checked for disclosures alone) fall due before those
    # another model read, so that they reach staff's themes and translation queue first.
    unread = set(session.scalars(select(never_read.subquery().c.submission_id)))
    submission_ids = sorted(session.scalars(stale), key=lambda submission_id: (submission_id not in unread, submission_id))

    version_digest = hashlib.sha256(model_version.encode("utf-8")).hexdigest()[:16]
    earlier: dict[str, int] = {}       # submission -> re-reads for this version already queued (all failed)
    for key in session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like(reread_dedupe_keys(version_digest)))):
        submission_id = key.split(":")[1]
        earlier[submission_id] = earlier.get(submission_id, 0) + 1
    start = utcnow()
    for position, submission_id in enumerate(submission_ids):
        tries = earlier.get(submission_id, 0)
        enqueue(session, channel="task", purpose=ANALYSE_TEXT, payload={"submission_id": submission_id},
                submission_id=submission_id, dedupe_key=reread_dedupe_key(submission_id, version_digest, tries),
                not_before=start + timedelta(seconds=position / per_second))
        if progress and (position + 1) % 1000 == 0:
            progress(position + 1, len(submission_ids))
    return len(submission_ids)


def _refuse_if_translated_since(session: Session, free_text_id: int, seen_annotation_id: int) -> None:
    """Raise TranslationRefused("changed") when the text's current reading is not the one the person saw and
    holds a translation (a reading made again without one, still waiting in the queue, changes nothing
    the person would lose). The text's row is locked first, as store_annotations does, so two people
    saving at once are taken one after the other and the second is told."""
    session.execute(select(FreeText.id).where(FreeText.id == free_text_id).with_for_update())
    saved = translated_reading(session, free_text_id)
    if saved is not None and saved.annotation_id != seen_annotation_id:
        raise TranslationRefused("changed", saved)


def translated_reading(session: Session, free_text_id: int) -> "SavedTranslation | None":
    """The text's current reading when it holds a translation (a person's or a machine's), else None."""
    current = session.scalar(select(TextAnnotation).where(TextAnnotation.free_text_id == free_text_id,
                                                          TextAnnotation.current.is_(True)))
    if current is None or current.translation_status not in (TRANSLATION_HUMAN, TRANSLATION_MACHINE):
        return None
    submission_id = session.scalar(select(FreeText.submission_id).where(FreeText.id == free_text_id))
    return SavedTranslation(current.id, submission_id, current.translation, current.translation_status,
                            current.translation_source, current.created_at)


def _read_with_translation(pipeline: TextPipeline, free_text_id: int, text: str, translation: str, source: str) -> TextAnnotation:
    given = TextPipeline(pipeline.theme_model, pipeline.detector, _GivenTranslation(translation, source))
    row = annotation_row(free_text_id, given.analyse(text), translation_status=TRANSLATION_HUMAN, translation_source=source)
    row.translation = translation
    return row


@dataclass(frozen=True)
class QueuedText:
    free_text: FreeText
    reference: str
    urgent: bool
    detected_language: str          # "und": a script or language the check cannot read, so not checked for harm
    annotation_id: int              # the current reading: a translation sent back names it (see record_human_translation)

    @property
    def unread(self) -> bool:
        return self.detected_language == "und"

    @property
    def place(self) -> QueuePlace:
        return QueuePlace(bool(self.urgent), self.unread, self.free_text.id)


@dataclass(frozen=True)
class QueuePlace:
    """Where a text stands in the translation queue's order (urgent, then not read for harm, then oldest):
    the next page of the queue starts after it."""

    urgent: bool
    unread: bool
    free_text_id: int


@dataclass(frozen=True)
class QueueSize:
    waiting: int                    # texts waiting for a person's translation
    not_read_for_harm: int          # of them, in a script or language the check cannot read ("und")


def not_read_for_harm():
    """SQL, over TextAnnotation: a reading the disclosure check could not make, of words in a script it
    cannot read (or of a language it does not know), waiting for a person's translation ("und", queued)."""
    return and_(TextAnnotation.language == "und", TextAnnotation.translation_status == TRANSLATION_QUEUED)


def read_for_harm():
    """SQL, over TextAnnotation: a current reading in which the disclosure check read the words."""
    return and_(TextAnnotation.current.is_(True), ~not_read_for_harm())


def checked_and_not_urgent():
    """SQL, over Submission: the text check has read all of the person's words (each free-text answer, and
    an "other need" written in their words) and found nothing urgent. Until then the words may disclose harm,
    and are for the safeguarding duty team: not yet checked, a check that failed, or words in a script it
    cannot read waiting for a person's translation. The provider view (service.api.submissions.provider_scope)
    and data entry's view of a residents' meeting (channels.meetings.service.issue_texts) show words only
    when this holds."""
    unread_text = exists().where(
        FreeText.submission_id == Submission.id,
        ~exists().where(TextAnnotation.free_text_id == FreeText.id, read_for_harm()))
    needs_checked = or_(Submission.communication_needs_other.is_(None), exists().where(
        OutboxMessage.submission_id == Submission.id, OutboxMessage.purpose == ANALYSE_TEXT, OutboxMessage.status == "sent"))
    return and_(Submission.urgent.is_(False), ~unread_text, needs_checked)


def _queued(*columns):
    """SQL: `columns` of the texts whose current reading waits for a person's translation (and of that reading)."""
    return (select(*columns).select_from(FreeText)
            .join(TextAnnotation, (TextAnnotation.free_text_id == FreeText.id) & TextAnnotation.current.is_(True))
            .where(TextAnnotation.translation_status == TRANSLATION_QUEUED))


def translation_queue(session: Session, limit: int, *, after: QueuePlace | None = None, offset: int = 0) -> list[QueuedText]:
    """Texts waiting for a person to translate them: urgent ones first, then those in a language the check
    could not read at all (a disclosure in them would otherwise wait unseen), then oldest first. A page of
    them: `limit` texts from the one after `after` (the API's cursor) or after the first `offset` (the page)."""
    unread = not_read_for_harm()
    query = (
        _queued(FreeText, Submission.reference, Submission.urgent, TextAnnotation.language, TextAnnotation.id)
        .join(Submission, Submission.id == FreeText.submission_id)
        .order_by(Submission.urgent.desc(), unread.desc(), FreeText.id)
        .offset(offset).limit(limit)
    )
    if after is not None:
        # In the same order: the rest of the same urgency and the same "read for harm" after this text, then
        # the read ones after the unread, then the texts that are not urgent after the urgent ones.
        same_urgency = Submission.urgent.is_(after.urgent)
        later = [and_(same_urgency, unread if after.unread else ~unread, FreeText.id > after.free_text_id)]
        if after.unread:
            later.append(and_(same_urgency, ~unread))
        if after.urgent:
            later.append(Submission.urgent.is_(False))
        query = query.where(or_(*later))
    return [QueuedText(text, reference, urgent, language, annotation_id)
            for text, reference, urgent, language, annotation_id in session.execute(query)]


def translation_queue_size(session: Session) -> QueueSize:
    """How many texts wait in the translation queue, and how many of them have not been read for harm: a
    page shows some of them, and the rest must not wait unseen."""
    waiting, unread = session.execute(_queued(
        func.count(), func.coalesce(func.sum(case((not_read_for_harm(), 1), else_=0)), 0))).one()
    return QueueSize(waiting, unread)


MAX_TRANSLATION_CHARS = 10000
# `replacing` for a person who saw the text with no translation but cannot name the reading: any reading with
# a translation is then news to them.
SEEN_UNTRANSLATED = 0


@dataclass(frozen=True)
class SavedTranslation:
    """The translation a text was given after the one who is typing now loaded it."""

    annotation_id: int
    submission_id: str
    translation: str | None
    status: str                     # "human" or "machine"
    source: str | None              # "human:<who typed it>" or the machine translator
    saved_at: datetime


class TranslationRefused(Exception):
    """A typed translation that cannot be taken. `reason`: "missing", "erased", "not_needed", "blank" (no
    letter in it), "too_long" (over MAX_TRANSLATION_CHARS), or "changed" (translated since the person
    loaded it: `saved` is that translation)."""

    def __init__(self, reason: str, saved: SavedTranslation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.saved = saved


def typed_translation(translation: str) -> str:
    """A translation as typed, as it is stored: without the blanks around it. Refused ("blank") when it holds
    no letter: spaces or punctuation alone would take the text out of the queue with nothing to read."""
    stripped = translation.strip()
    if not any(character.isalpha() for character in stripped):
        raise TranslationRefused("blank")
    if len(stripped) > MAX_TRANSLATION_CHARS:
        raise TranslationRefused("too_long")
    return stripped


def record_human_translation(session_factory: sessionmaker[Session], settings: Settings, pipelines: PipelineHolder,
                             free_text_id: int, translation: str, translated_by: str,
                             audit: Callable[[Session, str, dict], None] | None = None,
                             replacing: int | None = None) -> TextAnnotation:
    """A person typed the English translation of a text: re-read the text with it, keep history.

    Refused (TranslationRefused) for a translation with no letter in it (see typed_translation), for a
    text that is not there, whose words were erased or cut by retention, or that needs no translation
    (English). `replacing` is the id of the reading the person saw (TextAnnotation.id), or SEEN_UNTRANSLATED
    when they saw the text waiting for a translation but cannot name the reading: if the text has been
    translated since (by someone else, or by machine), the translation is refused
    ("changed") with that translation, for the person to read it and send theirs again naming it to
    replace it. Without `replacing`, the translation replaces whatever is there. `audit(session,
    submission_id, replaced)` is called in the transaction that stores the reading, so the record of who typed
    it commits with it or not at all; `replaced` names the translated reading it replaced, if any
    ({"replaced_annotation_id", "replaced_source"}), so the audit log shows one person's words replaced by another's.
    """
    translation = typed_translation(translation)
    with session_factory() as session:
        free_text = session.get(FreeText, free_text_id)
        if free_text is None:
            raise TranslationRefused("missing")
        text, submission_id = free_text.text, free_text.submission_id
        if session.scalar(select(TextReduction.free_text_id).where(TextReduction.free_text_id == free_text_id)) is not None:
            raise TranslationRefused("erased")
        status = session.scalar(select(TextAnnotation.translation_status).where(
            TextAnnotation.free_text_id == free_text_id, TextAnnotation.current.is_(True)))
        if status == TRANSLATION_NOT_NEEDED:
            raise TranslationRefused("not_needed")
    row = _read_with_translation(pipelines.get(), free_text_id, text, translation, f"human:{translated_by}")
    with session_factory.begin() as session:
        if replacing is not None:
            _refuse_if_translated_since(session, free_text_id, replacing)
        translated = session.execute(select(TextAnnotation.id, TextAnnotation.translation_source).where(
            TextAnnotation.free_text_id == free_text_id, TextAnnotation.current.is_(True),
            TextAnnotation.translation.is_not(None))).first()
        if not store_annotations(session, submission_id, [row], settings).rows:
            raise TranslationRefused("erased")      # erased while it was being read
        if audit:
            audit(session, submission_id, {"replaced_annotation_id": translated.id, "replaced_source": translated.translation_source}
                  if translated is not None else {})
    return row
