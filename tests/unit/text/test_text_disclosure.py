import re
from collections import Counter

import pytest

from service.text.disclosure import CATEGORIES, check

from text_disclosure_cases import NEGATIVE, POSITIVE


def test_dev_set_recall_and_precision(dev_rows):
    c = Counter()
    for r in dev_rows:
        flag = check(r["text"]).flag
        c[(flag, bool(r["disclosure"]))] += 1
    recall = c[(True, True)] / (c[(True, True)] + c[(False, True)])
    precision = c[(True, True)] / (c[(True, True)] + c[(True, False)])
    assert recall >= 0.95 and precision >= 0.6


def test_dev_set_recall_per_language(dev_rows):
    for lang in {r["language"] for r in dev_rows}:
        pos = [r for r in dev_rows if r["language"] == lang and r["disclosure"]]
        assert all(check(r["text"]).flag for r in pos), lang


@pytest.mark.parametrize("text,category", POSITIVE)
def test_paraphrased_disclosures_are_flagged(text, category):
    res = check(text)
    assert res.flag, text
    assert res.category in CATEGORIES


def test_paraphrase_recall_and_category_agreement():
    results = [(check(t), c) for t, c in POSITIVE]
    assert sum(r.flag for r, _ in results) / len(results) >= 0.95
    assert sum(r.category == c for r, c in results) / len(results) >= 0.8


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_disclosure(text):
    assert not check(text).flag


def test_evidence_is_words_from_the_original_text():
    text = "My CARER Slapped me and took my Bank Card."
    res = check(text)
    assert res.flag and res.evidence
    assert all(e in text for e in res.evidence)
    assert any("Slapped" in e for e in res.evidence)


def test_resolved_past_harm_is_not_a_disclosure_but_ongoing_harm_is():
    assert not check("The carer who hit mum was sacked last year and she is happy again.").flag
    assert check("The carer who hit mum was sacked, but the new one still hits her.").flag


def test_translation_adds_cues_when_the_original_has_none():
    res = check("Ukrytý text bez podnětů", ("He hits me every day",))
    assert res.flag and res.category == "physical"
    assert res.evidence[0].startswith("(translation)")


def test_figurative_speech_is_not_a_disclosure():
    assert not check("if i have to fill in 1 more form il scream haha").flag
    assert not check("Mr H said he'd murder a pint with his Sunday lunch").flag


def test_empty_text():
    assert check("").flag is False


from text_disclosure_cases import MORE_NEGATIVE, MORE_POSITIVE  # noqa: E402


@pytest.mark.parametrize("text", MORE_POSITIVE)
def test_more_paraphrased_disclosures(text):
    assert check(text).flag


@pytest.mark.parametrize("text", MORE_NEGATIVE)
def test_more_non_disclosures(text):
    assert not check(text).flag


def test_general_hospital_feedback_is_rarely_flagged():
    from service.text.convert import convert_v6
    from service.text.evaluation import v6_negative_sample

    from text_paths import DATA

    items = convert_v6(DATA / "v6framework_train.csv")
    trained_on = set(v6_negative_sample(len(items)).tolist())
    unseen = [i for k, i in enumerate(items) if k not in trained_on]  # the classifier never saw these
    assert len(unseen) > 1000
    rate = sum(check(i["text"]).flag for i in unseen) / len(unseen)
    # Recall first: at the thresholds that find 0.95 of disclosures in new wording, about 6 % of
    # ordinary hospital comments it has not seen get flagged for a person to look at (README,
    # "Understanding the free text"). Many are complaints about care; the limit catches a classifier
    # that flags ordinary feedback wholesale.
    assert rate < 0.09


def test_a_disclosure_buried_in_warm_feedback_is_scored_on_its_own_passage():
    from service.text.disclosure import _load_model

    model = _load_model()
    warm = ("The social worker was lovely and the letters were clear. The meeting was at a good time "
            "and my daughter came with me. The new carers are kind and the food is good.")
    buried = warm + " My nephew still has my bank card and I never see my pension."
    whole, _, _ = model.score(buried)
    decided, per_word, feats = model.score_passages(buried)
    assert decided > whole  # the worrying passage lifts the score the tier decides on
    assert model.score_passages(warm)[0] < decided
    tail = buried.index("My nephew")
    assert per_word and all(start >= tail for start, _, _ in per_word)  # evidence comes from that passage
    assert set(model.evidence(buried, per_word, feats)) <= set(re.findall(r"\w+", buried[tail:]))


