"""What the paper library needs from storage, and an in-memory (optionally file-backed) store.

The library stays pure: render and scan talk to a ``PaperStore``. The service supplies one backed
by its database (the lead's SQLAlchemy store) through ``easy_read.paper.cli.store_factory``.

Contract, in the order scan uses it:
- ``register_sheet`` at render time, once per printed copy (sheet id unique, never reused).
- ``find_sheet`` when a QR code is read; ``None`` means the sheet was not issued here.
- ``mark_page_scanned(sheet_id, page)`` returns False when that page of that sheet was already
  read: the caller reports a duplicate and records nothing from it.
- ``submit_answers`` once per sheet per scan run with the answers the machine is sure of and the
  crops of written free-text boxes. Pages of one sheet may come back in separate runs: a second
  call for the same sheet must add to the same submission (same reference returned).
- ``queue_review`` for each question a person must decide (uncertain box, two boxes ticked).
- ``record_unreadable`` for every page that could not be read: kept with its image and reason.
- ``recorded_sheet(sheet_id)`` when a page comes back that was read before: what is stored for the
  sheet, so that scan can tell an identical rescan (a plain duplicate, nothing stored) from another
  copy of the sheet with different answers (a photocopy filled in by someone else), which is kept
  with its image on the unreadable list for a person to decide.
"""
from __future__ import annotations

import base64
import json
import re
import secrets
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class SheetRecord:
    sheet_id: str
    form_id: str
    form_version: int
    language: str
    pages: int
    case_ref: str | None = None
    provider_id: str | None = None
    layout_fingerprint: str | None = None
    created_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat())


@dataclass(frozen=True)
class BoxReading:
    """The machine's reading of one tick box."""
    box_id: str
    answer: str
    state: str              # "ticked" | "empty" | "uncertain"
    coverage: float         # share of dark pixels inside the box (border excluded)
    faint: float            # share of pixels darker than paper (catches light pencil)
    confidence: float       # 0..1; below the review threshold a person decides


@dataclass(frozen=True)
class ReviewItem:
    sheet_id: str
    page: int
    question_id: str
    reason: str                         # "uncertain" | "multiple"
    readings: tuple[BoxReading, ...]    # every box of the question, with confidences
    crop_png: bytes                     # the question's boxes as scanned, for the staff screen
    source: str = ""                    # file the page came from

    @property
    def least_confidence(self) -> float:
        """Review screens sort by this, least certain first (as SDAPS does)."""
        return min((r.confidence for r in self.readings), default=0.0)


SHEET_MARKER = re.compile(r"\[sheet ([0-9A-Z]{4,16}) page (\d{1,2})\]$")


def sheet_marker(sheet_id: str, page: int) -> str:
    """The end of an unreadable page's reason when its QR code named a sheet this service issued."""
    return f"[sheet {sheet_id} page {page}]"


def marked_sheet(reason: str) -> tuple[str, int] | None:
    """(sheet id, page) from a reason ending in ``sheet_marker``, else None."""
    match = SHEET_MARKER.search(reason or "")
    return (match[1], int(match[2])) if match else None


@dataclass(frozen=True)
class RecordedSheet:
    """What is stored for a sheet, to compare another copy of one of its pages with."""
    answers: dict[str, str] = field(default_factory=dict)       # incl. the paper-only respondent, consent
    undecided: frozenset[str] = frozenset()                     # questions waiting in the review queue
    written: dict[str, bytes] = field(default_factory=dict)     # free-text question -> crop (b"": typed, no picture)


@runtime_checkable
class PaperStore(Protocol):
    def register_sheet(self, sheet: SheetRecord) -> None: ...

    def find_sheet(self, sheet_id: str) -> SheetRecord | None: ...

    def mark_page_scanned(self, sheet_id: str, page: int) -> bool: ...

    def submit_answers(self, sheet: SheetRecord, answers: dict[str, str],
                       free_text_crops: dict[str, bytes]) -> str: ...

    def queue_review(self, sheet: SheetRecord, item: ReviewItem) -> str: ...

    def record_unreadable(self, source: str, page: int, reason: str, image_png: bytes,
                          sheet_id: str | None = None) -> str: ...

    def recorded_sheet(self, sheet_id: str) -> RecordedSheet | None: ...


@dataclass
class Submission:
    reference: str
    sheet_id: str
    case_ref: str | None
    provider_id: str | None
    language: str
    answers: dict[str, str] = field(default_factory=dict)
    free_text_crops: dict[str, bytes] = field(default_factory=dict)   # waiting to be typed


@dataclass
class Unreadable:
    id: str
    source: str
    page: int
    reason: str
    image_png: bytes
    sheet_id: str | None = None     # the issued sheet its QR code named: the page is that sheet's person's


