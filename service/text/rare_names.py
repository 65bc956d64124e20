"""Names the list-and-pattern rules of `redact` miss: rare names, and names in the other scripts served.

`redact` finds names by a title ("Mrs Okafor"), a relation or role before them ("my carer Tracey"), an
introduction ("my name is"), two capitalised words, or a list of common first names. People in England
have every kind of name, and most of them are on no list: "Bisi was rough with me", "I told Grzegorz",
"tunde shouted at mum". Here a word is taken for a name by what it is not and where it stands:

* a capitalised word inside a sentence that is rare as an English word (English capitalises little but
  proper nouns inside a sentence): "told Grzegorz", "thank you to Abdirahman";
* a capitalised word starting a sentence that is very rare in English, or rare and followed by what
  follows a person ("Bisi was", "Marisol the nurse", "Kwame's manager");
* a word that is also an ordinary word ("Joy", "Hope", "Precious", "Summer") capitalised inside a
  sentence, or starting one before what follows a person ("Faith kept her word", "Summer on the early shift");
* in lower case (SMS), a word that is rare in English before a verb or role that follows a person, or
  after "thanks to", "ask", "tell": "tunde shouted", "thank u to jaswinder";
* in capitals, a rare word starting a sentence before WAS, IS, PLEASE...: "KELECHI PLEASE CALL ME";
* in Arabic script, Bengali, Gurmukhi and Gujarati, the word after a role or relation ("نرس شازیہ",
  "আমার ছেলে তানভীর", "ابني عمر"), or before an honorific ("শাহানা আপা", "Jeet ji", "bilal bhai"); a
  Gujarati name with its -ben/-bhai suffix ("હેતલબેન"); in Romanian the word after "lui" ("lui Costel");
* a word joined by "and" or a comma to a name found ("Ade, Funmi and the night nurse").

How rare a word is comes from `wordfreq` (Zipf scale: 3 is once per million words; "hope" is 5.4,
"Winston" 3.9, "Grzegorz" 1.9). The price is some places, shops and medicines taken for names ("Rochdale",
"Sertraline"): the common ones are listed in NOT_PROPER_NAMES; a place replaced by [NAME] in words shared
with a provider is the safer mistake. Measured with `python -m service.text.evaluation names FILE`.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .language import ROMAN_URDU_STRONG

_ROMAN = frozenset(w for w in ROMAN_URDU_STRONG if len(w) > 2)

# Below this a capitalised word inside a sentence is taken for a proper noun; starting a sentence, below
# STRICT_RARITY alone, or below RARITY with a person's context after it.
RARITY = 3.6
STRICT_RARITY = 3.0
UNKNOWN_RARITY = 2.2   # inside a sentence, below this a capitalised word is a name wherever it stands
LOWER_RARITY = 2.8     # lower case (SMS): only with a person's context, and rarer still (typos are rare too)

# Rare as English words but not people: places, shops, bodies, medicines, conditions that feedback names.
NOT_PROPER_NAMES = frozenset(w.lower() for w in """
    Wigan Rochdale Bolton Bury Oldham Salford Stockport Tameside Trafford Wythenshawe Moss Side Cheetham Hill
    Levenshulme Longsight Rusholme Didsbury Chorlton Ashton Stalybridge Hyde Denton Middleton Heywood Leigh
    Farnworth Horwich Blackrod Westhoughton Radcliffe Prestwich Whitefield Ramsbottom Eccles Swinton Walkden
    Altrincham Sale Stretford Urmston Droylsden Failsworth Chadderton Royton Shaw Saddleworth Glossop Macclesfield
    Blackburn Burnley Preston Blackpool Lancaster Chorley Accrington Darwen Huddersfield Halifax Bradford Leeds
    Wakefield Dewsbury Batley Keighley Sheffield Rotherham Doncaster Barnsley Leicester Coventry Wolverhampton
    Walsall Dudley Sandwell Smethwick Luton Slough Peterborough Bedford Northampton Nottingham Derby Stoke
    Hounslow Ealing Southall Harrow Brent Newham Ilford Redbridge Tower Hamlets Whitechapel Croydon Lewisham
    Lambeth Southwark Hackney Haringey Tottenham Enfield Barnet Hillingdon Kent Essex Surrey Lancashire Yorkshire
    Cheshire Merseyside Liverpool Birkenhead Warrington Widnes Runcorn St Helens Wirral Sefton Knowsley
    Tesco Asda Aldi Lidl Sainsbury Sainsbury's Morrisons Iceland Boots Superdrug Primark Argos Greggs Costa
    Healthwatch DWP HMRC Ofsted CQC PALS Mencap Scope Sense Mind Macmillan Marie Curie Barnardo's Shelter
    Samaritans Alzheimer's Parkinson's Dementia Arthritis Diabetes Covid Coronavirus Zoom Teams Skype
    Sertraline Citalopram Fluoxetine Mirtazapine Diazepam Lorazepam Oramorph Morphine Codeine Tramadol
    Paracetamol Ibuprofen Warfarin Metformin Insulin Amlodipine Ramipril Omeprazole Lansoprazole Donepezil
    Memantine Quetiapine Risperidone Olanzapine Haloperidol Zopiclone Gabapentin Pregabalin Simvastatin
    Atorvastatin Levothyroxine Furosemide Bisoprolol Salbutamol Fortisip Ensure Movicol Lactulose Senna
    Eid Diwali Vaisakhi Baisakhi Navratri Holi Ramadan Ramzan Hanukkah Christmas Easter Passover Gurpurab
    Urdu Punjabi Gujarati Bengali Bangla Sylheti Polish Romanian Arabic Somali Tamil Hindi Pashto Farsi Kurdish
    Tigrinya Amharic Yoruba Igbo Twi Cantonese Mandarin Welsh Gaelic Irish Scottish Lithuanian Slovak Czech
    Makaton BSL Braille Islam Sikhism Hinduism Quran Qur'an Bible Gurdwara Mandir Masjid Jamaat
    Facebook Whatsapp WhatsApp Google Amazon Netflix Youtube YouTube Alexa Uber Lyca Vodafone Lebara
    Clubcard Salvation Army Hamlets Tower Newham
    Mondays Tuesdays Wednesdays Thursdays Fridays Saturdays Sundays Weekends Ticked Downa Ukrainy Ukraina Polsce Polski
    Paramedics Paramedic Housekeeper Chaplain Snapchat Instagram Tiktok TikTok Aphasia Entinox Niemcy Jumme Jumma
    Canaria Tenerife Lanzarote Benidorm Majorca Mallorca Ibiza Marbella Algarve Skegness Llandudno Rhyl Southport
    Morecambe Lahore Karachi Islamabad Mirpur Jhelum Sialkot Faisalabad Rawalpindi Peshawar Amritsar Jalandhar Ludhiana
    Sylhet Dhaka Chittagong Gujarat Surat Baroda Vadodara Ahmedabad Punjab Kashmir Mecca Makkah Medina Madinah Hajj Umrah
    Wigilia Wigilię Wigilii Boże Narodzenie Wielkanoc Wielkanocy Paște Paşte Pastele Crăciun Craciun Crăciunul
    Pani Pan Panie Doamna Domnul Doamnă Dna Dl Nanay Tatay Lola Lolo Ate Kuya Ammi Abbu Ammu Abba Amma Baba
    Carer Carers Caseworker Interpreter Translator Tłumaczka Tłumacz Opiekunka Opiekun Îngrijitoarea Îngrijitorul
    Traducătoarea Traducătorul Asistenta Asistentul Handyman Coordinator Physio Physiotherapist
