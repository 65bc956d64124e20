"""Redaction of personal details for sharing: a redacted copy is an annotation, never a replacement.

Placeholders: [NAME], [PHONE], [EMAIL], [POSTCODE], [ADDRESS], [NHS_NUMBER], [DATE_OF_BIRTH], [DATE].
Rules (in this order, so that the more specific pattern wins):

* emails (also "name @ host", "name(at)host"); NHS numbers (10 digits as 3-3-4 or run together,
  passing the NHS mod-11 check, or any 10 digits right after "NHS"); UK phone numbers (+44 / 0
  prefixes, mobile, landline, 0800 etc.) and other countries' numbers written with "+";
* dates of birth: a date next to "DOB", "date of birth", "born (on)", "birthday" or the same words in
  the other languages served ([DATE_OF_BIRTH]); any other full date with a year before 2010 ([DATE]:
  an adult's birth date is the likely meaning, but it may be when something happened);
* street addresses (house number + name + Road/Street/Lane/...; "Flat 3"), UK postcodes;
* names: a title (Mr, Mrs, Ms, Miss, Dr, pani, doamna, ...) and the following capitalised word(s) or
  initial ("mrs patel" too); "my son/daughter/... X", "the carer, X,"; "called/named X"; introductions
  ("I'm X", "my name is X"); two capitalised words not at the start of a sentence and not in a list of
  ordinary words (words in capitals are shouting, not names, unless a known first name); a list of
  common first names, capitalised (with the surname after it) or in lower case after a naming word.

Names are found in Latin-script text (accented letters included), and in the other scripts after "my
name is" / "X's name is"; everything else (phones, emails, NHS numbers, postcodes, dates) is found in
every script, in Arabic, Persian, Bengali, Gujarati, Gurmukhi or Devanagari digits as well.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from .invisible import has_hidden, is_hidden
from .lookalikes import is_latin_letter, is_mark, is_mark_on_latin, unmarked_latin
from . import rare_names

PLACEHOLDERS = ("[NAME]", "[PHONE]", "[EMAIL]", "[POSTCODE]", "[ADDRESS]", "[NHS_NUMBER]",
                "[DATE_OF_BIRTH]", "[DATE]", "[OTHER SCRIPT]")

# Every repeat is bounded (an address's local part is at most 64 characters, a domain label 63): with
# unbounded repeats a long run of word characters made each search quadratic (seconds for 30 KB of "a.").
EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]{1,64}(?:@| @ |\(at\)|\[at\])[\w-]{1,63}(?:\.[\w-]{1,63}){0,7}\.[A-Za-z]{2,24}\b")

NHS_SPACED = re.compile(r"(?<![\d+])(\d{3})[ -]{0,2}(\d{3})[ -]{0,2}(\d{4})(?![\d])")
# Gaps between the words are bounded: three unbounded \s* side by side took minutes on a run of spaces.
NHS_CONTEXT = re.compile(r"(?i)\bN\.?H\.?S\.?(?:\s{0,3}(?:no\.?|number|num|#))?(?:\s{1,3}(?:is|was))?[\s:.\-]{0,4}"
                         r"((?:\d[ -]{0,2}){9}\d)\b")

PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)\s?44\s?\(?0?\)?\s?|\(?0)"  # +44 / 0044 / 0 / (0; "ring07700..." too
    r"(?:\d\)?[\s-]?){8,10}\d"  # then 9-11 more digits with optional spaces/dashes, "(01204) 337 000" too
    r"(?!\d)"
)
# Family abroad: "+48 512 345 678", "+40 722 123 456" (a "+" and a country code is hardly anything else).
FOREIGN_PHONE = re.compile(r"(?<![\w+])\+(?!44)[1-9]\d{0,2}[\s.-]?\(?(?:\d\)?[\s.-]?){7,11}\d(?!\d)")
# Capitals glued to a number that announce a phone number ("TEL07700900123"); other capitals make it a
# reference ("ASC0123456789").
NUMBER_WORDS = {"TEL", "MOB", "MOBILE", "PH", "PHONE", "NO", "NUM", "NUMBER", "T", "M"}
# "calls due 0800 1200 1700 2100": care-call times, not a phone number.
_HHMM = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")
# Digits of the other scripts served (Arabic, Persian/Urdu, Devanagari, Bengali, Gurmukhi, Gujarati),
# read as ASCII digits; one character for one, so positions found in the copy are positions in the text.
_NATIVE_DIGITS = {base + i: ord("0") + i for base in (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6)
                  for i in range(10)}

MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
          # Polish (genitive, as in a date), Romanian, Arabic and Urdu month names
          r"|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|wrze[sś]nia|pa[zź]dziernika|listopada|grudnia"
          r"|ianuarie|februarie|martie|aprilie|mai|iunie|iulie|august|septembrie|octombrie|noiembrie|decembrie"
          r"|يناير|فبراير|مارس|أبريل|إبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر"
          r"|جنوری|فروری|مارچ|اپریل|مئی|جون|جولائی|اگست|ستمبر|اکتوبر|نومبر|دسمبر)")
DATE = (r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|"
        r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTHS + r"\.?,?\s+\d{4}|"
        + MONTHS + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})")
# Next to a date-of-birth word a date may be written more loosely: "3 / 4 / 51", "03 04 1951",
# "03041951", "3 apr 51", "3rd April '51".
DOB_DATE = (r"(?:" + DATE + r"|\d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?(?:\d{4}|\d{2})|\d{2}\s\d{2}\s\d{4}|\d{8}|"
            r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTHS + r"\.?,?\s+'?\d{2}|"
            + MONTHS + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+'?\d{2})")
DOB_WORDS = (r"d\.?o\.?b\.?|date\s+of\s+birth|born(?:\s+on)?|birthday(?:\s+is)?|b\."
             r"|data\s+urodzenia|ur\.|urodzon[aey]|data\s+na[sș]terii|n[aă]scut[aă]?(?:\s+(?:pe|la|în|in))?"
             r"|تاریخ\s+پیدائش|تاريخ\s+الميلاد|ولدت?(?:\s+في)?|জন্ম\s+তারিখ|જન્મ\s+તારીખ|ਜਨਮ\s+ਤਾਰੀਖ")
DOB_CONTEXT = re.compile(
    r"(?i)(?<!\w)(?:" + DOB_WORDS + r")(?:\s{1,3}(?:is|was|=|-))?[\s:\-=]{0,4}(" + DOB_DATE + r")(?!\d)"
)
ANY_DATE = re.compile(r"(?i)\b(" + DATE + r")\b")

POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?(?:\s{0,2}|-)\d[A-Z]{2}|GIR\s?0AA)\b", re.IGNORECASE)
STREET_WORDS = (r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Court|Ct|"
                r"Place|Pl|Gardens|Grove|Terrace|Walk|Square|Mews|Row|Hill|Park|View|Rise|Green|Fold|"
                r"Brow|Parade|Boulevard|Croft|Meadow|Meadows|Bank)")
ADDRESS = re.compile(
    r"\b(?:(?:flat|apartment|apt|unit)\s+\d+[A-Za-z]?,?\s+)?\d{1,4}[A-Za-z]?,?\s+"
    r"(?:[A-Z][a-z'’]+\.?\s+){1,3}" + STREET_WORDS + r"\b\.?"     # "4 St. Georges Road" too
)
COURT = re.compile(r"\b(?:Family|Magistrates'?|Coroner'?s'?)\s+Court\b")     # "3 Crown Court" may be a home
# "ward c3 2nd floor", "the A6 2nd exit": a real ordinal, in lower case, then a floor or a turning.
ORDINAL_NOT_POSTCODE = re.compile(r"(?:1st|2nd|3rd|[04-9]th)\s+(?:floor|exit|turning|turn|door|bed|left|right)\b")
FLAT = re.compile(r"(?i)\b(?:flat|apartment|apt)\s+\d+[A-Za-z]?\b")

# Latin letters, accented ones included ("Renée", "Wiśniewska", "Ştefănescu", Vietnamese "Nguyễn"), but no
# other script's: a name of Latin letters ends where Bengali or Arabic begins ("Women's Aid-এর").
_LATIN = [chr(c) for c in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)) if chr(c).isalpha()]
UPPER = "A-Z" + "".join(c for c in _LATIN if c.isupper())
LETTER = "a-zA-Z" + "".join(_LATIN)

TITLES = (r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sr|Sister|Nurse|Cllr|Rev|Father|Auntie|Aunty|Aunt|Uncle"
          r"|Grandad|Grandpa|Grandma|Nan|Nana)")
# Titles that are also ordinary words before a noun ("the Nurse Practitioner", "Father Christmas").
SOFT_TITLES = {"sister", "nurse", "father", "auntie", "aunty", "aunt", "uncle", "grandad", "grandpa", "grandma",
               "nan", "nana"}
# At most 40 letters, and the whole word (bounded for the same reason as EMAIL).
NAME_WORD = rf"[{UPPER}][{LETTER}'’-]{{0,39}}[{LETTER}](?![{LETTER}])"   # "Jones'" is the name Jones
TITLED = re.compile(r"\b" + TITLES + r"\.?\s+(?:[A-Z]\.?\s*)?(?:" + NAME_WORD + r"|[A-Z]\b\.?)(?:\s+" + NAME_WORD + r")?")
# Polish and Romanian forms of address: "pani Zofia", "panią Wiśniewską", "doamna Ionescu".
TITLED_OTHER = re.compile(r"(?i:\b(?:pani|panią|pan|pana|panu|panem|doamna|doamnei|domnul|domnului|dna\.?|dl\.?))\s+("
                          + NAME_WORD + r"(?:\s+" + NAME_WORD + r")?)")
# "mrs patel", "MRS PATEL", "mr khan": a surname in any case after Mr/Mrs ("miss" and "dr" are
# ordinary words in lower case: "we miss her", "dr said").
# ("ms" is multiple sclerosis, "MR" a scan, "MISS" and "miss" a verb: left to the capitalised forms.)
LOWER_TITLED = re.compile(rf"(?<![{LETTER}])(?:mrs|mr|MRS)\.?\s+([{LETTER}][{LETTER}'’-]{{0,39}}[{LETTER}])(?![{LETTER}])")
# In text written in capitals, words that are not names: a name after "MY SON" or a surname after "Mrs
# Bogusia" is taken unless it is one of these or ends like a verb ("-ED", "-ING", unless a known name).
CAPS_VERBS = {w for w in """
    VISITS HITS TOOK TAKES SAYS SAID LIVES WORKS CAME COMES WENT GOES GETS GOT KEEPS KEPT RANG TOLD TELLS
    SHOUTS STOLE STEALS WANTS NEEDS LOOKS HELPS CARES SLEEPS STAYS LOVES HATES SEES SAW FOUND PUTS MAKES
    MADE GIVES GAVE HAS HAD IS WAS ARE WERE DOES DID CAN WILL WOULD SHOULD MUST DOESNT DIDNT CANT WONT
    ISNT WASNT HASNT HAVENT DONT NEVER ALWAYS ALSO STILL JUST AND BUT WHO WHEN THEN NOW TOO
