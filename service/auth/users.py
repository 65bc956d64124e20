"""Staff accounts: creation, sign-in with lockout, optional TOTP, one-time password-setting links.

Lockout: MAX_FAILED_ATTEMPTS wrong passwords (or codes) in a row lock the account for LOCKOUT_PERIOD;
an admin can unlock it sooner. A sign-in attempt never says whether the email address has an account.
"""
from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import falcon
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth import sealed
from service.auth.models import PasswordSetToken, StaffUser
from service.auth.passwords import check_rules, hash_password, needs_rehash, verify_password
from service.auth.permissions import Permission, Role, role_allows
from service.auth.sessions import end_all_sessions, principal_for  # noqa: F401  (principal_for: re-exported)
from service.storage.types import utcnow

MAX_FAILED_ATTEMPTS = 5
LOCKOUT_PERIOD = timedelta(minutes=15)
PASSWORD_LINK_LIFETIME = timedelta(hours=48)
TOTP_ISSUER = "MSP feedback"


class UserError(ValueError):
    """A request about an account that cannot be met; the message is safe to show to an admin."""


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if len(email) > 320 or "@" not in email or email.startswith("@") or email.endswith("@") or any(c.isspace() for c in email):
        raise UserError("Enter an email address, like name@example.org.")
    return email


def _check_role(role: str, provider_ids: list[int]) -> Role:
    try:
        parsed = Role(role)
    except ValueError:
        raise UserError(f"Unknown role '{role}'.") from None
    if parsed is Role.PROVIDER_RESPONDER and not provider_ids:
        raise UserError("A provider responder needs at least one provider.")
    if parsed is not Role.PROVIDER_RESPONDER and provider_ids:
        raise UserError("Only provider responders are scoped to providers.")
    return parsed


def find_user(session: Session, email: str) -> StaffUser | None:
    try:
        email = normalise_email(email)
    except UserError:
        return None
    return session.scalar(select(StaffUser).where(StaffUser.email == email))


def create_user(session: Session, *, email: str, role: str, display_name: str = "", provider_ids: list[int] | tuple[int, ...] = (),
                password: str | None = None) -> StaffUser:
    email = normalise_email(email)
    provider_ids = sorted({int(p) for p in provider_ids})
    _check_role(role, provider_ids)
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise UserError("There is already an account with that email address.")
    user = StaffUser(email=email, display_name=display_name.strip()[:200], role=role, provider_ids=provider_ids,
                     must_change_password=password is None)
    if password is not None:
        check_rules(password, email=email)
        user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    return user


def update_user(session: Session, user: StaffUser, *, role: str | None = None, provider_ids: list[int] | None = None,
                display_name: str | None = None, active: bool | None = None) -> list[str]:
    """Change role, providers, name or active; returns the names of the fields changed. Ends sessions on access changes."""
    changed = []
    new_role = role if role is not None else user.role
    new_providers = sorted({int(p) for p in provider_ids}) if provider_ids is not None else list(user.provider_ids or [])
    if role is not None or provider_ids is not None:
        _check_role(new_role, new_providers)
    if new_role != user.role:
        user.role = new_role
        changed.append("role")
    if new_providers != list(user.provider_ids or []):
        user.provider_ids = new_providers
        changed.append("provider_ids")
    if display_name is not None and display_name.strip() != user.display_name:
        user.display_name = display_name.strip()[:200]
        changed.append("display_name")
    if active is not None and active != user.active:
        user.active = active
        changed.append("active")
    if {"role", "provider_ids", "active"} & set(changed):
        end_all_sessions(session, user.id)
    if ({"role", "active"} & set(changed)) and (not user.active or not role_allows(Role(user.role), Permission.TOKENS_MANAGE)):
        # Access removed must not live on in the tokens they made (and saw): those are revoked too.
        from service.auth.tokens import revoke_tokens_made_by

        if revoke_tokens_made_by(session, user.id):
            changed.append("api_tokens_revoked")
    return changed


def unlock(user: StaffUser) -> None:
    user.failed_attempts = 0
    user.locked_until = None


def is_locked(user: StaffUser, now: datetime) -> bool:
    return user.locked_until is not None and now < user.locked_until


# --- one-time password-setting links -------------------------------------------------------------

def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_password_link(session: Session, user: StaffUser, *, reset: bool, now: datetime | None = None) -> str:
    """A new one-time token (earlier unused ones stop working). With `reset`, the old password stops working now."""
    now = now or utcnow()
    for old in session.scalars(select(PasswordSetToken).where(PasswordSetToken.user_id == user.id, PasswordSetToken.used_at.is_(None))):
        old.used_at = now
    if reset:
        user.password_hash = None
        user.must_change_password = True
        unlock(user)
        end_all_sessions(session, user.id)
    raw = secrets.token_urlsafe(32)
    session.add(PasswordSetToken(token_hash=_token_hash(raw), user_id=user.id, created_at=now, expires_at=now + PASSWORD_LINK_LIFETIME))
    session.flush()
    return raw


