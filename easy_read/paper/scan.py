"""Optical mark recognition for returned easy-read forms (SDAPS-like).

For each scanned page:
1. find and decode the QR code (zxing-cpp): form, version, language, page, sheet id. Its four
   corners give a first estimate of where the page lies in the image, at any rotation, so an
   upside-down or sideways page needs no special case;
2. look for each corner mark near where that estimate puts it, and fit a homography from the
   four mark centres (three are enough for an affine fit); check it against the QR code;
3. warp the page to a canonical image, 8 pixels per millimetre, in the layout's coordinates;
4. for each tick box, snap to the printed border (a scan may be off by a millimetre), then measure
   the share of dark pixels and of faint (pencil-grey) pixels inside it, border excluded;
5. decide each box ticked / empty / uncertain with a confidence; a question with an uncertain box,
   or a single-answer question with two boxes ticked, goes to a person; free-text boxes with
   writing in them are cropped for a person to type.

A page that cannot be read is kept (``PaperStore.record_unreadable``) with the reason, never
dropped. A page already read before is compared with what was read from it: the same answers and
writing make a duplicate that records nothing; anything different (a photocopy of the sheet filled in
by someone else) is kept with its image on the unreadable list, for a person to decide.
"""
from __future__ import annotations

import io
import math
import re
import resource
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from PIL import Image, ImageSequence

from .layout import Box, FormLayout, Rect, build_layout
from .render import QrData, parse_qr_payload
from .store import BoxReading, PaperStore, RecordedSheet, ReviewItem, SheetRecord, sheet_marker

PPM = 8.0  # pixels per millimetre of the canonical (aligned) page, about 203 dpi

LayoutProvider = Callable[[str, int, str], FormLayout]


@dataclass(frozen=True)
class Thresholds:
    """Coverage thresholds (share of the box's inner area). Tuned with benchmarks/omr_accuracy.py."""
    inset_mm: float = 1.7          # inside the 0.6 mm printed border, with room for misalignment
    dark_empty: float = 0.015      # at most this share of dark pixels: empty
    dark_ticked: float = 0.070     # at least this share: ticked
    faint_empty: float = 0.030     # at most this share of grey-but-not-dark pixels: empty
    faint_ticked: float = 0.060    # at least this share of grey-but-not-dark pixels: ticked (light pencil)
    review_below: float = 0.70     # a box whose confidence is below this goes to a person
    dark_level: float = 0.70       # dark pixel: darker than black + 0.70 * (white - black)
    faint_level: float = 0.85      # faint pixel: darker than black + 0.85 * (white - black)
    # A free-text box is written in when it holds one patch of connected (faint) ink at least this big, in mm².
    # Missing writing loses a person's words, maybe a disclosure; a box read as written when it is not costs a
    # keyer one press of "There is nothing to type". So any mark bigger than scanner noise counts: one letter
    # of a short word ("help" at 4 mm) is 1.5-3 mm², a speck of noise or JPEG ringing under 0.2 mm².
    writing_mm2: float = 0.8


DEFAULT_THRESHOLDS = Thresholds()


# --- loading ---------------------------------------------------------------------------------

@dataclass
class PageImage:
    source: str
    index: int                      # 1-based page number within the file
    image: np.ndarray | None        # 8-bit greyscale
    error: str | None = None


# Limits on what one scanned file may cost. An A4 page at 600 dpi is about 35 megapixels, so nothing
# larger is a real scan; a hostile or broken file (a tiny PDF with a huge page, a PNG that inflates to
# gigabytes) becomes an unreadable page with its reason instead of exhausting memory or stopping the
# run. PDF pages are rasterised one at a time (one page on disk at once), each within a time limit.
MAX_PAGE_PIXELS = 40_000_000
MAX_PDF_PAGES = 200              # a batch of 50 four-page forms; split bigger scans into several files
PDF_PAGE_TIMEOUT = 60            # seconds for pdftoppm to rasterise one page
# The memory pdftoppm may map: a page at the pixel limit is 40 MB of grey, but an image drawn inside a page is
# not bound by the page's size (a 713-byte PDF with a JBIG2 image took 1.2 GB, another 4 GB).
PDF_PAGE_MEMORY = 768 * 1024 * 1024
PDF_INFO_TIMEOUT = 30            # seconds for pdfinfo to list the pages


def _limit_pdftoppm_memory() -> None:   # runs in the child, before pdftoppm starts
    resource.setrlimit(resource.RLIMIT_AS, (PDF_PAGE_MEMORY, PDF_PAGE_MEMORY))


def _within_memory_limit(command: list[str]) -> tuple[list[str], dict]:
    """The command and subprocess options that run it within PDF_PAGE_MEMORY. util-linux's prlimit sets the
    limit where it is installed (Debian has it always): a Python function run between fork and exec
    (preexec_fn) can deadlock when another thread holds a lock at the fork, as in a threaded server."""
    prlimit = shutil.which("prlimit")
    if prlimit:
        return [prlimit, f"--as={PDF_PAGE_MEMORY}", "--", *command], {}
    return command, {"preexec_fn": _limit_pdftoppm_memory}