""".split()) | frozenset(w.lower() for w in """
    Activities Admission Advocacy Agency Alarm Allowance Alzheimer Angina Antibiotics Antidepressants Anxiety
    Appeal Arthritis Asperger Aspergers Assessment Asthma Audiology Autism Bandage Bank Bath Bathroom Bedrail
    Bedrails Bedsores Benefits Bipolar Bladder Blindness Blister Bloods Bowel Braille Breakfast Bronchitis
    Bruises Bruising Buzzer Capacity Careline Carers Cast Catering Catheter Cellulitis Chemist Chiropodist
    Cleaner Cleaning Clinic Colostomy Commode Commodes Complaint Complaints Concierge Constipation Continence
    COPD Counselling Counsellor Covid Crutches Cushion Deafness Dehydration Delirium Dementia Dentist Dentures
    Depression Deprivation Deputyship Diabetes Dialysis Diarrhoea Dietician Dietitian Dinner Discharge Dizziness
    Domiciliary Dosette Dressing Dressings Dyslexia Dysphagia Earlies Emphysema Enema Ensuite Epilepsy Extracare
    Falls Feeding Flu Fracture Frame Garden Guardianship Hallucinations Handover Handovers Hearing Hoist
    Homecare Hospice Housekeeping Hygiene Hypertension Ileostomy Incontinence Induction Infection Inhaler
    Inpatients Insulin Intercom Intermediate Interpreter Keypad Keysafe Keyworker Kitchen Language Lates Laundry
    Laxatives Liberty Lifeline Lipreading Living Lockdown Lounge Lunch Makaton Malnutrition Mattress Medication
    Medications Meds Memory Menu Mobility Morphine Nappies Narcolepsy Nausea Nebuliser Nights Norovirus Nursing
    Occupational Ombudsman Optician Optometrist Oramorph Osteoporosis Outings Outpatients Oxygen Pads
    Painkillers Paperwork Parkinson Patches Peg Pendant Pension Pharmacy Phlebotomy Physiotherapy Plaster
    Pneumonia Podiatrist Podiatry Prescription Prescriptions Pressure Psychiatrist Psychologist Psychosis
    Reablement Readmission Reassessment Residential Respite Review Rollator Rota Rotas Safeguarding Scabies
    Schizophrenia Sedation Sedative Sensor Sepsis Sheltered Shifts Shower Sight Sling Snacks Sores Speech Splint
    Stairlift Steroids Stoma Stroke Subtitles Superfast Supervision Supper Supported Suppository Tablets
    Telecare Thankyou Therapy Thickener Thrush Toilet Training Translator Triage Tribunal Ulcer Ulcers Urine
    Urostomy UTI Vomiting Walker Warden Wheelchair Wound Zimmer
""".split())   # care, health and disability words people capitalise ("I suffer from Dysphagia")

# A capitalised word before one of these names a place ("Alder Court", "Northwick Park"); one after "at"
# or "in" is a place too ("at Larkfield", "in Kingsbury"), unless it is a known first name.
PLACE_WORDS = frozenset("""
    court house lodge road street hall park centre center unit ward home hospital manor grange view gardens close
    place way avenue lane drive mews hill green fields field surgery practice medical health care nursing
    residential day community council borough college school church mosque temple gurdwara library station
    zoo society trust foundation services villa estate heights terrace crescent square row
