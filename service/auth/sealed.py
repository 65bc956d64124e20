"""Secrets kept at rest sealed with a key the database does not hold (TOTP secrets of staff accounts).

A TOTP secret must be readable by the service (to check codes), so it cannot be hashed like a password.
It is sealed with AES-GCM under a key derived from SECRET_KEY, which lives in the environment (or the
var directory), not in the database: a copy of the database alone no longer gives away anyone's second
factor. The seal is bound to the account id, so a sealed secret copied to another account does not open.

Key rotation: `open_secret` tries SECRET_KEY, then each of SECRET_KEY_PREVIOUS, and says which one opened
it, so the caller can re-seal under the current key. A value without the prefix is a secret stored before
sealing existed; it is read as it is and re-sealed by the caller (`msp-feedback db upgrade` seals them all).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "sealed1:"
_NONCE_BYTES = 12
_PURPOSE = b"msp-feedback staff_users.totp_secret v1"


def _key(secret_key: str) -> bytes:
    # A key of its own for this purpose: SECRET_KEY also signs forms and hashes phone numbers.
    return hmac.new(secret_key.encode("utf-8"), _PURPOSE, hashlib.sha256).digest()


def _associated_data(account_id: int) -> bytes:
    return _PURPOSE + b"\0" + str(int(account_id)).encode("ascii")


def seal(secret: str, account_id: int, secret_key: str) -> str:
    """The secret sealed under the current key, as text for a String column (88 characters for a TOTP secret)."""
    if not secret_key:
        raise ValueError("SECRET_KEY is empty: nothing to seal with")
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key(secret_key)).encrypt(nonce, secret.encode("utf-8"), _associated_data(account_id))
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def is_sealed(stored: str | None) -> bool:
    return bool(stored) and stored.startswith(PREFIX)


@dataclass(frozen=True)
class Opened:
    secret: str
    needs_reseal: bool      # stored in the clear, or sealed under a previous key


def open_secret(stored: str | None, account_id: int, keys: Sequence[str]) -> Opened | None:
    """The secret, or None when there is none or no key opens it (a key retired from SECRET_KEY_PREVIOUS
    too soon, or a value that was tampered with). `keys`: SECRET_KEY first, then the previous keys."""
    if not stored:
        return None
    if not is_sealed(stored):
        return Opened(stored, needs_reseal=True)
    try:
        raw = base64.urlsafe_b64decode(stored[len(PREFIX):].encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return None
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    if len(nonce) != _NONCE_BYTES or not sealed:
        return None
    for position, key in enumerate(keys):
        if not key:
            continue
        try:
            secret = AESGCM(_key(key)).decrypt(nonce, sealed, _associated_data(account_id))
        except InvalidTag:
            continue
        return Opened(secret.decode("utf-8"), needs_reseal=position > 0)
    return None
