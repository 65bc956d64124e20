"""Easy-read paper forms: HTML and CSS positioned in millimetres from the layout, made into a PDF by
WeasyPrint (Pango + HarfBuzz shape Urdu Nastaliq, Arabic, Bengali, Gujarati and Gurmukhi).

Everything the scanner relies on (corner marks, QR code, boxes) is drawn at the layout's exact
positions with absolute positioning, so the PDF and the layout JSON cannot disagree. Words flow
inside their rectangles; a long translation can only make words wrap, never move a box.
"""
from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import segno

from service.i18n import pgettext

from .layout import FormLayout, Rect, build_layout, load_questionnaire, paper_questions
from .store import PaperStore, SheetRecord
from .strings import ATTRIBUTION, DOMAIN as PAPER_DOMAIN, paper_text

PICTOGRAM_DIR = Path(__file__).resolve().parents[1] / "pictograms"

DEFAULT_RETURN_ADDRESS = "Safeguarding Adults Board\n(return address: set in configuration)"
DEFAULT_SAFEGUARDING_PHONE = "(phone number: set in configuration)"

QR_PREFIX = "MSPF"
# Crockford base32 without I, L, O, U: a sheet id can be read aloud or typed without confusion.
_ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SHEET_ID_LENGTH = 10

FONT_STACKS = {
    # Latin first for right-to-left: Latin words and digits (addresses, phone numbers, English
    # fall-back text) then come from Noto Sans; Arabic script has no glyphs there, so it falls
    # through to the Nastaliq / Naskh face.
    "ur": '"Noto Sans", "Noto Nastaliq Urdu", "Noto Naskh Arabic", sans-serif',
    "ar": '"Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", sans-serif',
    "bn": '"Noto Sans Bengali", "Noto Sans", sans-serif',
    "gu": '"Noto Sans Gujarati", "Noto Sans", sans-serif',
    "pa": '"Noto Sans Gurmukhi", "Noto Sans", sans-serif',
}
LATIN_STACK = '"Noto Sans", "DejaVu Sans", sans-serif'
LINE_HEIGHT = {"ur": 1.7, "ar": 1.5, "bn": 1.35, "gu": 1.35, "pa": 1.35}


def new_sheet_id() -> str:
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(SHEET_ID_LENGTH))


def qr_payload(form_id: str, version: int, language: str, page: int, sheet_id: str) -> str:
    return f"{QR_PREFIX}:{form_id}:{version}:{language}:{page}:{sheet_id}"


@dataclass(frozen=True)
class QrData:
    form_id: str
    form_version: int
    language: str
    page: int
    sheet_id: str


_FORM_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_QR_SHEET_ID = re.compile(rf"^[{_ID_ALPHABET}]{{{SHEET_ID_LENGTH}}}$")
_QR_NUMBER = re.compile(r"^[0-9]{1,4}$")


def parse_qr_payload(text: str) -> QrData | None:
    """What a QR code of ours says, or None. Every part is checked here, as anything on paper may be forged:
    the form id names a file (a 300-letter id made the file system refuse the name and stopped a scan run)."""
    parts = text.strip().split(":")
    if len(parts) != 6 or parts[0] != QR_PREFIX:
        return None
    _, form_id, version, language, page, sheet_id = parts
    if not (_FORM_ID.match(form_id) and _QR_NUMBER.match(version) and _QR_NUMBER.match(page) and _QR_SHEET_ID.match(sheet_id)
            and re.fullmatch(r"[a-z]{2,3}", language)):
        return None
    return QrData(form_id, int(version), language, int(page), sheet_id)


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    layout: FormLayout
    sheets: tuple[SheetRecord, ...]


def _mm(rect: Rect) -> str:
    return f"left:{rect.x:.2f}mm;top:{rect.y:.2f}mm;width:{rect.w:.2f}mm;height:{rect.h:.2f}mm;"


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _has_rtl(text: str) -> bool:
    return any("\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufeff" for ch in text)


def _dir(text: str, rtl: bool) -> str:
    """On a right-to-left page, text still in English (a translation not there yet, an address)
    is laid out left to right so its punctuation stays where an English reader expects it."""
    return ' dir="ltr"' if rtl and not _has_rtl(text) else ""


def _text_div(cls: str, rect: Rect, text: str, rtl: bool, extra_style: str = "") -> str:
    return f'<div class="abs {cls}"{_dir(text, rtl)} style="{_mm(rect)}{extra_style}">{_esc(text)}</div>'


def _question_text(language: str, question: dict) -> str:
    domain = question.get("domain", "questionnaire")
    wording = question["easy_read"]
    return pgettext(language, wording["key"], wording["text"], domain)


