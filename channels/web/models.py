"""Tables of the web channel (migration: service/storage/migrations/versions/0010_web_revoked_drafts.py).

The web form stores nothing before "Send" (see draft.py). The one exception is the mark "Exit this page"
leaves: a keyed hash of the form's random key, so that no later post carrying that form (Back then Reload
by someone else at the same browser) can show its answers again. No answer, word, address or time of the
person's visit is kept, and the row is deleted once no draft of that form could be shown anyway.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from service.storage.orm import Base


class RevokedDraft(Base):
    """A form the person left with "Exit this page": its drafts are refused with the "expired" page."""

    __tablename__ = "web_revoked_drafts"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)   # HMAC-SHA256(SECRET_KEY, draft key)
    expires_at: Mapped[datetime] = mapped_column(index=True)              # deleted after this (see revocation.py)
