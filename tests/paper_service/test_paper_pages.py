"""The paper staff screens through the real app (falcon TestClient): keyed entry, the review and typing
queues, unreadable pages; permissions (the board is refused), CSRF, and the security headers."""
from __future__ import annotations

import io
import re

import pytest
from paper_service_helpers import choose, signed_in, tick
from PIL import Image
from sqlalchemy import select

from channels.paper.models import PaperPage
from channels.paper.pages import parse_sheet_id
from channels.paper.store import DatabasePaperStore
from easy_read.paper.render import qr_payload
from easy_read.paper.scan import scan_files
from easy_read.paper.store import BoxReading, ReviewItem
from service.audit.models import AuditEvent
from service.auth.permissions import Role
from service.intake import ANALYSE_TEXT
from service.storage.orm import FreeText, OutboxMessage, Submission

PAGES = ["/staff/paper", "/staff/paper/key", "/staff/paper/review", "/staff/paper/texts", "/staff/paper/unreadable"]


def only_submission(services) -> Submission:
    with services.session_factory() as session:
        [submission] = session.scalars(select(Submission))
        session.expunge(submission)
        return submission


def test_parse_sheet_id_takes_what_a_usb_qr_scanner_or_a_person_types():
    assert parse_sheet_id(qr_payload("msp", 1, "ur", 2, "7K2M9QX4TB")) == "7K2M9QX4TB"
    assert parse_sheet_id("  7k2m-9qx4 tb ") == "7K2M9QX4TB"
    assert parse_sheet_id("7K2M9QX4TO") == "7K2M9QX4T0"                  # O typed for 0
    assert parse_sheet_id("MSPFÖmspÖ1ÖurÖ2Ö7K2M9QX4TB") == "7K2M9QX4TB"   # scanner on a German keyboard layout
    assert parse_sheet_id("MSP-7KQ2-9HX4") is None                       # a feedback reference, not a sheet
    assert parse_sheet_id("") is None and parse_sheet_id("x" * 500) is None


@pytest.mark.parametrize("path", PAGES)
def test_the_board_is_refused_and_no_sign_in_goes_to_sign_in(client, services, path):
    assert client.simulate_get(path).status_code in (303, 401)
    board = signed_in(client, services, "board@example.org", Role.BOARD)
    result = board.get(path)
    assert result.status_code == 403


def test_the_board_cannot_see_crops_or_decide(client, services, store, printed, issue):
    sheet = issue(printed("en"))
    store.submit_answers(store.find_sheet(sheet.sheet_id), {}, {"own_words": b"\x89PNG fake"})
    board = signed_in(client, services, "board@example.org", Role.BOARD)
    with services.session_factory() as session:
        from channels.paper.models import PaperTextCrop
        crop_id = session.scalar(select(PaperTextCrop.id))
    assert board.get(f"/staff/paper/texts/{crop_id}/crop.png").status_code == 403
    board.get("/staff")
    assert board.post(f"/staff/paper/texts/{crop_id}", {"text": "x", "action": "save"}).status_code == 403
    assert board.post("/staff/paper/key", {"sheet_id": sheet.sheet_id}).status_code == 403


def test_pages_carry_the_csp_without_unsafe_inline_and_load_their_script(keyer):
    for path in PAGES:
        result = keyer.get(path)
        assert result.status_code == 200, (path, result.text[:300])
        csp = result.headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert result.headers["cache-control"] == "no-store"
        assert "<script>" not in result.text and " style=" not in result.text
        assert '<script src="/staff/paper/paper.js" defer></script>' in result.text
    script = keyer.get("/staff/paper/paper.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")


