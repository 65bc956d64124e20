"""How a text message will be encoded and how many parts (segments) it will be sent as.

GSM 03.38 (GSM-7): 160 septets in one part, 153 per part when concatenated (the user data header takes
the rest). Characters of the extension table (^ { } \\ [ ~ ] | € and form feed) take two septets (an
escape and the character) and are never split across parts. One character outside both tables makes the
whole message UCS-2: 70 UTF-16 code units in one part, 67 per part; a character outside the Basic
Multilingual Plane (most emoji) is a surrogate pair, two code units, never split across parts.
This is the count Twilio bills and reports as NumSegments.
"""
from __future__ import annotations

from dataclasses import dataclass

GSM7 = "GSM-7"
UCS2 = "UCS-2"

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67


@dataclass(frozen=True)
class SmsEncoding:
    encoding: str     # "GSM-7" or "UCS-2"
    units: int        # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int

    @property
    def per_part(self) -> int:
        if self.encoding == GSM7:
            return GSM7_SINGLE if self.segments == 1 else GSM7_MULTI
        return UCS2_SINGLE if self.segments == 1 else UCS2_MULTI


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def _pack(widths: list[int], single: int, multi: int) -> int:
    """Parts needed for characters of the given widths; a character is never split across parts."""
    total = sum(widths)
    if total <= single:
        return 1
    parts, used = 1, 0
    for width in widths:
        if used + width > multi:
            parts += 1
            used = 0
        used += width
    return parts


def measure(text: str) -> SmsEncoding:
    if is_gsm7(text):
        widths = [2 if ch in GSM7_EXTENSION else 1 for ch in text]
        return SmsEncoding(GSM7, sum(widths), _pack(widths, GSM7_SINGLE, GSM7_MULTI))
    widths = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    return SmsEncoding(UCS2, sum(widths), _pack(widths, UCS2_SINGLE, UCS2_MULTI))
