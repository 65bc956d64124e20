"""The paper queues show people's handwriting (crops of written boxes, tick boxes, whole scanned pages):
each queue page shown and each image served is audited, naming what was seen; and a scanned file's
name is shown with its direction overrides as visible marks."""
from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from channels.paper.store import DatabasePaperStore
from easy_read.paper.store import BoxReading, ReviewItem
from service.audit.models import AuditEvent
from service.storage.orm import Submission


def png_bytes(size: tuple[int, int] = (300, 80)) -> bytes:
    data = io.BytesIO()
    Image.new("L", size, 220).save(data, format="PNG")
    return data.getvalue()


def views(services, target_type: str) -> list[AuditEvent]:
    with services.session_factory() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.target_type == target_type).order_by(AuditEvent.id)))


def the_submission_id(services) -> str:
    with services.session_factory() as session:
        return session.scalars(select(Submission.id)).one()


def test_the_typing_queue_and_each_handwriting_crop_served_are_audited(keyer, services, store, printed, issue):
    sheet = issue(printed("en"))
    store.submit_answers(store.find_sheet(sheet.sheet_id), {}, {"own_words": png_bytes(), "better": png_bytes()})
    page = keyer.get("/staff/paper/texts")
    crop_ids = [int(i) for i in re.findall(r"/staff/paper/texts/(\d+)/crop.png", page.text)]
    assert len(crop_ids) == 2
    [listed] = views(services, "paper_text_queue")
    assert (listed.action, listed.detail) == ("submission.list", {"count": 2, "crop_ids": crop_ids})

    assert keyer.get(f"/staff/paper/texts/{crop_ids[0]}/crop.png").status_code == 200
    [served] = views(services, "paper_text_crop")
    assert (served.action, served.target_id) == ("submission.view", str(crop_ids[0]))
    assert served.detail == {"view": "handwriting", "submission_id": the_submission_id(services)}
    assert served.actor_label == "keyer"

    # Nothing served, nothing recorded; an empty queue shows no handwriting.
    assert keyer.get("/staff/paper/texts/999999/crop.png").status_code == 404
    assert len(views(services, "paper_text_crop")) == 1


def test_the_review_queue_and_each_tick_box_crop_served_are_audited(keyer, services, store, printed, issue):
    sheet = issue(printed("en"))
    record = store.find_sheet(sheet.sheet_id)
    store.submit_answers(record, {"respected": "yes"}, {})
    readings = (BoxReading("listened_to.yes", "yes", "uncertain", 0.03, 0.04, 0.5),)
    store.queue_review(record, ReviewItem(sheet.sheet_id, 1, "listened_to", "uncertain", readings, png_bytes()))
    page = keyer.get("/staff/paper/review")
    [review_id] = [int(i) for i in re.findall(r"/staff/paper/review/(\d+)/crop.png", page.text)]
    assert [e.detail for e in views(services, "paper_review_queue")] == [{"count": 1, "review_ids": [review_id]}]

    assert keyer.get(f"/staff/paper/review/{review_id}/crop.png").status_code == 200
    [served] = views(services, "paper_review")
    assert (served.action, served.target_id) == ("submission.view", str(review_id))
    assert served.detail == {"view": "tick_boxes", "submission_id": the_submission_id(services)}


def test_unreadable_pages_and_each_page_image_served_are_audited(keyer, services, store):
    store.record_unreadable("/scans/batch-7.pdf", 3, "no QR code found (not our form, blank, or too damaged)", png_bytes((400, 560)))
    page = keyer.get("/staff/paper/unreadable")
    [page_id] = [int(i) for i in re.findall(r'/staff/paper/unreadable/(\d+)/image.png"><img', page.text)]
    [listed] = views(services, "paper_unreadable_queue")
    assert (listed.action, listed.detail) == ("submission.list", {"count": 1, "page_ids": [page_id]})
    assert "batch-7" not in repr(listed.detail)   # the file name may name a person: ids only

    assert keyer.get(f"/staff/paper/unreadable/{page_id}/image.png").status_code == 200
    [served] = views(services, "paper_unreadable")
    assert (served.action, served.target_id, served.detail) == ("submission.view", str(page_id), {"view": "scanned_page"})


def test_empty_queues_record_no_view(keyer, services):
    for path in ("/staff/paper/texts", "/staff/paper/review", "/staff/paper/unreadable"):
        assert keyer.get(path).status_code == 200
    with services.session_factory() as session:
        assert list(session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("submission.%")))) == []


def test_direction_overrides_in_a_scanned_file_name_are_shown_as_marks(keyer, store):
    store.record_unreadable("/scans/\u202efdp.2-hctab", 1, "no QR code found (not our form, blank, or too damaged)", png_bytes())
    page = keyer.get("/staff/paper/unreadable").text
    assert "\u202e" not in page
    assert "/scans/[U+202E]fdp.2-hctab, page 1" in page


def test_keyed_entry_showing_a_case_reference_or_a_feedback_reference_is_audited(keyer, services, printed, issue):
    """Staff pages audit F7: the keyed-entry form shows the sheet's case reference (the person's s42 case),
    and its "already in" page the reference of their feedback; neither wrote an audit event."""
    sheet = issue(printed("en"))                               # case CASE-42
    assert keyer.get("/staff/paper/key", params={"sheet": sheet.sheet_id}).status_code == 200
    [shown] = views(services, "paper_sheet")
    assert (shown.action, shown.target_id, shown.actor_label) == ("submission.view", sheet.sheet_id, "keyer")
    assert shown.detail == {"view": "paper_keyed_entry", "submission_id": None, "case_reference": True}
    assert "CASE-42" not in repr(shown.detail)

    assert DatabasePaperStore(services.session_factory, via="keyed").key_in(sheet.sheet_id, {}, {}) is not None
    already = keyer.get("/staff/paper/key", params={"sheet": sheet.sheet_id})
    assert already.status_code == 409
    submission_id = the_submission_id(services)
    with services.session_factory() as session:
        reference = session.scalar(select(Submission.reference))
    assert reference in already.text
    posted = keyer.post("/staff/paper/key", {"sheet_id": sheet.sheet_id, "answer-respondent": "person"})
    assert posted.status_code == 409 and reference in posted.text
    assert [(e.action, e.target_id, e.detail) for e in views(services, "paper_sheet")[1:]] == [
        ("submission.view", sheet.sheet_id, {"view": "paper_already_in", "submission_id": submission_id, "case_reference": True})] * 2


def test_keyed_entry_of_a_sheet_with_nothing_about_anyone_records_no_view(keyer, services, printed, issue):
    sheet = issue(printed("en"), case_ref=None)
    assert keyer.get("/staff/paper/key", params={"sheet": sheet.sheet_id}).status_code == 200
    assert views(services, "paper_sheet") == []