""".split())
_PLACE_BEFORE = re.compile(r"(?i)\b(?:at|in)\s+(?:the\s+)?$")
# After these a capitalised word is a thing ("the Hoist", "a Physiotherapy appointment", "no Triage cover").
_THING_BEFORE = re.compile(r"(?i)\b(?:the|a|an|this|that|these|those|no|any|some|every|each|her|his|their|our|your|its|my)\s+$")
# Before these a capitalised word is a person ("told Marcia", "thank you to Ramona", "Ade, Funmi").
_PERSON_BEFORE = re.compile(r"(?i)(?:\b(?:told|tell|tells|ask|asked|thank(?:s|\s+you|\s+u)?(?:\s+to)?|by|with|and|when|called|named|"
                            r"met|saw|see|trust|trusted|love|loved|like|liked|but|except|&|said|says|whether|if|because|nurse|carer)\s+|,\s*)$")
# "was not changed", "is cancelled": what is done to a thing, not what a person is.
_DONE_TO = re.compile(r"\s+(?:was|is|were|are|has|have|had)\s+(?:not\s+|never\s+|always\s+|often\s+|being\s+|been\s+)*[a-z]+(?:ed|en)\b")

# Ordinary English words that are also given names: a name only where a person's context says so.
WORD_NAMES = frozenset("""
    joy hope precious summer faith dawn rose ash blessing grace patience sunny holly ivy ruby pearl amber
    crystal heather daisy poppy lily violet iris jasmine honey angel destiny charity mercy prudence felicity
    will bill mark rob pat sue jack frank sterling ray drew chase hunter cliff dale glen heath
""".split())

# What follows a person's name at the start of a sentence ("Bisi was rough", "Marisol the nurse").
_PERSON_NEXT = frozenset("""
    was is and said says from the on at took takes kept stayed sat came comes asked told helped explained
    translated sorted pushed shouted swore stole hit has had always never did does didn't doesn't wasn't
    isn't would could should will can rang phoned called visited made gave got treated listened spoke
    talked works worked looked used refused brought
""".split())
# A room, bed or bay after a word marks a resident ("Doris in room 9 says", "Percival (room 4)", "Wanda, bed 3,"):
# the minutes of residents' meetings name people so. The words are English, so only English rarity counts there.
# What a resident does after it ("says", "asked", "is upset"): "Radiator in room 2 cold", "Karaoke in room 1 on
# Friday" are things, and a provider could not act on "[NAME] in room 2 cold".
_ROOM_AFTER = re.compile(r"(?i:\s*(?:,\s*|\(\s*|\s+(?:in|from|of|at)\s+)(?:room|rm|bed|bay|flat)\s*(?:no\.?\s*)?\d+\w?\s*[),]?\s*"
                         r"(?:says|said|asked|asks|wants|wanted|would|told|tells|complained|complains|feels|felt|likes|liked|"
                         r"loves|reported|raised|mentioned|thinks|thought|doesn'?t|does\s+not|didn'?t|can'?t|cannot|won'?t|"
                         r"enjoyed|enjoys|misses|missed|hates|refuses|refused|cried|cries|fell|shouted|shouts|"
                         r"(?:is|was|has\s+been|gets|got|seems|seemed)\s+(?:very\s+|so\s+|really\s+|a\s+bit\s+)?"
                         r"(?:upset|scared|frightened|afraid|worried|unhappy|happy|sad|lonely|angry|confused|distressed|"
                         r"tearful|anxious|pleased|grateful|unwell|poorly))\b)")
# Inside a sentence "and", "the", "on", "at", "from" follow things as often as people ("has Dementia and").
_PERSON_NEXT_INSIDE = _PERSON_NEXT - {"and", "the", "on", "at", "from"}
_WORD_NAME_NEXT = frozenset("and from on at 's said says told kept stayed sat came helped explained did".split())
# After these, a lower-case rare word is a person ("thank u to jaswinder", "ask osagie").
_LOWER_BEFORE = re.compile(r"(?i)(?:\bthank(?:s|\s+you|\s+u)?\s+(?:to\s+)?|\bthanks\s+to\s+|\bask\s+(?:for\s+)?|\btell\s+|"
                           r"\btold\s+|\bfrom\s+|\bwith\s+)$")
# A role just before: a strong sign ("my carer steph", "the worker mahmoud"), so a commoner word will do.
_ROLE_BEFORE_LOWER = re.compile(r"(?i)\b(?:the|my|our|his|her|their|mums?|dads?)\s+(?:carer|worker|nurse|driver|cleaner|"
                                r"manager|physio|advocate|interpreter|social\s+worker|key\s*worker)\s+$")
_LOWER_NEXT = frozenset("""
    shouted took takes says said pushed hit swore stole told rang phoned stayed helped came
    translated explained refused grabbed slapped
""".split())
# Endings of English words made from other words ("Disgusted", "Disgraceful", "Deprivation"): people
# capitalise them for weight; few names end so (the common ones, "Ahmed", are on the list of names).
_DERIVED_ENDINGS = ("ed", "ing", "ful", "tion", "sion", "ness", "ment", "ity", "ous", "able", "ible", "ive", "less",
                    "ism", "ship", "ic")
# Words of texting written without an apostrophe or shortened: rare in print, not names.
_SMS_WORDS = frozenset("""
    wouldnt couldnt shouldnt didnt doesnt dont wont cant isnt wasnt werent arent havent hasnt hadnt aint thats
    theyre youre im ive id ill hes shes whats wheres theres lets thx pls plz nite gud tho thru cos coz cuz luv
    wud cud shud sum ppl bcoz bcos msg txt ur yr gona gonna wanna dunno innit
