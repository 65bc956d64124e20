"""The words of the SMS channel, in the person's language, and reading replies in that language.

Wording is gettext domain ``sms`` (translations/<lang>/LC_MESSAGES/sms.po, msgctxt = key, English source
text = msgid). Question wording comes from the questionnaire domain (the shorter of the question's
plain and easy-read wording in that language); answers use short SMS labels where the questionnaire's
labels are too long for a text, and the questionnaire's labels otherwise.

Every default message must fit in 2 segments in every language (tests/sms/test_messages.py computes
it): UCS-2 languages (all but English) have 134 units for 2 segments, so the wording is terse.
"""
from __future__ import annotations

import unicodedata

from channels.sms.keywords import fold
from service.domain.questionnaire import Answer, Question, Questionnaire
from service.i18n import pgettext

DOMAIN = "sms"

# (msgctxt, English msgid, translator comment). The single source of translations/sms.pot.
ENTRIES: tuple[tuple[str, str, str], ...] = (
    ("invitation", "Hello from the Safeguarding Adults Board. Please tell us how our help felt to you: {count} short questions. Reply STOP to end.",
     "First text of an SMS questionnaire. {count} = number of questions. Keep STOP in Latin capitals. Max 134 characters."),
    ("reply_with_number", "Reply with a number:", "Shown under each question, before the numbered answers."),
    ("reply_in_words", "Reply in your own words.", "Shown under a free-text question."),
    ("reprompt", "Sorry, we did not understand. Please reply with a number from 1 to {count}.",
     "Sent once after an unclear reply. Keep the digit 1 and {count}."),
    ("closing", "Thank you. Your reference is {reference}. If you feel at risk again, call 999 or the safeguarding team on {phone}.",
     "Last text. {reference} looks like MSP-7KQ2-9HX4. Keep 999 in digits."),
    ("stray", "Thank you for your message. We have kept it and a person will read it. If you are at risk, call 999 or {phone}.",
     "Reply to a text that arrives when no questionnaire is open."),
    ("stop", "You will not get any more texts from us. Reply START to get them again.", "Reply to STOP. Keep START in Latin capitals."),
    ("start", "You will get texts from us again. Reply STOP to end.", "Reply to START. Keep STOP in Latin capitals."),
    ("help", "Safeguarding Adults Board feedback. To talk to a person, call {phone}. In an emergency, call 999. Reply STOP to end.",
     "Reply to HELP: who we are and how to reach a person."),
    # Short answer labels (the questionnaire's own labels are too long for a text in some languages).
    ("answer.asked_outcomes.yes_expressed", "Yes, I said what I wanted", "Answer label in a text message: keep it short."),
    ("answer.asked_outcomes.yes_not_expressed", "Yes, but I did not know", "Answer label: asked, but did not know what they wanted."),
    ("answer.asked_outcomes.no", "No", "Answer label."),
    ("answer.asked_outcomes.dont_know", "Don't know", "Answer label."),
    ("answer.outcomes_met.all", "All of it", "Answer label: all of what they wanted happened."),
    ("answer.outcomes_met.some", "Some of it", "Answer label."),
    ("answer.outcomes_met.no", "No", "Answer label."),
    ("answer.outcomes_met.dont_know", "Don't know", "Answer label."),
    ("answer.feel_safer.a_lot_safer", "A lot safer", "Answer label."),
    ("answer.feel_safer.a_bit_safer", "A bit safer", "Answer label."),
    ("answer.feel_safer.no_different", "No different", "Answer label."),
    ("answer.feel_safer.less_safe", "Less safe", "Answer label."),
    ("answer.consent.named", "Yes, with my name", "Answer label: share the answers with the care service, with my name."),
    ("answer.consent.anonymous", "Yes, without my name", "Answer label: share, but without my name."),
    ("answer.consent.none", "No", "Answer label: do not share my answers."),
)
_SOURCE = {context: msgid for context, msgid, _ in ENTRIES}

# The consent question, asked by SMS after the questionnaire's questions (wording: questionnaire domain).
CONSENT_ID = "consent"
CONSENT_QUESTION = Question(
    id=CONSENT_ID, kind="single",
    text={"key": "consent.text", "text": "Can we share your answers with the service you told us about?"},
    easy_read={"key": "consent.easy_read", "text": "Can we tell the care service what you said?"},
    answers=(
        Answer(id="named", key="consent.named", text="Yes, with my name"),
        Answer(id="anonymous", key="consent.anonymous", text="Yes, but without my name"),
        Answer(id="none", key="consent.none", text="No, do not share my answers"),
    ),
)

