"""Format characters nobody sees, which the checks and the redaction rules must read through.

A soft hyphen or a zero-width space inside "07700­900123", "mary​@example.org" or "hi​ts" splits it for
every rule while a reader sees one number, address or word (text copied from Word, PDFs and some
messaging apps carries them). The rules read the text without them; what is stored and shown keeps
them (staff pages show direction controls as visible marks).

The joiners ZWNJ and ZWJ shape words in Arabic and Indic scripts and build emoji, so they are kept
there and dropped only after a Latin letter or a mark on one ("ta‍kes", "Ṡ‍arah": they shape no Latin).
"""
from __future__ import annotations

import re

# Soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width space, LRM/RLM, the embeddings
# and overrides, word joiner and invisible operators, the isolates and deprecated format controls, BOM.
HIDDEN = ("\u00ad\u061c\u180e\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
          "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\ufeff")
JOINERS = "\u200c\u200d"

# ASCII, the accented Latin letters (Latin-1 to Latin Extended-B, Latin Extended Additional) and the
# combining marks written on them: a joiner after one of these shapes nothing.
_LATIN_SIDE = "\\x00-\\x7f\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff"
_AFTER_LATIN = re.compile(f"[{_LATIN_SIDE}]")
_HIDDEN = re.compile(f"[{HIDDEN}]|(?<=[{_LATIN_SIDE}])[{JOINERS}]")


def is_hidden(char: str, previous: str) -> bool:
    """Whether the rules skip ``char`` (``previous`` is the character before it in the text, or "")."""
    if char in HIDDEN:
        return True
    return char in JOINERS and previous != "" and _AFTER_LATIN.match(previous) is not None


def without_hidden(text: str) -> str:
    # A joiner after another hidden character ("ki\u00ad\u200dll", two joiners) follows a Latin letter once
    # the first is gone: read until nothing more goes, as redaction reads (it looks at what it kept).
    shorter = _HIDDEN.sub("", text)
    while shorter != text:
        text, shorter = shorter, _HIDDEN.sub("", shorter)
    return text


def has_hidden(text: str) -> bool:
    return _HIDDEN.search(text) is not None