""".split())
_ROLES_AFTER = frozenset("""carer nurse manager physio doctor cleaner driver cook worker advocate interpreter handyman
    coordinator receptionist warden student deputy senior social key support care night day agency activities
    translator chef porter""".split())
_CAPS_NEXT = frozenset("WAS IS PLEASE SAID SAYS TOOK HIT IS SHOUTED SWORE".split())

_LATIN_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽȘȚ"
_LATIN_LOWER = "a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžșț"
_TITLE_WORD = re.compile(rf"(?<![{_LATIN_UPPER}{_LATIN_LOWER}'’-])([{_LATIN_UPPER}][{_LATIN_LOWER}]+(?:['’][{_LATIN_LOWER}]+)?"
                         rf"(?:-[{_LATIN_UPPER}][{_LATIN_LOWER}]+)?)(?![{_LATIN_UPPER}{_LATIN_LOWER}])")
_LOWER_WORD = re.compile(rf"(?<![{_LATIN_UPPER}{_LATIN_LOWER}'’-])([{_LATIN_LOWER}]{{3,30}})(?![{_LATIN_UPPER}{_LATIN_LOWER}'’-])")
_CAPS_WORD = re.compile(r"(?<![A-Za-z'’-])([A-Z]{3,30})(?![A-Za-z'’-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;\"“”(\[\n\r•*-]|['‘’]\s)\s*$")
_NEXT_WORD = re.compile(r"^\s*(['’]s\b|[^\s.,;:!?]+)")


@lru_cache(maxsize=65536)
def english_rarity(word: str) -> float:
    """How common the word is in English, on the Zipf scale (0 for a word never seen)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@lru_cache(maxsize=16384)
def other_rarity(word: str) -> float:
    """How common the word is in Polish or Romanian, whichever is higher (the Latin-script languages served)."""
    from wordfreq import zipf_frequency

    return max(zipf_frequency(word, "pl"), zipf_frequency(word, "ro"))


def _rare_title_next(text: str, end: int) -> bool:
    """Is the next word a rare capitalised word (a surname: "Kofi Asante-Mensah")?"""
    m = re.match(rf"\s+([{_LATIN_UPPER}][{_LATIN_LOWER}]+(?:-[{_LATIN_UPPER}][{_LATIN_LOWER}]+)?)(?![{_LATIN_UPPER}{_LATIN_LOWER}])", text[end:end + 45])
    return bool(m) and min(english_rarity(p) for p in m.group(1).lower().split("-")) < RARITY


def starts_sentence(text: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, start - 4):start])) or start == 0


def _next_word(text: str, end: int) -> str:
    m = _NEXT_WORD.match(text[end:end + 40])
    return m.group(1).lower() if m else ""


def _base(word: str) -> str:
    """'Kwame's' -> 'kwame'; 'Asante-Mensah' stays whole."""
    return re.sub(r"['’][a-z]+$", "", word.lower())


def _ordinary(word: str, not_names: frozenset[str] | set[str]) -> bool:
    whole, base = word.lower(), _base(word)     # "Alzheimer's" is listed with its 's
    return base in not_names or base in NOT_PROPER_NAMES or whole in not_names or whole in NOT_PROPER_NAMES