""".split()}
# "MR AHMED KHAN": in capitals a title counts only before a known first name ("MR SCAN", "I MISS SEEING").
CAPS_TITLED = re.compile(r"\b(?:MR|MRS|MS|MISS|DR)\.?\s+([A-Z]{2,40})(?![A-Za-z])(?:\s+([A-Z][A-Z'’-]{1,39})(?![A-Za-z]))?")
NOT_A_SURNAME = {"and", "or", "the", "a", "an", "is", "was", "said", "says", "told", "has", "had", "x", "teams",
                 "&", "to", "from", "at", "in", "on", "of", "with", "who", "he", "she", "it", "did", "does"}
_RELATIVES = (r"(?:son|daughter|brother|sister|husband|wife|partner|mum|mother|dad|father|nan|nana|gran|grandma|"
              r"grandad|grandson|granddaughter|nephew|niece|aunt|auntie|uncle|cousin|friend|carer|neighbour|"
              r"boyfriend|girlfriend|advocate|social\s+worker|key\s*worker)(?:-in-law)?")
RELATION = re.compile(
    r"(?i:\b(?:(?:my|our|her|his|their)\s+" + _RELATIVES +
    # Polish "mój syn", "moja córka"; Romanian "fiica mea", "fiul meu"
    r"|(?:mój|moja|mojego|mojej|mojemu)\s+(?:syn|synem|córka|córki|brat|siostra|mąż|żona|mama|matka|tata|ojciec"
    r"|babcia|dziadek|wnuk|wnuczka|opiekun|opiekunka|sąsiad|sąsiadka)"
    r"|(?:fiul|fiica|fratele|sora|soțul|sotul|soția|sotia|mama|tatăl|tatal|bunica|bunicul|nepotul|nepoata)\s+(?:meu|mea))"
    r")(,?\s+|\s*\(\s*)(" + NAME_WORD + r"(?:\s+" + NAME_WORD + r")?)"
)
# "my mums carer Tracey", "the deputy manager, Janice, said": a role and a capitalised word after it.
# The role is in lower case ("Social Worker Assessment" is a heading, not a name) or starts a sentence
# ("Carer Bogusia was rough"); a role that is also a verb or a rank ("cook Indian food") needs "the",
# "our", "my"... before it ("the cook Grażyna").
ROLE = re.compile(
    r"(?:\b(?:carer|manager|nurse|cleaner|warden|neighbour|social\s+worker|key\s*worker|"
    r"support\s+worker|care\s+worker|team\s+leader|receptionist)"
    r"|\b(?i:the|our|my|his|her|their|a)\s+(?:driver|cook|chef|officer|senior)"
    r"|(?:^|(?<=[.!?]\s))(?:Carer|Manager|Nurse|Cleaner|Driver))"
    r"(,?\s+)(" + NAME_WORD + r")"
)
# "uncle tariq", "my brother imran", "its shazia here": a known first name in lower case after a word
# that introduces a person.
LOWER_AFTER = re.compile(
    rf"(?i:\b(?:(?:my|our|her|his|their)\s+(?:{_RELATIVES})|nurse|uncle|auntie|aunty|dr|its|it's|i'm|im)\s+)"
    rf"([a-z][a-z'’-]{{0,39}}[a-z])(?![{LETTER}])"
)
CALLED = re.compile(r"(?i:\b(called|named|name\s+is|i'?m|i\s+am|this\s+is|it'?s)\s+)(" + NAME_WORD
                    + r"(?:\s+" + NAME_WORD + r")?)")
# After "I'm", "this is", "it's" a capitalised word is as often a feeling ("I'm Disgusted", "I am
# Deaf") as a name: these need a known first name, two name words, or the way an introduction goes on.
# How an introduction goes on: after these the word is a name whatever it ends in ...
_INTRODUCTION_GOES_ON = re.compile(r"\s*(?:,|\(|-|–|here\b|from\b|again\b|speaking\b|writing\b|calling\b|ringing\b)",
                                   re.IGNORECASE)
# ... and after these only when it does not end like a feeling ("I'm Gloria and", "This is Olive.").
_SENTENCE_GOES_ON = re.compile(r"\s*(?:and\b|[.!?]|$)", re.IGNORECASE)
# "I called Wigan Council": the capitalised word names a place or body, not a person.
_BODY = re.compile(r"\s+(?:Council|Hospital|Police|Surgery|Practice|Centre|Center|Trust|Services|Home|House|Court)\b")
_FEELING_ENDINGS = ("ing", "ful", "ous", "able", "ible", "less", "ive", "ic", "ed")   # known names pass first
FEELINGS = {w.lower() for w in """
    Deaf Blind Disabled Autistic Dyslexic Catholic Jewish Muslim Sikh Hindu Christian Angry Furious Livid Upset
    Sad Happy Glad Grateful Gutted Sorry Fine Ok Okay Tired Sick Ill Worried Scared Afraid Frightened Terrified
    Disgusted Disappointed Frustrated Shocked Appalled Annoyed Concerned Relieved Satisfied Pleased Delighted
    Impressed Exhausted Confused Devastated Heartbroken Traumatised Isolated Ignored Retired Married Divorced
    Widowed Registered Housebound Bedbound Lonely Alone Unhappy Angry Fed Done Sure Certain Aware Here Back
    Pregnant Skint Broke Rubbish Wrong Right Poorly Unwell Homeless Vegetarian Vegan Gay Lesbian Trans Single
