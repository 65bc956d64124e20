"""Erasure deletes Twilio's copies of the texts exchanged with the person: a durable outbox task the worker
runs with twilio's client, against the Prism mock of Twilio's API (its log is our witness of the DELETEs),
and against a small local server for the answers Prism cannot give (404, error 20009)."""
from __future__ import annotations

import json
import re
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest
from sqlalchemy import select, update

from channels.sms import flows
from channels.sms.models import FINISHED, SmsConversation, SmsInbound
from channels.sms.sending import build_sms_handler
from channels.sms.twilio_copies import build_twilio_deletion
from service.audit.log import PRIVACY_ERASE
from service.auth.permissions import Role
from service.audit.models import AuditEvent
from service.outbox.outbox import claim_due, try_again_now
from service.privacy.erasure import DELETE_AT_TWILIO, queue_twilio_deletion
from service.privacy.retention import apply_retention
from service.runtime import build_handlers
from service.storage.orm import OutboxMessage
from service.storage.types import utcnow
from service.tasks import TaskHandler
from service.worker import Worker
from tests.conftest import free_port, settings_for
from tests.sms.support import inbound_fields, new_sid, twilio_env, twilio_post
from tests.support.staff import signed_in

PERSON = "+447911123456"
ERASE = "/api/v1/privacy/erasures"
DELETE_LINE = re.compile(r"\[HTTP SERVER\] delete /2010-04-01/Accounts/\w+/Messages/(\w+)\.json .*Request received")
ANSWERS = ["1", "all of it", "2", "yes", "No", "1", "3", "Jane from the council listened to me", "Call back sooner", "2"]


def prism_deletes(prism, settle: float = 0.4) -> list[str]:
    """The SIDs Prism was asked to DELETE, once its log (written a moment after it answers) stops growing."""
    found, stable_since, deadline = None, time.monotonic(), time.monotonic() + 10
    while time.monotonic() < deadline:
        now = DELETE_LINE.findall(prism.log_path.read_text(errors="replace"))
        if now != found:
            found, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since >= settle:
            break
        time.sleep(0.05)
    return found or []


def text(client, body: str, sid: str | None = None) -> str:
    fields = inbound_fields(body, PERSON, sid=sid)
    assert twilio_post(client, "/sms/twilio/inbound", fields).status_code == 200
    return fields["MessageSid"]


def deletion_tasks(services) -> list[OutboxMessage]:
    with services.session_factory() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DELETE_AT_TWILIO).order_by(OutboxMessage.id)))


def full_worker(services, settings=None, **options) -> Worker:
    """The worker as `msp-feedback worker` builds it (sms, email and every task), on `settings`."""
    settings = settings or services.settings
    return Worker(services.session_factory, build_handlers(settings, services.session_factory, services.pipelines), **options)


def due_now(services) -> None:
    """The back-off has run out (instead of waiting for it)."""
    with services.session_factory.begin() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.status == "pending").values(next_attempt_at=utcnow() - timedelta(seconds=1)))


@pytest.fixture
def conversation(client, services, staff_headers) -> dict[str, list[str]]:
    """A whole SMS questionnaire with PERSON, then a text outside it: the SIDs of what went each way."""
    worker = full_worker(services)
    assert client.simulate_post("/api/v1/sms/invitations", json={"phone": "07911 123456", "language": "en"},
                                headers=staff_headers).status_code == 201
    worker.run_until_idle()
    inbound = []
    for answer in ANSWERS:
        inbound.append(text(client, answer))
        worker.run_until_idle()
    with services.session_factory() as session:
        assert session.scalars(select(SmsConversation.status)).all() == [FINISHED]
    inbound.append(text(client, "One more thing: thank you Jane"))   # after the run: feedback of its own
    worker.run_until_idle()
    sent = []
    with services.session_factory.begin() as session:
        rows = list(session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms").order_by(OutboxMessage.id)))
        assert len(rows) >= 12 and all(row.status == "sent" and row.provider_message_id.startswith("SM") for row in rows)
        for row in rows:   # Prism answers every text with its one example SID; Twilio gives each its own
            row.provider_message_id = new_sid()
            sent.append(row.provider_message_id)
    return {"sent": sent, "received": inbound}


def test_erasure_queues_and_the_worker_deletes_every_text_at_twilio(client, services, prism, admin_token, conversation):
    expected = sorted(conversation["sent"] + conversation["received"])
    before = prism_deletes(prism)
    result = client.simulate_post(ERASE, json={"phone": "07911 123456"}, headers={"Authorization": f"Bearer {admin_token}"})
    assert result.status_code == 200, result.text
    assert result.json["erased"]["twilio_copies"] == len(expected)
    assert prism_deletes(prism) == before            # erasure did not wait on Twilio: it queued the work

    [task] = deletion_tasks(services)
    assert (task.status, task.channel, task.recipient, task.body, task.submission_id) == ("pending", "task", None, "", None)
    assert task.payload == {"sids": expected}        # SIDs only: no number, no words
    with services.session_factory() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == PRIVACY_ERASE))
    assert event.detail["twilio_copies"] == len(expected)
    assert "SM" not in json.dumps(event.detail)      # the count, not the messages

    full_worker(services).run_until_idle()
    assert sorted(prism_deletes(prism)[len(before):]) == expected
    [task] = deletion_tasks(services)
    assert task.status == "sent" and task.last_error is None