def latin_spans(text: str, not_names, known_first_names) -> list[tuple[int, int]]:
    """Spans of rare names written in Latin letters (see the module docstring)."""
    out: list[tuple[int, int]] = []
    mostly_caps = bool(_CAPS_WORD.search(text)) and sum(c.isupper() for c in text) > 0.6 * max(1, sum(c.isalpha() for c in text))
    for m in _TITLE_WORD.finditer(text):
        word = m.group(1)
        if _ordinary(word, not_names) or _SAINT.search(text[max(0, m.start() - 7):m.start()]) \
                or re.search(r"['’](?!s$)", word) or _base(word) in _ROMAN or _base(word) in _ROMAN_NOT_NAMES:
            continue                     # "St Mary", "Couldn't", Roman Urdu "Lekin", "Nani"
        base = _base(word)
        window = text[max(0, m.start() - 24):m.start()]
        room_next = bool(_ROOM_AFTER.match(text, m.end()))
        thing_before = _THING_BEFORE.search(window)
        if room_next and thing_before and thing_before.group().split()[0].lower() == "that":
            thing_before = None          # "we heard that Wanda (rm 3) is scared": "that" joins a sentence there
        if base not in known_first_names and (_PLACE_BEFORE.search(window[-8:]) or _next_word(text, m.end()) in PLACE_WORDS
                                              or thing_before):
            continue                     # "at Larkfield", "Alder Court": a place; "the Hoist", "a Physiotherapy appointment"
        if len(base) >= 7 and base.endswith(_DERIVED_ENDINGS) and base not in known_first_names and english_rarity(base) >= 1.5:
            continue
        parts = base.split("-")
        rarity = min(english_rarity(p) for p in parts)
        after = _next_word(text, m.end())
        role_next = after == "the" and _next_word(text, m.end() + text[m.end():].find("the") + 3) in _ROLES_AFTER
        if starts_sentence(text, m.start()):
            # A capitalised word starts every sentence, in Polish and Romanian too: rare in all three.
            if not room_next:
                rarity = max(rarity, min(other_rarity(p) for p in parts))
            # Starting a sentence, what follows must be what follows a person: a rare word alone there is as
            # often a typo ("Thay were kind") or a word of another language ("Filhal sab theek hai").
            person_next = after in _PERSON_NEXT or word.endswith(("'s", "’s")) or role_next or room_next \
                or _rare_title_next(text, m.end())
            if after in ("was", "is", "were", "has", "had") and _DONE_TO.match(text, m.end()):
                person_next = False      # "Catheter was not changed", "Respite was cancelled": a thing done to
            if base in WORD_NAMES:
                name = after in _WORD_NAME_NEXT or word.endswith(("'s", "’s")) or role_next or room_next
            else:
                name = rarity < RARITY and person_next
        else:
            # Inside a sentence English capitalises proper nouns, but people also capitalise what matters to
            # them ("I suffer from Narcolepsy", "no Triage cover"): a word English hardly knows is a name;
            # one it knows a little needs a person's place before or after it ("told Marcia", "Ebony was").
            person_place = bool(_PERSON_BEFORE.search(window)) or after in _PERSON_NEXT_INSIDE or word.endswith(("'s", "’s")) \
                or role_next or room_next or _rare_title_next(text, m.end())
            name = base in WORD_NAMES or base in known_first_names or rarity < UNKNOWN_RARITY or (rarity < RARITY and person_place)
        if name:
            end = m.end() - (2 if word.endswith(("'s", "’s")) else 0)
            out.append((m.start(), end))
    for m in _LOWER_WORD.finditer(text):
        word = m.group(1)
        if word in not_names or word in NOT_PROPER_NAMES or word in _SMS_WORDS:
            continue
        if word not in known_first_names and word not in WORD_NAMES and english_rarity(word) >= RARITY:
            continue                     # most words: common, so no name whatever stands around them
        after = _next_word(text, m.end())
        window = text[max(0, m.start() - 30):m.start()]
        before = _LOWER_BEFORE.search(window)
        role_before = _ROLE_BEFORE_LOWER.search(window)
        role_after = after == "the" and _next_word(text, m.end() + text[m.end():].find("the") + 3) in _ROLES_AFTER
        from_the = after == "from" and _next_word(text, m.end() + text[m.end():].find("from") + 4) == "the"
        if word in WORD_NAMES:       # "bill after bill", "I hope the care home": a name only by a role or "thanks to"
            name = bool(before or role_before)
        elif role_before:
            name = word in known_first_names or english_rarity(word) < RARITY
        else:
            name = bool(after in _LOWER_NEXT or role_after or from_the or before) and (
                word in known_first_names or english_rarity(word) < LOWER_RARITY)
        if name:
            out.append((m.start(), m.end()))
    if mostly_caps:
        for m in _CAPS_WORD.finditer(text):
            word = m.group(1).lower()
            if word in not_names or word in NOT_PROPER_NAMES or not starts_sentence(text, m.start()):
                continue
            if _next_word(text, m.end()).upper() in _CAPS_NEXT and (word in known_first_names or english_rarity(word) < STRICT_RARITY):
                out.append((m.start(), m.end()))
    for m in _LUI.finditer(text):     # Romanian "lui Costel", "lui gabi"
        word = m.group(1)
        if word[0].isupper() or other_rarity(word.lower()) < RARITY:
            out.append((m.start(1), m.end(1)))
    for m in _HONORIFIC_AFTER_LATIN.finditer(text):   # "Jeet ji", "bilal bhai", "Tahira baji"
        word = m.group(1).lower()
        if word in _NOT_BEFORE_HONORIFIC or word in _ROMAN or word in _ROMAN_NOT_NAMES or word in not_names:
            continue
        if m.group(1)[0].isupper() or english_rarity(word) < LOWER_RARITY:
            out.append((m.start(1), m.end(1)))
    return out


_SAINT = re.compile(r"(?:\bSt\.?|\bSaint)\s+$")
_LUI = re.compile(rf"(?<![{_LATIN_LOWER}])lui\s+([{_LATIN_UPPER}{_LATIN_LOWER}][{_LATIN_LOWER}]{{2,30}})(?![{_LATIN_LOWER}])")
_HONORIFIC_AFTER_LATIN = re.compile(rf"(?<![{_LATIN_UPPER}{_LATIN_LOWER}])([{_LATIN_UPPER}{_LATIN_LOWER}][{_LATIN_LOWER}]{{2,30}})\s+"
                                    r"(?:ji|jee|bhai|bhaiya|baji|apa|apaa)(?![a-z])")
_NOT_BEFORE_HONORIFIC = frozenset("""
    mera meri mere tera teri tere unka unki unke uska uski uske hamara hamari hamare aap ap the my your his her
    our their a big bara bari bade chota choti chote chhota chhoti sab koi and aur ke ki ka ko ne se mein
    doctor dr sir thank thanks thanku shukriya ok yes han haan nahi nahin
""".split())

# Other scripts: the word after a role or relation, or before an honorific.
_ARABIC_LETTERS = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
# A role or title: the next word is a name. (Arabic kinship words carry "my"/"his" in the word: ابني, زوجته.)
_TITLE_BEFORE = frozenset("""مسز مسٹر جناب محترم محترمہ السيدة السيد الأستاذ الاستاذ মিসেস মিস্টার শ্রী শ্রীমতী
    ਮਿਸਿਜ਼ ਮਿਸਟਰ ਸ੍ਰੀ ਸ੍ਰੀਮਤੀ ਸ਼੍ਰੀ ਸ਼੍ਰੀਮਤੀ મિસિસ મિસ્ટર શ્રી શ્રીમતી""".split())