def _answer_text(language: str, question: dict, answer: dict) -> str:
    return pgettext(language, answer["key"], answer["text"], question.get("domain", "questionnaire"))


def _css(language: str, rtl: bool) -> str:
    stack = FONT_STACKS.get(language, LATIN_STACK)
    line = LINE_HEIGHT.get(language, 1.25)
    align = "right" if rtl else "left"
    title_line = line if language == "ur" else min(line, 1.5)   # Nastaliq needs its tall lines
    return f"""
@page {{ size: 210mm 297mm; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: {stack}; color: #000; line-height: {line}; }}
.page {{ position: relative; width: 210mm; height: 297mm; overflow: hidden; page-break-after: always; }}
.page:last-child {{ page-break-after: auto; }}
.abs {{ position: absolute; box-sizing: border-box; }}
.mark {{ background: #000; }}
.qr img {{ width: 100%; height: 100%; display: block; }}
.title {{ font-size: 19pt; font-weight: bold; text-align: {align}; line-height: {title_line}; margin-bottom: 1.5mm; }}
.lead {{ font-size: 14pt; text-align: {align}; }}
.pic img {{ width: 100%; height: 100%; object-fit: contain; }}
.q {{ font-size: 16pt; font-weight: bold; text-align: {align}; }}
.a {{ font-size: 15pt; text-align: {align}; }}
.box {{ border: 0.6mm solid #000; background: #fff; }}
.free {{ border: 0.6mm solid #000; border-radius: 2mm; background: #fff; }}
.free span {{ display: block; margin: 1.5mm 3mm; font-size: 14pt; color: #444; }}
.risk {{ font-size: 14pt; font-weight: bold; text-align: {align}; }}
.address {{ font-size: 15pt; text-align: {align}; }}
.small {{ font-size: 10pt; font-family: "Noto Sans", "DejaVu Sans", sans-serif; direction: ltr; }}
"""


