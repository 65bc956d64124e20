import csv
import io
import json

import pytest
from click.testing import CliRunner

from service.text.cli import themes
from service.text.convert import ConversionError, convert_v6, convert_v6_text

from text_paths import DATA

HEADER = ("Comment ID,Trust,FFT answer,Comment sentiment,Not assigned,Staff manner & personal attributes,"
          "Labelling not possible,Timeliness of care\n")


def test_drops_empty_and_not_possible_rows_and_maps_sentiment():
    csv_text = HEADER + (
        "a1,T,Lovely staff,1,,1,,\n"
        "a2,T,,2,,1,,\n"                       # empty text: dropped
        "a3,T,asdf,3,,,1,\n"                   # labelling not possible: dropped
        "a4,T,Waited hours,5,,,,1\n"
        "a5,T,Some good some bad,3,,1,,1\n"
        "a6,T,No sentiment given,,1,,,\n"
        "a7,T,Fine,2,,,,\n"
        "a8,T,Rude,4,,1,,\n"
    )
    items = convert_v6_text(csv_text)
    assert [i["id"] for i in items] == ["a1", "a4", "a5", "a6", "a7", "a8"]
    by_id = {i["id"]: i for i in items}
    assert by_id["a1"] == {"id": "a1", "text": "Lovely staff", "labels": ["Staff manner & personal attributes"],
                           "sentiment": "positive"}
    assert by_id["a4"]["sentiment"] == "negative" and by_id["a4"]["labels"] == ["Timeliness of care"]
    assert by_id["a5"]["sentiment"] == "neutral_mixed"
    assert by_id["a7"]["sentiment"] == "positive"
    assert by_id["a8"]["sentiment"] == "negative"
    assert "sentiment" not in by_id["a6"] and by_id["a6"]["labels"] == ["Not assigned"]
    assert all("Labelling not possible" not in i["labels"] for i in items)


def test_rejects_a_csv_that_is_not_v6():
    with pytest.raises(ConversionError):
        convert_v6_text("a,b\n1,2\n")


def test_real_file_counts():
    items = convert_v6(DATA / "v6framework_train.csv")
    assert len(items) == 4343  # 5,529 rows minus empty and "Labelling not possible"
    assert all(i["text"].strip() for i in items)
    assert {i.get("sentiment") for i in items} <= {"positive", "neutral_mixed", "negative", None}


