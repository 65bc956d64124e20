"""Dotted Latin letters and combining marks on Latin letters, as redaction and the checks read them (a
second review of redact-rules-8 found each of these)."""
import unicodedata

import pytest

from service.text import disclosure
from service.text.language import LanguageDetector
from service.text.pipeline import readable
from service.text.redact import redact, shareable


# A combining mark after a NON-ASCII Latin letter is not skipped, so the word is cut there: the name
# finder takes the first piece ("Yé") and the rest of the name is shared. "e" + U+0329 + U+0301 is the
# common way Yoruba is typed ("Yé̩misí"); NFC composes "é" and leaves U+0329 after it.
@pytest.mark.parametrize("text, leaked", [
    ("my carer Ye\u0329\u0301misi\u0301 was kind", "misí"),
    ("my carer Sa\u0301\u030crah Khan was kind", "rah Khan"),
    ("my son Ja\u0301\u030cne Smith was late", "ne Smith"),
])
def test_a_mark_after_an_accented_letter_does_not_cut_a_name_in_two(text, leaked):
    out = shareable(text)
    assert "[NAME]" in out and leaked not in out, out


# A joiner (ZWJ/ZWNJ) is read through only after an ASCII character of the ORIGINAL text, so one placed
# after a dotted letter, or after a mark the new rule skips, hides the whole name again.
@pytest.mark.parametrize("text", [
    "my carer \u1e60\u200darah Khan was kind",          # Ṡ + ZWJ
    "my carer S\u030c\u200darah Khan was kind",          # S + caron + ZWJ
    "my carer \u1e60\u200carah Khan was kind",          # Ṡ + ZWNJ
])
def test_a_joiner_after_a_dotted_letter_does_not_hide_the_name(text):
    out = shareable(text)
    assert "arah" not in out and "Khan" not in out, out


# Marks on a name's last letter are left after the placeholder (sitting on its "]"): the placeholder
# does not replace exactly the characters of the name.
@pytest.mark.parametrize("text, expected", [
    ("I told \u1e60arah\u0301\u0301 off", "I told [NAME] off"),
    ("my carer J\u030cohn\u0336 was late", "my carer [NAME] was late"),
])
def test_the_placeholder_takes_the_marks_on_the_last_letter(text, expected):
    assert redact(text) == unicodedata.normalize("NFC", expected)


# The disclosure check does not read dotted letters (or a mark on an ASCII letter) as plain ones,
# though redaction now does: a self-harm disclosure goes unflagged.
@pytest.mark.parametrize("plain, marked", [
    ("i want to kill myself", "i want to \u1e33ill myself"),     # ḳ
    ("he hits me", "he h\u0301its me"),
])
def test_the_disclosure_check_reads_marked_letters_as_redaction_does(plain, marked):
    detector = LanguageDetector()

    def flagged(text):
        reading = readable(text)
        return disclosure.check(reading, (), language=detector.detect(reading).language).flag

    assert flagged(plain)
    assert flagged(marked), marked