def render_html(layout: FormLayout, sheet_ids: list[str], *, return_address: str,
                safeguarding_phone: str) -> str:
    language = layout.language
    rtl = layout.direction == "rtl"
    questionnaire = load_questionnaire(layout.form_id, layout.form_version)
    questions = {q["id"]: q for q in paper_questions(questionnaire)}
    title = pgettext(language, questionnaire["title"]["key"], questionnaire["title"]["text"], "questionnaire")
    total = len(layout.pages)
    left, right = 18.0, 192.0
    # Title band beside the QR code: title and introduction on page 1, the instruction on the others.
    band_x = left + 29.0 if rtl else left
    first_band = Rect(band_x, 11.0, 145.0, 49.0)
    band = Rect(band_x, 12.0, 145.0, 32.0)
    # Answer words sit beside their 10 mm box, one line centred on it (longer ones wrap below).
    line_mm = 15 * 0.3528 * LINE_HEIGHT.get(language, 1.25)
    answer_pad = f"padding-top:{max(0.0, (10.0 - line_mm) / 2):.2f}mm;"

    parts = [f'<!DOCTYPE html><html lang="{language}" dir="{layout.direction}"><head><meta charset="utf-8">'
             f"<style>{_css(language, rtl)}</style></head><body>"]
    for sheet_id in sheet_ids:
        for page in layout.pages:
            out: list[str] = ['<div class="page">']
            for mark in layout.corner_marks:
                out.append(f'<div class="abs mark" style="{_mm(mark)}"></div>')
            qr = segno.make(qr_payload(layout.form_id, layout.form_version, language, page.number, sheet_id),
                            error="m", micro=False)
            out.append(f'<div class="abs qr" style="{_mm(layout.qr)}"><img src="{qr.svg_data_uri(border=0)}"></div>')
            # Title band
            how = paper_text(language, "paper.how")
            if page.number == 1:
                intro = paper_text(language, "paper.intro")
                out.append(f'<div class="abs" style="{_mm(first_band)}"><div class="title"{_dir(title, rtl)}>{_esc(title)}</div>'
                           f'<div class="lead"{_dir(intro, rtl)}>{_esc(intro)} {_esc(how)}</div></div>')
            else:
                out.append(f'<div class="abs" style="{_mm(band)}"><div class="lead"{_dir(how, rtl)}>{_esc(how)}</div></div>')
            # Questions
            for block in page.blocks:
                question = questions[block.question]
                out.append(f'<div class="abs pic" style="{_mm(block.picture)}">'
                           f'<img src="{(PICTOGRAM_DIR / question["pictogram"]).as_uri()}" alt=""></div>')
                out.append(_text_div("q", block.text, _question_text(language, question), rtl))
                answers = {a["id"]: a for a in question.get("answers", [])}
                for answer_id, rect in block.answer_texts:
                    words = _answer_text(language, question, answers[answer_id])
                    out.append(_text_div("a", rect, words, rtl, answer_pad))
            for box in page.boxes:
                if box.kind == "tick":
                    out.append(f'<div class="abs box" style="{_mm(box.rect)}"></div>')
                else:
                    out.append(f'<div class="abs free" style="{_mm(box.rect)}"><span>'
                               f'{_esc(paper_text(language, "paper.write_here"))}</span></div>')
            # Return address on the last page, with a thank-you
            bottom = max((b.rect.y + b.rect.h for b in page.boxes), default=40.0)
            if page.number == total:
                if bottom > 205.0:
                    raise ValueError("no room left for the return address on the last page")
                rect = Rect(left, bottom + 8.0, right - left, 248.0 - bottom - 8.0)
                thanks = _esc(paper_text(language, "paper.thanks")) + "<br>"
                out.append(f'<div class="abs address" style="{_mm(rect)}">{thanks}'
                           f'<b>{_esc(paper_text(language, "paper.return"))}</b><br>'
                           f'<span{_dir(return_address, rtl)} style="display:block">{_esc(return_address)}</span></div>')
            # Footer: what to do if at risk again, page number, attribution
            # In right-to-left text a space between two numbers counts as right-to-left, which
            # would print "01204 000000" as "000000 01204"; a no-break space joins them into one
            # number run (Unicode bidi rule W4), so the phone number reads as it is dialled.
            phone = safeguarding_phone.replace(" ", "\u00a0") if rtl else safeguarding_phone
            risk = (paper_text(language, "paper.risk") + " "
                    + paper_text(language, "paper.risk_phone", phone=phone))
            out.append(f'<div class="abs risk" style="{_mm(Rect(left, 251.0, right - left, 20.0))}">{_esc(risk)}</div>')
            page_label = paper_text(language, "paper.page", page=page.number, pages=total)
            label_rect = Rect(right - 60.0, 272.0, 60.0, 5.0) if rtl else Rect(left + 10.0, 272.0, 60.0, 5.0)
            out.append(f'<div class="abs lead" style="{_mm(label_rect)}font-size:11pt;line-height:1.2">'
                       f'{_esc(page_label)}</div>')
            ids_rect = Rect(left + 10.0, 272.0, 100.0, 5.0) if rtl else Rect(right - 110.0, 272.0, 100.0, 5.0)
            out.append(f'<div class="abs small" style="{_mm(ids_rect)}text-align:{"left" if rtl else "right"}">'
                       f'{sheet_id} &#183; {_esc(layout.form_id)} v{layout.form_version} {language}</div>')
            out.append(f'<div class="abs small" style="{_mm(Rect(left + 10.0, 277.0, right - left - 20.0, 5.0))}">'
                       f'{_esc(ATTRIBUTION)}</div>')
            out.append("</div>")
            parts.append("".join(out))
    parts.append("</body></html>")
    return "".join(parts)


def render_pdf(language: str, *, count: int = 1, case_ref: str | None = None,
               provider_id: str | None = None, store: PaperStore | None = None,
               return_address: str = DEFAULT_RETURN_ADDRESS,
               safeguarding_phone: str = DEFAULT_SAFEGUARDING_PHONE,
               form_id: str = "msp", version: int = 1) -> RenderResult:
    """Render ``count`` copies; each copy gets a new sheet id, registered in ``store`` if given."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    if count < 1:
        raise ValueError("count must be at least 1")
    layout = build_layout(form_id, version, language)
    sheets = tuple(
        SheetRecord(sheet_id=new_sheet_id(), form_id=form_id, form_version=version, language=language,
                    pages=len(layout.pages), case_ref=case_ref, provider_id=provider_id,
                    layout_fingerprint=layout.fingerprint())
        for _ in range(count)
    )
    document = render_html(layout, [s.sheet_id for s in sheets], return_address=return_address,
                           safeguarding_phone=safeguarding_phone)
    pdf = HTML(string=document, base_url=str(PICTOGRAM_DIR)).write_pdf()
    if store is not None:
        for sheet in sheets:
            store.register_sheet(sheet)
    return RenderResult(pdf=pdf, layout=layout, sheets=sheets)


__all__ = ["render_pdf", "render_html", "RenderResult", "qr_payload", "parse_qr_payload", "QrData",
           "new_sheet_id", "DEFAULT_RETURN_ADDRESS", "DEFAULT_SAFEGUARDING_PHONE", "PAPER_DOMAIN"]
