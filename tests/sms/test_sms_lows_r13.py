"""SMS findings left from an earlier audit: two STOPs from one number at the same moment (a 500 on
PostgreSQL)."""
from __future__ import annotations

import threading

from sqlalchemy import select

from channels.sms.models import SmsOptOut
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
