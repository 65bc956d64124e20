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




def tiny_pdf(path: Path, pages: int, width_pt: float, height_pt: float) -> Path:
    """A hand-written PDF of ``pages`` pages of one size (a few hundred bytes, whatever the page size):
    what a hostile or broken upload looks like to `paper scan`."""
    content = b"0 0 m 10 10 l S"
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    objects += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt} {height_pt}] /Contents 3 0 R >>".encode()
                for _ in range(pages)]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
