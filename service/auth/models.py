"""Staff accounts, their server-side sessions and one-time password-setting links.

Secrets are never stored as given: passwords as argon2id hashes, session ids and password-setting
tokens as SHA-256 of 256-bit random values (full entropy, so a fast hash cannot be reversed).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.storage.orm import Base
from service.storage.types import utcnow


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)          # kept lower-case
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(40))
    provider_ids: Mapped[list[Any]] = mapped_column(default=list)          # provider responders only
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)  # None until set via a link
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)
    totp_secret: Mapped[str | None] = mapped_column(String(200), nullable=True)  # sealed: service/auth/sealed.py
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a code is accepted once
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(nullable=True)


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random id; only its SHA-256 is kept here."""

    __tablename__ = "staff_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(12), default="full")  # "totp": password checked, code awaited
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()                    # absolute limit
    client_address: Mapped[str] = mapped_column(String(64), default="")


class PasswordSetToken(Base):
    """A one-time link to set a password (new account or admin reset). Only its SHA-256 is kept."""

    __tablename__ = "password_set_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)
