"""Erasure on request, subject-access export, consent withdrawal, retention."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import MetaData, select, text, update

from service.audit.models import AuditEvent
from service.auth.permissions import Role
from service.domain.model import Consent
from service.outbox.outbox import enqueue
from service.privacy.erasure import ERASURE_MARKER
from service.privacy.models import TextReduction
from service.privacy.person import PersonQuery, PersonQueryError, normalise_phone
from service.privacy.retention import RetentionRules, apply_retention, months_before
from service.storage.orm import FreeText, OutboxMessage, Submission, TextAnnotation
from service.storage.types import utcnow

from tests.conftest import shown_to_provider

from .conftest import bearer, submit


def _all_stored_text(engine) -> str:
    """Every value in every table, as one string: what "gone everywhere" is checked against."""
    metadata = MetaData()
    metadata.reflect(engine)
    parts = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(table.select()):
                parts.append(" ".join(str(value) for value in row))
    return "\n".join(parts)


def _annotate(services, submission_id: str) -> None:
    """A text-pipeline reading of each text (translation, redaction, evidence quoting the words)."""
    with services.session_factory.begin() as session:
        for free_text in session.scalars(select(FreeText).where(FreeText.submission_id == submission_id)):
            session.execute(text("DELETE FROM text_annotations WHERE free_text_id = :id"), {"id": free_text.id})
            session.execute(text(
                "INSERT INTO text_annotations (free_text_id, current, model_version, language, language_confidence, language_uncertain,"
                " translation, translation_status, redacted, themes, disclosure, disclosure_evidence, created_at)"
                " VALUES (:id, :current, 'test', 'en', 1.0, :false, :translation, 'machine', :redacted, :themes, :true, :evidence, :now)"),
                {"id": free_text.id, "current": True, "false": False, "true": True, "translation": "translated: " + free_text.text,
                 "redacted": "[NAME] shouted at me. My number is [PHONE].", "themes": '["staff_attitude"]',
                 "evidence": '["shouted at me"]', "now": utcnow().replace(tzinfo=None)})


def test_phone_numbers_match_however_they_are_written():
    assert normalise_phone("07700 900123") == normalise_phone("+44 7700 900123") == normalise_phone("00447700900123") == "+447700900123"
    with pytest.raises(PersonQueryError):
        PersonQuery.parse(phone="07700 900123", email="a@example.org")
    with pytest.raises(PersonQueryError):
        PersonQuery.parse(phone="not a number")


def test_erasure_by_phone_removes_contact_and_words_everywhere_and_is_audited(client, services, seed, role_tokens, admin_token):
    _annotate(services, seed.sub_a_anonymous)
    with services.session_factory.begin() as session:
        enqueue(session, channel="sms", purpose="thank_you", recipient="+447700900123", body="Thank you Mary, we read what you said.",
                submission_id=seed.sub_a_anonymous)
        alert = enqueue(session, channel="email", purpose="duty_alert", recipient="duty@example.org", subject="Urgent",
                        body="Mrs Jones at Alder Court shouted at me.", submission_id=seed.sub_a_anonymous)
        # An alert that has gone is blanked like any record (one still waiting goes: test_erasure_identifiers.py).
        session.execute(update(OutboxMessage).where(OutboxMessage.id == alert.id).values(status="sent"))
    before = _all_stored_text(services.engine)
    assert "900123" in before and "shouted" in before and "Mary Smith" in before

    result = client.simulate_post("/api/v1/privacy/erasures", json={"phone": "+44 7700 900123", "reason": "request by letter"},
                                  headers=bearer(admin_token))
    assert result.status_code == 200, result.text
    erased = result.json["erased"]
    assert erased["submissions"] == [seed.sub_a_anonymous] and erased["contacts"] == 1 and erased["free_texts"] == 1
    assert erased["derived_rows"] == {"text_annotations": 1}

    after = _all_stored_text(services.engine)
    for gone in ("900123", "shouted", "Mary Smith", "Mrs Jones", "S42-1001", "Thank you Mary"):
        assert gone not in after, gone
    # Other people's feedback is untouched.
    assert "Staff were kind." in after and "pat@example.org" in after and "900789" in after
    with services.session_factory() as session:
        submission = session.get(Submission, seed.sub_a_anonymous)
        assert submission.answers == {"listened_to": "yes", "feel_safer": "a_bit_safer"}  # aggregates stay
        assert [t.text for t in submission.texts] == [ERASURE_MARKER]
        assert submission.contact.erased_at is not None and submission.contact.phone is None
        assert session.get(TextReduction, submission.texts[0].id).kind == "erased"
        messages = list(session.scalars(select(OutboxMessage).where(OutboxMessage.submission_id == seed.sub_a_anonymous)))
        assert messages and all(m.recipient is None and m.body == "" for m in messages if m.channel != "task")
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.erase"))
    # The audit log shows who did it, when, from where, without the number itself.
    assert event.actor_type == "token" and event.actor_role == "admin" and event.actor_id
    assert event.client_address and event.request_id and event.at is not None
    assert event.detail["by"] == "phone" and event.detail["identifier"].endswith("123") and "900123" not in str(event.detail)
    assert event.detail["submissions"] == [seed.sub_a_anonymous]
    # The submission reads back without the words or details.
    item = client.simulate_get(f"/api/v1/submissions/{seed.sub_a_anonymous}", headers=bearer(admin_token)).json
    assert item["texts"] == {"own_words": ERASURE_MARKER} and item["contact"]["has_details"] is False and item["case_reference"] is None


def test_the_erasure_of_someone_with_much_feedback_names_all_of_it_in_the_audit_log(client, services, admin_token):
    """The erasure's audit event is the only record of what it reached (the rows are gone). For a person with
    ~200 pieces of feedback (an SMS number that answers often) it used to be cut to the names of its fields:
    no submissions, no counts, no reason."""
    ids = [submit(services, provider_id=None, consent=Consent.NONE, email="often@example.org", text="").submission_id for _ in range(210)]
    done = client.simulate_post("/api/v1/privacy/erasures", json={"email": "often@example.org", "reason": "request by letter"},
                                headers=bearer(admin_token))
    assert done.status_code == 200, done.text
    assert sorted(done.json["erased"]["submissions"]) == sorted(ids)
    with services.session_factory() as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.erase"))
    assert sorted(event.detail["submissions"]) == sorted(ids)
    assert (event.detail["contacts"], event.detail["reason"], event.detail["identifier"]) == (210, "request by letter", "o***@example.org")


def test_erasure_by_reference_and_by_email(client, services, seed, admin_token):
    by_reference = client.simulate_post("/api/v1/privacy/erasures", json={"reference": seed.references["b_named"]}, headers=bearer(admin_token))
    assert by_reference.json["erased"]["submissions"] == [seed.sub_b_named]
    by_email = client.simulate_post("/api/v1/privacy/erasures", json={"email": "PAT@example.org"}, headers=bearer(admin_token))
    assert by_email.json["erased"]["submissions"] == [seed.sub_a_named]
    after = _all_stored_text(services.engine)
    assert "Birch carers were late" not in after and "900789" not in after and "pat@example.org" not in after
    assert "Staff were kind" not in after
    again = client.simulate_post("/api/v1/privacy/erasures", json={"email": "pat@example.org"}, headers=bearer(admin_token))
    assert again.status_code == 200 and again.json["erased"]["submissions"] == []


def test_details_typed_into_the_erasure_reason_are_not_kept_in_the_audit_log(client, services, seed, admin_token):
    """The audit log is append-only: a phone number or email typed into the reason would stay for ever."""
    reason = "Mr John Smith phoned from 07700 900111. " + "x" * 120 + " email mary.jones@example.org"
    done = client.simulate_post("/api/v1/privacy/erasures", json={"reference": seed.references["b_named"], "reason": reason},
                                headers=bearer(admin_token))
    assert done.status_code == 200
    after = _all_stored_text(services.engine)
    assert "900111" not in after and "mary.jones@exa" not in after and "John Smith" not in after
    assert "[PHONE]" in after and "phoned from" in after


def test_erasure_request_needs_exactly_one_identifier(client, admin_token, role_tokens):
    assert client.simulate_post("/api/v1/privacy/erasures", json={}, headers=bearer(admin_token)).status_code == 422
    both = {"phone": "07700 900123", "email": "a@example.org"}
    assert client.simulate_post("/api/v1/privacy/erasures", json=both, headers=bearer(admin_token)).status_code == 422
    # none or two: the request as a whole (no phone was sent to blame)
    for body in ({}, {"email": "a@example.org", "reference": "MSP-7KQ2-9HX4"}):
        refused = client.simulate_post("/api/v1/privacy/erasures", json=body, headers=bearer(admin_token))
        assert [p["field"] for p in refused.json["errors"]] == ["body"], refused.json
    # a malformed value names its own field, so a client can point the person at it
    for field, value in (("email", "not-an-address"), ("reference", "??"), ("phone", "call me")):
        refused = client.simulate_post("/api/v1/privacy/erasures", json={field: value}, headers=bearer(admin_token))
        assert refused.status_code == 422 and [p["field"] for p in refused.json["errors"]] == [field], refused.json
    duty = client.simulate_post("/api/v1/privacy/erasures", json={"phone": "07700 900123"}, headers=bearer(role_tokens[Role.DUTY_TEAM]))
    assert duty.status_code == 403


def test_subject_access_export_holds_everything_about_the_person(client, services, seed, admin_token):
    submit(services, provider_id=seed.provider_b, consent=Consent.NONE, phone="+447700900123", text="A second time, about Birch.")
    with services.session_factory.begin() as session:
        enqueue(session, channel="sms", purpose="thank_you", recipient="+447700900123", body="Thank you for your feedback.")
    result = client.simulate_post("/api/v1/privacy/subject-access", json={"phone": "07700900123"}, headers=bearer(admin_token))
    assert result.status_code == 200
    assert "attachment" in result.headers["content-disposition"]
    document = result.json
    assert {c["phone"] for c in document["contact_details"]} == {"07700 900123", "+447700900123"}
    assert len(document["feedback"]) == 2
    words = [f["own_words"]["own_words"]["text"] for f in document["feedback"]]
    assert any("shouted" in w for w in words) and any("second time" in w for w in words)
    assert document["feedback"][0]["about_provider"] == "Alder Court care home"
    assert any(m["body"] == "Thank you for your feedback." for m in document["messages"])
    assert "Pat" not in result.text and "Birch carers" not in result.text  # nobody else's
    with services.session_factory() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.subject_access_export"))
    assert event.actor_role == "admin" and event.detail["submissions"] == 2 and "900123" not in str(event.detail)
    by_reference = client.simulate_post("/api/v1/privacy/subject-access", json={"reference": seed.references["a_named"]}, headers=bearer(admin_token))
    assert by_reference.status_code == 422  # a feedback reference is too weak to hand over everything held


def test_withdrawing_consent_hides_items_already_routed_to_the_provider(client, services, seed, role_tokens, admin_token):
    provider = bearer(role_tokens[Role.PROVIDER_RESPONDER])
    assert client.simulate_get(f"/api/v1/submissions/{shown_to_provider(services, seed.sub_a_named)}", headers=provider).status_code == 200
    with services.session_factory.begin() as session:
        enqueue(session, channel="email", purpose="provider_notification", recipient="manager@alder.example", body="New feedback",
                submission_id=seed.sub_a_named)
    result = client.simulate_post("/api/v1/privacy/consent-withdrawals", json={"reference": seed.references["a_named"]},
                                  headers=bearer(role_tokens[Role.DUTY_TEAM]))
    assert result.status_code == 200 and result.json["withdrawn"]["changed"] == 1 and result.json["withdrawn"]["outbox_cancelled"] == 1
    assert client.simulate_get(f"/api/v1/submissions/{shown_to_provider(services, seed.sub_a_named)}", headers=provider).status_code == 404
    assert client.simulate_get(f"/api/v1/submissions/{shown_to_provider(services, seed.sub_a_named)}/contact", headers=provider).status_code == 404
    assert shown_to_provider(services, seed.sub_a_named) not in {i["id"] for i in client.simulate_get("/api/v1/submissions", headers=provider).json["items"]}
    # Staff still see it; the words are kept (withdrawal is not erasure).
    assert client.simulate_get(f"/api/v1/submissions/{seed.sub_a_named}", headers=bearer(admin_token)).json["consent"] == "none"
    with services.session_factory() as session:
        assert session.scalar(select(OutboxMessage.status).where(OutboxMessage.purpose == "provider_notification")) == "cancelled"
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.consent_withdrawn"))
    assert event.actor_role == "duty_team"


def test_retention_erases_old_contacts_and_keeps_old_words_only_redacted(services, seed):
    now = utcnow()
    _annotate(services, seed.sub_a_named)
    with services.session_factory.begin() as session:
        old = session.get(Submission, seed.sub_a_anonymous)
        old.contact.last_contact_at = now - timedelta(days=400)          # > 12 months: erase
        old.communication_needs_other = "Ring my neighbour Joan first"
        old.received_at = now - timedelta(days=400)
        session.get(Submission, seed.sub_b_named).communication_needs_other = "Large print"   # received now: kept
        session.get(Submission, seed.sub_b_named).contact.last_contact_at = now - timedelta(days=300)  # < 12 months: keep
        session.execute(update(FreeText).where(FreeText.submission_id.in_([seed.sub_a_anonymous, seed.sub_a_named]))
                        .values(created_at=now - timedelta(days=800)))      # > 24 months
        enqueue(session, channel="sms", purpose="thank_you", recipient="+447700900123", body="Thanks Mary")
        session.execute(update(OutboxMessage).where(OutboxMessage.purpose == "thank_you")
                        .values(status="sent", created_at=now - timedelta(days=400)))
    with services.session_factory.begin() as session:
        report = apply_retention(session, None, now)
    assert report.contacts_erased == 1 and report.texts_redacted == 2 and report.outbox_blanked == 1
    assert report.other_needs_erased == 1
    assert report.derived_rows_changed == {"text_annotations": 2}   # the two old texts' readings
    with services.session_factory() as session:
        old = session.get(Submission, seed.sub_a_anonymous)
        assert old.contact.phone is None and old.contact.name is None and old.contact.erased_at is not None
        assert session.get(Submission, seed.sub_b_named).contact.phone == "07700 900789"
        assert old.communication_needs_other is None
        assert session.get(Submission, seed.sub_b_named).communication_needs_other == "Large print"
        assert old.texts[0].text == "[NAME] at Alder Court shouted at me. My number is [PHONE]."
        # The pipeline's redaction is used where there is one.
        assert session.get(Submission, seed.sub_a_named).texts[0].text == "[NAME] shouted at me. My number is [PHONE]."
        assert session.get(Submission, seed.sub_b_named).texts[0].text == "Birch carers were late."  # recent: verbatim
        assert old.answers == {"listened_to": "yes", "feel_safer": "a_bit_safer"}
        old_text_ids = [t.id for t in old.texts] + [t.id for t in session.get(Submission, seed.sub_a_named).texts]
        readings = session.execute(select(TextAnnotation.translation, TextAnnotation.disclosure_evidence)
                                   .where(TextAnnotation.free_text_id.in_(old_text_ids))).all()
        assert len(readings) == 2 and all(t is None and e in ([], "[]") for t, e in readings)
        assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == "privacy.retention")) == "privacy.retention"
    with services.session_factory.begin() as session:  # idempotent
        again = apply_retention(session, None, now)
    assert not again.changed


def test_retention_periods_come_from_configuration(monkeypatch):
    class SettingsLike:
        retention_contact_months = 6
        retention_free_text_months = None

    monkeypatch.setenv("RETENTION_FREE_TEXT_MONTHS", "36")
    rules = RetentionRules.from_settings(SettingsLike())
    assert (rules.contact_months, rules.free_text_months) == (6, 36)
    monkeypatch.delenv("RETENTION_FREE_TEXT_MONTHS")
    assert RetentionRules.from_settings(None) == RetentionRules(12, 24)
    monkeypatch.setenv("RETENTION_CONTACT_MONTHS", "soon")
    with pytest.raises(ValueError, match="RETENTION_CONTACT_MONTHS"):
        RetentionRules.from_settings(None)
    from datetime import datetime, timezone
    assert months_before(datetime(2026, 3, 31, tzinfo=timezone.utc), 1) == datetime(2026, 2, 28, tzinfo=timezone.utc)


def test_retention_can_be_run_by_an_admin_over_the_api(client, admin_token, role_tokens):
    assert client.simulate_post("/api/v1/privacy/retention", headers=bearer(admin_token)).status_code == 200
    assert client.simulate_post("/api/v1/privacy/retention", headers=bearer(role_tokens[Role.ENGAGEMENT])).status_code == 403


def test_retention_runs_as_a_daily_worker_task(services, seed):
    from service.outbox.outbox import claim_due
    from service.privacy.retention import RETENTION_TASK, enqueue_daily_retention, retention_task

    with services.session_factory.begin() as session:
        assert enqueue_daily_retention(session) is True
        assert enqueue_daily_retention(session) is False  # once a day
    with services.session_factory.begin() as session:
        session.get(Submission, seed.sub_a_anonymous).contact.last_contact_at = utcnow() - timedelta(days=400)
    with services.session_factory.begin() as session:
        claimed = [m for m in claim_due(session, limit=50) if m.purpose == RETENTION_TASK]
    assert len(claimed) == 1
    retention_task(services.session_factory, services.settings)(claimed[0])
    with services.session_factory() as session:
        assert session.get(Submission, seed.sub_a_anonymous).contact.phone is None


def test_staff_pages_for_privacy_requests(browser, make_user, services, seed):
    import json as _json

    make_user("admin@example.org")
    browser.sign_in("admin@example.org")
    page = browser.get("/staff/privacy")
    assert page.status_code == 200 and "Erase on request" in page.text
    export = browser.post("/staff/privacy/subject-access", {"email": "pat@example.org"})
    assert export.status_code == 200 and _json.loads(export.text)["feedback"][0]["own_words"]["own_words"]["text"] == "Staff were kind."
    unconfirmed = browser.post("/staff/privacy/erasure", {"email": "pat@example.org"})
    assert unconfirmed.status_code == 422 and "Tick the box" in unconfirmed.text
    done = browser.post("/staff/privacy/erasure", {"email": "pat@example.org", "confirm": "yes", "reason": "letter"})
    assert done.status_code == 200 and "Erased: 1 piece(s) of feedback" in done.text
    assert "Staff were kind" not in _all_stored_text(services.engine)
    withdrawn = browser.post("/staff/privacy/consent-withdrawal", {"reference": seed.references["b_named"]})
    assert "Consent withdrawn: 1" in withdrawn.text
    bad = browser.post("/staff/privacy/consent-withdrawal", {"phone": "07700 900123", "email": "a@example.org"})
    assert bad.status_code == 422
    audit = browser.get("/staff/audit?action=privacy.*")
    assert audit.status_code == 200 and "privacy.erase" in audit.text and "privacy.subject_access_export" in audit.text
    assert "pat@example.org" not in audit.text


def _field(page: str, field_id: str) -> str:
    return re.search(rf'<input id="{field_id}"[^>]*>', page).group(0)


def test_a_privacy_request_refused_points_to_its_own_forms_field_and_keeps_what_was_typed(browser, make_user, services, seed):
    """Staff pages audit F9: every refused request linked to the consent-withdrawal form's phone field,
    marked nothing, and cleared what was typed."""
    make_user("admin@example.org")
    browser.sign_in("admin@example.org")

    nothing = browser.post("/staff/privacy/erasure", {"phone": "", "email": "", "reference": "", "reason": "letter of 3 March"})
    assert nothing.status_code == 422 and re.findall(r'<li><a href="#([^"]+)">', nothing.text) == ["erase-phone"]
    assert 'aria-invalid="true" aria-describedby="erase-phone-error"' in _field(nothing.text, "erase-phone")
    assert '<span id="erase-phone-error"><strong>Error: Give exactly one of' in nothing.text
    assert 'value="letter of 3 March"' in nothing.text and "aria-invalid" not in _field(nothing.text, "withdraw-phone")

    bad_email = browser.post("/staff/privacy/erasure", {"email": "pat at example", "confirm": "yes"})
    assert re.findall(r'<li><a href="#([^"]+)">', bad_email.text) == ["erase-email"]
    assert 'value="pat at example"' in _field(bad_email.text, "erase-email") and "aria-invalid" in _field(bad_email.text, "erase-email")
    assert 'value=""' in _field(bad_email.text, "withdraw-email") and 'value=""' in _field(bad_email.text, "export-email")
    assert re.search(r'<input type="checkbox" id="erase-confirm"[^>]*>', bad_email.text).group(0).count("checked") == 0

    unconfirmed = browser.post("/staff/privacy/erasure", {"email": "pat@example.org"})
    assert re.findall(r'<li><a href="#([^"]+)">', unconfirmed.text) == ["erase-confirm"]
    assert 'aria-describedby="erase-confirm-error"' in unconfirmed.text and 'value="pat@example.org"' in _field(unconfirmed.text, "erase-email")

    by_reference = browser.post("/staff/privacy/subject-access", {"reference": seed.references["b_named"]})
    assert by_reference.status_code == 422 and re.findall(r'<li><a href="#([^"]+)">', by_reference.text) == ["export-reference"]
    assert f'value="{seed.references["b_named"]}"' in _field(by_reference.text, "export-reference")
    assert "aria-invalid" in _field(by_reference.text, "export-reference")

    bad_phone = browser.post("/staff/privacy/consent-withdrawal", {"phone": "12"})
    assert re.findall(r'<li><a href="#([^"]+)">', bad_phone.text) == ["withdraw-phone"]
    assert 'value="12"' in _field(bad_phone.text, "withdraw-phone")
    with services.session_factory() as session:   # nothing was done
        assert session.get(Submission, seed.sub_a_named).contact.email == "pat@example.org"


def test_duty_team_may_withdraw_consent_but_not_erase_or_export(browser, make_user, seed):
    make_user("duty@example.org", Role.DUTY_TEAM)
    browser.sign_in("duty@example.org")
    page = browser.get("/staff/privacy")
    assert page.status_code == 200 and "Erase on request" not in page.text and "Subject-access export" not in page.text
    assert browser.post("/staff/privacy/erasure", {"email": "pat@example.org", "confirm": "yes"}).status_code == 403
    assert browser.post("/staff/privacy/subject-access", {"email": "pat@example.org"}).status_code == 403
    assert browser.get("/staff/audit").status_code == 403


def test_erasure_reaches_sms_conversations_but_keeps_the_opt_out(client, services, seed, admin_token):
    from channels.sms.phone import phone_hash

    digest = phone_hash("+447700900123", services.settings.secret_key)
    now = utcnow().replace(tzinfo=None)
    with services.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO sms_conversations (id, phone_hash, language, questionnaire_id, questionnaire_version, case_reference, status,"
            " state, created_at, updated_at, expires_at) VALUES ('c1', :h, 'en', 'msp', 1, 'S42-1001', 'open', :state, :now, :now, :now)"),
            {"h": digest, "state": '{"texts": {"own_words": "they shouted"}}', "now": now})
        connection.execute(text("INSERT INTO sms_opt_outs (phone_hash, opted_out, source, created_at, updated_at)"
                                " VALUES (:h, :t, 'keyword', :now, :now)"), {"h": digest, "t": True, "now": now})
    result = client.simulate_post("/api/v1/privacy/erasures", json={"phone": "07700900123"}, headers=bearer(admin_token))
    assert result.json["erased"]["derived_rows"].get("sms_conversations") == 1
    with services.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM sms_conversations")).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM sms_opt_outs")).scalar() == 1


def test_erasure_after_a_key_rotation_reaches_conversations_kept_under_the_previous_key(services, engine, database_url,
                                                                                       tmp_path, admin_token):
    from falcon.testing import TestClient

    from channels.sms.phone import phone_hash
    from service.app import build_services, create_app
    from tests.conftest import TEST_SECRET_KEY, settings_for

    now = utcnow().replace(tzinfo=None)
    with services.engine.begin() as connection:   # a conversation stored before the rotation
        connection.execute(text(
            "INSERT INTO sms_conversations (id, phone_hash, language, questionnaire_id, questionnaire_version, case_reference, status,"
            " state, created_at, updated_at, expires_at) VALUES ('c1', :h, 'en', 'msp', 1, 'S42-1001', 'open', :state, :now, :now, :now)"),
            {"h": phone_hash("+447700900123", TEST_SECRET_KEY), "state": '{"texts": {"own_words": "they shouted"}}', "now": now})
    for previous, left in ((None, 1), (TEST_SECRET_KEY, 0)):
        extra = {"SECRET_KEY_PREVIOUS": previous} if previous else {}
        rotated = settings_for(database_url, tmp_path, SECRET_KEY="rotated-key-" + "y" * 40, **extra)
        after = TestClient(create_app(services=build_services(rotated, engine=engine)))
        result = after.simulate_post("/api/v1/privacy/erasures", json={"phone": "07700900123"}, headers=bearer(admin_token))
        assert result.status_code == 200, result.text
        with services.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM sms_conversations")).scalar() == left
