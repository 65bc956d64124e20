"""Password hashing (argon2id, via argon2-cffi) and the password rules.

argon2-cffi's defaults follow RFC 9106's second recommended option (argon2id, 64 MiB, 3 passes);
hashes made with older parameters are re-hashed at the next successful sign-in.
"""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
MAX_LENGTH = 256  # argon2 handles any length; a bound stops a megabyte "password" costing CPU

_hasher = PasswordHasher()

# A few of the most used passwords that pass the length rule; the length rule does most of the work.
_COMMON = {
    "password1234", "123456789012", "qwertyuiop12", "passwordpassword", "iloveyou1234", "letmein12345",
    "welcome12345", "adminadmin12", "changeme1234", "password123!", "qwertyuiopas", "111111111111",
}


class PasswordRuleError(ValueError):
    pass


def check_rules(password: str, *, email: str = "") -> None:
    """Raise PasswordRuleError with a plain message when the new password is not acceptable."""
    if len(password) < MIN_LENGTH:
        raise PasswordRuleError(f"Use at least {MIN_LENGTH} characters. Three or four random words make a good password.")
    if len(password) > MAX_LENGTH:
        raise PasswordRuleError(f"Use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in _COMMON or len(set(password)) < 4:
        raise PasswordRuleError("That password is too easy to guess. Three or four random words make a good password.")
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in lowered:
        raise PasswordRuleError("Do not use your email address in your password.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work whether or not there is a hash, so timing does not tell which accounts exist."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


_DUMMY_HASH = _hasher.hash("no account has this password; used to even out timing")
