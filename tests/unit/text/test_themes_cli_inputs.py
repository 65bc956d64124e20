"""What the `themes` commands do with input they cannot use as it stands: test labels the model never
learnt, a misspelt labels key, a file that is not UTF-8, a CSV cell longer than the csv module's default."""

import csv
import json

import pytest
from click.testing import CliRunner

from service.text import convert
from service.text import themes as T
from service.text.cli import themes as themes_cli
from service.text.pipeline import DEFAULT_MODEL_DIR

V6_HEADER = "Comment ID,Trust,FFT answer,Comment sentiment,Staff manner & personal attributes\n"


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _evaluate(test_file):
    return CliRunner().invoke(themes_cli, ["evaluate", "--model", str(DEFAULT_MODEL_DIR), "--test", str(test_file)])


# --------------------------------------------------------------------------- labels the model never learnt


def test_evaluate_stops_when_the_test_file_shares_no_label_with_the_model(tmp_path):
    v6 = _write_jsonl(tmp_path / "v6.jsonl", [
        {"text": "The staff were lovely", "labels": ["Staff manner & personal attributes"], "sentiment": "positive"},
        {"text": "I waited hours", "labels": ["Timeliness of care"], "sentiment": "negative"},
    ])
    result = _evaluate(v6)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("Error: ") and "share no label" in result.stderr
    assert "'Timeliness of care'" in result.stderr and "'accessible_communication'" in result.stderr
    assert result.stdout == ""


def test_evaluate_names_the_test_labels_the_model_never_learnt(tmp_path):
    mixed = _write_jsonl(tmp_path / "mixed.jsonl", [
        {"text": "The staff were rude to my mother", "labels": ["staff_attitude"], "sentiment": "negative"},
        {"text": "There is nowhere to park", "labels": ["parking"], "sentiment": "negative"},
    ])
    result = _evaluate(mixed)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["labels_unknown_to_model"] == ["parking"]
    assert "Warning: 1 of the test file's 2 labels are unknown to the model" in result.stderr
    assert "'parking'" in result.stderr
    # never predicted, so its precision is 0/0; it was missed, so recall and F1 are 0
    assert report["per_label"]["parking"] == {"precision": None, "recall": 0.0, "f1": 0.0, "support": 1,
                                              "train_count": 0}


def test_evaluate_in_the_models_labels_gives_no_warning(tmp_path):
    known = _write_jsonl(tmp_path / "known.jsonl", [
        {"text": "The staff were rude to my mother", "labels": ["staff_attitude"], "sentiment": "negative"},
    ])
    result = _evaluate(known)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["labels_unknown_to_model"] == []
    assert "Warning" not in result.stderr


