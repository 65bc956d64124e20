"""Phone numbers: validated and normalised to E.164 with the `phonenumbers` package.

UK numbers may be given without a country code ("07700 900123"). The number is looked up by a keyed
hash (HMAC-SHA256 with SECRET_KEY), so that conversation and opt-out tables never hold the number
itself: it lives in the contacts table (with the feedback) and on the outbox rows that send to it.
"""
from __future__ import annotations

import hashlib
import hmac
import re

import phonenumbers

DEFAULT_REGION = "GB"


class InvalidPhoneNumber(ValueError):
    """The text is not a valid phone number; the message says why, without repeating the number."""


def normalise(raw: str, region: str = DEFAULT_REGION) -> str:
    """E.164 form ("+447700900123") of a number written any usual way; raises InvalidPhoneNumber."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhoneNumber("the phone number is empty")
    if len(text) > 40:
        raise InvalidPhoneNumber("the phone number is too long")
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidPhoneNumber("this is not a phone number; write it like 07700 900123 or +44 7700 900123") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber("this is not a valid phone number; check the digits and the country code")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def can_receive_sms(e164: str) -> bool:
    """True for mobile numbers (and numbers whose type the data cannot tell apart from mobiles)."""
    number = phonenumbers.parse(e164, None)
    kind = phonenumbers.number_type(number)
    return kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        phonenumbers.PhoneNumberType.UNKNOWN,
    )


_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def lenient(raw: str) -> str:
    """For numbers that come from Twilio (already E.164): normalise, but never fail."""
    if _E164.match(raw or ""):
        return raw   # Twilio sends E.164 already; parsing it again costs more than the rest of a webhook
    try:
        return normalise(raw)
    except InvalidPhoneNumber:
        return (raw or "").strip()


def is_e164(text: str) -> bool:
    return bool(_E164.match(text or ""))


def phone_hash(e164: str, secret_key: str) -> str:
    """The lookup key for a number: HMAC-SHA256, so a leaked table does not give the numbers back."""
    return hmac.new(secret_key.encode("utf-8"), b"sms-phone:" + e164.encode("utf-8"), hashlib.sha256).hexdigest()


def masked(e164: str) -> str:
    """Enough for staff to recognise a number, not enough to dial it: +44 77** ***123."""
    if len(e164) < 7:
        return "***"
    return e164[:5] + "*" * (len(e164) - 8) + e164[-3:]
