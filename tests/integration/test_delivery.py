"""Getting messages out when parts fail: an alert to the duty team is not held up by texts to a Twilio that
does not answer, not sent twice by two workers, not resent for ever to a team of which one mailbox
refuses it, not stranded by a task that kills the worker, and not reported "sent" when no mail server is
set up. (Found by a delivery audit; each test failed before its fix.)"""
from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

import service.outbox.outbox as outbox_module
from channels.sms import flows
from channels.sms.sending import SmsHandler
from service.domain.model import Channel, Consent, SubmitFeedback
from service.intake import submit_feedback
from service.outbox.email import SmtpSender
from service.outbox.handlers import Outcome
from service.outbox.outbox import ANALYSE_TEXT, CLAIM_LEASE, DUTY_ALERT, claim_due, enqueue
from service.runtime import build_tasks
from service.storage.orm import OutboxMessage
from service.storage.types import utcnow
from service.tasks import TaskHandler
from service.worker import Worker
from tests.conftest import REPO_ROOT, TEST_SECRET_KEY, free_port, settings_for
from tests.integration.test_analysis import loaded_pipelines  # noqa: F401  (session fixture)
from tests.staff.test_feedback_pages import DISCLOSING, analyse_all, duty  # noqa: F401

SLOW = 0.3     # stands for TWILIO_TIMEOUT_SECONDS (10 s)


class TwilioNotAnswering:
    """Twilio's client as it behaves when the network to Twilio hangs: every call times out."""

    calls = 0

    def _timeout(self, *args, **kwargs):
        TwilioNotAnswering.calls += 1
        time.sleep(SLOW)
        raise TimeoutError("read timed out")

    send = fetch = recent_to = _timeout


class Mailbox:
    """A mail handler that records what went and how many Twilio calls had been made by then."""

    def __init__(self):
        self.received: list[tuple[str, int]] = []

    def handle(self, message):
        self.received.append((message.purpose, TwilioNotAnswering.calls))
        return Outcome(provider_message_id=f"<outbox-{message.id}>")

    def reconcile(self, message):
        return None


def test_an_alert_by_email_does_not_wait_behind_texts_to_a_twilio_that_does_not_answer(services, loaded_pipelines, tmp_path,  # noqa: F811
                                                                                        database_url):
    services.pipelines._pipeline = loaded_pipelines.get()
    settings = settings_for(database_url, tmp_path, TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_AUTH_TOKEN="x" * 32,
                            TWILIO_FROM_NUMBER="+441204555000")
    with services.session_factory.begin() as session:      # questions to twenty people, queued before
        for i in range(20):
            flows.queue_sms(session, to=f"+4479112{i:05d}", body=f"Question {i}", purpose="question", language="en")
    TwilioNotAnswering.calls = 0
    mail = Mailbox()
    worker = Worker(services.session_factory, {
        "sms": SmsHandler(settings, services.session_factory, TwilioNotAnswering()), "email": mail,
        "task": TaskHandler(build_tasks(services.settings, services.session_factory, services.pipelines))})
    submit_feedback(SubmitFeedback(channel=Channel.WEB, language="en", consent=Consent.ANONYMOUS, texts={"own_words": DISCLOSING}),
                    services.uow())
    deadline = time.monotonic() + 60
    while not mail.received and time.monotonic() < deadline:
        worker.run_once()
    assert mail.received and mail.received[0] == (DUTY_ALERT, 0)   # before any text was tried


@pytest.fixture
def smtp():
    class Inbox:
        def __init__(self):
            self.delivered: list[str] = []

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("manager@"):
                return "452 4.2.2 mailbox full"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            self.delivered.extend(envelope.rcpt_tos)
            return "250 OK"

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_a_row_whose_lease_ran_out_is_not_sent_by_its_first_worker_too(services, smtp):
    """Worker A is slow; its lease runs out; worker B claims the alert and sends it. A must not send it again."""
    controller, inbox = smtp
    sender = SmtpSender(f"smtp://127.0.0.1:{controller.port}", "msp@example.org", duty_team_email="duty@example.org")
    with services.session_factory.begin() as session:
        enqueue(session, channel="email", purpose=DUTY_ALERT, recipient="duty@example.org", subject="URGENT", body="alert",
                dedupe_key="duty_alert:x")
    worker_a, worker_b = (Worker(services.session_factory, {"email": sender}) for _ in range(2))
    with services.session_factory.begin() as session:
        a_batch = claim_due(session)
    with services.session_factory.begin() as session:
        b_batch = claim_due(session, now=utcnow() + CLAIM_LEASE + timedelta(seconds=1))
    assert [m.id for m in b_batch] == [a_batch[0].id] and b_batch[0].reclaimed
    worker_b._process(b_batch[0])
    worker_a._process(a_batch[0])
    assert inbox.delivered == ["duty@example.org"]


