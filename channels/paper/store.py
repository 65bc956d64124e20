"""`DatabasePaperStore`: the paper library's `PaperStore`, on the service's database.

`msp-feedback paper render` registers each printed sheet here (with its case and provider);
`msp-feedback paper scan` and the keyed-entry screen record returns through it. Every return becomes
feedback through the one intake path (`service.intake.submit_feedback`, channel `paper`) with the
idempotency key `paper:<sheet id>`, so one sheet can never make two submissions; a page that comes
back later adds its answers to the same submission (`service.transcription.add_answers`).

Not losing a page. The library marks each page scanned (`mark_page_scanned`) before it submits the
sheet's answers, and the intake path commits in its own transaction, so the two cannot share one.
Instead a page is first marked *pending* (unique per sheet and page, so a second scan or a concurrent
keyed entry is caught at once) and becomes *recorded* only in the transaction that stores what was
read from it. If storing fails, this run's pending and just-recorded pages are un-marked before the
error goes on, so a rescan reads them again; every write below is idempotent per question (answers
only fill unanswered questions, one crop and one review per question), so a rescan after a partial
failure stores nothing twice. A pending mark left by a process that died (same machine, process gone,
or older than an hour) does not block a rescan either.
"""
from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from channels.paper.models import (
    PAGE_PENDING,
    PAGE_RECORDED,
    REVIEW_OPEN,
    PaperPage,
    PaperReview,
    PaperSheet,
    PaperTextCrop,
    PaperUnreadable,
)
from easy_read.paper.layout import build_layout
from easy_read.paper.store import RecordedSheet, ReviewItem, SheetRecord
from service.domain.model import (
    Channel,
    Consent,
    DomainError,
    Problem,
    Respondent,
    SubmitFeedback,
)
from service.domain.questionnaire import QuestionnaireRegistry, default_registry
from service.intake import submit_feedback
from service.storage.orm import FreeText, Provider, Submission
from service.storage.types import MAX_ROW_ID, utcnow
from service.storage.unit_of_work import UnitOfWork
from service.transcription import add_answers, add_typed_text

# The two paper-only questions (easy_read.paper.layout RESPONDENT, CONSENT) are submission fields, not
# questionnaire answers.
RESPONDENT_QUESTION = "respondent"
CONSENT_QUESTION = "consent"
STALE_PENDING = timedelta(hours=1)

log = logging.getLogger("msp.paper")


def idempotency_key(sheet_id: str) -> str:
    return f"paper:{sheet_id}"


def _this_run() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _run_is_dead(run_id: str) -> bool:
    """True when the run that left a pending mark was on this machine and its process is gone."""
    host, _, rest = run_id.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:60] or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class UnknownProvider(ValueError):
    """The provider given for printed sheets is not in the service."""


@dataclass(frozen=True)
class Recorded:
    submission_id: str
    reference: str
    created: bool            # False: added to the sheet's earlier submission


def resolve_provider(session: Session, given: str | int | None) -> int | None:
    """A provider as typed for `paper render --provider`: its id, or its exact name (any case)."""
    if given is None or str(given).strip() == "":
        return None
    text = str(given).strip()
    if text.isascii() and text.isdigit():
        # A number past the id column names no provider (PostgreSQL would refuse to compare it).
        found = session.scalar(select(Provider.id).where(Provider.id == int(text))) if int(text) <= MAX_ROW_ID else None
    else:
        found = session.scalar(select(Provider.id).where(func.lower(Provider.name) == text.lower()))
    if found is None:
        raise UnknownProvider(f"there is no provider '{text}': give a provider's id or exact name (see GET /api/v1/providers)")
    return found


def sheet_record(row: PaperSheet) -> SheetRecord:
    return SheetRecord(sheet_id=row.sheet_id, form_id=row.form_id, form_version=row.form_version, language=row.language,
                       pages=row.pages, case_ref=row.case_ref,
                       provider_id=str(row.provider_id) if row.provider_id is not None else None,
                       layout_fingerprint=row.layout_fingerprint, created_at=row.created_at.isoformat())


def split_answers(answers: dict[str, str]) -> tuple[dict[str, str], Respondent | None, Consent | None]:
    """Questionnaire answers, and the paper-only respondent and consent answers as their enums."""
    rest = dict(answers)
    problems = []
    respondent = consent = None
    if RESPONDENT_QUESTION in rest:
        value = rest.pop(RESPONDENT_QUESTION)
        try:
            respondent = Respondent(value)
        except ValueError:
            problems.append(Problem(f"answers.{RESPONDENT_QUESTION}", f"unknown answer id '{value}'"))
    if CONSENT_QUESTION in rest:
        value = rest.pop(CONSENT_QUESTION)
        try:
            consent = Consent(value)
        except ValueError:
            problems.append(Problem(f"answers.{CONSENT_QUESTION}", f"unknown answer id '{value}'"))
    if problems:
        raise DomainError("the answers are not valid", problems)
    return rest, respondent, consent


