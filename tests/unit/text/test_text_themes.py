import json
import random

import numpy as np
import pytest
from click.testing import CliRunner

from service.text import themes as T
from service.text.cli import themes as themes_cli
from service.text.convert import convert_v6

from text_paths import DATA


@pytest.fixture(scope="module")
def sample():
    items = convert_v6(DATA / "v6framework_train.csv")
    random.Random(3).shuffle(items)
    return [T.example_from_obj(i) for i in items[:900]]


@pytest.fixture(scope="module")
def small_model(sample):
    # 3 inner folds instead of 5 keeps the test quick; the code path is the same
    return T.train(sample[:700], T.TrainSettings(folds=3), name="unit")


def test_trains_only_labels_with_enough_examples(small_model, sample):
    counts = {}
    for e in sample[:700]:
        for lbl in e.labels:
            counts[lbl] = counts.get(lbl, 0) + 1
    assert set(small_model.labels) == {k for k, v in counts.items() if v >= T.MIN_POSITIVES}
    assert small_model.has_sentiment
    assert np.all((small_model.thresholds > 0) & (small_model.thresholds < 1))


def test_learns_something_on_held_out_rows(small_model, sample):
    report = T.evaluate(small_model, sample[700:])
    # a model this small is weak, but far better than chance on the big labels
    assert report["micro_f1"] > 0.45
    assert report["sentiment_accuracy"] > 0.6
    staff = report["per_label"]["Staff manner & personal attributes"]
    assert staff["f1"] > 0.5 and staff["support"] > 0


def test_save_load_round_trip_gives_same_predictions(small_model, sample, tmp_path):
    small_model.save(tmp_path / "m")
    loaded = T.ThemeModel.load(tmp_path / "m")
    texts = [e.text for e in sample[700:760]]
    p1, s1 = small_model.scores(texts)
    p2, s2 = loaded.scores(texts)
    assert np.allclose(p1, p2, atol=0.03)  # weights are stored as int8 with a per-row scale
    assert [p[1] for p in small_model.predict(texts)] == [p[1] for p in loaded.predict(texts)] or (
        np.mean([a == b for a, b in zip(s1.argmax(1), s2.argmax(1))]) > 0.95)
    assert loaded.version.startswith("unit@") and len(loaded.version) == len("unit@") + 12
    # no pickles: every file is JSON or NPZ readable without allow_pickle
    for f in (tmp_path / "m").iterdir():
        assert f.suffix in {".json", ".npz"}


def test_version_changes_when_model_changes(small_model, sample, tmp_path):
    small_model.save(tmp_path / "a")
    other = T.train(sample[:300], name="unit", tune_thresholds=False)
    other.save(tmp_path / "b")
    assert T.ThemeModel.load(tmp_path / "a").version != T.ThemeModel.load(tmp_path / "b").version


def test_metrics_are_computed_correctly():
    ex = [T.Example("a", ("x",), "positive"), T.Example("b", ("x", "y"), "negative"), T.Example("c", (), "negative")]
    rep = T.score_predictions(ex, [["x"], ["y"], ["x"]], ["positive", "positive", "negative"], {"x": 20, "y": 5})
    assert rep["per_label"]["x"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2, "train_count": 20}
    assert rep["per_label"]["y"]["f1"] == 1.0
    assert rep["micro_f1"] == round(2 * 2 / (2 * 2 + 1 + 1), 4)
    assert rep["macro_f1"] == 0.5  # only "x" has 10+ training examples
    assert rep["sentiment_accuracy"] == round(2 / 3, 4)


def test_bad_training_data_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok", "labels": ["a"]}\n{"labels": ["a"]}\n', encoding="utf-8")
    with pytest.raises(T.TrainingDataError, match="bad.jsonl:2"):
        T.read_jsonl(bad)
    bad.write_text('{"text": "ok", "labels": [], "sentiment": "great"}\n', encoding="utf-8")
    with pytest.raises(T.TrainingDataError, match="sentiment"):
        T.read_jsonl(bad)


def test_loading_a_broken_model_dir_is_a_clear_error(tmp_path):
    with pytest.raises(T.ModelError, match="missing"):
        T.ThemeModel.load(tmp_path)


