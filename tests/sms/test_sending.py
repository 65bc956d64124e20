"""The Twilio sender: twilio's real Client against a Prism mock of Twilio's API (from Twilio's OpenAPI
description), through the foundation's outbox and worker."""
from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from channels.sms import flows
from channels.sms.models import SmsOptOut
from channels.sms.phone import phone_hash
from channels.sms.sending import (ATTEMPT_MARKER, SentMessage, SmsHandler, TransportError, TwilioTransport, build_sms_handler,
                                  find_sent, map_twilio_error)
from service.logs import JsonFormatter
from service.outbox.handlers import DeliveryError
from service.outbox.outbox import ClaimedMessage
from service.storage.orm import OutboxMessage
from service.storage.types import utcnow
from service.worker import Worker
from tests.conftest import REPO_ROOT, settings_for
from tests.sms.support import inbound_fields, twilio_env, twilio_post

PERSON = "+447911123456"
SEND_LINE = re.compile(r"\[HTTP SERVER\] post /2010-04-01/Accounts/\w+/Messages\.json .*Request received")


def prism_sends(prism, settle: float = 0.4) -> int:
    """POSTs to Messages.json that Prism has received (its log is our witness of what was sent).

    Prism writes its log a moment after answering: wait until the count has stopped changing."""
    count, stable_since = -1, time.monotonic()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        now = len(SEND_LINE.findall(prism.log_path.read_text(errors="replace")))
        if now != count:
            count, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since >= settle:
            break
        time.sleep(0.05)
    return count


def rows(services) -> list[OutboxMessage]:
    with services.session_factory() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms").order_by(OutboxMessage.id)))


def queue(services, purpose="help", body="Hello from the test", to=PERSON) -> int:
    with services.session_factory.begin() as session:
        return flows.queue_sms(session, to=to, body=body, purpose=purpose, language="en").id


def test_worker_sends_through_twilio_client_and_records_the_sid(client, services, worker, prism, staff_headers):
    before = prism_sends(prism)
    assert client.simulate_post("/api/v1/sms/invitations", json={"phone": "07911 123456", "language": "ur"}, headers=staff_headers).status_code == 201
    assert worker.run_until_idle() == 2
    sent = rows(services)
    assert [r.status for r in sent] == ["sent", "sent"]
    assert all(r.provider_message_id and r.provider_message_id.startswith("SM") for r in sent)
    assert all(r.encoding == "UCS-2" and r.segments in (1, 2) for r in sent)
    assert all(ATTEMPT_MARKER in r.payload for r in sent)
    assert prism_sends(prism) - before == 2


def test_a_row_left_sending_with_its_sid_is_fetched_not_sent_again(services, worker, prism):
    message_id = queue(services)
    with services.session_factory.begin() as session:   # what a worker killed after Twilio accepted leaves behind
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(
            status="sending", attempts=1, claimed_until=utcnow() - timedelta(seconds=1), provider_message_id="SM" + "a" * 32,
            payload={"conversation_id": None, "language": "en", ATTEMPT_MARKER: utcnow().isoformat()}))
    before = prism_sends(prism)
    worker.run_until_idle()
    assert prism_sends(prism) == before
    assert [(r.status, r.provider_message_id) for r in rows(services)] == [("sent", "SM" + "a" * 32)]


def test_a_row_left_sending_before_any_attempt_is_sent_once(services, worker, prism):
    message_id = queue(services)
    with services.session_factory.begin() as session:   # killed between the claim and the attempt marker
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(
            status="sending", attempts=1, claimed_until=utcnow() - timedelta(seconds=1)))
    before = prism_sends(prism)
    worker.run_until_idle()
    assert prism_sends(prism) - before == 1 and rows(services)[0].status == "sent"