def test_keyed_entry_stores_a_paper_submission_through_intake(keyer, services, printed, issue, provider_id):
    sheet = issue(printed("ur"))
    start = keyer.get("/staff/paper/key")
    assert re.search(r'<input id="sheet" name="sheet"[^>]*autofocus', start.text)
    form = keyer.get("/staff/paper/key", params={"sheet": qr_payload("msp", 1, "ur", 3, sheet.sheet_id)})
    assert form.status_code == 200 and "1 is the right-most box" in form.text and "Urdu" in form.text and "CASE-42" in form.text and "Alder Court care home" in form.text
    assert '<kbd>1</kbd> Yes' in form.text and '<kbd>0</kbd> Not answered' in form.text
    fields = {"sheet_id": sheet.sheet_id, "answer-respondent": "family_friend", "answer-listened_to": "a_bit",
              "answer-feel_safer": "a_lot_safer", "answer-consent": "anonymous", "answer-asked_outcomes": "",
              "answer-outcomes_met": "", "answer-in_control": "", "answer-understood": "", "answer-respected": "",
              "text-own_words": "  میری بات سنی گئی  ", "text-better": ""}
    saved = keyer.post("/staff/paper/key", fields)
    assert saved.status_code == 303, saved.text
    submission = only_submission(services)
    assert saved.headers["location"] == f"/staff/paper/key?saved={submission.reference}"
    assert submission.channel == "paper" and submission.language == "ur" and submission.idempotency_key == f"paper:{sheet.sheet_id}"
    assert submission.answers == {"listened_to": "a_bit", "feel_safer": "a_lot_safer"}
    assert submission.respondent == "family_friend" and submission.consent == "anonymous"
    assert submission.case_reference == "CASE-42" and submission.provider_id == provider_id
    with services.session_factory() as session:
        [text] = session.scalars(select(FreeText))
        assert text.text == "  میری بات سنی گئی  " and text.question_id == "own_words"
        assert session.scalar(select(OutboxMessage.purpose).where(OutboxMessage.submission_id == submission.id)) == ANALYSE_TEXT
        assert sorted(p.page for p in session.scalars(select(PaperPage))) == [1, 2, 3, 4]
        assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == "paper.keyed")) == "paper.keyed"
    after = keyer.get(saved.headers["location"])
    assert f"Saved as feedback {submission.reference}" in after.text


def test_a_sheet_already_keyed_or_scanned_shows_a_clear_message_and_stores_nothing(keyer, services, printed, issue, tmp_path):
    form = printed("en")
    sheet = issue(form)
    png = tmp_path / "p1.png"
    tick(form.pages[0], form.layout.page(1), choose(form.layout.page(1))).save(png)
    scan_files([png], DatabasePaperStore(services.session_factory))
    keyer.get("/staff/paper/key")
    # a form shown for every page (no "pages" field: an older screen) is refused once page 1 is in
    posted = keyer.post("/staff/paper/key", {"sheet_id": sheet.sheet_id, "answer-listened_to": "no"})
    assert posted.status_code == 409 and "already" in posted.text
    # the pages left are keyed in; then the whole sheet is in and keyed entry says so
    assert DatabasePaperStore(services.session_factory, via="keyed").key_in(sheet.sheet_id, {}, {}) is not None
    shown = keyer.get("/staff/paper/key", params={"sheet": sheet.sheet_id})
    assert shown.status_code == 409 and "already scanned" in shown.text and "Nothing was stored" in shown.text
    with services.session_factory() as session:
        assert len(list(session.scalars(select(Submission)))) == 1


def test_unknown_or_mistyped_sheet_ids_get_an_error_summary(keyer):
    result = keyer.get("/staff/paper/key", params={"sheet": "hello"})
    assert result.status_code == 422 and "There is a problem" in result.text and 'href="#sheet"' in result.text
    result = keyer.get("/staff/paper/key", params={"sheet": "0000000000"})
    assert result.status_code == 404 and "No form with sheet id 0000000000" in result.text


def test_a_bad_answer_is_refused_with_the_form_kept(keyer, services, printed, issue):
    sheet = issue(printed("en"))
    keyer.get("/staff/paper/key", params={"sheet": sheet.sheet_id})
    result = keyer.post("/staff/paper/key", {"sheet_id": sheet.sheet_id, "answer-listened_to": "perhaps",
                                             "text-own_words": "kept as typed"})
    assert result.status_code == 422 and 'href="#answer-listened_to"' in result.text and "kept as typed" in result.text
    with services.session_factory() as session:
        assert list(session.scalars(select(Submission))) == [] and list(session.scalars(select(PaperPage))) == []


