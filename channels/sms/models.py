"""Tables of the SMS channel (migration: service/storage/migrations/versions/0003_sms.py).

No table here holds a phone number. Numbers are found by `phone_hash` (HMAC-SHA256 keyed by SECRET_KEY,
see channels/sms/phone.py): the number itself lives in the contacts table (with the feedback it came
with) and on the outbox rows that send to it. No table here keeps a message body either: the person's
words go through the one intake path into free_texts, and what we send is in the outbox. The one
exception is a run in progress: its `state` holds the answers and words given so far, until the run ends
(finished, expired or stopped) and they are submitted; then the state keeps only how far it got.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.storage.orm import Base
from service.storage.types import utcnow

OPEN = "open"
FINISHED = "finished"
EXPIRED = "expired"
STOPPED = "stopped"


class SmsConversation(Base):
    """One run of the questionnaire by SMS with one person (started by an invitation)."""

    __tablename__ = "sms_conversations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    phone_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    questionnaire_id: Mapped[str] = mapped_column(String(40))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    case_reference: Mapped[str | None] = mapped_column(String(64), nullable=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("providers.id", ondelete="SET NULL"), nullable=True)
    status: Mapped[str] = mapped_column(String(12), default=OPEN)   # open | finished | expired | stopped
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)      # conversation.State.to_json()
    submission_id: Mapped[str | None] = mapped_column(ForeignKey("submissions.id", ondelete="SET NULL"), nullable=True)
    invited_by_token_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column(nullable=True)

    __table_args__ = (Index("ix_sms_conversations_phone_status", "phone_hash", "status"),
                      Index("ix_sms_conversations_status_expires", "status", "expires_at"))


class SmsInbound(Base):
    """Each inbound MessageSid once: a Twilio retry or duplicate finds its row and changes nothing."""

    __tablename__ = "sms_inbound"

    message_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    conversation_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    outcome: Mapped[str] = mapped_column(String(20))   # answer | stray | stop | start | help | opted_out
    # The number it came from, keyed (channels/sms/phone.py): erasure by number finds every text the person
    # sent, to delete Twilio's copy (a STOP outside a run belongs to no run). Blanked by erasure and retention.
    phone_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)


class SmsOptOut(Base):
    """Who said STOP (or whom Twilio reports as opted out, error 21610), until they say START."""

    __tablename__ = "sms_opt_outs"

    phone_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(20))      # keyword | twilio | error_21610 | status_21610
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