def test_an_alert_one_of_whose_mailboxes_refuses_it_is_not_sent_again_to_the_other(services, smtp):
    controller, inbox = smtp
    team = "duty@example.org, manager@example.org"
    sender = SmtpSender(f"smtp://127.0.0.1:{controller.port}", "msp@example.org", duty_team_email=team)
    with services.session_factory.begin() as session:
        row_id = enqueue(session, channel="email", purpose=DUTY_ALERT, recipient=team, subject="URGENT", body="alert",
                         dedupe_key="duty_alert:y").id
    worker = Worker(services.session_factory, {"email": sender})
    for _ in range(3):
        worker.run_once()
        with services.session_factory.begin() as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(next_attempt_at=utcnow()))
    assert inbox.delivered == ["duty@example.org"]
    with services.session_factory() as session:
        row = session.get(OutboxMessage, row_id)
        assert row.status == "sent" and "refused 1 of the 2 recipients" in row.last_error


def test_a_task_that_kills_the_worker_is_given_up_and_strands_nothing(services, database_url, tmp_path):
    """Each restart of a worker that died on it claims the task alone, so the alert queued after it goes; after
    OUTBOX_MAX_ATTEMPTS such tries the task is marked failed for staff."""
    with services.session_factory.begin() as session:
        poison = enqueue(session, channel="task", purpose="poison").id
        alert = enqueue(session, channel="email", purpose="receipt", recipient="a@example.org", body="b").id
    env = {**os.environ, "DATABASE_URL": database_url, "VAR_DIR": str(tmp_path), "SECRET_KEY": TEST_SECRET_KEY,
           "OUTBOX_MAX_ATTEMPTS": "3", "SENT_LOG": str(tmp_path / "sent")}
    for _restart in range(5):
        subprocess.run([sys.executable, str(REPO_ROOT / "tests" / "support" / "crash_task_worker.py")], env=env, cwd=REPO_ROOT,
                       timeout=120)
        with services.session_factory.begin() as session:      # two minutes later: the lease has run out
            session.execute(update(OutboxMessage).where(OutboxMessage.status == "sending")
                            .values(claimed_until=utcnow() - timedelta(seconds=1)))
    with services.session_factory() as session:
        row = session.get(OutboxMessage, poison)
        assert row.status == "failed" and row.attempts <= 3 and "stopped while handling it" in row.last_error
        assert session.get(OutboxMessage, alert).status == "sent"
    assert (tmp_path / "sent").read_text(encoding="utf-8").split() == [str(alert)]


def test_without_a_mail_server_the_item_page_says_nobody_was_emailed(duty, services):  # noqa: F811
    assert services.settings.smtp_url is None
    receipt = submit_feedback(SubmitFeedback(channel=Channel.WEB, language="en", texts={"own_words": DISCLOSING},
                                             consent=Consent.ANONYMOUS), services.uow())
    analyse_all(services)
    page = duty.get(f"/staff/submissions/{receipt.submission_id}")
    line = re.search(r"Alert to the duty team:.*?tell the duty team yourself now", page.text, re.S).group(0)
    assert "not emailed" in line and "sent " not in line
    outbox = duty.client.simulate_get("/staff/outbox", cookies=duty.cookies)
    assert "kept here, not sent" in outbox.text


# --- Found by the worker audit; each test failed before its fix. ---------------------------------------------

