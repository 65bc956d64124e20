"""Scanning: clean and degraded pages, the whole Urdu return, duplicates, unreadable pages, review.

Marks are drawn with Pillow on pages rasterised from real PDFs by pdftoppm; nothing is mocked.
"""
from __future__ import annotations

import io
import json
import random
import subprocess

import numpy as np
import pytest
import segno
from click.testing import CliRunner
from paper_helpers import rasterise
from PIL import Image, ImageDraw

from easy_read.paper import cli
from easy_read.paper.layout import FormLayout
from easy_read.paper.scan import read_page, scan_files, writing_differs
from easy_read.paper.store import InMemoryPaperStore
from easy_read.paper.synthetic import degrade, draw_mark, draw_words, draw_writing, rotate_exact


def fresh_store(rendered) -> InMemoryPaperStore:
    """A store of its own for one test, holding the sheets that were printed."""
    store = InMemoryPaperStore()
    for sheet in rendered.result.sheets:
        store.register_sheet(sheet)
    return store


def tick(image: Image.Image, page, dpi: int, choices: dict[str, str], style: str = "tick", seed: int = 1) -> Image.Image:
    image = image.copy()
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    for box in page.boxes:
        if box.kind == "tick" and choices.get(box.question) == box.answer:
            draw_mark(draw, box.rect, style if style != "mixed" else rng.choice(["tick", "cross", "fill"]), dpi / 25.4, rng)
    return image


def choose(page, seed: int = 0) -> dict[str, str]:
    """One answer for every single-answer question on the page (not always the first)."""
    rng = random.Random(seed)
    options: dict[str, list[str]] = {}
    for box in page.boxes:
        if box.kind == "tick":
            options.setdefault(box.question, []).append(box.answer)
    return {question: rng.choice(answers) for question, answers in options.items()}


def answers_of(result) -> dict[str, str]:
    return {q.question: q.answer for q in result.questions if q.kind == "single" and q.answer}


def test_urdu_form_ticked_with_a_pen_scanned_at_200_dpi_becomes_a_submission(render_language, tmp_path):
    rendered = render_language("ur")
    store = fresh_store(rendered)
    pages = rasterise(rendered.pdf, 200, tmp_path)
    expected: dict[str, str] = {}
    scanned = []
    for number, (image, page) in enumerate(zip(pages, rendered.layout.pages), start=1):
        choices = choose(page, seed=number)
        expected.update(choices)
        image = tick(image, page, 200, choices, style="mixed", seed=number)
        for box in page.boxes:
            if box.question == "own_words":
                draw_writing(ImageDraw.Draw(image), box.rect, 200 / 25.4, random.Random(5))
        scanned.append(image)
    # Pages come back out of order, one upside down and one a little skewed, in one PDF.
    scanned[2] = rotate_exact(scanned[2], 180)
    scanned[1] = rotate_exact(scanned[1], 3.0)
    order = [scanned[3], scanned[1], scanned[0], scanned[2]]
    pdf = tmp_path / "returned.pdf"
    order[0].save(pdf, save_all=True, append_images=order[1:], resolution=200)

    report = scan_files([pdf], store, dpi=200)

    assert report.unreadable == [] and report.duplicates == []
    assert report.review_items == 0
    [sheet_id] = report.submissions
    submission = store.submissions[sheet_id]
    assert submission.answers == expected
    assert set(expected) == {"respondent", "asked_outcomes", "outcomes_met", "listened_to", "in_control",
                             "understood", "feel_safer", "respected", "consent"}
    assert submission.case_ref == "CASE-42" and submission.provider_id == "care-home-7"
    assert set(submission.free_text_crops) == {"own_words"}          # "better" was left blank
    crop = Image.open(io.BytesIO(submission.free_text_crops["own_words"]))
    assert crop.width > 100 and crop.height > 40
    assert "Answers recorded: 9" in report.summary()


