"""What the `themes` commands do with input they cannot use as it stands: a misspelt labels key, a file that
is not UTF-8."""

import json

import pytest
from click.testing import CliRunner

from service.text import themes as T
from service.text.cli import themes as themes_cli
from service.text.pipeline import DEFAULT_MODEL_DIR


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


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
