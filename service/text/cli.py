"""Click commands for the text pipeline; the lead registers them under ``msp-feedback``.

    msp-feedback themes train --train FILE.jsonl --out DIR
    msp-feedback themes evaluate --model DIR --test FILE.jsonl
    msp-feedback themes convert-v6 FILE.csv [-o OUT.jsonl]
    msp-feedback analyse [--model DIR] [--libretranslate-url URL]  < in.jsonl > out.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from . import jsonl
from . import themes as T
from .convert import ConversionError, convert_v6, write_jsonl


@click.group(name="themes", help="Train, evaluate and convert data for the theme/sentiment model.")
def themes() -> None:
    pass


@themes.command("train")
@click.option("--train", "train_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON lines: {\"text\", \"labels\": [...], \"sentiment\"?}")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="themes", show_default=True, help="Model name recorded in its version.")
@click.option("--no-tune", is_flag=True, help="Skip per-label threshold tuning (faster, worse).")
def train_cmd(train_file: Path, out_dir: Path, name: str, no_tune: bool) -> None:
    """Train a model for whatever label set the file has."""
    _check_writable_dir(out_dir)      # before the training, not after it
    try:
        examples = _read_examples(train_file)
        model = T.train(examples, name=name, tune_thresholds=not no_tune,
                        log=lambda m: click.echo(m, err=True))
    except T.TrainingDataError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        model.save(out_dir)           # whole or not at all: a model already there is kept on failure
    except OSError as exc:
        raise click.ClickException(f"cannot write the model to {out_dir}: {exc.strerror or exc}; "
                                   "a model that was there is unchanged") from None
    except UnicodeError as exc:
        raise click.ClickException(f"cannot write the model to {out_dir}: a text or label holds a character "
                                   f"that cannot be written as UTF-8 ({exc}); a model that was there is "
                                   "unchanged") from None
    click.echo(json.dumps({"model": str(out_dir), "version": model.version, "labels": len(model.labels),
                           "sentiment": model.has_sentiment, "n_train": len(examples)}))


def _check_writable_dir(directory: Path) -> None:
    """The model directory can be made, and a directory beside it (where `save` writes the model before
    renaming it into place): checked with a probe, then removed."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory.resolve().with_name(f".{directory.resolve().name}.write-check")
        probe.mkdir()
        probe.rmdir()
    except OSError as exc:
        raise click.ClickException(f"cannot write the model to {directory}: {exc.strerror or exc}") from None


MAX_LINES_NAMED = 8


def _read_examples(path: Path) -> list[T.Example]:
    """T.read_jsonl, saying on stderr which lines had lone surrogates replaced."""
    replaced: list[str] = []
    examples = T.read_jsonl(path, replaced)
    if replaced:
        lines = [where.removeprefix(f"{path}:") for where in replaced]
        more = f" and {len(lines) - MAX_LINES_NAMED} more" if len(lines) > MAX_LINES_NAMED else ""
        click.echo(f"Warning: {len(lines)} text(s) in {path} held lone surrogate escapes (\\ud800 to \\udfff: half "
                   f"of a character), read with U+FFFD in their place: line {', '.join(lines[:MAX_LINES_NAMED])}{more}",
                   err=True)
    return examples


@themes.command("evaluate")
@click.option("--model", "model_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--test", "test_file", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--min-train-count", default=10, show_default=True,
              help="Macro F1 is averaged over labels with at least this many training examples.")
def evaluate_cmd(model_dir: Path, test_file: Path, min_train_count: int) -> None:
    """Print JSON: micro/macro F1, per-label precision/recall/F1/support, sentiment accuracy."""
    try:
        model = T.ThemeModel.load(model_dir)
        examples = _read_examples(test_file)
        if not examples:
            raise T.TrainingDataError(f"{test_file}: no test examples")
    except (T.ModelError, T.TrainingDataError) as exc:
        raise click.ClickException(str(exc)) from exc
    _check_labels_are_the_models(model, examples, test_file)
    report = T.evaluate(model, examples, min_train_count)
    report["model_version"] = model.version
    click.echo(json.dumps(report, indent=2, ensure_ascii=False))


MAX_LABELS_NAMED = 8


def _check_labels_are_the_models(model: T.ThemeModel, examples: list[T.Example], test_file: Path) -> None:
    """A test file in another label set than the model's (v6 names against the service themes) scores 0
    for reasons that have nothing to do with the model: stop when no label is shared, warn when some are
    not."""
    unknown = T.labels_unknown_to_model(model, examples)
    if not unknown:
        return
    test_labels = {lbl for e in examples for lbl in e.labels}
    if model.labels and len(unknown) == len(test_labels):
        raise click.ClickException(
            f"{test_file} and the model share no label: the test file has {_named(unknown)}, the model knows "
            f"{_named(model.labels)}. Test with the model's label set (v6_to_service_themes.json maps the v6 "
            "framework's labels to the service themes).")
    # A label the training file had but the model could not learn is not "unknown": its count says why.
    counts = model.training_counts
    not_learnt = [lbl for lbl in unknown if counts.get(lbl)]
    never_seen = [lbl for lbl in unknown if not counts.get(lbl)]
    if never_seen:
        click.echo(f"Warning: {len(never_seen)} of the test file's {len(test_labels)} labels are unknown to the "
                   f"model and can only count as misses: {_named(never_seen)} (listed in labels_unknown_to_model)",
                   err=True)
    if not_learnt:
        shown = [f"{lbl!r} not learnt ({counts[lbl]} training rows)" for lbl in not_learnt]
        more = f" and {len(shown) - MAX_LABELS_NAMED} more" if len(shown) > MAX_LABELS_NAMED else ""
        click.echo(f"Warning: {len(not_learnt)} of the test file's {len(test_labels)} labels were in the training "
                   "file but the model could not learn them (too few rows with the label, or on every row), so "
                   f"they can only count as misses: {', '.join(shown[:MAX_LABELS_NAMED])}{more} (listed in "
                   "labels_unknown_to_model)", err=True)