@pytest.mark.parametrize("dpi, angle, style, jpeg", [
    (150, 4.5, "tick", (40, 45)),
    (300, -5.0 + 180, "cross", (60, 70)),
    (200, 2.0, "fill", None),
])
def test_degraded_pages_read_right(render_language, tmp_path, dpi, angle, style, jpeg):
    rendered = render_language("en")
    page = rendered.layout.page(2)
    [image] = rasterise(rendered.pdf, dpi, tmp_path, 2, 2)
    choices = choose(page, seed=dpi)
    filled = tick(image, page, dpi, choices, style=style)
    rng = random.Random(dpi)
    scanned = degrade(rotate_exact(filled, angle), rng, max_rotation=0, scale=(0.96, 0.97), blur=1.0,
                      noise=8, jpeg=jpeg)
    result = read_page(np.asarray(scanned))
    assert result.status == "read", result.reason
    assert answers_of(result) == choices
    assert all(q.review_reason is None for q in result.questions)


def test_duplicate_scan_is_caught(render_language, tmp_path):
    rendered = render_language("en")
    store = fresh_store(rendered)
    [image] = rasterise(rendered.pdf, 150, tmp_path, 1, 1)
    page = rendered.layout.page(1)
    png = tmp_path / "page1.png"
    tick(image, page, 150, choose(page)).save(png)
    copy = tmp_path / "page1-again.png"
    copy.write_bytes(png.read_bytes())

    first = scan_files([png, copy], store)
    assert len(first.submissions) == 1 and first.answers_recorded == 2
    assert [p.source for p in first.duplicates] == [str(copy)]

    second = scan_files([png], store)
    assert second.submissions == {} and second.answers_recorded == 0
    assert len(second.duplicates) == 1
    assert "scanned before" in second.duplicates[0].reason
    assert len(store.submissions) == 1


