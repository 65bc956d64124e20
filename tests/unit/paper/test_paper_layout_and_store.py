"""Pure parts of the paper library: layout geometry, QR payloads, box decisions, the store, catalogs."""
from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from easy_read.paper.layout import BOX_SIZE, MAX_PAGES, FormLayout, build_layout, load_questionnaire
from easy_read.paper.render import parse_qr_payload, qr_payload
from easy_read.paper.scan import DEFAULT_THRESHOLDS, classify
from easy_read.paper.store import BoxReading, InMemoryPaperStore, ReviewItem, SheetRecord
from easy_read.paper.strings import STRINGS
from service.i18n import LANGUAGES

TRANSLATIONS = Path(__file__).resolve().parents[3] / "translations"


def _overlap(a, b) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_layout_fits_four_pages_with_big_boxes_that_never_overlap(language):
    layout = build_layout("msp", 1, language)
    assert 1 <= len(layout.pages) <= MAX_PAGES
    fixed = list(layout.corner_marks) + [layout.qr]
    for page in layout.pages:
        rects = [box.rect for box in page.boxes]
        for box in page.boxes:
            r = box.rect
            assert 10 <= r.x and r.x + r.w <= 200 and 44 <= r.y and r.y + r.h <= 250, box.id
            if box.kind == "tick":
                assert r.w >= 8 and r.h >= 8, box.id
            assert not any(_overlap(r, f) for f in fixed), box.id
        for a, b in combinations(rects, 2):
            assert not _overlap(a, b)


def test_every_question_and_answer_has_exactly_one_box():
    layout = build_layout("msp", 1, "en")
    questionnaire = load_questionnaire("msp", 1)
    boxes = [box for _, box in layout.all_boxes()]
    expected = {"respondent.person", "respondent.family_friend", "respondent.advocate", "respondent.helper",
                "consent.named", "consent.anonymous", "consent.none"}
    for q in questionnaire["questions"]:
        if q["kind"] == "free_text":
            expected.add(q["id"])
        else:
            expected.update(f"{q['id']}.{a['id']}" for a in q["answers"])
    assert sorted(b.id for b in boxes) == sorted(expected)


def test_right_to_left_layout_is_mirrored():
    ltr, rtl = build_layout("msp", 1, "en"), build_layout("msp", 1, "ur")
    assert rtl.direction == "rtl" and ltr.direction == "ltr"
    for page_l, page_r in zip(ltr.pages, rtl.pages):
        for block_l, block_r in zip(page_l.blocks, page_r.blocks):
            assert block_l.picture.x < block_l.text.x          # picture left of the words
            assert block_r.picture.x > block_r.text.x          # picture right, where reading starts
        for box_l, box_r in zip(page_l.boxes, page_r.boxes):
            assert box_l.id == box_r.id
            assert box_r.rect.x == pytest.approx(210 - box_l.rect.x - box_l.rect.w)
    assert rtl.qr.x < 105 < ltr.qr.x


def test_layout_json_round_trip_and_determinism():
    layout = build_layout("msp", 1, "ar")
    again = FormLayout.from_json(layout.to_json())
    assert again == layout
    assert again.fingerprint() == build_layout.__wrapped__("msp", 1, "ar").fingerprint()
    assert all(box.rect.w == BOX_SIZE for _, box in layout.all_boxes() if box.kind == "tick")


def test_qr_payload_round_trip_and_foreign_codes():
    data = parse_qr_payload(qr_payload("msp", 1, "ur", 3, "ABCDEFGH12"))
    assert (data.form_id, data.form_version, data.language, data.page, data.sheet_id) == ("msp", 1, "ur", 3, "ABCDEFGH12")
    assert parse_qr_payload("https://example.org") is None
    assert parse_qr_payload("MSPF:msp:x:ur:3:ABC") is None


@pytest.mark.parametrize("dark, faint, state", [
    (0.0, 0.0, "empty"),
    (0.005, 0.01, "empty"),
    (0.20, 0.25, "ticked"),        # tick or cross
    (0.85, 0.90, "ticked"),        # coloured in
    (0.042, 0.05, "uncertain"),    # between the thresholds
    (0.045, 0.055, "uncertain"),   # a dark dot or smudge, not a tick
    (0.0, 0.045, "uncertain"),     # light grey marks only
    (0.0, 0.09, "ticked"),         # a clear, light pencil tick
])
def test_box_decisions(dark, faint, state):
    got, confidence = classify(dark, faint, DEFAULT_THRESHOLDS)
    assert got == state
    assert 0.0 <= confidence <= 1.0
    if state == "uncertain":
        assert confidence < DEFAULT_THRESHOLDS.review_below


def test_store_catches_second_scan_and_merges_pages(tmp_path):
    path = tmp_path / "store.json"
    store = InMemoryPaperStore(path)
    sheet = SheetRecord("S1", "msp", 1, "ur", 4, case_ref="C-9", provider_id="P-2")
    store.register_sheet(sheet)
    with pytest.raises(ValueError):
        store.register_sheet(sheet)
    assert store.mark_page_scanned("S1", 1) is True
    assert store.mark_page_scanned("S1", 1) is False
    assert store.mark_page_scanned("S1", 2) is True
    ref1 = store.submit_answers(sheet, {"listened_to": "yes"}, {})
    ref2 = store.submit_answers(sheet, {"consent": "anonymous"}, {"better": b"\x89PNG"})
    assert ref1 == ref2
    reading = BoxReading("listened_to.no", "no", "uncertain", 0.03, 0.04, 0.4)
    store.queue_review(sheet, ReviewItem("S1", 2, "respected", "uncertain", (reading,), b"png"))
    store.record_unreadable("scan.pdf", 3, "no QR code found", b"png")
    reopened = InMemoryPaperStore(path)
    assert reopened.find_sheet("S1") == sheet
    assert reopened.mark_page_scanned("S1", 1) is False
    submission = reopened.submissions["S1"]
    assert submission.answers == {"listened_to": "yes", "consent": "anonymous"}
    assert submission.free_text_crops == {"better": b"\x89PNG"}
    assert submission.case_ref == "C-9" and submission.provider_id == "P-2"
    [(_, item)] = reopened.review_queue()
    assert item.readings == (reading,)
    assert [u.reason for u in reopened.unreadable.values()] == ["no QR code found"]


@pytest.mark.parametrize("language", [code for code in sorted(LANGUAGES) if code != "en"])
def test_paper_catalog_is_complete_and_easy_read(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "paper.po", "rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = {(m.context, m.id): m.string for m in catalog if m.id}
    for key, english in STRINGS.items():
        text = translated.get((key, english))
        assert text, f"{language}: {key} not translated"
        assert set(re.findall(r"\{\w+\}", text)) == set(re.findall(r"\{\w+\}", english)), key
        for sentence in re.split(r"[.।۔?؟:]", text):
            assert len(sentence.split()) <= 15, (key, sentence)


def test_pot_lists_every_paper_string():
    with open(TRANSLATIONS / "paper.pot", "rb") as handle:
        template = read_po(handle)
    assert {(m.context, m.id) for m in template if m.id} == set(STRINGS.items())