def test_twilio_unreachable_leaves_the_deletion_waiting_then_failed_for_staff_and_nothing_is_lost(
        client, services, prism, admin_token, conversation, tmp_path):
    assert client.simulate_post(ERASE, json={"phone": "07911 123456"}, headers={"Authorization": f"Bearer {admin_token}"}).status_code == 200
    [task] = deletion_tasks(services)
    sids = task.payload["sids"]
    down = settings_for(services.settings.database_url, tmp_path, **twilio_env(f"http://127.0.0.1:{free_port()}"))
    before = prism_deletes(prism)

    full_worker(services, down, max_attempts=2).run_until_idle()
    [task] = deletion_tasks(services)
    assert task.status == "pending" and task.attempts == 1 and task.next_attempt_at > utcnow()
    assert "Twilio not reached" in task.last_error and task.payload == {"sids": sids}
    due_now(services)
    full_worker(services, down, max_attempts=2).run_until_idle()
    [task] = deletion_tasks(services)
    assert task.status == "failed" and task.payload == {"sids": sids}
    page = signed_in(client, services, "admin@example.org", Role.ADMIN).get("/staff/outbox")
    assert page.status_code == 200 and DELETE_AT_TWILIO in page.text and "Twilio not reached" in page.text

    with services.session_factory.begin() as session:   # staff press "Try again now" once Twilio is back
        assert try_again_now(session, task.id) is not None
    full_worker(services).run_until_idle()
    assert sorted(prism_deletes(prism)[len(before):]) == sids
    assert deletion_tasks(services)[0].status == "sent"


def test_after_retention_blanked_the_numbers_the_texts_of_the_runs_are_still_found(client, services, prism, admin_token, conversation):
    with services.session_factory.begin() as session:   # 13 months on: the texts' records and the contact lose the number
        report = apply_retention(session, services.settings, now=utcnow() + timedelta(days=400))
    assert report.outbox_blanked >= len(conversation["sent"]) and report.contacts_erased
    result = client.simulate_post(ERASE, json={"phone": "07911 123456"}, headers={"Authorization": f"Bearer {admin_token}"})
    [task] = deletion_tasks(services)
    # The questionnaire's texts each way; not the text after it and our answer to it: nothing ties those to the
    # number any more (see the README, "Erasure on request").
    run_sids = set(conversation["sent"][:-1]) | set(conversation["received"][:-1])
    assert set(task.payload["sids"]) == run_sids and result.json["erased"]["twilio_copies"] == len(run_sids)


# --- Twilio's answers Prism cannot give ---------------------------------------------------------------

