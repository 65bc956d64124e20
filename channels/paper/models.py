"""Tables of the paper channel (migration: service/storage/migrations/versions/0005_paper.py).

A printed sheet is registered when it is rendered (`paper_sheets`); each page of it can be recorded once
(`paper_pages`, unique per sheet and page), by a scan or by keyed entry. What the machine could not
decide waits for a person: `paper_reviews` (an unclear or doubly ticked question, with the crop of its
boxes), `paper_text_crops` (a written free-text box, to be typed) and `paper_unreadable` (a page that
could not be read, with its image and the reason). The answers themselves live only in `submissions`
and `free_texts`, written through the one intake path.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.storage.orm import Base
from service.storage.types import utcnow

PAGE_PENDING = "pending"      # marked by a scan or keyed entry whose answers are not stored yet
PAGE_RECORDED = "recorded"    # its answers are stored: a second scan of it is a duplicate

REVIEW_OPEN = "open"
REVIEW_DECIDED = "decided"
REVIEW_CLOSED = "closed"      # nothing to decide any more (e.g. consent withdrawn meanwhile)

CROP_WAITING = "waiting"
CROP_TYPED = "typed"

BLANK_ANSWER = ""             # a review decided as "nothing ticked": the question stays unanswered


class PaperSheet(Base):
    """One printed copy of a form: its id is in the QR code of every page."""

    __tablename__ = "paper_sheets"

    sheet_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    form_id: Mapped[str] = mapped_column(String(40))
    form_version: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    pages: Mapped[int] = mapped_column(Integer)
    case_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"), nullable=True, index=True)
    layout_fingerprint: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submission_id: Mapped[str | None] = mapped_column(ForeignKey("submissions.id", ondelete="SET NULL"), nullable=True, index=True)


class PaperPage(Base):
    """One page of a sheet that was scanned or keyed. The unique pair is what catches a second scan."""

    __tablename__ = "paper_pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[str] = mapped_column(ForeignKey("paper_sheets.sheet_id", ondelete="CASCADE"))
    page: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default=PAGE_PENDING)
    run_id: Mapped[str] = mapped_column(String(120))
    via: Mapped[str] = mapped_column(String(8), default="scan")          # scan | keyed
    scanned_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("sheet_id", "page", name="uq_paper_pages_sheet_page"),)


class PaperReview(Base):
    """A question a person must decide: the boxes as scanned, every box's reading, least certain first."""

    __tablename__ = "paper_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[str] = mapped_column(ForeignKey("paper_sheets.sheet_id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[str | None] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), nullable=True, index=True)
    page: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(16))                     # uncertain | multiple
    readings: Mapped[list[Any]] = mapped_column(default=list)
    crop_png: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str] = mapped_column(String(500), default="")
    least_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(8), default=REVIEW_OPEN)
    decided_answer: Mapped[str | None] = mapped_column(String(40), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        # One review per question of a sheet: a rescan after a failure cannot queue it twice.
        UniqueConstraint("sheet_id", "question_id", name="uq_paper_reviews_sheet_question"),
        Index("ix_paper_reviews_queue", "status", "least_confidence"),
    )


class PaperTextCrop(Base):
    """A written free-text box, as an image, waiting for a person to type what it says."""

    __tablename__ = "paper_text_crops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    sheet_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    question_id: Mapped[str] = mapped_column(String(40))
    crop_png: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(8), default=CROP_WAITING)
    typed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    typed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("submission_id", "question_id", name="uq_paper_text_crops_submission_question"),
        Index("ix_paper_text_crops_status", "status", "id"),
    )


class PaperUnreadable(Base):
    """A scanned page that could not be read: kept, with its image and why, for a person to deal with."""

    __tablename__ = "paper_unreadable"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    page: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    image_png: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The issued sheet its QR code named (None: no code, or not a sheet of ours). The page is then the
    # person's who sent that sheet back: erasure and subject-access export find it through
    # paper_sheets.submission_id (service/privacy/person.py ERASABLE_TABLES). Migration 0020.
    sheet_id: Mapped[str | None] = mapped_column(String(16), nullable=True, index=True)
