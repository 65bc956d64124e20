"""Latin-script languages the board does not serve (French, Portuguese, Turkish...) are "und": a detector that
knew only English, Polish and Romanian called French confident English, so it was read by the English rules
alone and never translated. The sentences below were written after the settings in service/text/language.py
were chosen (those were tuned on other sentences and on the service's own training text)."""
from __future__ import annotations

import pytest

from service.text.language import LanguageDetector

NOT_SERVED = [
    ("es", "Mi cuidadora me insulta cuando nadie la ve."),
    ("es", "Quiero que alguien me llame, por favor."),
    ("es", "El personal de la residencia no me deja salir."),
    ("pt", "O meu genro tirou-me o cartão do banco."),
    ("pt", "Ninguém me ouviu quando fiz queixa."),
    ("pt", "Foi tudo muito demorado e ninguém explicou nada."),
    ("fr", "Ma fille m'enferme dans ma chambre le soir."),
    ("fr", "Je voudrais que quelqu'un m'appelle, s'il vous plaît."),
    ("fr", "Le personnel était gentil mais personne ne m'a expliqué."),
    ("it", "Mia nuora mi urla addosso tutti i giorni."),
    ("it", "Vorrei parlare con qualcuno in italiano."),
    ("de", "Meine Tochter sperrt mich abends ein."),
    ("de", "Die Sozialarbeiterin war sehr freundlich zu mir."),
    ("nl", "Mijn dochter schreeuwt elke dag tegen mij."),
    ("nl", "Ik wil graag dat iemand mij belt."),
    ("lt", "Mano dukra mane užrakina kambaryje."),
    ("lt", "Niekas man nepaaiškino, kas vyksta."),
    ("lv", "Mana meita kliedz uz mani katru dienu."),
    ("tr", "Kızım beni her akşam odaya kilitliyor."),
    ("tr", "Kimse bana ne olacağını açıklamadı."),
    ("so", "Gabadhaydu waxay igu xirtaa qolka habeenkii."),
    ("sq", "Vajza ime më bërtet çdo ditë."),
    ("tl", "Sinisigawan ako ng anak ko araw-araw."),
    ("cs", "Moje dcera na mě každý den křičí."),
    ("sk", "Moja dcéra ma každý deň zamyká v izbe."),
    ("hu", "A lányom minden este bezár a szobámba."),
    ("vi", "Con gái tôi nhốt tôi trong phòng mỗi tối."),
]

# English naming people or things from elsewhere, and terse English with few function words.
ENGLISH = [
    "Our carer Zoë was lovely and kind to mum.",
    "José from the council rang me back the same day.",
    "The café in the home is nice but expensive.",
    "Müller the social worker never turned up.",
    "Renée explained everything clearly.",
    "Excellent service, courteous staff.",
    "Parking impossible, receptionist unhelpful, doctor late.",
]


@pytest.fixture(scope="module")
def detector():
    return LanguageDetector()


def test_most_sentences_in_languages_not_served_are_undetermined(detector):
    missed = [(code, text, detector.detect(text)) for code, text in NOT_SERVED if detector.detect(text).language != "und"]
    # 24 of 27 when written (a Portuguese, a French and an Italian sentence are still read as English or Romanian).
    assert len(missed) <= 3, missed
    for _code, text, result in missed:
        assert result.language in ("en", "ro", "pl"), text


def test_languages_served_and_english_naming_people_from_elsewhere_keep_their_language(detector, dev_rows):
    for text in ENGLISH:
        assert detector.detect(text).language == "en", text
    for row in dev_rows:                    # the dev set's eight languages, every one still right
        assert detector.detect(row["text"]).language == row["language"], row["text"]