class FakeTwilio(BaseHTTPRequestHandler):
    """Answers DELETE .../Messages/{Sid}.json with the status and Twilio error given for that SID (204 otherwise)."""

    answers: dict[str, tuple[int, int | None]] = {}
    asked: list[str] = []

    def do_DELETE(self) -> None:  # noqa: N802 - http.server's name
        sid = self.path.rsplit("/", 1)[-1].removesuffix(".json")
        type(self).asked.append(sid)
        status, code = type(self).answers.get(sid, (204, None))
        body = b"" if status == 204 else json.dumps({"code": code, "message": "error", "more_info": "", "status": status}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake_twilio() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    FakeTwilio.answers, FakeTwilio.asked = {}, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_already_gone_is_done_and_a_text_twilio_has_not_finished_with_is_tried_again(services, fake_twilio, tmp_path):
    gone, busy, fine = new_sid(), new_sid(), new_sid()
    FakeTwilio.answers = {gone: (404, 20404), busy: (409, 20009)}
    with services.session_factory.begin() as session:
        queue_twilio_deletion(session, [gone, busy, fine])
    settings = settings_for(services.settings.database_url, tmp_path, **twilio_env(fake_twilio))
    worker = Worker(services.session_factory, {"task": TaskHandler({DELETE_AT_TWILIO: build_twilio_deletion(settings, services.session_factory)})})

    worker.run_until_idle()
    [task] = deletion_tasks(services)
    assert sorted(FakeTwilio.asked) == sorted([gone, busy, fine])
    assert task.status == "pending" and task.payload == {"sids": [busy]}    # only what is left is asked again
    assert "20009" in task.last_error and "2 of 3" in task.last_error

    FakeTwilio.answers, FakeTwilio.asked = {}, []                            # a few minutes later
    due_now(services)
    worker.run_until_idle()
    assert FakeTwilio.asked == [busy] and deletion_tasks(services)[0].status == "sent"


def test_a_request_twilio_refuses_for_good_is_shown_to_staff(services, fake_twilio, tmp_path):
    refused = new_sid()
    FakeTwilio.answers = {refused: (400, 21999)}
    with services.session_factory.begin() as session:
        queue_twilio_deletion(session, [refused])
    settings = settings_for(services.settings.database_url, tmp_path, **twilio_env(fake_twilio))
    Worker(services.session_factory, {"task": TaskHandler({DELETE_AT_TWILIO: build_twilio_deletion(settings, services.session_factory)})}).run_until_idle()
    [task] = deletion_tasks(services)
    assert task.status == "failed" and "21999" in task.last_error and task.payload == {"sids": [refused]}


# --- a text on its way as the person is erased ------------------------------------------------------------

def test_a_text_twilio_accepts_after_the_erasure_is_deleted_there_too(client, services, prism, admin_token):
    with services.session_factory.begin() as session:
        message_id = flows.queue_sms(session, to=PERSON, body="Question 3 of 10", purpose="help", language="en").id
    with services.session_factory.begin() as session:
        assert [m.id for m in claim_due(session)] == [message_id]
    # The erasure commits while the worker is at Twilio with this text: it sees no SID to delete yet.
    assert client.simulate_post(ERASE, json={"phone": "07911 123456"}, headers={"Authorization": f"Bearer {admin_token}"}).json["erased"]["twilio_copies"] == 0
    handler = build_sms_handler(services.settings, services.session_factory)
    handler._remember_sid(message_id, "SM" + "b" * 32)       # Twilio's answer comes back
    [task] = deletion_tasks(services)
    assert task.payload == {"sids": ["SM" + "b" * 32]}


def test_only_the_persons_inbound_texts_are_taken(client, services, prism, admin_token, conversation):
    other = text_from(client, "+447700900999", "hello")
    assert client.simulate_post(ERASE, json={"phone": "07911 123456"}, headers={"Authorization": f"Bearer {admin_token}"}).status_code == 200
    [task] = deletion_tasks(services)
    assert other not in task.payload["sids"]
    with services.session_factory() as session:
        assert session.get(SmsInbound, other) is not None


def text_from(client, phone: str, body: str) -> str:
    fields = inbound_fields(body, phone)
    assert twilio_post(client, "/sms/twilio/inbound", fields).status_code == 200
    return fields["MessageSid"]


def test_a_text_claimed_before_its_person_is_erased_is_not_sent(client, services, prism, admin_token):
    """Second review: the sender checked the copy of the row it claimed, not the row, so a text claimed a
    moment before the erasure still went to the person (and Twilio kept a copy)."""
    from service.outbox.handlers import DeliveryError

    with services.session_factory.begin() as session:
        message_id = flows.queue_sms(session, to=PERSON, body="Question 3 of 10", purpose="help", language="en").id
    with services.session_factory.begin() as session:
        [claimed] = claim_due(session)
    erased = client.simulate_post(ERASE, json={"phone": "07911 123456"}, headers={"Authorization": f"Bearer {admin_token}"})
    assert erased.status_code == 200, erased.text
    with pytest.raises(DeliveryError) as refused:
        build_sms_handler(services.settings, services.session_factory).handle(claimed)
    assert refused.value.code == "cancelled"
    with services.session_factory() as session:
        row = session.get(OutboxMessage, message_id)
        assert row.status == "cancelled" and row.provider_message_id is None and row.recipient is None


def test_a_long_list_of_copies_is_deleted_in_tasks_one_run_can_finish(services):
    """Second review: 1,600 SIDs in one task made every run slow, and each slow run spent an attempt."""
    from service.privacy.erasure import TWILIO_SIDS_PER_TASK

    sids = [new_sid() for _ in range(2 * TWILIO_SIDS_PER_TASK + 7)]
    with services.session_factory.begin() as session:
        queue_twilio_deletion(session, sids)
    tasks = deletion_tasks(services)
    assert [len(t.payload["sids"]) for t in tasks] == [TWILIO_SIDS_PER_TASK, TWILIO_SIDS_PER_TASK, 7]
    assert sorted(sid for t in tasks for sid in t.payload["sids"]) == sorted(sids)


def test_texts_that_belonged_to_no_run_are_deleted_at_twilio_too(client, services, prism, admin_token):
    """Second review: STOP, START and HELP sent outside a questionnaire run were tied to no run, so erasure by
    number left Twilio's copies of them (with the number). Each text received now keeps which number it came
    from (keyed), until erasure or retention blanks it."""
    worker = full_worker(services)
    sids = []
    for body in ("HELP", "STOP", "START"):
        sids.append(text(client, body))
        worker.run_until_idle()
    with services.session_factory() as session:
        assert all(row.phone_hash for row in session.scalars(select(SmsInbound).where(SmsInbound.message_sid.in_(sids))))
    erased = client.simulate_post(ERASE, json={"phone": "07911 123456"}, headers={"Authorization": f"Bearer {admin_token}"})
    assert erased.status_code == 200, erased.text
    queued = {sid for task in deletion_tasks(services) for sid in task.payload["sids"]}
    assert set(sids) <= queued
    with services.session_factory() as session:     # the SIDs stay (a retried webhook must change nothing)
        rows = list(session.scalars(select(SmsInbound).where(SmsInbound.message_sid.in_(sids))))
        assert len(rows) == 3 and all(row.phone_hash is None for row in rows)


def test_retention_forgets_which_number_a_text_came_from(client, services, prism):
    sid = text(client, "HELP")
    full_worker(services).run_until_idle()
    with services.session_factory.begin() as session:
        assert session.get(SmsInbound, sid).phone_hash
        session.execute(update(SmsInbound).where(SmsInbound.message_sid == sid).values(received_at=utcnow() - timedelta(days=400)))
    with services.session_factory.begin() as session:
        apply_retention(session, None, utcnow())
    with services.session_factory() as session:
        assert session.get(SmsInbound, sid).phone_hash is None


def test_erasure_by_reference_forgets_the_number_of_the_runs_texts(client, services, admin_token, conversation):
    """Second review: erased by reference, the run's record went but its received texts kept the number's
    keyed hash (and a later export by number still listed them)."""
    from channels.sms.phone import phone_hash
    from service.storage.orm import Submission

    with services.session_factory() as session:
        run = session.scalars(select(SmsConversation).where(SmsConversation.submission_id.is_not(None))).one()
        reference = session.get(Submission, run.submission_id).reference
        run_id = run.id
        assert session.scalars(select(SmsInbound.phone_hash).where(SmsInbound.conversation_id == run_id)).all()
    erased = client.simulate_post(ERASE, json={"reference": reference}, headers={"Authorization": f"Bearer {admin_token}"})
    assert erased.status_code == 200, erased.text
    with services.session_factory() as session:
        hashes = session.scalars(select(SmsInbound.phone_hash).where(SmsInbound.conversation_id == run_id)).all()
        assert hashes and all(h is None for h in hashes)
        # The text sent after the run (feedback of its own, not erased) keeps it.
        assert session.scalars(select(SmsInbound).where(SmsInbound.conversation_id.is_(None),
                                                        SmsInbound.phone_hash == phone_hash(PERSON, services.settings.secret_key))).all()
