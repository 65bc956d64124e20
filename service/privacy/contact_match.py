"""How a phone number or email address finds a person's contact rows (erasure, subject-access export,
withdrawal of consent).

A privacy request names the person by a number or address written any usual way ("07700 900123",
"+44 7700 900123", "0044 7700 900123"; "Pat@Example.org"). Each contact row keeps, beside the number and
the address as they were given, their normalised forms (`phone_match`: E.164; `email_match`: lower case),
indexed, so a request is one indexed query instead of normalising every stored number in Python (about 3 s
per 100,000 contacts; benchmarks/person_lookup.py).

Plain normalised values, not keyed hashes: the row holds the number itself beside them, and erasure and
retention blank all of it together (`Contact.blank_details`). A keyed hash would tie finding a person to
SECRET_KEY: a process started with another key (a worker without SECRET_KEY makes its own) would make
rows nobody can find, and an erasure would report success with the number still stored (second review).
"""
from __future__ import annotations

import re

# A stored value that is not a phone number (or email address): matches no request (a request must be a
# number), and is not NULL, which would mean "not filled yet" and be compared again at every request.
MATCHES_NOTHING = ""


def normalise_phone(raw: str | None) -> str | None:
    """E.164 ("+447700900123") for a number written any usual way, or None when it is not a number."""
    text = (raw or "").strip()
    if not text or len(text) > 40:
        return None
    try:
        import phonenumbers

        number = phonenumbers.parse("+" + text[2:] if text.startswith("00") else text, "GB")
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except Exception:  # phonenumbers missing or the text is not a number: fall back to digits
        pass
    digits = re.sub(r"[^\d+]", "", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+44" + digits[1:]
    elif not digits.startswith("+"):
        digits = "+" + digits
    return digits if 8 <= len(digits) <= 16 else None


def normalise_email(raw: str | None) -> str | None:
    text = (raw or "").strip().lower()
    return text if "@" in text and 3 <= len(text) <= 320 and not any(c.isspace() for c in text) else None


def phone_match(phone: str | None) -> str | None:
    """The `phone_match` of a stored number: None for none, MATCHES_NOTHING for text that is not a number."""
    return None if phone is None else normalise_phone(phone) or MATCHES_NOTHING


def email_match(email: str | None) -> str | None:
    return None if email is None else normalise_email(email) or MATCHES_NOTHING


def match_values(phone: str | None, email: str | None) -> dict[str, str | None]:
    """The match columns for a contact row being written with this phone and email."""
    return {"phone_match": phone_match(phone), "email_match": email_match(email)}
