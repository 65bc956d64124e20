"""Keys for the HMACs the service checks (CSRF tokens, form drafts, receipts, SMS number lookups).

Sign with the current ``SECRET_KEY``; when checking, accept it and the keys in ``SECRET_KEY_PREVIOUS``
too, so rotating the key neither voids the forms people are filling in nor forgets who texted STOP
(see channels/sms/flows.py ``carry_over_opt_out``)."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Sequence


def keys_of(secret_keys: str | Sequence[str]) -> tuple[str, ...]:
    """One key or several, current first; a lone string is one key, never its characters."""
    keys = (secret_keys,) if isinstance(secret_keys, str) else tuple(secret_keys)
    if not keys or not all(isinstance(k, str) and k for k in keys):
        raise ValueError("at least one non-empty secret key is needed")
    return keys


def matches_any(secret_keys: str | Sequence[str], expected_for: Callable[[str], str], given: str) -> bool:
    """True when ``given`` is the MAC ``expected_for`` one of the keys would make (constant-time each)."""
    return any(hmac.compare_digest(expected_for(key), given) for key in keys_of(secret_keys))
