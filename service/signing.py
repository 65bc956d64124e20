"""Comparing MACs, and the keys the SMS number lookups were made under.

Signatures (CSRF tokens, form drafts, receipts) are checked against the current ``SECRET_KEY`` only:
a key retired because it leaked must stop being accepted at once. Lookups keyed by an HMAC of a
phone number (SMS opt-outs and conversations, privacy requests) also try the keys in
``SECRET_KEY_PREVIOUS``, because a STOP kept under an old key must never be forgotten (see
channels/sms/flows.py ``carry_over_opt_out``)."""

from __future__ import annotations

import hmac
from collections.abc import Sequence


def same_mac(expected: str, given: str) -> bool:
    """Constant-time comparison that treats any text as a (wrong) MAC, never as an error: a
    non-ASCII token is a forged one, and must get the same refusal, not a server error."""
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8", "surrogatepass"))


def keys_of(secret_keys: str | Sequence[str]) -> tuple[str, ...]:
    """One key or several, current first; a lone string is one key, never its characters."""
    keys = (secret_keys,) if isinstance(secret_keys, str) else tuple(secret_keys)
    if not keys or not all(isinstance(k, str) and k for k in keys):
        raise ValueError("at least one non-empty secret key is needed")
    return keys
