"""Every default text fits in 2 segments in every supported language; the `sms` catalogs are complete;
replies are understood by number or by word in the person's language."""
from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from channels.sms import messages
from channels.sms.conversation import closing_text
from channels.sms.encoding import measure
from service.config import Settings
from service.domain.questionnaire import default_registry
from service.i18n import DEFAULT_LANGUAGE, LANGUAGES
from tests.support.catalogs import TRANSLATIONS_DIR, catalog_problems

QUESTIONNAIRE = default_registry().current("msp")
PHONE = Settings.model_fields["safeguarding_phone"].default   # the default safeguarding phone number
REFERENCE = "MSP-7KQ2-9HX4"                                    # references always have this length
TRANSLATED = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]


def default_messages(language: str) -> dict[str, str]:
    """Every text the channel can send, filled as it will be sent."""
    asked = messages.sms_questions(QUESTIONNAIRE)
    texts = {
        "invitation": messages.text(language, "invitation", count=len(asked)),
        "reprompt": messages.text(language, "reprompt", count=max(len(q.answers) for q in asked)),
        "closing": closing_text(language, reference=REFERENCE, phone=PHONE),
        "stray": messages.text(language, "stray", phone=PHONE),
        "stop": messages.text(language, "stop"),
        "start": messages.text(language, "start"),
        "help": messages.text(language, "help", phone=PHONE),
    }
    for question in asked:
        texts[f"question.{question.id}"] = messages.question_message(language, question)
    return texts


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_default_message_fits_in_two_segments(language):
    too_long = {}
    for key, text in default_messages(language).items():
        measured = measure(text)
        if measured.segments > 2:
            too_long[key] = f"{measured.encoding}, {measured.units} units, {measured.segments} segments"
    assert not too_long, f"{language}: longer than 2 segments: {too_long}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_messages_are_translated(language):
    english = default_messages("en")
    translated = default_messages(language)
    same = [key for key in english if translated[key] == english[key]]
    assert not same, f"{language}: still English: {same}"
    assert measure(translated["invitation"]).encoding == "UCS-2"   # every other language needs UCS-2 here


@pytest.mark.parametrize("language", TRANSLATED)
def test_sms_catalog_is_complete_and_compiles(language):
    problems = catalog_problems("sms", language)
    assert not problems, f"sms/{language}:\n" + "\n".join(problems)


def test_template_matches_the_entries_in_code():
    with (TRANSLATIONS_DIR / "sms.pot").open("rb") as handle:
        template = read_po(handle)
    on_disk = {(m.context, m.id) for m in template if m.id}
    assert on_disk == {(context, msgid) for context, msgid, _ in messages.ENTRIES}, \
        "translations/sms.pot is stale: run `msp-feedback sms extract`, then pybabel update -D sms -i translations/sms.pot -d translations"


def test_closing_carries_the_at_risk_line_and_keeps_999():
    for language in LANGUAGES:
        text = closing_text(language, reference=REFERENCE, phone=PHONE)
        assert "999" in text and PHONE in text and REFERENCE in text, language


def test_question_lists_numbered_answers():
    listened = QUESTIONNAIRE.question("listened_to")
    assert messages.question_message("en", listened) == "Did people listen to you?\nReply with a number:\n1 Yes\n2 A bit\n3 No"


@pytest.mark.parametrize(("language", "question", "reply", "answer"), [
    ("en", "listened_to", "1", "yes"), ("en", "listened_to", "2.", "a_bit"), ("en", "listened_to", " 3 ", "no"),
    ("en", "listened_to", "Yes!", "yes"), ("en", "listened_to", "a bit", "a_bit"), ("en", "listened_to", "NO", "no"),
    ("en", "listened_to", "2 a bit", "a_bit"), ("en", "feel_safer", "less safe", "less_safe"),
    ("en", "asked_outcomes", "Don't know", "dont_know"), ("en", "consent", "1", "named"),
    ("ur", "listened_to", "ہاں", "yes"), ("ur", "listened_to", "۲", "a_bit"), ("ur", "listened_to", "nahi", "no"),
    ("ur", "listened_to", "تھوڑا", "a_bit"), ("ur", "feel_safer", "کم محفوظ", "less_safe"), ("ur", "listened_to", "yes", "yes"),
    ("pl", "listened_to", "Tak", "yes"), ("pl", "listened_to", "trochę", "a_bit"), ("pl", "listened_to", "troche", "a_bit"),
    ("pl", "listened_to", "NIE", "no"), ("pl", "asked_outcomes", "nie wiem", "dont_know"),
    ("pa", "listened_to", "ਹਾਂ", "yes"), ("pa", "listened_to", "੩", "no"), ("gu", "listened_to", "ના", "no"),
    ("ar", "listened_to", "نعم", "yes"), ("ar", "listened_to", "٣", "no"), ("bn", "listened_to", "না", "no"),
    ("bn", "listened_to", "২", "a_bit"), ("ro", "listened_to", "Da", "yes"), ("ro", "listened_to", "puțin", "a_bit"),
    # keycap emoji, as phones offer them; Bengali yes without its nasal mark; Punjabi and Gujarati in Latin letters
    ("en", "listened_to", "2\ufe0f\u20e3", "a_bit"), ("en", "feel_safer", "4\u20e3", "less_safe"), ("bn", "listened_to", "হ্যা", "yes"),
    ("pa", "listened_to", "haan ji", "yes"), ("pa", "listened_to", "Nahi", "no"), ("gu", "listened_to", "ha", "yes"),
    ("gu", "listened_to", "na", "no"),
])
def test_replies_by_number_or_word(language, question, reply, answer):
    asked = {q.id: q for q in messages.sms_questions(QUESTIONNAIRE)}
    assert messages.match_answer(language, asked[question], reply) == answer


@pytest.mark.parametrize(("question", "reply"), [
    ("listened_to", "4"), ("listened_to", "0"), ("listened_to", "maybe later"), ("listened_to", ""),
    ("asked_outcomes", "yes"),   # two answers start with yes: ask again rather than guess
    ("listened_to", "12"),
])
def test_unclear_replies(question, reply):
    asked = {q.id: q for q in messages.sms_questions(QUESTIONNAIRE)}
    assert messages.match_answer("en", asked[question], reply) is None
