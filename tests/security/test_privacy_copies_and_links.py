"""Where a person's words or the link to them lived on outside the tables erasure and retention look at,
and who saw what they should not (found by a privacy audit; each test failed before its fix, on SQLite and
PostgreSQL)."""
from __future__ import annotations

import importlib
from datetime import timedelta

from sqlalchemy import select

from channels.paper.models import CROP_TYPED, CROP_WAITING, REVIEW_DECIDED, PaperReview, PaperSheet, PaperTextCrop
from channels.sms import flows
from channels.sms.models import SmsConversation
from service.audit.log import Actor
from service.audit.models import AuditEvent
from service.auth.permissions import Role
from service.runtime import build_worker
from service.domain.model import Consent
from service.privacy.erasure import ERASURE_MARKER, erase_person
from service.privacy.person import PersonQuery
from service.privacy.retention import apply_retention
from service.privacy.subject_access import subject_access_export
from service.storage.orm import FreeText, Provider, Submission, TextAnnotation
from service.storage.types import utcnow
from tests.conftest import make_token, shown_to_provider
from tests.security.conftest import submit
from tests.sms.support import inbound_fields

PHONE = "+447700900321"
ADMIN = Actor("cli", role="admin")
PNG = b"\x89PNG\r\n\x1a\n" + b"handwriting-of-the-person"


def _sms_run(services, replies, *, expire: bool):
    flows.invite(services.session_factory, services.settings, phone=PHONE, language="en")
    now = utcnow()
    for body in replies:
        result = flows.handle_inbound(services.session_factory, services.settings, inbound_fields(body, PHONE), now=now)
    if expire:
        flows.expire_due(services.session_factory, services.settings, now=now + timedelta(days=4))
    return result


def _texts(services) -> list[str]:
    with services.session_factory() as session:
        return [t.text for t in session.scalars(select(FreeText))]


def test_erasure_by_phone_reaches_the_words_of_an_sms_questionnaire_that_expired(services):
    """An expired run is submitted without the number (the run keeps only its keyed hash); erasure by the
    number must still find it, and the subject-access export must list it."""
    _sms_run(services, ["1"] * 7 + ["Thanks to Dave Brown, a lovely chap"], expire=True)
    assert any("Dave Brown" in t for t in _texts(services))
    with services.session_factory.begin() as session:
        export = subject_access_export(session, PersonQuery.parse(phone="07700 900321"), actor=ADMIN,
                                       secret_key=services.settings.secret_key)
    assert len(export["feedback"]) == 1
    with services.session_factory.begin() as session:
        report = erase_person(session, PersonQuery.parse(phone="07700 900321"), actor=ADMIN, secret_key=services.settings.secret_key)
    assert len(report.submissions) == 1
    assert _texts(services) and all(t == ERASURE_MARKER for t in _texts(services))


def test_erasure_by_phone_between_the_contact_and_the_words_retention_limits(services):
    """Months 12-24: retention has blanked the contact row, the words are kept verbatim: the SMS run's
    keyed hash of the number still leads to them."""
    assert _sms_run(services, ["1"] * 7 + ["Thanks to Dave Brown at 12 Acacia Road", "skip", "1"], expire=False).outcome == "finished"
    later = utcnow() + timedelta(days=31 * 13)
    with services.session_factory.begin() as session:
        assert apply_retention(session, services.settings, now=later).contacts_erased == 1
    with services.session_factory.begin() as session:
        erase_person(session, PersonQuery.parse(phone="07700 900321"), actor=ADMIN, secret_key=services.settings.secret_key, now=later)
    assert _texts(services) and all(t == ERASURE_MARKER for t in _texts(services))