class DatabasePaperStore:
    """The `easy_read.paper.store.PaperStore` protocol on the service database (one instance per run)."""

    def __init__(self, session_factory: sessionmaker[Session], *, registry: QuestionnaireRegistry | None = None,
                 via: str = "scan"):
        self._session_factory = session_factory
        self._registry = registry or default_registry()
        self.via = via
        self.run_id = _this_run()
        self._marked: dict[str, set[int]] = {}      # pages this run marked, by sheet

    def _uow(self) -> UnitOfWork:
        return UnitOfWork(self._session_factory)

    def _reading(self) -> UnitOfWork:
        return UnitOfWork(self._session_factory, write_lock_late=True)

    # --- protocol ------------------------------------------------------------------------------
    def register_sheet(self, sheet: SheetRecord) -> None:
        with self._uow() as uow:
            provider_id = resolve_provider(uow.session, sheet.provider_id)
            if uow.session.get(PaperSheet, sheet.sheet_id) is not None:
                raise ValueError(f"sheet id {sheet.sheet_id} already issued")
            uow.session.add(PaperSheet(
                sheet_id=sheet.sheet_id, form_id=sheet.form_id, form_version=sheet.form_version, language=sheet.language,
                pages=sheet.pages, case_ref=sheet.case_ref, provider_id=provider_id,
                layout_fingerprint=sheet.layout_fingerprint, created_at=utcnow()))
            uow.commit()

    def find_sheet(self, sheet_id: str) -> SheetRecord | None:
        with self._reading() as uow:
            row = uow.session.get(PaperSheet, sheet_id)
            return sheet_record(row) if row is not None else None

    def mark_page_scanned(self, sheet_id: str, page: int) -> bool:
        page = int(page)
        now = utcnow()
        with self._uow() as uow:
            row = uow.session.scalar(select(PaperPage).where(PaperPage.sheet_id == sheet_id, PaperPage.page == page))
            if row is None:
                uow.session.add(PaperPage(sheet_id=sheet_id, page=page, status=PAGE_PENDING, run_id=self.run_id,
                                          via=self.via, scanned_at=now))
                try:
                    uow.commit()
                except IntegrityError:      # another run marked it a moment ago
                    return False
            elif (row.status == PAGE_PENDING and row.run_id != self.run_id
                  and (_run_is_dead(row.run_id) or now - row.scanned_at > STALE_PENDING)):
                row.run_id, row.via, row.scanned_at = self.run_id, self.via, now   # left by a run that died
                uow.commit()
            else:
                return False
        self._marked.setdefault(sheet_id, set()).add(page)
        return True

    def submit_answers(self, sheet: SheetRecord, answers: dict[str, str], free_text_crops: dict[str, bytes]) -> str:
        return self.record(sheet, answers, free_text_crops).reference

    def queue_review(self, sheet: SheetRecord, item: ReviewItem) -> str:
        try:
            with self._uow() as uow:
                existing = uow.session.scalar(select(PaperReview.id).where(
                    PaperReview.sheet_id == sheet.sheet_id, PaperReview.question_id == item.question_id))
                if existing is not None:        # queued by an earlier run of the same page
                    return str(existing)
                submission_id = uow.session.scalar(select(PaperSheet.submission_id).where(PaperSheet.sheet_id == sheet.sheet_id))
                review = PaperReview(
                    sheet_id=sheet.sheet_id, submission_id=submission_id, page=item.page, question_id=item.question_id,
                    reason=item.reason, readings=[asdict(r) for r in item.readings], crop_png=item.crop_png,
                    source=(item.source or "")[:500], least_confidence=item.least_confidence, status=REVIEW_OPEN,
                    created_at=utcnow())
                uow.session.add(review)
                uow.session.flush()
                review_id = review.id
                uow.commit()
                return str(review_id)
        except BaseException:
            self._unmark_after_failure(sheet.sheet_id, {item.page})
            raise

    def record_unreadable(self, source: str, page: int, reason: str, image_png: bytes,
                          sheet_id: str | None = None) -> str:
        with self._uow() as uow:
            row = PaperUnreadable(source=(source or "")[:500], page=int(page), reason=reason, image_png=image_png or b"",
                                  sheet_id=sheet_id, created_at=utcnow())
            uow.session.add(row)
            uow.session.flush()
            row_id = row.id
            uow.commit()
            return str(row_id)

    def recorded_sheet(self, sheet_id: str) -> RecordedSheet | None:
        with self._reading() as uow:
            session = uow.session
            submission = session.scalar(select(Submission).join(PaperSheet, PaperSheet.submission_id == Submission.id)
                                        .where(PaperSheet.sheet_id == sheet_id))
            if submission is None:
                return None
            answers = {str(k): str(v) for k, v in (submission.answers or {}).items() if v is not None}
            if submission.respondent:
                answers[RESPONDENT_QUESTION] = submission.respondent
            if submission.consent:
                answers[CONSENT_QUESTION] = submission.consent
            undecided = frozenset(session.scalars(select(PaperReview.question_id).where(
                PaperReview.sheet_id == sheet_id, PaperReview.status == REVIEW_OPEN)))
            written = {question_id: b"" for question_id in session.scalars(
                select(FreeText.question_id).where(FreeText.submission_id == submission.id))}
            for question_id, png in session.execute(select(PaperTextCrop.question_id, PaperTextCrop.crop_png)
                                                    .where(PaperTextCrop.submission_id == submission.id)):
                written[question_id] = png or written.get(question_id, b"")
            return RecordedSheet(answers, undecided, written)

    # --- beyond the protocol ---------------------------------------------------------------------
    def record(self, sheet: SheetRecord, answers: dict[str, str], free_text_crops: dict[str, bytes],
               texts: dict[str, str] | None = None) -> Recorded:
        """Store what was read (or keyed) from this run's pages of one sheet; un-mark them on failure."""
        try:
            return self._record(sheet, answers, free_text_crops, texts or {})
        except BaseException:
            self._unmark_after_failure(sheet.sheet_id, self._marked.get(sheet.sheet_id, set()))
            raise

    def _record(self, sheet: SheetRecord, answers: dict[str, str], crops: dict[str, bytes], texts: dict[str, str]) -> Recorded:
        questionnaire_answers, respondent, consent = split_answers(answers)
        with self._reading() as uow:
            row = uow.session.get(PaperSheet, sheet.sheet_id)
            if row is None:
                raise DomainError("unknown sheet", [Problem("sheet_id", f"sheet {sheet.sheet_id} was not issued by this service")])
            submission_id = row.submission_id
            provider_id, case_ref = row.provider_id, row.case_ref
            form_id, form_version, language = row.form_id, row.form_version, row.language
        created = False
        if submission_id is None:
            command = SubmitFeedback(
                channel=Channel.PAPER, language=language, answers=questionnaire_answers, texts=dict(texts),
                respondent=respondent, consent=consent or Consent.NONE, case_reference=case_ref, provider_id=provider_id,
                questionnaire_id=form_id, questionnaire_version=form_version, idempotency_key=idempotency_key(sheet.sheet_id))
            receipt = submit_feedback(command, self._uow(), self._registry)
            submission_id, created = receipt.submission_id, not receipt.replayed
            if receipt.replayed:
                # Stored by an earlier run that failed before it could say so: fill what this run read.
                with self._uow() as uow:
                    add_answers(uow, submission_id, questionnaire_answers, respondent=respondent, consent=consent,
                                registry=self._registry)
                for question_id, text in texts.items():
                    with self._uow() as uow:
                        if text.strip() and uow.session.scalar(select(FreeText.id).where(
                                FreeText.submission_id == submission_id, FreeText.question_id == question_id)) is None:
                            add_typed_text(uow, submission_id, question_id, text, registry=self._registry)
        else:
            # Pages keyed in after others of the sheet were scanned: their answers and typed words join
            # the sheet's submission (key_in only passes questions of pages not recorded before).
            with self._uow() as uow:
                add_answers(uow, submission_id, questionnaire_answers, respondent=respondent, consent=consent,
                            registry=self._registry)
            for question_id, text in texts.items():
                with self._uow() as uow:
                    if text.strip() and uow.session.scalar(select(FreeText.id).where(
                            FreeText.submission_id == submission_id, FreeText.question_id == question_id)) is None:
                        add_typed_text(uow, submission_id, question_id, text, registry=self._registry)
        with self._uow() as uow:
            session = uow.session
            session.execute(update(PaperSheet).where(PaperSheet.sheet_id == sheet.sheet_id).values(submission_id=submission_id))
            session.execute(update(PaperReview).where(PaperReview.sheet_id == sheet.sheet_id, PaperReview.submission_id.is_(None))
                            .values(submission_id=submission_id))
            have_crop = set(session.scalars(select(PaperTextCrop.question_id).where(PaperTextCrop.submission_id == submission_id)))
            have_text = set(session.scalars(select(FreeText.question_id).where(FreeText.submission_id == submission_id)))
            now = utcnow()
            for question_id, png in crops.items():
                if question_id not in have_crop and question_id not in have_text:
                    session.add(PaperTextCrop(submission_id=submission_id, sheet_id=sheet.sheet_id, question_id=question_id,
                                              crop_png=png, created_at=now))
            pages = self._marked.get(sheet.sheet_id, set())
            if pages:
                session.execute(update(PaperPage).where(
                    PaperPage.sheet_id == sheet.sheet_id, PaperPage.page.in_(sorted(pages)), PaperPage.run_id == self.run_id)
                    .values(status=PAGE_RECORDED))
            reference = session.scalar(select(Submission.reference).where(Submission.id == submission_id))
            uow.commit()
        return Recorded(submission_id, reference, created)

    def _unmark_after_failure(self, sheet_id: str, pages: Iterable[int]) -> None:
        """Forget this run's marks of the failing sheet's pages and of every page still pending, so a
        rescan reads them (the library stops the run at the first error)."""
        pages = set(pages)
        try:
            with self._uow() as uow:
                if pages:
                    uow.session.execute(delete(PaperPage).where(
                        PaperPage.sheet_id == sheet_id, PaperPage.page.in_(sorted(pages)), PaperPage.run_id == self.run_id))
                uow.session.execute(delete(PaperPage).where(PaperPage.run_id == self.run_id, PaperPage.status == PAGE_PENDING))
                uow.commit()
        except Exception:  # the original error matters more; stale marks are taken over later anyway
            log.exception("could not un-mark pages after a failure", extra={"sheet_id": sheet_id})
        for sheet, marked in self._marked.items():
            if sheet == sheet_id:
                marked.difference_update(pages)

    # --- keyed entry ------------------------------------------------------------------------------
    def key_in(self, sheet_id: str, answers: dict[str, str], texts: dict[str, str],
               pages: Iterable[int] | None = None) -> Recorded | None:
        """Record, keyed by hand, the pages of a sheet not yet scanned or keyed: all of them for a new
        sheet, or the ones left (a page the scan could not read) for a sheet partly in, whose answers
        then join its submission. Only answers and words of questions printed on those pages are
        stored. ``pages``: the pages the person was shown; None when one of them (or, without
        ``pages``, every page) was recorded meanwhile (nothing is stored). Unknown sheet or invalid
        answers raise DomainError (nothing is stored)."""
        sheet = self.find_sheet(sheet_id)
        if sheet is None:
            raise DomainError("unknown sheet", [Problem("sheet_id", f"sheet {sheet_id} was not issued by this service")])
        with self._reading() as uow:
            _, recorded = sheet_state(uow.session, sheet_id)
            taken = {p.page for p in recorded}
        wanted = sorted(set(pages) if pages is not None else set(range(1, sheet.pages + 1)) - taken)
        marked: list[int] = []
        for page in wanted:
            if not 1 <= page <= sheet.pages or not self.mark_page_scanned(sheet_id, page):
                self._unmark_after_failure(sheet_id, marked)
                return None
            marked.append(page)
        if not marked:
            return None
        on_pages = questions_on_pages(sheet, marked)
        return self.record(sheet, {q: a for q, a in answers.items() if q in on_pages}, {},
                           {q: t for q, t in texts.items() if q in on_pages})


def questions_on_pages(sheet: SheetRecord | PaperSheet, pages: Iterable[int]) -> set[str]:
    """The question ids printed on these pages of the sheet's form (the layout knows each one's page)."""
    layout = build_layout(sheet.form_id, sheet.form_version, sheet.language)
    wanted = set(pages)
    return {box.question for page in layout.pages if page.number in wanted for box in page.boxes}


def missing_pages(sheet: PaperSheet, pages: Iterable[PaperPage]) -> list[int]:
    """Pages of the sheet not yet scanned or keyed in."""
    return sorted(set(range(1, sheet.pages + 1)) - {p.page for p in pages})


def sheet_state(session: Session, sheet_id: str) -> tuple[PaperSheet | None, list[PaperPage]]:
    """The sheet and the pages of it already scanned or keyed."""
    sheet = session.get(PaperSheet, sheet_id)
    pages = list(session.scalars(select(PaperPage).where(PaperPage.sheet_id == sheet_id).order_by(PaperPage.page)))
    return sheet, pages