def _named(labels: list[str]) -> str:
    shown = ", ".join(repr(lbl) for lbl in labels[:MAX_LABELS_NAMED])
    more = f" and {len(labels) - MAX_LABELS_NAMED} more" if len(labels) > MAX_LABELS_NAMED else ""
    return f"{shown}{more}"


@themes.command("convert-v6")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of standard output.")
def convert_cmd(csv_file: Path, out_file: Path | None) -> None:
    """Turn the pxtextmining v6 framework CSV into training JSON lines."""
    ignored: list[str] = []
    try:
        items = convert_v6(csv_file, ignored)
    except ConversionError as exc:
        raise click.ClickException(str(exc)) from exc
    if ignored:   # a label ticked with "x" instead of 1 would otherwise vanish without a word
        click.echo(f"columns left out (not 0/1 labels): {', '.join(ignored)}", err=True)
    if out_file is None:
        n = write_jsonl(items, sys.stdout.buffer)
    else:
        try:
            with open(out_file, "wb") as fh:
                n = write_jsonl(items, fh)
        except OSError as exc:
            raise click.ClickException(f"cannot write {out_file}: {exc.strerror}") from None
    click.echo(f"{n} rows written", err=True)


@click.command("analyse")
@click.option("--model", "model_dir", envvar="THEME_MODEL_DIR", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Theme/sentiment model directory (default: THEME_MODEL_DIR, else the shipped model).")
@click.option("--libretranslate-url", envvar="LIBRETRANSLATE_URL", default=None,
              help="LibreTranslate server for machine translation (else Argos if installed, else queued).")
@click.option("--libretranslate-api-key", envvar="LIBRETRANSLATE_API_KEY", default=None,
              help="API key of that server, when it asks for one.")
def analyse(model_dir: Path | None, libretranslate_url: str | None, libretranslate_api_key: str | None) -> None:
    r"""Read {"id", "text"} JSON lines on stdin (ended by \n, \r\n or \r); write one analysis JSON line per
    input line (blank lines are skipped). A line that cannot be read gets {"id", "line", "error"} instead,
    and the command goes on; it exits 1 at the end if any line failed."""
    from .pipeline import PipelineError, TextPipeline
    from .translate import translator_from_settings

    try:
        translator = translator_from_settings(libretranslate_url, libretranslate_api_key)
        pipeline = TextPipeline.load(model_dir, translator)
    except (T.ModelError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    out = sys.stdout.buffer          # UTF-8 whatever the console's encoding (see jsonl.py)
    failed = read = 0
    # Bytes, decoded line by line: one line that is not UTF-8 must not cost the lines around it.
    for lineno, raw in enumerate(_input_lines(sys.stdin.buffer), 1):
        if lineno == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")   # a byte-order mark from an editor on Windows
        if not raw.strip():
            continue
        read += 1
        obj = None
        try:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"not valid UTF-8 (byte {exc.start + 1} of the line)") from None
            obj = jsonl.loads(line)
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise ValueError("each line needs a string field 'text'")
            record = {"id": obj.get("id")}
            record.update(pipeline.analyse(obj["text"]).to_dict())
            written = jsonl.json_line(record)
        except Exception as exc:  # noqa: BLE001 - one bad line must not cost the lines after it
            message = str(exc) if isinstance(exc, (ValueError, PipelineError)) else f"{type(exc).__name__}: {exc}"
            click.echo(f"line {lineno}: {message}", err=True)
            # The line number too: a line that is not JSON has no id to match it to its input by.
            jsonl.write_line(out, {"id": obj.get("id") if isinstance(obj, dict) else None, "line": lineno,
                                   "error": message})
            failed += 1
            continue
        out.write(written)
        out.flush()
    if failed:
        click.echo(f"{failed} of {read} lines could not be analysed (see the error lines)", err=True)
        sys.exit(1)


_LINE_END = re.compile(rb"\r\n|\r|\n")


def _input_lines(stream: Iterable[bytes]) -> Iterator[bytes]:
    r"""The lines of a byte stream, ended by \n, \r\n or \r alike, as train and evaluate read their files
    (text mode, newline=None): a file saved with an old Mac's CR line ends was one line, and every record in
    it one error. Splitting the bytes is safe: no byte of a UTF-8 character other than CR and LF themselves
    is 0x0D or 0x0A, and JSON allows neither raw inside a string."""
    for chunk in stream:            # the stream splits at \n only
        lines = _LINE_END.split(chunk)
        if not lines[-1]:           # the chunk ended with its line end
            lines.pop()
        yield from lines


def main() -> None:  # pragma: no cover - convenience for `python -m service.text.cli`
    @click.group()
    def cli() -> None:
        pass

    cli.add_command(themes)
    cli.add_command(analyse)
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
