"""Lookup keys of contact rows: how a phone number or email address finds the person's contact rows.

A privacy request (erasure, subject-access export, withdrawal of consent) names the person by a phone
number or email address written any usual way ("07700 900123", "+44 7700 900123", "0044 7700 900123";
"Pat@Example.org"). Each contact row keeps, beside the number and the address, a keyed hash of their
normalised forms (`phone_key`, `email_key`, indexed), so the request is one indexed query instead of
normalising every stored number (about 3 s per 100,000 contacts; see benchmarks/person_lookup.py).

The keys are HMAC-SHA256 under a key derived from SECRET_KEY, as the SMS tables keep numbers: the new
columns and their indexes hold no second copy of anyone's number or address. SECRET_KEY is known to the
web and the worker, not to a migration: rows stored before migration 0014, or by a path that was not
given the key, have no key (NULL) until `msp-feedback db upgrade` (with SECRET_KEY set) or the worker
keys them, and `find_person` compares those few the old way meanwhile. After a rotation rows keyed under
a key now in SECRET_KEY_PREVIOUS are found under it; `db upgrade` re-keys them from the stored number and
address (which needs no old key), so a key can be dropped from SECRET_KEY_PREVIOUS afterwards.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from service.storage.orm import Contact

# A stored value that is not a phone number (or email address) gets this key: it matches no request (a
# request must be a number), and it is not NULL, which would mean "not keyed yet" and be compared again
# at every request.
MATCHES_NOTHING = ""

_PURPOSE = b"msp-feedback contacts lookup key v1"


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


@lru_cache(maxsize=16)
def _derived_key(secret_key: str) -> bytes:
    # A key of its own for this purpose: SECRET_KEY also signs forms and keys the SMS tables' hashes.
    if not secret_key:
        raise ValueError("SECRET_KEY is empty: contacts cannot be keyed")
    return hmac.new(secret_key.encode("utf-8"), _PURPOSE, hashlib.sha256).digest()


def lookup_key(kind: str, normalised: str, secret_key: str) -> str:
    """The key of an already normalised phone number (kind "phone") or email address (kind "email")."""
    return hmac.new(_derived_key(secret_key), f"{kind}:{normalised}".encode("utf-8"), hashlib.sha256).hexdigest()


def phone_key(phone: str | None, secret_key: str) -> str | None:
    """The `phone_key` of a stored number: None for none, MATCHES_NOTHING for text that is not a number."""
    if phone is None:
        return None
    normalised = normalise_phone(phone)
    return lookup_key("phone", normalised, secret_key) if normalised else MATCHES_NOTHING


def email_key(email: str | None, secret_key: str) -> str | None:
    if email is None:
        return None
    normalised = normalise_email(email)
    return lookup_key("email", normalised, secret_key) if normalised else MATCHES_NOTHING


def contact_lookup_keys(phone: str | None, email: str | None, secret_key: str | None) -> dict[str, str | None]:
    """The key columns for a contact row being written with this phone and email. Without a key (a caller
    that was not given SECRET_KEY) they stay NULL: the row is still found, the slower way, until keyed."""
    if not secret_key:
        return {"phone_key": None, "email_key": None}
    return {"phone_key": phone_key(phone, secret_key), "email_key": email_key(email, secret_key)}


def key_contacts(session_factory: sessionmaker[Session], secret_key: str, *, rekey: bool = False, batch: int = 1000) -> int:
    """Key the contact rows that have no key yet; with `rekey`, also every row keyed under another key
    (after a rotation, or a row keyed by a process with the wrong key). Returns how many rows changed.

    One short transaction per batch (SQLite has one write lock for the whole file: intake must not wait
    for a whole table). A row blanked (erasure, retention) between reading and writing is not keyed again:
    each key is written only where the value it was made from is still there."""
    if rekey:
        wanted = or_(Contact.phone.is_not(None), Contact.email.is_not(None))
    else:
        wanted = or_(and_(Contact.phone_key.is_(None), Contact.phone.is_not(None)),
                     and_(Contact.email_key.is_(None), Contact.email.is_not(None)))
    set_phone_key = (update(Contact).where(Contact.id == bindparam("row_id"), Contact.phone == bindparam("was"))
                     .values(phone_key=bindparam("key")))
    set_email_key = (update(Contact).where(Contact.id == bindparam("row_id"), Contact.email == bindparam("was"))
                     .values(email_key=bindparam("key")))
    changed, after = 0, 0
    while True:
        with session_factory.begin() as session:
            rows = session.execute(select(Contact.id, Contact.phone, Contact.email, Contact.phone_key, Contact.email_key)
                                   .where(Contact.id > after, wanted).order_by(Contact.id).limit(batch)).all()
            if not rows:
                return changed
            after = rows[-1].id
            phones, emails = [], []
            for row in rows:
                if row.phone is not None and (key := phone_key(row.phone, secret_key)) != row.phone_key:
                    phones.append({"row_id": row.id, "was": row.phone, "key": key})
                if row.email is not None and (key := email_key(row.email, secret_key)) != row.email_key:
                    emails.append({"row_id": row.id, "was": row.email, "key": key})
            # Core executemany (not ORM bulk-by-primary-key): the extra condition on the value is the point.
            connection = session.connection()
            if phones:
                connection.execute(set_phone_key, phones)
            if emails:
                connection.execute(set_email_key, emails)
            changed += len({r["row_id"] for r in phones + emails})
