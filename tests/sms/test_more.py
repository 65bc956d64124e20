"""Races, the command line, and smaller rules of the SMS channel."""
from __future__ import annotations

import threading
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import func, select, update

from channels.sms.cli import encoding_table, sms
from channels.sms.models import SmsConversation, SmsInbound
from service.storage.orm import OutboxMessage, Submission
from service.storage.types import utcnow
from tests.sms.support import inbound_fields, twilio_post

PERSON = "+447911123456"


def test_the_same_message_sid_at_the_same_moment_is_applied_once(client, services, staff_headers):
    assert client.simulate_post("/api/v1/sms/invitations", json={"phone": PERSON, "language": "en"}, headers=staff_headers).status_code == 201
    fields = inbound_fields("1", PERSON)
    statuses: list[int] = []
    barrier = threading.Barrier(4)

    def post() -> None:
        barrier.wait()
        statuses.append(twilio_post(client, "/sms/twilio/inbound", fields).status_code)

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(SmsInbound)) == 1
        assert session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.purpose == "question")) == 2
        assert session.scalars(select(SmsConversation)).one().state["step"] == 1


def test_status_for_an_unknown_message_is_answered_and_ignored(client, services):
    result = twilio_post(client, "/sms/twilio/status", {"MessageSid": "SMunknown", "MessageStatus": "delivered"})
    assert result.status_code == 200


def test_english_keywords_keep_the_conversation_language(client, services, staff_headers):
    client.simulate_post("/api/v1/sms/invitations", json={"phone": PERSON, "language": "pl"}, headers=staff_headers)
    twilio_post(client, "/sms/twilio/inbound", inbound_fields("HELP", PERSON))
    with services.session_factory() as session:
        reply = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert reply.purpose == "help" and "Rada" in reply.body and reply.encoding == "UCS-2"


def test_cli_expire_and_texts(services, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("SECRET_KEY", services.settings.secret_key)
    monkeypatch.setenv("VAR_DIR", str(services.settings.var_dir))
    from channels.sms import flows
    flows.invite(services.session_factory, services.settings, phone=PERSON, language="bn")
    with services.session_factory.begin() as session:
        session.execute(update(SmsConversation).values(expires_at=utcnow() - timedelta(minutes=5), state={"step": 1, "answers": {"asked_outcomes": "no"}}))
    result = CliRunner().invoke(sms, ["expire"])
    assert result.exit_code == 0 and "expired 1" in result.output
    with services.session_factory() as session:
        assert session.scalars(select(SmsConversation)).one().status == "expired"
        submission = session.scalars(select(Submission)).one()
        assert submission.answers == {"asked_outcomes": "no"} and submission.contact_id is None
    table = CliRunner().invoke(sms, ["texts", "--markdown"])
    assert table.exit_code == 0 and "| invitation |" in table.output
    assert all(segments <= 2 for *_, segments in encoding_table("01204 337000"))


def test_answers_are_kept_when_the_provider_was_removed_meanwhile(client, services, staff_headers):
    from service.storage.orm import Provider
    with services.session_factory.begin() as session:
        provider = Provider(name="Oak House", type="care_home", area="Bolton")
        session.add(provider)
        session.flush()
        provider_id = provider.id
    client.simulate_post("/api/v1/sms/invitations", json={"phone": PERSON, "language": "en", "provider_id": provider_id}, headers=staff_headers)
    with services.session_factory.begin() as session:
        session.execute(update(SmsConversation).values(state={"step": 9, "answers": {"listened_to": "yes"}}))
        session.execute(Provider.__table__.delete())   # the conversation's provider_id is set to NULL by its foreign key
    assert twilio_post(client, "/sms/twilio/inbound", inbound_fields("2", PERSON)).status_code == 200
    with services.session_factory() as session:
        submission = session.scalars(select(Submission)).one()
        assert submission.answers == {"listened_to": "yes"} and submission.consent == "anonymous" and submission.provider_id is None
