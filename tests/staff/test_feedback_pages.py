"""Staff feedback screens: the list (urgent first), one submission with the pipeline's reading and the
words that raised a flag, the human translation queue, and the outbox — signed in as real staff."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service.audit.models import AuditEvent
from service.auth.permissions import Role
from service.domain.model import Channel, Consent, SubmitFeedback
from service.intake import submit_feedback
from service.runtime import build_handlers
from service.storage.orm import TextAnnotation
from service.worker import Worker
from tests.integration.test_analysis import loaded_pipelines  # noqa: F401  (session fixture: load the pipeline once)
from tests.support.staff import StaffBrowser, add_user, signed_in

DISCLOSING = "My son takes my pension every week and says he will put me in a home if I tell anyone."
URDU = "میری بہو مجھے کمرے میں بند کر دیتی ہے اور کھانا نہیں دیتی۔"


@pytest.fixture
def duty(client, services, loaded_pipelines):  # noqa: F811
    services.pipelines._pipeline = loaded_pipelines.get()
    add_user(services, "duty@example.org", Role.DUTY_TEAM)
    browser = StaffBrowser(client)
    assert browser.sign_in("duty@example.org").status_code == 303
    return browser


def analyse_all(services):
    Worker(services.session_factory, build_handlers(services.settings, services.session_factory, services.pipelines)).run_until_idle()


def submit(services, text, language="en"):
    return submit_feedback(SubmitFeedback(channel=Channel.WEB, language=language, texts={"own_words": text}, consent=Consent.ANONYMOUS), services.uow())


def test_urgent_feedback_is_listed_first_and_shows_the_words_that_raised_it(duty, services):
    calm = submit(services, "Thank you, they listened to me.")
    urgent = submit(services, DISCLOSING)
    analyse_all(services)
    listing = duty.get("/staff/submissions")
    assert listing.status_code == 200
    assert listing.text.index(urgent.reference) < listing.text.index(calm.reference)
    page = duty.get(f"/staff/submissions/{urgent.submission_id}")
    assert page.status_code == 200 and "Possible disclosure" in page.text and "financial" in page.text
    assert "pension" in page.text  # the evidence words and the verbatim text, for the duty team
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    with services.session_factory() as session:
        views = list(session.scalars(select(AuditEvent).where(AuditEvent.target_id == urgent.submission_id)))
    assert views and views[0].actor_role == "duty_team"


def test_a_person_types_a_translation_and_the_text_is_read_again(duty, services):
    receipt = submit(services, URDU, language="ur")
    analyse_all(services)
    queue = duty.get("/staff/translations")
    assert URDU in queue.text
    with services.session_factory() as session:
        text_id = session.scalar(select(TextAnnotation.free_text_id))
    for typed in ("  ", "... ?"):        # no letter: the rule the API keeps too (service.analysis.typed_translation)
        empty = duty.post("/staff/translations", {"free_text_id": str(text_id), "translation": typed})
        assert empty.status_code == 422 and "Type the English translation" in empty.text and "Error:" in empty.text
    saved = duty.post("/staff/translations", {"free_text_id": str(text_id), "translation": "My daughter-in-law locks me in the room and gives me no food."})
    assert saved.status_code == 200 and "Translation saved" in saved.text and URDU not in saved.text
    page = duty.get(f"/staff/submissions/{receipt.submission_id}")
    assert "My daughter-in-law locks me in" in page.text and URDU in page.text


def _form_field(page: str, free_text_id: int, name: str) -> str:
    """The value a browser would send in the hidden field `name` of the form for this text."""
    form = next(f for f in page.split("<form")[1:] if f'name="free_text_id" value="{free_text_id}"' in f)
    return re.search(rf'name="{name}" value="([^"]*)"', form).group(1)


def test_a_second_translator_is_shown_the_translation_saved_meanwhile_and_keeps_theirs(client, services, loaded_pipelines):  # noqa: F811
    services.pipelines._pipeline = loaded_pipelines.get()
    receipt = submit(services, URDU, language="ur")
    analyse_all(services)
    a, b = (signed_in(client, services, f"{who}@example.org", Role.DUTY_TEAM) for who in ("a", "b"))
    with services.session_factory() as session:
        text_id = session.scalar(select(TextAnnotation.free_text_id))
    seen_by_a, seen_by_b = (_form_field(x.get("/staff/translations").text, text_id, "annotation_id") for x in (a, b))
    first = a.post("/staff/translations", {"free_text_id": str(text_id), "annotation_id": seen_by_a,
                                           "translation": "My daughter-in-law locks me in the room."})
    assert first.status_code == 200 and "Translation saved" in first.text
    second = b.post("/staff/translations", {"free_text_id": str(text_id), "annotation_id": seen_by_b,
                                            "translation": "My bahu shuts me in & gives no food."})
    assert second.status_code == 409 and "Translation saved" not in second.text and "Error:" in second.text
    assert "translated while you were typing" in second.text and "saved by a at" in second.text
    assert "My daughter-in-law locks me in the room." in second.text and URDU in second.text
    assert "My bahu shuts me in &amp; gives no food.</textarea>" in second.text        # what b typed is still there
    confirm = _form_field(second.text, text_id, "annotation_id")
    assert confirm != seen_by_b
    from_an_older_page = b.post("/staff/translations", {"free_text_id": str(text_id), "translation": "My bahu shuts me in."})
    assert from_an_older_page.status_code == 409     # a form without the field: the queue showed it untranslated too
    replaced = b.post("/staff/translations", {"free_text_id": str(text_id), "annotation_id": confirm,
                                              "translation": "My bahu shuts me in & gives no food."})
    assert replaced.status_code == 200 and "Translation saved" in replaced.text
    with services.session_factory() as session:
        readings = list(session.execute(select(TextAnnotation.translation, TextAnnotation.translation_source, TextAnnotation.current)
                                        .where(TextAnnotation.free_text_id == text_id).order_by(TextAnnotation.id)))
    assert [tuple(r) for r in readings] == [(None, None, False), ("My daughter-in-law locks me in the room.", "human:a", False),
                                            ("My bahu shuts me in & gives no food.", "human:b", True)]
    with services.session_factory() as session:   # the refused post showed a's words: that view is audited
        shown = [e.detail for e in session.scalars(select(AuditEvent).where(AuditEvent.actor_label == "b",
                                                                          AuditEvent.action == "submission.list"))]
    assert any(receipt.submission_id in d.get("submission_ids", []) for d in shown)


def test_a_translation_too_long_for_a_text_translated_meanwhile_is_kept_on_the_page(client, services, loaded_pipelines):  # noqa: F811
    """Second review, round 13: the text was no longer in the queue to show the typed words again, so they were lost."""
    from service.analysis import MAX_TRANSLATION_CHARS

    services.pipelines._pipeline = loaded_pipelines.get()
    submit(services, URDU, language="ur")
    analyse_all(services)
    a, b = (signed_in(client, services, f"{who}@example.org", Role.DUTY_TEAM) for who in ("a", "b"))
    with services.session_factory() as session:
        text_id = session.scalar(select(TextAnnotation.free_text_id))
    seen_by_b = _form_field(b.get("/staff/translations").text, text_id, "annotation_id")
    assert a.post("/staff/translations", {"free_text_id": str(text_id), "annotation_id": seen_by_b,
                                          "translation": "My daughter-in-law locks me in the room."}).status_code == 200
    long_words = "She locks me in. " * (MAX_TRANSLATION_CHARS // 17 + 1)
    refused = b.post("/staff/translations", {"free_text_id": str(text_id), "annotation_id": seen_by_b, "translation": long_words})
    assert refused.status_code == 422 and f"longer than {MAX_TRANSLATION_CHARS}" in refused.text
    assert long_words.strip() in refused.text.split("<textarea")[1] and "My daughter-in-law locks me in the room." in refused.text


def test_the_outbox_lists_messages_kept_without_twilio_or_smtp(duty, services):
    submit(services, DISCLOSING)
    analyse_all(services)
    page = duty.get("/staff/outbox")
    assert page.status_code == 200 and "URGENT: possible safeguarding disclosure" in page.text


def test_the_outbox_shows_direction_overrides_in_a_message_as_marks(duty, services):
    from service.outbox.outbox import enqueue

    with services.session_factory.begin() as session:
        enqueue(session, channel="sms", purpose="stray_thanks", recipient="+447700900123", body="Thanks \u202eenilno dlos\u202c")
    page = duty.get("/staff/outbox")
    assert "[U+202E]enilno dlos[U+202C]" in page.text and "\u202e" not in page.text


def test_providers_and_the_board_cannot_read_words_here(client, services):
    from service.storage.orm import Provider

    with services.session_factory.begin() as session:
        home = Provider(name="Alder Court", type="care_home", area="Bolton")
        session.add(home)
        session.flush()
        home_id = home.id
    add_user(services, "board@example.org", Role.BOARD)
    add_user(services, "home@example.org", Role.PROVIDER_RESPONDER, provider_ids=(home_id,))
    for email in ("board@example.org", "home@example.org"):
        browser = StaffBrowser(client)
        browser.sign_in(email)
        assert browser.get("/staff/submissions").status_code == 403
        assert browser.get("/staff/translations").status_code == 403


def test_the_translation_form_needs_its_csrf_token(duty, services):
    submit(services, URDU, language="ur")
    analyse_all(services)
    refused = duty.post("/staff/translations", {"free_text_id": "1", "translation": "x"}, csrf=False)
    assert refused.status_code == 403


def test_the_list_pages_so_no_feedback_is_out_of_reach(duty, services, monkeypatch):
    import service.staff.pages as pages

    monkeypatch.setattr(pages, "PAGE_SIZE", 2)
    receipts = [submit(services, f"Comment number {n}, thank you.") for n in range(5)]
    seen, page, links = [], 1, []
    while True:
        listing = duty.get(f"/staff/submissions?page={page}")
        assert listing.status_code == 200
        seen += [r.reference for r in receipts if r.reference in listing.text]
        if "Next page" not in listing.text:
            break
        page += 1
    assert sorted(seen) == sorted(r.reference for r in receipts) and page == 3
    assert "Previous page" in listing.text
    assert duty.get("/staff/submissions?page=0").status_code == 400
    beyond = duty.get("/staff/submissions?page=9")
    assert "There is no feedback on page 9" in beyond.text and "No feedback yet" not in beyond.text


def test_words_a_person_typed_outside_their_answers_are_shown_with_direction_controls_as_marks(client, services):
    """Staff pages audit F2: the case reference "SAB<U+202E>FED-1234" showed as "SAB4321-DEF", so staff
    could look up the wrong s42 case. Every field a person typed shows its overrides as visible marks, in
    an isolate (a reference and an address read left to right)."""
    from service.outbox.outbox import enqueue
    from service.storage.orm import FreeText

    receipt = submit_feedback(SubmitFeedback(channel=Channel.WEB, language="en", texts={"own_words": DISCLOSING},
                                             consent=Consent.ANONYMOUS, case_reference="<i>SAB</i>\u202eFED-1234"), services.uow())
    with services.session_factory.begin() as session:
        text_id = session.scalar(select(FreeText.id).where(FreeText.submission_id == receipt.submission_id))
        session.add(TextAnnotation(free_text_id=text_id, model_version="test", language="en", translation_status="not_needed",
                                   redacted=DISCLOSING, disclosure=True, disclosure_category="financial",
                                   disclosure_evidence=["takes my \u2067pension"]))
        enqueue(session, channel="email", purpose="hear_back", recipient="n\u202egro.elpmaxe@ame", subject="s", body="b")
    add_user(services, "duty@example.org", Role.DUTY_TEAM)
    duty = StaffBrowser(client)
    duty.sign_in("duty@example.org")

    page = duty.get(f"/staff/submissions/{receipt.submission_id}").text
    assert '<dd><bdi dir="ltr">&lt;i&gt;SAB&lt;/i&gt;[U+202E]FED-1234</bdi></dd>' in page
    assert "takes my [U+2067]pension" in page
    outbox = duty.get("/staff/outbox").text
    assert '<bdi dir="ltr">n[U+202E]gro.elpmaxe@ame</bdi>' in outbox
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", page + outbox)