class InMemoryPaperStore:
    """Keeps everything in dictionaries. With ``path`` it also saves to and loads from a JSON file,
    so that ``paper render`` and a later ``paper scan`` run by hand share their sheets."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        self.sheets: dict[str, SheetRecord] = {}
        self.scanned_pages: set[tuple[str, int]] = set()
        self.submissions: dict[str, Submission] = {}       # by sheet id
        self.reviews: dict[str, tuple[SheetRecord, ReviewItem]] = {}
        self.unreadable: dict[str, Unreadable] = {}
        if self.path and self.path.exists():
            self._load()

    # --- protocol ------------------------------------------------------------------------------
    def register_sheet(self, sheet: SheetRecord) -> None:
        with self._lock:
            if sheet.sheet_id in self.sheets:
                raise ValueError(f"sheet id {sheet.sheet_id} already issued")
            self.sheets[sheet.sheet_id] = sheet
            self._save()

    def find_sheet(self, sheet_id: str) -> SheetRecord | None:
        return self.sheets.get(sheet_id)

    def mark_page_scanned(self, sheet_id: str, page: int) -> bool:
        with self._lock:
            key = (sheet_id, int(page))
            if key in self.scanned_pages:
                return False
            self.scanned_pages.add(key)
            self._save()
            return True

    def submit_answers(self, sheet: SheetRecord, answers: dict[str, str],
                       free_text_crops: dict[str, bytes]) -> str:
        with self._lock:
            submission = self.submissions.get(sheet.sheet_id)
            if submission is None:
                submission = Submission(
                    reference="P-" + secrets.token_hex(4).upper(), sheet_id=sheet.sheet_id,
                    case_ref=sheet.case_ref, provider_id=sheet.provider_id, language=sheet.language)
                self.submissions[sheet.sheet_id] = submission
            submission.answers.update(answers)
            submission.free_text_crops.update(free_text_crops)
            self._save()
            return submission.reference

    def queue_review(self, sheet: SheetRecord, item: ReviewItem) -> str:
        with self._lock:
            review_id = "R-" + secrets.token_hex(4).upper()
            self.reviews[review_id] = (sheet, item)
            self._save()
            return review_id

    def record_unreadable(self, source: str, page: int, reason: str, image_png: bytes,
                          sheet_id: str | None = None) -> str:
        with self._lock:
            item_id = "U-" + secrets.token_hex(4).upper()
            self.unreadable[item_id] = Unreadable(item_id, source, page, reason, image_png, sheet_id)
            self._save()
            return item_id

    def recorded_sheet(self, sheet_id: str) -> RecordedSheet | None:
        submission = self.submissions.get(sheet_id)
        if submission is None:
            return None
        undecided = frozenset(item.question_id for sheet, item in self.reviews.values() if sheet.sheet_id == sheet_id)
        return RecordedSheet(dict(submission.answers), undecided, dict(submission.free_text_crops))

    # --- review queue helpers (what a staff screen would call) --------------------------------
    def review_queue(self) -> list[tuple[str, ReviewItem]]:
        """Open review items, least certain first."""
        return sorted(((rid, item) for rid, (_, item) in self.reviews.items()),
                      key=lambda pair: pair[1].least_confidence)

    # --- persistence ---------------------------------------------------------------------------
    def _save(self) -> None:
        if not self.path:
            return
        b64 = lambda data: base64.b64encode(data).decode("ascii")  # noqa: E731
        data = {
            "sheets": [asdict(s) for s in self.sheets.values()],
            "scanned_pages": sorted([list(k) for k in self.scanned_pages]),
            "submissions": [
                {**{k: v for k, v in asdict(s).items() if k != "free_text_crops"},
                 "free_text_crops": {q: b64(png) for q, png in s.free_text_crops.items()}}
                for s in self.submissions.values()
            ],
            "reviews": [
                {"id": rid, "sheet_id": sheet.sheet_id,
                 "item": {**{k: v for k, v in asdict(item).items() if k not in ("crop_png", "readings")},
                          "readings": [asdict(r) for r in item.readings], "crop_png": b64(item.crop_png)}}
                for rid, (sheet, item) in self.reviews.items()
            ],
            "unreadable": [
                {**{k: v for k, v in asdict(u).items() if k != "image_png"}, "image_png": b64(u.image_png)}
                for u in self.unreadable.values()
            ],
        }
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(self.path)

    def _load(self) -> None:
        assert self.path is not None
        data = json.loads(self.path.read_text(encoding="utf-8"))
        raw = lambda text: base64.b64decode(text)  # noqa: E731
        self.sheets = {s["sheet_id"]: SheetRecord(**s) for s in data.get("sheets", [])}
        self.scanned_pages = {(s, int(p)) for s, p in data.get("scanned_pages", [])}
        for s in data.get("submissions", []):
            crops = {q: raw(png) for q, png in s.pop("free_text_crops").items()}
            self.submissions[s["sheet_id"]] = Submission(**s, free_text_crops=crops)
        for r in data.get("reviews", []):
            item = r["item"]
            readings = tuple(BoxReading(**x) for x in item.pop("readings"))
            crop = raw(item.pop("crop_png"))
            self.reviews[r["id"]] = (self.sheets[r["sheet_id"]],
                                     ReviewItem(**item, readings=readings, crop_png=crop))
        for u in data.get("unreadable", []):
            png = raw(u.pop("image_png"))
            self.unreadable[u["id"]] = Unreadable(**u, image_png=png)
