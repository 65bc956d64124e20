import json
import unicodedata
from pathlib import Path

import pytest

from service.text.redact import nhs_checksum_ok, redact


@pytest.mark.parametrize("text,expected", [
    ("call me on 07700 900789 after 6", "call me on [PHONE] after 6"),
    ("ring +44 7700 900123 or 01204 333444", "ring [PHONE] or [PHONE]"),
    ("email kfarrell77@example.net please", "email [EMAIL] please"),
    ("NHS number 943 476 5919", "NHS number [NHS_NUMBER]"),
    ("his number is 9434765919", "his number is [NHS_NUMBER]"),
    ("DOB 12/03/1941, lives alone", "DOB [DATE_OF_BIRTH], lives alone"),
    ("she was born on 3rd March 1935", "she was born on [DATE_OF_BIRTH]"),
    ("We live at 14 Chorley New Road, Bolton BL1 4QR.", "We live at [ADDRESS], Bolton [POSTCODE]."),
    ("Mr Khan and Mrs O'Brien came", "[NAME] and [NAME] came"),
    ("Mr L went into hospital", "[NAME] went into hospital"),
    ("my son David visits", "my son [NAME] visits"),
    ("My name is Sarah Jones", "My name is [NAME]"),
    # redact-rules-2
    ("ring (01204) 337 000 or 0044 7700 900123", "ring [PHONE] or [PHONE]"),
    ("a carer called mohammed shouted at her", "a carer called [NAME] shouted at her"),
    ("میرا نام محمد اقبال ہے اور میں ٹھیک ہوں", "میرا نام [NAME] ہے اور میں ٹھیک ہوں"),
    ("اسمي أحمد علي، وأنا بخير", "اسمي [NAME]، وأنا بخير"),
    ("আমার নাম রহিম উদ্দিন।", "আমার নাম [NAME]।"),
    ("મારું નામ રમેશ પટેલ છે", "મારું નામ [NAME] છે"),
    ("ਮੇਰਾ ਨਾਮ ਗੁਰਪ੍ਰੀਤ ਕੌਰ ਹੈ", "ਮੇਰਾ ਨਾਮ [NAME] ਹੈ"),
    ("Nazywam się Anna Kowalska, mieszkam sama", "Nazywam się [NAME], mieszkam sama"),
    ("Numele meu este Ion Popescu", "Numele meu este [NAME]"),
    ("I spoke to Edna Whitworth- she rang", "I spoke to [NAME]- she rang"),
    ("I went to Keith Hughes’ office", "I went to [NAME]’ office"),
    ("we saw Edna Jones' care plan", "we saw [NAME]' care plan"),
])
def test_redacts(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "The room was cold and I had to wait",
    "I went to the Day Centre on Monday in Bolton with Social Services",
    "Thank you NHS staff, the Manager was kind",
    "The meeting on 12/03/2024 was fine",  # a recent date is not a date of birth
    "I waited 3 hours and 20 minutes",
    "a cat called fluffy lives at the home",        # lower case after "called", not a known first name
    # sentences about a name that give none: "my name was written wrong", "they did not take my name"
    "Numele meu era scris greșit",
    "باسمي للمجلس",
    "میرا نام نہیں لیا گیا",
    "ਮੇਰਾ ਨਾਮ ਗਲਤ ਲਿਖਿਆ",
    "আমার নাম ভুল লেখা হয়েছে",
    "Mam na imię nie wpisane",
])
def test_leaves_ordinary_text_alone(text):
    assert redact(text) == text


def test_a_ten_digit_number_failing_the_nhs_check_is_not_an_nhs_number():
    assert nhs_checksum_ok("9434765919")
    assert not nhs_checksum_ok("9434765918")
    assert "[NHS_NUMBER]" not in redact("ref 9434765918")


def test_non_latin_text_keeps_words_but_loses_numbers():
    assert redact("میرا نمبر 07700 900789 ہے") == "میرا نمبر [PHONE] ہے"


