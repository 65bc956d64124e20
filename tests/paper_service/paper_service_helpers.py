"""Helpers of the paper service tests (imported by name: conftest puts this folder on sys.path)."""
from __future__ import annotations

import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from easy_read.paper.layout import PageLayout
from easy_read.paper.render import RenderResult
from easy_read.paper.store import SheetRecord
from easy_read.paper.synthetic import draw_mark, draw_writing


@dataclass
class Printed:
    language: str
    result: RenderResult
    pdf: Path
    pages: list[Image.Image]          # clean pages at 200 dpi

    @property
    def layout(self):
        return self.result.layout

    @property
    def template(self) -> SheetRecord:
        return self.result.sheets[0]


def rasterise(pdf: Path, dpi: int, out_dir: Path) -> list[Image.Image]:
    prefix = out_dir / f"{pdf.stem}-{dpi}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(prefix)], check=True)
    files = sorted(out_dir.glob(f"{prefix.name}-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return [Image.open(f).convert("L") for f in files]


def tick(image: Image.Image, page: PageLayout, choices: dict[str, str], *, dpi: int = 200, style: str = "tick",
         seed: int = 1, write_in: tuple[str, ...] = ()) -> Image.Image:
    """Pen marks (the library's synthetic ones) in the chosen boxes, and scribbles in free-text boxes."""
    image = image.copy()
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    for box in page.boxes:
        if box.kind == "tick" and choices.get(box.question) == box.answer:
            draw_mark(draw, box.rect, style if style != "mixed" else rng.choice(["tick", "cross", "fill"]), dpi / 25.4, rng)
        elif box.kind == "free_text" and box.question in write_in:
            draw_writing(draw, box.rect, dpi / 25.4, random.Random(seed + 100))
    return image


def choose(page: PageLayout, seed: int = 0) -> dict[str, str]:
    rng = random.Random(seed)
    options: dict[str, list[str]] = {}
    for box in page.boxes:
        if box.kind == "tick":
            options.setdefault(box.question, []).append(box.answer)
    return {question: rng.choice(answers) for question, answers in options.items()}


def save_pages(images: list[Image.Image], path: Path) -> Path:
    first, *rest = images
    first.save(path, save_all=True, append_images=rest, resolution=200)
    return path


# --- staff pages ----------------------------------------------------------------------------------

from tests.support.staff import PASSWORD, add_user, signed_in  # noqa: E402,F401  (shared with every staff-page test)
from tests.support.staff import StaffBrowser as StaffClient  # noqa: E402,F401

from tests.support.pdf import tiny_pdf  # noqa: E402,F401  (shared with tests/paper)
