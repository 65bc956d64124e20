"""Cyrillic and Greek letters that look like Latin ones, read as Latin inside a Latin word; dotted and
hooked Latin letters read as plain ones.

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


# Latin Extended Additional ("Ṡ", "Ḱ", Vietnamese "ễ"), and the combining marks a Latin letter may carry where
# Unicode has no single letter ("J̌", Yoruba "é̩"): "Ṡarah" or "ḳill" slip past every list that knows "Sarah"
# and "kill". The checks and the redaction rules read them as plain letters (a reading: what is stored and
# shown keeps them).


def _read_plain(code: int) -> bool:
    """Letters no language served writes: Latin Extended Additional, and Latin Extended-B's letters with
    carons, double graves and dots ("Ǩ", "Ǎ", "Ȟ"), but not Romanian "ș", "ț" (U+0218-U+021B)."""
    return 0x1E00 <= code <= 0x1EFF or (0x01CD <= code <= 0x0233 and not 0x0218 <= code <= 0x021B)


def unmarked_latin(char: str) -> str:
    """A letter no language served writes as its plain letter ("Ṡ" -> "S", "Ǩ" -> "K"); any other
    character in NFKC."""
    if _read_plain(ord(char)):
        base = unicodedata.normalize("NFD", char)[:1]
        if base.isascii() and base.isalpha():
            return base
    return unicodedata.normalize("NFKC", char)


def is_latin_letter(form: str) -> bool:
    """Whether the last character of ``form`` is a Latin letter, plain or accented ("a", "é", "ą")."""
    base = unicodedata.normalize("NFD", form[-1:])[:1]
    return base.isascii() and base.isalpha()


def is_mark(char: str) -> bool:
    """A combining mark of any kind: non-spacing ("́"), enclosing ("⃝") or spacing ("ः")."""
    return ord(char) >= 0x300 and unicodedata.category(char).startswith("M")


def is_mark_on_latin(char: str, before: str) -> bool:
    """A combining mark written on a Latin letter (``before`` is what was read just before it)."""
    return bool(before) and is_mark(char) and is_latin_letter(before)


def plain_latin(text: str) -> str:
    """``text`` with dotted Latin letters as plain ones and the marks on Latin letters dropped."""
    if text.isascii():
        return text
    out: list[str] = []
    for char in text:
        if is_mark_on_latin(char, out[-1] if out else ""):
            continue
        out.append(unmarked_latin(char) if _read_plain(ord(char)) else char)
    return "".join(out)


def unaccented(text: str) -> str:
    """Every accented Latin letter as its plain letter, one character for one ("kíll" -> "kill"): a reading
    for English text only (Polish and Romanian cues are written with their letters)."""
    if text.isascii():
        return text
    out = []
    for char in text:
        base = unicodedata.normalize("NFD", char)[:1] if ord(char) >= 0xC0 else char
        out.append(base if base.isascii() and base.isalpha() and char.isalpha() else char)
    return "".join(out)
