"""The RE2 gate in front of the disclosure lexicons must never change a result, only skip work.

A gate that misses a text the real ``re`` pattern matches would silently drop a disclosure, so every
gated pattern is checked against every labelled text we have, against random text, and against
text built from the lexicons' own phrases with Unicode around them.
"""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.text import disclosure
from service.text.convert import convert_v6

from text_paths import DATA

GATED = [(f"{script}:{cat}", g) for script, table in disclosure._TABLE.items() for cat, g in table.items()] + [
    (name, getattr(disclosure, name))
    for name in ("_RESOLVED", "_CURRENT", "_FIGURATIVE", "_CURRENT_ANYWHERE", "_PAST", "_MEDIA")
]


def _labelled_texts() -> list[str]:
    texts = [i["text"] for i in convert_v6(DATA / "v6framework_train.csv")]
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts += [row["text"], row["text_en"]] if "text_en" in row else [row["text"]]   # name sets have none
    return texts


def _spans(pattern, text):
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def test_every_pattern_has_a_gate():
    assert disclosure._re2 is not None, "google-re2 is a dependency: without it the check is 4x slower"
    assert all(g.gate is not None for _, g in GATED), [n for n, g in GATED if g.gate is None]


def test_gated_scans_equal_plain_scans_on_every_labelled_text():
    texts = _labelled_texts()
    assert len(texts) > 7000
    for name, gated in GATED:
        for text in texts:
            assert _spans(gated, text) == _spans(gated.pattern, text), (name, text[:80])


def test_the_check_is_the_same_with_and_without_the_gates(monkeypatch):
    texts = _labelled_texts()[::7]
    with_gates = [disclosure.check(t) for t in texts]
    for _, gated in GATED:
        monkeypatch.setattr(gated, "gate", None)
    assert [disclosure.check(t) for t in texts] == with_gates


def _phrases() -> list[str]:
    """Literal-looking pieces of the lexicons (what a real disclosure would contain)."""
    words = set()
    for lex in disclosure.OTHER.values():
        for items in lex.values():
            words.update(p for p in items if "\\" not in p and "(" not in p)
    for items in disclosure.EN.values():
        for p in items:
            words.update(re.findall(r"[a-z']{4,}", p))
    return sorted(words)


PHRASES = _phrases()


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.sampled_from(PHRASES), st.text(max_size=12),
                          st.sampled_from([" ", "  ", "\n", "!\n", "?\n", "\u00a0", ". ", ", ", "-", "’", "ً",
                                           "\u0131", "\u0130"])),
                max_size=12))
def test_gate_never_misses_what_re_finds(parts):
    text = "".join(parts)
    for name, gated in GATED:
        if gated.pattern.search(text):
            assert gated.gate.search(text), (name, text)


@pytest.mark.parametrize("source, text", [
    (r"(?i)\bhit\s+me\b", "he HIT\u00a0me"),
    (r"(?i)(?<!not\s)locked\s+in", "they locked  in"),
    (r"(?i)[^.]{0,40}\bsecret", "our little secret"),
    (r"(?i)\w+'?s\s+flat", "Żaneta's flat"),
    (r"(?i)\d+\s+times", "٣ times"),
    (r"(?i)what'?s\s+the\s+point[?!]*$", "what's the point!\n"),  # re's $ also before a final newline
])
def test_relaxed_source_is_wider_than_the_pattern(source, text):
    assert re.search(source, text)
    gate = disclosure._relaxed_re2(source)
    assert gate is not None and gate.search(text)


@pytest.mark.parametrize("text", [
    "I want to k\u0131ll myself",  # re's IGNORECASE folds dotless ı and dotted İ into i; RE2 does not
    "\u0130 WANT TO K\u0130LL MYSELF",
    "honestly, what's the point!\n",
    "he hits me \ud83d every night",  # a lone surrogate (json.loads lets one in): RE2 cannot take it
])
def test_texts_the_gate_cannot_judge_go_to_re(text):
    for script in disclosure._scripts(text):
        for gated in disclosure._TABLE[script].values():
            assert _spans(gated, text) == _spans(gated.pattern, text)
    assert disclosure.check(text).flag