def test_unreadable_pages_are_kept_with_a_reason(render_language, tmp_path):
    rendered = render_language("en")
    store = fresh_store(rendered)
    [image] = rasterise(rendered.pdf, 150, tmp_path, 1, 1)
    ppm = 150 / 25.4
    qr = rendered.layout.qr

    blank = tmp_path / "blank.png"
    Image.new("L", image.size, 255).save(blank)
    garbage = tmp_path / "garbage.tif"
    garbage.write_bytes(b"II*\x00 this is not a TIFF at all" * 10)
    no_qr = image.copy()
    ImageDraw.Draw(no_qr).rectangle([(qr.x - 2) * ppm, (qr.y - 2) * ppm, (qr.x + qr.w + 2) * ppm,
                                     (qr.y + qr.h + 2) * ppm], fill=255)
    cut = image.crop((0, 0, image.width, image.height // 2))      # bottom half (two corner marks) missing
    foreign = Image.new("L", image.size, 255)
    buffer = io.BytesIO()
    segno.make("https://example.org/not-our-form").save(buffer, kind="png", scale=8, border=4)
    buffer.seek(0)
    foreign.paste(Image.open(buffer).convert("L"), (200, 200))
    pages = tmp_path / "bad-pages.tif"
    no_qr.save(pages, save_all=True, append_images=[cut, foreign])

    report = scan_files([blank, garbage, pages], store)

    reasons = [(p.source.rsplit("/", 1)[1], p.index, p.reason) for p in report.unreadable]
    assert len(reasons) == 5, reasons
    assert "blank page" in reasons[0][2]
    assert "not an image" in reasons[1][2]
    assert "no QR code" in reasons[2][2]
    assert "corner marks not found" in reasons[3][2]
    assert "not from a msp-feedback form" in reasons[4][2]
    assert len(store.unreadable) == 5
    kept = [u for u in store.unreadable.values() if u.image_png]
    assert len(kept) == 4                                   # every page that had an image keeps it
    assert all(Image.open(io.BytesIO(u.image_png)).size[0] > 100 for u in kept)
    summary = report.summary()
    assert "Pages that could not be read (kept for a person): 5" in summary
    assert "corner marks not found" in summary


def test_two_ticks_and_unclear_marks_go_to_review(render_language, tmp_path):
    rendered = render_language("en")
    store = fresh_store(rendered)
    [image] = rasterise(rendered.pdf, 200, tmp_path, 1, 1)
    page = rendered.layout.page(1)
    ppm = 200 / 25.4
    draw = ImageDraw.Draw(image)
    rng = random.Random(3)
    boxes = {box.id: box.rect for box in page.boxes}
    draw_mark(draw, boxes["respondent.person"], "tick", ppm, rng)
    draw_mark(draw, boxes["respondent.helper"], "cross", ppm, rng)            # two answers ticked
    r = boxes["asked_outcomes.no"]                                              # a small smudge: unclear
    cx, cy, half = (r.x + r.w / 2) * ppm, (r.y + r.h / 2) * ppm, 0.6 * ppm
    draw.rectangle([cx - half, cy - half, cx + half, cy + half], fill=40)
    png = tmp_path / "review.png"
    image.save(png)

    report = scan_files([png], store)

    assert report.review_items == 2 and report.answers_recorded == 0
    queue = store.review_queue()
    reasons = {item.question_id: item.reason for _, item in queue}
    assert reasons == {"respondent": "multiple", "asked_outcomes": "uncertain"}
    assert queue[0][1].least_confidence <= queue[-1][1].least_confidence     # least certain first
    for _, item in queue:
        assert Image.open(io.BytesIO(item.crop_png)).width > 50
        assert {r.answer for r in item.readings} >= {"no"} or item.question_id == "respondent"


def test_cli_render_then_scan(tmp_path, monkeypatch):
    store = InMemoryPaperStore()
    monkeypatch.setattr(cli, "store_factory", lambda: store)   # the documented hook the service uses
    runner = CliRunner()
    out, layout_file = tmp_path / "forms.pdf", tmp_path / "layout.json"
    result = runner.invoke(cli.paper, ["render", "--lang", "pl", "--count", "2", "--case", "C-7", "--provider", "P-1",
                                       "--out", str(out), "--layout-out", str(layout_file)])
    assert result.exit_code == 0, result.output
    layout = FormLayout.from_json(layout_file.read_text(encoding="utf-8"))
    assert layout.language == "pl" and len(store.sheets) == 2
    assert all(s.case_ref == "C-7" and s.provider_id == "P-1" for s in store.sheets.values())
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-f", "5", "-l", "6", str(out), str(tmp_path / "scan")], check=True)
    scans = sorted(tmp_path.glob("scan-*.pgm"))
    tiff = tmp_path / "scans.tiff"
    first, *rest = [Image.open(p) for p in scans]
    first.save(tiff, save_all=True, append_images=rest)

    result = runner.invoke(cli.paper, ["scan", str(tiff), "--json", "--layout", str(layout_file)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sheets_read"] == 1 and data["pages_read"] == 2 and data["unreadable"] == []
    result = runner.invoke(cli.paper, ["scan", str(tiff)])
    assert "Duplicate pages (already scanned, nothing recorded): 2" in result.output


def test_another_copy_with_other_answers_is_kept_not_dropped(render_language, tmp_path):
    """A photocopy of a sheet filled in by someone else carries the same QR code: it is kept on the
    unreadable list with its image and the questions that differ; an identical copy is a duplicate."""
    rendered = render_language("en")
    store = fresh_store(rendered)
    [image] = rasterise(rendered.pdf, 150, tmp_path, 1, 1)
    page = rendered.layout.page(1)
    first = choose(page, seed=0)
    question = sorted(first)[0]
    other = dict(first, **{question: next(b.answer for b in page.boxes
                                          if b.question == question and b.answer != first[question])})
    tick(image, page, 150, first).save(tmp_path / "a.png")
    tick(image, page, 150, other).save(tmp_path / "b.png")
    scan_files([tmp_path / "a.png"], store)
    report = scan_files([tmp_path / "a.png", tmp_path / "b.png"], store)
    assert [p.source for p in report.duplicates] == [str(tmp_path / "a.png")]
    [kept] = store.unreadable.values()
    assert kept.source == str(tmp_path / "b.png") and kept.image_png
    assert "another copy of sheet" in kept.reason and f"({question})" in kept.reason
    assert store.submissions[rendered.result.sheets[0].sheet_id].answers[question] == first[question]


# --- free-text boxes: any writing reaches a person, a blank box stays blank ------------------------

def own_words_page(rendered):
    return next(p for p in rendered.layout.pages if any(b.question == "own_words" for b in p.boxes))


def scanned_like(image: Image.Image, seed: int, jpeg=(35, 45)) -> np.ndarray:
    """A page as a scanner gives it back: a little turned, scaled, blurred, noisy and compressed."""
    return np.asarray(degrade(image, random.Random(seed), max_rotation=2.0, blur=1.0, noise=10, jpeg=jpeg))


@pytest.mark.parametrize("language, words, size_mm, where", [
    ("en", "help", 4.0, "middle"), ("en", "hurt", 5.0, "middle"), ("en", "HELP", 4.0, "middle"),
    ("en", "no", 4.0, "bottom"),
    # The first line, where people start writing: just under the printed hint ("Write or draw in the box").
    ("en", "My son takes my pension and hits me", 5.0, "under the hint"),
    ("ur", "he hits me", 4.5, "under the hint"),       # the Nastaliq hint is the tallest
    ("ar", "he hits me", 4.5, "under the hint"),
])
@pytest.mark.parametrize("dpi", [150, 200])
def test_a_short_word_or_a_line_under_the_hint_is_kept_for_typing(render_language, tmp_path, language, words,
                                                                  size_mm, where, dpi):
    """A box read as blank is dropped with no trace: no crop, nothing to type, no page kept. One short word,
    or one line written just under the printed hint, must be read as writing."""
    rendered = render_language(language)
    page = own_words_page(rendered)
    rect = next(b.rect for b in page.boxes if b.question == "own_words")
    [image] = rasterise(rendered.pdf, dpi, tmp_path, page.number, page.number)
    hint = rendered.layout.free_text_hint_depth()
    # The em box starts about a millimetre above the letters: these letters start just under the hint.
    top = {"under the hint": rect.y + hint - 1.3, "middle": rect.y + 20, "bottom": rect.y + rect.h - 9}[where]
    draw_words(ImageDraw.Draw(image), rect.x + 30, top, words, size_mm, dpi / 25.4, grey=30)
    result = read_page(scanned_like(image, seed=dpi))
    assert result.status == "read", result.reason
    [box] = [q for q in result.questions if q.question == "own_words"]
    assert box.has_writing, (box.largest_mark_mm2, box.ink)
    assert box.crop_png


@pytest.mark.parametrize("language", ["en", "ur", "ar"])
def test_blank_free_text_boxes_read_blank_through_scanner_noise_and_jpeg(render_language, tmp_path, language):
    """Bias towards reading writing must not make every box look written: the printed hint, scanner noise
    and JPEG artefacts in a blank box are not writing."""
    rendered = render_language(language)
    numbers = sorted({n for n, box in rendered.layout.all_boxes() if box.kind == "free_text"})
    for dpi in (150, 300):
        for number in numbers:
            (tmp_path / f"{dpi}-{number}").mkdir()
            [image] = rasterise(rendered.pdf, dpi, tmp_path / f"{dpi}-{number}", number, number)
            for seed in range(2):
                result = read_page(scanned_like(image, seed=seed, jpeg=(30, 40) if seed else (60, 90)))
                assert result.status == "read", result.reason
                written = [(q.question, q.largest_mark_mm2) for q in result.questions if q.has_writing]
                assert written == [], (dpi, number, seed)


def test_another_copy_with_a_different_short_word_differs(render_language, tmp_path):
    """Two copies of a page are compared by their writing: one short word the other copy has not is a
    difference (kept for a person), while the same page scanned twice is not."""
    rendered = render_language("en")
    page = own_words_page(rendered)
    rect = next(b.rect for b in page.boxes if b.question == "own_words")
    [image] = rasterise(rendered.pdf, 200, tmp_path, page.number, page.number)

    def crop(words: str, seed: int) -> bytes:
        written = image.copy()
        draw_words(ImageDraw.Draw(written), rect.x + 20, rect.y + 12, "I am happy here", 5.0, 200 / 25.4, grey=30)
        draw_words(ImageDraw.Draw(written), rect.x + 20, rect.y + 25, words, 4.0, 200 / 25.4, grey=30)
        result = read_page(scanned_like(written, seed=seed, jpeg=(60, 90)))
        return next(q.crop_png for q in result.questions if q.question == "own_words")

    assert not writing_differs(crop("ok", seed=1), crop("ok", seed=2))
    assert writing_differs(crop("ok", seed=1), crop("ok help", seed=2))