def _alerts(services, count: int) -> list[int]:
    with services.session_factory.begin() as session:
        return [enqueue(session, channel="email", purpose=DUTY_ALERT, recipient="duty@example.org", subject=f"URGENT {i}",
                        body="alert", dedupe_key=f"{DUTY_ALERT}:worker-audit-{i}").id for i in range(count)]


def _serve(handler) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


class Inbox:
    def __init__(self):
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 OK"


class QuitFumblingInbox(Inbox):
    def __init__(self, quit_reply: str):
        super().__init__()
        self.quit_reply = quit_reply

    async def handle_QUIT(self, server, session, envelope):
        return self.quit_reply


@pytest.mark.parametrize("quit_reply", ["421 4.3.0 closing", "554 5.3.0 bye"])
def test_an_alert_the_server_took_is_sent_whatever_it_answers_to_quit(services, quit_reply):
    """Once the server has taken the message (250 after DATA), it went: QUIT's answer must not make a duty alert,
    which is never given up, go again every few minutes for ever."""
    inbox = QuitFumblingInbox(quit_reply)
    controller = _serve(inbox)
    try:
        [row_id] = _alerts(services, 1)
        worker = Worker(services.session_factory, {"email": SmtpSender(
            f"smtp://127.0.0.1:{controller.port}", "msp@example.org", duty_team_email="duty@example.org")})
        for _ in range(3):                       # as if its next tries had come
            worker.run_once()
            with services.session_factory.begin() as session:
                session.execute(update(OutboxMessage).where(OutboxMessage.status == "pending").values(next_attempt_at=utcnow()))
        with services.session_factory() as session:
            row = session.get(OutboxMessage, row_id)
            assert (len(inbox.messages), row.status, row.last_error) == (1, "sent", None)
    finally:
        controller.stop()


class Recorder:
    """A task handler that records which tasks ran."""

    def __init__(self):
        self.ran: list[int] = []

    def handle(self, message):
        self.ran.append(message.id)
        return Outcome()

    def reconcile(self, message):
        return None


def test_a_mail_server_that_does_not_answer_holds_up_neither_the_text_check_nor_the_alerts_once_it_answers(services, monkeypatch):
    """Scaled down: SMTP timeout 20 s -> 0.3 s, URGENT_BACKOFF_MAX_SECONDS 300 s -> 3 s, the sender's rest 60 s -> 1 s.
    Before, each try of each alert cost the whole timeout, alerts are claimed first and never given up, and with
    15 or more waiting one was always due: the text check of new feedback never ran."""
    monkeypatch.setattr(outbox_module, "URGENT_BACKOFF_MAX_SECONDS", 3)
    monkeypatch.setattr(SmtpSender, "REST_SECONDS", 1.0)
    blackhole = socket.socket()
    blackhole.bind(("127.0.0.1", 0))
    blackhole.listen(200)                    # takes connections (the kernel does), never says hello
    port = blackhole.getsockname()[1]
    alerts = _alerts(services, 20)
    with services.session_factory.begin() as session:
        check = enqueue(session, channel="task", purpose=ANALYSE_TEXT, payload={"submission_id": "x"}).id
    tasks = Recorder()
    worker = Worker(services.session_factory, {
        "email": SmtpSender(f"smtp://127.0.0.1:{port}", "msp@example.org", timeout=0.3, duty_team_email="duty@example.org"),
        "task": tasks}, max_attempts=3)
    deadline = time.monotonic() + 12         # 20 minutes in production
    while check not in tasks.ran and time.monotonic() < deadline:
        if not worker.run_once():
            time.sleep(0.05)
    blackhole.close()
    assert check in tasks.ran, "the text check of new feedback never ran while the mail server hung"
    with services.session_factory() as session:
        assert set(session.scalars(select(OutboxMessage.status).where(OutboxMessage.id.in_(alerts)))) == {"pending"}

    inbox = Inbox()                          # the mail server answers again, at the same address
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        deadline = time.monotonic() + 30
        while len(inbox.messages) < len(alerts) and time.monotonic() < deadline:
            if not worker.run_once():
                time.sleep(0.05)
    finally:
        controller.stop()
    with services.session_factory() as session:
        assert set(session.scalars(select(OutboxMessage.status).where(OutboxMessage.id.in_(alerts)))) == {"sent"}
    assert len(inbox.messages) == len(alerts)       # each once


