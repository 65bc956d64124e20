"""Render in every language: real WeasyPrint PDFs, rasterised by pdftoppm, read back by the scanner."""
from __future__ import annotations

import re
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageChops

from easy_read.paper.render import render_html
from easy_read.paper.scan import read_page
from easy_read.paper.strings import ATTRIBUTION, paper_text
from service.i18n import LANGUAGES

from paper_helpers import PHONE, rasterise

# The face each script must be set in (from Debian's fonts-noto-core).
SCRIPT_FONT = {"ur": "NotoNastaliqUrdu", "ar": "NotoNaskhArabic", "bn": "NotoSansBengali",
               "gu": "NotoSansGujarati", "pa": "NotoSansGurmukhi", "en": "NotoSans", "pl": "NotoSans",
               "ro": "NotoSans"}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_render_every_language(language, render_language, tmp_path):
    rendered = render_language(language)
    info = subprocess.run(["pdfinfo", str(rendered.pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages == len(rendered.layout.pages) <= 4
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)

    fonts = subprocess.run(["pdffonts", str(rendered.pdf)], capture_output=True, text=True, check=True).stdout
    assert SCRIPT_FONT[language] in fonts.replace("-", ""), fonts

    if language in ("en", "pl", "ro", "bn", "gu", "pa"):
        # pdftotext cannot rebuild Arabic-script text from shaped glyphs reliably; the others it can.
        text = subprocess.run(["pdftotext", str(rendered.pdf), "-"], capture_output=True, text=True, check=True).stdout
        flat = " ".join(text.split())
        assert paper_text(language, "paper.risk").split()[0] in flat
        assert "mulberrysymbols.org" in flat and PHONE in flat

    images = rasterise(rendered.pdf, 150, tmp_path)
    assert len(images) == pages
    for number, image in enumerate(images, start=1):
        result = read_page(np.asarray(image), source=f"{language}-{number}")
        assert result.status == "read", result.reason
        assert result.qr.language == language and result.qr.page == number
        assert result.qr.sheet_id == rendered.result.sheets[0].sheet_id
        for question in result.questions:      # a blank form reads as blank: nothing ticked, nothing queued
            assert question.answer is None and question.review_reason is None and not question.has_writing, question


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_hint_in_each_free_text_box_ends_where_the_scanner_starts_looking(language, render_language, tmp_path):
    """The scanner looks for writing from the layout's hint depth down (where people start writing): the
    printed hint, in every language, must end above it, with room for a scan aligned a little out."""
    rendered = render_language(language)
    depth = rendered.layout.free_text_hint_depth()
    ppm = 300 / 25.4
    for number, box in rendered.layout.all_boxes():
        if box.kind != "free_text":
            continue
        (tmp_path / str(number)).mkdir()
        [image] = rasterise(rendered.pdf, 300, tmp_path / str(number), number, number)
        rect = box.rect
        inside = np.asarray(image)[int((rect.y + 1.0) * ppm):int((rect.y + rect.h - 1.5) * ppm),
                                   int((rect.x + 1.5) * ppm):int((rect.x + rect.w - 1.5) * ppm)] < 200
        rows = np.nonzero(inside.any(axis=1))[0]
        assert rows.size, "the hint is printed"
        hint_bottom = 1.0 + (rows.max() + 1) / ppm
        assert hint_bottom <= depth - 0.5, (box.question, hint_bottom, depth)
        assert hint_bottom >= depth - 2.0, ("the scanner does not look where people start writing",
                                            box.question, hint_bottom, depth)


@pytest.mark.parametrize("language", ["ur", "ar", "bn", "gu", "pa"])
def test_complex_scripts_are_shaped(language, tmp_path):
    """HarfBuzz shaping joins Arabic letters and reorders Indic vowel signs. Breaking every join with
    ZERO WIDTH NON-JOINER must change how the line looks; if nothing shaped it, it would not."""
    from weasyprint import HTML

    line = paper_text(language, "paper.risk")
    assert re.search(r"[\u0600-\u06ff\u0980-\u09ff\u0a00-\u0a7f\u0a80-\u0aff]", line), "line must be translated"
    unjoined = "\u200c".join(line)

    def picture(text: str) -> Image.Image:
        html = (f'<html lang="{language}" dir="auto"><body style="margin:0;font-size:20pt;'
                f'font-family:\'Noto Nastaliq Urdu\',\'Noto Naskh Arabic\',\'Noto Sans Bengali\','
                f'\'Noto Sans Gujarati\',\'Noto Sans Gurmukhi\'"><p>{text}</p></body></html>')
        pdf = tmp_path / f"{language}-{len(text)}.pdf"
        pdf.write_bytes(HTML(string=html).write_pdf())
        return rasterise(pdf, 72, tmp_path, 1, 1)[0]

    shaped, unshaped = picture(line), picture(unjoined)
    difference = np.asarray(ImageChops.difference(shaped, unshaped))
    ink = (np.asarray(shaped) < 128).sum()
    changed = (difference > 64).sum() / ink
    assert changed > 0.15


def test_every_page_carries_risk_line_attribution_and_address(render_language):
    rendered = render_language("ur")
    html = render_html(rendered.layout, ["TESTSHEET1"], return_address="1 Test Street", safeguarding_phone="0800 111")
    pages = html.split('<div class="page">')[1:]
    assert len(pages) == len(rendered.layout.pages)
    for page in pages:
        assert paper_text("ur", "paper.risk") in page
        assert ATTRIBUTION in page
        assert "0800\u00a0111" in page          # one number run inside right-to-left text
        assert page.count('class="abs mark"') == 4
    assert "1 Test Street" in pages[-1]
    assert 'dir="rtl"' in html and 'lang="ur"' in html
