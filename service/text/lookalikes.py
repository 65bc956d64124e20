"""Cyrillic and Greek letters that look like Latin ones, read as Latin inside a Latin word.

"My son hіts me" with a Cyrillic "і" (U+0456) reads as "hits" to a person and to nobody's rules: a
keyboard switched to another layout, text pasted from elsewhere, or words written to slip past a filter.
Only a word that mixes Latin letters with such lookalikes is changed, one character for one (so positions
found in the reading are positions in the text); a word wholly in Cyrillic or Greek is left as it is.
"""
from __future__ import annotations

import re
import unicodedata

_LOOKALIKES = str.maketrans({
    # Cyrillic
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ө": "o", "ү": "y",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ү": "Y",
    # Greek
    "ο": "o", "ν": "v", "ι": "i", "κ": "k", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I",
    "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
})
_LOOKALIKE_CHARS = frozenset(chr(code) for code in _LOOKALIKES)
_WORD = re.compile(r"[^\W\d_]+")


def _is_latin(ch: str) -> bool:
    """A Latin letter, full-width ones too ("ｈ" as the checks read it, in NFKC)."""
    return "a" <= unicodedata.normalize("NFKC", ch).lower()[:1] <= "z"


def _fold_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if any(ch in _LOOKALIKE_CHARS for ch in word) and any(_is_latin(ch) for ch in word):
        return word.translate(_LOOKALIKES)
    return word


def read_as_latin(text: str) -> str:
    if text.isascii():
        return text
    return _WORD.sub(_fold_word, text)
