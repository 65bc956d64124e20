"""Server-side staff sessions.

The browser holds only a random id in the session cookie (HttpOnly, SameSite=Strict, path /): over https
`__Host-msp_session`, Secure; over plain http (local use, tests) `msp_session`. The database holds its
SHA-256, the user and the times. A session ends after IDLE_TIMEOUT without a request or ABSOLUTE_TIMEOUT
after sign-in, whichever is first; signing out deletes the row. The id is new at every sign-in step (no
fixation), and a change of password or of two-step sign-in ends the account's other sessions.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import falcon
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.auth.models import StaffSession, StaffUser
from service.auth.permissions import Role
from service.auth.tokens import Principal
from service.storage.types import utcnow

COOKIE_NAME = "msp_session"
# Over https the `__Host-` prefix: a browser takes such a cookie only when Secure, with Path=/ and no Domain,
# so another host of the same domain (a sibling subdomain) can neither set one for this host nor shadow it.
# Browsers refuse the prefix without Secure, hence the plain name over plain http.
SECURE_COOKIE_NAME = "__Host-" + COOKIE_NAME
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=10)
PENDING_TIMEOUT = timedelta(minutes=5)   # between the password and the TOTP code
TOUCH_RESOLUTION = timedelta(minutes=1)   # avoid a write on every request

STAGE_FULL = "full"
STAGE_TOTP = "totp"


def _hash(raw_id: str) -> str:
    return hashlib.sha256(raw_id.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LoadedSession:
    row: StaffSession
    user: StaffUser


def start_session(session: Session, user: StaffUser, *, stage: str = STAGE_FULL, client_address: str = "",
                  now: datetime | None = None, replaces: str | None = None) -> str:
    """Create a session and return the raw id for the cookie; `replaces` (an old raw id) is deleted."""
    now = now or utcnow()
    if replaces:
        end_session(session, replaces)
    raw_id = secrets.token_urlsafe(32)
    limit = PENDING_TIMEOUT if stage == STAGE_TOTP else ABSOLUTE_TIMEOUT
    session.add(StaffSession(id_hash=_hash(raw_id), user_id=user.id, stage=stage, created_at=now, last_seen_at=now,
                             expires_at=now + limit, client_address=client_address[:64]))
    session.flush()
    return raw_id


def load_session(session: Session, raw_id: str | None, *, stage: str = STAGE_FULL, now: datetime | None = None) -> LoadedSession | None:
    """The live session for this cookie value, or None (unknown, expired, idle too long, user disabled)."""
    if not raw_id or len(raw_id) > 100:
        return None
    now = now or utcnow()
    row = session.get(StaffSession, _hash(raw_id))
    if row is None or row.stage != stage:
        return None
    if now >= row.expires_at or now - row.last_seen_at >= IDLE_TIMEOUT:
        session.delete(row)
        return None
    user = session.get(StaffUser, row.user_id)
    if user is None or not user.active:
        session.delete(row)
        return None
    if now - row.last_seen_at > TOUCH_RESOLUTION:
        row.last_seen_at = now
    return LoadedSession(row=row, user=user)


def user_id_of(session: Session, raw_id: str | None) -> int | None:
    """The account this cookie's session (live or not) belongs to, read without changing anything: for taking
    the account's lock before the session is loaded (load_session may write)."""
    if not raw_id or len(raw_id) > 100:
        return None
    return session.scalar(select(StaffSession.user_id).where(StaffSession.id_hash == _hash(raw_id)))


def end_session(session: Session, raw_id: str | None) -> None:
    if raw_id and len(raw_id) <= 100:
        session.execute(delete(StaffSession).where(StaffSession.id_hash == _hash(raw_id)))


def end_all_sessions(session: Session, user_id: int, *, keep: str | None = None) -> int:
    """After a change of password, role, providers, activation or two-step sign-in: every browser signs in
    again, but the session `keep` (the raw id of the one that made the change, if it is this account's).
    Returns how many sessions ended."""
    query = delete(StaffSession).where(StaffSession.user_id == user_id)
    if keep:
        query = query.where(StaffSession.id_hash != _hash(keep))
    return session.execute(query).rowcount or 0


def purge_expired(session: Session, now: datetime | None = None) -> int:
    now = now or utcnow()
    result = session.execute(
        delete(StaffSession).where((StaffSession.expires_at <= now) | (StaffSession.last_seen_at <= now - IDLE_TIMEOUT))
    )
    return result.rowcount or 0


def cookie_name(*, secure: bool) -> str:
    """The session cookie's name: `secure` is the service's setting (PUBLIC_BASE_URL is https)."""
    return SECURE_COOKIE_NAME if secure else COOKIE_NAME


def read_cookie(req: falcon.Request, *, secure: bool) -> str | None:
    """The raw session id this browser sent, under the name in use only: over https a plain `msp_session`
    (which any host of the domain could have set) is not read."""
    return req.cookies.get(cookie_name(secure=secure))


def set_cookie(resp: falcon.Response, raw_id: str, *, secure: bool) -> None:
    # No max_age: a browser-session cookie; the server enforces the timeouts. No domain: this host only.
    resp.set_cookie(cookie_name(secure=secure), raw_id, path="/", secure=secure, http_only=True, same_site="Strict")


def clear_cookie(resp: falcon.Response, *, secure: bool) -> None:
    resp.set_cookie(cookie_name(secure=secure), "", path="/", secure=secure, http_only=True, same_site="Strict", max_age=0,
                    expires=datetime(1970, 1, 1))


def principal_for(user: StaffUser) -> Principal:
    return Principal(role=Role(user.role), label=user.display_name or user.email, provider_ids=tuple(user.provider_ids or ()),
                     user_id=user.id, via="session")


def sessions_of(session: Session, user_id: int) -> list[StaffSession]:
    return list(session.scalars(select(StaffSession).where(StaffSession.user_id == user_id)))