""".split()}
TWO_CAPS = re.compile(r"(?<![.!?:]\s)(?<!^)\b(" + NAME_WORD + r")\s+(" + NAME_WORD + r")(?![\w])")
# A known first name and what follows it: a surname ("Linda Barlow", at the start of a sentence too) or
# the rest of a double-barrelled name ("Anne-Marie").
# The surname is looked at, not taken, so that in "Ask Gary" the search still tries "Gary".
FIRST_NAME = re.compile(rf"(?<![{LETTER}])(?<!\bSt )(?<!\bSt\. )([{UPPER}][{LETTER}]+)(-[{UPPER}][{LETTER}]+)?(?![{LETTER}])(?!['’][{LETTER}]{{2}})"
                        r"(?=\s+(" + NAME_WORD + r"))?")
# "a carer called mohammed": a known first name written in lower case after a naming word.
CALLED_LOWER = re.compile(r"(?i:\b(?:called|named|name\s+is)\s+)([a-z][a-z'’-]{0,39}[a-z])(?![a-zA-Z])")
# A word of any script: letters with their vowel signs (which \w leaves out), not digits or punctuation.
_SCRIPT_WORD = r"[^\s\d.,،؛;:!?؟।()\[\]\"'“”]{2,30}"
# "My name is ..." in the other languages served: the next one or two words. The keyword must end
# there ("আমার নামাজের" is "my prayers'", not "my name").
NAME_IS_OTHER = re.compile(
    r"(?<!\w)(?:میرا\s+(?:نام|ناں)|مینوں\s+کہندے|اسمي|إسمي|اسمى"
    r"|আমার\s+নাম|મારું\s+નામ|મારૂં\s+નામ|ਮੇਰਾ\s+ਨਾਮ|ਮੇਰਾ\s+ਨਾਂ"
    r"|(?i:nazywam\s+się|mam\s+na\s+imię|ma\s+na\s+imię|mă\s+numesc|ma\s+numesc|se\s+nume[sș]te"
    r"|numele\s+(?:meu|ei|lui)\s+(?:este|e)|(?:mera|meri)\s+naa?m))"
    r"[\s:،,]{1,4}(" + _SCRIPT_WORD + r"(?:\s+" + _SCRIPT_WORD + r")?)"
)
# "My mother's name is Razia Begum": only with the verb after the name, because "her name", "the
# staff's name" are as often talked about ("hearing her name", "afraid to say the staff's name").
NAMED_IS_OTHER = re.compile(
    r"(?:(?<!\w)(?:کا|کی|دا|دی)\s+(?:نام|ناں)|(?<!\w)(?:ਦਾ|ਦੀ)\s+(?:ਨਾਮ|ਨਾਂ)|(?<!\w)નું\s+નામ|(?:ের|র)\s+নাম"
    r"|(?i:(?<!\w)(?:ka|ki)\s+naa?m))"
    r"[\s:،,]{1,4}(" + _SCRIPT_WORD + r"(?:\s+" + _SCRIPT_WORD + r")?)"
    r"\s+(?:ہے|اے|ਹੈ|છે|হল|হলো|hai|he|hay)(?!\w)"
)
# Words that end such a sentence rather than name anyone: the copula of Urdu, Punjabi, Gujarati, Bengali.
NAME_IS_STOP = {"ہے", "ہیں", "اے", "ਹੈ", "છે", "છું", "হয়", "আর", "و", "and", "i", "și", "si",
                "hai", "he", "hay", "h", "aur", "tha", "thi", "hain",
                # "not", "wrong", "was": the sentence is about the name, not giving it
                "نہیں", "غلط", "نئیں", "ਨਹੀਂ", "ਗਲਤ", "ਗ਼ਲਤ", "না", "নেই", "ভুল", "নাই", "નથી", "ખોટું", "ખોટુ",
                "لم", "لا", "ليس", "خطأ", "غلط", "nie", "źle", "zle", "nu", "greșit", "gresit", "era", "a", "o",
                "nahi", "nahin", "nai", "galat", "ghalat", "mat", "وأنا", "وانا", "وهو", "وهي",
                # "written", "on the form": about the name again
                "مكتوب", "لکھا", "ਲਿਖਣ", "ਲਿਖਿਆ", "wpisane", "wpisano", "napisane", "scris", "de"}

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
    Age UK Citizens Advice Universal Credit Attendance Allowance Pension Blue Badge Lasting Attorney
    Occupational Therapist Therapy Lewy Body Town Crime Commissioner Women's Aid Pets MOT BBQ Family
    Crown County Magistrates Practitioner Matron Sergeant Specialist Rota Assessment Training Booking Meeting Letter Support Management
    Staff Managers Leadership Review Awareness Breaks Call Controlled Shortages Special However Although Though Unfortunately
    Sadly Luckily Again Otherwise Meanwhile Instead Overall Finally Eventually Apparently Honestly Anyway
    Tax Was Were Is Are Be Been Has Have Had Do Does Did By At To In On Of For With From Into About Out Up
    Off Over Under Left Hit Alone Never Always Sometimes Often
    Luni Marti Marți Miercuri Joi Vineri Sambata Sâmbătă Duminica Duminică Poniedziałek Wtorek Środa Czwartek
    Piątek Sobota Niedziela Doktor Doktora Pielęgniarka Kierowca Kierownik Dyrektor Bóg Asistenta Asistentă
    """.split()
}
# First names common in the communities served; the last lines are names of the generation now in care homes
# ("Doris", "Enid", "Bert"), whom residents' meeting minutes name, and which are not rare enough as words.
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
    Muhammed Mohammad Mohamed Mohamad Abdullah Yusuf Ibrahim Ismail Hussain Hussein Javed Naveed Shahid
    Khalid Nadeem Waseem Asma Sadia Saima Rubina Nazia Bushra Farah Iqbal Rashid Rasheed Saeed Waheed Hameed Majeed Fareed Zaheed Junaid Sajid Zahid Arif Amjad
    Mohinder Jaswinder Balwinder Kuldip Kuldeep Surinder Rajinder Harjit Paramjit Amarjit Jasbir Baljit
    Hardeep Navdeep Mandeep Simran Gurdeep Inderjit Ravinder Rekha Sunita Anita Geeta Meena Nisha Pooja
    Ramesh Suresh Mahesh Dinesh Rajesh Mukesh Hitesh Bharat Kiran Hansa Jayesh Nilesh Anwar Anowara
    Abdul Rahima Rokeya Shamim Salma Taslima Nasrin Jamal Kamal Rafiq Shafiq Habib Mizanur Mamun
    Doreen Eileen Brenda Maureen Irene Sheila Joyce Marjorie Sylvia Edna Elsie Ethel Gladys Hilda Mabel
    Vera Winifred Beryl Audrey Betty Brian Bernard Cyril Dennis Douglas Eric Ernest Harold Herbert Leslie
    Norman Raymond Reginald Ronald Stanley Walter Wilfred Albert Arthur Alfred Alf Frederick Fred Geoffrey
    Gordon Kenneth Malcolm Maurice Roy Terence Terry Trevor Vincent Barry Clive Dennis Derrick Gerald
    Siobhan Tracey Tracy Leanne Jayden Kayleigh Kirsty Stacey Stacy Shannon  Courtney Danielle
    Gemma Natalie Nicole Samantha Zoe Chloe Sophie Lauren Megan Jade Abigail Amanda Alison Beverley Bev
    Bernie Bernadette Carole Caroline  Denise Elaine Gail Gillian Hayley Jackie Janice Jill Joanne
    Josephine Judith Julia Kathryn Lesley Lynn Lynne Marie Marion Maxine Nicola Pamela Pam Paula
    Rita Sally Shirley Sonia  Tina Toni Vanessa Yvonne Glenys Gaynor Dawn Stella Jordan Stan Ross Kerry Kath Mandy Mo Bernice
    Aidan Alex Alexander Anthony Ashley Callum Carl Connor Darren Dean Declan Dominic Duncan Gareth Gavin
    Glen Gregory Jamie Jonathan  Josh Joshua Karl Kieran Lewis Liam Luke Mohsin Nathan Nick
    Nicholas Oliver Patrick Philip Phil Ricky  Russell Ryan Scott Sean Shaun Shane Stewart Tim
    Timothy Tyler Wayne Kyle Lee Les Ken Ron Reg  Wally Len Vic Ted Nigel Eamon Kevin Alan Brendan
    Katarzyna Magdalena Małgorzata Ewa Krzysztof Paweł Łukasz Michał Wojciech Bartek Zofia Marta
    Olive Chloé Zoë Renée José Mihaela Andreea Florin Gheorghe Vasile Elena Cristina Adrian Alexandru Stefan Ana Ioan Nkechi
    Doris Enid Nora Norah Mavis Edith Muriel Phyllis Winnie Agnes Ada Annie Lilian Evelyn Peggy Nellie
    Queenie Mildred Alma Ida Freda Hilary Connie Gertrude Bessie Minnie Millie Maud Maude Clara Harriet Jessie
    Lizzie Thelma Myrtle Sybil Gwen Gwendoline Dilys Lottie Hettie Cissie Bert Percy Sidney Sid Clifford Leonard
    Ivor Idris
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
        groups = m.group().split()
        if len(groups) >= 3 and all(_HHMM.fullmatch(g) for g in groups):
            continue                   # "0800 1200 1700 2100": times of care calls
        glued = re.search(r"([A-Z]+)$", text[max(0, m.start() - 8):m.start()])
        if glued and glued.group(1) not in NUMBER_WORDS:
            continue                   # "ASC0123456789": a reference; "TEL07700900123" is a phone
        if 10 <= len(digits) <= 13:
            spans.append(Redaction("PHONE", m.start(), m.end()))
    for m in FOREIGN_PHONE.finditer(text):
        if re.search(r"\d{3}", m.group()[1:]):     # "+48 512 345 678"; not "+10 15 20 25 30" (amounts)
            spans.append(Redaction("PHONE", m.start(), m.end()))
    for m in DOB_CONTEXT.finditer(text):
        spans.append(Redaction("DATE_OF_BIRTH", m.start(1), m.end(1)))
    for m in ANY_DATE.finditer(text):
        year = re.search(r"(\d{4})|(?:\D)(\d{2})$", m.group(1))
        if year and year.group(1) and 1900 <= int(year.group(1)) < 2010:
            spans.append(Redaction("DATE", m.start(1), m.end(1)))
    for m in ADDRESS.finditer(text):
        if not COURT.search(m.group()):          # "2 Family Court hearings" is not an address
            spans.append(Redaction("ADDRESS", m.start(), m.end()))
    for m in FLAT.finditer(text):
        spans.append(Redaction("ADDRESS", m.start(), m.end()))
    for m in POSTCODE.finditer(text):
        # Needs a digit-letter-letter inward code; accept lower case only in the spaced form, and not
        # "c3 2nd" (a ward and a floor).
        code = m.group()
        if (code.isupper() or " " in code or "-" in code) and not ORDINAL_NOT_POSTCODE.match(text, m.end() - 3):
            spans.append(Redaction("POSTCODE", m.start(), m.end()))
    spans.extend(_name_spans(text))
    return spans


