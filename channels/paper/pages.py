"""Staff screens of the paper channel, for data-entry staff (and admins):

/staff/paper                          what is waiting: review, typing, unreadable pages
/staff/paper/key                      keyed entry: type or scan (USB QR scanner) the sheet id, then one key
                                      per answer and the free text typed in; saved through the one intake path
/staff/paper/review                   questions the scan could not decide, least certain first, with the crop
/staff/paper/review/{id}              decide one (POST)
/staff/paper/texts                    handwritten boxes waiting to be typed, with their images
/staff/paper/texts/{id}               type one (POST)
/staff/paper/unreadable               pages the scan could not read: reason and image
/staff/paper/unreadable/{id}          dealt with (POST): the page is deleted, the outcome audited
.../crop.png, .../image.png           the images, behind the same permission as the pages

Server-rendered and usable without JavaScript (radios, Tab and arrow keys); `paper.js` (served here, no
inline script: the CSP forbids it) adds the one-key-per-answer shortcuts. Every form carries a CSRF
token; every decision, and every look at the handwriting (queue pages, images), is audited.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import falcon
from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.paper import queues
from channels.paper.models import BLANK_ANSWER, PaperReview, PaperSheet, PaperTextCrop
from channels.paper.store import DatabasePaperStore, missing_pages, questions_on_pages, sheet_state
from easy_read.paper.layout import load_questionnaire, paper_questions
from easy_read.paper.render import (
    _ID_ALPHABET,
    QR_PREFIX,
    SHEET_ID_LENGTH,
    parse_qr_payload,
)
from service.api.forms import first
from service.auth.staff_pages import FormErrors, StaffPage
from service.audit.log import SUBMISSION_LIST, SUBMISSION_VIEW, record_request
from service.auth.permissions import Permission
from service.domain.model import DomainError
from service.domain.questionnaire import MAX_FREE_TEXT_CHARS
from service.i18n import LANGUAGES
from service.i18n import direction as language_direction
from service.auth.staff_pages import staff_environment
from service.storage.orm import Provider

PAPER_PATH = "/staff/paper"
TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
SCRIPT_PATH = f"{PAPER_PATH}/paper.js"
STYLESHEET_PATH = f"{PAPER_PATH}/paper.css"
_env = staff_environment(TEMPLATES)

PAPER_KEYED = "paper.keyed"
PAPER_REVIEW_DECIDED = "paper.review_decided"
PAPER_TEXT_TYPED = "paper.text_typed"
PAPER_UNREADABLE_RESOLVED = "paper.unreadable_resolved"

_SHEET_ID = re.compile(rf"^[{_ID_ALPHABET}]{{{SHEET_ID_LENGTH}}}$")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _uk_time(value) -> str:
    return value.strftime("%-d %B %Y, %H:%M UTC") if value else ""


_env.filters["uk_time"] = _uk_time


def parse_sheet_id(typed: str) -> str | None:
    """A sheet id as typed by a person or by a USB QR scanner (which types the QR payload,
    `MSPF:msp:1:ur:2:<sheet id>`, and Enter). Any case, spaces and dashes; O/I/L read as 0/1/1."""
    text = (typed or "").strip()
    if not text or len(text) > 200:
        return None
    payload = parse_qr_payload(text)
    if payload is not None:
        text = payload.sheet_id
    elif text.upper().startswith(QR_PREFIX):
        # A scanner set to another keyboard layout may type the colons as something else: the id is
        # the last field either way.
        text = re.split(r"[^0-9A-Za-z]", text)[-1]
    text = re.sub(r"[\s\-]", "", text).upper().translate(_CONFUSABLE)
    return text if _SHEET_ID.match(text) else None


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    key: str              # the single key that picks it


@dataclass(frozen=True)
class KeyedQuestion:
    id: str
    kind: str             # single | free_text
    label: str
    choices: tuple[Choice, ...] = ()


def keyed_questions(form_id: str, version: int) -> list[KeyedQuestion]:
    """The questions in the order they are printed on the paper form, with their key shortcuts:
    1, 2, 3... for the answers in printed order, 0 for "not answered"."""
    questions = []
    for q in paper_questions(load_questionnaire(form_id, version)):
        label = (q.get("text") or q["easy_read"])["text"]
        if q["kind"] == "free_text":
            questions.append(KeyedQuestion(q["id"], "free_text", label))
            continue
        choices = [Choice(a["id"], a["text"], str(i)) for i, a in enumerate(q["answers"], start=1)]
        choices.append(Choice(BLANK_ANSWER, "Not answered (left blank)", "0"))
        questions.append(KeyedQuestion(q["id"], "single", label, tuple(choices)))
    return questions


@functools.lru_cache(maxsize=16)
def _question_labels(form_id: str, version: int) -> dict[str, KeyedQuestion]:
    return {q.id: q for q in keyed_questions(form_id, version)}


def _label(form_id: str, version: int, question_id: str) -> str:
    try:
        question = _question_labels(form_id, version).get(question_id)
    except (FileNotFoundError, ValueError):
        question = None
    return question.label if question else question_id


Errors = FormErrors


def _questions_for(sheet: PaperSheet, context: dict) -> list[KeyedQuestion]:
    """The keyed-entry questions printed on the pages being keyed in, in printed order."""
    questions = keyed_questions(sheet.form_id, sheet.form_version)
    if context["key_pages"] == list(range(1, sheet.pages + 1)):
        return questions
    on_pages = questions_on_pages(sheet, context["key_pages"])
    return [q for q in questions if q.id in on_pages]


def _shown_pages(value: str, count: int) -> list[int]:
    """The pages a keyed-entry form was shown for (its hidden field); every page when absent or odd."""
    pages = sorted({int(p) for p in re.findall(r"\d{1,3}", value or "")} & set(range(1, count + 1)))
    return pages or list(range(1, count + 1))


class _Page(StaffPage):
    """The staff page helper of service/auth (same layout, CSRF, policy), with this channel's templates."""

    environment = _env
    sign_in_redirect = True

    def render(self, req, resp, template: str, *, title: str, status: str = falcon.HTTP_200, **context) -> None:
        super().render(req, resp, template, title=title, status=status,
                       stylesheet=STYLESHEET_PATH, script=SCRIPT_PATH, paper_path=PAPER_PATH, **context)

    @staticmethod
    def actor(req) -> str:
        principal = req.context.get("principal")
        if principal is None:
            return "unknown"
        return (principal.label or f"{principal.via} {principal.user_id or principal.token_id}")[:200]


