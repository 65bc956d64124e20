"""Paper-only wording, translated in the gettext domain ``paper`` (msgctxt = key, msgid = English).

Question wording comes from the ``questionnaire`` domain; the two paper-only questions (who is
answering, consent) and the page furniture are here. Easy-read rule: sentences of 15 words at most.
The attribution line stays in English: it is the licence notice the symbols' author asked for.
"""
from __future__ import annotations

from service.i18n import pgettext

DOMAIN = "paper"

ATTRIBUTION = "Symbols: Mulberry Symbols, (c) Steve Lee, CC BY-SA 4.0, mulberrysymbols.org"

STRINGS: dict[str, str] = {
    "paper.intro": "Tell us how safeguarding felt to you.",
    "paper.how": "Tick one box for each question. You can skip any question.",
    "paper.write_here": "Write or draw in the box. Someone can help you.",
    "paper.risk": "If you feel unsafe again, call 999 in an emergency.",
    "paper.risk_phone": "Or call the safeguarding team on {phone}.",
    "paper.return": "Please post this form back to:",
    "paper.page": "Page {page} of {pages}",
    "paper.thanks": "Thank you for telling us.",
    "paper.respondent": "Who is filling in this form?",
    "paper.respondent.person": "I am the person it happened to",
    "paper.respondent.family_friend": "A family member or friend",
    "paper.respondent.advocate": "An advocate",
    "paper.respondent.helper": "Someone helping the person",
    "paper.consent": "Can we tell the service what you said?",
    "paper.consent.named": "Yes, with my name",
    "paper.consent.anonymous": "Yes, but not my name",
    "paper.consent.none": "No, do not tell them",
}


def paper_text(language: str, key: str, **values: str | int) -> str:
    text = pgettext(language, key, STRINGS[key], DOMAIN)
    return text.format(**values) if values else text