_ROLE_BEFORE = {
    "arabic": """نرس کیئرر کیئرار کیرر کیئر ورکر ڈاکٹر مسز مسٹر جناب محترم محترمہ ابني ابنتي بنتي زوجي زوجتي زوجته زوجها أخي اختي أختي
                 العامل العاملة الممرضة الممرض الطبيب الدكتور السيدة السيد الأستاذ الاستاذ المشرف المشرفة جاري جارتي
                 صديقي صديقتي""",
    "bengali": "কেয়ারার কেয়ারার স্টাফ নার্স ডাক্তার মিসেস মিস্টার শ্রী শ্রীমতী",
    "gurmukhi": "ਨਰਸ ਕੇਅਰਰ ਡਾਕਟਰ ਮਿਸਿਜ਼ ਮਿਸਟਰ ਸ੍ਰੀ ਸ੍ਰੀਮਤੀ ਸ਼੍ਰੀ ਸ਼੍ਰੀਮਤੀ",
    "gujarati": "કેરર નર્સ સ્ટાફનો સ્ટાફની સ્ટાફના ડૉક્ટર ડોક્ટર મિસિસ મિસ્ટર શ્રી શ્રીમતી",
}
# A relation: the next word is a name only after "my", "our", "his"... ("میرا بیٹا فرحان"; not "بہن رونے لگی",
# "the sister started crying").
_KIN_BEFORE = {
    "arabic": "بیٹا بیٹی بہو داماد شوہر بیوی بہن بھائی پوتا پوتی نواسا نواسی",
    "bengali": "ছেলে মেয়ে স্বামী স্ত্রী নাতি নাতনি বৌমা জামাই ভাই বোন",
    "gurmukhi": "ਪੁੱਤਰ ਪੁੱਤ ਧੀ ਨੂੰਹ ਪਤੀ ਪਤਨੀ ਪੋਤਾ ਪੋਤੀ ਜਵਾਈ ਭਰਾ ਭੈਣ",
    "gujarati": "દીકરો દીકરી પુત્ર પુત્રી પતિ પત્ની પૌત્ર પૌત્રી વહુ જમાઈ ભાઈ બહેન",
}
_POSSESSIVES = frozenset("""
    میرا میری میرے ہمارا ہماری ہمارے ان اس کا کی کے
    আমার আমাদের ওর তার ওনার
    ਮੇਰਾ ਮੇਰੀ ਮੇਰੇ ਸਾਡਾ ਸਾਡੀ ਸਾਡੇ ਉਸਦਾ ਉਸਦੀ
    મારો મારી મારા અમારો અમારી અમારા તેમનો તેમની
""".split())
_HONORIFIC_AFTER = {
    "arabic": "آپا باجی بھائی صاحبہ",
    "bengali": "আপা ভাই দিদি",
    "gurmukhi": "ਜੀ ਭਾਜੀ",
    "gujarati": "ભાઈ બેન જી",
}
_SCRIPT_LETTERS = {"arabic": _ARABIC_LETTERS, "bengali": "\u0980-\u09ff", "gurmukhi": "\u0a00-\u0a7f", "gujarati": "\u0a80-\u0aff"}
# Words that follow a role but are not names: grammar words and pronouns of each script.
_NOT_A_NAME_OTHER = frozenset("""
    نے کا کی کے کو ہے ہیں اور نہیں بھی سے میں پر تھا تھی تھے وہ یہ ان اس میری میرا میرے ہمارا ہماری ہمارے آپ
    من في على و أن إن لم لا ما هذا هذه هو هي كان كانت قد مع عن إلى الى أنا انا نحن أنت انت هم هن
    میں ہم تم وہ یہ آپ بڑے بڑی چھوٹے چھوٹی ছোট বড় ਵੱਡੇ ਵੱਡੀ ਛੋਟੇ ਛੋਟੀ મોટા મોટી નાના નાની
    আমার আমি তিনি সে ও এবং না কে কেউ একজন সব খুব আমাদের তার
    ਮੇਰਾ ਮੇਰੀ ਮੇਰੇ ਨੇ ਦਾ ਦੀ ਦੇ ਨੂੰ ਹੈ ਅਤੇ ਨਹੀਂ ਵੀ ਉਹ ਇਹ ਸਾਡਾ ਸਾਡੀ ਬਹੁਤ
    મારો મારી મારા એ અને નથી છે પણ તે આ અમારા ખૂબ સાથે
""".split())