class SlowInbox(Inbox):
    def __init__(self, delay: float):
        super().__init__()
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)      # each step well within the SMTP timeout
        return await super().handle_DATA(server, session, envelope)


def test_a_slow_send_ends_within_its_lease_so_a_second_worker_does_not_send_the_alert_again(services, monkeypatch):
    """Scaled down: CLAIM_LEASE 120 s -> 2 s, and a server taking 3 s over DATA. Each step of a send may wait the
    whole SMTP timeout (20 s), so one send could outlive the lease; a second worker then took the row over and
    sent it again while the first was still sending. Now the send ends within half the lease, whatever the server
    does, and its row waits for its next try (the server may have taken it: it goes again with the same Message-ID)."""
    monkeypatch.setattr(outbox_module, "CLAIM_LEASE", timedelta(seconds=2))
    monkeypatch.setattr(SmtpSender, "REST_SECONDS", 0.0)     # its next try comes after the sender's rest
    inbox = SlowInbox(3.0)
    controller = _serve(inbox)
    try:
        [row_id] = _alerts(services, 1)
        sender = SmtpSender(f"smtp://127.0.0.1:{controller.port}", "msp@example.org", duty_team_email="duty@example.org")
        first = Worker(services.session_factory, {"email": sender})
        second = Worker(services.session_factory, {"email": sender})
        sending = threading.Thread(target=first.run_once)
        sending.start()
        time.sleep(2.2)                      # the first claim's lease has run out
        assert second.run_once() == 0        # the first has given up on the send: nothing for the second
        sending.join()
        with services.session_factory() as session:
            row = session.get(OutboxMessage, row_id)
            assert row.status == "pending" and "could not reach the mail server: TimeoutError" in row.last_error
        inbox.delay = 0
        with services.session_factory.begin() as session:      # its next try
            session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(next_attempt_at=utcnow()))
        second.run_once()
        assert len(inbox.messages) == 1      # the server dropped the first, cut off half-way
        with services.session_factory() as session:
            assert session.get(OutboxMessage, row_id).status == "sent"
    finally:
        controller.stop()


@pytest.fixture
def trusted_certificate(tmp_path, monkeypatch):
    """A certificate for 127.0.0.1 that the sender's default TLS context trusts, as a real relay's would be, and
    the server's context that presents it."""
    import datetime
    import ipaddress
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(days=2))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    real = ssl.create_default_context

    def trusting(purpose=ssl.Purpose.SERVER_AUTH, **kwargs):
        context = real(purpose, **kwargs)
        if purpose == ssl.Purpose.SERVER_AUTH:
            context.load_verify_locations(cafile=str(cert_file))
        return context

    monkeypatch.setattr(ssl, "create_default_context", trusting)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(str(cert_file), str(key_file))
    return server


@pytest.mark.parametrize("starttls", [False, True], ids=["smtps", "starttls"])
def test_a_duty_alert_goes_through_a_mail_server_that_needs_tls(services, trusted_certificate, starttls):
    """With the whole send under a deadline the client was built without its host, so TLS had no name to check
    the certificate against: no e-mail went through a relay that needs TLS (every authenticated one), and a
    duty alert, never given up, was tried for ever (a second review of this session)."""
    inbox, port = Inbox(), free_port()
    if starttls:
        controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=trusted_certificate, require_starttls=True)
    else:
        controller = Controller(inbox, hostname="127.0.0.1", port=port, ssl_context=trusted_certificate)
    controller.start()
    try:
        _alerts(services, 1)
        url = f"smtp://127.0.0.1:{port}?starttls=true" if starttls else f"smtps://127.0.0.1:{port}"
        Worker(services.session_factory, {"email": SmtpSender(url, "msp@example.org", duty_team_email="duty@example.org")}).run_once()
        with services.session_factory() as session:
            row = session.scalars(select(OutboxMessage)).one()
        assert (row.status, len(inbox.messages)) == ("sent", 1), f"{row.status}: {row.last_error}"
    finally:
        controller.stop()