def _crash(services, prism, point: str) -> None:
    env = {**os.environ, **twilio_env(prism.base_url), "DATABASE_URL": services.settings.database_url,
           "SECRET_KEY": services.settings.secret_key, "VAR_DIR": str(services.settings.var_dir), "LOG_LEVEL": "WARNING"}
    result = subprocess.run([sys.executable, str(REPO_ROOT / "tests" / "sms" / "crash_worker.py"), point],
                            env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 9, result.stderr[-2000:]
    assert rows(services)[0].status == "sending"
    with services.session_factory.begin() as session:   # the lease runs out (instead of waiting 2 minutes)
        session.execute(update(OutboxMessage).values(claimed_until=utcnow() - timedelta(seconds=1)))


def test_worker_killed_after_twilio_accepted_is_not_sent_twice(services, worker, prism):
    queue(services)
    before = prism_sends(prism)
    _crash(services, prism, "after_provider_id")
    assert prism_sends(prism) - before == 1
    worker.run_until_idle()                              # the restarted worker reconciles by SID at Twilio
    assert prism_sends(prism) - before == 1
    row = rows(services)[0]
    assert row.status == "sent" and row.provider_message_id.startswith("SM") and row.attempts == 2


def test_worker_killed_before_its_request_left_sends_once(services, worker, prism):
    queue(services)
    before = prism_sends(prism)
    _crash(services, prism, "before_request")
    assert prism_sends(prism) == before
    assert ATTEMPT_MARKER in rows(services)[0].payload
    worker.run_until_idle()                              # marker, no SID: looked up at Twilio, not there, sent
    assert prism_sends(prism) - before == 1
    assert rows(services)[0].status == "sent"


def test_reconcile_finds_a_message_twilio_already_has(services):
    """The narrow window (Twilio accepted, the SID not yet recorded): the lookup finds the message by number,
    body and time. Prism's list is a fixed example, so Twilio's answer is given here."""
    message_id = queue(services, body="Your question")
    started = utcnow()

    class TwilioHasIt(TwilioTransport):
        sends = 0

        def send(self, **kwargs):
            TwilioHasIt.sends += 1
            return "SMnew"

        def recent_to(self, to, limit=50):
            return [SentMessage("SMother", to, "Another text", started), SentMessage("SMfound", to, "Your question", started + timedelta(seconds=1))]

    handler = SmsHandler(services.settings, services.session_factory, TwilioHasIt(services.settings))
    claimed = ClaimedMessage(id=message_id, channel="sms", purpose="help", recipient=PERSON, subject=None, body="Your question",
                             payload={ATTEMPT_MARKER: started.isoformat()}, attempts=2, submission_id=None, provider_message_id=None, reclaimed=True)
    assert handler.reconcile(claimed).provider_message_id == "SMfound"
    assert TwilioHasIt.sends == 0
    assert rows(services)[0].provider_message_id == "SMfound"


def test_find_sent_matches_number_body_and_time():
    now = utcnow()
    old = SentMessage("SMold", PERSON, "Hi", now - timedelta(hours=1))
    other = SentMessage("SMother", "+447911000000", "Hi", now)
    same = SentMessage("SMsame", PERSON, "Hi", now + timedelta(seconds=2))
    assert find_sent([old, other], to=PERSON, body="Hi", since=now) is None
    assert find_sent([old, other, same], to=PERSON, body="Hi", since=now).sid == "SMsame"


@pytest.mark.parametrize(("status", "code", "final"), [
    (400, 21610, True), (400, 21211, True), (400, 21614, True), (400, 21408, True), (400, 21617, True),
    (429, 20429, False), (500, 20500, False), (503, None, False), (401, 20003, False), (400, 99999, True), (422, 422, True),
])
def test_twilio_errors_are_mapped_to_retry_or_final(status, code, final):
    error = map_twilio_error(status, code)
    assert isinstance(error, DeliveryError) and error.final is final


def test_a_refused_request_fails_for_good_without_the_number_in_the_error(services, database_url, tmp_path, prism):
    settings = settings_for(database_url, tmp_path, **{**twilio_env(prism.base_url), "TWILIO_ACCOUNT_SID": "ACnot-a-valid-sid"})
    worker = Worker(services.session_factory, {"sms": build_sms_handler(settings, services.session_factory)})
    queue(services)
    worker.run_until_idle()
    row = rows(services)[0]
    assert row.status == "failed" and "422" in row.last_error and PERSON not in row.last_error
    assert ATTEMPT_MARKER not in row.payload     # Twilio refused it: nothing went out, nothing to look up


def test_error_21610_on_send_is_final_and_records_the_opt_out(services):
    class OptedOutAtTwilio(TwilioTransport):
        def send(self, **kwargs):
            raise TransportError(400, 21610)

    worker = Worker(services.session_factory, {"sms": SmsHandler(services.settings, services.session_factory, OptedOutAtTwilio(services.settings))})
    queue(services)
    queue(services, body="second")
    worker.run_until_idle()
    assert [r.status for r in rows(services)] == ["failed", "cancelled"]   # the second is stopped by the opt-out check
    with services.session_factory() as session:
        assert session.get(SmsOptOut, phone_hash(PERSON, services.settings.secret_key)).opted_out


def test_without_twilio_settings_texts_stay_in_the_outbox(services, database_url, tmp_path):
    settings = settings_for(database_url, tmp_path)
    assert not settings.twilio_enabled
    worker = Worker(services.session_factory, {"sms": build_sms_handler(settings, services.session_factory)})
    message_id = queue(services)
    worker.run_until_idle()
    row = rows(services)[0]
    assert row.status == "sent" and row.provider_message_id == f"outbox-log-{message_id}"
    assert row.body == "Hello from the test" and row.recipient == PERSON   # staff can read it in the outbox
    assert ATTEMPT_MARKER not in row.payload


def test_no_number_or_words_in_any_log_line(client, services, worker, staff_headers, caplog):
    caplog.set_level(logging.DEBUG)
    secret_words = "my neighbour takes my pension"
    client.simulate_post("/api/v1/sms/invitations", json={"phone": "07911 123456", "language": "en"}, headers=staff_headers)
    for reply in ["1", "2", "3", "1", "2", "3", "1", secret_words, "nothing", "3"]:
        twilio_post(client, "/sms/twilio/inbound", inbound_fields(reply, PERSON))
    twilio_post(client, "/sms/twilio/inbound", inbound_fields("STOP", PERSON))
    worker.run_until_idle()
    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    assert lines
    for line in lines:
        assert "7911123456" not in line and "7911 123456" not in line and "pension" not in line, line


def test_a_row_with_a_sid_is_never_sent_again_even_after_a_failed_lookup(services, prism):
    """Twilio accepted it (a SID is recorded) but recording "sent" failed: a later attempt must not send."""
    message_id = queue(services)
    with services.session_factory.begin() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(provider_message_id="SM" + "b" * 32))
    worker = Worker(services.session_factory, {"sms": build_sms_handler(services.settings, services.session_factory)})
    before = prism_sends(prism)
    worker.run_until_idle()
    assert prism_sends(prism) == before
    assert [(r.status, r.provider_message_id) for r in rows(services)] == [("sent", "SM" + "b" * 32)]
