"""Tables of the meetings channel (migrations: service/storage/migrations/versions/0004_meetings.py,
0012_meeting_fingerprints.py and 0013_meeting_action_cut.py).

The words of each issue raised are not kept here: they go through the one intake path into
`free_texts` (verbatim, analysed by the worker like any other feedback); `meeting_issues` links the
submission to its meeting and says who raised it.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.storage.orm import Base, Provider, Submission
from service.storage.types import utcnow


class Meeting(Base):
    """One residents' (and relatives') meeting of one home."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"))
    held_on: Mapped[date] = mapped_column(Date)
    residents_count: Mapped[int] = mapped_column(Integer, default=0)
    relatives_count: Mapped[int] = mapped_column(Integer, default=0)
    staff_count: Mapped[int] = mapped_column(Integer, default=0)
    # How many issues the log had when it was saved: fewer linked issues means some failed to save, and the
    # meeting page says so and offers to add them (issues are stored one by one, after the meeting).
    issues_expected: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str] = mapped_column(String(8), default="en")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_by_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The form key (web form) or the caller's Idempotency-Key (API), scoped to who sent it (see service.scoped_key),
    # and a fingerprint of what was sent with it: a repeat with the same key and the same fingerprint is the same
    # meeting sent again; the same key with a different fingerprint is refused, never answered with this meeting.
    form_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    request_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)   # NULL: logged before 0012
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    provider: Mapped[Provider] = relationship(lazy="joined")
    issues: Mapped[list[MeetingIssue]] = relationship(back_populates="meeting", order_by="MeetingIssue.position", lazy="selectin")
    actions: Mapped[list[MeetingAction]] = relationship(
        back_populates="meeting", order_by="MeetingAction.id", lazy="selectin", foreign_keys="MeetingAction.meeting_id"
    )

    __table_args__ = (Index("ix_meetings_provider_held", "provider_id", "held_on", "id"),)


class MeetingIssue(Base):
    """One issue raised at a meeting: a submission (channel `meeting`) and who raised it."""

    __tablename__ = "meeting_issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    # SET NULL: should a retention rule ever delete the submission, the meeting still shows an issue was raised.
    submission_id: Mapped[str | None] = mapped_column(ForeignKey("submissions.id", ondelete="SET NULL"), nullable=True, unique=True)
    raised_by: Mapped[str] = mapped_column(String(10))   # resident | relative | staff
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="issues")
    submission: Mapped[Submission | None] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("meeting_id", "position", name="uq_meeting_issues_meeting_position"),)


class MeetingAction(Base):
    """An action agreed at a meeting: what, who, by when; followed up at the home's next meeting."""

    __tablename__ = "meeting_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(Text)   # cut to its redacted form by retention (service/privacy/retention.py)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)   # open | done | carried_forward
    carried_from_action_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_actions.id"), nullable=True, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    closed_in_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When retention cut `what` to its redacted form (RETENTION_FREE_TEXT_MONTHS after created_at); NULL: verbatim.
    redacted_at: Mapped[datetime | None] = mapped_column(nullable=True)

    meeting: Mapped[Meeting] = relationship(back_populates="actions", foreign_keys=[meeting_id])
    carried_from: Mapped[MeetingAction | None] = relationship(remote_side=[id], lazy="joined")