def test_cli_convert_writes_jsonl(tmp_path):
    src = tmp_path / "v6.csv"
    src.write_text(HEADER + "a1,T,Lovely staff,1,,1,,\n", encoding="utf-8")
    result = CliRunner().invoke(themes, ["convert-v6", str(src)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert lines == [{"id": "a1", "text": "Lovely staff", "labels": ["Staff manner & personal attributes"],
                      "sentiment": "positive"}]


def test_column_order_and_number_formats_do_not_change_the_labels():
    moved = ("Comment sentiment,Comment ID,FFT categorical answer,Trust,FFT answer,Not assigned,"
             "Staff manner & personal attributes,Labelling not possible,Timeliness of care\n"
             "1.0,a1,Very good,T,Lovely staff,,1.0,,\n"          # values as pandas writes them
             "4,a2,Poor,T,Waited hours,,,0.0, 1 \n"
             "3,a3,Poor,T,asdf,,,1.0,\n")                        # labelling not possible: dropped
    items = convert_v6_text(moved)
    assert items == [
        {"id": "a1", "text": "Lovely staff", "labels": ["Staff manner & personal attributes"], "sentiment": "positive"},
        {"id": "a2", "text": "Waited hours", "labels": ["Timeliness of care"], "sentiment": "negative"},
    ]


def test_an_exported_index_or_an_id_column_is_not_a_label():
    exported = (",Comment ID,Question ID,FFT answer,Comment sentiment,Parking\n"
                "0,a1,Q1,Could not park,5,1\n"
                "1,a2,Q2,Lovely staff,1,\n")
    items = convert_v6_text(exported)
    assert [i["labels"] for i in items] == [["Parking"], []]


def test_a_stray_cell_in_a_label_column_is_reported_not_dropped():
    rows = "".join(f"a{n},T,Comment {n},2,,{n % 2},,\n" for n in range(20))
    with pytest.raises(ConversionError, match=r"row 5, 'Staff manner & personal attributes': 'y' is not 0, 1 or blank"):
        convert_v6_text(HEADER + rows.replace("a3,T,Comment 3,2,,1,,", "a3,T,Comment 3,2,,y,,"))


def test_bad_sentiment_and_ragged_rows_are_reported():
    with pytest.raises(ConversionError, match=r"row 2, 'Comment sentiment': '6' is not 1-5"):
        convert_v6_text(HEADER + "a1,T,Fine,6,,1,,\n")
    with pytest.raises(ConversionError, match=r"row 2: fewer cells than the header"):
        convert_v6_text(HEADER + "a1,T,Fine,2\n")


def test_convert_cli_names_what_it_cannot_read_or_write(tmp_path):
    latin1 = tmp_path / "excel.csv"
    latin1.write_bytes((HEADER + "a1,T,Café,2,,1,,\n").encode("latin-1"))
    result = CliRunner().invoke(themes, ["convert-v6", str(latin1)])
    assert result.exit_code == 1 and "is not UTF-8" in result.output and "CSV UTF-8" in result.output
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "a1,T,Fine,2,,1,,\n", encoding="utf-8")
    result = CliRunner().invoke(themes, ["convert-v6", str(good), "-o", str(tmp_path / "missing" / "out.jsonl")])
    assert result.exit_code == 1 and "cannot write" in result.output and "Traceback" not in result.output


def test_a_stray_mark_in_a_rare_label_is_reported_and_a_column_of_ticks_is_named(tmp_path):
    rows = "".join(f"a{n},T,Comment {n},2,,{1 if n < 3 else ''},,\n" for n in range(20))   # a label with 3 ones
    with pytest.raises(ConversionError, match=r"row 7, 'Staff manner & personal attributes': 'y'"):
        convert_v6_text(HEADER + rows.replace("a5,T,Comment 5,2,,,,", "a5,T,Comment 5,2,,y,,"))
    ticks = tmp_path / "ticks.csv"
    ticks.write_text(HEADER + "".join(f"a{n},T,Comment {n},2,,x,,\n" for n in range(5)), encoding="utf-8")
    result = CliRunner().invoke(themes, ["convert-v6", str(ticks)])
    assert result.exit_code == 0 and "columns left out (not 0/1 labels): Staff manner & personal attributes" in result.stderr


def test_a_notes_column_with_a_one_in_it_and_an_id_column_are_not_labels():
    header = "Question ID,Notes," + HEADER
    rows = "".join(f"1,{'1' if n == 3 else ('checked' if n % 5 == 0 else '')},a{n},T,Comment {n},2,,1,,\n" for n in range(20))
    items = convert_v6_text(header + rows)
    assert len(items) == 20 and all(item["labels"] == ["Staff manner & personal attributes"] for item in items)


def test_cli_convert_writes_utf8_whatever_the_consoles_encoding(tmp_path):
    src = tmp_path / "v6.csv"
    src.write_text(HEADER + "a1,T,Pielęgniarka była miła\u2028naprawdę,1,,1,,\n", encoding="utf-8")
    result = CliRunner(charset="latin-1").invoke(themes, ["convert-v6", str(src)])
    assert result.exit_code == 0, result.output
    out = result.stdout_bytes.decode("utf-8")
    assert [json.loads(x)["text"] for x in out.splitlines()] == ["Pielęgniarka była miła\u2028naprawdę"]
    result = CliRunner().invoke(themes, ["convert-v6", str(src), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.jsonl").read_bytes() == out.encode("utf-8")


def _v6_with(tmp_path, column, value):
    """The repo's v6 CSV with the first tick of `column` replaced by `value` (the row's line returned too)."""
    rows = list(csv.reader(open(DATA / "v6framework_train.csv", encoding="utf-8-sig", newline="")))
    j = rows[0].index(column)
    i = next(i for i, row in enumerate(rows) if i and row[j] == "1")
    rows[i][j] = value
    path = tmp_path / "v6.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path, i + 1


@pytest.mark.parametrize("value", ["2", "nan", "-1"])
def test_one_other_number_in_a_label_column_stops_with_the_row_named_not_the_label_dropped(tmp_path, value):
    # One "2" among the 755 ticks of "Timeliness of care" dropped the whole label, with exit 0.
    path, line = _v6_with(tmp_path, "Timeliness of care", value)
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(themes, ["convert-v6", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert f"row {line}, 'Timeliness of care': '{value}' is not 0, 1 or blank" in result.output
    assert not out.exists()


def test_a_label_column_written_by_pandas_with_nan_for_blanks_is_reported_not_left_out():
    rows = "".join(f"a{n},T,Comment {n},2,nan,{'1.0' if n == 3 else 'nan'},nan,nan\n" for n in range(20))
    with pytest.raises(ConversionError, match=r"row 2, 'Not assigned': 'nan' is not 0, 1 or blank"):
        convert_v6_text(HEADER + rows)


@pytest.mark.parametrize("mark", ["TRUE", "yes", "x", "Y", "2"])
def test_a_labelling_not_possible_mark_that_is_not_a_tick_is_reported(mark):
    # It was read as "not ticked": rows the labellers rejected were kept, with their labels.
    with pytest.raises(ConversionError, match=rf"row 2, 'Labelling not possible': '{mark}' is not 0, 1 or blank"):
        convert_v6_text(HEADER + f"a1,T,asdf,3,,1,{mark},\n" + "a2,T,Waited,4,,,,1\n")


def test_labelling_not_possible_reads_its_cells_as_the_label_columns_do():
    items = convert_v6_text(HEADER + "a1,T,asdf,3,,1, 1.0 ,\n" + "a2,T,Waited,4,,,0,1\n" + "a3,T,Slow,4,,,0.0,1\n")
    assert [i["id"] for i in items] == ["a2", "a3"]


def test_a_column_named_twice_is_an_error_naming_it():
    # The csv module kept the last copy: the first copy's ticks were lost, and the label came out twice.
    header = HEADER.rstrip("\n") + ",Parking,Parking\n"
    with pytest.raises(ConversionError, match=r"'Parking' \(columns 9, 10\)"):
        convert_v6_text(header + "a1,T,No spaces,4,,,,,1,0\n" + "a2,T,Fine,1,,,,,0,1\n")
    # Columns with no name (trailing commas) are still left out without a word.
    items = convert_v6_text(HEADER.rstrip("\n") + ",,\n" + "a1,T,Fine,1,,1,,,,\n")
    assert items[0]["labels"] == ["Staff manner & personal attributes"]


def test_the_real_file_converts_as_before():
    items = convert_v6(DATA / "v6framework_train.csv")
    assert len(items) == 4343
    assert sum("Timeliness of care" in i["labels"] for i in items) == 755
