"""What privacy work did to stored words: one row per free text that was erased or cut to its redacted form.

`FreeText.text` is otherwise never changed (guide, section 2). This table says when and why it was, so
reports can tell an erased answer from a short one, and the retention job does not redo its work.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from service.storage.orm import Base
from service.storage.types import utcnow

KIND_ERASED = "erased"        # erased on the person's request (or after consent withdrawal by request)
KIND_REDACTED = "redacted"    # retention: only the redacted form is kept


class TextReduction(Base):
    __tablename__ = "text_reductions"

    free_text_id: Mapped[int] = mapped_column(ForeignKey("free_texts.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(default=utcnow)
