"""The human translation queue a page at a time (audit translq, finding 6): the API gave the first 100 texts and
the staff page the first 50, with nothing said of the rest -- the newest texts not checked for harm, behind a
backlog. The API now says how many wait (and how many are not checked for harm) and pages with a cursor, in the
queue's order: urgent, then not checked for harm, then oldest."""
from __future__ import annotations

import base64

import pytest
from sqlalchemy import select, update

from service.audit.models import AuditEvent
from service.storage.orm import FreeText, Submission
from tests.integration.test_analysis import analysed_services, loaded_pipelines, worker_for  # noqa: F401 (fixtures)

RUSSIAN = "Мой сосед {n} шумит по ночам и мешает спать."        # "und": not checked for harm
URDU = "کھانا اچھا تھا اور عملہ بہت مہربان تھا، شکریہ {n}"   # Urdu: checked (nothing urgent), waiting for a translation


def _queue_of(client, services, admin_headers, texts: list[tuple[str, bool]]) -> list[str]:
    """Submit each (words, urgent) in turn; the submission ids, in that order."""
    ids = []
    for words, _urgent in texts:
        created = client.simulate_post("/api/v1/submissions", json={"texts": {"own_words": words}, "consent": "none"})
        assert created.status_code == 201, created.text
        ids.append(created.json["id"])
    worker_for(services).run_until_idle()
    with services.session_factory.begin() as session:     # urgent as the duty team's alert would have made it
        session.execute(update(Submission).where(Submission.id.in_([i for i, (_w, u) in zip(ids, texts) if u]))
                        .values(urgent=True))
    return ids


def _walk(client, admin_headers, limit: int) -> tuple[list[dict], list[dict]]:
    """Every page of the queue, following next_cursor: (the items, the pages)."""
    items, pages, params = [], [], {"limit": limit}
    while True:
        page = client.simulate_get("/api/v1/translations", params=params, headers=admin_headers)
        assert page.status_code == 200, page.text
        pages.append(page.json)
        items += page.json["items"]
        if not page.json["next_cursor"]:
            return items, pages
        params = {"limit": limit, "cursor": page.json["next_cursor"]}