def password_link(base_url: str, raw_token: str) -> str:
    return f"{base_url.rstrip('/')}/staff/set-password/{raw_token}"


def user_for_password_token(session: Session, raw: str, now: datetime | None = None) -> tuple[PasswordSetToken, StaffUser] | None:
    if not raw or len(raw) > 100:
        return None
    now = now or utcnow()
    row = session.scalar(select(PasswordSetToken).where(PasswordSetToken.token_hash == _token_hash(raw)))
    if row is None or row.used_at is not None or now >= row.expires_at:
        return None
    user = session.get(StaffUser, row.user_id)
    if user is None or not user.active:
        return None
    return row, user


def set_password_with_token(session: Session, raw: str, new_password: str, now: datetime | None = None) -> StaffUser:
    now = now or utcnow()
    found = user_for_password_token(session, raw, now)
    if found is None:
        raise UserError("This link has expired or was already used. Ask an admin for a new one.")
    row, user = found
    set_password(session, user, new_password)   # from a link, signed in nowhere: every session ends
    row.used_at = now
    return user


def set_password(session: Session, user: StaffUser, new_password: str, *, keep: str | None = None) -> int:
    """A new password; the account's other sessions end (one signed in with the old password, perhaps by
    whoever learnt it, does not outlive the change). `keep`: the raw id of the session making the change.
    Returns how many sessions ended."""
    check_rules(new_password, email=user.email)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    unlock(user)
    return end_all_sessions(session, user.id, keep=keep)


# --- sign-in -----------------------------------------------------------------------------------

class SignIn(enum.Enum):
    OK = "ok"
    NEEDS_CODE = "needs_code"
    REJECTED = "rejected"       # wrong email or password (the same answer for both)
    LOCKED = "locked"           # this attempt locked the account, or it was locked already


@dataclass(frozen=True)
class SignInResult:
    outcome: SignIn
    user: StaffUser | None = None
    locked_now: bool = False


def lock_account(session: Session, user_id: int) -> StaffUser | None:
    """The account re-read under its row lock (SELECT ... FOR UPDATE), held until the caller's transaction ends.

    Sign-in attempts on one account take turns from here on: without the lock, attempts sent at the same
    moment each read the same failed_attempts (or totp_last_step) and wrote back their own total, so a burst
    of wrong passwords or codes never reached the lockout, and one code signed in several browsers. SQLite
    needs no lock of its own: its units of work take the database's write lock at BEGIN (storage.database).
    """
    return session.get(StaffUser, user_id, with_for_update=True, populate_existing=True)


def _failure(user: StaffUser, now: datetime) -> SignInResult:
    user.failed_attempts += 1
    if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
        user.locked_until = now + LOCKOUT_PERIOD
        user.failed_attempts = 0
        return SignInResult(SignIn.LOCKED, user, locked_now=True)
    return SignInResult(SignIn.REJECTED, user)


def check_password(session: Session, email: str, password: str, now: datetime | None = None) -> SignInResult:
    """The first step of signing in. The caller commits (so failures are counted) and records the audit event."""
    now = now or utcnow()
    user = find_user(session, email)
    if user is None or not user.active:
        verify_password(None, password)  # same work as for a real account
        return SignInResult(SignIn.REJECTED, user)
    if is_locked(user, now):
        verify_password(None, password)
        return SignInResult(SignIn.LOCKED, user)
    checked_hash = user.password_hash
    right = verify_password(checked_hash, password)   # the slow part, before the lock: attempts wait only for the count
    user = lock_account(session, user.id)
    if user is None or not user.active:
        return SignInResult(SignIn.REJECTED, user)
    if is_locked(user, now):   # another attempt locked it while this one was checked
        return SignInResult(SignIn.LOCKED, user)
    if user.password_hash != checked_hash:   # reset or set meanwhile: the password checked is not the one that counts now
        right = verify_password(user.password_hash, password)
    if user.locked_until is not None:  # the lock has run out
        user.locked_until = None
    if not right:
        return _failure(user, now)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if user.totp_enabled and user.totp_secret:
        return SignInResult(SignIn.NEEDS_CODE, user)
    user.failed_attempts = 0
    user.last_sign_in_at = now
    return SignInResult(SignIn.OK, user)