def _is_name(word: str) -> bool:
    return word.lower() not in NOT_NAMES


def _is_shouting(word: str) -> bool:
    """A word in capitals ("HIT", "CARER") is emphasis, unless it is a known first name ("CRAIG")."""
    letters = word.strip("'’-.")
    return len(letters) > 1 and letters.isupper() and letters.lower() not in COMMON_FIRST_NAMES


def _caps_name(word: str) -> bool:
    """Is a word in capitals, where a name is expected, a name? ("GRZEGORZ", "NOWAK"; not "HITS", "IGNORED")."""
    bare = word.strip(".,;:!?'’")
    if bare.lower() in COMMON_FIRST_NAMES:
        return True
    return _is_name(bare) and bare not in CAPS_VERBS and not bare.endswith(("ED", "ING"))


def _end_of_leading_words(m: re.Match, group: int, is_part: Callable[[str], bool]) -> int | None:
    """Where the run of words at the start of the match's group that `is_part` accepts ends (None when the
    first is not accepted). Measured in the text, so two spaces between words do not leave a letter out."""
    end = None
    for word in re.finditer(r"\S+", m.group(group)):
        if not is_part(word.group()):
            break
        end = m.start(group) + word.end()
    return end


def _titled_span(m: re.Match) -> Redaction | None:
    """A title and the name words after it, stopping at an ordinary word ("Mr T. He said" keeps "He")."""
    words = list(re.finditer(r"\S+", m.group()))
    title, rest = words[0], words[1:]
    if title.group().rstrip(".").lower() in SOFT_TITLES and not _is_name(rest[0].group().rstrip(".")):
        return None                    # "the Nurse Practitioner", "Father Christmas"
    end = m.start() + rest[0].end()
    for word in rest[1:]:
        if not _is_name(word.group()):
            break
        if _is_shouting(word.group()) and not _caps_name(word.group()):
            break                          # "Dr Khan IGNORED me"; but "Mrs Bogusia NOWAK" is a surname
        end = m.start() + word.end()
    return Redaction("NAME", m.start(), end)