class StaticFile:
    permissions = {"GET": Permission.PUBLIC}

    def __init__(self, path: Path, content_type: str):
        self._data = path.read_bytes()
        self._type = content_type

    def on_get(self, req, resp) -> None:
        resp.content_type = self._type
        resp.set_header("Cache-Control", "public, max-age=3600")   # the security headers' default CSP applies
        resp.data = self._data


@dataclass(frozen=True)
class ImageKind:
    """What an image shows, for the audit event written each time it is served."""

    target_type: str      # the audit event's target: the crop or page, by its id
    view: str
    submission_of: Callable[[Session, int], str | None] | None = None   # the feedback it belongs to, if any


def _crop_submission(session: Session, crop_id: int) -> str | None:
    return session.scalar(select(PaperTextCrop.submission_id).where(PaperTextCrop.id == crop_id))


def _review_submission(session: Session, review_id: int) -> str | None:
    return session.scalar(select(PaperReview.submission_id).where(PaperReview.id == review_id))


HANDWRITING = ImageKind("paper_text_crop", "handwriting", _crop_submission)
TICK_BOXES = ImageKind("paper_review", "tick_boxes", _review_submission)
SCANNED_PAGE = ImageKind("paper_unreadable", "scanned_page")   # nobody could read it: no feedback to name


class Image:
    """A crop or page image, for the staff screens only (it shows a person's handwriting). Every time it
    is served is audited (`submission.view`), like a view of typed words: it is never cached, so every
    look at it is a request."""

    permissions = {"GET": Permission.PAPER_ENTRY}

    def __init__(self, services, reader, kind: ImageKind):
        self._services = services
        self._reader = reader
        self._kind = kind

    def on_get(self, req, resp, item_id: int) -> None:
        with self._services.session_factory() as session:
            data = self._reader(session, item_id)
            if not data:
                raise falcon.HTTPNotFound(title="No such image", description="There is no image with that number.")
            detail = {"view": self._kind.view}
            if self._kind.submission_of is not None:
                detail["submission_id"] = self._kind.submission_of(session, item_id)
            record_request(session, req, SUBMISSION_VIEW, target_type=self._kind.target_type, target_id=item_id, detail=detail)
            session.commit()
        resp.content_type = "image/png"
        resp.set_header("Cache-Control", "no-store")
        resp.set_header("Content-Disposition", "inline")
        resp.data = data


