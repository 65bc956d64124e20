"""Forms left with "Exit this page": no later post carrying one of their drafts shows its answers.

Every page of the form is the answer to a POST, and the browser keeps those posts in its history.
`location.replace` takes only the current page out of it, so after "Exit this page" someone else at the
same browser could press Back, then Reload ("Confirm Form Resubmission"), and the server would draw an
earlier page again, with the person's words, from the signed draft that post carries. app.js therefore
sends the form's exit token (its random key, signed; see draft.sign_exit) with navigator.sendBeacon to
POST /feedback/abandon before it leaves, and the server refuses every draft of that form from then on.

What is kept: HMAC-SHA256 of the form's key under SECRET_KEY and when the row may go. It is deleted once
no draft of that form could be shown anyway (drafts.SHOWN_FOR_SECONDS after the exit, plus a margin for
clocks), by the next exit from any form. Nothing the person wrote, nor any address or time of their
visit, is stored. After a rotation of SECRET_KEY the old rows no longer match, which is fine: drafts signed
with the old key are refused anyway.

Without JavaScript the exit is a plain link and cannot tell the server (see the README).
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from channels.web import draft as drafts
from channels.web.models import RevokedDraft
from service.storage.types import utcnow
from service.storage.unit_of_work import UnitOfWork

# How long a mark is kept: longer than any draft of the form can still put something on a page.
KEEP = timedelta(seconds=drafts.SHOWN_FOR_SECONDS) + timedelta(minutes=15)


def key_hash(secret_key: str, draft_key: str) -> str:
    return hmac.new(secret_key.encode(), f"revoked-draft:{draft_key}".encode(), hashlib.sha256).hexdigest()


def revoke(uow: UnitOfWork, secret_key: str, draft_key: str, now: datetime | None = None) -> None:
    """Mark the form as left; delete marks no longer needed (retention: see the module's docstring)."""
    now = now or utcnow()
    digest = key_hash(secret_key, draft_key)
    with uow.late_lock() as writing:
        session = writing.session
        session.execute(delete(RevokedDraft).where(RevokedDraft.expires_at < now))
        if session.scalar(select(RevokedDraft.key_hash).where(RevokedDraft.key_hash == digest)) is None:
            session.execute(insert(RevokedDraft), [dict(key_hash=digest, expires_at=now + KEEP)])
        try:
            writing.commit()
        except IntegrityError:      # the same form left twice at once (a double press): one mark is enough
            writing.rollback()


def is_revoked(uow: UnitOfWork, secret_key: str, draft_key: str) -> bool:
    with uow.late_lock() as reading:   # reads only: no write lock is taken
        return reading.session.scalar(
            select(RevokedDraft.key_hash).where(RevokedDraft.key_hash == key_hash(secret_key, draft_key))) is not None