def _weak_intro_names(m: re.Match, text: str, end: int) -> bool:
    """After "I'm" / "this is" / "it's": is the capitalised word a name, not a feeling?"""
    words = text[m.start(2):end].split()
    if words[0].lower() in COMMON_FIRST_NAMES or len(words) == 2:
        return True
    word = words[0].lower()
    if word in FEELINGS:
        return False           # "I am Deaf", "I'm Pregnant and ..."
    if _INTRODUCTION_GOES_ON.match(text, end):
        return True            # "It's Saeed again", "This is Rasheed from the mosque"
    if word.endswith(_FEELING_ENDINGS) and not word.endswith("eed"):
        return False           # "This is Unacceptable and ...", "It's Shocking."; not "Fareed"
    return bool(_SENTENCE_GOES_ON.match(text, end))


def _name_spans(text: str) -> list[Redaction]:
    out = []
    for m in TITLED.finditer(text):
        span = _titled_span(m)
        if span:
            out.append(span)
    for m in TITLED_OTHER.finditer(text):
        end = _end_of_leading_words(m, 1, _is_name)
        if end is not None:
            out.append(Redaction("NAME", m.start(1), end))
    for m in CAPS_TITLED.finditer(text):
        if m.group(1).lower() in COMMON_FIRST_NAMES:
            end = m.end(2) if m.group(2) and _is_name(m.group(2)) else m.end(1)
            out.append(Redaction("NAME", m.start(1), end))
    for m in LOWER_TITLED.finditer(text):
        if m.group(1).lower() not in NOT_A_SURNAME and _is_name(m.group(1)):
            out.append(Redaction("NAME", m.start(1), m.end(1)))
    for m in RELATION.finditer(text):
        # After "my son" the words are names up to an ordinary word. In capitals the first must be a known
        # first name ("MY SON DAVID JONES", "MY SON JOE"), not a verb ("MY SON VISITS") or an abbreviation
        # ("my sister (LD)").
        first = m.group(2).split()[0]
        if first.isupper() and not _caps_name(first) or "(" in m.group(1) and _is_shouting(first):
            continue                       # "MY SON VISITS ME", "my sister (LD)"
        end = _end_of_leading_words(m, 2, lambda w: _is_name(w) and (not _is_shouting(w) or _caps_name(w)))
        if end is not None:
            out.append(Redaction("NAME", m.start(2), end))
    for m in ROLE.finditer(text):
        if _is_name(m.group(2)) and not _is_shouting(m.group(2)):   # "carer HIT" is shouting
            out.append(Redaction("NAME", m.start(2), m.end(2)))
    for m in CALLED.finditer(text):
        words = list(re.finditer(r"\S+", m.group(2)))
        if not _is_name(words[0].group()) or not words[0].group()[0].isupper():
            continue
        end = m.start(2) + words[0].end()
        if len(words) == 2 and _is_name(words[1].group()) and not _is_shouting(words[1].group()):
            end = m.start(2) + words[1].end()
        if _BODY.match(text, end):
            continue
        strong = m.group(1).lower().split()[0] in ("called", "named", "name")
        if strong or _weak_intro_names(m, text, end):
            out.append(Redaction("NAME", m.start(2), end))
    for m in TWO_CAPS.finditer(text):
        a, b = m.group(1), m.group(2)
        if _is_name(a) and _is_name(b) and not _is_shouting(a) and not _is_shouting(b):
            out.append(Redaction("NAME", m.start(), m.end()))
    for m in FIRST_NAME.finditer(text):
        if m.group(1).lower() in COMMON_FIRST_NAMES and not m.group(1).isupper():   # "TED" may be "-TED"
            end = m.end(2) if m.group(2) else m.end(1)
            surname = m.group(3)
            if surname and _is_name(surname):
                end = m.end(3)              # "Linda Barlow", "John SMITH"
            out.append(Redaction("NAME", m.start(), end))
    for pattern in (CALLED_LOWER, LOWER_AFTER):
        for m in pattern.finditer(text):
            if m.group(1).lower() in COMMON_FIRST_NAMES:
                out.append(Redaction("NAME", m.start(1), m.end(1)))
    for pattern in (NAME_IS_OTHER, NAMED_IS_OTHER):
        for m in pattern.finditer(text):
            end = _end_of_leading_words(m, 1, lambda w: w.lower() not in NAME_IS_STOP)
            if end is not None:
                out.append(Redaction("NAME", m.start(1), end))
    # Rare names and names in the other scripts, then the words joined to any name found ("Ade, Funmi and").
    extra = rare_names.latin_spans(text, NOT_NAMES, COMMON_FIRST_NAMES) + rare_names.other_script_spans(text)
    extra += rare_names.joined_names(text, [(r.start, r.end) for r in out] + extra, NOT_NAMES)
    out.extend(Redaction("NAME", start, end) for start, end in extra)
    return out if _title_case(text) else [_with_rest_of_name(text, span) for span in out]


