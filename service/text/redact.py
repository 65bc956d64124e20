"""Redaction of personal details for sharing: a redacted copy is an annotation, never a replacement.

Placeholders: [NAME], [PHONE], [EMAIL], [POSTCODE], [ADDRESS], [NHS_NUMBER], [DATE_OF_BIRTH].
Rules (in this order, so that the more specific pattern wins):

* emails; NHS numbers (10 digits as 3-3-4 or run together, passing the NHS mod-11 check, or any 10
  digits right after "NHS"); UK phone numbers (+44 / 0 prefixes, mobile, landline, 0800 etc.);
* dates of birth: a date next to "DOB", "date of birth", "born (on)", "birthday", and any full date
  with a year before 2010 (an adult's birth date is the likely meaning);
* street addresses (house number + name + Road/Street/Lane/...; "Flat 3"), UK postcodes;
* names: a title (Mr, Mrs, Ms, Miss, Dr, ...) and the following capitalised word(s) or initial;
  "my son/daughter/... X"; "called/named X"; introductions ("I'm X", "my name is X"); two capitalised
  words not at the start of a sentence and not in a list of ordinary words; a list of common first
  names when capitalised.

Works on Latin-script text; other scripts keep digits-based redaction (phones, emails, NHS numbers,
postcodes, dates) because those look the same in every language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

PLACEHOLDERS = ("[NAME]", "[PHONE]", "[EMAIL]", "[POSTCODE]", "[ADDRESS]", "[NHS_NUMBER]",
                "[DATE_OF_BIRTH]")

# Every repeat is bounded (an address's local part is at most 64 characters, a domain label 63): with
# unbounded repeats a long run of word characters made each search quadratic (seconds for 30 KB of "a.").
EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")

NHS_SPACED = re.compile(r"(?<![\d+])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
NHS_CONTEXT = re.compile(r"(?i)\bNHS\s*(?:no\.?|number|num|#)?\s*[:.]?\s*((?:\d[ -]?){9}\d)\b")

PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?44\s?\(?0?\)?\s?|\(?0)"  # +44 / 0044 / 0 / (0
    r"(?:\d\)?[\s-]?){8,10}\d"  # then 9-11 more digits with optional spaces/dashes, "(01204) 337 000" too
    r"(?!\d)"
)

MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
DATE = (r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|"
        r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTHS + r"\.?,?\s+\d{4}|"
        + MONTHS + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})")
DOB_CONTEXT = re.compile(
    r"(?i)\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born(?:\s+on)?|birthday(?:\s+is)?|b\.)\s*[:\-]?\s*(" + DATE + r")"
)
ANY_DATE = re.compile(r"(?i)\b(" + DATE + r")\b")

POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|GIR\s?0AA)\b", re.IGNORECASE)
STREET_WORDS = (r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Court|Ct|"
                r"Place|Pl|Gardens|Grove|Terrace|Walk|Square|Mews|Row|Hill|Park|View|Rise|Green|Fold|"
                r"Brow|Parade|Boulevard|Croft|Meadow|Meadows|Bank)")
ADDRESS = re.compile(
    r"\b(?:(?:flat|apartment|apt|unit)\s+\d+[A-Za-z]?,?\s+)?\d{1,4}[A-Za-z]?,?\s+"
    r"(?:[A-Z][a-z'’]+\s+){1,3}" + STREET_WORDS + r"\b\.?"
)
FLAT = re.compile(r"(?i)\b(?:flat|apartment|apt)\s+\d+[A-Za-z]?\b")

TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sr|Sister|Nurse|Cllr|Rev|Father|Auntie|Uncle)"
# At most 40 letters, and the whole word (bounded for the same reason as EMAIL).
NAME_WORD = r"[A-Z][a-zA-Z'’-]{0,39}[a-zA-Z](?![a-zA-Z])"   # ends in a letter: "Jones'" is the name Jones
TITLED = re.compile(r"\b" + TITLES + r"\.?\s+(?:[A-Z]\.?\s*)?(?:" + NAME_WORD + r"|[A-Z]\b\.?)(?:\s+" + NAME_WORD + r")?")
RELATION = re.compile(
    r"(?i:\b(?:my|our|her|his|their)\s+(?:son|daughter|brother|sister|husband|wife|partner|mum|mother|"
    r"dad|father|nan|nana|gran|grandma|grandad|grandson|granddaughter|nephew|niece|aunt|auntie|uncle|"
    r"cousin|friend|carer|neighbour|boyfriend|girlfriend|advocate|social\s+worker|key\s*worker))"
    r"(,?\s+)(" + NAME_WORD + r"(?:\s+" + NAME_WORD + r")?)"
)
CALLED = re.compile(r"(?i:\b(?:called|named|name\s+is|i'?m|i\s+am|this\s+is|it'?s)\s+)(" + NAME_WORD
                    + r"(?:\s+" + NAME_WORD + r")?)")
TWO_CAPS = re.compile(r"(?<![.!?:]\s)(?<!^)\b(" + NAME_WORD + r")\s+(" + NAME_WORD + r")\b")
# "a carer called mohammed": a known first name written in lower case after a naming word.
CALLED_LOWER = re.compile(r"(?i:\b(?:called|named|name\s+is)\s+)([a-z][a-z'’-]{0,39}[a-z])(?![a-zA-Z])")
# A word of any script: letters with their vowel signs (which \w leaves out), not digits or punctuation.
_SCRIPT_WORD = r"[^\s\d.,،؛;:!?؟।()\[\]\"'“”]{2,30}"
# "My name is ..." in the other languages served: the next one or two words of the same script.
NAME_IS_OTHER = re.compile(
    r"(?<!\w)(?:میرا\s+نام|مینوں\s+کہندے|اسمي|إسمي|اسمى|আমার\s+নাম|મારું\s+નામ|મારૂં\s+નામ|ਮੇਰਾ\s+ਨਾਮ|ਮੇਰਾ\s+ਨਾਂ"
    r"|(?i:nazywam\s+się|mam\s+na\s+imię|mă\s+numesc|ma\s+numesc|numele\s+meu\s+(?:este|e)\b))"
    r"\s*[:،,]?\s*(" + _SCRIPT_WORD + r"(?:\s+" + _SCRIPT_WORD + r")?)"
)
# Words that end such a sentence rather than name anyone: the copula of Urdu, Punjabi, Gujarati, Bengali.
NAME_IS_STOP = {"ہے", "ہیں", "اے", "ਹੈ", "છે", "છું", "হয়", "আর", "و", "and", "i", "și", "si",
                # "not", "wrong", "was": the sentence is about the name, not giving it
                "نہیں", "غلط", "نئیں", "ਨਹੀਂ", "ਗਲਤ", "ਗ਼ਲਤ", "না", "নেই", "ভুল", "নাই", "નથી", "ખોટું", "ખોટુ",
                "لم", "لا", "ليس", "خطأ", "غلط", "nie", "źle", "zle", "nu", "greșit", "gresit", "era", "a", "o"}

# Capitalised words that are not names (so "I", "The", "Monday", "Social Services" stay).
NOT_NAMES = {
    w.lower() for w in """
    I I'm I've I'd I'll The A An And But Or If When Then This That These Those It Its He She They We You
    My Our Your His Her Their Mum Mother Dad Father Nan Gran Grandad Grandma Sir Madam Dear Hi Hello
    Thanks Thank Yes No Not Ok Okay Please Sorry Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December Christmas
    Easter Ramadan Eid Diwali NHS GP A&E Council Social Services Safeguarding Care Home Hospital Team
    Board Bolton England English Urdu Punjabi Gujarati Polish Arabic Bengali Romanian Pakistan India
    Poland Romania Bangladesh Manager Nurse Doctor Police Officer Advocate Court Street Road Centre Day
    Unit Ward Trust Agency Services Service Adult Adults Mental Health Act Royal Infirmary Down's
    Syndrome Parkinson's Alzheimer's Freedom Programme Trading Standards Best Interests Easy Read
    Making Personal Section Sunday's Tigrinya Xbox TV CCTV Lounge Reception Residents Relatives Chair
    Mr Mrs Ms Miss Dr Very Really Great Good Bad Lovely Brilliant Nobody Everyone Someone Everything
    Nothing After Before Since Also Still Now Today Yesterday Tomorrow Last Next Two One Three New Old
    Why What Who How Where Which Because So Just Even Only Some Many Most All Any Every Each Both
    Halal Muslim Sikh Hindu Christian Gurdwara Mosque Church Temple Google Facebook WhatsApp Whatsapp
    """.split()
}
COMMON_FIRST_NAMES = {
    w.lower() for w in """
    Aaron Abdul Adam Ahmed Aisha Alan Ali Alice Amir Amy Andrew Angela Ann Anne Asif Ayesha Barbara
    Ben Bilal Brian Carol Catherine Charlotte Chris Christine Claire Colin Craig Daniel Dave David
    Deborah Derek Diane Donna Dorothy Edward Elizabeth Emma Fatima Gary Gemma George Graham Hannah
    Harry Hassan Helen Ian Imran Jack Jacqueline James Jane Janet Jason Jean Jennifer Jessica Joan
    John Joseph Julie Karen Kate Kathleen Keith Kelly Kevin Khadija Kim Laura Lee Linda Lisa Lorraine
    Margaret Mark Martin Mary Matthew Michael Michelle Mohammed Muhammad Nasreen Neil Nicola Nigel
    Patricia Paul Pauline Peter Priya Rachel Rebecca Richard Robert Samina Sandra Sarah Sharon Shazia
    Simon Stephen Steven Stuart Susan Teresa Thomas Tony Tracy Usman Valerie Wendy William Yasmin Zainab
    Sam Tom Jim Bob Bill Pat Joe Sue Liz Beth Kath Jo Dan Rob Mike Steve Andy Ahmad Raj Gurpreet
    Harpreet Manjit Sukhwinder Parveen Shabana Rukhsana Nusrat Tahir Tariq Zubair Farhan Anna Piotr
    Tomasz Katarzyna Agnieszka Marek Andrei Ion Maria Elena Mihai Ioana Rahim Karim Nadia Omar Layla
    """.split()
}


@dataclass(frozen=True)
class Redaction:
    kind: str
    start: int
    end: int


def nhs_checksum_ok(digits: str) -> bool:
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _spans(text: str) -> list[Redaction]:
    spans: list[Redaction] = []
    for m in EMAIL.finditer(text):
        spans.append(Redaction("EMAIL", m.start(), m.end()))
    for m in NHS_CONTEXT.finditer(text):
        spans.append(Redaction("NHS_NUMBER", m.start(1), m.end(1)))
    for m in NHS_SPACED.finditer(text):
        digits = "".join(m.groups())
        if nhs_checksum_ok(digits) and not digits.startswith("0"):
            spans.append(Redaction("NHS_NUMBER", m.start(), m.end()))
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if digits.startswith("0044"):
            digits = digits[2:]        # "0044 7700 900123" is +44 7700 900123
        if 10 <= len(digits) <= 13:
            spans.append(Redaction("PHONE", m.start(), m.end()))
    for m in DOB_CONTEXT.finditer(text):
        spans.append(Redaction("DATE_OF_BIRTH", m.start(1), m.end(1)))
    for m in ANY_DATE.finditer(text):
        year = re.search(r"(\d{4})|(?:\D)(\d{2})$", m.group(1))
        if year and year.group(1) and 1900 <= int(year.group(1)) < 2010:
            spans.append(Redaction("DATE_OF_BIRTH", m.start(1), m.end(1)))
    for m in ADDRESS.finditer(text):
        spans.append(Redaction("ADDRESS", m.start(), m.end()))
    for m in FLAT.finditer(text):
        spans.append(Redaction("ADDRESS", m.start(), m.end()))
    for m in POSTCODE.finditer(text):
        # Needs a digit-letter-letter inward code; accept lower case only in the spaced form.
        if m.group().isupper() or " " in m.group():
            spans.append(Redaction("POSTCODE", m.start(), m.end()))
    spans.extend(_name_spans(text))
    return spans


def _is_name(word: str) -> bool:
    return word.lower() not in NOT_NAMES


def _end_of_leading_words(m: re.Match, group: int, is_part: Callable[[str], bool]) -> int | None:
    """Where the run of words at the start of the match's group that `is_part` accepts ends (None when the
    first is not accepted). Measured in the text, so two spaces between words do not leave a letter out."""
    end = None
    for word in re.finditer(r"\S+", m.group(group)):
        if not is_part(word.group()):
            break
        end = m.start(group) + word.end()
    return end


def _name_spans(text: str) -> list[Redaction]:
    out = []
    for m in TITLED.finditer(text):
        out.append(Redaction("NAME", m.start(), m.end()))
    for m in RELATION.finditer(text):
        end = _end_of_leading_words(m, 2, _is_name)
        if end is not None:
            out.append(Redaction("NAME", m.start(2), end))
    for m in CALLED.finditer(text):
        first = m.group(1).split()[0]
        if _is_name(first) and first[0].isupper():
            words = [w for w in m.group(1).split()]
            keep = [w for w in words if _is_name(w)]
            end = m.start(1) + len(" ".join(words[: len(keep)])) if keep == words[: len(keep)] else m.start(1) + len(first)
            out.append(Redaction("NAME", m.start(1), end))
    for m in TWO_CAPS.finditer(text):
        if _is_name(m.group(1)) and _is_name(m.group(2)):
            out.append(Redaction("NAME", m.start(), m.end()))
    for m in re.finditer(r"\b[A-Z][a-z'’]+\b", text):
        if m.group().lower() in COMMON_FIRST_NAMES:
            out.append(Redaction("NAME", m.start(), m.end()))
    for m in CALLED_LOWER.finditer(text):
        if m.group(1).lower() in COMMON_FIRST_NAMES:
            out.append(Redaction("NAME", m.start(1), m.end(1)))
    for m in NAME_IS_OTHER.finditer(text):
        end = _end_of_leading_words(m, 1, lambda w: w.lower() not in NAME_IS_STOP)
        if end is not None:
            out.append(Redaction("NAME", m.start(1), end))
    return out


def find_redactions(text: str) -> list[Redaction]:
    """Non-overlapping spans to redact; earlier kinds in the rule order win, then longer spans."""
    priority = {"EMAIL": 0, "NHS_NUMBER": 1, "PHONE": 2, "DATE_OF_BIRTH": 3, "ADDRESS": 4,
                "POSTCODE": 5, "NAME": 6}
    spans = sorted(_spans(text), key=lambda s: (priority[s.kind], -(s.end - s.start), s.start))
    chosen: list[Redaction] = []
    covered = bytearray(len(text))     # linear in the text, however many spans (a list scan was quadratic)
    for s in spans:
        if covered.find(1, s.start, s.end) == -1:
            chosen.append(s)
            covered[s.start:s.end] = b"\x01" * (s.end - s.start)
    return sorted(chosen, key=lambda s: s.start)


def redact(text: str) -> str:
    out = []
    pos = 0
    for s in find_redactions(text):
        out.append(text[pos:s.start])
        out.append(f"[{s.kind}]")
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


VERSION = "redact-rules-2"