# Other ways people say the common answers (matched after fold(); English words work in every language).
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "yes": {
        "en": ("yes", "y", "yeah", "yep", "yes please", "ok"),
        "ur": ("ہاں", "جی", "جی ہاں", "haan", "han", "ha", "ji", "jee", "ji haan", "ji han"),
        # Punjabi and Gujarati are often texted in Latin letters too, as Urdu is.
        "pa": ("ਹਾਂ", "ਹਾਂਜੀ", "ਹਾਂ ਜੀ", "ਜੀ", "haan", "han", "haanji", "haan ji", "ji"),
        "gu": ("હા", "હાં", "હાજી", "હા જી", "ha", "haa", "haji", "ha ji"),
        "pl": ("tak", "t"), "ar": ("نعم", "ايوه", "أجل"), "bn": ("হ্যাঁ", "হ্যা", "হাঁ", "হা", "জি", "ha", "hya"), "ro": ("da",),
    },
    "no": {
        "en": ("no", "n", "nope", "not really"),
        "ur": ("نہیں", "nahi", "nahin", "nai", "na"), "pa": ("ਨਹੀਂ", "ਨਾ", "ਨਹੀ", "nahi", "nahin", "na"),
        "gu": ("ના", "નહીં", "નહિ", "na", "nahi"),
        "pl": ("nie",), "ar": ("لا",), "bn": ("না", "na"), "ro": ("nu",),
    },
    "a_bit": {
        "en": ("a bit", "bit", "a little", "a little bit", "sort of", "kind of", "partly"),
        "ur": ("تھوڑا", "تھوڑا سا", "کچھ", "کچھ حد تک", "thora", "thoda", "thora sa", "kuch", "kuch had tak"),
        "pa": ("ਥੋੜ੍ਹਾ", "ਥੋੜਾ", "ਕੁਝ"), "gu": ("થોડું", "થોડુંક"),
        "pl": ("trochę", "troche", "trochę tak"), "ar": ("قليلا", "قليلًا", "شوية", "نوعا ما"), "bn": ("কিছুটা", "একটু"),
        "ro": ("puțin", "putin", "un pic", "oarecum"),
    },
    "dont_know": {
        "en": ("don't know", "dont know", "do not know", "dunno", "not sure", "dk"),
        "ur": ("معلوم نہیں", "پتہ نہیں", "پتا نہیں", "pata nahi", "pata nahin", "maloom nahi", "malum nahi"),
        "pa": ("ਪਤਾ ਨਹੀਂ",), "gu": ("ખબર નથી",), "pl": ("nie wiem",), "ar": ("لا أعرف", "لا اعرف", "مش عارف"),
        "bn": ("জানি না",), "ro": ("nu știu", "nu stiu"),
    },
}


def text(language: str, key: str, **values: object) -> str:
    """One SMS message in `language`, with its placeholders filled."""
    message = pgettext(language, key, _SOURCE[key], domain=DOMAIN)
    return message.format(**values) if values else message


def question_wording(language: str, question: Question) -> str:
    """The shorter of the plain and the easy-read wording, in the person's language."""
    plain = pgettext(language, question.text.key, question.text.text, domain="questionnaire")
    easy = pgettext(language, question.easy_read.key, question.easy_read.text, domain="questionnaire")
    return easy if len(easy) <= len(plain) else plain


def answer_label(language: str, question: Question, answer: Answer) -> str:
    key = f"answer.{question.id}.{answer.id}"
    if key in _SOURCE:
        return text(language, key)
    return pgettext(language, answer.key, answer.text, domain="questionnaire")


def question_message(language: str, question: Question) -> str:
    """One question as one text: the wording, then "Reply with a number:" and one answer a line."""
    lines = [question_wording(language, question)]
    if question.kind == "free_text":
        lines.append(text(language, "reply_in_words"))
    else:
        lines.append(text(language, "reply_with_number"))
        lines.extend(f"{number} {answer_label(language, question, answer)}" for number, answer in enumerate(question.answers, 1))
    return "\n".join(lines)


def sms_questions(questionnaire: Questionnaire) -> tuple[Question, ...]:
    """What is asked by SMS, in order: the questionnaire's questions, then consent."""
    return tuple(questionnaire.questions) + (CONSENT_QUESTION,)


# A keycap emoji is a digit followed by these ("2️⃣" = "2" U+FE0F U+20E3): phones offer them as answers.
_KEYCAP = str.maketrans({"\ufe0f": None, "\u20e3": None})


def _number(reply: str) -> int | None:
    """A reply that is a number, written in any script's digits ("2", "۲", "২", "2." or "2 a bit"), or as
    a keycap emoji ("2️⃣")."""
    token = reply.strip().split(maxsplit=1)[0] if reply.strip() else ""
    token = token.translate(_KEYCAP).rstrip(".)-:،,")
    if not token or len(token) > 2:
        return None
    digits = []
    for ch in token:
        value = unicodedata.digit(ch, None)
        if value is None:
            return None
        digits.append(str(value))
    return int("".join(digits))


def _words_for(language: str, question: Question, answer: Answer) -> set[str]:
    words = {
        answer_label(language, question, answer), answer_label("en", question, answer),
        pgettext(language, answer.key, answer.text, domain="questionnaire"), answer.text,
    }
    for lang in {language, "en"}:
        words.update(SYNONYMS.get(answer.id, {}).get(lang, ()))
    return {fold(word) for word in words if word}


def words_beyond_answer(language: str, question: Question, reply: str, choice: str | None) -> bool:
    """True when a reply to a choice question says more than which answer it chooses: words that match no
    answer ("no he still hits me"), or words after the number ("4 less safe. my carer hits me").

    Such words are the person's own and may disclose harm, so they are kept as free text. A bare number
    ("7"), or a number followed by its answer's own words ("2 a bit"), says nothing more.
    """
    if not any(ch.isalpha() for ch in reply):
        return False
    if choice is None:
        return True
    if _number(reply) is None:
        return False   # chosen by its words: the reply is the answer
    rest = reply.strip().split(maxsplit=1)[1:]
    if not rest or not any(ch.isalpha() for ch in rest[0]):
        return False
    answer = next(a for a in question.answers if a.id == choice)
    return fold(rest[0]) not in _words_for(language, question, answer)


def match_answer(language: str, question: Question, reply: str) -> str | None:
    """The answer id a reply chooses, by number or by word in the person's language (or English).

    None when the reply is unclear: not a number in range, or words that match no answer or more than one.
    """
    number = _number(reply)
    if number is not None:
        return question.answers[number - 1].id if 1 <= number <= len(question.answers) else None
    folded = fold(reply)
    if not folded:
        return None
    matches = {answer.id for answer in question.answers if folded in _words_for(language, question, answer)}
    return matches.pop() if len(matches) == 1 else None
