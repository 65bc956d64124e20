"""Cyrillic and Greek lookalike letters inside Latin words are read as Latin by the checks (audit, round 13:
"My son hіts me" with a Cyrillic і was not flagged)."""
from __future__ import annotations

import pytest

from service.text.lookalikes import read_as_latin
from service.text.pipeline import check_for_harm_alone, readable


@pytest.mark.parametrize(("text", "read"), [
    ("My son h\u0456ts me every day", "My son hits me every day"),
    ("\u0422he carer t\u043e\u043ek my pension", "The carer took my pension"),
    ("she h\u03b9t me", "she hit me"),
    ("\u0421\u044b\u043d \u0431\u044c\u0451\u0442 \u043c\u0435\u043d\u044f", "\u0421\u044b\u043d \u0431\u044c\u0451\u0442 \u043c\u0435\u043d\u044f"),  # Russian stays Russian
    ("\u03b1\u03b2\u03b3 and abc", "\u03b1\u03b2\u03b3 and abc"),   # a Greek word beside Latin ones stays Greek
    ("caf\u00e9 \u0142\u00f3d\u017a", "caf\u00e9 \u0142\u00f3d\u017a"),
])
def test_lookalikes_inside_latin_words_read_as_latin(text, read):
    assert read_as_latin(text) == read
    assert len(read_as_latin(text)) == len(text)   # one for one: positions found stay positions in the text


def test_a_disclosure_written_with_a_lookalike_letter_is_flagged():
    assert readable("My son h\u0456ts me every day") == "My son hits me every day"
    assert check_for_harm_alone("My son h\u0456ts me every day").flag


def test_language_check_and_redaction_agree_on_the_scripts_they_read():
    """A text the language check calls English must be one redaction can read, or it would be withheld from
    providers for ever and never queued for a person (second review, round 13: small capitals)."""
    from service.text.language import OTHER_SCRIPT, LanguageDetector
    from service.text.redact import WITHHELD_SCRIPT, shareable

    small_caps = "\u1d0d\u028f \u0274\u1d00\u1d0d\u1d07 \u026as \u1d00\u0274\u0274 and the carer was kind"
    result = LanguageDetector().detect(small_caps)
    assert (result.language, result.script) == ("und", OTHER_SCRIPT)   # waits for a person
    assert shareable(small_caps) == WITHHELD_SCRIPT
    assert shareable("the carer Nguy\u1ec5n was kind") == "the carer [NAME] was kind"   # Vietnamese letters are read


def test_lookalikes_among_full_width_letters_are_read_as_latin_by_both_checks():
    from service.text.language import LanguageDetector
    from service.text.redact import shareable

    text = "\uff4d\u0443 \uff53\u043e\uff4e \uff48\u0456\uff54\uff53 \uff4d\u0435 every day"   # ｍу ｓоｎ ｈіｔｓ ｍе
    assert LanguageDetector().detect(readable(text)).language == "en"
    assert shareable(text) == "\uff4dy \uff53o\uff4e \uff48i\uff54\uff53 \uff4de every day"   # shared, not withheld