def test_the_decided_score_is_the_mean_of_the_whole_text_and_its_best_passage():
    import numpy as np

    from service.text.disclosure import _load_model, passages

    model = _load_model()
    text = "Thank you for the visit. The carer shouts at me when I ask for the toilet. The food is nice."
    spans = passages(text)
    assert [text[s:e].strip() for s, e in spans] == [
        "Thank you for the visit.", "The carer shouts at me when I ask for the toilet.", "The food is nice."]
    _, per_word, _ = model.score(text)
    windows = spans + [(spans[i][0], spans[i + 1][1]) for i in range(len(spans) - 1)]
    best = model.score(text)[0]
    for s, e in windows:  # worked out here from the per-word features, independently of score_passages
        ids = sorted({i for start, _, f in per_word if s <= start < e for i in f})
        best = max(best, 1 / (1 + np.exp(-(model.bias + model._w(ids).sum() / np.sqrt(len(ids))))))
    assert model.score_passages(text)[0] == pytest.approx((model.score(text)[0] + best) / 2)
    single = "He keeps my passport and says I owe him for the room."
    assert model.score_passages(single)[0] == pytest.approx(model.score(single)[0])
    for empty in ("", "   ", "...", "!!!"):
        assert model.score_passages(empty)[0] == 0.0


def test_passages_end_at_the_stops_of_every_script_we_serve():
    from service.text.disclosure import passages

    for text, n in [("هل هذا صحيح؟ هو يأخذ مالي", 2), ("وہ مجھے مارتا ہے۔ کھانا اچھا ہے۔", 2),
                    ("ਉਹ ਮੈਨੂੰ ਮਾਰਦਾ ਹੈ। ਖਾਣਾ ਠੀਕ ਹੈ।", 2), ("I don't know… he took my card", 2),
                    ("one line\nanother line", 2), ("no stop at all", 1)]:
        assert len(passages(text)) == n, text


def test_a_news_sentence_ended_by_an_arabic_question_mark_does_not_hide_the_next_one():
    # "I watched a TV programme about abuse in care homes? The night nurse hits me": the media
    # sentence is set aside, the next one is the rules' own finding (the exact word, not the
    # classifier's evidence), because the rules split sentences at ؟ too.
    text = "شاهدت برنامجا في التلفزيون عن الإساءة في دور الرعاية؟ الممرض الليلي يضربني"
    from service.text.disclosure import _check_one

    result = _check_one(text)
    assert result.flag and result.evidence == ["يضرب"]
    assert check(text).evidence == ["يضرب"]


def test_evidence_is_taken_from_the_right_words_after_a_turkish_capital_i():
    from service.text.disclosure import _load_model

    model = _load_model()
    text = "İİİİİİİİİİ Mehmet said: my son takes my pension and I never see my money."
    p, per_word, feats = model.score_passages(text)
    for start, end, _ in per_word:
        assert re.fullmatch(r"\w+", text[start:end]), text[start:end]
    assert set(model.evidence(text, per_word, feats)) <= set(re.findall(r"\w+", text))


def test_the_script_of_a_text_is_the_script_most_of_its_letters_are_in():
    from service.text.disclosure import script_of

    assert script_of("my son takes my pension") == "latin"
    assert script_of("mera beta meri pension le leta hai") == "latin"  # Roman Urdu
    assert script_of("Opiekun zabrał babci pieniądze z konta.") == "latin"
    assert script_of("আমার ছেলে আমার pension নিয়ে যায়") == "bengali"  # English words inside do not count
    assert script_of("મારો દીકરો મારા પૈસા લઈ જાય છે") == "gujarati"
    assert script_of("ਮੇਰਾ ਪੁੱਤ ਮੇਰੀ ਪੈਨਸ਼ਨ ਲੈ ਲੈਂਦਾ ਹੈ، ਹਾਂ") == "gurmukhi"  # one Arabic comma
    assert script_of("میرا بیٹا میری پنشن care home لے لیتا ہے") == "arabic"
    assert script_of("\ufeffmy son hits me") == "latin"  # a byte-order mark is not Arabic
    assert script_of("मेरा बेटा मेरी pension ले लेता है") == "other"  # Devanagari: no threshold of its own
    assert script_of("Мой сын забирает пенсию") == "other"
    assert script_of("4") == "other"


def test_the_tier_flags_against_the_threshold_of_the_texts_script(monkeypatch):
    from service.text import disclosure as D

    model = D._load_model()
    text = "day centre-এর staff আমার কথা নিয়ে হাসে। বলে ইংরেজি বলো। আমাকে খেলায় নেয় না।"  # a training row
    assert D.script_of(text) == "bengali"
    p = model.score_passages(text)[0]
    assert p > model.base_score  # its words point to harm
    assert not D._check_one(text).flag  # so only the tier can flag it

    def with_thresholds(bengali: float, overall: float):
        m = D._Model(model.index, model.weights, model.bias, overall, "t", {"bengali": bengali})
        monkeypatch.setattr(D, "_MODEL", m)
        return D.check(text).flag

    assert with_thresholds(bengali=p - 0.01, overall=p + 0.01)
    assert not with_thresholds(bengali=p + 0.01, overall=p - 0.01)