# The rest of a name the rules found part of: "Nguyễn Thị Hương", "David John Smith", "David J. Smith", and
# before it at the start of a sentence ("Tran Van Minh was rough", where "Tran" starts the sentence). The rules
# take one or two words; a part left behind is as telling as the rest (a surname).
_NEXT_NAME_WORD = re.compile(r"[ \t]+(?:([A-Z])\.?[ \t]+)?(" + NAME_WORD + r")")     # "J. Smith": an initial too
_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(\"“'‘]))(" + NAME_WORD + r")[ \t]+$")
# What follows or starts a place, an event or a thing, not a person: "[NAME] Hospital", "Black History Month",
# "Prestwich", "Paracetamol" (rare_names' places, medicines and care words), and "Carer" before a name.
_NOT_A_NAME_PART = re.compile(_BODY.pattern.removeprefix(r"\s+") + r"|" + STREET_WORDS
                              + r"\b|(?:Hosp|Ambulance|Month|Week|Year|Day)\b")
_LONGEST_NAME = 4   # words: past this a run of capitals is a heading in Title Case, not one person


def _name_part(word: str) -> bool:
    bare = word.lower().rstrip("'’")
    if bare in COMMON_FIRST_NAMES:
        return True
    return (_is_name(word) and not _is_shouting(word) and not _NOT_A_NAME_PART.match(word)
            and bare not in rare_names.NOT_PROPER_NAMES and bare not in rare_names.PLACE_WORDS)


