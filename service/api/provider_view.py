"""What a provider responder is shown of when feedback came, and how it is found again.

Submission ids are UUIDv7: their first 48 bits are the time of intake in milliseconds. A provider who was
given the day only ("received_at" cut to midnight) could still read "14:07:31 on Tuesday" off the id, and in
a small home that is the one resident who was helped to the tablet then. So a provider sees every
submission under an id of its own: the real id encrypted with a key derived from SECRET_KEY (AES on the
id's one 128-bit block: the same submission always shows the same id, and it cannot be read back without
the key). The list's cursor, which holds the exact time for paging, is sealed (AES-GCM) for the same
reason, and the list's time filters are widened to whole days (UTC).

After SECRET_KEY is rotated, ids shown under a previous key (SECRET_KEY_PREVIOUS) are still found.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_ID_PURPOSE = b"msp-feedback provider submission ids v1"
_CURSOR_PURPOSE = b"msp-feedback provider list cursor v1"
_NONCE_BYTES = 12


def _key(secret_key: str, purpose: bytes) -> bytes:
    # A key of its own for each purpose: SECRET_KEY also signs forms, hashes phone numbers and seals secrets.
    return hmac.new(secret_key.encode("utf-8"), purpose, hashlib.sha256).digest()


def _block(secret_key: str, data: bytes, *, encrypt: bool) -> bytes:
    # One block of AES: a keyed permutation of 128-bit values, which is what an opaque, stable id needs (no
    # mode of operation chains anything: there is nothing to chain).
    cipher = Cipher(algorithms.AES(_key(secret_key, _ID_PURPOSE)), modes.ECB())  # noqa: S305 - a single block
    worker = cipher.encryptor() if encrypt else cipher.decryptor()
    return worker.update(data) + worker.finalize()


def shown_id(submission_id: str, secret_key: str) -> str:
    """The id a provider sees for a submission."""
    return str(uuid.UUID(bytes=_block(secret_key, uuid.UUID(submission_id).bytes, encrypt=True)))


def real_ids(shown: str, secret_keys: Sequence[str]) -> list[str]:
    """The submission ids a provider's id may stand for: one per key, current first; none when it is not an
    id at all."""
    try:
        value = uuid.UUID(shown)
    except ValueError:
        return []
    return [str(uuid.UUID(bytes=_block(key, value.bytes, encrypt=False))) for key in secret_keys]


def seal_cursor(cursor: str, secret_key: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key(secret_key, _CURSOR_PURPOSE)).encrypt(nonce, cursor.encode("utf-8"), None)
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")


def open_cursor(value: str, secret_keys: Sequence[str]) -> str | None:
    """The cursor inside a sealed one, or None when it was not sealed here."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    for key in secret_keys:
        try:
            return AESGCM(_key(key, _CURSOR_PURPOSE)).decrypt(nonce, sealed, None).decode("utf-8")
        except (InvalidTag, ValueError, UnicodeDecodeError):
            continue
    return None


def whole_days(received_from: datetime | None, received_to: datetime | None) -> tuple[datetime | None, datetime | None]:
    """The list's time filters as a provider may use them: from the start of the first day to the end of the
    last (otherwise halving the window finds the minute an item came, whatever the id and date say)."""
    midnight = dict(hour=0, minute=0, second=0, microsecond=0)
    start = received_from.replace(**midnight) if received_from else None
    end = None
    if received_to:
        end = received_to.replace(**midnight)
        if end != received_to:
            end += timedelta(days=1)
    return start, end
