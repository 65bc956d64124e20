"""Small PDFs made by hand for the tests of reading returned paper forms."""
from __future__ import annotations

from pathlib import Path


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
    return write_pdf(path, objects)


def write_pdf(path: Path, objects: list[bytes], version: bytes = b"1.4") -> Path:
    """A PDF file of these objects (numbered from 1; object 1 the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-" + version + b"\n")
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