def _record_queue_shown(session: Session, req, target_type: str, ids_name: str, ids: list[int]) -> None:
    """Audit a queue page that puts images of people's handwriting on screen, naming the items shown (like the
    translation queue). Item ids, not submission ids: each image served names its own submission. (Chosen when
    200 submission ids did not fit an event's detail; a long detail is now spread over several events.)"""
    if ids:
        record_request(session, req, SUBMISSION_LIST, target_type=target_type, detail={"count": len(ids), ids_name: ids})
        session.commit()


class PaperHome(_Page):
    permissions = {"GET": Permission.PAPER_ENTRY}

    def on_get(self, req, resp) -> None:
        with self._services.session_factory() as session:
            counts = queues.count_open(session)
        self.render(req, resp, "paper_home.html", title="Paper forms", counts=counts)


# --- keyed entry -----------------------------------------------------------------------------------

@dataclass
class KeyedDraft:
    """What was keyed so far. ``chosen`` holds every answer picked, "Not answered" (``BLANK_ANSWER``)
    included, so that a form shown again with an error keeps those choices too; a question not in it was
    not keyed at all."""

    chosen: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def answers(self) -> dict[str, str]:
        """The answers to store: the boxes ticked (a question left blank is stored as no answer)."""
        return {question: value for question, value in self.chosen.items() if value != BLANK_ANSWER}


