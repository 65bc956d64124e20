"""Keying in the pages of a sheet that the scan could not read (papermeet audit H1).

A 4-page form comes back with pages 1, 2 and 4 read and page 3 (feel_safer, respected and the
own_words box, where disclosures are written) torn. Keyed entry used to refuse the whole sheet (409)
because some of its pages were scanned, so page 3's answers and words had no way in.
"""
from __future__ import annotations

import re

from paper_service_helpers import choose, tick
from sqlalchemy import select

from channels.paper.models import PaperPage
from channels.paper.store import DatabasePaperStore
from easy_read.paper.scan import scan_files
from service.storage.orm import FreeText, Submission


def scan_with_page_3_torn(form, services, tmp_path) -> tuple[dict[str, str], object]:
    files, answers = [], {}
    for number in (1, 2, 4):
        png = tmp_path / f"p{number}.png"
        choices = choose(form.layout.page(number))
        answers.update(choices)
        tick(form.pages[number - 1], form.layout.page(number), choices).save(png)
        files.append(png)
    torn = form.pages[2].crop((0, 0, form.pages[2].width, form.pages[2].height // 2))   # lower half missing
    torn.save(tmp_path / "p3.png")
    files.append(tmp_path / "p3.png")
    report = scan_files(files, DatabasePaperStore(services.session_factory))
    assert len(report.unreadable) == 1
    return answers, report


def test_a_page_left_unreadable_can_still_be_keyed_in(keyer, services, printed, issue, tmp_path):
    form = printed("en")
    sheet = issue(form)
    answers, _ = scan_with_page_3_torn(form, services, tmp_path)

    # The unreadable screen links the page to keyed entry by its sheet id (its QR code was read).
    listed = keyer.get("/staff/paper/unreadable")
    assert f'href="/staff/paper/key?sheet={sheet.sheet_id}"' in listed.text

    shown = keyer.get("/staff/paper/key", params={"sheet": sheet.sheet_id})
    assert shown.status_code == 200
    assert "Pages 1, 2, 4 of this form are already in" in shown.text and "Key in page 3 below" in shown.text
    assert set(re.findall(r'data-question="([a-z_]+)"', shown.text)) == {"feel_safer", "respected"}
    assert 'name="text-own_words"' in shown.text and 'name="text-better"' not in shown.text
    assert 'name="pages" value="3"' in shown.text

    saved = keyer.post("/staff/paper/key", {
        "sheet_id": sheet.sheet_id, "pages": "3", "answer-feel_safer": "less_safe", "answer-respected": "no",
        "text-own_words": "He takes my money",
        "answer-listened_to": "no",                 # not on page 3: a forged field is not stored
    })
    assert saved.status_code == 303, saved.text
    with services.session_factory() as session:
        [submission] = session.scalars(select(Submission))
        assert saved.headers["location"] == f"/staff/paper/key?saved={submission.reference}"
        assert submission.answers == {**{q: a for q, a in answers.items() if q not in ("respondent", "consent")},
                                      "feel_safer": "less_safe", "respected": "no"}
        assert [(t.question_id, t.text) for t in session.scalars(select(FreeText))] == [("own_words", "He takes my money")]
        assert sorted((p.page, p.status, p.via) for p in session.scalars(select(PaperPage))) == [
            (1, "recorded", "scan"), (2, "recorded", "scan"), (3, "recorded", "keyed"), (4, "recorded", "scan")]

    again = keyer.get("/staff/paper/key", params={"sheet": sheet.sheet_id})
    assert again.status_code == 409 and "Nothing was stored" in again.text


def test_a_page_recorded_while_the_form_was_open_is_not_keyed_twice(keyer, services, printed, issue, tmp_path):
    form = printed("en")
    sheet = issue(form)
    scan_with_page_3_torn(form, services, tmp_path)
    assert keyer.get("/staff/paper/key", params={"sheet": sheet.sheet_id}).status_code == 200
    # someone else keys page 3 in first
    assert DatabasePaperStore(services.session_factory, via="keyed").key_in(
        sheet.sheet_id, {"feel_safer": "a_bit_safer"}, {}) is not None
    posted = keyer.post("/staff/paper/key", {"sheet_id": sheet.sheet_id, "pages": "3", "answer-feel_safer": "less_safe"})
    assert posted.status_code == 409
    with services.session_factory() as session:
        assert session.scalar(select(Submission)).answers["feel_safer"] == "a_bit_safer"


def test_key_in_takes_only_the_questions_of_the_pages_left(services, printed, issue, tmp_path):
    form = printed("en")
    sheet = issue(form)
    answers, _ = scan_with_page_3_torn(form, services, tmp_path)
    recorded = DatabasePaperStore(services.session_factory, via="keyed").key_in(
        sheet.sheet_id, {"feel_safer": "a_bit_safer", "listened_to": "no", "consent": "named"},
        {"own_words": "typed", "better": "not on page 3"})
    assert recorded is not None and not recorded.created
    with services.session_factory() as session:
        submission = session.scalar(select(Submission))
        assert submission.answers["feel_safer"] == "a_bit_safer"
        assert submission.answers["listened_to"] == answers["listened_to"]
        assert submission.consent == answers["consent"]
        assert [t.question_id for t in session.scalars(select(FreeText))] == ["own_words"]
