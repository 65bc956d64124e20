"""Disclosure check on wording it was not written against (disclosure-rules-2).

Files (service/text/data/):
- dev.jsonl                 the development set the first lexicons were tuned on;
- disclosure_blind.jsonl    blind file 1 (178 rows), written before rules-2; the baseline rules-1 scored
                            recall 0.74 / precision 0.77 on it; rules-2 was then widened with it;
- disclosure_blind2.jsonl   blind file 2 (85 rows), written after the rules-2 changes and measured
                            ONCE: recall 0.54 / precision 0.68 (rules only). It was then used to widen
                            the rules and to train the classifier tier, so today's score on it is not
                            an estimate any more: the floor asserted below is the honest figure;
- disclosure_blind3.jsonl   blind file 3 (60 rows), written after the classifier tier was added and
                            measured ONCE: recall 0.81 / precision 0.67 (rules + classifier). Used
                            since for a few rules only (never for training); the floor is that figure.
- disclosure_blind4.jsonl   blind file 4 (160 rows), written without sight of the rules or data: with
                            rules-2 + classifier-1 recall 0.86 / precision 0.63; then, with classifier-2
                            (trained on the training files below, threshold chosen on them alone, this
                            file never looked at row by row) recall 0.86 / precision 0.70. Never used for
                            training or rules; the floor is the first figure. (The training files were
                            written at the same time by other hands; a few rows paraphrase each other.)
- disclosure_blind5.jsonl   blind file 5 (200 rows, in dev's mix of channels, authors and languages),
                            measured ONCE with classifier-2: recall 0.95 / precision 0.68. Never used for
                            training or rules; the floor is that figure.
- disclosure_blind6.jsonl   blind file 6 (200 rows, in dev's mix), written by a helper who saw only dev,
                            measured ONCE with rules-3 + classifier-3 (faefae32c4de): recall 0.96 (77 of
                            80) / precision 0.75. Never used for training or rules; the floor is that figure.
- disclosure_heldout_r9_sms.jsonl, disclosure_heldout_r9_ar_bn_gu.jsonl  written for training (200 SMS
                            replies in eight languages; 210 Arabic, Bengali and Gujarati rows, three
                            quarters of their non-disclosures hard), measured ONCE with classifier-3
                            (faefae32c4de): 0.98 / 0.87 and 0.96 / 0.57. Retraining with them did not keep
                            0.95 recall out of fold (0.948), so they were kept out of training and serve as
                            held-out files; the floors are those figures.
- disclosure_blind7.jsonl   blind file 7 (180 Arabic, Bengali and Gujarati rows, 75 disclosures, most non-disclosures
                            hard), written in round 11 by a helper who saw only dev, measured ONCE with the
                            shipped check: recall 0.907 (68 of 75) / precision 0.515 -- short of the targets
                            in those languages. Never used for training or rules; the floors are those figures.
- disclosure_train_*.jsonl  1,200 rows written for training only (English, Roman Urdu and the seven
                            other languages). The rules were never widened on them, so the classifier's
                            threshold is set on them, out of fold.
"""

import json
from collections import Counter

import numpy as np
import pytest

from service.text import disclosure
from service.text.disclosure import CATEGORIES, check

from text_paths import DATA


# Blind files never trained on nor used to change the rules.
HELD_OUT = ("disclosure_blind3.jsonl", "disclosure_blind4.jsonl", "disclosure_blind5.jsonl", "disclosure_blind6.jsonl",
            "disclosure_heldout_r9_sms.jsonl", "disclosure_heldout_r9_ar_bn_gu.jsonl", "disclosure_blind7.jsonl")