def test_long_runs_of_word_characters_are_read_whole():
    # Each of these once made a search quadratic (seconds for 30 KB); now bounded. The result is checked
    # here; the time is not (the benchmark's business).
    for text in ("Aa-" * 10000, "a." * 15000, "A-" * 15000, "a.b" * 10000):
        assert redact(text) == text
    assert redact("x" * 70 + "@example.org") == "x" * 70 + "@example.org"   # local part over 64: not an address


# 347 sentences written by a reviewer who tried to get personal details past the rules, and to make them
# remove words that are not personal (ALL CAPS, feelings, benefits, ward numbers...). Each names what
# must go and what must stay. The few the rules cannot get right are marked `known_miss` (README says
# which kinds); every other case must keep passing.
_CASES = [json.loads(line) for line in (Path(__file__).parent / "redaction_cases.jsonl").open(encoding="utf-8")]


@pytest.mark.parametrize("case", [c for c in _CASES if not c.get("known_miss")], ids=lambda c: c["group"])
def test_reviewers_cases(case):
    out = redact(case["text"])
    assert [s for s in case["must_go"] if s in out] == [], out
    assert [s for s in case["must_stay"] if s not in out] == [], out


def test_known_misses_are_few():
    # A guard against marking failures as known instead of fixing them.
    assert sum(1 for c in _CASES if c.get("known_miss")) <= 29


@pytest.mark.parametrize("text,expected", [
    ("رقمي ٠٧٧٠٠ ٩٠٠١٢٣", "رقمي [PHONE]"),                                   # Arabic-Indic digits
    ("আমার নম্বর ০৭৭০০ ৯০০১২৩", "আমার নম্বর [PHONE]"),                          # Bengali digits
    ("the manager Mrs Renée Walsh was rude", "the manager [NAME] was rude"),
    ("my son Łukasz was pushed by staff", "my son [NAME] was pushed by staff"),
    ("her dob is 3/4/51", "her dob is [DATE_OF_BIRTH]"),
    ("mama ur. 3 kwietnia 1951", "mama ur. [DATE_OF_BIRTH]"),
    ("the abuse started on 12/05/2005", "the abuse started on [DATE]"),
    ("Linda Barlow never rang me back", "[NAME] never rang me back"),
    ("mrs patel the manager", "mrs [NAME] the manager"),
    ("the deputy manager, Janice, said", "the deputy manager, [NAME], said"),
    ("+48 512 345 678 is my sister", "[PHONE] is my sister"),
    ("mera naam bilal hai", "mera naam [NAME] hai"),
    ("میری امی کا نام رضیہ بیگم ہے", "میری امی کا نام [NAME] ہے"),
    ("I told Mr T. He said no", "I told [NAME] He said no"),
    ("jane.doe @ gmail.com", "[EMAIL]"),
])
def test_redacts_rules_3(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "URGENT - CARER HIT MY DAD",                         # capitals are shouting, not names
    "I am Disgusted with the service",
    "I'm Deaf and they never booked an interpreter",
    "thanks to Age UK and Citizens Advice",
    "she was moved to ward c3 2nd floor",
    "calls due 0800 1200 1700 2100 but they came late",
    "আমার নামাজের সময় তারা টিভি জোরে চালায়",           # "my prayer time", not "my name"
    "اس کا نام سن کر بہن رونے لگی",                       # "hearing her name": about a name, gives none
    "there were 2 Family Court hearings",
    "the Nurse Practitioner said",
])
def test_leaves_meaning_alone_rules_3(text):
    assert redact(text) == text