def test_cli_train_and_evaluate(sample, tmp_path):
    train = tmp_path / "train.jsonl"
    test = tmp_path / "test.jsonl"
    for path, rows in ((train, sample[:400]), (test, sample[700:800])):
        path.write_text("".join(json.dumps({"text": e.text, "labels": list(e.labels),
                                            **({"sentiment": e.sentiment} if e.sentiment else {})}) + "\n"
                                for e in rows), encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(themes_cli, ["train", "--train", str(train), "--out", str(tmp_path / "model"), "--no-tune"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(themes_cli, ["evaluate", "--model", str(tmp_path / "model"), "--test", str(test)])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert {"micro_f1", "macro_f1", "per_label", "sentiment_accuracy"} <= set(report)
    some = next(iter(report["per_label"].values()))
    assert set(some) >= {"precision", "recall", "f1", "support"}
    r = runner.invoke(themes_cli, ["evaluate", "--model", str(tmp_path), "--test", str(test)])
    assert r.exit_code != 0 and "missing" in r.output


def test_shipped_model_is_small_plain_data_and_uses_the_service_taxonomy():
    d = DATA.parent / "models" / "default"
    sizes = {p.name: p.stat().st_size for p in d.iterdir()}
    assert all(s < 5_000_000 for s in sizes.values()), sizes
    assert sum(sizes.values()) < 25_000_000
    meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
    taxonomy = {"listened_to", "asked_outcomes", "in_control", "kept_informed", "feeling_safe", "risk_choices",
                "ending_support", "advocacy", "dignity_respect", "staff_attitude", "timeliness",
                "accessible_communication", "family_carers", "care_quality", "medication", "food_drink",
                "activities", "environment", "staffing", "complaints", "outcome", "gratitude"}
    assert set(meta["labels"]) <= taxonomy and len(meta["labels"]) >= 18
    assert meta["has_sentiment"]


def test_mapping_table_targets_are_service_themes():
    mapping = json.loads((DATA / "v6_to_service_themes.json").read_text(encoding="utf-8"))
    mapping.pop("_comment")
    import csv

    with open(DATA / "v6framework_train.csv", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert set(mapping) <= set(header)
    meta = json.loads((DATA.parent / "models" / "default" / "model.json").read_text(encoding="utf-8"))
    assert {t for ts in mapping.values() for t in ts} <= set(meta["labels"])


def test_training_without_sentiment_and_with_any_label_set(tmp_path):
    ex = [T.Example(f"the food was {w} today", ("food",)) for w in ("cold", "late", "bland", "nice", "hot")] + [
        T.Example(f"the staff were {w}", ("staff",)) for w in ("kind", "rude", "busy", "lovely", "great")]
    model = T.train(ex, tune_thresholds=False)
    assert model.labels == ["food", "staff"] and not model.has_sentiment
    model.save(tmp_path / "m")
    loaded = T.ThemeModel.load(tmp_path / "m")
    labels, sentiment, _ = loaded.predict_one("the food was cold")
    assert "food" in labels and sentiment is None
    assert T.evaluate(loaded, ex)["sentiment_accuracy"] is None


def test_fast_single_text_path_matches_scikit_learn():
    model = T.ThemeModel.load(DATA.parent / "models" / "default")
    for text in ["", "  Hello   World!! ", "ÉCOLE naïve café", "Staff were kind but the food was cold.",
                 "میرا بیٹا مجھے مارتا ہے", "a"]:
        dense = model.features.transform([text]).toarray()[0]
        idx, val = model.features.transform_one(text)
        fast = np.zeros_like(dense)
        fast[idx] = val
        assert np.allclose(dense, fast, atol=1e-6), text
        assert model.predict([text])[0] == model.predict_one(text)


def test_macro_f1_leaves_out_labels_neither_in_the_test_file_nor_predicted():
    held = [T.Example("a", ("care",), None), T.Example("b", ("food",), None)]
    report = T.score_predictions(held, [["care"], ["staff"]], [None, None],
                                 {"care": 20, "food": 20, "staff": 20, "parking": 20}, 10)
    # care 1.0; food missed (0); staff predicted wrongly (0); parking: nowhere, so no F1 at all.
    assert report["labels_not_in_test_nor_predicted"] == ["parking"]
    assert report["macro_f1"] == round((1.0 + 0.0 + 0.0) / 3, 4)
    assert "(3)" in report["macro_f1_labels"]


def test_training_on_too_little_or_one_sided_data_is_a_clear_error(tmp_path):
    with pytest.raises(T.TrainingDataError, match="nothing to learn"):
        T.train([T.Example("a b", ("x",)), T.Example("c d", ("x",))])
    every_row = [T.Example(f"the food was cold on day {i}", ("food",)) for i in range(30)]
    with pytest.raises(T.TrainingDataError, match="some without it"):
        T.train(every_row)
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b'\xef\xbb\xbf{"text": "ok", "labels": ["a"]}\n')
    assert T.read_jsonl(bom) == [T.Example("ok", ("a",))]
    notes = []
    mixed = every_row[:20] + [T.Example(f"the lift is broken on floor {i}", ("lift",)) for i in range(10)]
    mixed.append(T.Example("parking was hard", ("parking",)))
    model = T.train(mixed, tune_thresholds=False, log=notes.append)
    assert sorted(model.labels) == ["food", "lift"]
    assert any("not learnt" in n and "parking" in n for n in notes)


def test_evaluate_on_an_empty_file_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    from service.text.pipeline import DEFAULT_MODEL_DIR

    result = CliRunner().invoke(themes_cli, ["evaluate", "--model", str(DEFAULT_MODEL_DIR), "--test", str(empty)])
    assert result.exit_code != 0 and "no test examples" in result.output


def test_the_most_frequent_terms_are_kept_and_ties_broken_by_the_term_itself():
    params = dict(analyzer="word", ngram_range=(1, 1), min_df=1, lowercase=True, token_pattern=r"(?u)\b\w+\b",
                  max_features=3, dtype=np.float32)
    texts = ["zebra delta", "zebra beta", "alpha gamma", "delta omega"]      # zebra 2, delta 2, then ties at 1
    vectorizer = T._fit_vectorizer(params, texts)
    assert sorted(vectorizer.vocabulary_) == ["alpha", "delta", "zebra"]
    assert sorted(T._fit_vectorizer(params, list(reversed(texts))).vocabulary_) == ["alpha", "delta", "zebra"]


def test_the_version_names_the_model_files_only(tmp_path):
    import json
    import shutil

    from service.text.pipeline import DEFAULT_MODEL_DIR
    from service.text.themes import ModelError, ThemeModel, fingerprint

    copy = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, copy)
    before = fingerprint(copy)
    (copy / "notes.txt").write_text("trained on the Q3 export", encoding="utf-8")
    (copy / ".DS_Store").write_bytes(b"\0")
    assert fingerprint(copy) == before == fingerprint(DEFAULT_MODEL_DIR)
    meta = json.loads((copy / "model.json").read_text(encoding="utf-8"))
    meta["label_counts"] = {}
    (copy / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    assert fingerprint(copy) != before
    del meta["word_params"]
    (copy / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="not a valid theme model"):
        ThemeModel.load(copy)


def test_train_says_at_once_when_it_cannot_write_the_model(tmp_path):
    train = tmp_path / "train.jsonl"
    train.write_text(json.dumps({"text": "x", "labels": ["a"]}) + "\n", encoding="utf-8")
    blocker = tmp_path / "afile"
    blocker.write_text("", encoding="utf-8")
    result = CliRunner().invoke(themes_cli, ["train", "--train", str(train), "--out", str(blocker / "sub")])
    assert result.exit_code == 1 and "cannot write the model" in result.output and result.exception.__class__ is SystemExit


def test_the_shipped_model_on_short_comments_it_never_saw():
    """Round 10's held-out short comments (160, by a writer who saw no code and no other file): the figures
    measured once when the model was adopted are floors (themes micro F1 0.68, sentiment 0.71)."""
    from service.text.pipeline import DEFAULT_MODEL_DIR

    rows = [json.loads(line) for line in (DATA / "themes_heldout_r10_short.jsonl").open(encoding="utf-8")]
    examples = [T.Example(r["text_en"], tuple(r["themes"]), r["sentiment"]) for r in rows]
    report = T.evaluate(T.ThemeModel.load(DEFAULT_MODEL_DIR), examples, 10)
    assert report["micro_f1"] >= 0.67 and report["sentiment_accuracy"] >= 0.70, report
