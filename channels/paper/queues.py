"""The staff queues of the paper channel: questions to decide, handwriting to type, unreadable pages.

Reads return plain dataclasses (no ORM rows leave a session); each decision is one transaction that
records who decided and adds the answer (or the typed text and its analysis task) through
`service.transcription`, with an optional audit write in the same transaction.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from channels.paper.models import (
    BLANK_ANSWER,
    CROP_TYPED,
    CROP_WAITING,
    PAGE_RECORDED,
    REVIEW_CLOSED,
    REVIEW_DECIDED,
    REVIEW_OPEN,
    PaperPage,
    PaperReview,
    PaperSheet,
    PaperTextCrop,
    PaperUnreadable,
)
from channels.paper.store import CONSENT_QUESTION, RESPONDENT_QUESTION, split_answers
from easy_read.paper.store import marked_sheet
from service.domain.model import DomainError, Problem
from service.domain.questionnaire import QuestionnaireRegistry
from service.storage.orm import Submission
from service.storage.types import utcnow
from service.storage.unit_of_work import UnitOfWork
from service.transcription import AnswersAdded, add_answers, add_typed_text

CROP_NO_TEXT = "no_text"      # a person looked and there is nothing to type (a doodle, a crossed-out box)

Audit = Callable[[Session], None]


@dataclass(frozen=True)
class ReviewRow:
    id: int
    sheet_id: str
    page: int
    question_id: str
    reason: str
    least_confidence: float
    readings: list[dict]
    language: str
    reference: str | None
    status: str
    decided_answer: str | None
    decided_by: str | None
    decided_at: datetime | None
    form_id: str = "msp"
    form_version: int = 1


@dataclass(frozen=True)
class CropRow:
    id: int
    submission_id: str
    reference: str
    sheet_id: str | None
    question_id: str
    language: str
    status: str
    created_at: datetime
    questionnaire_id: str = "msp"
    questionnaire_version: int = 1


@dataclass(frozen=True)
class UnreadableRow:
    id: int
    source: str
    page: int
    reason: str
    has_image: bool
    created_at: datetime
    sheet_id: str | None = None     # its QR code named a sheet of ours: it can be keyed in


def _review_row(review: PaperReview, sheet: PaperSheet, reference: str | None) -> ReviewRow:
    return ReviewRow(review.id, review.sheet_id, review.page, review.question_id, review.reason, review.least_confidence,
                     list(review.readings or []), sheet.language, reference, review.status, review.decided_answer,
                     review.decided_by, review.decided_at, sheet.form_id, sheet.form_version)


def open_reviews(session: Session, limit: int = 200) -> list[ReviewRow]:
    """Open review items, least certain first (as SDAPS sorts its review), then oldest first."""
    rows = session.execute(
        select(PaperReview, PaperSheet, Submission.reference)
        .join(PaperSheet, PaperSheet.sheet_id == PaperReview.sheet_id)
        .outerjoin(Submission, Submission.id == PaperReview.submission_id)
        .where(PaperReview.status == REVIEW_OPEN)
        .order_by(PaperReview.least_confidence, PaperReview.created_at, PaperReview.id).limit(limit)).all()
    return [_review_row(review, sheet, reference) for review, sheet, reference in rows]


def count_open(session: Session) -> dict[str, int]:
    return {
        "reviews": session.scalar(select(func.count()).select_from(PaperReview).where(PaperReview.status == REVIEW_OPEN)) or 0,
        "texts": session.scalar(select(func.count()).select_from(PaperTextCrop).where(PaperTextCrop.status == CROP_WAITING)) or 0,
        "unreadable": session.scalar(select(func.count()).select_from(PaperUnreadable)) or 0,
    }


def get_review(session: Session, review_id: int) -> ReviewRow | None:
    row = session.execute(
        select(PaperReview, PaperSheet, Submission.reference)
        .join(PaperSheet, PaperSheet.sheet_id == PaperReview.sheet_id)
        .outerjoin(Submission, Submission.id == PaperReview.submission_id)
        .where(PaperReview.id == review_id)).first()
    return _review_row(row[0], row[1], row[2]) if row else None


def review_crop(session: Session, review_id: int) -> bytes | None:
    """The boxes as scanned, while the question waits for a person (a decided one's picture is gone)."""
    return session.scalar(select(PaperReview.crop_png).where(PaperReview.id == review_id, PaperReview.status == REVIEW_OPEN))


def decide_review(session_factory: sessionmaker[Session], review_id: int, answer: str, decided_by: str, *,
                  audit: Audit | None = None, registry: QuestionnaireRegistry | None = None) -> AnswersAdded | None:
    """A person decided an unclear question: `answer` is one of the question's answer ids, or "" for
    "nothing is ticked" (the question stays unanswered). Returns what was added (None for ""). One
    transaction: the decision, the answer on the submission, and the audit event."""
    with UnitOfWork(session_factory) as uow:
        review = uow.session.get(PaperReview, review_id)
        if review is None:
            raise DomainError("no such review item", [Problem("review_id", f"there is no review item {review_id}")])
        already = DomainError("already decided", [Problem("answer", "this question was already decided by someone else")])
        if review.status != REVIEW_OPEN:
            raise already
        allowed = [r.get("answer") for r in review.readings or []]
        if answer != BLANK_ANSWER and answer not in allowed:
            raise DomainError("unknown answer", [Problem("answer", "choose one of the answers shown")])
        if review.submission_id is None:
            raise DomainError("not recorded yet", [Problem("answer", "the form this question is on is not stored yet; scan it again")])
        # One UPDATE whose row count decides, as resolve_unreadable does: of two people deciding the same
        # question at once (both read it open above), only the one whose statement found it still open records
        # an answer; the other is told. On PostgreSQL the second waits for the first to commit, then finds
        # nothing open (before, it overwrote the decision, and both were told "Decided").
        claimed = uow.session.execute(
            update(PaperReview).where(PaperReview.id == review_id, PaperReview.status == REVIEW_OPEN)
            .values(status=REVIEW_DECIDED, crop_png=b"",   # the picture served its purpose; the answer is recorded
                    decided_answer=answer, decided_by=decided_by[:200], decided_at=utcnow())
            .execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            raise already
        if audit is not None:
            audit(uow.session)
        if answer == BLANK_ANSWER:
            uow.commit()
            return None
        answers, respondent, consent = split_answers({review.question_id: answer})
        return add_answers(uow, review.submission_id, answers, respondent=respondent, consent=consent, registry=registry)


def waiting_texts(session: Session, limit: int = 200) -> list[CropRow]:
    rows = session.execute(
        select(PaperTextCrop, Submission.reference, Submission.language, Submission.questionnaire_id,
               Submission.questionnaire_version)
        .join(Submission, Submission.id == PaperTextCrop.submission_id)
        .where(PaperTextCrop.status == CROP_WAITING).order_by(PaperTextCrop.id).limit(limit)).all()
    return [CropRow(c.id, c.submission_id, reference, c.sheet_id, c.question_id, language, c.status, c.created_at, qid, qv)
            for c, reference, language, qid, qv in rows]


def get_crop(session: Session, crop_id: int) -> CropRow | None:
    row = session.execute(
        select(PaperTextCrop, Submission.reference, Submission.language, Submission.questionnaire_id,
               Submission.questionnaire_version)
        .join(Submission, Submission.id == PaperTextCrop.submission_id).where(PaperTextCrop.id == crop_id)).first()
    if row is None:
        return None
    c, reference, language, qid, qv = row
    return CropRow(c.id, c.submission_id, reference, c.sheet_id, c.question_id, language, c.status, c.created_at, qid, qv)


def crop_image(session: Session, crop_id: int) -> bytes | None:
    """The handwriting, while it waits to be typed. Once typed the words are text (read by the disclosure
    check, cut by retention, shown only to roles that read feedback) and the picture is gone: data entry
    cannot page through every return ever typed by id."""
    return session.scalar(select(PaperTextCrop.crop_png).where(PaperTextCrop.id == crop_id, PaperTextCrop.status == CROP_WAITING))


def type_text(session_factory: sessionmaker[Session], crop_id: int, text: str | None, typed_by: str, *,
              audit: Audit | None = None, registry: QuestionnaireRegistry | None = None) -> int | None:
    """A person typed what a handwritten box says (verbatim), or said there is nothing to type (None).

    One transaction: the crop marked done, the FreeText, its `analyse_text` task, the audit event.
    Returns the FreeText id (None when there was nothing to type)."""
    with UnitOfWork(session_factory) as uow:
        crop = uow.session.get(PaperTextCrop, crop_id)
        if crop is None:
            raise DomainError("no such box", [Problem("text", f"there is no handwritten box {crop_id}")])
        already = DomainError("already typed", [Problem("text", "this box was already typed by someone else")])
        if crop.status != CROP_WAITING:
            raise already
        # Claimed by one UPDATE whose row count decides, as decide_review: of two typists at once, only one
        # records the box (one saying "nothing to type" must not pass while the other's words go in).
        claimed = uow.session.execute(
            update(PaperTextCrop).where(PaperTextCrop.id == crop_id, PaperTextCrop.status == CROP_WAITING)
            .values(status=CROP_TYPED if text is not None else CROP_NO_TEXT,
                    crop_png=b"",          # the handwriting is kept as typed text from now on, not as a picture
                    typed_by=typed_by[:200], typed_at=utcnow())
            .execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            raise already
        if audit is not None:
            audit(uow.session)
        if text is None:
            uow.commit()
            return None
        return add_typed_text(uow, crop.submission_id, crop.question_id, text, registry=registry)


def unreadable_pages(session: Session, limit: int = 200) -> list[UnreadableRow]:
    # Whether a page has its image, not the image: a 300 dpi page is megabytes, and the list shows 200.
    has_image = func.length(PaperUnreadable.image_png) > 0
    rows = session.execute(select(PaperUnreadable.id, PaperUnreadable.source, PaperUnreadable.page, PaperUnreadable.reason,
                                  has_image, PaperUnreadable.created_at)
                           .order_by(PaperUnreadable.created_at.desc(), PaperUnreadable.id.desc()).limit(limit))
    return [UnreadableRow(row_id, source, page, reason, bool(image), created_at, (marked_sheet(reason) or (None,))[0])
            for row_id, source, page, reason, image, created_at in rows]


def unreadable_image(session: Session, item_id: int) -> bytes | None:
    return session.scalar(select(PaperUnreadable.image_png).where(PaperUnreadable.id == item_id)) or None


# What a person did with a page the scan could not read. The page (its image: a person's handwriting) is
# deleted whichever it is; the audit event keeps the outcome and who chose it.
UNREADABLE_OUTCOMES = {
    "keyed": "Keyed in by hand or scanned again",
    "duty_team": "Passed to the safeguarding duty team, who have a copy of the page",
    "not_feedback": "Blank, or not one of our forms",
    "erasure": "Deleted at the writer's request (erasure)",
}


ALREADY_DEALT_WITH = "this page was already dealt with by someone else"


def resolve_unreadable(session_factory: sessionmaker[Session], item_id: int, outcome: str, *,
                       audit: Audit | None = None) -> None:
    """A person has dealt with an unreadable page: delete it (image and file name), and audit why, in one
    transaction. Raises DomainError for an unknown outcome or a page already dealt with."""
    if outcome not in UNREADABLE_OUTCOMES:
        raise DomainError("unknown outcome", [Problem("outcome", "choose what was done with the page")])
    with UnitOfWork(session_factory) as uow:
        if outcome == "keyed":
            _refuse_unless_its_page_is_in(uow.session, item_id)
        # One DELETE whose row count decides: of two people dealing with the same page at once, only the
        # one whose statement removed the row records an outcome (a read first would let both pass).
        removed = uow.session.execute(delete(PaperUnreadable).where(PaperUnreadable.id == item_id)).rowcount
        if removed != 1:
            raise DomainError("no such page", [Problem("outcome", ALREADY_DEALT_WITH)])
        if audit is not None:
            audit(uow.session)
        uow.commit()


def _refuse_unless_its_page_is_in(session: Session, item_id: int) -> None:
    """"Keyed in by hand or scanned again" deletes the page's image, maybe the only copy of a person's words:
    for a page whose QR code named a sheet and page of ours, it is true only once that page is recorded."""
    marked = marked_sheet(session.scalar(select(PaperUnreadable.reason).where(PaperUnreadable.id == item_id)) or "")
    if marked is None:
        return                      # no sheet named (or the page is gone already: the DELETE tells)
    sheet_id, page = marked
    if session.scalar(select(PaperPage.id).where(PaperPage.sheet_id == sheet_id, PaperPage.page == page,
                                                 PaperPage.status == PAGE_RECORDED)) is None:
        raise DomainError("page not in", [Problem("outcome", (
            f"Page {page} of sheet {sheet_id} is not in yet: key it in (or scan it again) first, then mark this "
            "page as keyed in. Until then its image is kept here."))])


def close_reviews_on_consent_withdrawal(session: Session, scope, now) -> int:
    """CONSENT_WITHDRAWAL_HOOKS entry: an open consent question of a person who withdrew consent is not
    decided any more (a later decision must not give back what they took away)."""
    ids = list(getattr(scope, "submission_ids", []) or [])
    if not ids:
        return 0
    reviews = list(session.scalars(select(PaperReview).where(
        PaperReview.submission_id.in_(ids), PaperReview.question_id == CONSENT_QUESTION, PaperReview.status == REVIEW_OPEN)))
    for review in reviews:
        review.status = REVIEW_CLOSED
        review.crop_png = b""
        review.decided_by = "consent withdrawn"
        review.decided_at = now
    return len(reviews)


def register_privacy_hooks() -> None:
    """Withdrawn consent closes any open consent review. Called by routes.install; idempotent.

    (The paper tables holding a person's handwriting are listed in service/privacy/person.py
    ERASABLE_TABLES, so erasure deletes them and subject-access export lists them.)"""
    from service.privacy.consent import CONSENT_WITHDRAWAL_HOOKS

    if close_reviews_on_consent_withdrawal not in CONSENT_WITHDRAWAL_HOOKS:
        CONSENT_WITHDRAWAL_HOOKS.append(close_reviews_on_consent_withdrawal)


__all__ = ["RESPONDENT_QUESTION", "UNREADABLE_OUTCOMES", "decide_review", "open_reviews", "resolve_unreadable", "type_text",
           "unreadable_pages", "waiting_texts"]