def test_an_ended_sms_run_keeps_no_copy_of_the_words(services):
    """The words are submitted when the run ends; a copy in the run's state outlived retention and erasure."""
    _sms_run(services, ["1"] * 7 + ["Thanks to Dave Brown at 12 Acacia Road", "skip", "1"], expire=False)
    _sms_run(services, ["1"] * 3 + ["My flat at 3 Elm Street is cold"], expire=True)      # a second run, expired
    with services.session_factory() as session:
        states = [c.state for c in session.scalars(select(SmsConversation))]
    assert len(states) == 2 and all(set(state) == {"step"} for state in states), states
    with services.session_factory.begin() as session:
        apply_retention(session, services.settings, now=utcnow() + timedelta(days=31 * 25))
    with services.session_factory() as session:
        assert not any("Acacia" in str(c.state) or "Elm Street" in str(c.state) for c in session.scalars(select(SmsConversation)))
    assert not any("Acacia Road" in t for t in _texts(services))


def _paper_submission(services, *, crop_status=CROP_WAITING):
    receipt = submit(services, provider_id=None, consent=Consent.NONE, phone="07700 900555", text="", case_reference="S42-2002")
    with services.session_factory.begin() as session:
        session.add(PaperSheet(sheet_id="SHEET0001", form_id="msp", form_version=1, language="en", pages=2,
                               case_ref="S42-2002", submission_id=receipt.submission_id))
        session.flush()
        session.add(PaperTextCrop(submission_id=receipt.submission_id, sheet_id="SHEET0001", question_id="own_words",
                                  crop_png=PNG, status=crop_status))
        session.add(PaperReview(sheet_id="SHEET0001", submission_id=receipt.submission_id, page=1, question_id="listened_to",
                                reason="uncertain", readings=[{"answer": "yes"}, {"answer": "no"}], crop_png=PNG))
    return receipt


def test_erasure_clears_the_case_reference_on_the_printed_sheet(services):
    receipt = _paper_submission(services)
    with services.session_factory.begin() as session:
        erase_person(session, PersonQuery.parse(reference=receipt.reference), actor=ADMIN, secret_key=services.settings.secret_key)
    with services.session_factory() as session:
        assert session.get(Submission, receipt.submission_id).case_reference is None
        assert session.get(PaperSheet, "SHEET0001").case_ref is None


def test_handwriting_is_served_only_while_it_waits_and_is_forgotten_once_typed(services, client):
    """Data entry types a box; from then on the words are text (checked, cut by retention, shown to the roles
    that read feedback) and the picture is gone, so nobody can page through old returns by id."""
    from channels.paper import queues

    _paper_submission(services)
    token = make_token(services, Role.DATA_ENTRY)
    headers = {"Authorization": f"Bearer {token}"}
    with services.session_factory() as session:
        crop_id = session.scalar(select(PaperTextCrop.id))
        review_id = session.scalar(select(PaperReview.id))
    assert client.simulate_get(f"/staff/paper/texts/{crop_id}/crop.png", headers=headers).status_code == 200
    assert client.simulate_get(f"/staff/paper/review/{review_id}/crop.png", headers=headers).status_code == 200
    queues.type_text(services.session_factory, crop_id, "The night staff are kind", "keyer")
    queues.decide_review(services.session_factory, review_id, "yes", "keyer")
    with services.session_factory() as session:
        assert session.get(PaperTextCrop, crop_id).crop_png == b"" and session.get(PaperReview, review_id).crop_png == b""
    assert client.simulate_get(f"/staff/paper/texts/{crop_id}/crop.png", headers=headers).status_code == 404
    assert client.simulate_get(f"/staff/paper/review/{review_id}/crop.png", headers=headers).status_code == 404