def check_code(user: StaffUser, code: str, now: datetime | None = None, *, keys: Sequence[str]) -> SignInResult:
    """The TOTP step. A code is accepted once (its time step is remembered); wrong codes count towards lockout.
    `user` must be held under `lock_account`, or concurrent attempts undo both promises.
    `keys`: SECRET_KEY, then SECRET_KEY_PREVIOUS; a secret in the clear or under an old key is re-sealed."""
    now = now or utcnow()
    if is_locked(user, now):
        return SignInResult(SignIn.LOCKED, user)
    step = verify_totp(user, code, now, keys=keys)
    if step is None:
        return _failure(user, now)
    reseal_totp_secret(user, keys)
    user.totp_last_step = step
    user.failed_attempts = 0
    user.last_sign_in_at = now
    return SignInResult(SignIn.OK, user)


# --- TOTP (RFC 6238, 30-second steps, 6 digits) -----------------------------------------------------

def new_totp_secret() -> str:
    import pyotp

    return pyotp.random_base32()


def totp_uri(user: StaffUser, secret: str) -> str:
    import pyotp

    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def stored_totp_secret(user: StaffUser, keys: Sequence[str]) -> sealed.Opened | None:
    """The account's TOTP secret, opened (see service/auth/sealed.py), or None."""
    return sealed.open_secret(user.totp_secret, user.id, keys)


def reseal_totp_secret(user: StaffUser, keys: Sequence[str]) -> bool:
    """Seal the account's secret under the current key when it is in the clear or under a previous key."""
    opened = stored_totp_secret(user, keys)
    if opened is None or not opened.needs_reseal:
        return False
    user.totp_secret = sealed.seal(opened.secret, user.id, keys[0])
    return True


@dataclass(frozen=True)
class ResealReport:
    sealed: int                 # were in the clear or under a previous key, now under SECRET_KEY
    unopened: list[str]         # emails of accounts whose secret no key opens (they cannot sign in)


def reseal_all_totp_secrets(session: Session, keys: Sequence[str]) -> ResealReport:
    """Seal every TOTP secret still in the clear or under a previous key (run by `msp-feedback db upgrade`).
    The caller commits."""
    sealed_now, unopened = 0, []
    for user in session.scalars(select(StaffUser).where(StaffUser.totp_secret.is_not(None)).order_by(StaffUser.id)):
        if stored_totp_secret(user, keys) is None:
            unopened.append(user.email)
        else:
            sealed_now += reseal_totp_secret(user, keys)
    return ResealReport(sealed_now, unopened)


def verify_totp(user: StaffUser, code: str, now: datetime | None = None, *, keys: Sequence[str] | None = None,
                secret: str | None = None) -> int | None:
    """The time step of a valid, not-yet-used code (one step of clock drift allowed either way), else None.
    `secret` is a new secret being enrolled; otherwise the account's own, opened with `keys`."""
    if secret is None:
        if not keys:
            raise ValueError("verify_totp: pass keys (SECRET_KEY, then SECRET_KEY_PREVIOUS) to open the account's secret")
        opened = stored_totp_secret(user, keys)
        secret = opened.secret if opened else None
    code = "".join((code or "").split())
    if not secret or len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    import pyotp

    now = now or utcnow()
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // totp.interval
    for step in (current - 1, current, current + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


# Turning two-step sign-in on or off ends the account's other sessions, as a new password does: a session
# made before it was turned on never gave a code (someone who learnt the password and signed in would keep
# his session just when the owner turns it on because of him), and one made before it was turned off (or
# reset by an admin, for a lost phone) belongs to a sign-in the owner no longer vouches for.

def enable_totp(session: Session, user: StaffUser, secret: str, code: str, now: datetime | None = None, *, secret_key: str,
                keep: str | None = None) -> int | None:
    """Turn two-step sign-in on with this new secret if `code` is right for it: the number of other sessions
    ended (`keep`: the raw id of the session making the change), or None for a wrong code (nothing changed)."""
    step = verify_totp(user, code, now, secret=secret)
    if step is None:
        return None
    user.totp_secret = sealed.seal(secret, user.id, secret_key)
    user.totp_enabled = True
    user.totp_last_step = step
    return end_all_sessions(session, user.id, keep=keep)


def disable_totp(session: Session, user: StaffUser, *, keep: str | None = None) -> int:
    """Turn two-step sign-in off (by the person, an admin, or the command line); returns how many of the
    account's sessions ended (all but `keep`)."""
    user.totp_secret = None
    user.totp_enabled = False
    user.totp_last_step = None
    return end_all_sessions(session, user.id, keep=keep)


def user_by_id(session: Session, user_id: int) -> StaffUser:
    """The staff account with this id, or 404 (for the API and the admin pages alike)."""
    user = session.get(StaffUser, user_id)
    if user is None:
        raise falcon.HTTPNotFound(title="No such account", description=f"There is no staff account with id {user_id}.")
    return user
