"""Marked Latin letters that cut or hid a name, or hid a disclosure from the check (a second review of the
first fix found each)."""
import pytest

from service.text import disclosure
from service.text.language import LanguageDetector
from service.text.pipeline import readable
from service.text.redact import shareable

_DETECTOR = LanguageDetector()


def _flagged(text: str) -> bool:
    reading = readable(text)
    return disclosure.check(reading, (), language=_DETECTOR.detect(reading).language).flag


# A combining mark on a vowel is composed by NFKC into a precomposed letter of Latin-1 ("i" + U+0301 -> "í"),
# which plain_latin leaves as it is: the mark is not "dropped" as the check's docstring says, and the
# disclosure goes unflagged ("h" + U+0301, which has no precomposed form, is read through).
@pytest.mark.parametrize("marked", [
    "i want to ki\u0301ll myself",
    "my son hi\u0301ts me",
    "my son ta\u0301kes my money",
    "i want to \u01e9ill myself",            # ǩ (Latin Extended-B: k + caron)
])
def test_the_check_reads_a_mark_composed_onto_a_vowel_as_the_plain_letter(marked):
    assert _flagged(marked), (marked, readable(marked))


# "K" + combining caron is composed by NFC into U+01E8 (Latin Extended-B), which redaction does not read
# as "K" (only Latin Extended Additional is): the name is shared. "J" + caron, with no precomposed capital,
# is redacted.
@pytest.mark.parametrize("text", [
    "I told K\u030chalid off",
    "I told G\u030ceorge off",
    "I told A\u030cmir off",
])
def test_a_caron_composed_into_latin_extended_b_does_not_keep_a_name_from_redaction(text):
    assert "[NAME]" in shareable(text), shareable(text)


# Enclosing (Me) and spacing (Mc) marks after a Latin letter cut the name: the first piece is redacted and
# the rest of the name, surname included, is shared; the same marks hide a disclosure.
@pytest.mark.parametrize("text, leaked", [
    ("my carer Sa\u20ddrah Khan was kind", "Khan"),
    ("my carer Sa\u0489rah Khan was kind", "Khan"),
    ("my carer Sa\u0903rah Khan was kind", "Khan"),
])
def test_an_enclosing_or_spacing_mark_does_not_cut_a_name(text, leaked):
    assert leaked not in shareable(text), shareable(text)


@pytest.mark.parametrize("marked", ["i want to ki\u20ddll myself", "my son hi\u0489ts me"])
def test_an_enclosing_mark_does_not_hide_a_disclosure(marked):
    assert _flagged(marked), readable(marked)


# A joiner after another invisible character that follows a Latin letter: redaction reads it through (it
# looks at the last letter it kept) but the check's reading keeps it (it looks at the raw previous
# character), so the disclosure goes unflagged while the same text is redacted as if read plainly.
@pytest.mark.parametrize("marked", [
    "i want to ki\u200d\u200dll myself",
    "i want to ki\u00ad\u200dll myself",
    "my son hi\u200b\u200cts me",
])
def test_a_joiner_after_another_hidden_character_is_read_through_by_the_check(marked):
    assert _flagged(marked), readable(marked)
