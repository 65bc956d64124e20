"""Where everything sits on a paper form, in millimetres from the top-left corner of an A4 sheet.

The layout is *data*: render writes it (``--layout-out``) and draws exactly these rectangles;
scan reads box positions from it and from nothing else. It is computed from the questionnaire
definition and the language only (never from how long a translation turned out to be), so the
same form version and language always give the same layout, and a scan can rebuild it from the
QR code alone when no layout file is given.

Right-to-left languages (Urdu, Arabic) mirror the page: picture on the right, where reading
starts, tick boxes at the right-hand end of each answer line, QR code at the top left.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from service.i18n import direction as language_direction

QUESTIONNAIRE_DIR = Path(__file__).resolve().parents[2] / "service" / "questionnaire"

PAGE_W = 210.0
PAGE_H = 297.0
MAX_PAGES = 4

# Corner marks: solid black squares, 7 mm, 8 mm in from each edge (inside most printers'
# unprintable margin of about 5 mm). Their centres anchor the page-to-scan alignment.
MARK_SIZE = 7.0
MARK_INSET = 8.0

QR_SIZE = 24.0          # printed symbol without its quiet zone; ~1 mm modules for a 25x25 symbol
QR_TOP = 14.0

BOX_SIZE = 10.0         # tick boxes: 10 mm (the issue asks for at least 8 mm)
ANSWER_ROW = 13.0       # height of one answer line
QUESTION_HEAD = 22.0    # room for two lines of question text (Nastaliq is tall)
PICTURE = 30.0
GAP = 7.0
CONTENT_TOP = 46.0      # below the instruction band and the QR code
CONTENT_TOP_FIRST = 62.0  # page 1 has the title too (translated titles can take two lines)
CONTENT_BOTTOM = 250.0  # above the footer (risk line, return address, attribution)
FREE_TEXT_H = 45.0
# How far down a free-text box its printed hint ("Write or draw in the box. Someone can help you.", one line of
# 14 pt grey text) reaches, in mm from the box's top edge, plus 0.7 mm for a scan aligned a little out. Measured
# on forms rendered in each language (tests/paper/test_paper_render.py keeps it true): 8.2 mm in Latin script,
# 6.6 mm in Gujarati, 7.5-8.0 mm in Gurmukhi and Bengali, 9.7 mm in Naskh, 11.9 mm in Nastaliq, whose letters
# are the tallest. The scanner looks for writing from here down: the strip just under the hint is where people
# start writing.
FREE_TEXT_HINT_DEPTH = {"ur": 12.6, "ar": 10.4, "gu": 7.4}
FREE_TEXT_HINT_DEPTH_OTHER = 8.9

# Paper-only questions so that a paper return is complete (guide section 3).
RESPONDENT = {
    "id": "respondent", "kind": "single", "pictogram": "family.svg", "domain": "paper",
    "easy_read": {"key": "paper.respondent", "text": "Who is filling in this form?"},
    "answers": [
        {"id": "person", "key": "paper.respondent.person", "text": "I am the person it happened to"},
        {"id": "family_friend", "key": "paper.respondent.family_friend", "text": "A family member or friend"},
        {"id": "advocate", "key": "paper.respondent.advocate", "text": "An advocate"},
        {"id": "helper", "key": "paper.respondent.helper", "text": "Someone helping the person"},
    ],
}
CONSENT = {
    "id": "consent", "kind": "single", "pictogram": "meeting.svg", "domain": "paper",
    "easy_read": {"key": "paper.consent", "text": "Can we tell the service what you said?"},
    "answers": [
        {"id": "named", "key": "paper.consent.named", "text": "Yes, with my name"},
        {"id": "anonymous", "key": "paper.consent.anonymous", "text": "Yes, but not my name"},
        {"id": "none", "key": "paper.consent.none", "text": "No, do not tell them"},
    ],
}


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)


@dataclass(frozen=True)
class Box:
    """One tick box or free-text box: what it stands for and where it is."""
    id: str                 # "<question>.<answer>" for a tick box, "<question>" for free text
    kind: str               # "tick" | "free_text"
    question: str
    answer: str | None
    rect: Rect


@dataclass(frozen=True)
class Block:
    """One question on a page: its picture, its text and its answer lines (for the renderer)."""
    question: str
    kind: str
    picture: Rect
    text: Rect
    answer_texts: tuple[tuple[str, Rect], ...]   # (answer id, where its words go)


@dataclass(frozen=True)
class PageLayout:
    number: int
    blocks: tuple[Block, ...]
    boxes: tuple[Box, ...]


@dataclass(frozen=True)
class FormLayout:
    form_id: str
    form_version: int
    language: str
    direction: str
    page_size: tuple[float, float]
    corner_marks: tuple[Rect, ...]    # top-left, top-right, bottom-left, bottom-right
    qr: Rect
    pages: tuple[PageLayout, ...]
    questions: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {kind, answers}

    # --- lookups -----------------------------------------------------------------------------
    def page(self, number: int) -> PageLayout:
        for page in self.pages:
            if page.number == number:
                return page
        raise KeyError(f"form {self.form_id} v{self.form_version} has no page {number}")

    def free_text_hint_depth(self) -> float:
        """How far down each free-text box the printed hint reaches (mm), in this layout's language."""
        return FREE_TEXT_HINT_DEPTH.get(self.language, FREE_TEXT_HINT_DEPTH_OTHER)

    def all_boxes(self) -> list[tuple[int, Box]]:
        return [(page.number, box) for page in self.pages for box in page.boxes]

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()[:16]

    # --- JSON --------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "units": "mm",
            "origin": "top-left of the page as printed",
            "form_id": self.form_id,
            "form_version": self.form_version,
            "language": self.language,
            "direction": self.direction,
            "page_size": list(self.page_size),
            "corner_marks": [asdict(r) for r in self.corner_marks],
            "qr": asdict(self.qr),
            "questions": self.questions,
            "pages": [
                {
                    "number": page.number,
                    "blocks": [
                        {
                            "question": b.question, "kind": b.kind,
                            "picture": asdict(b.picture), "text": asdict(b.text),
                            "answer_texts": [{"answer": a, "rect": asdict(r)} for a, r in b.answer_texts],
                        }
                        for b in page.blocks
                    ],
                    "boxes": [
                        {"id": b.id, "kind": b.kind, "question": b.question, "answer": b.answer,
                         "rect": asdict(b.rect)}
                        for b in page.boxes
                    ],
                }
                for page in self.pages
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "FormLayout":
        if data.get("units", "mm") != "mm":
            raise ValueError("layout must be in millimetres")
        return cls(
            form_id=data["form_id"],
            form_version=int(data["form_version"]),
            language=data["language"],
            direction=data["direction"],
            page_size=tuple(data["page_size"]),  # type: ignore[arg-type]
            corner_marks=tuple(Rect(**r) for r in data["corner_marks"]),
            qr=Rect(**data["qr"]),
            questions=data.get("questions", {}),
            pages=tuple(
                PageLayout(
                    number=int(p["number"]),
                    blocks=tuple(
                        Block(
                            question=b["question"], kind=b["kind"],
                            picture=Rect(**b["picture"]), text=Rect(**b["text"]),
                            answer_texts=tuple((a["answer"], Rect(**a["rect"])) for a in b["answer_texts"]),
                        )
                        for b in p.get("blocks", [])
                    ),
                    boxes=tuple(
                        Box(id=b["id"], kind=b["kind"], question=b["question"], answer=b["answer"],
                            rect=Rect(**b["rect"]))
                        for b in p["boxes"]
                    ),
                )
                for p in data["pages"]
            ),
        )

    @classmethod
    def from_json(cls, text: str) -> "FormLayout":
        return cls.from_dict(json.loads(text))


# --- questionnaire ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def load_questionnaire(form_id: str = "msp", version: int = 1) -> dict[str, Any]:
    path = QUESTIONNAIRE_DIR / f"{form_id}-v{version}.json"
    if not path.exists():
        raise FileNotFoundError(f"no questionnaire {form_id!r} version {version} ({path})")
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("id") != form_id or int(data.get("version", -1)) != version:
        raise ValueError(f"{path} does not hold {form_id} version {version}")
    return data


def paper_questions(questionnaire: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions in paper order: who is answering first, consent last."""
    return [RESPONDENT, *questionnaire["questions"], CONSENT]


def _horizontal(question: dict[str, Any]) -> bool:
    """Short answer sets (Yes / A bit / No) go side by side on one line to save room."""
    answers = question.get("answers", [])
    return len(answers) <= 3 and all(len(a["text"]) <= 12 for a in answers)


def _block_height(question: dict[str, Any]) -> float:
    if question["kind"] == "free_text":
        return QUESTION_HEAD + FREE_TEXT_H
    rows = 1 if _horizontal(question) else len(question["answers"])
    return max(PICTURE, QUESTION_HEAD + ANSWER_ROW * rows)


def _content_top(page_number: int) -> float:
    return CONTENT_TOP_FIRST if page_number == 1 else CONTENT_TOP


def _paginate(questions: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    pages: list[list[dict[str, Any]]] = [[]]
    used = 0.0
    for question in questions:
        room = CONTENT_BOTTOM - _content_top(len(pages))
        height = _block_height(question)
        needed = height if not pages[-1] else used + GAP + height
        if pages[-1] and needed > room:
            pages.append([])
            used = height
        else:
            used = needed
        pages[-1].append(question)
    return pages


@lru_cache(maxsize=None)
def build_layout(form_id: str = "msp", version: int = 1, language: str = "en") -> FormLayout:
    questionnaire = load_questionnaire(form_id, version)
    rtl = language_direction(language) == "rtl"
    questions = paper_questions(questionnaire)
    page_groups = _paginate(questions)
    if len(page_groups) > MAX_PAGES:
        raise ValueError(f"form needs {len(page_groups)} pages; at most {MAX_PAGES} allowed")

    left = MARK_INSET + MARK_SIZE + 3.0          # 18 mm
    right = PAGE_W - left                         # 192 mm
    marks = (
        Rect(MARK_INSET, MARK_INSET, MARK_SIZE, MARK_SIZE),
        Rect(PAGE_W - MARK_INSET - MARK_SIZE, MARK_INSET, MARK_SIZE, MARK_SIZE),
        Rect(MARK_INSET, PAGE_H - MARK_INSET - MARK_SIZE, MARK_SIZE, MARK_SIZE),
        Rect(PAGE_W - MARK_INSET - MARK_SIZE, PAGE_H - MARK_INSET - MARK_SIZE, MARK_SIZE, MARK_SIZE),
    )
    qr = Rect(left, QR_TOP, QR_SIZE, QR_SIZE) if rtl else Rect(right - QR_SIZE, QR_TOP, QR_SIZE, QR_SIZE)

    def mirror(r: Rect) -> Rect:
        return Rect(round(PAGE_W - r.x - r.w, 2), r.y, r.w, r.h) if rtl else r

    pages: list[PageLayout] = []
    for number, group in enumerate(page_groups, start=1):
        y = _content_top(number)
        blocks: list[Block] = []
        boxes: list[Box] = []
        for question in group:
            height = _block_height(question)
            text_x = left + PICTURE + 6.0
            picture = mirror(Rect(left, y, PICTURE, PICTURE))
            text = mirror(Rect(text_x, y, right - text_x, QUESTION_HEAD - 2.0))
            answer_texts: list[tuple[str, Rect]] = []
            if question["kind"] == "free_text":
                box = mirror(Rect(text_x, y + QUESTION_HEAD, right - text_x, FREE_TEXT_H - 2.0))
                boxes.append(Box(question["id"], "free_text", question["id"], None, box))
            else:
                horizontal = _horizontal(question)
                column = (right - text_x) / 3
                for index, answer in enumerate(question["answers"]):
                    if horizontal:
                        row_y = y + QUESTION_HEAD
                        box_x = text_x + index * column
                        words_w = column - BOX_SIZE - 6.0
                    else:
                        row_y = y + QUESTION_HEAD + index * ANSWER_ROW
                        box_x = text_x
                        words_w = right - text_x - BOX_SIZE - 4.0
                    box = mirror(Rect(round(box_x, 2), row_y, BOX_SIZE, BOX_SIZE))
                    words = mirror(Rect(round(box_x + BOX_SIZE + 4.0, 2), row_y,
                                        round(words_w, 2), BOX_SIZE))
                    boxes.append(Box(f"{question['id']}.{answer['id']}", "tick", question["id"],
                                     answer["id"], box))
                    answer_texts.append((answer["id"], words))
            blocks.append(Block(question["id"], question["kind"], picture, text, tuple(answer_texts)))
            y += height + GAP
        pages.append(PageLayout(number, tuple(blocks), tuple(boxes)))

    return FormLayout(
        form_id=form_id,
        form_version=version,
        language=language,
        direction="rtl" if rtl else "ltr",
        page_size=(PAGE_W, PAGE_H),
        corner_marks=marks,
        qr=qr,
        pages=tuple(pages),
        questions={
            q["id"]: {"kind": q["kind"], "answers": [a["id"] for a in q.get("answers", [])]}
            for q in questions
        },
    )