# A second review of redact-rules-3 found these; each was wrong in a first version of the rules.
@pytest.mark.parametrize("text,expected", [
    ("Ask Gary about the missing money.", "Ask [NAME] about the missing money."),     # a word before the name
    ("Yesterday Karen shouted at my dad.", "Yesterday [NAME] shouted at my dad."),
    ("my carer John SMITH shouted at me", "my carer [NAME] shouted at me"),           # a surname in capitals
    ("MY SON DAVID JONES TOOK MY MONEY", "MY SON [NAME] TOOK MY MONEY"),
    ("Mr Ahmed KHAN the manager was rude.", "[NAME] the manager was rude."),
    ("MR AHMED KHAN IS THE MANAGER", "MR [NAME] IS THE MANAGER"),
    ("Hi I'm Gloria and my carer keeps taking my pension.", "Hi I'm [NAME] and my carer keeps taking my pension."),
    ("This is Agnes writing about my mother.", "This is [NAME] writing about my mother."),
    ("The carer was Mary Power and she was rough.", "The carer was [NAME] and she was rough."),
    ("She lives at 3 Crown Court, Bolton.", "She lives at [ADDRESS], Bolton."),
    ("my postcode is bl3 4nd", "my postcode is [POSTCODE]"),
])
def test_second_review_leaks(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "Her ms got worse and nobody noticed",          # multiple sclerosis
    "the MS Society helped us", "He had an MR scan", "I MISS SEEING MY GRANDCHILDREN",
    "the cook made Indian food", "Social Worker Assessment was late",
    "Vin pana Luni",                                # Romanian "until Monday" without its diacritic
    "Pani Doktor była miła",
    "Carer came @ 7.30 instead of 9",               # a time, not an e-mail
    "On 01.02.2023 10:30 the carer was late",       # a date and time, not a phone number
    "ref ASC0123456789",
    "Rent went up +10 15 20 25 30 pounds",
    "We went to Gran Canaria last year",
])
def test_second_review_ordinary_words(text):
    assert redact(text) == text


def test_long_runs_of_spaces_after_keywords_are_read_once():
    # "N.H.S." or "dob" then thousands of spaces took minutes when three unbounded gaps stood side by
    # side; the result is checked here, the time by the benchmark.
    for keyword in ("N.H.S.", "NHS no", "dob", "born", "میرا نام", "کا نام"):
        text = keyword + " " * 4990 + "x"
        assert redact(text) == text


# A third review found these in the second version.
@pytest.mark.parametrize("text,expected", [
    ("my son JOE took my money", "my son [NAME] took my money"),
    ("the driver Bogdan shouted at my mum", "the driver [NAME] shouted at my mum"),
    ("the cook Grażyna hit her", "the cook [NAME] hit her"),
    ("Carer Bogusia was rough with my dad", "Carer [NAME] was rough with my dad"),
    ("Widziałam pana Kowalskiego w korytarzu", "Widziałam pana [NAME] w korytarzu"),
    ("Dawn Smith from the home took her bank card", "[NAME] from the home took her bank card"),
    ("TEL07700900123", "TEL[PHONE]"),
    ("Dr Khan IGNORED me completely.", "[NAME] IGNORED me completely."),    # shouting, not a surname
])
def test_third_review_leaks(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "MY SON VISITS ME EVERY SUNDAY", "I'm Diabetic and they kept giving me puddings", "I am Pregnant and nobody asked",
    "It's Rubbish and I want it sorted", "The Family Hub were great",
])
def test_third_review_ordinary_words(text):
    assert redact(text) == text


# A fourth review found these in the third version.
@pytest.mark.parametrize("text,expected", [
    ("This is Rasheed from the mosque.", "This is [NAME] from the mosque."),
    ("I'm Cedric here", "I'm [NAME] here"),
    ("MY HUSBAND GRZEGORZ HITS ME.", "MY HUSBAND [NAME] HITS ME."),
    ("MY DAUGHTER KELSEY VISITS.", "MY DAUGHTER [NAME] VISITS."),
    ("Mrs Bogusia NOWAK was kind.", "[NAME] was kind."),
    ("Olive came to see me.", "[NAME] came to see me."),
    ("He waited 1½ hours, room 10², call ０７７００ ９００１２３", "He waited 1½ hours, room 10², call [PHONE]"),
])
def test_fourth_review(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", ["Carer Support was good.", "Senior Management did nothing.", "MY SON VISITS ME EVERY SUNDAY",
                                  "ﬁne service™ and 38℃ in the lounge"])