def test_no_answer_is_pre_chosen_and_a_question_not_keyed_stores_nothing(keyer, services, printed, issue):
    """A stray Enter (or a QR scanner typing the next sheet's code and Enter into the open form) sends the
    form with nothing keyed: it is refused, not stored as an empty return that locks the sheet for good."""
    sheet = issue(printed("en"))
    form = keyer.get("/staff/paper/key", params={"sheet": sheet.sheet_id})
    assert form.status_code == 200 and 'name="answer-respondent"' in form.text
    assert " checked" not in form.text                  # "Not answered" is a key to press, not a default

    nothing = keyer.post("/staff/paper/key", {"sheet_id": sheet.sheet_id})
    assert nothing.status_code == 422 and "There is a problem" in nothing.text
    assert 'href="#answer-respondent"' in nothing.text and 'href="#answer-consent"' in nothing.text
    assert "choose one of the answers, or “Not answered”" in nothing.text

    # Half keyed, then sent: the keyed answers ("Not answered" too) come back chosen, the rest are errors.
    half = keyer.post("/staff/paper/key", {"sheet_id": sheet.sheet_id, "answer-respondent": "person",
                                           "answer-asked_outcomes": "", "text-own_words": "kept as typed"})
    assert half.status_code == 422 and "kept as typed" in half.text
    assert re.search(r'id="answer-respondent" name="answer-respondent" value="person"[^>]* checked', half.text)
    assert re.search(r'name="answer-asked_outcomes" value=""[^>]* checked', half.text)
    assert 'href="#answer-respondent"' not in half.text and 'href="#answer-outcomes_met"' in half.text
    assert re.search(r'<fieldset [^>]*data-question="outcomes_met"[^>]*aria-invalid="true"', half.text)

    with services.session_factory() as session:
        assert list(session.scalars(select(Submission))) == [] and list(session.scalars(select(PaperPage))) == []
    still_open = keyer.get("/staff/paper/key", params={"sheet": sheet.sheet_id})
    assert still_open.status_code == 200 and "already in" not in still_open.text


def test_the_sheets_case_reference_is_shown_with_direction_controls_as_marks(keyer, printed, issue):
    """Staff pages audit F2: "SAB<U+202E>FED-1234" showed as "SAB4321-DEF" beside the form being keyed."""
    sheet = issue(printed("en"), case_ref="<i>SAB</i>\u202eFED-1234")
    form = keyer.get("/staff/paper/key", params={"sheet": sheet.sheet_id}).text
    assert '<dt>Case reference</dt><dd><bdi dir="ltr">&lt;i&gt;SAB&lt;/i&gt;[U+202E]FED-1234</bdi></dd>' in form
    assert "\u202e" not in form


def test_csrf_is_required(keyer, services, printed, issue):
    sheet = issue(printed("en"))
    result = keyer.post("/staff/paper/key", {"sheet_id": sheet.sheet_id, "answer-listened_to": "yes"}, csrf=False)
    assert result.status_code == 403
    result = keyer.post("/staff/paper/key", {"sheet_id": sheet.sheet_id, "csrf_token": "forged"})
    assert result.status_code == 403
    with services.session_factory() as session:
        assert list(session.scalars(select(Submission))) == []