def _not_a_verb(word: str) -> bool:
    """A sentence starts with a verb or an adverb as often as with a name ("Ask Gary", "Visited Linda",
    "Sadly"): known first names aside ("Ahmed", "Kim"), not a common English word (Zipf above 4.5: "Ask",
    "Tell", "Ring"; "Tran", "Jose", "Singh" are below) nor a word that ends like a verb or an adverb."""
    bare = word.lower()
    if bare in COMMON_FIRST_NAMES:
        return True
    return not bare.endswith(("ed", "ing", "ly")) and rare_names.english_rarity(bare) <= 4.5


def _title_case(text: str) -> bool:
    """Most words capitalised ("My Carer Linda Smith Gave Me Paracetamol"): every word looks like a name, so
    a name found is not taken further (it would swallow the sentence)."""
    words = re.findall(rf"[{LETTER}]+", text[:2000])
    return len(words) >= 6 and sum(w[0].isupper() for w in words) * 4 >= len(words) * 3


def _with_rest_of_name(text: str, span: Redaction) -> Redaction:
    words = len(text[span.start:span.end].split())
    start, end = span.start, span.end
    while words < _LONGEST_NAME:
        m = _NEXT_NAME_WORD.match(text, end)
        if not m or not _name_part(m.group(2)):
            break
        end, words = m.end(), words + 1 + bool(m.group(1))
    before = _WORD_BEFORE.search(text, max(0, start - 60), start)
    if (before and words < _LONGEST_NAME and _name_part(before.group(1)) and _not_a_verb(before.group(1))
            and rare_names.starts_sentence(text, before.start(1))):
        start = before.start(1)       # inside a sentence the rules that found the name have judged this word
    return span if (start, end) == (span.start, span.end) else Redaction("NAME", start, end)


def _united(names) -> list[Redaction]:
    """Names that overlap as one: of "Linda Made" and "Made Me Feel" the longer alone would leave "Linda"."""
    out: list[Redaction] = []
    for s in sorted(names, key=lambda s: s.start):
        if out and s.start < out[-1].end:
            out[-1] = Redaction("NAME", out[-1].start, max(out[-1].end, s.end))
        else:
            out.append(s)
    return out


def find_redactions(text: str) -> list[Redaction]:
    """Non-overlapping spans to redact; earlier kinds in the rule order win, then longer spans."""
    priority = {"EMAIL": 0, "NHS_NUMBER": 1, "PHONE": 2, "DATE_OF_BIRTH": 3, "DATE": 4, "ADDRESS": 5,
                "POSTCODE": 6, "NAME": 7}
    found = _spans(text.translate(_NATIVE_DIGITS))
    spans = sorted([s for s in found if s.kind != "NAME"] + _united(s for s in found if s.kind == "NAME"),
                   key=lambda s: (priority[s.kind], -(s.end - s.start), s.start))
    chosen: list[Redaction] = []
    covered = bytearray(len(text))     # linear in the text, however many spans (a list scan was quadratic)
    for s in spans:
        if covered.find(1, s.start, s.end) == -1:
            pieces = [s]
        elif s.kind == "NAME":
            pieces = _uncovered_words(text, s, covered)   # "Linda Smith" of "Linda Smith Park Road" (an address)
        else:
            continue
        for piece in pieces:
            chosen.append(piece)
            covered[piece.start:piece.end] = b"\x01" * (piece.end - piece.start)
    return sorted(chosen, key=lambda s: s.start)


def _uncovered_words(text: str, span: Redaction, covered: bytearray) -> list[Redaction]:
    """The words of a name that another span (an address, a date) does not already replace."""
    return [Redaction("NAME", span.start + m.start(), span.start + m.end())
            for m in re.finditer(r"\S+", text[span.start:span.end])
            if covered.find(1, span.start + m.start(), span.start + m.end()) == -1]


def _compatibility_form(text: str) -> tuple[str, list[int]]:
    """The text in NFKC without the format characters nobody sees, character by character, and for each
    of its characters the position of the character it came from: rules match "０７７００" or "07700­900123"
    (a soft hyphen inside) as the plain number, "Ṡarah" as "Sarah", and the placeholder replaces the
    original."""
    readable: list[str] = []
    origin: list[int] = []
    hidden = has_hidden(text)     # most texts have none: skip the test per character
    for position, char in enumerate(text):
        # a joiner after a letter read as Latin ("Ṡ‍arah") is read through, as after an ASCII one
        if hidden and is_hidden(char, readable[-1][-1:] if readable else ""):
            continue
        if is_mark_on_latin(char, readable[-1] if readable else ""):
            continue                  # a mark on a Latin letter with no single character ("J̌", "é̩")
        form = unmarked_latin(char) if ord(char) >= 0x80 else char
        readable.append(form)
        origin.extend([position] * len(form))
    return "".join(readable), origin


def spans_as_written(text: str) -> list[Redaction]:
    """The spans to replace in ``text`` (already NFC), in its own positions: the rules read it in NFKC,
    without hidden characters, with dotted letters plain; each span found there covers the characters it
    came from, and the marks on its last letter."""
    readable, origin = _compatibility_form(text)
    spans: list[Redaction] = []
    pos = 0
    for s in find_redactions(readable):
        start, end = origin[s.start], origin[s.end - 1] + 1
        if start < pos:
            continue                    # inside a character an earlier span already replaced
        if is_latin_letter(text[end - 1]):
            while end < len(text) and is_mark(text[end]):
                end += 1                # the marks on its last letter go with it (in other scripts a
                                        # vowel sign after a name is the case ending: "[NAME]ের")
        spans.append(Redaction(s.kind, start, end))
        pos = end
    return spans


def redact(text: str) -> str:
    """The text with personal details replaced by placeholders, and nothing else changed (but NFC, which
    changes no character's meaning). The rules read it in NFKC, so full-width digits or letters
    ("０７７００ ９００１２３") are found as the ASCII ones, while "1½" or "10²" stay as written."""
    text = unicodedata.normalize("NFC", text)
    out = []
    pos = 0
    for s in spans_as_written(text):
        out.append(text[pos:s.start])
        out.append(f"[{s.kind}]")
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