def test_fourth_review_ordinary_words(text):
    assert redact(text) == text


# Round 12: rare names (service/text/rare_names.py).
@pytest.mark.parametrize("text, name", [
    ("I told Grzegorz about the bruise", "Grzegorz"), ("Bisi was rough with me", "Bisi"),
    ("tunde shouted at mum again", "tunde"), ("thank u to jaswinder the physio", "jaswinder"),
    ("Ade, Funmi and the night nurse all knew", "Funmi"), ("Kwame's manager never came back", "Kwame"),
    ("KELECHI PLEASE CALL ME BACK", "KELECHI"), ("Faith the advocate came to every meeting", "Faith"),
    ("نرس شازیہ نے میری امی کا خیال رکھا", "شازیہ"), ("ਬਲਵਿੰਦਰ ਸਿੰਘ ਨੇ ਦੱਸਿਆ", "ਬਲਵਿੰਦਰ"),
    ("કેરર હેતલબેને મારાં બાની સંભાળ રાખી", "હેતલબેન"), ("I-am spus lui Costel", "Costel"),
])
def test_rare_names_go(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize("text", [
    "I hope the care home will listen this time", "Precious little was done about it",
    "He has Alzheimer's and needs help at night", "Powiedziałam im, ale nic się nie zmieniło.",
    "Lekin process 5 mahine chala", "کیئرر کپڑے بدلتے وقت زور سے کھینچتی ہے", "Couldn't get through to the office",
])
def test_ordinary_words_stay(text):
    assert redact(text) == text


# A reviewer's care words: capitalised, rare, and not names (redact-rules-5 took them for names at first).
@pytest.mark.parametrize("text", [
    "Catheter was not changed for days.", "Respite was cancelled twice.", "The Hoist was broken for a week.",
    "My mum has Alzheimer and Parkinson, the carers were kind.", "Handover was rushed.",
    "Dialysis was moved without telling us.", "Dentures were lost and Commode not emptied.",
    "Sores on her legs were not treated.", "I suffer from Narcolepsy and nobody helps.", "We had no Triage cover at night.",
    "She was referred for Physiotherapy in March.",
])
def test_care_words_stay(text):
    assert "[NAME]" not in redact(text), redact(text)


# Names of three parts: the rules found the first one or two words and left the rest ("[NAME] Hương",
# "my son [NAME] Smith"), a surname or given name a provider could put a person to.
@pytest.mark.parametrize("text, left", [
    ("the carer Nguyễn Thị Hương was rough", "Hương"),
    ("my son David John Smith hits me", "Smith"),
    ("He met Tran Van Minh at the home", "Minh"),
    ("Mrs Bogusia Anna Nowak came", "Nowak"),
    ("the carer, Anne Marie O'Brien, shouted", "O'Brien"),
])
def test_every_part_of_a_long_name_goes(text, left):
    assert left not in redact(text), redact(text)


def test_overlapping_names_are_replaced_together():
    # "Linda Made" (a known first name and the word after it) and "Made Me Feel Welcome" overlap: the longer
    # one alone used to win and leave "Linda" in the shared text.
    assert "Linda" not in redact("Linda Made Me Feel Welcome")


def test_a_name_beside_an_address_keeps_its_own_words_redacted():
    assert redact("I visited Linda Smith 4 Park Road") == "I visited [NAME] [ADDRESS]"


# Second review: a name starting a sentence surname first left its first word, a middle initial stopped it.
@pytest.mark.parametrize("text, left", [
    ("Tran Van Minh was rough", "Tran"), ("Nguyễn Thị Hương was rough", "Nguyễn"), ("Jose Maria Garcia was kind", "Jose"),
    ("David J. Smith hit me", "Smith"), ("I met David J. Smith", "Smith"),
])
def test_a_long_name_goes_whole_at_the_start_of_a_sentence_and_with_an_initial(text, left):
    assert left not in redact(text), redact(text)


@pytest.mark.parametrize("text, kept", [
    ("Ask Gary Smith about it", "Ask "), ("Visited Linda Smith today", "Visited "), ("Sadly Linda Smith left", "Sadly "),
    ("Carer Linda Smith was rough", "Carer "),
    # In Title Case every word looks like a name: a name found is not taken further.
    ("Thank You To Linda Smith For The Lovely Care Given", "For The Lovely Care Given"),
])
def test_the_words_before_and_after_a_name_that_are_not_names_stay(text, kept):
    assert kept in redact(text), redact(text)


@pytest.mark.parametrize("text", ["I rang Sarah Jones Hospital about it", "Tom Smith said Thank You to the staff"])
def test_the_rest_of_a_name_stops_at_ordinary_words(text):
    out = redact(text)
    assert ("Hospital" in out) if "Hospital" in text else ("Thank You" in out), out


# Dotted and hooked Latin letters (Latin Extended Additional, or a combining mark where Unicode has no single
# letter) are read as their plain letters to find a name: "Ṡarah" slipped past the lists that know "Sarah".
@pytest.mark.parametrize("text, name", [
    ("I spoke to Ṡarah about it.", "Ṡarah"), ("My carer Ṡarah Ḱhan was kind.", "Ḱhan"), ("Ḍavid shouted at me", "Ḍavid"),
    ("I told S\u0307a\u0301rah", "a\u0301rah"), ("my carer J\u030cohn was late", "ohn"),
])
def test_names_in_dotted_latin_letters_go(text, name):
    out = redact(text)
    assert name not in out and "[NAME]" in out, out


@pytest.mark.parametrize("text", ["I had a café au lait", "Ṁy carer was kind", "The ẞtraße was closed"])
def test_marked_letters_alone_are_no_name(text):
    assert redact(text) == unicodedata.normalize("NFC", text)


# A form kept for good (retention) is redacted again with today's rules, and keeps what an older version cut.
@pytest.mark.parametrize("text,older,expected", [
    # redact-rules-6 left "Hương"; today's rules, reading the older form alone, do not see it after "[NAME]"
    ("The carer Nguyễn Thị Hương was rough with Mr Oduya at night", "The carer [NAME] Hương was rough with [NAME] at night",
     "The carer [NAME] was rough with [NAME] at night"),
    # an older version cut a care word that today's rules keep: it stays cut; the phone it missed goes
    ("Catheter was not changed, ring 07700 900123", "[NAME] was not changed, ring 07700 900123",
     "[NAME] was not changed, ring [PHONE]"),
    ("Staff were kind.", "Staff were kind.", "Staff were kind."),
])
def test_redacted_again_cuts_what_either_version_cut(text, older, expected):
    from service.text.redact import redacted_again

    assert redacted_again(text, older) == expected


def test_redacted_again_never_keeps_an_older_form_of_a_script_the_rules_cannot_read():
    """Before redact-rules-6 words in such scripts were left as they were: the redacted translation, or withheld."""
    from service.text.redact import TRANSLATED, WITHHELD_SCRIPT, redacted_again

    tamil = "நர்ஸ் லக்ஷ்மி என்னை அடித்தார்"
    assert redacted_again(tamil, tamil) == WITHHELD_SCRIPT
    assert redacted_again(tamil, tamil, "Nurse [NAME] hit me") == TRANSLATED + "Nurse [NAME] hit me"


# Words in a language the board does not serve, in Latin letters (audit translq, finding 4): the rules look for names
# the English, Polish and Romanian way and miss "mio figlio marco", so such words are shared as a script the rules
# cannot read is: as their redacted translation, or not at all until there is one.
@pytest.mark.parametrize("text", [
    "Mio figlio marco viene ogni domenica, sono contenta del servizio.",    # Italian (ASCII)
    "Ma fille amélie vient me voir chaque dimanche, je suis très contente.",  # French
    "Mano dukra ieva atvažiuoja kiekvieną sekmadienį, esu patenkinta.",     # Lithuanian
])
def test_words_in_a_language_not_served_are_shared_only_as_their_redacted_translation(text):
    from service.text.redact import TRANSLATED, WITHHELD_LANGUAGE, redacted_again, shareable

    assert shareable(text, None, "und") == WITHHELD_LANGUAGE
    assert shareable(text, "My child [NAME] comes every Sunday", "und") == TRANSLATED + "My child [NAME] comes every Sunday"
    # a form kept for good (retention) whose stored redaction was made by rules that cannot read the language
    assert redacted_again(text, redact(text), None, "und") == WITHHELD_LANGUAGE
    assert redacted_again(text, redact(text), "My child [NAME] comes", "und") == TRANSLATED + "My child [NAME] comes"


def test_what_a_reading_in_a_language_served_or_of_no_letters_shares_is_unchanged():
    from service.text.redact import WITHHELD_SCRIPT, shareable

    assert shareable("My son Marco comes every Sunday", None, "en") == "My son [NAME] comes every Sunday"
    assert shareable("10/10 😊 07700 900123", None, "und") == "10/10 😊 [PHONE]"     # "und": no letter to judge
    assert shareable("Меня зовут Ольга Петрова", None, "und") == WITHHELD_SCRIPT   # the script names the reason


# Residents' meeting minutes name people by their room, and most residents are of a generation whose
# names ("Doris", "Enid", "Bert") were on no list and are common enough as words in Romanian or English.
@pytest.mark.parametrize("text,name", [
    ("Doris in room 9 says the night staff shout at her.", "Doris"),
    ("Enid says the tea is always cold.", "Enid"),
    ("Bert was rude to the new cleaner.", "Bert"),
    ("Percival in room 4 said nobody helps him at night.", "Percival"),
    ("Wanda, bed 3, wants more trips out.", "Wanda"),
    ("Ottoline (room 12) asked for a visit from the GP.", "Ottoline"),
    ("Marigold from room 7 said the lift is broken again.", "Marigold"),
    ("Grace in room 4 asked about the trips.", "Grace"),
    ("We heard that Wanda (rm 3) is scared of the night carer.", "Wanda"),
])
def test_residents_named_by_their_room_or_generation_go(text, name):
    assert name not in redact(text)


@pytest.mark.parametrize("text", [
    "Residents in room 9 complained about the noise.", "Resident in room 4 fell twice.", "The lady in room 9 was upset.",
    "Staff in room 9 were kind.", "Lounge in room 2 is cold.", "Everyone in room 3 agreed.", "Laundry from room 5 went missing.",
])
def test_words_before_a_room_that_are_no_name_stay(text):
    assert redact(text) == text


# A second reviewer's minutes: things in a room are no resident (a provider cannot act on "[NAME] in room 2
# cold"); a resident is one who says, asks, wants or feels something there. Florence is a city first.
@pytest.mark.parametrize("text", [
    "Radiator in room 2 cold", "Mould in room 11 needs treating", "Blinds (rm 2) broken", "Toiletries in room 6 going missing",
    "Urinals in room 2 not cleaned", "Karaoke in room 1 on Friday", "Chiropody in room 3 next week",
    "Sundowning in room 5 at night", "We went on a coach trip to Florence last year",
])
def test_things_in_a_room_and_places_are_no_names(text):
    assert redact(text) == text