def test_review_queue_shows_the_crop_least_certain_first_and_a_decision_adds_the_answer(keyer, services, store, printed, issue):
    sheet = issue(printed("en"))
    record = store.find_sheet(sheet.sheet_id)
    store.submit_answers(record, {"respected": "yes"}, {})
    crop = io.BytesIO()
    Image.new("L", (300, 80), 200).save(crop, format="PNG")
    for question, confidence in (("listened_to", 0.55), ("consent", 0.2)):
        answers = ["yes", "a_bit", "no"] if question == "listened_to" else ["named", "anonymous", "none"]
        readings = tuple(BoxReading(f"{question}.{a}", a, "uncertain" if i == 0 else "empty", 0.03, 0.04,
                                    confidence if i == 0 else 0.95) for i, a in enumerate(answers))
        store.queue_review(record, ReviewItem(sheet.sheet_id, 1, question, "uncertain", readings, crop.getvalue()))
    page = keyer.get("/staff/paper/review")
    assert page.status_code == 200
    assert page.text.index("Can we tell the service what you said?") < page.text.index("Did you feel listened to?")
    ids = re.findall(r'/staff/paper/review/(\d+)/crop.png', page.text)
    image = keyer.get(f"/staff/paper/review/{ids[0]}/crop.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png" and image.content == crop.getvalue()
    decided = keyer.post(f"/staff/paper/review/{ids[0]}", {"answer": "anonymous"})
    assert decided.status_code == 303
    nothing = keyer.post(f"/staff/paper/review/{ids[1]}", {})
    assert nothing.status_code == 422 and "Choose the answer" in nothing.text
    keyer.post(f"/staff/paper/review/{ids[1]}", {"answer": "a_bit"})
    again = keyer.post(f"/staff/paper/review/{ids[1]}", {"answer": "no"})
    assert again.status_code == 422 and "already decided" in again.text
    submission = only_submission(services)
    assert submission.consent == "anonymous" and submission.answers == {"respected": "yes", "listened_to": "a_bit"}
    assert "Nothing to decide" in keyer.get("/staff/paper/review").text


def test_typing_queue_stores_the_words_verbatim_and_queues_the_analysis(keyer, services, store, printed, issue):
    sheet = issue(printed("en"))
    png = io.BytesIO()
    Image.new("L", (600, 200), 230).save(png, format="PNG")
    store.submit_answers(store.find_sheet(sheet.sheet_id), {}, {"own_words": png.getvalue(), "better": png.getvalue()})
    page = keyer.get("/staff/paper/texts")
    ids = re.findall(r'/staff/paper/texts/(\d+)/crop.png', page.text)
    assert len(ids) == 2 and "Tell us in your own words" in page.text
    assert keyer.get(f"/staff/paper/texts/{ids[0]}/crop.png").content == png.getvalue()
    blank = keyer.post(f"/staff/paper/texts/{ids[0]}", {"text": "  ", "action": "save"})
    assert blank.status_code == 422 and "Type what the box says" in blank.text
    saved = keyer.post(f"/staff/paper/texts/{ids[0]}", {"text": "They were kind.\nThank you", "action": "save"})
    assert saved.status_code == 303
    skipped = keyer.post(f"/staff/paper/texts/{ids[1]}", {"text": "", "action": "no_text"})
    assert skipped.status_code == 303
    with services.session_factory() as session:
        assert [t.text for t in session.scalars(select(FreeText))] == ["They were kind.\nThank you"]
        assert [m.purpose for m in session.scalars(select(OutboxMessage))] == [ANALYSE_TEXT]
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.action == "paper.text_typed")))
        assert len(actions) == 2
    assert "No handwriting is waiting" in keyer.get("/staff/paper/texts").text


def test_unreadable_pages_are_listed_with_reason_and_image(keyer, services, store):
    png = io.BytesIO()
    Image.new("L", (400, 560), 255).save(png, format="PNG")
    store.record_unreadable("/scans/batch-7.pdf", 3, "no QR code found (not our form, blank, or too damaged)", png.getvalue())
    store.record_unreadable("/scans/broken.tif", 1, "not an image Pillow can read (UnidentifiedImageError)", b"")
    page = keyer.get("/staff/paper/unreadable")
    assert "/scans/batch-7.pdf, page 3" in page.text and "no QR code found" in page.text
    assert "not an image Pillow can read" in page.text and "No image: the file could not be opened" in page.text
    [image_id] = re.findall(r'/staff/paper/unreadable/(\d+)/image.png"><img', page.text)
    assert keyer.get(f"/staff/paper/unreadable/{image_id}/image.png").content == png.getvalue()
    assert keyer.get("/staff/paper/unreadable/999999/image.png").status_code == 404


