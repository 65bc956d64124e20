"""Staff API tokens: 256-bit random, shown once, kept only as a SHA-256 hash.

A fast hash is right here (unlike passwords): the token has full entropy, so it cannot be guessed from
its hash, and a lookup per request must be cheap.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.permissions import Role
from service.storage.orm import ApiToken
from service.storage.types import utcnow

TOKEN_PREFIX = "msp_"
LAST_USED_RESOLUTION = timedelta(minutes=1)  # avoid a write on every request
# A token works for this many days unless made for fewer or more (up to MAX_TOKEN_DAYS): one nobody revoked
# (a lost laptop, a supplier gone) stops on its own; a system that still needs one is given a new one.
DEFAULT_TOKEN_DAYS = 365
MAX_TOKEN_DAYS = 730


class TokenError(ValueError):
    """A token that cannot be made as asked; the message is safe to show to an admin."""


class TokenExpired(Exception):
    """The token was right but its days are over (its holder has the secret: telling them is no leak)."""

    def __init__(self, expires_at):
        super().__init__(f"expired {expires_at.isoformat()}")
        self.expires_at = expires_at


@dataclass(frozen=True)
class Principal:
    role: Role
    token_id: int | None = None
    label: str = ""
    provider_ids: tuple[int, ...] = field(default_factory=tuple)
    user_id: int | None = None       # set when signed in with a session (a staff user), not a token
    via: str = "token"                # "token" | "session"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, role: Role, label: str = "", provider_ids: tuple[int, ...] = (),
                 created_by_user_id: int | None = None, days: int = DEFAULT_TOKEN_DAYS,
                 made_by_token_id: int | None = None) -> tuple[ApiToken, str]:
    """A new token, working for ``days``. One made with another token (``made_by_token_id``) stops no later
    than that one: a token must not renew itself by making its successor, or expiry would bound nothing."""
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise TokenError(f"A token lasts from 1 to {MAX_TOKEN_DAYS} days.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    expires_at = now + timedelta(days=days)
    if made_by_token_id is not None:
        maker = session.get(ApiToken, made_by_token_id)
        # a maker from before tokens expired passes on no more than the default
        limit = maker.expires_at if maker is not None and maker.expires_at is not None else now + timedelta(days=DEFAULT_TOKEN_DAYS)
        expires_at = min(expires_at, limit)
    row = ApiToken(token_hash=hash_token(token), role=role.value, label=label, provider_ids=list(provider_ids),
                   created_by_user_id=created_by_user_id, created_at=now, expires_at=expires_at)
    session.add(row)
    session.flush()
    return row, token


def authenticate(session: Session, token: str) -> Principal | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if row.expires_at is not None and now >= row.expires_at:
        raise TokenExpired(row.expires_at)
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        row.last_used_at = now
    return Principal(role=Role(row.role), token_id=row.id, label=row.label, provider_ids=tuple(row.provider_ids or ()))


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


def revoke_tokens_made_by(session: Session, user_id: int) -> list[int]:
    """Revoke every live token this member of staff made (they saw each secret once, and may have kept it).
    Returns the ids revoked: the systems that used them need new ones."""
    rows = list(session.scalars(select(ApiToken).where(ApiToken.created_by_user_id == user_id, ApiToken.revoked_at.is_(None))))
    now = utcnow()
    for row in rows:
        row.revoked_at = now
    return [row.id for row in rows]


def revoke_token(session: Session, token_id: int) -> bool:
    row = session.get(ApiToken, token_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True
