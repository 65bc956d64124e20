"""SMS findings left from an earlier audit: two STOPs from one number at the same moment (a 500 on
PostgreSQL); an invitation that never arrived held the number for 72 hours; staff were not told why a
text did not arrive."""
from __future__ import annotations

import threading

from sqlalchemy import select, update

from channels.sms.models import SmsConversation, SmsOptOut
from service.storage.orm import OutboxMessage
from tests.sms.support import inbound_fields, twilio_post

INBOUND = "/sms/twilio/inbound"
PERSON = "+447911123456"


def test_two_stops_at_the_same_moment_both_answered_and_the_number_opted_out(client, services):
    barrier = threading.Barrier(4)
    codes: list[int] = []
    bodies = ("STOP", "stop please", "no more texts", "unsubscribe")

    def send(body: str) -> None:
        barrier.wait()
        codes.append(twilio_post(client, INBOUND, inbound_fields(body, PERSON)).status_code)

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert codes == [200] * 4
    with services.session_factory() as session:
        rows = list(session.scalars(select(SmsOptOut)))
        confirmations = [m for m in session.scalars(select(OutboxMessage)) if m.purpose == "stop_confirmation"]
    assert len(rows) == 1 and rows[0].opted_out
    assert len(confirmations) == 4   # each text is answered once; none is lost to a failed webhook


def test_start_after_stop_in_one_session_reads_back_the_new_state(client, services):
    assert twilio_post(client, INBOUND, inbound_fields("STOP", PERSON)).status_code == 200
    assert twilio_post(client, INBOUND, inbound_fields("START", PERSON)).status_code == 200
    with services.session_factory() as session:
        row = session.scalars(select(SmsOptOut)).one()
    assert row.opted_out is False and row.source == "keyword"


INVITE = "/api/v1/sms/invitations"


def _invitation(services) -> OutboxMessage:
    with services.session_factory() as session:
        return session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "invitation")
                               .order_by(OutboxMessage.id)).first()


def _status(client, sid: str, value: str, code: str | None = None) -> None:
    fields = {"MessageSid": sid, "MessageStatus": value, "AccountSid": "AC", "To": PERSON, "ApiVersion": "2010-04-01"}
    if code:
        fields["ErrorCode"] = code
    assert twilio_post(client, "/sms/twilio/status", fields).status_code == 200


def test_an_invitation_that_never_arrived_does_not_block_inviting_again(client, services, staff_headers):
    assert client.simulate_post(INVITE, json={"phone": PERSON, "language": "en"}, headers=staff_headers).status_code == 201
    assert client.simulate_post(INVITE, json={"phone": PERSON, "language": "en"}, headers=staff_headers).status_code == 409
    with services.session_factory.begin() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.purpose == "invitation")
                        .values(status="sent", provider_message_id="SMnever1"))
    _status(client, "SMnever1", "undelivered", "30003")   # the phone was off

    assert client.simulate_post(INVITE, json={"phone": PERSON, "language": "en"}, headers=staff_headers).status_code == 201
    with services.session_factory() as session:
        statuses = sorted(c.status for c in session.scalars(select(SmsConversation)))
    assert statuses == ["expired", "open"]


def test_an_invitation_out_of_retries_does_not_block_inviting_again(client, services, staff_headers):
    assert client.simulate_post(INVITE, json={"phone": PERSON, "language": "en"}, headers=staff_headers).status_code == 201
    with services.session_factory.begin() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.purpose == "invitation").values(status="failed"))
    assert client.simulate_post(INVITE, json={"phone": PERSON, "language": "en"}, headers=staff_headers).status_code == 201


def test_a_questionnaire_begun_still_holds_the_number_whatever_became_of_the_invitation(client, services, staff_headers):
    assert client.simulate_post(INVITE, json={"phone": PERSON, "language": "en"}, headers=staff_headers).status_code == 201
    with services.session_factory.begin() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.purpose == "invitation").values(status="failed"))
    assert twilio_post(client, INBOUND, inbound_fields("1", PERSON)).status_code == 200   # they answered all the same
    assert client.simulate_post(INVITE, json={"phone": PERSON, "language": "en"}, headers=staff_headers).status_code == 409


def test_staff_are_told_why_a_text_did_not_arrive(client, services, staff_headers):
    assert client.simulate_post(INVITE, json={"phone": PERSON, "language": "en"}, headers=staff_headers).status_code == 201
    with services.session_factory.begin() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.purpose == "invitation")
                        .values(status="sent", provider_message_id="SMnever2"))
    _status(client, "SMnever2", "undelivered", "30005")
    assert "number is not in service" in _invitation(services).last_error
