"""Pure parts of the SMS channel: encoding and segments, phone numbers, keywords."""
from __future__ import annotations

import pytest

from channels.sms.encoding import GSM7, UCS2, measure
from channels.sms.keywords import KEYWORDS, Keyword, classify, from_opt_out_type
from channels.sms.phone import InvalidPhoneNumber, masked, normalise, phone_hash


@pytest.mark.parametrize(("text", "encoding", "units", "segments"), [
    ("", GSM7, 0, 1),
    ("a" * 160, GSM7, 160, 1),
    ("a" * 161, GSM7, 161, 2),
    ("a" * 306, GSM7, 306, 2),
    ("a" * 307, GSM7, 307, 3),
    ("€" * 80, GSM7, 160, 1),                 # extension characters take two septets
    ("€" * 81, GSM7, 162, 2),
    ("a" + "[" * 76 + "b", GSM7, 154, 1),
    ("a" * 152 + "{" + "a" * 8, GSM7, 162, 2),  # an escape pair is never split across parts
    ("Zażółć", UCS2, 6, 1),                   # Polish letters are outside GSM-7
    ("ą" * 70, UCS2, 70, 1),
    ("ą" * 71, UCS2, 71, 2),
    ("ą" * 134, UCS2, 134, 2),
    ("ą" * 135, UCS2, 135, 3),
    ("“smart quotes”", UCS2, 14, 1),
    ("😀" * 35, UCS2, 70, 1),                 # a surrogate pair is two UCS-2 units
    ("😀" * 36, UCS2, 72, 2),
    ("a" + "😀" * 33 + "b", UCS2, 68, 1),
    ("a" * 66 + "😀" + "a" * 4, UCS2, 72, 2),  # the pair does not fit in part 1's 67 units: moves whole
    ("ÄÖÑÜäöñüà £$¥", GSM7, 13, 1),          # these accented letters are in GSM-7's basic table
])
def test_encoding_and_segments(text, encoding, units, segments):
    measured = measure(text)
    assert (measured.encoding, measured.units, measured.segments) == (encoding, units, segments)


def test_one_non_gsm_character_makes_the_whole_message_ucs2():
    assert measure("Hello " * 20).encoding == GSM7
    assert measure("Hello " * 20 + "ł").encoding == UCS2
    assert measure("Hello " * 20 + "ł").segments == 2


@pytest.mark.parametrize(("raw", "e164"), [
    ("07911 123456", "+447911123456"),
    ("07911123456", "+447911123456"),
    ("+44 7911 123456", "+447911123456"),
    ("0044 7911 123456", "+447911123456"),
    ("(07911) 123-456", "+447911123456"),
    ("+48 601 234 567", "+48601234567"),
    ("+92 300 1234567", "+923001234567"),
])
def test_phone_numbers_are_normalised_to_e164(raw, e164):
    assert normalise(raw) == e164


@pytest.mark.parametrize("raw", ["", "hello", "12345", "07911 12345", "+44 1234", "0" * 41])
def test_bad_phone_numbers_are_refused_with_a_reason(raw):
    with pytest.raises(InvalidPhoneNumber) as error:
        normalise(raw)
    assert str(error.value)
    assert raw.strip() == "" or raw not in str(error.value)   # the number is never echoed


def test_phone_hash_is_keyed_and_stable():
    assert phone_hash("+447911123456", "k1") == phone_hash("+447911123456", "k1")
    assert phone_hash("+447911123456", "k1") != phone_hash("+447911123456", "k2")
    assert "7911" not in phone_hash("+447911123456", "k1")
    assert masked("+447911123456") == "+4479*****456"


# The words the issue asks for, per language: STOP / START / HELP and plain equivalents.
KEYWORD_CASES = [
    ("en", "STOP", Keyword.STOP), ("en", "stop", Keyword.STOP), ("en", "  Stop! ", Keyword.STOP), ("en", "unsubscribe", Keyword.STOP),
    ("en", "START", Keyword.START), ("en", "Help?", Keyword.HELP), ("en", "HELP", Keyword.HELP),
    ("ur", "روکیں", Keyword.STOP), ("ur", "بند کرو۔", Keyword.STOP), ("ur", "شروع", Keyword.START), ("ur", "مدد", Keyword.HELP),
    ("ur", "Band karo", Keyword.STOP), ("ur", "BAND", Keyword.STOP), ("ur", "shuru", Keyword.START), ("ur", "Madad", Keyword.HELP),
    ("pa", "ਬੰਦ ਕਰੋ", Keyword.STOP), ("pa", "ਸ਼ੁਰੂ", Keyword.START), ("pa", "ਮਦਦ", Keyword.HELP),
    ("gu", "બંધ", Keyword.STOP), ("gu", "શરૂ કરો", Keyword.START), ("gu", "મદદ", Keyword.HELP),
    ("pl", "KONIEC", Keyword.STOP), ("pl", "Zatrzymaj.", Keyword.STOP), ("pl", "wznów", Keyword.START), ("pl", "Pomoc", Keyword.HELP),
    ("ar", "توقف", Keyword.STOP), ("ar", "إيقاف", Keyword.STOP), ("ar", "ايقاف", Keyword.STOP), ("ar", "ابدأ من جديد", Keyword.START), ("ar", "مساعدة", Keyword.HELP),
    ("bn", "বন্ধ", Keyword.STOP), ("bn", "শুরু", Keyword.START), ("bn", "সাহায্য", Keyword.HELP),
    ("ro", "OPREȘTE", Keyword.STOP), ("ro", "opreste", Keyword.STOP), ("ro", "Pornire", Keyword.START), ("ro", "ajutor!", Keyword.HELP),
]


@pytest.mark.parametrize(("language", "text", "keyword"), KEYWORD_CASES, ids=[f"{l}-{t.strip()}" for l, t, _ in KEYWORD_CASES])
def test_keywords_in_every_language(language, text, keyword):
    match = classify(text)
    assert match is not None and match.keyword is keyword
    assert match.language in (language, "en")


def test_every_language_has_all_three_keywords():
    for language, table in KEYWORDS.items():
        assert set(table) == set(Keyword), language
        for keyword in Keyword:
            for word in table[keyword]:
                assert classify(word).keyword is keyword, (language, word)


@pytest.mark.parametrize("text", ["stop it now thanks", "I want help with my care", "yes", "1", "", "stopped",
                                  "They helped me a lot", "بند دروازے کے پیچھے", "they never stop shouting", "no more",
                                  # "never", an answer to our questions, is not Arabic "start" (ابدأ folds to the same letters)
                                  "أبداً", "ابدا"])
def test_keywords_count_only_as_the_whole_message(text):
    assert classify(text) is None


@pytest.mark.parametrize("text, language", [
    ("please stop", "en"), ("Stop please!", "en"), ("no more texts", "en"), ("don't text me", "en"), ("বন্ধ করো", "bn"),
    ("لا ترسل", "ar"), ("mat bhejo", "ur"), ("nie pisz", "pl"), ("nu mai trimite", "ro"),
])
def test_the_everyday_ways_of_saying_stop_are_stop(text, language):
    match = classify(text)
    assert match is not None and match.keyword is Keyword.STOP and match.language == language


def test_twilio_opt_out_type():
    assert from_opt_out_type("STOP") is Keyword.STOP
    assert from_opt_out_type("start") is Keyword.START
    assert from_opt_out_type("HELP") is Keyword.HELP
    assert from_opt_out_type("") is None and from_opt_out_type("OTHER") is None