VERSION = "redact-rules-9"   # 9: residents named by their room, names of their generation; 8: dotted Latin letters read plain; 7: every part of a long name; 6: a script the rules cannot read is shared only as its translation


def _unread(ch: str) -> bool:
    """A letter of a script none of the languages served uses (language.py says which are served): the
    rules above look for names in the others only."""
    from .language import OTHER_SCRIPT, letter_script

    return letter_script(ch) == OTHER_SCRIPT


def reads_every_letter(text: str) -> bool:
    """Whether every letter of the text is in a script the rules look for names in. A name written in
    Cyrillic, Tamil, Chinese... passes through `redact` untouched, so a text with such letters must not
    be shared as if it were redacted."""
    return (text or "").isascii() or not any(_unread(ch) for ch in unicodedata.normalize("NFKC", text))


# What is shared instead of words in a script the rules cannot read, when nobody has translated them.
WITHHELD_SCRIPT = "[withheld: written in a script the redaction cannot read; shared only once translated]"
# ... and instead of words in a language it cannot read (in letters it does read), as long as nobody has.
WITHHELD_LANGUAGE = "[withheld: written in a language the redaction cannot read; shared only once translated]"
TRANSLATED = "(English translation, redacted) "
# A word with a few letters the rules cannot read, in words they can ("the carer 王芳 was kind").
OTHER_SCRIPT_WORD = "[OTHER SCRIPT]"
_WORD_OR_SYMBOLS = re.compile(r"\S+")


# The language of a reading of words in a language the board does not serve (service.text.language).
NOT_SERVED = "und"


def in_a_language_not_served(text: str, language: str | None) -> bool:
    """Whether the text was read as words in a language the board does not serve ("und": French, Italian,
    Lithuanian... in Latin letters, or a script none of its languages uses). The rules look for names the
    English, Polish and Romanian way ("my son X"), so they miss "mio figlio marco", "ma fille amélie" (an
    audit found such names passed to a provider). A text with no letter ("5", "😡") is "und" too, and the
    rules read its digits."""
    return language == NOT_SERVED and any(ch.isalpha() for ch in text)


def _translated_or_withheld(redacted_translation: str | None, withheld: str) -> str:
    return TRANSLATED + redacted_translation if redacted_translation else withheld


def shareable(text: str, redacted_translation: str | None = None, language: str | None = None) -> str:
    """The words as they may be shared without the person's details (a provider told "without my name", the
    form kept after retention): redacted. Words in a script the rules cannot read may hold a name they do
    not see: with as many such letters as make the language check queue the text for a person, the
    redacted English translation instead, or nothing until there is one; with fewer (a name of two
    Chinese letters, a "μg", a stray letter from a switched keyboard), those words alone are masked.
    `language`: the language the text's current reading found; words in a language not served, in
    whatever letters, are shared as their redacted translation or not at all (in_a_language_not_served)."""
    not_served = in_a_language_not_served(text, language)
    if text.isascii():   # most comments: every letter is Latin
        return _translated_or_withheld(redacted_translation, WITHHELD_LANGUAGE) if not_served else redact(text)
    from .language import MIXED_SCRIPT_LETTERS
    from .lookalikes import read_as_latin

    text = read_as_latin(unicodedata.normalize("NFC", text))
    unread = sum(_unread(ch) for ch in unicodedata.normalize("NFKC", text))
    if unread >= MIXED_SCRIPT_LETTERS:
        return _translated_or_withheld(redacted_translation, WITHHELD_SCRIPT)
    if not_served:
        return _translated_or_withheld(redacted_translation, WITHHELD_LANGUAGE)
    if unread == 0:
        return redact(text)
    return _WORD_OR_SYMBOLS.sub(
        lambda m: OTHER_SCRIPT_WORD if not reads_every_letter(m.group(0)) else m.group(0), redact(text))


def redacted_again(text: str, older: str, redacted_translation: str | None = None, language: str | None = None) -> str:
    """A text an earlier version of these rules redacted as `older`, redacted with today's rules, for a form kept
    for good (retention): neither what the older version cut nor what today's rules find is left.

    Today's rules read `older` (what the older version cut stays cut, also where today's rules no longer would),
    and whatever they find in `text` itself is cut from that too: after the older "[NAME]" they may not see the
    rest of the name they see in the text ("the carer [NAME] Hương" of "the carer Nguyễn Thị Hương"). A text with
    letters the rules cannot read is `shareable` (its redacted translation, or withheld), never `older`: a
    version before redact-rules-6 left such words as they were; so is one read as a language not served
    (`language`, as for shareable), whose `older` was redacted by rules that cannot read it."""
    if not reads_every_letter(text) or in_a_language_not_served(text, language):
        return shareable(text, redacted_translation, language)
    again = shareable(older, redacted_translation)
    if text.isascii():
        seen = text
    else:
        from .lookalikes import read_as_latin

        seen = unicodedata.normalize("NFC", read_as_latin(unicodedata.normalize("NFC", text)))
    for span in spans_as_written(seen):
        piece = seen[span.start:span.end]
        # A name word by word (the older version may have cut some of it); any other detail whole.
        parts = [word.strip(_NOT_A_NAME_LETTER) for word in piece.split()] if span.kind == "NAME" else [piece]
        for part in parts:
            if part and not _PLACEHOLDER.fullmatch(f"[{part}]"):
                again = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", lambda _m, kind=span.kind: f"[{kind}]", again)
    return _ONE_NAME.sub("[NAME]", again)   # as today's rules replace a whole name: "[NAME] [NAME]" is one


_ONE_NAME = re.compile(r"\[NAME\](?:[ \t]+\[NAME\])+")


_NOT_A_NAME_LETTER = ".,;:!?\"'()“”‘’«»"
_PLACEHOLDER = re.compile(r"\[(?:NAME|PHONE|EMAIL|POSTCODE|ADDRESS|NHS_NUMBER|DATE_OF_BIRTH|DATE|OTHER SCRIPT)\]")