# Kinship words and titles that stand where a name could: never names themselves.
_KIN_OTHER = frozenset("""
    امی ابو ابا اماں ابّا امّی بھائی بہن باجی آپا والدہ والد ماں باپ دادا دادی نانا نانی خالہ خالو ماموں ممانی
    چچا چچی پھوپھو پھپھو ساس سسر بھابھی بیٹا بیٹی بہو شوہر بیوی امی جی
    أمي أبي امي ابي والدي والدتي
    মা বাবা ভাই বোন আপা দাদা দিদি নানা নানি দাদি দাদু নানু আব্বা আম্মা খালা খালু মামা মামি চাচা চাচি ফুপু
    শাশুড়ি শ্বশুর ভাবি ধন্যবাদ
    ਮਾਤਾ ਪਿਤਾ ਬਾਪੂ ਬੀਬੀ ਭਾਈ ਭੈਣ ਮਾਂ ਪਾਪਾ ਮੰਮੀ ਦਾਦਾ ਦਾਦੀ ਨਾਨਾ ਨਾਨੀ ਭਾਜੀ ਸਾਹਿਬ ਮਾਮਾ ਮਾਮੀ ਚਾਚਾ ਚਾਚੀ ਤਾਇਆ ਤਾਈ
    ਸੱਸ ਸਹੁਰਾ ਭੂਆ ਮਾਸੀ ਮਾਸੜ ਭਾਬੀ ਵੀਰ ਗੁਰੂ ਬਾਬਾ ਗੁਟਕਾ ਧੰਨਵਾਦ
    બા બાપુ બાપુજી મમ્મી પપ્પા ભાઈ બેન દાદા દાદી નાના નાની મોટાભાઈ કાકા કાકી મામા મામી માસી ફોઈ સાસુ સસરા
    ભાભી આભાર
""".split())
# The same in Roman Urdu and Punjabi, and that language's commonest words: never names.
_ROMAN_NOT_NAMES = frozenset("""
    nani nana dadi dada ammi abbu abba amma ammu khala khalu mamu mamun mami chacha chachi phupho phuppo baji
    bhabhi saas sasur mata pita bapu massi beta beti bhai behen bahen shukriya meherbani bebe biji beji
    apne apni apna pela chote chhote bade bare sardar
""".split())
_ROLE_WORDS = {script: frozenset(words.split()) for script, words in _ROLE_BEFORE.items()}
_KIN_WORDS = {script: frozenset(words.split()) for script, words in _KIN_BEFORE.items()}
_HONORIFIC_WORDS = {script: frozenset(words.split()) for script, words in _HONORIFIC_AFTER.items()}
_ALL_ROLE_WORDS = frozenset().union(*_ROLE_WORDS.values(), *_KIN_WORDS.values(), *_HONORIFIC_WORDS.values())
# A Sikh name's second word ("ਬਲਵਿੰਦਰ ਸਿੰਘ", "ਹਰਪ੍ਰੀਤ ਕੌਰ"): it and the word before it are the name.
_SIKH_NAMES = frozenset("ਸਿੰਘ ਕੌਰ سنگھ کور সিং সিংহ સિંહ સિંઘ કૌર".split())
_SCRIPT_WORD = {script: re.compile(rf"[{letters}]+") for script, letters in _SCRIPT_LETTERS.items()}
# A Gujarati name with its honorific written on: "હેતલબેન", "રમણભાઈ" (not "બેન" or "ભાઈ" alone).
_GUJARATI_SUFFIXED = re.compile(r"^([\u0a80-\u0aff]{2,20}(?:બેન|ભાઈ))(?:ે|ને|નો|ની|ના)?$")


# After a role or relation in Urdu, Punjabi, Bengali and Gujarati the next word is as often a verb or an
# object (subject-object-verb order: "کیئرر کپڑے بدلتے", "the carer changes clothes"): it is taken for a
# name only when what follows it marks a person: the ergative ("نرس شازیہ نے"), "and" ("میرا بیٹا فرحان اور
# بہو"), or the end of the sentence. A title (Mrs, Dr) needs nothing after it.
_AFTER_A_NAME_OTHER = frozenset("نے ਨੇ એ اور ਅਤੇ અને আর و".split())


def _marks_a_person(next_word: str | None) -> bool:
    """The ergative or "and" after the word ("وزوجته": "and his wife", a relation joined on, counts too)."""
    return next_word is not None and (next_word in _AFTER_A_NAME_OTHER or next_word.startswith("و") and (
        next_word[1:] in _ALL_ROLE_WORDS or next_word[1:] in _KIN_OTHER))


def _not_a_name_other(word: str) -> bool:
    bare = word[1:] if word.startswith("و") and len(word) > 2 else word
    return word in _NOT_A_NAME_OTHER or word in _KIN_OTHER or bare in _ALL_ROLE_WORDS or word in _ALL_ROLE_WORDS \
        or word in _SIKH_NAMES


# Given and family names in their own scripts (name_lexicon.json), compared in a folded form: Arabic and
# Urdu letter shapes alike, vowel marks and tatweel dropped.
# (Not alif maqsura ى: "على", "on", would become Urdu "علی", Ali.)
_FOLD_ARABIC_SCRIPT = str.maketrans({"ي": "ی", "ك": "ک", "ه": "ہ", "ة": "ہ", "ھ": "ہ", "أ": "ا", "إ": "ا", "آ": "ا",
                                     "ـ": None})
_MARKS = re.compile("[\u064b-\u065f\u0670]")


def _fold_name(word: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFC", word)).translate(_FOLD_ARABIC_SCRIPT)


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, frozenset[str]]:
    data = json.loads((Path(__file__).parent / "name_lexicon.json").read_text(encoding="utf-8"))
    by_script = {"arabic": data["urdu"] + data["arabic"], "bengali": data["bengali"], "gurmukhi": data["gurmukhi"],
                 "gujarati": data["gujarati"]}
    return {script: frozenset(_fold_name(w) for w in words) for script, words in by_script.items()}


# What is written onto a name: Arabic-script "and", "with", "to" before it; Bengali and Gujarati case
# endings and postpositions after it ("রহিমকে", "নীলমને").
_NAME_PREFIXES = {"arabic": ("و", "ب", "ل", "لل")}
_NAME_SUFFIXES = {"bengali": ("কে", "ের", "এর", "র", "রা", "দের"), "gujarati": ("ને", "નો", "ની", "ના", "એ", "ે"),
                  "gurmukhi": ("ਨੂੰ",), "arabic": ()}


def _known_name(script: str, word: str) -> tuple[int, int] | None:
    """(start, end) within `word` of a listed name it is, with what is written onto it left out."""
    names = _lexicon()[script]
    folded = _fold_name(word)
    if folded in names:
        return 0, len(word)
    for prefix in _NAME_PREFIXES.get(script, ()):
        if word.startswith(prefix) and _fold_name(word[len(prefix):]) in names:
            return len(prefix), len(word)
    for suffix in _NAME_SUFFIXES.get(script, ()):
        if word.endswith(suffix) and len(word) > len(suffix) + 1 and _fold_name(word[:-len(suffix)]) in names:
            return 0, len(word) - len(suffix)
    return None