def test_the_migration_forgets_copies_stored_before(services, engine):
    """Migration 0009 does for rows stored before what the code now does when the work is done."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    _paper_submission(services, crop_status=CROP_TYPED)
    other = submit(services, provider_id=None, consent=Consent.NONE, text="")
    with services.session_factory.begin() as session:
        session.add(PaperTextCrop(submission_id=other.submission_id, sheet_id="SHEET0001",
                                  question_id="own_words", crop_png=PNG, status=CROP_WAITING))
        session.get(PaperReview, session.scalar(select(PaperReview.id))).status = REVIEW_DECIDED
        now = utcnow()
        for status, state in (("finished", {"step": 9, "texts": {"own_words": "12 Acacia Road"}, "answers": {"a": "1"}}),
                              ("open", {"step": 2, "texts": {"own_words": "still talking"}})):
            session.add(SmsConversation(id=f"run-{status}", phone_hash="h" * 64, language="en", questionnaire_id="msp",
                                        questionnaire_version=1, status=status, state=state, expires_at=now, created_at=now,
                                        updated_at=now))
    migration = importlib.import_module("service.storage.migrations.versions.0009_forget_copies_of_words")
    with engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
        migration.upgrade()
    with services.session_factory() as session:
        crops = {c.status: c.crop_png for c in session.scalars(select(PaperTextCrop))}
        assert crops == {CROP_TYPED: b"", CROP_WAITING: PNG}
        assert session.scalar(select(PaperReview.crop_png)) == b""
        assert session.get(SmsConversation, "run-finished").state == {"step": 9}
        assert session.get(SmsConversation, "run-open").state["texts"] == {"own_words": "still talking"}


def test_outbox_views_name_the_messages_shown(services, client):
    """The outbox shows people's numbers beside what was sent to them: the audit names the rows, not a count."""
    flows.invite(services.session_factory, services.settings, phone=PHONE, language="en")
    result = client.simulate_get("/api/v1/outbox", headers={"Authorization": f"Bearer {make_token(services, Role.DUTY_TEAM)}"})
    shown = [item["id"] for item in result.json["items"] if item["recipient"] == PHONE]
    assert shown
    with services.session_factory() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "outbox.view"))
    assert set(shown) <= set(event.detail["message_ids"])


def _home(services) -> int:
    with services.session_factory.begin() as session:
        home = Provider(name="Alder Court care home", type="care_home", area="Bolton")
        session.add(home)
        session.flush()
        return home.id


def test_data_entry_does_not_read_an_issue_the_check_passed_to_the_duty_team(services, client):
    home_id = _home(services)
    result = client.simulate_post("/api/v1/meetings", headers={"Authorization": f"Bearer {make_token(services, Role.ENGAGEMENT)}"}, json={
        "provider_id": home_id, "held_on": "2025-01-10", "attendance": {"residents": 5, "relatives": 1, "staff": 1},
        "language": "en", "issues": [{"text": "Mrs K says the night carer Tom hits her when she rings the bell", "raised_by": "resident"},
                                     {"text": "The lift is broken again", "raised_by": "relative"}],
        "actions": [], "follow_ups": []})
    assert result.status_code == 201, result.text
    meeting_id = result.json["id"]
    build_worker(services.settings, services.pipelines).run_until_idle()     # the real text check
    with services.session_factory() as session:
        assert {s.texts[0].text: s.urgent for s in session.scalars(select(Submission))} == {
            "Mrs K says the night carer Tom hits her when she rings the bell": True, "The lift is broken again": False}
    keyer = {"Authorization": f"Bearer {make_token(services, Role.DATA_ENTRY)}"}
    texts = [issue["text"] for issue in client.simulate_get(f"/api/v1/meetings/{meeting_id}", headers=keyer).json["issues"]]
    assert "The lift is broken again" in texts and not any("hits her" in t for t in texts)
    page = client.simulate_get(f"/staff/meetings/{meeting_id}", headers=keyer)
    assert page.status_code == 200 and "lift is broken" in page.text and "hits her" not in page.text
    duty = {"Authorization": f"Bearer {make_token(services, Role.DUTY_TEAM)}"}
    assert any("hits her" in issue["text"] for issue in client.simulate_get(f"/api/v1/meetings/{meeting_id}", headers=duty).json["issues"])
    with services.session_factory() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "submission.list", AuditEvent.target_type == "meeting")))
    urgent_id = next(i["submission_id"] for i in client.simulate_get(f"/api/v1/meetings/{meeting_id}", headers=duty).json["issues"]
                     if "hits her" in i["text"])
    keyer_events = [e for e in events if e.actor_role == "data_entry"]
    assert keyer_events and all(urgent_id not in e.detail["submission_ids"] for e in keyer_events)


