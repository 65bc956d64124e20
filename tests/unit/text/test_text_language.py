import pytest

from service.text.language import UNCERTAIN_BELOW, LanguageDetector


@pytest.fixture(scope="module")
def det():
    return LanguageDetector()


def test_dev_set_languages(det, dev_rows):
    right = sum(det.detect(r["text"]).language == r["language"] for r in dev_rows)
    assert right / len(dev_rows) >= 0.95


@pytest.mark.parametrize("text", [
    "mujhe koi nahi batata ke meeting kab hai",
    "ammi ko dawai time pe nahi milti, bohat pareshan hain",
    "shukriya aap ne bohat madad ki",
    "kya aap mujhe Urdu mein khat bhej sakte hain?",
    "social worker acha tha lekin meeting bohat lambi thi",
])
def test_roman_urdu_is_urdu_not_english(det, text):
    res = det.detect(text)
    assert res.language == "ur" and res.script == "latin"


@pytest.mark.parametrize("text", ["theek hai", "ok ji shukriya", "haan ji"])
def test_short_roman_urdu_is_never_confident_english(det, text):
    res = det.detect(text)
    assert not (res.language == "en" and res.confidence >= UNCERTAIN_BELOW)


@pytest.mark.parametrize("text,lang", [
    ("The social worker listened to me and I feel safer now.", "en"),
    ("Pracownik socjalny mnie wysłuchał i czuję się bezpieczniej.", "pl"),
    ("Asistentul social m-a ascultat și mă simt mai în siguranță.", "ro"),
    ("سوشل ورکر نے میری بات سنی اور اب میں محفوظ محسوس کرتی ہوں۔", "ur"),
    ("ਸੋਸ਼ਲ ਵਰਕਰ ਨੇ ਮੇਰੀ ਗੱਲ ਸੁਣੀ", "pa"),
    ("સોશિયલ વર્કરે મારી વાત સાંભળી", "gu"),
    ("সমাজকর্মী আমার কথা শুনেছেন", "bn"),
    ("استمعت الأخصائية الاجتماعية إلي وأشعر بأمان أكثر الآن", "ar"),
])
def test_each_served_language(det, text, lang):
    assert det.detect(text).language == lang


def test_english_is_confident_and_empty_is_undetermined(det):
    res = det.detect("Thank you for listening to my mum and asking what she wanted to happen.")
    assert res.language == "en" and res.confidence >= 0.8 and not res.uncertain
    assert det.detect("  123 !!").language == "und"


HELD_OUT = ("disclosure_blind6.jsonl", "disclosure_heldout_r9_sms.jsonl", "disclosure_heldout_r9_ar_bn_gu.jsonl")


def _held_out_rows(name):
    import json

    from text_paths import DATA

    with open(DATA / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.mark.parametrize("name, floor", [
    # Measured once when the files were added: 200/200, 0.945 (bare numbers and one-word texts), 0.957.
    ("disclosure_blind6.jsonl", 0.99), ("disclosure_heldout_r9_sms.jsonl", 0.94), ("disclosure_heldout_r9_ar_bn_gu.jsonl", 0.95),
])
def test_held_out_files_languages_and_every_mistake_is_marked_uncertain(det, name, floor):
    rows = _held_out_rows(name)
    results = [(r, det.detect(r["text"])) for r in rows]
    right = sum(res.language == r["language"] for r, res in results)
    assert right / len(rows) >= floor, (name, right)
    confident_mistakes = [r["id"] for r, res in results if res.language != r["language"] and not res.uncertain]
    assert confident_mistakes == []


def test_held_out_roman_urdu_is_never_confident_english(det):
    roman = [r for name in HELD_OUT for r in _held_out_rows(name)
             if r["language"] == "ur" and all(ord(c) < 0x250 for c in r["text"] if c.isalpha())]
    assert len(roman) >= 30
    for r in roman:
        res = det.detect(r["text"])
        assert res.language == "ur" or res.uncertain, r["id"]


@pytest.mark.parametrize("text", ["Nurse bad tameez", "bad tameez staff", "ganda room", "bekar service", "dawai",
                                  "bilkul ganda", "Khana bekar", "zulm"])
def test_short_roman_urdu_complaints_are_never_confident_english(text):
    result = LanguageDetector().detect(text)
    assert result.language == "ur" or result.uncertain, (text, result)


@pytest.mark.parametrize("text,language", [
    ("Marta the carer was lovely and kind.", "en"), ("Pani Marta była bardzo miła dla mamy.", "pl"),
    ("Intalnirea a fost marti dar nu a venit nimeni.", "ro"), ("They served garam masala with everything.", "en"),
])
def test_words_urdu_shares_with_the_other_languages_do_not_make_a_text_urdu(text, language):
    assert LanguageDetector().detect(text).language == language


def test_roman_urdu_naming_a_polish_carer_is_never_sure_polish():
    result = LanguageDetector().detect("carer Łucja ne mujhe maara")
    assert result.uncertain