def _block_too_big(frame: Image.Image, limit: int) -> str | None:
    """A TIFF decodes a tile or strip at a time, sized as the file declares: a 152-byte file with a 1000 x
    1000 page and one 46,336-pixel-square tile made libtiff fill 2 GB before it failed."""
    tags = getattr(frame, "tag_v2", None)
    if not tags:
        return None
    width, height = frame.size
    try:
        tile = int(tags.get(322) or 0) * int(tags.get(323) or 0)
        strip = min(int(tags.get(278) or 0), height) * width
    except (TypeError, ValueError):
        return "image file declares tiles or strips that cannot be read"
    if max(tile, strip) > limit:
        return (f"image file declares a block of {max(tile, strip) / 1e6:.0f} megapixels to decode at once "
                f"(the limit is {limit / 1e6:.0f})")
    return None


def _too_big(size: tuple[int, int], limit: int) -> str | None:
    width, height = size
    if width * height > limit:
        return (f"image too large to be a scanned page ({width} x {height} pixels, "
                f"{width * height / 1e6:.0f} megapixels; the limit is {limit / 1e6:.0f})")
    return None


def _pdf_pages(path: Path, max_pages: int) -> tuple[int, list[tuple[float, float] | None], str | None]:
    """(page count, size in points of each of the first ``max_pages`` pages, error) from pdfinfo."""
    try:
        result = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                                timeout=PDF_INFO_TIMEOUT)
        if result.returncode != 0:
            return 0, [], f"PDF could not be opened: {result.stderr.strip()[:200]}"
        count = next((int(line.split(":", 1)[1]) for line in result.stdout.splitlines()
                      if line.startswith("Pages:")), 0)
        sizes: list[tuple[float, float] | None] = [None] * min(count, max_pages)
        if sizes:
            result = subprocess.run(["pdfinfo", "-f", "1", "-l", str(len(sizes)), str(path)],
                                    capture_output=True, text=True, timeout=PDF_INFO_TIMEOUT)
            for line in result.stdout.splitlines():
                # "Page    3 size: 595.28 x 841.89 pts (A4)" (rotation is on a line of its own)
                match = re.match(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts", line)
                if match and 1 <= int(match[1]) <= len(sizes):
                    sizes[int(match[1]) - 1] = (float(match[2]), float(match[3]))
    except subprocess.TimeoutExpired:
        return 0, [], "PDF could not be opened: pdfinfo took too long"
    except (OSError, ValueError) as error:
        return 0, [], f"PDF could not be opened ({type(error).__name__})"
    if count < 1:
        return 0, [], "PDF could not be opened: it has no pages"
    return count, sizes, None


def _page_dpi(size_pt: tuple[float, float] | None, dpi: int, limit: int) -> tuple[int, int | None]:
    """The resolution for one PDF page that keeps it under ``limit`` pixels, and a long-side pixel cap
    for pdftoppm when pdfinfo gave no size."""
    if size_pt is None:
        return dpi, int(math.sqrt(limit * 2 ** 0.5))      # an A-series page, long side
    width_in, height_in = max(size_pt[0], 1.0) / 72, max(size_pt[1], 1.0) / 72
    fit = math.sqrt(limit / (width_in * height_in)) * 0.98  # pdftoppm rounds up a pixel or two
    return max(1, min(dpi, int(fit))), None


def _load_pdf(path: Path, source: str, dpi: int, max_pages: int, pixel_limit: int) -> Iterator[PageImage]:
    count, sizes, error = _pdf_pages(path, max_pages)
    if error:
        yield PageImage(source, 1, None, error)
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "page"
        for number, size in enumerate(sizes, start=1):
            page_dpi, scale_to = _page_dpi(size, dpi, pixel_limit)
            command = ["pdftoppm", "-f", str(number), "-l", str(number), "-singlefile", "-r", str(page_dpi), "-gray"]
            if scale_to:
                command += ["-scale-to", str(scale_to)]
            file = out.with_suffix(".pgm")
            try:
                limited, options = _within_memory_limit([*command, str(path), str(out)])
                result = subprocess.run(limited, capture_output=True, text=True, timeout=PDF_PAGE_TIMEOUT, **options)
            except subprocess.TimeoutExpired:
                yield PageImage(source, number, None, f"PDF page took longer than {PDF_PAGE_TIMEOUT} s to rasterise")
                file.unlink(missing_ok=True)
                continue
            if not file.exists():
                yield PageImage(source, number, None,
                                f"PDF page could not be rasterised: {result.stderr.strip()[:200] or 'no image'}")
                continue
            try:
                yield _open_single(file, source, number, pixel_limit)
            finally:
                file.unlink(missing_ok=True)
    if count > max_pages:
        yield PageImage(source, max_pages + 1, None,
                        f"PDF has {count} pages: only the first {max_pages} were read; split the file and "
                        f"scan pages {max_pages + 1}-{count} again")


def _open_single(file: Path, source: str, number: int, pixel_limit: int) -> PageImage:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(file) as image:
                refused = _too_big(image.size, pixel_limit)
                if refused:
                    return PageImage(source, number, None, refused)
                return PageImage(source, number, _to_grey(image))
    except Exception as error:  # Pillow raises many types for a damaged file
        return PageImage(source, number, None, f"PDF page could not be decoded ({type(error).__name__})")


def load_pages(path: str | Path, dpi: int = 200, *, max_pdf_pages: int = MAX_PDF_PAGES,
               pixel_limit: int = MAX_PAGE_PIXELS) -> Iterator[PageImage]:
    """Every page of a PDF (rasterised with pdftoppm, one page at a time, in limited memory), PNG, JPEG or
    (multi-page) TIFF file. A page over ``pixel_limit`` pixels (or a TIFF tile or strip over it), a page past
    ``max_pdf_pages`` (of a PDF or a TIFF) or a PDF page that takes too long is yielded as an error (an
    unreadable page), never decoded."""
    path = Path(path)
    source = str(path)
    if not path.exists():
        yield PageImage(source, 1, None, "file not found")
        return
    try:
        with path.open("rb") as file:
            head = file.read(8)
    except OSError as error:
        yield PageImage(source, 1, None, f"file could not be read ({type(error).__name__})")
        return
    if head.startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        yield from _load_pdf(path, source, dpi, max_pdf_pages, pixel_limit)
        return
    try:
        with warnings.catch_warnings():
            # A damaged file is reported below, not warned about; the size is checked by hand before
            # anything is decoded, because Pillow's own bomb check only warns below 2x its limit.
            warnings.simplefilter("ignore")
            image = Image.open(path)
            refused = _too_big(image.size, pixel_limit) or _block_too_big(image, pixel_limit)
            if refused:
                image.close()
                yield PageImage(source, 1, None, refused)
                return
            image.load()
    except Image.DecompressionBombError as error:   # raised by open() itself past 2x Pillow's limit
        yield PageImage(source, 1, None, f"image too large to be a scanned page ({error})"[:300])
        return
    except Exception as error:  # Pillow raises many types for a damaged or unknown file
        yield PageImage(source, 1, None, f"not an image Pillow can read ({type(error).__name__})")
        return
    number = 0
    try:
        # Frames must be converted while the sequence stands on them: the iterator re-seeks one
        # shared image object. Seeking reads a frame's header only, so its size is checked before
        # the frame is decoded.
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if number > max_pdf_pages:
                # A page of a TIFF may point at another's data: 10,000 pages fit in 1.2 MB, each decoded and kept.
                yield PageImage(source, number, None, f"image file has more than {max_pdf_pages} pages: only the first "
                                f"{max_pdf_pages} were read; split the file and scan the rest again")
                break
            refused = _too_big(frame.size, pixel_limit) or _block_too_big(frame, pixel_limit)
            if refused:
                yield PageImage(source, number, None, refused)
                continue
            try:
                grey = _to_grey(frame)
            except Exception as error:
                yield PageImage(source, number, None, f"image page could not be decoded ({type(error).__name__})")
                continue
            yield PageImage(source, number, grey)
    except Exception as error:  # a truncated multi-page file: keep what came before, report the rest
        yield PageImage(source, number + 1, None, f"image file damaged after page {number} ({type(error).__name__})")
    finally:
        image.close()


def _to_grey(frame: Image.Image) -> np.ndarray:
    if frame.mode in ("RGBA", "LA", "P"):
        frame = frame.convert("RGBA")
        background = Image.new("RGBA", frame.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(background, frame)
    if frame.mode in ("I;16", "I;16B", "I"):
        array = np.array(frame).astype(np.float64)
        return (array / max(array.max(), 1) * 255).astype(np.uint8)
    return np.array(frame.convert("L"))


# --- results -----------------------------------------------------------------------------------

@dataclass
class QuestionResult:
    question: str
    kind: str
    answer: str | None = None           # recorded answer (single) when the machine is sure
    review_reason: str | None = None    # "uncertain" | "multiple"
    readings: tuple[BoxReading, ...] = ()
    crop_png: bytes = b""
    has_writing: bool = False           # free text
    ink: float = 0.0                    # free text: share of the looked-at area that is inked
    largest_mark_mm2: float = 0.0       # free text: the biggest patch of connected ink, in mm²


@dataclass
class PageResult:
    source: str
    index: int
    status: str                         # "read" | "unreadable" | "duplicate"
    reason: str = ""
    qr: QrData | None = None
    questions: list[QuestionResult] = field(default_factory=list)
    alignment_error_mm: float | None = None
    image_png: bytes = b""

    def to_dict(self) -> dict:
        data = {"source": self.source, "page_in_file": self.index, "status": self.status}
        if self.reason:
            data["reason"] = self.reason
        if self.qr:
            data.update(sheet_id=self.qr.sheet_id, form=self.qr.form_id, version=self.qr.form_version,
                        language=self.qr.language, form_page=self.qr.page)
        if self.status == "read":
            data["questions"] = {
                q.question: (
                    {"kind": q.kind, "written": q.has_writing} if q.kind == "free_text" else
                    {"kind": q.kind, "answer": q.answer, "review": q.review_reason,
                     "boxes": {r.answer: {"state": r.state, "coverage": round(r.coverage, 4),
                                          "confidence": round(r.confidence, 3)} for r in q.readings}}
                )
                for q in self.questions
            }
        return data


class UnreadablePage(Exception):
    pass


# --- geometry ------------------------------------------------------------------------------

def _qr_points_mm(rect: Rect) -> np.ndarray:
    return np.array([[rect.x, rect.y], [rect.x + rect.w, rect.y], [rect.x + rect.w, rect.y + rect.h],
                     [rect.x, rect.y + rect.h]], dtype=np.float32)


def _percentile(grey: np.ndarray, q: float) -> float:
    """Percentile of an 8-bit image from its histogram (much faster than sorting a full page)."""
    counts = cv2.calcHist([np.ascontiguousarray(grey)], [0], None, [256], [0, 256]).ravel()
    return float(np.searchsorted(np.cumsum(counts), q / 100.0 * grey.size))


def _decode_qr(grey: np.ndarray) -> tuple[QrData | None, np.ndarray | None, str | None]:
    """The first QR code on the page that holds one of our payloads (and its corner points)."""
    attempts = [grey]
    if max(grey.shape) > 2600:                           # very high resolution: try smaller too
        attempts.append(cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))
    attempts.append(cv2.threshold(cv2.GaussianBlur(grey, (3, 3), 0), 0, 255,
                                  cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1])
    foreign = None
    for attempt in attempts:
        factor = grey.shape[1] / attempt.shape[1]
        for result in zxingcpp.read_barcodes(attempt, formats=zxingcpp.BarcodeFormat.QRCode):
            data = parse_qr_payload(result.text)
            if data is None:
                foreign = result.text
                continue
            p = result.position
            points = np.array([[p.top_left.x, p.top_left.y], [p.top_right.x, p.top_right.y],
                               [p.bottom_right.x, p.bottom_right.y], [p.bottom_left.x, p.bottom_left.y]],
                              dtype=np.float32) * factor
            return data, points, None
    return None, None, foreign


def _find_mark(grey: np.ndarray, centre: np.ndarray, scale: float, size_mm: float,
               dark_below: float) -> np.ndarray | None:
    """Centre (px) of the solid square nearest ``centre`` within a 12 mm radius, or None."""
    radius = int(12 * scale)
    x0, y0 = int(centre[0]) - radius, int(centre[1]) - radius
    x1, y1 = x0 + 2 * radius, y0 + 2 * radius
    h, w = grey.shape
    cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if cx1 - cx0 < radius or cy1 - cy0 < radius:
        return None
    window = grey[cy0:cy1, cx0:cx1]
    mask = (window < dark_below).astype(np.uint8)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    expected = (size_mm * scale) ** 2
    best, best_distance = None, None
    for label in range(1, count):
        x, y, bw, bh, area = stats[label]
        if not 0.45 * expected <= area <= 1.9 * expected:
            continue
        if not 0.6 <= bw / max(bh, 1) <= 1.65 or area / float(bw * bh) < 0.55:
            continue
        point = centroids[label] + (cx0, cy0)
        distance = float(np.hypot(*(point - centre)))
        if best_distance is None or distance < best_distance:
            best, best_distance = point, distance
    return None if best is None else np.asarray(best, dtype=np.float64)


def align_page(grey: np.ndarray, layout: FormLayout, qr_points: np.ndarray) -> tuple[np.ndarray, float]:
    """Homography from layout millimetres to image pixels, and its error at the QR code (mm)."""
    qr_mm = _qr_points_mm(layout.qr)
    coarse, _ = cv2.estimateAffinePartial2D(qr_mm, qr_points)
    if coarse is None:
        raise UnreadablePage("QR code found but its position could not be used")
    scale = float(np.hypot(coarse[0, 0], coarse[1, 0]))     # pixels per mm
    if not 2.0 <= scale <= 30.0:
        raise UnreadablePage(f"page scale {scale * 25.4:.0f} dpi is outside 50-760 dpi")
    paper = _percentile(grey, 90)
    ink = _percentile(grey, 0.5)
    if paper - ink < 40:
        raise UnreadablePage("too little contrast between paper and print")
    dark_below = ink + 0.5 * (paper - ink)
    mark_mm, mark_px = [], []
    for mark in layout.corner_marks:
        centre_mm = np.array(mark.centre)
        predicted = coarse @ np.array([centre_mm[0], centre_mm[1], 1.0])
        found = _find_mark(grey, predicted, scale, mark.w, dark_below)
        if found is not None:
            mark_mm.append(centre_mm)
            mark_px.append(found)
    if len(mark_mm) < 3:
        raise UnreadablePage(f"corner marks not found ({len(mark_mm)} of 4): page cut off, folded or not ours")
    src = np.array(mark_mm, dtype=np.float64)
    dst = np.array(mark_px, dtype=np.float64)
    if len(mark_mm) == 4:
        homography, _ = cv2.findHomography(src, dst, 0)
    else:
        affine = cv2.getAffineTransform(src.astype(np.float32), dst.astype(np.float32))
        homography = np.vstack([affine, [0, 0, 1]])
    if homography is None:
        raise UnreadablePage("corner marks are in an impossible arrangement")
    projected = cv2.perspectiveTransform(qr_mm.reshape(-1, 1, 2).astype(np.float64), homography).reshape(-1, 2)
    error_mm = float(np.max(np.hypot(*(projected - qr_points).T))) / scale
    if error_mm > 3.0:
        raise UnreadablePage(f"corner marks and QR code disagree by {error_mm:.1f} mm (damaged or folded page)")
    return homography, error_mm


def warp_to_canonical(grey: np.ndarray, homography: np.ndarray, layout: FormLayout) -> np.ndarray:
    to_source = homography @ np.diag([1 / PPM, 1 / PPM, 1.0])
    size = (int(round(layout.page_size[0] * PPM)), int(round(layout.page_size[1] * PPM)))
    return cv2.warpPerspective(grey, to_source, size, flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=255)


# --- measuring ------------------------------------------------------------------------------

def _px(rect: Rect, margin_mm: float = 0.0) -> tuple[int, int, int, int]:
    return (int(round((rect.x - margin_mm) * PPM)), int(round((rect.y - margin_mm) * PPM)),
            int(round((rect.x + rect.w + margin_mm) * PPM)), int(round((rect.y + rect.h + margin_mm) * PPM)))


def _snap_box(darkness: np.ndarray, rect: Rect, search_mm: float = 1.2) -> tuple[int, int]:
    """Shift (px) that best lines the printed border up with the layout's box."""
    size = int(round(rect.w * PPM))
    border = max(2, int(round(0.6 * PPM)))
    template = np.zeros((size, size), np.float32)
    template[:border, :] = template[-border:, :] = 1
    template[:, :border] = template[:, -border:] = 1
    x0, y0, x1, y1 = _px(rect, search_mm)
    patch = darkness[max(y0, 0):y1, max(x0, 0):x1]
    if patch.shape[0] < size or patch.shape[1] < size:
        return 0, 0
    scores = cv2.matchTemplate(patch, template, cv2.TM_CCORR_NORMED)
    _, best, _, location = cv2.minMaxLoc(scores)
    if best < 0.5:
        return 0, 0
    reach = int(round(search_mm * PPM))
    return location[0] - reach, location[1] - reach


def measure_box(canonical: np.ndarray, darkness: np.ndarray, rect: Rect, levels: tuple[float, float],
                thresholds: Thresholds) -> tuple[float, float]:
    """(share of dark pixels, share of faint-or-darker pixels) inside the box, border excluded."""
    dx, dy = _snap_box(darkness, rect)
    inset = thresholds.inset_mm
    inner = Rect(rect.x + inset, rect.y + inset, rect.w - 2 * inset, rect.h - 2 * inset)
    x0, y0, x1, y1 = _px(inner)
    region = canonical[y0 + dy:y1 + dy, x0 + dx:x1 + dx].astype(np.float32)
    if region.size == 0:
        return 0.0, 0.0
    black, white = levels
    dark = float(np.mean(region < black + thresholds.dark_level * (white - black)))
    faint = float(np.mean(region < black + thresholds.faint_level * (white - black)))
    return dark, faint


def classify(dark: float, faint: float, t: Thresholds) -> tuple[str, float]:
    """State and confidence of one box.

    Two pieces of evidence that the box is marked, each scaled so that 0 is "clearly empty", 0.5 the
    middle of its uncertain band and 1 "clearly marked": the share of dark pixels (pen, felt tip,
    firm pencil) and the share of grey-but-not-dark pixels (faint pencil). The stronger one decides;
    confidence is how far it is from the middle of the band. Below ``review_below`` a person decides.
    """
    dark_middle = (t.dark_empty + t.dark_ticked) / 2
    faint_middle = (t.faint_empty + t.faint_ticked) / 2
    dark_score = 0.5 + 0.5 * (dark - dark_middle) / (t.dark_ticked - dark_middle)
    light = max(0.0, faint - dark)      # grey only: a dark blot's soft edge is not pencil evidence
    faint_score = 0.5 + 0.5 * (light - faint_middle) / (t.faint_ticked - faint_middle)
    score = max(dark_score, faint_score)
    if score >= 0.5:
        guess = "ticked"
        confidence = min(1.0, score)
        if dark_score < 0.5:
            confidence = min(confidence, 0.9)   # a grey mark only: never fully certain
    else:
        guess = "empty"
        confidence = min(1.0, 1.0 - score)
    return (guess if confidence >= t.review_below else "uncertain"), confidence


def _png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _crop(canonical: np.ndarray, rects: Iterable[Rect], margin_mm: float = 3.0) -> np.ndarray:
    rects = list(rects)
    x0 = min(r.x for r in rects) - margin_mm
    y0 = min(r.y for r in rects) - margin_mm
    x1 = max(r.x + r.w for r in rects) + margin_mm
    y1 = max(r.y + r.h for r in rects) + margin_mm
    h, w = canonical.shape
    return canonical[max(0, int(y0 * PPM)):min(h, int(y1 * PPM)), max(0, int(x0 * PPM)):min(w, int(x1 * PPM))]


def _largest_mark_mm2(inked: np.ndarray) -> float:
    """The area in mm² of the biggest patch of connected ink in a mask at PPM pixels per mm. Gaps of a pixel
    or two (a faint pencil stroke that the threshold breaks up) are bridged to find the patches, and only the
    inked pixels are counted, so scattered noise stays a scatter of tiny patches."""
    if not inked.any():
        return 0.0
    mask = inked.astype(np.uint8)
    joined = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    count, labels = cv2.connectedComponents(joined, connectivity=8)
    if count < 2:
        return 0.0
    per_patch = np.bincount(labels[inked], minlength=count)[1:]
    return float(per_patch.max()) / (PPM * PPM)


def read_page(grey: np.ndarray, layouts: LayoutProvider = build_layout,
              thresholds: Thresholds = DEFAULT_THRESHOLDS, source: str = "", index: int = 1) -> PageResult:
    """Read one page image. Never raises for a bad page: returns status "unreadable" and why."""
    result = PageResult(source, index, "unreadable")
    try:
        if grey is None or grey.size == 0 or min(grey.shape) < 200:
            raise UnreadablePage("image too small to be a scanned page")
        if _percentile(grey, 99.5) - _percentile(grey, 0.5) < 40:
            raise UnreadablePage("blank page (no print found)")
        qr, qr_points, foreign = _decode_qr(grey)
        if qr is None:
            raise UnreadablePage("QR code is not from a msp-feedback form" if foreign else
                                 "no QR code found (not our form, blank, or too damaged)")
        result.qr = qr
        try:
            layout = layouts(qr.form_id, qr.form_version, qr.language)
        except Exception as error:  # noqa: BLE001 - a forged code must not stop the run (an OSError named the file)
            raise UnreadablePage(f"form {qr.form_id} version {qr.form_version} ({qr.language}) is unknown: {error}"[:300]) from error
        try:
            page = layout.page(qr.page)
        except KeyError:
            raise UnreadablePage(f"form has no page {qr.page}") from None
        homography, error_mm = align_page(grey, layout, qr_points)
        result.alignment_error_mm = error_mm
        canonical = warp_to_canonical(grey, homography, layout)
        marks = np.concatenate([canonical[y0:y1, x0:x1].ravel()
                                for x0, y0, x1, y1 in (_px(m, -1.5) for m in layout.corner_marks)])
        black = float(np.median(marks))
        white = _percentile(canonical, 90)
        if white - black < 40:
            raise UnreadablePage("too little contrast after alignment")
        darkness = np.clip((white - canonical.astype(np.float32)) / (white - black), 0, 1)
        result.questions = _read_questions(canonical, darkness, layout, page.boxes, (black, white), thresholds)
        result.status = "read"
    except UnreadablePage as error:
        result.reason = str(error)
    return result


def _read_questions(canonical: np.ndarray, darkness: np.ndarray, layout: FormLayout, boxes: tuple[Box, ...],
                    levels: tuple[float, float], thresholds: Thresholds) -> list[QuestionResult]:
    by_question: dict[str, list[Box]] = {}
    for box in boxes:
        by_question.setdefault(box.question, []).append(box)
    out: list[QuestionResult] = []
    page_blocks = {b.question: b for p in layout.pages for b in p.blocks}
    for question, qboxes in by_question.items():
        if qboxes[0].kind == "free_text":
            rect = qboxes[0].rect
            # Writing is looked for from just below the printed hint (its depth is the layout's, per language)
            # down to the border, and inside the border at the sides.
            hint = layout.free_text_hint_depth()
            probe = Rect(rect.x + 2.5, rect.y + hint, rect.w - 5.0, rect.h - hint - 2.5)
            x0, y0, x1, y1 = _px(probe)
            region = canonical[y0:y1, x0:x1].astype(np.float32)
            black, white = levels
            inked = region < black + thresholds.faint_level * (white - black)
            largest = _largest_mark_mm2(inked)
            out.append(QuestionResult(question, "free_text", has_writing=largest >= thresholds.writing_mm2,
                                      ink=float(np.mean(inked)) if inked.size else 0.0, largest_mark_mm2=largest,
                                      crop_png=_png(_crop(canonical, [rect], 2.0))))
            continue
        readings = []
        for box in qboxes:
            dark, faint = measure_box(canonical, darkness, box.rect, levels, thresholds)
            state, confidence = classify(dark, faint, thresholds)
            readings.append(BoxReading(box.id, box.answer or "", state, dark, faint, confidence))
        ticked = [r for r in readings if r.state == "ticked"]
        uncertain = [r for r in readings if r.state == "uncertain"]
        item = QuestionResult(question, "single", readings=tuple(readings))
        if len(ticked) > 1:
            item.review_reason = "multiple"
        elif uncertain:
            item.review_reason = "uncertain"
        elif ticked:
            item.answer = ticked[0].answer
        if item.review_reason:
            block = page_blocks.get(question)
            rects = [b.rect for b in qboxes] + ([r for _, r in block.answer_texts] if block else [])
            item.crop_png = _png(_crop(canonical, rects))
        out.append(item)
    return out


# --- another copy of a page already read ------------------------------------------------------

def _as_recorded(result: PageResult) -> RecordedSheet:
    """What a page read earlier in this run will store, in the shape the store returns."""
    return RecordedSheet(
        answers={q.question: q.answer for q in result.questions if q.kind != "free_text" and q.answer is not None},
        undecided=frozenset(q.question for q in result.questions if q.review_reason),
        written={q.question: q.crop_png for q in result.questions if q.kind == "free_text" and q.has_writing})


def _ink(png: bytes) -> np.ndarray | None:
    try:
        grey = np.array(Image.open(io.BytesIO(png)).convert("L"))
    except Exception:
        return None
    black, white = _percentile(grey, 0.5), _percentile(grey, 90)
    if white - black < 40:
        return np.zeros(grey.shape, bool)
    return grey < black + DEFAULT_THRESHOLDS.faint_level * (white - black)


def writing_differs(a_png: bytes, b_png: bytes, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> bool:
    """True when two crops of one free-text box hold different writing: ink in one that the other has
    nowhere near (0.75 mm, more than a rescan's misalignment) making a mark as big as one that means
    "written in" (one short word differs). The printed border and hint are in both, so they cancel out.
    Unknown or unequal crops differ."""
    if a_png == b_png:
        return False
    a, b = _ink(a_png), _ink(b_png)
    if a is None or b is None or a.shape != b.shape:
        return True
    kernel = np.ones((int(1.5 * PPM) | 1,) * 2, np.uint8)
    grown_a = cv2.dilate(a.astype(np.uint8), kernel).astype(bool)
    grown_b = cv2.dilate(b.astype(np.uint8), kernel).astype(bool)
    alone = max(_largest_mark_mm2(a & ~grown_b), _largest_mark_mm2(b & ~grown_a))
    return alone >= thresholds.writing_mm2


def copy_differences(result: PageResult, earlier: RecordedSheet | None,
                     thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[str]:
    """The questions on which this copy of a page differs from what was read or stored before.

    A question the machine is unsure of on either copy is not compared (a person looks at it anyway);
    consent left blank reads as "none", which is also what a sheet without a consent answer stores.
    Nothing stored for the sheet (``earlier`` None) while its page is marked: every answer or writing
    on this copy counts as a difference, so it is kept rather than dropped.
    """
    earlier = earlier or RecordedSheet()
    differences = []
    for q in result.questions:
        if q.kind == "free_text":
            before = earlier.written.get(q.question)
            if q.has_writing != (before is not None) or (
                    q.has_writing and before is not None and writing_differs(q.crop_png, before, thresholds)):
                differences.append(q.question)
            continue
        if q.review_reason or q.question in earlier.undecided:
            continue
        before = earlier.answers.get(q.question)
        if q.question == "consent" and q.answer is None and before == "none":
            continue
        if q.answer != before:
            differences.append(q.question)
    return differences


# --- a whole scan run ------------------------------------------------------------------------

@dataclass
class ScanReport:
    pages: list[PageResult] = field(default_factory=list)
    submissions: dict[str, str] = field(default_factory=dict)      # sheet id -> reference
    answers_recorded: int = 0
    review_items: int = 0
    free_text_queued: int = 0

    @property
    def unreadable(self) -> list[PageResult]:
        return [p for p in self.pages if p.status == "unreadable"]

    @property
    def duplicates(self) -> list[PageResult]:
        return [p for p in self.pages if p.status == "duplicate"]

    def to_dict(self) -> dict:
        return {
            "sheets_read": len(self.submissions),
            "pages_read": sum(1 for p in self.pages if p.status == "read"),
            "answers_recorded": self.answers_recorded,
            "sent_to_review": self.review_items,
            "free_text_to_type": self.free_text_queued,
            "duplicates": [p.to_dict() for p in self.duplicates],
            "unreadable": [p.to_dict() for p in self.unreadable],
            "submissions": self.submissions,
            "pages": [p.to_dict() for p in self.pages],
        }

    def summary(self) -> str:
        data = self.to_dict()
        lines = [
            f"Sheets read: {data['sheets_read']} ({data['pages_read']} pages)",
            f"Answers recorded: {data['answers_recorded']}",
            f"Sent to review: {data['sent_to_review']} questions",
            f"Free-text boxes waiting to be typed: {data['free_text_to_type']}",
            f"Duplicate pages (already scanned, nothing recorded): {len(self.duplicates)}",
        ]
        for page in self.duplicates:
            lines.append(f"  {page.source} page {page.index}: sheet {page.qr.sheet_id if page.qr else '?'} "
                         f"page {page.qr.page if page.qr else '?'} was read before")
        lines.append(f"Pages that could not be read (kept for a person): {len(self.unreadable)}")
        for page in self.unreadable:
            lines.append(f"  {page.source} page {page.index}: {page.reason}")
        return "\n".join(lines)


def scan_files(paths: Iterable[str | Path], store: PaperStore, *, dpi: int = 200,
               layouts: LayoutProvider = build_layout, thresholds: Thresholds = DEFAULT_THRESHOLDS,
               max_pdf_pages: int = MAX_PDF_PAGES, pixel_limit: int = MAX_PAGE_PIXELS) -> ScanReport:
    report = ScanReport()
    pages = (page for path in paths
             for page in load_pages(path, dpi=dpi, max_pdf_pages=max_pdf_pages, pixel_limit=pixel_limit))
    return scan_pages(pages, store, layouts=layouts, thresholds=thresholds, report=report)


def scan_pages(pages: Iterable[PageImage], store: PaperStore, *, layouts: LayoutProvider = build_layout,
               thresholds: Thresholds = DEFAULT_THRESHOLDS, report: ScanReport | None = None) -> ScanReport:
    report = report or ScanReport()
    fresh: dict[str, list[PageResult]] = {}
    sheets: dict[str, SheetRecord] = {}
    for page in pages:
        if page.image is None:
            result = PageResult(page.source, page.index, "unreadable", reason=page.error or "unreadable")
        else:
            result = read_page(page.image, layouts, thresholds, page.source, page.index)
        if result.status == "read" and result.qr is not None:
            sheet = store.find_sheet(result.qr.sheet_id)
            if sheet is None:
                result.status, result.reason = "unreadable", f"sheet {result.qr.sheet_id} was not issued by this service"
            elif (sheet.form_id, sheet.form_version, sheet.language) != (
                    result.qr.form_id, result.qr.form_version, result.qr.language):
                result.status, result.reason = "unreadable", "QR code does not match the sheet issued with that id"
            elif not store.mark_page_scanned(sheet.sheet_id, result.qr.page):
                earlier = next((_as_recorded(r) for r in fresh.get(sheet.sheet_id, []) if r.qr.page == result.qr.page),
                               None) or store.recorded_sheet(sheet.sheet_id)
                differences = copy_differences(result, earlier, thresholds)
                if differences:
                    result.status, result.reason = "unreadable", (
                        f"another copy of sheet {sheet.sheet_id} page {result.qr.page}, already returned, with "
                        f"different answers ({', '.join(differences)}): a person must decide whose they are")
                else:
                    result.status, result.reason = "duplicate", "this page of this sheet was scanned before"
            else:
                sheets[sheet.sheet_id] = sheet
                fresh.setdefault(sheet.sheet_id, []).append(result)
        if result.status == "unreadable":
            # The issued sheet the page's QR code names: the page is its person's (erasure and subject-access
            # export find it by the sheet), and, unless that page is in already, it can be keyed in by its
            # sheet id (the marker: the staff screen links it). Another copy of a page already in is tied to
            # no one: it may be a photocopy someone else filled in, and showing it in that sheet's person's
            # subject-access export would give another person's words away; a person decides whose it is.
            named = None
            if (result.qr is not None and not result.reason.startswith("another copy")
                    and (known := store.find_sheet(result.qr.sheet_id)) is not None
                    and (known.form_id, known.form_version, known.language)
                    == (result.qr.form_id, result.qr.form_version, result.qr.language)):
                named = known.sheet_id
                result.reason += f" {sheet_marker(result.qr.sheet_id, result.qr.page)}"
            image_png = _png(page.image) if page.image is not None else b""
            store.record_unreadable(page.source, page.index, result.reason, image_png, sheet_id=named)
        report.pages.append(result)

    for sheet_id, results in fresh.items():
        sheet = sheets[sheet_id]
        answers: dict[str, str] = {}
        crops: dict[str, bytes] = {}
        reviews: list[ReviewItem] = []
        for result in sorted(results, key=lambda r: r.qr.page if r.qr else 0):
            for q in result.questions:
                if q.kind == "free_text":
                    if q.has_writing:
                        crops[q.question] = q.crop_png
                elif q.answer is not None:
                    answers[q.question] = q.answer
                elif q.review_reason:
                    reviews.append(ReviewItem(sheet_id, result.qr.page if result.qr else 0, q.question,
                                              q.review_reason, q.readings, q.crop_png, result.source))
        report.submissions[sheet_id] = store.submit_answers(sheet, answers, crops)
        for item in reviews:
            store.queue_review(sheet, item)
        report.answers_recorded += len(answers)
        report.review_items += len(reviews)
        report.free_text_queued += len(crops)
    return report