class KeyedEntryPage(_Page):
    """Step 1 (GET, no sheet): the sheet id. Step 2 (GET ?sheet=...): the form. POST: save it."""

    permissions = {"GET": Permission.PAPER_ENTRY, "POST": Permission.PAPER_ENTRY}

    def _sheet_context(self, session, sheet: PaperSheet, pages, key_pages: list[int]) -> dict:
        """``key_pages``: the pages to key in (all of them for a new sheet; those left when some were
        scanned already, e.g. a page the scan could not read)."""
        provider = session.get(Provider, sheet.provider_id) if sheet.provider_id is not None else None
        language = LANGUAGES.get(sheet.language)
        partly = self._already(session, sheet, pages) if pages else None
        return {"sheet": sheet, "provider_name": provider.name if provider else None,
                "language_name": language.english_name if language else sheet.language,
                "rtl": language_direction(sheet.language) == "rtl", "key_pages": key_pages, "partly": partly}

    def _ask_for_id(self, req, resp, *, typed: str = "", errors: Errors | None = None, notice: str | None = None,
                    already: dict | None = None, status: str = falcon.HTTP_200) -> None:
        self.render(req, resp, "paper_key_start.html", title="Key in a paper form", typed=typed, errors=errors or Errors(),
                    error_summary=(errors.summary if errors else None), notice=notice, already=already, status=status)

    def _already(self, session, sheet: PaperSheet, pages) -> dict:
        from service.storage.orm import Submission

        reference = session.scalar(select(Submission.reference).where(Submission.id == sheet.submission_id)) if sheet.submission_id else None
        return {"sheet_id": sheet.sheet_id, "reference": reference, "pages": [p.page for p in pages],
                "via": sorted({p.via for p in pages}), "when": max(p.scanned_at for p in pages)}

    @staticmethod
    def _record_sheet_shown(session, req, sheet: PaperSheet, view: str, reference: str | None) -> None:
        """Audit a page that shows the sheet's case reference (the person's s42 case) or the reference of
        the feedback it is part of, as every view of a person's details is (`submission.view`, target the
        sheet). A sheet with neither shows nothing about anyone: no event."""
        if not sheet.case_ref and not reference:
            return
        record_request(session, req, SUBMISSION_VIEW, target_type="paper_sheet", target_id=sheet.sheet_id,
                       detail={"view": view, "submission_id": sheet.submission_id, "case_reference": bool(sheet.case_ref)})
        session.commit()

    def _already_in(self, req, resp, session, sheet: PaperSheet, pages) -> None:
        """409: every page of the sheet is in; says when, and as which feedback."""
        already = self._already(session, sheet, pages)
        self._record_sheet_shown(session, req, sheet, "paper_already_in", already["reference"])
        self._ask_for_id(req, resp, already=already, status=falcon.HTTP_409)

    def on_get(self, req, resp) -> None:
        typed = req.get_param("sheet") or ""
        saved = req.get_param("saved") or ""
        notice = None
        if re.fullmatch(r"MSP-[A-Z0-9]{4}-[A-Z0-9]{4}", saved):
            notice = f"Saved as feedback {saved}. Key in the next form."
        if not typed:
            self._ask_for_id(req, resp, notice=notice)
            return
        sheet_id = parse_sheet_id(typed)
        errors = Errors()
        if sheet_id is None:
            errors.add("sheet", "Enter the sheet id printed at the foot of the form (10 letters and numbers), or scan its QR code")
            self._ask_for_id(req, resp, typed=typed, errors=errors, status=falcon.HTTP_422)
            return
        with self._services.session_factory() as session:
            sheet, pages = sheet_state(session, sheet_id)
            if sheet is None:
                errors.add("sheet", f"No form with sheet id {sheet_id} was printed by this service. Check the id at the foot of the form")
                self._ask_for_id(req, resp, typed=typed, errors=errors, status=falcon.HTTP_404)
                return
            missing = missing_pages(sheet, pages)
            if not missing:
                self._already_in(req, resp, session, sheet, pages)
                return
            context = self._sheet_context(session, sheet, pages, missing)
        self._show_form(req, resp, sheet_id, context, KeyedDraft(), Errors())

    def _show_form(self, req, resp, sheet_id: str, context: dict, draft: KeyedDraft, errors: Errors,
                   status: str = falcon.HTTP_200) -> None:
        sheet = context["sheet"]
        with self._services.session_factory() as session:
            self._record_sheet_shown(session, req, sheet, "paper_keyed_entry", (context["partly"] or {}).get("reference"))
        self.render(req, resp, "paper_key_form.html", title=f"Key in form {sheet_id}", sheet_id=sheet_id,
                    questions=_questions_for(sheet, context), draft=draft, errors=errors,
                    error_summary=errors.summary or None, max_chars=MAX_FREE_TEXT_CHARS, status=status, **context)

    def on_post(self, req, resp) -> None:
        form = self.form(req)
        sheet_id = parse_sheet_id(first(form, "sheet_id"))
        if sheet_id is None:
            raise falcon.HTTPSeeOther(f"{PAPER_PATH}/key")
        with self._services.session_factory() as session:
            sheet, pages = sheet_state(session, sheet_id)
            if sheet is None:
                raise falcon.HTTPSeeOther(f"{PAPER_PATH}/key")
            shown = _shown_pages(first(form, "pages"), sheet.pages)
            missing = missing_pages(sheet, pages)
            if not missing or not set(shown) <= set(missing):    # recorded meanwhile by a scan or someone else
                self._already_in(req, resp, session, sheet, pages)
                return
            context = self._sheet_context(session, sheet, pages, shown)
        questions = _questions_for(sheet, context)
        draft = KeyedDraft()
        errors = Errors()
        for q in questions:
            if q.kind == "single":
                # No answer is pre-chosen and none is assumed: a question not keyed is an error, never "left
                # blank". A stray Enter (or a QR scanner typing the next sheet's code and Enter into this
                # form) would otherwise store an empty return, and the sheet could never be keyed again.
                value = first(form, f"answer-{q.id}", None)
                if value not in {c.value for c in q.choices}:
                    errors.add(f"answer-{q.id}", f"“{q.label}”: choose one of the answers, or “Not answered”")
                else:
                    draft.chosen[q.id] = value
            else:
                text = first(form, f"text-{q.id}")
                if len(text) > MAX_FREE_TEXT_CHARS:
                    errors.add(f"text-{q.id}", f"“{q.label}”: type {MAX_FREE_TEXT_CHARS} characters or fewer (it has {len(text)})")
                if text.strip():
                    draft.texts[q.id] = text            # verbatim: not stripped
        if errors:
            self._show_form(req, resp, sheet_id, context, draft, errors, falcon.HTTP_422)
            return
        store = DatabasePaperStore(self._services.session_factory, via="keyed")
        try:
            recorded = store.key_in(sheet_id, draft.answers, draft.texts, pages=context["key_pages"])
        except DomainError as error:
            for problem in error.problems or []:
                name = problem.field.split(".", 1)[-1]
                errors.add(f"answer-{name}" if problem.field.startswith("answers.") else f"text-{name}", problem.message)
            if not errors:
                errors.add("sheet", str(error))
            self._show_form(req, resp, sheet_id, context, draft, errors, falcon.HTTP_422)
            return
        if recorded is None:        # scanned or keyed by someone else a moment ago
            with self._services.session_factory() as session:
                sheet, pages = sheet_state(session, sheet_id)
                self._already_in(req, resp, session, sheet, pages)
            return
        with self._services.session_factory.begin() as session:
            record_request(session, req, PAPER_KEYED, target_type="submission", target_id=recorded.submission_id,
                           detail={"sheet_id": sheet_id, "answers": len(draft.answers), "texts": len(draft.texts)})
        raise falcon.HTTPSeeOther(f"{PAPER_PATH}/key?saved={recorded.reference}")


