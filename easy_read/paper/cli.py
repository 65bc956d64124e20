"""``msp-feedback paper render`` and ``msp-feedback paper scan``.

The service registers ``paper`` under its top-level CLI and replaces the two module-level
factories below: ``store_factory`` (its database-backed PaperStore) and ``settings_factory``
(return address and safeguarding phone line from configuration). Left alone, the store is in
memory, or a JSON file when MSP_PAPER_STORE names one (so render and a later scan can be tried by
hand), and the address and phone are placeholders.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from service.i18n import LANGUAGES

from .layout import FormLayout, build_layout
from .store import InMemoryPaperStore, PaperStore

# render (WeasyPrint) and scan (OpenCV, zxing-cpp) are imported inside the commands: the top-level
# msp-feedback CLI stays quick to start and usable for everything else if one of them is missing.


def _default_store() -> PaperStore:
    return InMemoryPaperStore(os.environ.get("MSP_PAPER_STORE") or None)


def _default_settings() -> dict[str, str]:
    from .render import DEFAULT_RETURN_ADDRESS, DEFAULT_SAFEGUARDING_PHONE

    return {"return_address": DEFAULT_RETURN_ADDRESS, "safeguarding_phone": DEFAULT_SAFEGUARDING_PHONE}


# Replaceable by the service (assign a new callable): called once per command.
store_factory: Callable[[], PaperStore] = _default_store
settings_factory: Callable[[], dict[str, str]] = _default_settings


@click.group("paper")
def paper() -> None:
    """Easy-read paper forms: print them, and read returned ones by optical mark recognition."""


@paper.command("render")
@click.option("--lang", "language", required=True, type=click.Choice(sorted(LANGUAGES)), help="Form language.")
@click.option("--count", default=1, show_default=True, type=click.IntRange(1, 5000), help="Copies, each with its own sheet id.")
@click.option("--case", "case_ref", default=None, help="Case reference the sheets belong to.")
@click.option("--provider", "provider_id", default=None, help="Provider the feedback is about.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="PDF file to write.")
@click.option("--layout-out", default=None, type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the layout (every box in mm) as JSON.")
@click.option("--form-version", "form_version", default=1, show_default=True, type=int, help="Questionnaire version.")
@click.option("--return-address", default=None, help="Overrides the configured return address (use \\n for lines).")
@click.option("--phone", default=None, help="Overrides the configured safeguarding phone line.")
def render_command(language: str, count: int, case_ref: str | None, provider_id: str | None, out: Path,
                   layout_out: Path | None, form_version: int, return_address: str | None, phone: str | None) -> None:
    """Write COUNT copies of the easy-read questionnaire to a PDF and register their sheet ids."""
    from .render import render_pdf

    settings = settings_factory()
    store = store_factory()
    result = render_pdf(
        language, count=count, case_ref=case_ref, provider_id=provider_id, store=store,
        return_address=(return_address.replace("\\n", "\n") if return_address else settings["return_address"]),
        safeguarding_phone=phone or settings["safeguarding_phone"], version=form_version)
    out.write_bytes(result.pdf)
    if layout_out:
        layout_out.write_text(result.layout.to_json(), encoding="utf-8")
    click.echo(f"Wrote {count} form(s), {len(result.layout.pages)} pages each, to {out}")
    for sheet in result.sheets:
        click.echo(f"  sheet {sheet.sheet_id}")


@paper.command("scan")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
@click.option("--dpi", default=200, show_default=True, type=click.IntRange(100, 600),
              help="Resolution used to rasterise PDF scans.")
@click.option("--layout", "layout_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Layout JSON written by render (default: rebuilt from the QR code's form version).")
def scan_command(files: tuple[Path, ...], as_json: bool, dpi: int, layout_files: tuple[Path, ...]) -> None:
    """Read scanned forms (PDF, PNG, TIFF): record answers, queue unclear boxes and free text."""
    from .scan import scan_files

    given: dict[tuple[str, int, str], FormLayout] = {}
    for file in layout_files:
        layout = FormLayout.from_json(file.read_text(encoding="utf-8"))
        given[(layout.form_id, layout.form_version, layout.language)] = layout

    def layouts(form_id: str, version: int, language: str) -> FormLayout:
        return given.get((form_id, version, language)) or build_layout(form_id, version, language)

    report = scan_files(files, store_factory(), dpi=dpi, layouts=layouts)
    if as_json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        click.echo(report.summary())