def test_a_detected_language_can_lower_its_scripts_threshold_but_never_raise_it(monkeypatch):
    from service.text import disclosure as D

    model = D._load_model()
    text = "Fiul meu mă strânge tare de braț. Doare. Nu vreau să-l supăr."  # a Romanian training row
    p = model.score_passages(text)[0]
    assert not D._check_one(text).flag and model.words_point_to_harm(p)

    def flagged(latin: float, romanian: float, language: str | None) -> bool:
        m = D._Model(model.index, model.weights, model.bias, 0.5, "t", {"latin": latin}, {"ro:latin": romanian})
        monkeypatch.setattr(D, "_MODEL", m)
        return D.check(text, language=language).flag

    assert flagged(latin=p + 0.01, romanian=p - 0.01, language="ro")       # lowered for Romanian
    assert not flagged(latin=p + 0.01, romanian=p - 0.01, language="en")   # not for another language
    assert not flagged(latin=p + 0.01, romanian=p - 0.01, language=None)   # nor when none was detected
    assert flagged(latin=p - 0.01, romanian=p + 0.01, language="ro")       # never raised


def test_thresholds_are_chosen_per_script_at_the_base_score_floor_and_say_whether_they_reach():
    import numpy as np

    from service.text.evaluation import _rates, choose_thresholds

    rng = np.random.default_rng(1)
    n = 400
    scripts = np.asarray(["latin"] * 200 + ["bengali"] * 150 + ["gurmukhi"] * 50)
    y = rng.integers(0, 2, n)
    # Latin disclosures score high; Bengali ones are spread out, a fifth of them below the floor
    oof = np.where(y == 1, rng.uniform(0.55, 0.95, n), rng.uniform(0.0, 0.6, n))
    bengali = scripts == "bengali"
    oof[bengali & (y == 1)] = rng.uniform(0.0, 0.9, int((bengali & (y == 1)).sum()))
    cand = np.ones(n, dtype=bool)
    rules = np.zeros(n, dtype=bool)
    fresh = np.ones(n, dtype=bool)
    choice = choose_thresholds(oof, cand, rules, y, fresh, scripts, base_score=0.2, target_recall=0.95,
                               min_disclosures=30)
    assert set(choice.by_script) == {"latin", "bengali"}  # gurmukhi has too few disclosures
    assert all(t >= 0.2 for t in [choice.overall, *choice.by_script.values()])
    assert choice.by_script["latin"] > choice.by_script["bengali"]
    for script, t in choice.by_script.items():
        where = scripts == script
        recall = _rates(rules | (cand & (oof >= t)), y, where)[0]
        assert choice.reached[script] == (recall >= 0.95)  # at exactly the threshold it will run at
    assert choice.reached["latin"] and not choice.reached["bengali"]
    # out of reach: the highest threshold that finds as many as the floor (the base score) does
    floor_recall = _rates(rules | (cand & (oof >= 0.2)), y, bengali)[0]
    t = choice.by_script["bengali"]
    assert _rates(rules | (cand & (oof >= t)), y, bengali)[0] == floor_recall
    assert _rates(rules | (cand & (oof >= t + 0.025)), y, bengali)[0] < floor_recall
    assert choice.row_thresholds(np.asarray(["gurmukhi"]))[0] == choice.overall


def test_a_language_gets_its_own_threshold_only_below_its_scripts():
    import numpy as np

    from service.text.evaluation import _rates, choose_thresholds

    rng = np.random.default_rng(2)
    n = 600
    scripts = np.asarray(["latin"] * n)
    languages = np.asarray(["en"] * 400 + ["ro"] * 120 + ["pl"] * 80)
    y = rng.integers(0, 2, n)
    oof = np.where(y == 1, rng.uniform(0.6, 0.95, n), rng.uniform(0.0, 0.65, n))
    ro = languages == "ro"
    oof[ro & (y == 1)] = rng.uniform(0.3, 0.9, int((ro & (y == 1)).sum()))   # known less well
    pl = languages == "pl"
    oof[pl & (y == 1)] = rng.uniform(0.85, 0.95, int((pl & (y == 1)).sum()))  # known better
    cand, rules, fresh = np.ones(n, dtype=bool), np.zeros(n, dtype=bool), np.ones(n, dtype=bool)
    without = choose_thresholds(oof, cand, rules, y, fresh, scripts, 0.1, 0.95, min_disclosures=30)
    choice = choose_thresholds(oof, cand, rules, y, fresh, scripts, 0.1, 0.95, min_disclosures=30,
                               languages=languages)
    assert choice.by_script == without.by_script and without.by_language == {}
    assert set(choice.by_language) == {"ro:latin"}          # Polish would have been raised: never
    assert choice.by_language["ro:latin"] < choice.by_script["latin"]
    thresholds = choice.row_thresholds(scripts, languages)
    assert thresholds[ro].max() == choice.by_language["ro:latin"] and thresholds[~ro].min() == choice.by_script["latin"]
    flag = rules | (cand & (oof >= thresholds))
    assert _rates(flag, y, ro)[0] >= 0.95
    assert _rates(rules | (cand & (oof >= choice.by_script["latin"])), y, ro)[0] < 0.95   # the script's alone misses
    assert choice.reached["latin"] == (_rates(flag, y, fresh)[0] >= 0.95)