def test_a_provider_learns_nothing_about_contacting_the_person(services, client):
    home_id = _home(services)
    receipt = submit(services, provider_id=home_id, consent=Consent.ANONYMOUS, phone="07700 900123", text="Staff were kind.")
    named = submit(services, provider_id=home_id, consent=Consent.NAMED, phone="07700 900124", text="Staff were kind too.")
    with services.session_factory.begin() as session:
        session.get(Submission, receipt.submission_id).contact_safe = False
        for text in session.scalars(select(FreeText)):
            session.add(TextAnnotation(free_text_id=text.id, model_version="seed", language="en",
                                       translation_status="not_needed", redacted=text.text, disclosure=False))
    headers = {"Authorization": f"Bearer {make_token(services, Role.PROVIDER_RESPONDER, (home_id,))}"}
    anonymous = client.simulate_get(f"/api/v1/submissions/{shown_to_provider(services, receipt.submission_id)}", headers=headers)
    assert anonymous.status_code == 200
    assert anonymous.json["contact"] == {"preference": "none", "safe_to_contact": None, "has_details": False}
    # Nor about a person who gave their name: "we never share your contact details with the service".
    shown = client.simulate_get(f"/api/v1/submissions/{shown_to_provider(services, named.submission_id)}", headers=headers)
    assert shown.json["contact"] == {"preference": "none", "safe_to_contact": None, "has_details": False}


FLAGGED = "no, my mum is still in that home"   # the disclosure classifier alone flags it: it goes in at once


def test_a_request_by_the_runs_reference_reaches_a_reply_that_went_in_ahead(services):
    """A reply only the classifier flags is submitted at once as feedback of its own (channels/sms/flows.py);
    the person knows only the questionnaire's reference, from its closing text, so a request by that
    reference must reach those words too; another person's run is left alone."""
    other = "+447700900999"
    flows.invite(services.session_factory, services.settings, phone=other, language="en")
    flows.handle_inbound(services.session_factory, services.settings, inbound_fields(FLAGGED, other), now=utcnow())
    assert _sms_run(services, ["1", FLAGGED] + ["1"] * 6 + ["They listened", "skip", "1"], expire=False).outcome == "finished"
    with services.session_factory() as session:
        whole = session.scalars(select(SmsConversation).where(SmsConversation.status == "finished")).one().submission_id
        reference = session.get(Submission, whole).reference
    with services.session_factory.begin() as session:
        export = subject_access_export(session, PersonQuery.parse(reference=reference), actor=ADMIN,
                                       secret_key=services.settings.secret_key)
    assert len(export["feedback"]) == 2
    with services.session_factory.begin() as session:
        report = erase_person(session, PersonQuery.parse(reference=reference), actor=ADMIN, secret_key=services.settings.secret_key)
    assert len(report.submissions) == 2
    left = [t for t in _texts(services) if t != ERASURE_MARKER]
    assert left == [FLAGGED]     # the other person's reply, sent in ahead of their questionnaire's end
    with services.session_factory() as session:
        assert [s.contact.phone for s in session.scalars(select(Submission)) if s.contact and s.contact.phone] == [other]


def test_erasure_by_the_reference_of_an_expired_runs_record_blanks_the_number_on_its_texts(services):
    """An expired run is submitted without the number, so erasure by its reference had no number to look for:
    the texts we sent in that run (its questions) kept the number and, by the run, tied it to the answers
    still kept (a review of this session). They are found by the run."""
    from service.storage.orm import OutboxMessage

    _sms_run(services, ["1", "2"], expire=True)
    with services.session_factory.begin() as session:
        for message in session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms")):
            message.status = "sent"          # the questions went out
        run = session.scalars(select(SmsConversation)).one()
        record = session.get(Submission, run.submission_id)
        assert record.contact is None
        reference, run_id = record.reference, run.id
    with services.session_factory.begin() as session:
        erase_person(session, PersonQuery.parse(reference=reference), actor=ADMIN, secret_key=services.settings.secret_key)
    with services.session_factory() as session:
        left = [(m.purpose, m.recipient) for m in session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms"))
                if m.recipient or (m.payload or {}).get("conversation_id") == run_id]
    assert left == []
