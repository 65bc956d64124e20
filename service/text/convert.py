"""Convert the pxtextmining v6 framework CSV into the training JSON-lines format.

One output object per usable row::

    {"id": "...", "text": "...", "labels": ["..."], "sentiment": "negative"}

Rows with empty text, or with ``Labelling not possible`` = 1, are dropped. Sentiment 1-2 becomes
``positive``, 3 ``neutral_mixed``, 4-5 ``negative``; a blank sentiment is left out of the object
(the field is optional in the training format).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from .jsonl import json_line

TEXT_COLUMN = "FFT answer"
ID_COLUMN = "Comment ID"
SENTIMENT_COLUMN = "Comment sentiment"
NOT_POSSIBLE_COLUMN = "Labelling not possible"
# The v6 file's columns that describe a comment rather than label it. Every other column is a one-hot
# label, wherever it stands (an export that moved the sentiment column must not lose or add labels).
NON_LABEL_COLUMNS = {
    ID_COLUMN, "Trust", "Respondent ID", "Date", "Service type 1", "Service type 2", "FFT categorical answer",
    "FFT question", TEXT_COLUMN, "Person identifiable info?", SENTIMENT_COLUMN, NOT_POSSIBLE_COLUMN,
    # Columns exports add: an id that is 1 on every row must not become a label on every row.
    "Question ID", "Question", "Index", "Row", "ID", "Id", "id",
}

SENTIMENT_MAP = {
    "1": "positive",
    "2": "positive",
    "3": "neutral_mixed",
    "4": "negative",
    "5": "negative",
}


class ConversionError(ValueError):
    """The CSV is not in the v6 framework layout."""


MAX_PROBLEMS_SHOWN = 5


def label_columns(fieldnames: list[str], rows: list[dict]) -> list[str]:
    """The one-hot label columns: named, not describing the comment, and holding mostly 0/1 cells (or
    nothing). A column whose cells are mostly something else (other numbers, as an exported index or an id
    has; only marks such as "x") is not a label; a label column with some other cells ("y", "2", "nan") is
    still a label, and those cells are reported (one typo must not drop every tick of a label)."""
    if SENTIMENT_COLUMN not in fieldnames or TEXT_COLUMN not in fieldnames:
        raise ConversionError(
            f"not a v6 framework CSV: needs the columns {TEXT_COLUMN!r} and {SENTIMENT_COLUMN!r}"
        )
    labels = []
    for column in fieldnames:
        if not column.strip() or column in NON_LABEL_COLUMNS:
            continue
        # "nan" (a blank as pandas' astype(str) writes it) says nothing about what the column is: it is left
        # out of this count, and reported as any other cell that is not 0, 1 or blank.
        filled = [cell for cell in ((row.get(column) or "").strip() for row in rows) if cell and not _is_nan(cell)]
        readable = sum(_tick(cell) is not None for cell in filled)
        if readable * 2 >= len(filled):
            labels.append(column)
    return labels


def ignored_columns(fieldnames: list[str], rows: list[dict]) -> list[str]:
    """Named columns that neither describe the comment nor are labels (a notes column, an index)."""
    labels = set(label_columns(fieldnames, rows))
    return [c for c in fieldnames if c.strip() and c not in NON_LABEL_COLUMNS and c not in labels]


def _problems(fieldnames: list[str], rows: list[dict], labels: list[str]) -> list[str]:
    """Cells that cannot be read, each as "row N, column: what" (rows numbered as a spreadsheet shows them,
    the header being line 1)."""
    # "Labelling not possible" is a tick too: a mark there that is not read as one ("TRUE", "x") would keep
    # a row the labellers rejected.
    ticked = labels + [NOT_POSSIBLE_COLUMN] if NOT_POSSIBLE_COLUMN in fieldnames else labels
    problems = []
    for line, row in enumerate(rows, start=2):
        if None in row or any(row.get(c) is None for c in fieldnames):
            problems.append(f"row {line}: {'more' if None in row else 'fewer'} cells than the header has columns")
            continue
        for column in ticked:
            cell = (row.get(column) or "").strip()
            if _tick(cell) is None:
                problems.append(f"row {line}, {column!r}: {cell[:20]!r} is not 0, 1 or blank")
        cell = (row.get(SENTIMENT_COLUMN) or "").strip()
        score = _number(cell)
        if cell and (score is None or not score.is_integer() or str(int(score)) not in SENTIMENT_MAP):
            problems.append(f"row {line}, {SENTIMENT_COLUMN!r}: {cell[:20]!r} is not 1-5 or blank")
    return problems


def _tick(cell: str | None) -> bool | None:
    """Whether a one-hot cell (a label, "Labelling not possible") is ticked: 1 is, 0 or blank is not, and
    None for anything else ("y", "TRUE", "2", "nan"), which is reported rather than guessed at."""
    cell = (cell or "").strip()
    if not cell:
        return False
    number = _number(cell)
    if number == 1:
        return True
    if number == 0:
        return False
    return None


def _is_nan(cell: str) -> bool:
    number = _number(cell)
    return number is not None and math.isnan(number)


def _number(value: str | None) -> float | None:
    """A cell as a number: "1", "1.0" and " 1 " are all 1 (spreadsheets and pandas write them so)."""
    try:
        return float((value or "").strip())
    except ValueError:
        return None


# A long comment (a pasted letter) can be more than the csv module's default 131,072 characters a cell;
# 10 Mi characters is more than any comment, and still a bound on what one cell may cost in memory.
MAX_CELL_CHARS = 10 * 1024 * 1024


@contextmanager
def _cell_limit(limit: int) -> Iterator[None]:
    """csv.field_size_limit is process-wide: raised only while this file is read, then put back."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _read_rows(reader: csv.DictReader) -> tuple[list[str], list[dict]]:
    """The header and the rows; a row the csv module cannot read is named as a spreadsheet shows it."""
    rows: list[dict] = []
    with _cell_limit(MAX_CELL_CHARS):
        try:
            fieldnames = list(reader.fieldnames or [])
        except csv.Error as exc:
            raise _unreadable(1, exc) from None
        try:
            for row in reader:
                rows.append(row)
        except csv.Error as exc:
            raise _unreadable(len(rows) + 2, exc) from None   # the header is row 1
    return fieldnames, rows