def other_script_spans(text: str) -> list[tuple[int, int]]:
    """Names in Arabic script, Bengali, Gurmukhi and Gujarati: a listed name; the word after a role or
    relation, before an honorific, before Singh/Kaur; a name with the Gujarati -ben/-bhai written on."""
    out = []
    for script, pattern in _SCRIPT_WORD.items():
        words = list(pattern.finditer(text))
        if not words:
            continue
        roles, honorifics = _ROLE_WORDS[script], _HONORIFIC_WORDS[script]
        for i, m in enumerate(words):
            word = m.group()
            bare = word[1:] if script == "arabic" and word.startswith("و") and len(word) > 2 else word
            adjacent = i + 1 < len(words) and not text[m.end():words[i + 1].start()].strip()
            nxt = words[i + 1] if adjacent else None
            kin = (bare in _KIN_WORDS[script] or word in _KIN_WORDS[script]) and i > 0 and words[i - 1].group() in _POSSESSIVES
            if (bare in roles or word in roles or kin) and nxt is not None and not _not_a_name_other(nxt.group()):
                after_next = words[i + 2] if i + 2 < len(words) and not text[nxt.end():words[i + 2].start()].strip() else None
                if bare in _TITLE_BEFORE or word in _TITLE_BEFORE or _marks_a_person(after_next.group() if after_next else None):
                    out.append((nxt.start(), nxt.end()))
            # Before an honorific with the ergative or "and" after it ("ناصر بھائی نے", "ਸ਼ਰਮਾ ਜੀ ਨੇ"): an honorific
            # also follows roles, kin and verbs ("ورکر آپا", "ਭੇਜੋ ਜੀ"). Before Singh or Kaur: always.
            after_honorific = words[i + 2].group() if nxt is not None and i + 2 < len(words) else None
            if nxt is not None and not _not_a_name_other(word) and (
                    nxt.group() in _SIKH_NAMES or nxt.group() in honorifics and _marks_a_person(after_honorific)):
                out.append((m.start(), m.end()))
            if word in _SIKH_NAMES and i > 0 and not _not_a_name_other(words[i - 1].group()):
                out.append((m.start(), m.end()))
            known = _known_name(script, word)
            if known is not None:
                out.append((m.start() + known[0], m.start() + known[1]))
            if script == "gujarati":
                suffixed = _GUJARATI_SUFFIXED.match(word)
                if suffixed and word not in _KIN_OTHER:
                    out.append((m.start(), m.start() + len(suffixed.group(1))))
    return out


_JOINED_AFTER = re.compile(r"^(\s*(?:,\s*(?:and\s+|&\s+)?|and\s+|&\s+|i\s+|și\s+|si\s+|aur\s+|اور\s+|و\s*|আর\s+|ਅਤੇ\s+|અને\s+))"
                           r"([^\s.,;:!?()]+)")
_JOINED_BEFORE = re.compile(r"([^\s.,;:!?()]+)(\s*(?:,|\s+and|\s+&|\s+i|\s+și|\s+si|\s+aur|\s+اور|\s+আর|\s+ਅਤੇ|\s+અને)\s+)$")


_CONJUNCTION = re.compile(r"^(?:and|&|i|și|si|aur|اور|و|আর|ਅਤੇ|અને)$")
_QUOTES = "'‘’\"“”"


def joined_names(text: str, spans: Iterable[tuple[int, int]], not_names) -> list[tuple[int, int]]:
    """Words joined by "and" or a comma to a name found: "Ade, Funmi and the night nurse", "jhun and rowena"."""
    taken = set(spans)
    queue = sorted(taken)
    out: list[tuple[int, int]] = []
    while queue and len(out) < 50:
        start, end = queue.pop()
        lower_case = text[start:end][:1].islower()
        candidates = []
        m = _JOINED_AFTER.match(text[end:end + 60])
        if m:
            candidates.append((end + m.start(2), end + m.end(2), m.group(1)))
        m = _JOINED_BEFORE.search(text[max(0, start - 60):start])
        if m:
            offset = max(0, start - 60)
            candidates.append((offset + m.start(1), offset + m.end(1), m.group(2)))
        for s, e, joint in candidates:
            while s < e and text[s] in _QUOTES:
                s += 1
            while e > s and text[e - 1] in _QUOTES:
                e -= 1
            if text[s:e].endswith(("'s", "’s")):
                e -= 2
            word = text[s:e]
            if not word or (s, e) in taken:
                continue
            bare = _base(word)
            if bare in not_names or bare in NOT_PROPER_NAMES or _not_a_name_other(word) or bare in _ROLES_AFTER:
                continue
            caseless = word[:1].isalpha() and not word[:1].isupper() and not word[:1].islower()   # Arabic, Bengali...
            by_conjunction = bool(_CONJUNCTION.match(joint.strip(" ,")))
            # In a script without capitals only a listed name counts ("فرحان اور منیجر": the manager is no name).
            listed = caseless and any(_known_name(script, word) for script in _lexicon())
            if (word[:1].isupper() and word[1:].islower()) or (listed and by_conjunction) or (
                    lower_case and word[:1].islower() and by_conjunction and english_rarity(bare) < LOWER_RARITY):
                taken.add((s, e))
                out.append((s, e))
                queue.append((s, e))
    return out
