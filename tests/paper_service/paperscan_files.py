"""Builders of hostile scan files for the paper tests (JBIG2 PDF, tiled and many-page TIFF, QR-only pages)."""
import struct
import zlib
from pathlib import Path

from tests.support.pdf import write_pdf


def many_frame_tiff(path, frames, width, height, pattern=False):
    """A little-endian TIFF of `frames` 8-bit grey pages, every IFD pointing at one shared deflate strip."""
    if pattern:
        row = bytes((0 if (x // 8) % 2 else 255) for x in range(width))
    else:
        row = b"\xff" * width
    strip = zlib.compress(row * height, 9)
    out = bytearray(b"II*\x00" + struct.pack("<I", 0))
    strip_off = len(out); out += strip
    if len(out) % 2: out += b"\x00"
    tags = lambda: [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 8), (262, 3, 1, 1),
                    (273, 4, 1, strip_off), (277, 3, 1, 1), (278, 4, 1, height), (279, 4, 1, len(strip))]
    ifd_size = 2 + 12 * 9 + 4
    first = len(out)
    struct.pack_into("<I", out, 4, first)
    for i in range(frames):
        base = len(out)
        out += struct.pack("<H", 9)
        for tag, typ, count, value in tags():
            out += struct.pack("<HHI", tag, typ, count) + (struct.pack("<HH", value, 0) if typ == 3 else struct.pack("<I", value))
        nxt = base + ifd_size if i < frames - 1 else 0
        out += struct.pack("<I", nxt)
    open(path, "wb").write(bytes(out))
    return path


def qr_page(payload: str, size: tuple[int, int] = (1654, 2339)):
    """A white 200 dpi A4 page with one QR code holding ``payload`` (what a hostile page shows the reader)."""
    import io

    import segno
    from PIL import Image

    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="png", scale=6, border=4)
    page = Image.new("L", size, 255)
    page.paste(Image.open(buffer).convert("L"), (120, 120))
    return page


def jbig2_pdf(path, width, height, page_w_pt=595, page_h_pt=842, region=False):
    """A PDF page that draws one JBIG2 image whose page-information segment declares width x height
    pixels: poppler allocates (and clears) the whole bitmap, width*height/8 bytes, before drawing."""
    info = struct.pack(">IIIIBH", width, height, 0, 0, 0, 0)
    seg = struct.pack(">IBBB", 1, 48, 0, 1) + struct.pack(">I", len(info)) + info
    if region:
        data = struct.pack(">IIIIB", width, height, 0, 0, 0) + bytes([1])
        seg += struct.pack(">IBBB", 2, 38, 0, 1) + struct.pack(">I", len(data)) + data
    content = f"q {page_w_pt} 0 0 {page_h_pt} 0 0 cm /Im1 Do Q".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {page_w_pt} {page_h_pt}] /Contents 3 0 R "
               f"/Resources << /XObject << /Im1 5 0 R >> >> >>".encode(),
               b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 "
               b"/Filter /JBIG2Decode /Length %d >>\nstream\n" % (width, height, len(seg)) + seg + b"\nendstream"]
    return write_pdf(Path(path), objects, b"1.5")
def tiled_tiff(path, width, height, tile):
    data = zlib.compress(b"\xff" * 1024, 9)   # far short of a tile: libtiff must still size a whole tile
    out = bytearray(b"II*\x00" + struct.pack("<I", 0))
    off = len(out); out += data
    if len(out) % 2: out += b"\0"
    tags = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 8), (262, 3, 1, 1),
            (277, 3, 1, 1), (322, 4, 1, tile), (323, 4, 1, tile), (324, 4, 1, off), (325, 4, 1, len(data))]
    first = len(out); struct.pack_into("<I", out, 4, first)
    out += struct.pack("<H", len(tags))
    for tag, typ, count, value in tags:
        out += struct.pack("<HHI", tag, typ, count) + (struct.pack("<HH", value, 0) if typ == 3 else struct.pack("<I", value))
    out += struct.pack("<I", 0)
    open(path, "wb").write(bytes(out)); return path