def _check_header(fieldnames: list[str]) -> None:
    """A column name given twice is an error: the csv module keeps the last copy's cells under the name, so
    the first copy's ticks were lost and a tick in the last gave the label twice. (Columns with no name, as
    trailing commas give, are left out anyway.)"""
    where: dict[str, list[int]] = {}
    for number, name in enumerate(fieldnames, start=1):
        if name.strip():
            where.setdefault(name, []).append(number)
    repeated = [f"{name!r} (columns {', '.join(map(str, numbers))})"
                for name, numbers in where.items() if len(numbers) > 1]
    if repeated:
        raise ConversionError(f"the header names a column more than once: {'; '.join(repeated)}; rename or "
                              "remove the copies; nothing was converted")


def _unreadable(row: int, exc: csv.Error) -> ConversionError:
    if "field larger than field limit" in str(exc):
        return ConversionError(f"row {row}: a cell is longer than {MAX_CELL_CHARS:,} characters; "
                               "nothing was converted")
    return ConversionError(f"row {row} cannot be read as CSV ({exc}); nothing was converted")


def convert_rows(reader: csv.DictReader, ignored: list[str] | None = None) -> Iterator[dict]:
    """The training objects; the names of columns left out are added to `ignored` when it is given."""
    fieldnames, rows = _read_rows(reader)
    _check_header(fieldnames)
    labels = label_columns(fieldnames, rows)
    if ignored is not None:
        ignored.extend(ignored_columns(fieldnames, rows))
    problems = _problems(fieldnames, rows, labels)
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = f" (and {len(problems) - MAX_PROBLEMS_SHOWN} more)" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        raise ConversionError(f"{len(problems)} cell(s) cannot be read, nothing was converted: {shown}{more}")
    for row in rows:
        text = (row.get(TEXT_COLUMN) or "").strip()
        if not text:
            continue
        if _tick(row.get(NOT_POSSIBLE_COLUMN)):
            continue
        item: dict = {
            "id": (row.get(ID_COLUMN) or "").strip(),
            "text": text,
            "labels": [c for c in labels if _tick(row.get(c))],
        }
        score = _number(row.get(SENTIMENT_COLUMN))
        sentiment = SENTIMENT_MAP.get(str(int(score))) if score is not None and score.is_integer() else None
        if sentiment is not None:
            item["sentiment"] = sentiment
        yield item


def convert_v6(source: Path | str | TextIO, ignored: list[str] | None = None) -> list[dict]:
    if isinstance(source, (str, Path)):
        try:
            with open(source, encoding="utf-8-sig", newline="") as fh:
                return list(convert_rows(csv.DictReader(fh), ignored))
        except UnicodeDecodeError as exc:
            raise ConversionError(f"{source} is not UTF-8 (byte {exc.start + 1}): in Excel, save it as "
                                  "'CSV UTF-8 (Comma delimited)'") from None
    return list(convert_rows(csv.DictReader(source), ignored))


def write_jsonl(items: Iterable[dict], out: BinaryIO) -> int:
    """Write the items as JSON lines (UTF-8 bytes: standard output's buffer, or a file opened "wb")."""
    n = 0
    for item in items:
        out.write(json_line(item))
        n += 1
    return n


def convert_v6_text(csv_text: str) -> list[dict]:
    return convert_v6(io.StringIO(csv_text))