def test_the_shipped_model_reports_its_figures_at_the_thresholds_it_runs_with():
    import json

    from service.text.disclosure import MODEL_DIR

    meta = json.loads((MODEL_DIR / "model.json").read_text(encoding="utf-8"))
    chosen = meta["at_threshold"]
    assert {s: round(t, 4) for s, t in chosen["thresholds_by_script"].items()} == meta["thresholds_by_script"]
    assert round(chosen["threshold_other_scripts"], 4) == meta["threshold"]
    assert {g: round(t, 4) for g, t in chosen["thresholds_by_language"].items()} == meta["thresholds_by_language"]
    for group, t in meta["thresholds_by_language"].items():
        assert t < meta["thresholds_by_script"].get(group.split(":")[1], meta["threshold"])
    assert meta["target_reached"] == all(meta["target_reached_by_script"].values())


@pytest.mark.parametrize("text", ["Dad was dropped off at the day centre at ten.", "Thank you people at the day centre.",
                                  "The staff are used to the heat in the kitchen.", "The end of her life was peaceful."])
def test_round_11_cues_keep_to_their_sense(text):
    """The cues added for third-person wording ("been dropped", "you people", "end her life") leave these
    alone (the lexicons alone: the classifier tier has its own false alarms on short texts)."""
    from service.text.disclosure import check_rules

    assert not check_rules(text).flag


def test_harm_told_in_the_third_person_is_found():
    """260 sentences written in round 11 by a writer who saw no code (relatives, advocates, neighbours, meeting
    notes, staff reports; 100 hard non-disclosures). Scored once before any change: recall 0.931, precision
    0.760. Cues were then added for what it missed, so these floors guard against losing them."""
    import json
    from pathlib import Path

    from service.text.pipeline import check_for_harm_alone

    rows = [json.loads(line) for line in (Path(__file__).parent / "third_person_cases.jsonl").read_text(encoding="utf-8").splitlines()]
    found = [check_for_harm_alone(row["text"]).flag for row in rows]
    tp = sum(f and r["disclosure"] for f, r in zip(found, rows))
    fp = sum(f and not r["disclosure"] for f, r in zip(found, rows))
    disclosures = sum(r["disclosure"] for r in rows)
    assert (len(rows), disclosures) == (260, 160)
    assert tp / disclosures >= 0.95 and tp / (tp + fp) >= 0.70, (tp, fp)


@pytest.mark.parametrize("text", ["আপনাকে ধন্যবাদ", "আপনাদের অনেক শুকরিয়া 🙏", "Thank you so much!!", "ખૂબ ખૂબ આભાર",
                                  "شکریہ جی", "dziękuję bardzo", "ok shukriya x"])
def test_thanks_alone_is_never_a_disclosure(text):
    # The classifier flagged Bengali "thank you" as abuse: a reply to the SMS closing text raised a duty alert.
    assert not check(text, language="bn" if "\u0980" <= text[0] <= "\u09ff" else None).flag


@pytest.mark.parametrize("text", ["thanks, my son hits me", "ধন্যবাদ, আমার ছেলে আমাকে মারে", "thank you for nothing, I am still scared",
                                  "thanks x help"])
def test_thanks_beside_other_words_is_read_as_before(text):
    from service.text.disclosure import only_pleasantries

    assert not only_pleasantries(text)


@pytest.mark.parametrize("text", ["you take a lot", "take", "take care of her", "they take all"])
def test_content_words_are_not_thanks(text):
    # "take care" is a goodbye, but "take" is not thanks: "you take a lot" reached the classifier before the list.
    from service.text.disclosure import only_pleasantries

    assert not only_pleasantries(text)


@pytest.mark.parametrize("goodbye", ["Take care", "Take care!", "take care x", "ok take care", "bye take care",
                                     "Take care, bye", "you take care"])
def test_a_goodbye_is_not_read_as_a_disclosure(goodbye):
    """A goodbye is not a disclosure: "take care" is one as a phrase, though "take" and "care" alone are no thanks."""
    from service.text.pipeline import check_for_harm_alone

    assert not check_for_harm_alone(goodbye).flag
