"""Helpers shared by the paper tests (imported by name: pytest puts this folder on sys.path)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image

from easy_read.paper.render import render_pdf
from easy_read.paper.store import InMemoryPaperStore

RETURN_ADDRESS = "Bolton Safeguarding Adults Board\nTown Hall, Victoria Square\nBolton BL1 1RU"
PHONE = "01204 000000"

def rasterise(pdf: Path, dpi: int, out_dir: Path, first: int | None = None, last: int | None = None) -> list[Image.Image]:
    prefix = out_dir / f"{pdf.stem}-{dpi}"
    command = ["pdftoppm", "-r", str(dpi), "-gray"]
    if first:
        command += ["-f", str(first), "-l", str(last or first)]
    subprocess.run(command + [str(pdf), str(prefix)], check=True)
    files = sorted(out_dir.glob(f"{prefix.name}-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [Image.open(f).convert("L") for f in files]

class Rendered:
    def __init__(self, language: str, store: InMemoryPaperStore, directory: Path, count: int = 1):
        self.language = language
        self.store = store
        self.result = render_pdf(language, count=count, case_ref="CASE-42", provider_id="care-home-7", store=store,
                                 return_address=RETURN_ADDRESS, safeguarding_phone=PHONE)
        self.layout = self.result.layout
        self.pdf = directory / f"form-{language}.pdf"
        self.pdf.write_bytes(self.result.pdf)
        self.directory = directory

from tests.support.pdf import tiny_pdf  # noqa: E402,F401  (shared with tests/paper_service)
