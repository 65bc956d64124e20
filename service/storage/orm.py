"""Typed SQLAlchemy 2 models.

The person's own words (`FreeText.text`) are written once and never updated: the code has no path that
changes them; translations, themes and redactions are annotations stored beside them. Contact details
live in their own table so they can be withheld from providers and erased on their own.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from service.storage.types import JSONType, UTCDateTime, utcnow

# Named constraints so Alembic migrations are deterministic on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType, list[Any]: JSONType}


class Provider(Base):
    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(40))
    area: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Contact(Base):
    """A person's contact details, apart from what they said."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    preference: Mapped[str] = mapped_column(String(20), default="none")
    safe_to_contact: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True, index=True)
    postal_address: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The normalised phone (E.164) and email (lower case), by which privacy requests find the row (see
    # service/privacy/contact_match.py). NULL beside a value: not filled (a row written by a path that forgot).
    phone_match: Mapped[str | None] = mapped_column(String(32), nullable=True)
    email_match: Mapped[str | None] = mapped_column(String(320), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_contact_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (
        # The value after the normalised one makes "not filled" (NULL beside a value) an index range too, so
        # such rows are found without reading the rows blanked long ago.
        Index("ix_contacts_phone_match", "phone_match", "phone"),
        Index("ix_contacts_email_match", "email_match", "email"),
    )

    def blank_details(self) -> None:
        """Erasure and retention: the details go, and their normalised forms with them."""
        self.name = self.phone = self.email = self.postal_address = None
        self.phone_match = self.email_match = None


class Submission(Base):
    __tablename__ = "submissions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    respondent: Mapped[str | None] = mapped_column(String(20), nullable=True)
    language: Mapped[str] = mapped_column(String(8))
    questionnaire_id: Mapped[str] = mapped_column(String(40))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    consent: Mapped[str] = mapped_column(String(12), default="none")
    contact_preference: Mapped[str] = mapped_column(String(12), default="none")
    contact_safe: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    communication_needs: Mapped[list[Any]] = mapped_column(default=list)
    communication_needs_other: Mapped[str | None] = mapped_column(Text, nullable=True)
    case_reference: Mapped[str | None] = mapped_column(String(64), nullable=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id"), nullable=True, index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), nullable=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    request_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)

    texts: Mapped[list["FreeText"]] = relationship(
        back_populates="submission", order_by="FreeText.id", cascade="all, delete-orphan", lazy="selectin"
    )
    contact: Mapped[Contact | None] = relationship(lazy="joined")
    provider: Mapped[Provider | None] = relationship(lazy="joined")

    __table_args__ = (
        Index("ix_submissions_received", "received_at", "id"),
        # Keys by prefix in byte order, whatever the database's locale (service/privacy/person.py _keys_starting);
        # PostgreSQL only: SQLite compares bytes, and knows no collation "C".
        Index("ix_submissions_idempotency_key_c", text('idempotency_key COLLATE "C"')).ddl_if(dialect="postgresql"),
    )


class FreeText(Base):
    """One free-text answer, verbatim. Never updated; erasure (on request) blanks it and records when."""

    __tablename__ = "free_texts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[str] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="texts")

    __table_args__ = (UniqueConstraint("submission_id", "question_id", name="uq_free_texts_submission_question"),)


class OutboxMessage(Base):
    """Everything the service will send (SMS, email, alerts) and background tasks, as durable rows.

    Written in the same transaction as the event that causes it; the worker claims due rows, hands each
    to the handler for its channel, and records the outcome. `dedupe_key` makes "never twice to the same
    recipient for the same event" a database rule.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))         # sms | email | task
    purpose: Mapped[str] = mapped_column(String(40))         # e.g. invitation, duty_alert, analyse_text
    recipient: Mapped[str | None] = mapped_column(String(320), nullable=True)
    subject: Mapped[str | None] = mapped_column(String(300), nullable=True)
    body: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    submission_id: Mapped[str | None] = mapped_column(ForeignKey("submissions.id", ondelete="SET NULL"), nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sending | sent | failed | cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    delivery_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    delivery_error_code: Mapped[str | None] = mapped_column(String(10), nullable=True)
    encoding: Mapped[str | None] = mapped_column(String(8), nullable=True)
    segments: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_purpose_due", "purpose", "status", "next_attempt_at"),   # outbox.alert_waiting
    )


class ApiToken(Base):
    """A staff API token. Only a SHA-256 of the token is kept (tokens are 256-bit random)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200), default="")
    provider_ids: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # It stops working from this moment; None: made before tokens expired (migration 0016), never.
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    # The member of staff who made it (they saw the secret once): their tokens are revoked when they are
    # deactivated or lose the right to make tokens. None for tokens made at the command line or by a token.
    created_by_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)


class TextAnnotation(Base):
    """What the text pipeline made of one free-text answer: an annotation beside the verbatim text.

    Re-running with a new model adds a row and marks the older one not current, so the history of
    every model's reading is kept. `model_version` names the exact models that produced it.
    """

    __tablename__ = "text_annotations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    free_text_id: Mapped[int] = mapped_column(ForeignKey("free_texts.id", ondelete="CASCADE"), index=True)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    model_version: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    language_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    language_uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    translation: Mapped[str | None] = mapped_column(Text, nullable=True)
    translation_status: Mapped[str] = mapped_column(String(16))  # not_needed | machine | queued | human
    translation_source: Mapped[str | None] = mapped_column(String(120), nullable=True)
    redacted: Mapped[str] = mapped_column(Text)
    redacted_translation: Mapped[str | None] = mapped_column(Text, nullable=True)
    themes: Mapped[list[Any]] = mapped_column(default=list)
    sentiment: Mapped[str | None] = mapped_column(String(16), nullable=True)
    disclosure: Mapped[bool] = mapped_column(Boolean, default=False)
    disclosure_category: Mapped[str | None] = mapped_column(String(32), nullable=True)
    disclosure_evidence: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_text_annotations_current", "free_text_id", "current"),)