def test_evaluate_gives_the_training_count_of_a_label_the_model_could_not_learn(tmp_path):
    # The model kept the counts of its learnt labels only: "rare" (2 rows) showed train_count 0 and was
    # called unknown to the model, and "everywhere" (on every row) fell out of the macro F1.
    rows = []
    for i in range(60):
        labels = ["everywhere"] + (["slow"] if i % 3 == 0 else []) + (["rare"] if i in (3, 6) else [])
        rows.append({"text": f"the wait was long {i}" if "slow" in labels else f"lovely kind staff {i}",
                     "labels": labels, "sentiment": ["positive", "neutral_mixed", "negative"][i % 3]})
    train = _write_jsonl(tmp_path / "train.jsonl", rows)
    test = _write_jsonl(tmp_path / "test.jsonl", [
        {"text": "the wait was long", "labels": ["slow", "rare", "everywhere", "parking"]},
        {"text": "lovely kind staff", "labels": ["everywhere"]},
    ])
    model_dir = tmp_path / "m"
    result = CliRunner().invoke(themes_cli, ["train", "--train", str(train), "--out", str(model_dir), "--no-tune"])
    assert result.exit_code == 0, result.output
    assert json.loads((model_dir / "model.json").read_text(encoding="utf-8"))["training_counts"] == {
        "everywhere": 60, "rare": 2, "slow": 20}
    result = CliRunner().invoke(themes_cli, ["evaluate", "--model", str(model_dir), "--test", str(test)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {lbl: v["train_count"] for lbl, v in report["per_label"].items()} == {
        "everywhere": 60, "parking": 0, "rare": 2, "slow": 20}
    assert report["macro_f1_labels"] == "labels with at least 10 training examples (2)"   # slow and everywhere
    assert report["labels_unknown_to_model"] == ["everywhere", "parking", "rare"]
    assert "1 of the test file's 4 labels are unknown to the model and can only count as misses: 'parking'" \
        in result.stderr
    assert "'everywhere' not learnt (60 training rows), 'rare' not learnt (2 training rows)" in result.stderr


def test_a_model_saved_without_the_training_counts_of_every_label_still_evaluates():
    # The shipped model predates them: its learnt labels' counts stand in.
    meta = json.loads((DEFAULT_MODEL_DIR / "model.json").read_text(encoding="utf-8"))
    assert "training_counts" not in meta
    model = T.ThemeModel.load(DEFAULT_MODEL_DIR)
    assert model.training_counts == meta["label_counts"]
    report = T.evaluate(model, [T.Example("The staff were rude to my mother", ("staff_attitude",))])
    assert report["per_label"]["staff_attitude"]["train_count"] == meta["label_counts"]["staff_attitude"]


def test_figures_that_are_zero_over_zero_are_null_not_zero():
    held = [T.Example("a", ("care",)), T.Example("b", ("food",))]
    report = T.score_predictions(held, [["care"], ["staff"]], [None, None],
                                 {"care": 20, "food": 20, "staff": 20, "parking": 20}, 10)
    per_label = report["per_label"]
    assert per_label["care"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1, "train_count": 20}
    assert per_label["food"]["precision"] is None and per_label["food"]["recall"] == 0.0   # never predicted
    assert per_label["staff"]["precision"] == 0.0 and per_label["staff"]["recall"] is None  # not in the test file
    assert per_label["food"]["f1"] == per_label["staff"]["f1"] == 0.0
    # in neither: the label the report lists as having no F1 has no precision or recall either
    assert report["labels_not_in_test_nor_predicted"] == ["parking"]
    assert per_label["parking"] == {"precision": None, "recall": None, "f1": None, "support": 0, "train_count": 20}
    assert report["macro_f1"] == round(1 / 3, 4)


def test_with_no_label_anywhere_the_averages_are_null():
    report = T.score_predictions([T.Example("a", (), "positive")], [[]], ["positive"], {}, 10)
    assert report["micro_f1"] is None and report["macro_f1"] is None
    assert report["macro_f1_all_labels_with_support"] is None
    assert report["sentiment_accuracy"] == 1.0


# --------------------------------------------------------------------------- the labels key


@pytest.mark.parametrize("key", ["label", "lables", "Labels"])
def test_a_misspelt_labels_key_is_an_error_naming_the_line(tmp_path, key):
    data = _write_jsonl(tmp_path / "train.jsonl", [
        {"text": "the food was cold", "labels": ["food"]},
        {"text": "the staff were kind", key: ["staff"]},
    ])
    with pytest.raises(T.TrainingDataError, match=r"train\.jsonl:2: each line needs 'labels' \(or 'themes'\)") as err:
        T.read_jsonl(data)
    assert repr(key) in str(err.value)   # the key it has instead


def test_labels_may_be_given_as_themes_or_as_an_empty_list(tmp_path):
    data = _write_jsonl(tmp_path / "train.jsonl", [
        {"text": "the food was cold", "themes": ["food"], "sentiment": "negative"},
        {"text": "fine", "labels": [], "sentiment": "positive"},
    ])
    assert T.read_jsonl(data) == [T.Example("the food was cold", ("food",), "negative"),
                                  T.Example("fine", (), "positive")]


def test_train_with_a_misspelt_labels_key_stops_with_an_error(tmp_path):
    data = _write_jsonl(tmp_path / "train.jsonl", [{"text": f"the food was cold {i}", "lables": ["food"]}
                                                   for i in range(5)])
    result = CliRunner().invoke(themes_cli, ["train", "--train", str(data), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Error: " in result.stderr and "train.jsonl:1" in result.stderr and "'lables'" in result.stderr


# --------------------------------------------------------------------------- files that are not UTF-8


@pytest.fixture
def latin1_file(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"text": "fine", "labels": ["staff_attitude"]}\n'
                     + '{"text": "caf\u00e9 was shut", "labels": ["food_drink"]}\n'.encode("latin-1"))
    return path


def test_a_file_that_is_not_utf8_is_an_error_naming_the_line(latin1_file):
    with pytest.raises(T.TrainingDataError, match=r"latin1\.jsonl:2: not valid UTF-8 \(byte 14 of the line\)"):
        T.read_jsonl(latin1_file)


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_train_and_evaluate_on_a_file_that_is_not_utf8_stop_with_an_error(latin1_file, tmp_path, command):
    args = (["train", "--train", str(latin1_file), "--out", str(tmp_path / "m")] if command == "train"
            else ["evaluate", "--model", str(DEFAULT_MODEL_DIR), "--test", str(latin1_file)])
    result = CliRunner().invoke(themes_cli, args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)   # not a traceback
    assert result.stderr.startswith("Error: ") and "latin1.jsonl:2: not valid UTF-8" in result.stderr


def test_line_ends_of_any_kind_and_a_byte_order_mark_still_read(tmp_path):
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "a", "labels": ["x"]}\r\n\r\n{"text": "b\xe2\x80\xa8c", "labels": []}\r\n')
    assert T.read_jsonl(path) == [T.Example("a", ("x",)), T.Example("b\u2028c", ())]


# --------------------------------------------------------------------------- long CSV cells


def test_convert_v6_reads_a_cell_longer_than_the_csv_modules_default(tmp_path):
    letter = "The care was good. " * 10_000          # 190,000 characters: over csv's default 131,072
    src = tmp_path / "v6.csv"
    src.write_text(V6_HEADER + f'a1,T,"{letter}",1,1\n', encoding="utf-8")
    limit_before = csv.field_size_limit()
    result = CliRunner().invoke(themes_cli, ["convert-v6", str(src)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0])["text"] == letter.strip()
    assert csv.field_size_limit() == limit_before    # the process-wide limit is put back


def test_convert_v6_names_the_row_with_a_cell_over_the_bound(tmp_path, monkeypatch):
    monkeypatch.setattr(convert, "MAX_CELL_CHARS", 1_000)
    src = tmp_path / "v6.csv"
    src.write_text(V6_HEADER + "a1,T,Short,1,1\n" + f'a2,T,"{"x" * 2_000}",1,1\n', encoding="utf-8")
    limit_before = csv.field_size_limit()
    result = CliRunner().invoke(themes_cli, ["convert-v6", str(src)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Error: row 3: a cell is longer than 1,000 characters" in result.stderr
    assert result.stdout == ""
    assert csv.field_size_limit() == limit_before


# --------------------------------------------------------------------------- lone surrogates; saving a model


def _rows(label="staff", broken_text_every=0):
    words = ["kind", "staff", "food", "cold", "waiting", "nurse", "money", "safe", "hot", "parking"]
    rows = []
    for i in range(40):
        text = " ".join(words[(i * k) % len(words)] for k in (1, 3, 7, 9)) + f" {i}"
        if broken_text_every and i % broken_text_every == 0:
            text += " \ud83d"                        # half of an emoji, as a JSON escape
        rows.append({"text": text, "labels": [label] if i % 2 else ["food"]})
    return rows


def _jsonl_with_escapes(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")   # ASCII: "\ud83d" stays an escape
    return path


@pytest.fixture
def trained_model_dir(tmp_path):
    out = tmp_path / "models" / "2026-q3"
    result = CliRunner().invoke(themes_cli, ["train", "--train", str(_jsonl_with_escapes(tmp_path / "ok.jsonl", _rows())),
                                             "--out", str(out), "--no-tune"])
    assert result.exit_code == 0, result.output
    (out / "NOTES.txt").write_text("trained on the 2026 Q3 labels", encoding="utf-8")
    return out


def test_a_label_with_a_lone_surrogate_is_an_error_and_the_model_there_is_kept(tmp_path, trained_model_dir):
    before = T.fingerprint(trained_model_dir)
    data = _jsonl_with_escapes(tmp_path / "bad.jsonl", _rows(label="\udc80staff"))
    result = CliRunner().invoke(themes_cli, ["train", "--train", str(data), "--out", str(trained_model_dir), "--no-tune"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "bad.jsonl:2: the label '\\udc80staff' holds a lone surrogate" in result.stderr
    assert T.ThemeModel.load(trained_model_dir).version.endswith(before)


def test_a_text_with_a_lone_surrogate_is_read_with_a_replacement_and_said_so(tmp_path, trained_model_dir):
    data = _jsonl_with_escapes(tmp_path / "half.jsonl", _rows(broken_text_every=3))
    result = CliRunner().invoke(themes_cli, ["train", "--train", str(data), "--out", str(trained_model_dir), "--no-tune"])
    assert result.exit_code == 0, result.output
    assert "14 text(s) in" in result.stderr and "read with U+FFFD in their place: line 1, 4, 7," in result.stderr
    model = T.ThemeModel.load(trained_model_dir)
    assert json.loads(result.stdout)["version"] == model.version
    assert (trained_model_dir / "NOTES.txt").read_text(encoding="utf-8") == "trained on the 2026 Q3 labels"
    assert sorted(p.name for p in trained_model_dir.parent.iterdir()) == ["2026-q3"]     # nothing left beside it


def test_a_save_that_fails_part_way_leaves_the_model_there_as_it_was(trained_model_dir):
    before = T.fingerprint(trained_model_dir)
    # Examples made in code are not read through example_from_obj: their half characters reach the files.
    model = T.train([T.Example(r["text"] + " \udc80x", tuple(r["labels"])) for r in _rows()], tune_thresholds=False)
    with pytest.raises(UnicodeEncodeError):
        model.save(trained_model_dir)
    assert T.ThemeModel.load(trained_model_dir).version.endswith(before)
    assert sorted(p.name for p in trained_model_dir.iterdir()) == ["NOTES.txt", *sorted(
        name for name in T.MODEL_FILES if name != "weights-sentiment.npz")]
    assert sorted(p.name for p in trained_model_dir.parent.iterdir()) == ["2026-q3"]


# --------------------------------------------------------------------------- sentiment of fewer than three kinds


def _two_kinds(i):
    return {"text": f"{'lovely kind staff' if i % 2 else 'rude slow staff'} {i}", "labels": ["staff"] if i % 3 else [],
            "sentiment": "positive" if i % 2 else "negative"}


def test_sentiment_is_learnt_from_the_two_kinds_a_file_has_and_said_so(tmp_path):
    # It was dropped without a word, and `analyse` then wrote "sentiment": null, outside the three kinds.
    train = _write_jsonl(tmp_path / "train.jsonl", [_two_kinds(i) for i in range(40)])
    model_dir = tmp_path / "m"
    result = CliRunner().invoke(themes_cli, ["train", "--train", str(train), "--out", str(model_dir), "--no-tune"])
    assert result.exit_code == 0, result.output
    assert ("sentiment learnt from positive 20, negative 20 rows only: the training file has no neutral_mixed "
            "rows, so the model never says neutral_mixed") in result.stderr
    assert json.loads(result.stdout)["sentiment"] is True
    assert json.loads((model_dir / "model.json").read_text(encoding="utf-8"))["sentiment_kinds"] == [
        "positive", "negative"]
    model = T.ThemeModel.load(model_dir)
    texts = ["lovely kind staff", "rude slow staff", "the food", ""]
    said = [model.predict_one(text)[1] for text in texts]
    assert said[:2] == ["positive", "negative"] and set(said) <= {"positive", "negative"}
    assert said == [p[1] for p in model.predict(texts)]
    test = _write_jsonl(tmp_path / "test.jsonl", [
        {"text": "lovely kind staff", "labels": ["staff"], "sentiment": "positive"},
        {"text": "staff were ok", "labels": ["staff"], "sentiment": "neutral_mixed"},   # a miss, never said
    ])
    report = json.loads(CliRunner().invoke(themes_cli, ["evaluate", "--model", str(model_dir),
                                                        "--test", str(test)]).stdout)
    assert report["sentiment_accuracy"] == 0.5 and report["sentiment_n"] == 2


def test_analyse_with_a_model_of_two_sentiment_kinds_writes_one_of_them(tmp_path):
    from service.text.cli import analyse

    train = _write_jsonl(tmp_path / "train.jsonl", [_two_kinds(i) for i in range(40)])
    model_dir = tmp_path / "m"
    assert CliRunner().invoke(themes_cli, ["train", "--train", str(train), "--out", str(model_dir),
                                           "--no-tune"]).exit_code == 0
    stdin = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(["Lovely kind staff", "Rude staff"]))
    result = CliRunner().invoke(analyse, ["--model", str(model_dir)], input=stdin)
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["sentiment"] for x in result.stdout.splitlines()] == ["positive", "negative"]


@pytest.mark.parametrize("kinds, found", [(["positive"], "positive 40"), ([None], "none")])
def test_train_says_why_it_learnt_no_sentiment(tmp_path, kinds, found):
    rows = [dict(_two_kinds(i), sentiment=kinds[i % len(kinds)]) for i in range(40)]
    train = _write_jsonl(tmp_path / "train.jsonl", rows)
    result = CliRunner().invoke(themes_cli, ["train", "--train", str(train), "--out", str(tmp_path / "m"), "--no-tune"])
    assert result.exit_code == 0, result.output
    assert (f"sentiment not learnt: it needs rows of at least two of positive, neutral_mixed, negative; the training "
            f"file has {found}") in result.stderr
    assert json.loads(result.stdout)["sentiment"] is False


def test_analyse_with_a_model_that_learnt_no_sentiment_writes_neutral_mixed(tmp_path):
    # A file with no sentiment (or one kind) gives a model with none: "sentiment" was null, outside the three.
    from service.text.cli import analyse

    rows = [{"text": f"{'lovely kind staff' if i % 2 else 'the food was cold'} {i}",
             "labels": ["staff"] if i % 2 else ["food"]} for i in range(40)]
    train = _write_jsonl(tmp_path / "train.jsonl", rows)
    model_dir = tmp_path / "m"
    assert CliRunner().invoke(themes_cli, ["train", "--train", str(train), "--out", str(model_dir),
                                           "--no-tune"]).exit_code == 0
    result = CliRunner().invoke(analyse, ["--model", str(model_dir)], input='{"id": 1, "text": "Lovely kind staff"}\n')
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sentiment"] == "neutral_mixed"
