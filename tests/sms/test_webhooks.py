"""Twilio's webhooks and the invitations API, through the real app, signed as Twilio signs them."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from channels.sms import flows
from channels.sms.models import SmsConversation, SmsInbound, SmsOptOut
from service.storage.orm import OutboxMessage, Submission
from service.storage.types import utcnow
from tests.sms.support import PUBLIC_BASE_URL, inbound_fields, twilio_post

INBOUND = "/sms/twilio/inbound"
STATUS = "/sms/twilio/status"
INVITE = "/api/v1/sms/invitations"
PERSON = "+447911123456"


def count(services, model, *where) -> int:
    with services.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def sms_rows(services, to: str = PERSON) -> list[OutboxMessage]:
    with services.session_factory() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms", OutboxMessage.recipient == to)
                                    .order_by(OutboxMessage.id)))


def invite(client, headers, phone="07911 123456", language="en", **extra):
    return client.simulate_post(INVITE, json={"phone": phone, "language": language, **extra}, headers=headers)


def text(client, body, from_=PERSON, **kwargs):
    result = twilio_post(client, INBOUND, inbound_fields(body, from_, **kwargs))
    assert result.status_code == 200, result.text
    assert result.headers["content-type"].startswith("text/xml")
    assert result.text.endswith("<Response/>")
    return result


# --- signatures ------------------------------------------------------------------------------------

def test_unsigned_request_is_refused_and_nothing_is_stored(client, services):
    result = twilio_post(client, INBOUND, inbound_fields("I want to complain", PERSON), sign=False)
    assert result.status_code == 403
    assert result.headers["content-type"] == "application/problem+json"
    assert count(services, SmsInbound) == 0 and count(services, Submission) == 0 and count(services, OutboxMessage) == 0


def test_wrongly_signed_requests_are_refused(client, services):
    fields = inbound_fields("hello", PERSON)
    assert twilio_post(client, INBOUND, fields, token="not-the-auth-token").status_code == 403
    # Signed for the URL the app sees behind the proxy (http://testserver), not the public one Twilio used.
    assert twilio_post(client, INBOUND, fields, signed_url="http://testserver" + INBOUND).status_code == 403
    # A field changed after signing.
    from twilio.request_validator import RequestValidator
    from tests.sms.support import AUTH_TOKEN
    from urllib.parse import urlencode
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + INBOUND, fields)
    tampered = {**fields, "Body": "something else"}
    result = client.simulate_post(INBOUND, body=urlencode(tampered), headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})
    assert result.status_code == 403
    assert twilio_post(client, STATUS, {"MessageSid": "SM1", "MessageStatus": "delivered"}, sign=False).status_code == 403
    assert count(services, SmsInbound) == 0 and count(services, Submission) == 0


# --- invitations -----------------------------------------------------------------------------------

def test_invitation_is_queued_with_encoding_and_a_conversation_starts(client, services, staff_headers):
    result = invite(client, staff_headers, case_reference="BOL-123")
    assert result.status_code == 201, result.text
    document = result.json
    assert [m["encoding"] for m in document["messages"]] == ["GSM-7", "GSM-7"]
    rows = sms_rows(services)
    assert [r.purpose for r in rows] == ["invitation", "question"]
    assert all(r.encoding and r.segments for r in rows) and rows[0].recipient == PERSON
    with services.session_factory() as session:
        conv = session.get(SmsConversation, document["conversation_id"])
        assert conv.status == "open" and conv.case_reference == "BOL-123"
        assert PERSON not in str(conv.state) and conv.phone_hash != PERSON
        assert timedelta(hours=71) < conv.expires_at - utcnow() <= timedelta(hours=72)


@pytest.mark.parametrize(("phone", "message"), [
    ("12345", "not a valid phone number"), ("call me", "not a phone number"), ("01204 333333", "landline"),
])
def test_a_bad_number_is_a_clear_422(client, services, staff_headers, phone, message):
    result = invite(client, staff_headers, phone=phone)
    assert result.status_code == 422
    assert result.json["errors"][0]["field"] == "phone" and message in result.json["errors"][0]["message"]
    assert count(services, OutboxMessage) == 0 and count(services, SmsConversation) == 0


def test_invitation_validation_and_permissions(client, services, staff_headers, admin_headers):
    assert invite(client, staff_headers, language="fr").status_code == 422
    assert invite(client, staff_headers, provider_id=999).status_code == 422
    assert invite(client, {}).status_code == 401
    from service.auth.permissions import Role
    from tests.conftest import make_token
    board = {"Authorization": f"Bearer {make_token(services, Role.BOARD)}"}
    assert invite(client, board).status_code == 403
    assert invite(client, admin_headers).status_code == 201
    assert invite(client, admin_headers).status_code == 409   # already open with this number
    assert count(services, OutboxMessage) == 2


def test_invitation_is_in_the_openapi_document(client):
    document = client.simulate_get("/api/v1/openapi.json").json
    assert document["paths"][INVITE]["post"]["x-permission"] == "sms:invite"
    assert "InvitationIn" in document["components"]["schemas"]


# --- whole questionnaires --------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "replies", "answers", "texts", "consent", "closing_word"), [
    ("en", ["1", "Some of it", "yes", "2", "no", "1", "Yes", "They listened to me & my daughter <3", "Ring me back sooner", "2"],
     {"asked_outcomes": "yes_expressed", "outcomes_met": "some", "listened_to": "yes", "in_control": "a_bit", "understood": "no",
      "feel_safer": "a_lot_safer", "respected": "yes"},
     {"own_words": "They listened to me & my daughter <3", "better": "Ring me back sooner"}, "anonymous", "Thank you"),
    ("pl", ["2", "Częściowo", "tak", "trochę", "Nie", "4", "tak", "Pani z opieki była bardzo miła.", "Szybciej oddzwaniać", "1"],
     {"asked_outcomes": "yes_not_expressed", "outcomes_met": "some", "listened_to": "yes", "in_control": "a_bit", "understood": "no",
      "feel_safer": "less_safe", "respected": "yes"},
     {"own_words": "Pani z opieki była bardzo miła.", "better": "Szybciej oddzwaniać"}, "named", "Dziękujemy"),
    ("ur", ["۱", "سب کچھ", "ہاں", "تھوڑا", "nahi", "2", "جی ہاں", "انہوں نے میری بات سنی", "جلدی فون کریں", "3"],
     {"asked_outcomes": "yes_expressed", "outcomes_met": "all", "listened_to": "yes", "in_control": "a_bit", "understood": "no",
      "feel_safer": "a_bit_safer", "respected": "yes"},
     {"own_words": "انہوں نے میری بات سنی", "better": "جلدی فون کریں"}, "none", "شکریہ"),
])
def test_whole_questionnaire_by_sms(client, services, staff_headers, language, replies, answers, texts, consent, closing_word):
    assert invite(client, staff_headers, language=language, case_reference="CASE-9").status_code == 201
    for reply in replies:
        text(client, reply)
    rows = sms_rows(services)
    purposes = [r.purpose for r in rows]
    assert purposes == ["invitation"] + ["question"] * 10 + ["closing"]
    assert all(r.encoding in ("GSM-7", "UCS-2") and 1 <= r.segments <= 2 for r in rows)
    if language != "en":
        assert all(r.encoding == "UCS-2" for r in rows)
    closing = rows[-1].body
    assert closing_word in closing and "999" in closing
    with services.session_factory() as session:
        submission = session.scalars(select(Submission)).one()
        assert submission.channel == "sms" and submission.language == language and submission.case_reference == "CASE-9"
        assert submission.answers == answers and submission.consent == consent
        assert {t.question_id: t.text for t in submission.texts} == texts
        assert submission.reference in closing
        # The number lives only in the contact record.
        assert submission.contact.phone == PERSON
        assert submission.contact.phone_match == PERSON   # for privacy requests
        assert PERSON not in str(submission.answers) and all(PERSON not in t.text for t in submission.texts)
        conv = session.scalars(select(SmsConversation)).one()
        assert conv.status == "finished" and conv.submission_id == submission.id
    # After the end, a further text is feedback of its own (thanked), not a new answer.
    text(client, "One more thing")
    assert count(services, Submission) == 2 and sms_rows(services)[-1].purpose == "stray_thanks"


def test_reprompt_once_then_move_on(client, services, staff_headers):
    invite(client, staff_headers)
    text(client, "what do you mean")
    text(client, "still no idea")
    assert [r.purpose for r in sms_rows(services)] == ["invitation", "question", "reprompt", "question"]
    assert sms_rows(services)[-1].body.startswith("Did what you wanted happen?")


def test_a_retried_message_sid_changes_nothing(client, services, staff_headers):
    invite(client, staff_headers)
    fields = inbound_fields("1", PERSON)
    for _ in range(3):   # Twilio's retry, and a duplicate delivery
        result = twilio_post(client, INBOUND, fields)
        assert result.status_code == 200 and result.text.endswith("<Response/>")
    assert [r.purpose for r in sms_rows(services)] == ["invitation", "question", "question"]
    with services.session_factory() as session:
        conv = session.scalars(select(SmsConversation)).one()
        assert conv.state["step"] == 1 and conv.state["answers"] == {"asked_outcomes": "yes_expressed"}
    assert count(services, SmsInbound) == 1
    stray = inbound_fields("a message with no conversation", "+447911000111")
    twilio_post(client, INBOUND, stray)
    twilio_post(client, INBOUND, stray)
    assert count(services, Submission) == 1 and len(sms_rows(services, "+447911000111")) == 1


def test_a_message_with_no_conversation_is_kept_and_thanked(client, services):
    words = "My carer shouts at me. Please help."
    text(client, words, from_="+447911000222")
    with services.session_factory() as session:
        submission = session.scalars(select(Submission)).one()
        assert submission.channel == "sms" and submission.texts[0].text == words
        assert submission.contact.phone == "+447911000222"
        assert submission.contact.phone_match == "+447911000222"
    rows = sms_rows(services, "+447911000222")
    assert [r.purpose for r in rows] == ["stray_thanks"] and "999" in rows[0].body


def test_an_expired_conversation_sends_nothing_more(client, services, staff_headers):
    conversation_id = invite(client, staff_headers).json["conversation_id"]
    text(client, "1")
    with services.session_factory.begin() as session:
        session.execute(update(SmsConversation).values(expires_at=utcnow() - timedelta(minutes=1)))
    before = [r.purpose for r in sms_rows(services)]
    text(client, "2")
    rows = sms_rows(services)
    assert [r.purpose for r in rows] == before + ["stray_thanks"]   # no next question: the late text is kept as feedback
    with services.session_factory() as session:
        conv = session.get(SmsConversation, conversation_id)
        assert conv.status == "expired"
        submissions = session.scalars(select(Submission).order_by(Submission.created_at)).all()
        # The answer given before expiry is kept; the late text is kept as free text.
        assert submissions[0].answers == {"asked_outcomes": "yes_expressed"}
        assert [t.text for t in submissions[1].texts] == ["2"]


def test_expire_due_ends_conversations_and_cancels_their_questions(client, services, staff_headers, worker):
    invite(client, staff_headers)
    with services.session_factory.begin() as session:
        session.execute(update(SmsConversation).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert flows.expire_due(services.session_factory, services.settings) == 1
    worker.run_until_idle()
    assert {r.status for r in sms_rows(services)} == {"cancelled"}


def test_conversation_ttl_setting(tmp_path):
    from service.config import ConfigurationError, Settings

    assert flows.conversation_ttl(Settings.from_environ({"VAR_DIR": str(tmp_path)})) == timedelta(days=3)
    assert flows.conversation_ttl(Settings.from_environ({"VAR_DIR": str(tmp_path), "SMS_CONVERSATION_TTL_HOURS": "12"})) == timedelta(hours=12)
    with pytest.raises(ConfigurationError, match="SMS_CONVERSATION_TTL_HOURS"):
        Settings.from_environ({"VAR_DIR": str(tmp_path), "SMS_CONVERSATION_TTL_HOURS": "soon"})


# --- STOP / START / HELP ---------------------------------------------------------------------------

@pytest.mark.parametrize(("stop_word", "language", "confirmation"), [("روکیں", "ur", "START"), ("KONIEC", "pl", "START")])
def test_stop_in_urdu_and_polish_then_an_invitation_must_not_go_out(client, services, staff_headers, worker, stop_word, language, confirmation):
    text(client, stop_word)
    rows = sms_rows(services)
    assert [r.purpose for r in rows] == ["stop_confirmation"] and rows[0].encoding == "UCS-2"
    assert confirmation in rows[0].body
    result = invite(client, staff_headers, language=language)
    assert result.status_code == 409 and result.headers["content-type"] == "application/problem+json"
    assert "opted out" in result.json["title"]
    assert [r.purpose for r in sms_rows(services)] == ["stop_confirmation"]   # nothing queued
    assert count(services, SmsConversation) == 0
    text(client, "START")
    assert invite(client, staff_headers, language=language).status_code == 201


def test_stop_during_a_conversation_ends_it_and_nothing_more_is_sent(client, services, staff_headers, worker):
    invite(client, staff_headers, language="pl")
    text(client, "1")
    text(client, "stop")
    rows = sms_rows(services)
    assert [r.status for r in rows if r.purpose != "stop_confirmation"] == ["cancelled"] * 3   # were still pending
    worker.run_until_idle()
    assert [r.status for r in sms_rows(services)] == ["cancelled", "cancelled", "cancelled", "sent"]
    with services.session_factory() as session:
        conv = session.scalars(select(SmsConversation)).one()
        assert conv.status == "stopped"
        assert session.scalars(select(Submission)).one().answers == {"asked_outcomes": "yes_expressed"}
    text(client, "Dlaczego?")   # kept as feedback, but not answered
    assert len(sms_rows(services)) == 4 and count(services, Submission) == 2


def test_stop_that_arrives_after_queueing_is_checked_at_send_time(client, services, staff_headers, worker):
    invite(client, staff_headers)
    with services.session_factory.begin() as session:   # as if STOP were recorded by another process meanwhile
        from channels.sms.phone import phone_hash
        flows.set_opt_out(session, phone_hash(PERSON, services.settings.secret_key), True, source="keyword")
    worker.run_until_idle()
    assert {(r.status, r.provider_message_id) for r in sms_rows(services)} == {("cancelled", None)}


def test_twilio_opt_out_type_is_honoured(client, services):
    text(client, "Stop", opt_out_type="STOP")
    assert sms_rows(services) == []    # Twilio already confirmed its own keyword, and blocks our texts
    assert count(services, SmsOptOut, SmsOptOut.opted_out.is_(True)) == 1
    text(client, "unstop", opt_out_type="START")
    assert count(services, SmsOptOut, SmsOptOut.opted_out.is_(True)) == 0


@pytest.mark.parametrize("previous_given", [True, False])
def test_a_stop_outlives_a_rotation_of_the_secret_key(client, services, staff_headers, engine, database_url, tmp_path,
                                                      prism, previous_given):
    from falcon.testing import TestClient

    from channels.sms.phone import phone_hash
    from service.app import build_services, create_app
    from tests.conftest import TEST_SECRET_KEY, settings_for
    from tests.sms.support import twilio_env

    text(client, "STOP")
    new_key = "rotated-key-" + "x" * 40
    rotated = settings_for(database_url, tmp_path, **twilio_env(prism.base_url), SECRET_KEY=new_key,
                           **({"SECRET_KEY_PREVIOUS": f"an-older-key, {TEST_SECRET_KEY}"} if previous_given else {}))
    assert rotated.secret_key_previous == (("an-older-key", TEST_SECRET_KEY) if previous_given else ())
    after = TestClient(create_app(services=build_services(rotated, engine=engine)))
    result = invite(after, staff_headers)
    with services.session_factory() as session:
        kept_new = session.get(SmsOptOut, phone_hash(PERSON, new_key))
        kept_old = session.get(SmsOptOut, phone_hash(PERSON, TEST_SECRET_KEY))
    if previous_given:
        # the STOP moved to the new key's hash the first time the number came up again
        assert result.status_code == 409 and "opted out" in result.json["title"]
        assert kept_new is not None and kept_new.opted_out and kept_old is None
        text(after, "START")   # and START under the new key is honoured as before
        assert invite(after, staff_headers).status_code == 201
    else:
        # without SECRET_KEY_PREVIOUS the service cannot know the number said STOP (README: keep both)
        assert result.status_code == 201 and kept_new is None and kept_old is not None


def test_a_text_queued_before_a_key_rotation_does_not_go_to_a_number_that_said_stop(client, services, staff_headers, engine,
                                                                                  database_url, tmp_path, prism):
    from channels.sms.phone import phone_hash
    from channels.sms.sending import build_sms_handler
    from service.app import build_services
    from service.worker import Worker
    from tests.conftest import TEST_SECRET_KEY, settings_for
    from tests.sms.support import twilio_env

    invite(client, staff_headers)
    with services.session_factory.begin() as session:   # STOP recorded under the old key after queueing
        flows.set_opt_out(session, phone_hash(PERSON, TEST_SECRET_KEY), True, source="keyword")
    rotated = settings_for(database_url, tmp_path, **twilio_env(prism.base_url), SECRET_KEY="rotated-key-" + "w" * 40,
                           SECRET_KEY_PREVIOUS=TEST_SECRET_KEY)
    after = build_services(rotated, engine=engine)
    Worker(after.session_factory, {"sms": build_sms_handler(rotated, after.session_factory)}).run_until_idle()
    assert {(r.status, r.provider_message_id) for r in sms_rows(services)} == {("cancelled", None)}


def _rotated_client(services, engine, database_url, tmp_path, prism, new_key, previous):
    from falcon.testing import TestClient

    from service.app import build_services, create_app
    from tests.conftest import settings_for
    from tests.sms.support import twilio_env

    rotated = settings_for(database_url, tmp_path, **twilio_env(prism.base_url), SECRET_KEY=new_key,
                           SECRET_KEY_PREVIOUS=previous)
    return TestClient(create_app(services=build_services(rotated, engine=engine)))


def test_after_a_key_rotation_an_inbound_text_from_a_number_that_said_stop_gets_no_reply(
        client, services, staff_headers, engine, database_url, tmp_path, prism):
    from channels.sms.phone import phone_hash
    from tests.conftest import TEST_SECRET_KEY

    text(client, "STOP")
    replies_before = len(sms_rows(services))
    after = _rotated_client(services, engine, database_url, tmp_path, prism, "rotated-key-" + "v" * 40, TEST_SECRET_KEY)
    text(after, "hello, is anyone there?")   # the first contact after the rotation is the person's own text
    assert len(sms_rows(services)) == replies_before            # kept, but not answered
    with services.session_factory() as session:
        assert session.scalars(select(SmsInbound)).all()[-1].outcome == "opted_out"
        assert session.get(SmsOptOut, phone_hash(PERSON, "rotated-key-" + "v" * 40)).opted_out
        assert session.get(SmsOptOut, phone_hash(PERSON, TEST_SECRET_KEY)) is None


def test_after_two_rotations_the_newest_opt_out_state_is_kept_and_conversations_move_too(
        client, services, staff_headers, engine, database_url, tmp_path, prism):
    from datetime import timedelta

    from channels.sms.phone import phone_hash

    k1, k2, k3 = ("key-one-" + "a" * 40), ("key-two-" + "b" * 40), ("key-three-" + "c" * 40)
    now = utcnow()
    with services.session_factory.begin() as session:   # START under k1, then STOP under k2 (newer)
        session.add(SmsOptOut(phone_hash=phone_hash(PERSON, k1), opted_out=False, source="keyword",
                              created_at=now - timedelta(days=60), updated_at=now - timedelta(days=30)))
        session.add(SmsOptOut(phone_hash=phone_hash(PERSON, k2), opted_out=True, source="keyword",
                              created_at=now - timedelta(days=10), updated_at=now - timedelta(days=10)))
    after = _rotated_client(services, engine, database_url, tmp_path, prism, k3, f"{k1},{k2}")
    result = invite(after, staff_headers)
    assert result.status_code == 409 and "opted out" in result.json["title"]   # the newer STOP wins
    with services.session_factory() as session:
        assert session.get(SmsOptOut, phone_hash(PERSON, k3)).opted_out
        assert session.scalar(select(func.count()).select_from(SmsOptOut)) == 1   # the old rows are gone

    text(after, "START")
    assert invite(after, staff_headers).status_code == 201   # a conversation under k3
    again = _rotated_client(services, engine, database_url, tmp_path, prism, "key-four-" + "d" * 40, f"{k3},{k1}")
    refused = invite(again, staff_headers)   # the open conversation moved with the number: already open
    assert refused.status_code == 409 and "already open" in refused.json["title"]
    with services.session_factory() as session:
        conv = session.scalars(select(SmsConversation)).one()
        assert conv.phone_hash == phone_hash(PERSON, "key-four-" + "d" * 40)


def test_help_says_who_we_are_and_how_to_reach_a_person(client, services, staff_headers):
    invite(client, staff_headers, language="ur")
    text(client, "مدد")
    help_row = sms_rows(services)[-1]
    assert help_row.purpose == "help" and services.settings.safeguarding_phone in help_row.body and "999" in help_row.body
    with services.session_factory() as session:   # HELP is not an answer
        assert session.scalars(select(SmsConversation)).one().state["step"] == 0


# --- status callbacks ------------------------------------------------------------------------------

def test_status_callbacks_recorded_in_order_and_final_kept(client, services):
    with services.session_factory.begin() as session:
        flows.queue_sms(session, to=PERSON, body="hi", purpose="help", language="en")
        session.flush()
        session.execute(update(OutboxMessage).values(provider_message_id="SMstatus1", status="sent"))

    def status(value, code=None):
        fields = {"MessageSid": "SMstatus1", "MessageStatus": value, "AccountSid": "AC", "To": PERSON, "From": "+441204555000", "ApiVersion": "2010-04-01"}
        if code:
            fields["ErrorCode"] = code
        assert twilio_post(client, STATUS, fields).status_code == 200

    def current():
        row = sms_rows(services)[0]
        return row.delivery_status, row.delivery_error_code

    status("sent")
    assert current() == ("sent", None)
    status("queued")                     # late, out of order: ignored
    assert current() == ("sent", None)
    status("undelivered", "30003")
    assert current() == ("undelivered", "30003")
    status("delivered")                  # after a final status: ignored
    assert current() == ("undelivered", "30003")


def test_status_error_21610_records_the_opt_out(client, services):
    with services.session_factory.begin() as session:
        flows.queue_sms(session, to=PERSON, body="hi", purpose="help", language="en")
        session.flush()
        session.execute(update(OutboxMessage).values(provider_message_id="SMstatus2", status="sent"))
    twilio_post(client, STATUS, {"MessageSid": "SMstatus2", "MessageStatus": "failed", "ErrorCode": "21610"})
    assert count(services, SmsOptOut, SmsOptOut.opted_out.is_(True)) == 1


def test_words_sent_in_reply_to_a_choice_question_reach_the_submission(client, services, staff_headers):
    invite(client, staff_headers)
    text(client, "4 nobody asked me")            # a clear answer, and more
    for reply in ["1", "1", "1", "1", "1", "1", "They listened", "Nothing", "2"]:
        text(client, reply)
    with services.session_factory() as session:
        submission = session.scalars(select(Submission)).one()
        texts = {t.question_id: t.text for t in submission.texts}
    assert texts["own_words"] == "They listened\n\n4 nobody asked me"
    assert submission.answers["asked_outcomes"] == "dont_know"


@pytest.mark.parametrize("reply", ["no he still hits me every night", "3 he still hits me every night"])
def test_a_reply_that_discloses_harm_ends_the_questionnaire_at_once(client, services, staff_headers, reply):
    # Otherwise the words would wait for the last answer, or for the conversation to expire (72 hours).
    invite(client, staff_headers)
    text(client, "1")
    text(client, reply)
    with services.session_factory() as session:
        conv = session.scalars(select(SmsConversation)).one()
        submission = session.scalars(select(Submission)).one()    # the words in the record the closing text names
        assert conv.status == "finished" and conv.submission_id == submission.id
        assert [t.text for t in submission.texts] == [reply]
        tasks = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "task")).all()
        assert [t.purpose for t in tasks] == ["analyse_text"]
    closing = sms_rows(services)[-1]
    assert closing.purpose == "closing" and submission.reference in closing.body and "999" in closing.body


SUSPECTED = "no, my mum is still in that home"   # the classifier flags it; no cue the rules know does
WARM = "Good service overall, they were helpful and quick"   # read after it, it would dilute the score


def _flagged_by_the_classifier_alone(words: str) -> None:
    from service.text.disclosure import check_rules
    from service.text.pipeline import check_for_harm_alone

    found = check_for_harm_alone(words)
    assert found.flag and found.by_classifier and not check_rules(words).flag, "the shipped check reads this reply differently now"


def _read_everything(services, loaded_pipelines) -> None:
    from service.runtime import build_handlers
    from service.worker import Worker

    services.pipelines._pipeline = loaded_pipelines.get()
    Worker(services.session_factory, build_handlers(services.settings, services.session_factory, services.pipelines)).run_until_idle()


def test_a_reply_only_the_classifier_flags_is_read_alone_now_and_the_questionnaire_goes_on(
        client, services, staff_headers, loaded_pipelines):
    # Ending at once on such a flag cut one short reply in eight short, the consent question with it. The
    # reply goes in alone at once (so a warm answer given later cannot dilute it) and the questions go on.
    _flagged_by_the_classifier_alone(SUSPECTED)
    invite(client, staff_headers, case_reference="SG-2026-0042")
    text(client, "1")
    with services.session_factory() as session:
        deadline = session.scalars(select(SmsConversation)).one().expires_at
    text(client, SUSPECTED)
    with services.session_factory() as session:
        conv = session.scalars(select(SmsConversation)).one()
        assert conv.status == "open" and conv.expires_at == deadline
        flagged = session.scalars(select(Submission)).one()
        assert [t.text for t in flagged.texts] == [SUSPECTED] and flagged.contact.phone == PERSON
        assert flagged.case_reference == "SG-2026-0042" and flagged.consent == "none"
    assert sms_rows(services)[-1].purpose == "reprompt"      # the questionnaire goes on: no closing text
    _read_everything(services, loaded_pipelines)             # within seconds: the worker reads it alone
    with services.session_factory() as session:
        assert session.get(Submission, flagged.id).urgent
        assert session.scalars(select(OutboxMessage.submission_id).where(OutboxMessage.purpose == "duty_alert")).all() == [flagged.id]
    for reply in ["1", "1", "1", "1", "1", "1", WARM, "Nothing", "1"]:
        text(client, reply)
    with services.session_factory() as session:
        conv = session.scalars(select(SmsConversation)).one()
        record = session.get(Submission, conv.submission_id)
        assert conv.status == "finished" and record.id != flagged.id
        assert record.consent != "none" and len(record.answers) == 7      # the consent question was asked
        assert not any(SUSPECTED in t.text for t in record.texts)            # read once, in the reply's own feedback
    assert sms_rows(services)[-1].purpose == "closing"
    _read_everything(services, loaded_pipelines)
    with services.session_factory() as session:
        assert session.scalars(select(OutboxMessage.submission_id).where(OutboxMessage.purpose == "duty_alert")).all() == [flagged.id]


def test_a_flagged_reply_sent_twice_by_twilio_goes_in_once(client, services, staff_headers):
    invite(client, staff_headers)
    text(client, "1")
    text(client, SUSPECTED, sid="SMflagged-retry")
    text(client, SUSPECTED, sid="SMflagged-retry")
    assert count(services, Submission) == 1


def test_a_clear_cue_after_a_flagged_reply_still_ends_the_questionnaire_at_once(client, services, staff_headers):
    invite(client, staff_headers)
    text(client, SUSPECTED)
    text(client, "3 he still hits me every night")
    with services.session_factory() as session:
        conv = session.scalars(select(SmsConversation)).one()
        assert conv.status == "finished"
    assert count(services, Submission) == 2 and sms_rows(services)[-1].purpose == "closing"   # the flagged reply alone, the record


def test_an_expired_run_is_submitted_without_the_number(client, services, staff_headers):
    invite(client, staff_headers)
    text(client, "1")
    with services.session_factory() as session:
        deadline = session.scalars(select(SmsConversation)).one().expires_at
    assert flows.expire_due(services.session_factory, services.settings, now=deadline) == 1
    with services.session_factory() as session:
        assert session.scalars(select(Submission)).one().contact is None


def test_the_worker_looks_for_runs_past_their_time_every_minute(settings):
    from service.runtime import build_worker

    assert build_worker(settings)._schedule_seconds == 60


@pytest.mark.parametrize("sender", ["Vodafone", "<script>alert(1)</script>", "4" * 300, "+44"])
def test_a_sender_that_is_not_a_phone_number_is_ignored(client, services, sender):
    text(client, "HELP", from_=sender)
    text(client, "my carer shouts at me", from_=sender)
    assert count(services, Submission) == 0 and count(services, OutboxMessage) == 0


def test_a_failing_disclosure_check_never_loses_the_reply(client, services, staff_headers, monkeypatch):
    def broken(_text):
        raise RuntimeError("classifier weights unreadable")

    monkeypatch.setattr(flows, "check_for_harm_alone", broken)
    invite(client, staff_headers)
    text(client, "no he still hits me every night")     # answered 200, kept for the submission
    with services.session_factory() as session:
        conv = session.scalars(select(SmsConversation)).one()
        assert conv.status == "open" and conv.state["other_words"] == ["no he still hits me every night"]
        assert session.scalars(select(Submission)).first() is None      # read by the worker with the record


def test_one_run_that_cannot_be_ended_does_not_hold_up_the_others(client, services, staff_headers):
    """The runs past their time were ended in one transaction: one that could not be submitted (here a
    questionnaire version since removed) rolled back the whole batch, every minute, for ever."""
    invite(client, staff_headers)
    text(client, "1")
    second = invite(client, staff_headers, phone="07911 123457")
    assert second.status_code in (200, 201, 202), second.text
    text(client, "2", from_="+447911123457")
    with services.session_factory.begin() as session:
        broken, fine = session.scalars(select(SmsConversation).order_by(SmsConversation.created_at)).all()
        broken.questionnaire_version = 999
        deadline = max(broken.expires_at, fine.expires_at)
        fine_id = fine.id
    assert flows.expire_due(services.session_factory, services.settings, now=deadline) == 1
    with services.session_factory() as session:
        statuses = {c.id: c.status for c in session.scalars(select(SmsConversation))}
        assert statuses.pop(fine_id) == "expired" and list(statuses.values()) == ["open"]
        assert session.scalars(select(Submission)).one().answers


def test_runs_that_cannot_be_ended_do_not_hold_back_the_others_for_ever(client, services, staff_headers, monkeypatch):
    """Only the first 500 runs past their time were read: 500 that fail every minute (here 3 of a batch of 3, a
    questionnaire version since removed) held back every later run for good (third review of this session)."""
    monkeypatch.setattr(flows, "EXPIRE_AT_ONCE", 3)
    monkeypatch.setattr(flows, "EXPIRE_LOOKS_AT", 10)
    invite(client, staff_headers)
    text(client, "1")
    with services.session_factory() as session:
        state = session.scalars(select(SmsConversation)).one().state
    for n in range(3):
        flows.invite(services.session_factory, services.settings, phone=f"+44791112346{n}", language="en")
    mine = flows.phone_hash(PERSON, services.settings.secret_key)
    now = utcnow()
    with services.session_factory.begin() as session:
        session.execute(update(SmsConversation).values(state=state))
        session.execute(update(SmsConversation).where(SmsConversation.phone_hash != mine)
                        .values(questionnaire_version=999, expires_at=now - timedelta(hours=1)))   # older: read first
        session.execute(update(SmsConversation).where(SmsConversation.phone_hash == mine).values(expires_at=now))
    assert flows.expire_due(services.session_factory, services.settings, now=now + timedelta(minutes=1)) == 1
    with services.session_factory() as session:
        assert session.scalars(select(SmsConversation).where(SmsConversation.phone_hash == mine)).one().status == "expired"
