"""Submission references people can read out on the phone or type from a letter.

`MSP-7KQ2-9HX4`: 8 characters from an alphabet without 0/O, 1/I/L or U (Crockford-like), about 39 bits.
"""
from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "MSP"
_PATTERN = re.compile(rf"^{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def new_reference() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{PREFIX}-{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str | None:
    """Read a reference as typed: any case, spaces or missing dashes. None when it is not one."""
    compact = re.sub(r"[\s\-]", "", text.upper())
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX):]
    if len(compact) != 8:
        return None
    candidate = f"{PREFIX}-{compact[:4]}-{compact[4:]}"
    return candidate if _PATTERN.match(candidate) else None


def is_reference(text: str) -> bool:
    return bool(_PATTERN.match(text))