def test_an_unreadable_page_of_a_sheet_cannot_be_marked_keyed_in_while_its_page_is_not_in(keyer, services, store,
                                                                                         printed, issue):
    """'Keyed in by hand or scanned again' deletes the image, maybe the only copy of a person's words: while
    page 3 of the sheet is not recorded it is refused with a message saying what to do, and the page stays."""
    sheet = issue(printed("en"))
    png = io.BytesIO()
    Image.new("L", (400, 560), 255).save(png, format="PNG")
    store.record_unreadable("/scans/batch-4.pdf", 1, f"corner marks not found (2 of 4) [sheet {sheet.sheet_id} page 3]",
                            png.getvalue(), sheet_id=sheet.sheet_id)
    [item_id] = re.findall(r'action="/staff/paper/unreadable/(\d+)"', keyer.get("/staff/paper/unreadable").text)
    refused = keyer.post(f"/staff/paper/unreadable/{item_id}", {"outcome": "keyed"})
    assert refused.status_code == 422
    assert f"Page 3 of sheet {sheet.sheet_id} is not in yet: key it in (or scan it again) first" in refused.text
    assert keyer.get(f"/staff/paper/unreadable/{item_id}/image.png").content == png.getvalue()
    with services.session_factory() as session:
        assert not list(session.scalars(select(AuditEvent).where(AuditEvent.action == "paper.unreadable_resolved")))


def test_an_unreadable_page_dealt_with_is_deleted_and_the_outcome_audited(keyer, client, services, store):
    png = io.BytesIO()
    Image.new("L", (400, 560), 255).save(png, format="PNG")
    store.record_unreadable("/scans/batch-9.pdf", 2, "no QR code found (not our form, blank, or too damaged)", png.getvalue())
    store.record_unreadable("/scans/batch-9.pdf", 5, "no QR code found (not our form, blank, or too damaged)", png.getvalue())
    page = keyer.get("/staff/paper/unreadable")
    first_id, second_id = sorted(int(i) for i in re.findall(r'action="/staff/paper/unreadable/(\d+)"', page.text))
    assert "if it tells of harm, pass it to the safeguarding duty team now" in page.text

    missing = keyer.post(f"/staff/paper/unreadable/{first_id}", {})
    assert missing.status_code == 422 and "choose what was done with the page" in missing.text
    unknown = keyer.post(f"/staff/paper/unreadable/{first_id}", {"outcome": "shredded"})
    assert unknown.status_code == 422
    board = signed_in(client, services, "board@example.org", Role.BOARD)
    board.get("/staff")
    assert board.post(f"/staff/paper/unreadable/{first_id}", {"outcome": "keyed"}).status_code == 403
    assert keyer.post(f"/staff/paper/unreadable/{first_id}", {"outcome": "keyed"}, csrf=False).status_code == 403

    done = keyer.post(f"/staff/paper/unreadable/{first_id}", {"outcome": "keyed"})
    assert done.status_code == 303 and done.headers["location"].endswith(f"/staff/paper/unreadable?resolved={first_id}")
    after = keyer.get(done.headers["location"])
    assert "Done: the page was deleted." in after.text
    assert f'action="/staff/paper/unreadable/{first_id}"' not in after.text
    assert f'action="/staff/paper/unreadable/{second_id}"' in after.text
    assert keyer.get(f"/staff/paper/unreadable/{first_id}/image.png").status_code == 404
    again = keyer.post(f"/staff/paper/unreadable/{first_id}", {"outcome": "not_feedback"})   # a second click
    assert again.status_code == 303 and again.headers["location"].endswith(f"?gone={first_id}")
    assert "had already been dealt with" in keyer.get(again.headers["location"]).text

    with services.session_factory() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "paper.unreadable_resolved")))
    assert [(e.target_id, e.detail) for e in events] == [(str(first_id), {"outcome": "keyed"})]
    assert "batch-9" not in repr(events[0].detail)