# --- review ------------------------------------------------------------------------------------------

class ReviewQueuePage(_Page):
    permissions = {"GET": Permission.PAPER_ENTRY}

    def on_get(self, req, resp) -> None:
        self.show(req, resp)

    def show(self, req, resp, *, errors: Errors | None = None, notice: str | None = None, status: str = falcon.HTTP_200) -> None:
        decided = req.get_param("decided") or ""
        if notice is None and decided.isdecimal():
            notice = "Decided. The next question is below."
        with self._services.session_factory() as session:
            items = queues.open_reviews(session)
            _record_queue_shown(session, req, "paper_review_queue", "review_ids", [item.id for item in items])
        view = []
        for item in items:
            question = _question_labels(item.form_id, item.form_version).get(item.question_id)
            view.append({"item": item, "question": question,
                         "choices": [c for c in (question.choices if question else ()) if c.value != BLANK_ANSWER]})
        self.render(req, resp, "paper_review.html", title="Paper forms: questions to decide", items=view,
                    errors=errors or Errors(), error_summary=(errors.summary if errors else None), notice=notice, status=status)


class ReviewDecision(_Page):
    permissions = {"POST": Permission.PAPER_ENTRY}

    def on_post(self, req, resp, item_id: int) -> None:
        review_id = item_id
        form = self.form(req)
        answer = first(form, "answer", None)
        errors = Errors()
        if answer is None:
            errors.add(f"review-{review_id}", "Choose the answer the person ticked, or “Nothing is ticked”")
        else:
            def audit(session):
                record_request(session, req, PAPER_REVIEW_DECIDED, target_type="paper_review", target_id=review_id,
                               detail={"answer": answer or None})
            try:
                queues.decide_review(self._services.session_factory, review_id, answer, self.actor(req), audit=audit)
            except DomainError as error:
                errors.add(f"review-{review_id}", error.problems[0].message if error.problems else str(error))
        if errors:
            ReviewQueuePage(self._services).show(req, resp, errors=errors, status=falcon.HTTP_422)
            return
        raise falcon.HTTPSeeOther(f"{PAPER_PATH}/review?decided={review_id}")


# --- transcription -------------------------------------------------------------------------------

