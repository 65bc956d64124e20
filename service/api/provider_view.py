"""What a provider responder is shown of when feedback came, and how it is found again.

Submission ids are UUIDv7: their first 48 bits are the time of intake in milliseconds. A provider who was
given the day only ("received_at" cut to midnight) could still read "14:07:31 on Tuesday" off the id, and in
a small home that is the one resident who was helped to the tablet then. So a provider sees every
submission under an id of its own: the real id encrypted with a key derived from SECRET_KEY (AES on the
id's one 128-bit block: the same submission always shows the same id, and it cannot be read back without
the key). The list is in order of day (UTC), then of the random reference, not of the time: named items
show their time, and an anonymous item listed between two of them would be placed between those times
(second review). Its cursor (the day and the reference) is sealed (AES-GCM) and bound to the providers
the caller acts for; the list's time filters are widened to whole days.

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
from datetime import datetime, timedelta, timezone

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import and_, func, or_

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


def day_of(column, dialect_name: str):
    """SQL: the UTC day of a UTC timestamp column (SQLite keeps it as UTC without a zone; PostgreSQL's
    timestamptz would be read in the session's time zone without `timezone('UTC', ...)`)."""
    if dialect_name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def order_and_after(day, received_at, reference, after: tuple[datetime, str] | None):
    """The list's ORDER BY, and the WHERE for the page after `after` (its last item's day and reference).
    The day is compared as a range of times, not as a date, so that both databases read it alike."""
    order = (day.desc(), reference.desc())
    if after is None:
        return order, None
    start, last_reference = after
    return order, or_(received_at < start, and_(received_at >= start, received_at < start + timedelta(days=1),
                                                reference < last_reference))


def cursor_after(received_at: datetime, reference: str, scope: str, secret_key: str) -> str:
    """The sealed cursor for the page after an item, good only for callers with the same `scope`."""
    return seal_cursor(f"{received_at.date().isoformat()}|{reference}", secret_key, scope)


def read_cursor(value: str, secret_keys: Sequence[str], scope: str) -> tuple[datetime, str] | None:
    """(the start of the day, the reference) of a cursor `cursor_after` gave this scope; None otherwise."""
    opened = open_cursor(value, secret_keys, scope)
    day, _, reference = (opened or "").partition("|")
    try:
        start = datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return (start, reference) if reference else None


def seal_cursor(cursor: str, secret_key: str, scope: str = "") -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key(secret_key, _CURSOR_PURPOSE)).encrypt(nonce, cursor.encode("utf-8"), scope.encode("utf-8"))
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii").rstrip("=")


def open_cursor(value: str, secret_keys: Sequence[str], scope: str = "") -> str | None:
    """The cursor inside a sealed one, or None when it was not sealed here for this scope."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    for key in secret_keys:
        try:
            return AESGCM(_key(key, _CURSOR_PURPOSE)).decrypt(nonce, sealed, scope.encode("utf-8")).decode("utf-8")
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
            try:
                end += timedelta(days=1)
            except OverflowError:   # during 31 December 9999: no end (second review: a 500)
                end = None
    return start, end
