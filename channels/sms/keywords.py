"""STOP / START / HELP, and their plain equivalents in every supported language.

A keyword counts only as the whole message (after trimming, folding case, dropping punctuation and
emoji): "stop" and "STOP!" are STOP, "please don't stop" is an answer. Twilio's own keyword handling
knows English only (and cannot be used with number redaction), so the service recognises the words
itself; when Twilio has already recognised one it says so in `OptOutType`, which wins.

Urdu is matched in Urdu script and in Roman Urdu (Urdu written in Latin letters, common in texts).
"""
from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass


class Keyword(str, enum.Enum):
    STOP = "STOP"
    START = "START"
    HELP = "HELP"


# language -> keyword -> words. "en" words are recognised whatever the person's language.
# Deliberately absent: YES (Twilio's START synonym) and words that answer our questions.
KEYWORDS: dict[str, dict[Keyword, tuple[str, ...]]] = {
    "en": {
        Keyword.STOP: ("stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "optout", "opt out", "revoke", "stop texting me",
                       # the everyday ways of saying it: the whole message, so "they never stop" is still an answer
                       "stop please", "please stop", "stop it", "stop now", "stop thanks", "stop thank you", "no more texts",
                       "no more messages", "dont text me", "don't text me", "do not text me", "stop messaging me",
                       "stop sending", "stop sending texts", "stop sending me texts", "dont message me", "do not message me"),
        Keyword.START: ("start", "unstop", "restart", "resume", "opt in", "optin"),
        Keyword.HELP: ("help", "info", "information"),
    },
    "ur": {
        Keyword.STOP: ("روکیں", "روکو", "رکو", "بند", "بند کریں", "بند کرو", "ختم", "ختم کریں", "ختم کرو", "مت بھیجیں", "میسج مت بھیجیں",
                       "band", "band karo", "band karein", "band karen", "bnd", "roko", "rokain", "rokien", "ruko", "khatam", "khatm", "khatam karo",
                       "mat bhejo", "mat bhejein", "message mat bhejo", "msg mat bhejo", "message na bhejo"),
        Keyword.START: ("شروع", "شروع کریں", "شروع کرو", "دوبارہ شروع", "shuru", "shuru karo", "shuru karein", "shoru", "dobara shuru"),
        Keyword.HELP: ("مدد", "مدد چاہیے", "madad", "madad chahiye", "maddad"),
    },
    "pa": {
        Keyword.STOP: ("ਬੰਦ", "ਬੰਦ ਕਰੋ", "ਰੋਕੋ", "ਰੁਕੋ", "ਖ਼ਤਮ", "ਖਤਮ", "ਮੈਸੇਜ ਨਾ ਭੇਜੋ", "ਨਾ ਭੇਜੋ"),
        Keyword.START: ("ਸ਼ੁਰੂ", "ਸ਼ੁਰੂ ਕਰੋ", "ਸੁਰੂ", "ਦੁਬਾਰਾ ਸ਼ੁਰੂ"),
        Keyword.HELP: ("ਮਦਦ", "ਸਹਾਇਤਾ"),
    },
    "gu": {
        Keyword.STOP: ("બંધ", "બંધ કરો", "રોકો", "અટકાવો", "મેસેજ ના મોકલો", "ના મોકલો"),
        Keyword.START: ("શરૂ", "શરૂ કરો", "ફરી શરૂ"),
        Keyword.HELP: ("મદદ", "સહાય"),
    },
    "pl": {
        Keyword.STOP: ("stop", "koniec", "zatrzymaj", "rezygnuję", "rezygnuje", "wypisz", "wypisz mnie", "nie wysyłaj", "nie pisz",
                       "nie piszcie", "proszę nie pisać", "nie wysyłajcie"),
        Keyword.START: ("start", "wznów", "wznow", "zacznij", "zapisz"),
        Keyword.HELP: ("pomoc", "pomocy"),
    },
    "ar": {
        Keyword.STOP: ("توقف", "إيقاف", "ايقاف", "أوقف", "اوقف", "إلغاء", "الغاء", "قف", "لا ترسل", "لا ترسلوا", "لا ترسل لي",
                       "توقفوا"),
        # Not "ابدأ" (start): folded it is "ابدا", which is also "أبداً", "never", an answer to our questions.
        Keyword.START: ("بدء", "استئناف", "استأنف", "ابدأ من جديد", "ابدأ مرة أخرى"),
        Keyword.HELP: ("مساعدة", "مساعده", "ساعدني"),
    },
    "bn": {
        Keyword.STOP: ("বন্ধ", "বন্ধ করুন", "বন্ধ কর", "বন্ধ করো", "থামুন", "থামাও", "থামো", "মেসেজ পাঠাবেন না", "পাঠাবেন না"),
        Keyword.START: ("শুরু", "শুরু করুন", "আবার শুরু"),
        Keyword.HELP: ("সাহায্য", "সহায়তা", "সাহায্য চাই"),
    },
    "ro": {
        Keyword.STOP: ("stop", "oprire", "oprește", "opreste", "dezabonare", "anulare", "nu mai trimite", "nu mai trimiteți",
                       "nu mai trimiteti", "opriți", "opriti"),
        Keyword.START: ("start", "pornire", "pornește", "porneste", "reabonare"),
        Keyword.HELP: ("ajutor",),
    },
}

# Arabic-script letters that are written in several ways (Arabic vs Urdu/Persian forms, hamza seats).
_ARABIC_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ي": "ی", "ى": "ی", "ې": "ی",
    "ك": "ک", "ه": "ہ", "ة": "ہ", "ۀ": "ہ", "ھ": "ہ",
    "ـ": None,  # tatweel (kashida), only stretches the line
    "ł": "l",
})
# Latin diacritics (wznów = wznow, oprește = opreste) and Arabic vowel marks are dropped for matching.
_DROP_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670]")


def fold(text: str) -> str:
    """The comparison form of a short reply: case, diacritics, punctuation, emoji and spacing ignored."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = unicodedata.normalize("NFD", text)
    text = _DROP_MARKS.sub("", text)
    text = unicodedata.normalize("NFC", text).translate(_ARABIC_FOLD)
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] in "PSZC" or ch in "\u200c\u200d":   # punctuation, symbols (emoji), separators, controls
            kept.append(" ")
        else:
            kept.append(ch)
    return " ".join("".join(kept).split())


@dataclass(frozen=True)
class KeywordMatch:
    keyword: Keyword
    language: str   # the language the word belongs to ("en" when it is English or shared)


def _build_index() -> dict[str, KeywordMatch]:
    index: dict[str, KeywordMatch] = {}
    for language, table in KEYWORDS.items():
        for keyword, words in table.items():
            for word in words:
                key = fold(word)
                # A word shared by English and another language (STOP, START) is filed under English.
                index.setdefault(key, KeywordMatch(keyword, language))
    return index


_INDEX = _build_index()


def classify(body: str) -> KeywordMatch | None:
    """The keyword this whole message is, or None."""
    key = fold(body)
    if not key or len(key) > 40:
        return None
    return _INDEX.get(key)


def from_opt_out_type(value: str | None) -> Keyword | None:
    """Twilio's OptOutType field (present when Twilio's Advanced Opt-Out recognised a keyword)."""
    if not value:
        return None
    try:
        return Keyword(value.strip().upper())
    except ValueError:
        return None