class TextQueuePage(_Page):
    permissions = {"GET": Permission.PAPER_ENTRY}

    def on_get(self, req, resp) -> None:
        self.show(req, resp)

    def show(self, req, resp, *, errors: Errors | None = None, typed: dict[int, str] | None = None,
             status: str = falcon.HTTP_200) -> None:
        notice = "Saved. The words go to the text check now." if (req.get_param("typed") or "").isdecimal() else None
        with self._services.session_factory() as session:
            crops = queues.waiting_texts(session)
            _record_queue_shown(session, req, "paper_text_queue", "crop_ids", [crop.id for crop in crops])
        view = [{"crop": c, "label": _label(c.questionnaire_id, c.questionnaire_version, c.question_id),
                 "language_name": LANGUAGES[c.language].english_name if c.language in LANGUAGES else c.language,
                 "direction": "rtl" if c.language in ("ur", "ar") else "ltr"} for c in crops]
        self.render(req, resp, "paper_texts.html", title="Paper forms: handwriting to type", items=view, typed=typed or {},
                    errors=errors or Errors(), error_summary=(errors.summary if errors else None), notice=notice,
                    max_chars=MAX_FREE_TEXT_CHARS, status=status)


class TextTyped(_Page):
    permissions = {"POST": Permission.PAPER_ENTRY}

    def on_post(self, req, resp, item_id: int) -> None:
        crop_id = item_id
        form = self.form(req)
        action = first(form, "action", "save")
        text = first(form, "text")
        errors = Errors()
        if action == "save" and not text.strip():
            errors.add(f"text-{crop_id}", "Type what the box says, or choose “There is nothing to type”")
        elif len(text) > MAX_FREE_TEXT_CHARS:
            errors.add(f"text-{crop_id}", f"Type {MAX_FREE_TEXT_CHARS} characters or fewer (it has {len(text)})")
        else:
            def audit(session):
                record_request(session, req, PAPER_TEXT_TYPED, target_type="paper_text_crop", target_id=crop_id,
                               detail={"nothing_to_type": action != "save", "characters": len(text) if action == "save" else 0})
            try:
                queues.type_text(self._services.session_factory, crop_id, text if action == "save" else None, self.actor(req),
                                 audit=audit)
            except DomainError as error:
                errors.add(f"text-{crop_id}", error.problems[0].message if error.problems else str(error))
        if errors:
            TextQueuePage(self._services).show(req, resp, errors=errors, typed={crop_id: text}, status=falcon.HTTP_422)
            return
        raise falcon.HTTPSeeOther(f"{PAPER_PATH}/texts?typed={crop_id}")


# --- unreadable pages --------------------------------------------------------------------------------

class UnreadablePage(_Page):
    permissions = {"GET": Permission.PAPER_ENTRY}

    def on_get(self, req, resp) -> None:
        self.show(req, resp)

    def show(self, req, resp, *, errors: Errors | None = None, status: str = falcon.HTTP_200) -> None:
        notice = None
        if (req.get_param("resolved") or "").isdecimal():
            notice = "Done: the page was deleted."
        elif (req.get_param("gone") or "").isdecimal():
            notice = "That page had already been dealt with (by you a moment ago, or by someone else)."
        with self._services.session_factory() as session:
            items = queues.unreadable_pages(session)
            _record_queue_shown(session, req, "paper_unreadable_queue", "page_ids", [item.id for item in items])
        self.render(req, resp, "paper_unreadable.html", title="Paper forms: pages that could not be read", items=items,
                    outcomes=queues.UNREADABLE_OUTCOMES, errors=errors or Errors(),
                    error_summary=(errors.summary if errors else None), notice=notice, status=status)


class UnreadableResolved(_Page):
    permissions = {"POST": Permission.PAPER_ENTRY}

    def on_post(self, req, resp, item_id: int) -> None:
        outcome = first(self.form(req), "outcome")
        errors = Errors()

        def audit(session):
            record_request(session, req, PAPER_UNREADABLE_RESOLVED, target_type="paper_unreadable", target_id=item_id,
                           detail={"outcome": outcome})
        try:
            queues.resolve_unreadable(self._services.session_factory, item_id, outcome, audit=audit)
        except DomainError as error:
            message = error.problems[0].message if error.problems else str(error)
            if message == queues.ALREADY_DEALT_WITH:     # a second click, or a colleague was quicker: no form to fix
                raise falcon.HTTPSeeOther(f"{PAPER_PATH}/unreadable?gone={item_id}") from None
            errors.add(f"unreadable-{item_id}", message)
            UnreadablePage(self._services).show(req, resp, errors=errors, status=falcon.HTTP_422)
            return
        raise falcon.HTTPSeeOther(f"{PAPER_PATH}/unreadable?resolved={item_id}")
