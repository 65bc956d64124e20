"""SMS findings of an audit: two invitations at once opened two questionnaires for one number (PostgreSQL),
and Arabic "never" answering a question was read as START."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from channels.sms.models import SmsConversation
from service.storage.orm import OutboxMessage
from tests.sms.support import inbound_fields, twilio_post

INBOUND = "/sms/twilio/inbound"
INVITE = "/api/v1/sms/invitations"
PERSON = "+447911123456"


def test_invitations_sent_at_the_same_moment_open_one_questionnaire(client, services, staff_headers):
    barrier = threading.Barrier(4)
    codes: list[int] = []

    def invite():
        barrier.wait()
        codes.append(client.simulate_post(INVITE, json={"phone": PERSON, "language": "en"}, headers=staff_headers).status_code)

    threads = [threading.Thread(target=invite) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(SmsConversation).where(SmsConversation.status == "open")) == 1
        invitations = session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.purpose == "invitation"))
    assert sorted(codes).count(201) == 1 and invitations == 1


def test_arabic_never_answers_the_question_and_is_not_start(client, services, staff_headers):
    assert client.simulate_post(INVITE, json={"phone": PERSON, "language": "ar"}, headers=staff_headers).status_code == 201
    for body in ("1", "1", "أبداً"):
        assert twilio_post(client, INBOUND, inbound_fields(body, PERSON)).status_code == 200
    with services.session_factory() as session:
        last = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms").order_by(OutboxMessage.id.desc())).first()
        state = session.scalars(select(SmsConversation)).one().state
    assert last.purpose != "start_confirmation"
    assert state["step"] == 3 or "أبداً" in str(state)


def test_help_from_a_number_that_said_stop_is_kept_for_staff(client, services):
    """No reply goes to a number that opted out, but "help me" from it may be a plea: it is stored like any
    other message (and so read by the text check), not dropped."""
    from service.storage.orm import FreeText

    assert twilio_post(client, INBOUND, inbound_fields("STOP", PERSON)).status_code == 200
    for body in ("ساعدني", "HELP"):
        assert twilio_post(client, INBOUND, inbound_fields(body, PERSON)).status_code == 200
    with services.session_factory() as session:
        kept = sorted(t.text for t in session.scalars(select(FreeText)))
        replies = [m.purpose for m in session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms"))]
    assert kept == sorted(["ساعدني", "HELP"])
    assert "help" not in replies