def test_a_language_not_served_is_queued_for_a_person_as_not_checked_and_not_themed(pipeline):
    a = pipeline.analyse("Ma fille m'enferme dans ma chambre le soir et prend ma pension.")
    assert (a.language, a.language_script, a.language_uncertain) == ("und", "latin", True)
    assert a.translation_status == "queued" and a.themes == [] and a.sentiment == "neutral_mixed"
    assert pipeline.analyse("Our carer Zoë was lovely and kind to mum.").translation_status == "not_needed"


def test_words_in_a_language_not_served_get_the_lowest_threshold_of_their_script():
    from service.text.disclosure import _load_model

    model = _load_model()
    text = "sa7eb el ma7al a5ad el passport taba3i w ma bi3tini ma3ash"      # Arabic in Latin letters
    lowest_latin = min([model.thresholds_by_script["latin"], *(value for key, value in model.thresholds_by_language.items()
                                                              if key.endswith(":latin"))])
    assert lowest_latin < model.thresholds_by_script["latin"]                 # Romanian's own is lower
    assert model.threshold_for(text, "und") == lowest_latin
    assert model.threshold_for(text, "en") == model.thresholds_by_script["latin"]


# Roman Urdu words that are common words elsewhere: German "mein" and "wo", Italian "hai", Dutch "hun" and "kon"
# made these texts confident Urdu (the German ones at 0.75), so a translator was asked for Urdu.
@pytest.mark.parametrize("text", [
    "Mein Sohn nimmt mein Geld und ich habe Angst.",
    "Mein Pfleger schreit mich an.",
    "Wo ist mein Geld? Die Pflegerin hat es genommen.",
    "Hai paura di lui? Mio figlio mi picchia.",
    "Hun zoon kon niet komen, ze hebben het geld genomen.",
])
def test_words_shared_with_roman_urdu_do_not_make_another_language_urdu(detector, text):
    assert detector.detect(text).language == "und"


# Roman Urdu made only of such words stays Urdu unless the language they are common in is sure: lingua takes this
# one for Tagalog, where "acha" and "hai" are no words; with one word Urdu alone has ("bhai") it is Urdu anyway.
@pytest.mark.parametrize("text", [
    "Khat bara likha ho. Tasveer wala acha hai.",
    "Mein bhai mujhe marta hai",
    "Wo mein hai staff",
    "Staff wala acha hai bohat",
])
def test_roman_urdu_of_shared_words_stays_urdu(detector, text):
    assert detector.detect(text).language == "ur"


# Written by a reviewer after rules4: without accents, French and Spanish were English at 0.95-0.99 to a detector
# that knows only English, Polish and Romanian, and were never asked among the languages not served (rules5 asks
# every text lingua reads). Still missed: Vietnamese without its marks ("Con trai toi danh toi moi ngay", Vietnamese
# 0.85, French 0.15).
@pytest.mark.parametrize("text", [
    "Ma fille ne me laisse pas sortir de la maison depuis des semaines.",
    "Elle me pousse et me tire les cheveux.",
    "La cuidadora me grita y no me da de comer.",    # Portuguese 0.53, Spanish 0.47: counted together
    "Meine Tochter nimmt mein Geld und sperrt mich ein.",
])
def test_languages_not_served_without_accents_are_undetermined(detector, text):
    assert detector.detect(text).language == "und"


# Where lingua is sure of English the wider detector must be surer (0.99): it calls these Tagalog 0.91, Somali 0.98.
# A second reviewer's English (written before they were run): all languages not served counted together made
# these `und` (Dutch 0.89, French 0.85...), and "the" twice no longer took the fast path.
@pytest.mark.parametrize("text", ["loved the singing afternoon", "food ok, room too small", "The person on the phone",
                                  "Wait time was ridiculous", "Dr needs to listen.", "Radio too loud in lounge",
                                  "Broken blind in room 7", "Podiatrist visit overdue since June", "Gud staff luv them",
                                  "I want to stay here.", "I want my own key.", "carer Ana sang to mum in Spanish"])
def test_english_lingua_is_sure_of_stays_english(detector, text):
    assert detector.detect(text).language == "en"