def _rows(name):
    with open(DATA / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _score(rows):
    c = Counter()
    for r in rows:
        c[(check(r["text"]).flag, bool(r["disclosure"]))] += 1
    tp, fn, fp = c[(True, True)], c[(False, True)], c[(True, False)]
    return tp / max(1, tp + fn), tp / max(1, tp + fp)


@pytest.mark.parametrize("name", ["dev.jsonl", "disclosure_blind.jsonl"])
def test_recall_and_precision_on_dev_and_blind1(name):
    recall, precision = _score(_rows(name))
    assert recall >= 0.95, (name, recall)
    assert precision >= 0.60, (name, precision)


def test_blind2_floor_is_the_honest_once_measured_figure():
    recall, precision = _score(_rows("disclosure_blind2.jsonl"))
    assert recall >= 0.54, recall  # measured once, before any tuning on it
    assert precision >= 0.60, precision


def test_blind3_floor_is_the_honest_once_measured_figure():
    recall, precision = _score(_rows("disclosure_blind3.jsonl"))
    assert recall >= 0.81, recall  # measured once, before any tuning on it
    assert precision >= 0.60, precision


def test_blind4_floor_is_the_honest_once_measured_figure():
    recall, precision = _score(_rows("disclosure_blind4.jsonl"))
    assert recall >= 0.86, recall  # measured once, before anything was changed for it
    assert precision >= 0.60, precision


def test_blind5_floor_is_the_honest_once_measured_figure():
    recall, precision = _score(_rows("disclosure_blind5.jsonl"))
    assert recall >= 0.95, recall  # measured once, before anything was changed for it
    assert precision >= 0.60, precision


def test_blind6_floor_is_the_honest_once_measured_figure():
    recall, precision = _score(_rows("disclosure_blind6.jsonl"))
    assert recall >= 0.96, recall  # measured once, before anything was changed for it
    assert precision >= 0.60, precision


@pytest.mark.parametrize("name, recall_floor, precision_floor", [
    # Recall floors: measured once (0.978 and 0.958). Precision: the target, as for the blind files, except
    # where the file's three quarters of hard non-disclosures keep it under (0.572, measured once).
    ("disclosure_heldout_r9_sms.jsonl", 0.97, 0.60),
    ("disclosure_heldout_r9_ar_bn_gu.jsonl", 0.95, 0.57),
])
def test_round9_held_out_floors_are_the_once_measured_figures(name, recall_floor, precision_floor):
    recall, precision = _score(_rows(name))
    assert recall >= recall_floor, (name, recall)
    assert precision >= precision_floor, (name, precision)


def test_blind7_floor_is_the_honest_once_measured_figure():
    recall, precision = _score(_rows("disclosure_blind7.jsonl"))
    assert recall >= 0.90, recall      # measured once: 0.907 (68 of 75)
    assert precision >= 0.51, precision  # measured once: 0.515 (under the 0.60 target in these languages)


def test_training_files_are_well_formed_and_apart_from_the_blind_files():
    names = sorted(p.name for p in DATA.glob("disclosure_train_*.jsonl"))
    assert len(names) >= 4
    fields = {"id", "channel", "author", "language", "text", "text_en", "themes", "sentiment", "disclosure",
              "abuse_type", "note"}
    # Stock replies ("STOP", "thank you, all fine") are written alike by different hands; longer texts
    # must not be shared (blind file 6 shares two such short replies with training rows by chance).
    blind = {r["text"] for n in HELD_OUT for r in _rows(n) if len(r["text"]) > 40}
    ids = set()
    for name in names:
        for r in _rows(name):
            assert set(r) == fields, (name, r["id"])
            assert (r["abuse_type"] in CATEGORIES) if r["disclosure"] else r["abuse_type"] is None
            assert r["text"] not in blind, (name, r["id"])  # a blind file must stay unseen
            assert r["id"] not in ids
            ids.add(r["id"])


def test_blind_files_are_well_formed_and_cover_every_category_and_language():
    fields = {"id", "channel", "author", "language", "text", "text_en", "themes", "sentiment", "disclosure",
              "abuse_type", "note"}
    rows = _rows("disclosure_blind.jsonl")
    assert len(rows) >= 160
    for name in ("disclosure_blind.jsonl", "disclosure_blind2.jsonl", *HELD_OUT):
        for r in _rows(name):
            assert set(r) == fields, (name, r["id"])
            assert (r["abuse_type"] in CATEGORIES) if r["disclosure"] else r["abuse_type"] is None
    assert len(_rows("disclosure_blind2.jsonl")) >= 80
    assert {r["abuse_type"] for r in rows if r["disclosure"]} == set(CATEGORIES)
    assert {r["language"] for r in rows} == {"en", "ur", "pa", "gu", "pl", "ar", "bn", "ro"}
    share = sum(r["disclosure"] for r in rows) / len(rows)
    assert 0.40 <= share <= 0.50


def test_blind1_recall_per_language():
    rows = _rows("disclosure_blind.jsonl")
    for lang in {r["language"] for r in rows}:
        pos = [r for r in rows if r["language"] == lang and r["disclosure"]]
        assert sum(check(r["text"]).flag for r in pos) / len(pos) >= 0.9, lang


def test_evidence_is_always_words_of_the_original_text():
    for name in ("dev.jsonl", "disclosure_blind.jsonl", "disclosure_blind2.jsonl", *HELD_OUT):
        for r in _rows(name):
            res = check(r["text"])
            if res.flag:
                assert res.evidence, r["id"]
                assert all(e in r["text"] for e in res.evidence), (r["id"], res.evidence)
                assert res.category in CATEGORIES


@pytest.mark.parametrize("text", [
    "The carer who took money from mum was dismissed and the police returned it all. Mum is settled now.",
    "Back in 2019 a neighbour stole from me. It was dealt with at the time and I've had no problems since.",
    "I saw on the news about a care home where residents were abused. Glad ours is nothing like that.",
    "Alcohol abuse services were really helpful for my son; he's been sober six months.",
    "If anyone ever did hurt me I now know I can ring the number on the card.",
    "My grandson beat me at cards again, cheeky monkey.",
    "this queue is killing me lol",
])
def test_clear_non_disclosures_stay_unflagged(text):
    assert not check(text).flag


@pytest.mark.parametrize("text", [
    # resolution cue, but the harm goes on / a separate harm sentence is not covered
    "The carer who hit him was moved to days, but the night one still shoves him.",
    "He hit me again on Friday. The social worker said the case was dealt with.",
    "enquiry closed but son still hasnt paid back the money n now asking for more",
    # broad second-tier cues
    "cant do this anymore, got the tablets saved up",
    "they laugh at my wheelchair n call me a cripple in the lift, every day",
    "Nie chcę już żyć, myślę o tym, żeby się zabić.",
    "bhai ammi ki pension khud rakh leta hai aur unko ek paisa nahi deta",
])
def test_current_or_unresolved_harm_is_flagged(text):
    assert check(text).flag, text


def test_classifier_tier_is_shipped_and_adds_flags_with_evidence_from_the_text():
    model = disclosure._load_model()
    assert model is not None and 0.0 < model.threshold <= 0.9
    assert 0.0 < 1.0 / (1.0 + np.exp(-model.bias)) < 0.9  # the prior: a floor for the tier's flags
    text = "My client says her ex-partner's friend forced himself on her at a party last weekend."
    rules_only = disclosure._check_one(text)
    res = check(text)
    assert res.flag
    assert all(e in text for e in res.evidence)
    if not rules_only.flag:  # the tier found it
        assert res.category in CATEGORIES


def test_without_the_model_the_rules_still_work(monkeypatch):
    monkeypatch.setattr(disclosure, "_MODEL", False)
    assert check("My carer slapped me and took my bank card.").flag
    assert not check("Thank you, the staff are lovely.").flag


def test_classifier_tier_respects_figurative_and_resolved_text():
    assert not check("I could murder a pint after that meeting haha").flag
    assert not check("The man who was pestering Dad for money has been banned from the estate.").flag