def test_the_queue_api_pages_in_the_queues_order_and_says_how_many_wait(client, analysed_services, admin_headers):
    texts = [(RUSSIAN.format(n=0), False), (URDU.format(n=1), True), (URDU.format(n=2), False), (RUSSIAN.format(n=3), True),
             (URDU.format(n=4), False), (RUSSIAN.format(n=5), False), (URDU.format(n=6), True), (RUSSIAN.format(n=7), True),
             (RUSSIAN.format(n=8), False)]
    ids = _queue_of(client, analysed_services, admin_headers, texts)
    whole = client.simulate_get("/api/v1/translations", headers=admin_headers).json
    assert whole["next_cursor"] is None and (whole["waiting"], whole["not_checked_for_harm"]) == (9, 5)
    # urgent first (not checked for harm first among them), then not checked for harm, then oldest
    expected = [ids[n] for n in (3, 7, 1, 6, 0, 5, 8, 2, 4)]
    assert [item["submission_id"] for item in whole["items"]] == expected
    for limit in (1, 2, 4):
        items, pages = _walk(client, admin_headers, limit)
        assert items == whole["items"] and len(pages) == -(-9 // limit)
        assert all((page["waiting"], page["not_checked_for_harm"]) == (9, 5) for page in pages)
    # Every page is audited with the submissions it showed.
    with analysed_services.session_factory() as session:
        shown = [event.detail["submission_ids"] for event in session.scalars(
            select(AuditEvent).where(AuditEvent.target_type == "translation_queue").order_by(AuditEvent.id))]
    assert [sorted(page) for page in shown[-3:]] == [sorted(expected[0:4]), sorted(expected[4:8]), [expected[8]]]


def test_a_text_translated_between_pages_does_not_hide_the_next_one(client, analysed_services, admin_headers):
    """A cursor names a place in the order, not an offset: a text taken out of the queue meanwhile (translated)
    moves nothing past the next page."""
    ids = _queue_of(client, analysed_services, admin_headers, [(RUSSIAN.format(n=n), False) for n in range(4)])
    first = client.simulate_get("/api/v1/translations", params={"limit": 2}, headers=admin_headers).json
    done = first["items"][0]
    assert client.simulate_post(f"/api/v1/texts/{done['free_text_id']}/translation", headers=admin_headers,
                                json={"translation": "My neighbour is noisy at night."}).status_code == 201
    rest = client.simulate_get("/api/v1/translations", params={"limit": 2, "cursor": first["next_cursor"]},
                               headers=admin_headers).json
    assert [item["submission_id"] for item in rest["items"]] == ids[2:] and rest["waiting"] == 3


@pytest.mark.parametrize("params", [
    {"limit": "0"}, {"limit": "101"}, {"limit": "ten"}, {"cursor": "not-a-cursor"},
    {"cursor": base64.urlsafe_b64encode(b"2|0|5").decode()}, {"cursor": base64.urlsafe_b64encode(b"1|0|99999999999999999999").decode()},
])
def test_a_bad_page_of_the_queue_is_a_400_naming_the_parameter(client, analysed_services, admin_headers, params):
    answer = client.simulate_get("/api/v1/translations", params=params, headers=admin_headers)
    assert answer.status_code == 400 and answer.json["errors"][0]["field"] == next(iter(params))


def test_the_staff_page_says_how_many_wait_and_pages_the_rest(client, analysed_services, admin_headers):
    from service.auth.permissions import Role
    from tests.support.staff import signed_in

    ids = _queue_of(client, analysed_services, admin_headers, [(RUSSIAN.format(n=n), False) for n in range(52)])
    duty = signed_in(client, analysed_services, "duty@example.org", Role.DUTY_TEAM)
    first = duty.get("/staff/translations")
    assert first.status_code == 200 and first.text.count('name="translation"') == 50
    assert "52 waiting</strong> (52 not checked for harm)" in first.text and "1 to 50 shown here" in first.text
    assert 'href="/staff/translations?page=2" rel="next"' in first.text and "сосед 50 " not in first.text
    second = duty.get("/staff/translations?page=2")
    assert second.text.count('name="translation"') == 2 and "сосед 50 " in second.text and "сосед 51 " in second.text
    assert "51 to 52 shown here" in second.text and 'rel="prev"' in second.text and 'rel="next"' not in second.text
    with analysed_services.session_factory() as session:
        audited = session.scalars(select(AuditEvent).where(AuditEvent.target_type == "translation_queue")
                                  .order_by(AuditEvent.id.desc())).first()
    assert audited.detail["page"] == 2 and audited.detail["submission_ids"] == sorted(ids[50:])
    # A translation saved from page 2 shows page 2 again, with one text fewer in all.
    with analysed_services.session_factory() as session:
        text_id = session.scalar(select(FreeText.id).where(FreeText.submission_id == ids[51]))
    assert 'action="/staff/translations?page=2"' in second.text
    saved = duty.post("/staff/translations?page=2", {"free_text_id": str(text_id), "translation": "My neighbour 51 is noisy at night.",
                                                     "annotation_id": _annotation_id(second.text, text_id)})
    assert saved.status_code == 200 and "Translation saved" in saved.text
    assert "51 waiting</strong> (51 not checked for harm)" in saved.text and "сосед 50 " in saved.text
    past = duty.get("/staff/translations?page=3")
    assert "no texts on page 3" in past.text and 'href="/staff/translations"' in past.text


def _annotation_id(page: str, free_text_id: int) -> str:
    from tests.staff.test_feedback_pages import _form_field

    return _form_field(page, free_text_id, "annotation_id")
