"""Storage and intake against a real database (SQLite, or PostgreSQL when TEST_DATABASE_URL says so)."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, func, select, text

from service.domain.model import Channel, Consent, ContactDetails, ContactPreference, DomainError, SubmitFeedback
from service.intake import ANALYSE_TEXT, IdempotencyConflict, submit_feedback
from service.outbox.handlers import DeliveryError, OutboxLogSender, Outcome
from service.outbox.outbox import claim_due, enqueue
from service.storage.database import make_engine, normalise_url
from service.storage.migrate import current_revisions, head_revisions, is_current, upgrade
from service.storage.orm import Contact, FreeText, OutboxMessage, Provider, Submission
from service.worker import Worker


def _command(**overrides) -> SubmitFeedback:
    values = dict(channel=Channel.WEB, language="en", answers={"listened_to": "yes"}, texts={"own_words": "  They listened.\n"}, consent=Consent.ANONYMOUS)
    values.update(overrides)
    return SubmitFeedback(**values)


def test_migrations_build_the_schema_from_empty(database_url, tmp_path):
    if database_url.startswith("postgres"):
        name = f"msp_migrate_{uuid.uuid4().hex[:8]}"
        admin = create_engine(normalise_url(database_url), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = database_url.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    fresh = make_engine(url)
    try:
        assert current_revisions(fresh) == set()
        assert not is_current(fresh)
        upgrade(url)
        assert current_revisions(fresh) == head_revisions()
        upgrade(url)  # running it again is harmless
        with fresh.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM submissions")).scalar() == 0
    finally:
        fresh.dispose()
        if database_url.startswith("postgres"):
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}"'))
            admin.dispose()


def test_intake_stores_everything_verbatim_with_an_analysis_task(services):
    receipt = submit_feedback(_command(contact=ContactDetails(preference=ContactPreference.SMS, phone="+447700900123", safe_to_contact=True)), services.uow())
    with services.session_factory() as session:
        row = session.get(Submission, receipt.submission_id)
        assert row.reference == receipt.reference
        assert row.answers == {"listened_to": "yes"}
        assert [t.text for t in row.texts] == ["  They listened.\n"]  # not stripped: verbatim
        assert row.contact.phone == "+447700900123" and row.contact_preference == "sms"
        assert row.received_at.tzinfo is not None and row.received_at.utcoffset() == timedelta(0)
        task = session.scalars(select(OutboxMessage).where(OutboxMessage.submission_id == row.id)).one()
        assert (task.channel, task.purpose, task.status) == ("task", ANALYSE_TEXT, "pending")


def test_invalid_feedback_stores_nothing(services):
    with pytest.raises(DomainError) as caught:
        submit_feedback(_command(answers={"listened_to": "sometimes"}), services.uow())
    assert caught.value.problems[0].field == "answers.listened_to"
    with pytest.raises(DomainError):
        submit_feedback(_command(provider_id=999), services.uow())
    with services.session_factory() as session:
        assert session.scalar(select(func.count(Submission.id))) == 0
        assert session.scalar(select(func.count(OutboxMessage.id))) == 0
        assert session.scalar(select(func.count(Contact.id))) == 0


def test_idempotency_key_returns_first_result(services):
    first = submit_feedback(_command(idempotency_key="k-1", request_fingerprint="f1"), services.uow())
    again = submit_feedback(_command(idempotency_key="k-1", request_fingerprint="f1"), services.uow())
    assert again.replayed and (again.submission_id, again.reference) == (first.submission_id, first.reference)
    with pytest.raises(IdempotencyConflict):
        submit_feedback(_command(idempotency_key="k-1", request_fingerprint="f2"), services.uow())
    with services.session_factory() as session:
        assert session.scalar(select(func.count(Submission.id))) == 1


def test_concurrent_identical_requests_make_one_row(services, database_url):
    if not database_url.startswith("postgres"):
        pytest.skip("the race needs concurrent writers: PostgreSQL (SQLite serialises writers; covered by the test above)")
    barrier = threading.Barrier(8)
    receipts, errors = [], []

    def post():
        barrier.wait()
        try:
            receipts.append(submit_feedback(_command(idempotency_key="race", request_fingerprint="same"), services.uow()))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({r.submission_id for r in receipts}) == 1
    with services.session_factory() as session:
        assert session.scalar(select(func.count(Submission.id))) == 1


def test_times_come_back_aware_in_utc(services):
    local = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=1)))
    receipt = submit_feedback(_command(received_at=local), services.uow())
    with services.session_factory() as session:
        assert session.get(Submission, receipt.submission_id).received_at == local
        assert session.get(Submission, receipt.submission_id).received_at.tzinfo == timezone.utc


class _Flaky:
    def __init__(self, failures: int, final: bool = False):
        self.failures, self.final, self.calls, self.reconciled = failures, final, 0, 0

    def handle(self, message):
        self.calls += 1
        if self.calls <= self.failures:
            raise DeliveryError("provider down", final=self.final, code="503")
        return Outcome(provider_message_id=f"P{message.id}")

    def reconcile(self, message):
        self.reconciled += 1
        return Outcome(provider_message_id="found-at-provider")


def _queue(services, **kwargs) -> int:
    with services.session_factory.begin() as session:
        return enqueue(session, channel="sms", purpose="test", recipient="+447700900123", body="hello", **kwargs).id


def _row(services, message_id) -> OutboxMessage:
    with services.session_factory() as session:
        return session.get(OutboxMessage, message_id)


def _make_due(services, message_id):
    with services.session_factory.begin() as session:
        session.get(OutboxMessage, message_id).next_attempt_at = datetime.now(timezone.utc) - timedelta(seconds=1)


def test_worker_retries_with_backoff_then_succeeds(services):
    message_id = _queue(services)
    handler = _Flaky(failures=1)
    worker = Worker(services.session_factory, {"sms": handler}, max_attempts=3)
    assert worker.run_once() == 1
    row = _row(services, message_id)
    assert row.status == "pending" and row.attempts == 1 and row.last_error == "provider down"
    assert row.next_attempt_at > datetime.now(timezone.utc) + timedelta(seconds=20)
    assert worker.run_once() == 0  # not due yet
    _make_due(services, message_id)
    worker.run_once()
    row = _row(services, message_id)
    assert row.status == "sent" and row.provider_message_id == f"P{message_id}" and row.sent_at is not None


def test_worker_gives_up_after_the_limit_and_on_final_errors(services):
    limited = _queue(services)
    worker = Worker(services.session_factory, {"sms": _Flaky(failures=99)}, max_attempts=2)
    worker.run_once()
    _make_due(services, limited)
    worker.run_once()
    assert _row(services, limited).status == "failed"
    final = _queue(services)
    Worker(services.session_factory, {"sms": _Flaky(failures=1, final=True)}).run_once()
    assert _row(services, final).status == "failed" and _row(services, final).attempts == 1


def test_a_row_left_sending_by_a_crash_is_reconciled_not_resent(services):
    message_id = _queue(services)
    with services.session_factory.begin() as session:
        claim_due(session)  # a worker claimed it ... and died before recording the outcome
    with services.session_factory.begin() as session:
        session.get(OutboxMessage, message_id).claimed_until = datetime.now(timezone.utc) - timedelta(seconds=1)
    handler = _Flaky(failures=0)
    Worker(services.session_factory, {"sms": handler}).run_once()
    row = _row(services, message_id)
    assert handler.reconciled == 1 and handler.calls == 0
    assert row.status == "sent" and row.provider_message_id == "found-at-provider"


def test_default_sender_keeps_messages_in_the_outbox_log(services):
    message_id = _queue(services)
    Worker(services.session_factory, {"sms": OutboxLogSender()}).run_once()
    row = _row(services, message_id)
    assert row.status == "sent" and row.provider_message_id == f"outbox-log-{message_id}" and row.body == "hello"


def test_dedupe_key_prevents_a_second_message_for_the_same_event(services):
    _queue(services, dedupe_key="alert:1:duty")
    with pytest.raises(Exception):
        _queue(services, dedupe_key="alert:1:duty")


def test_two_workers_never_claim_the_same_row(services, database_url):
    if not database_url.startswith("postgres"):
        pytest.skip("FOR UPDATE SKIP LOCKED is PostgreSQL's; SQLite serialises claims with BEGIN IMMEDIATE")
    ids = [_queue(services) for _ in range(30)]
    first = services.session_factory()
    second = services.session_factory()
    try:
        with first.begin():
            claimed_a = claim_due(first, limit=20)
            with second.begin():
                claimed_b = claim_due(second, limit=20)  # does not wait for, or take, the first one's rows
        assert len(claimed_a) == 20 and len(claimed_b) == 10
        assert not {m.id for m in claimed_a} & {m.id for m in claimed_b}
        assert {m.id for m in claimed_a} | {m.id for m in claimed_b} == set(ids)
    finally:
        first.close()
        second.close()


def test_free_text_has_no_update_path_in_the_code():
    """The person's words are never changed: the code has no assignment to FreeText.text."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in list((root / "service").rglob("*.py")) + list((root / "channels").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if re.search(r"\bupdate\(\s*FreeText\b", source) or re.search(r"\.text\s*=\s*(?!.*#\s*erasure)", source) and "FreeText" in source and "privacy" not in str(path):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_worker_schedules_queue_the_daily_retention_run_once(services):
    from service.privacy.retention import RETENTION_TASK, enqueue_daily_retention

    worker = Worker(services.session_factory, {}, schedules=[enqueue_daily_retention])
    worker.run_schedules()
    worker.run_schedules()  # a second worker, or the next hour: nothing new today
    with services.session_factory() as session:
        tasks = list(session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == RETENTION_TASK)))
    assert len(tasks) == 1 and tasks[0].channel == "task"


def test_a_scheduled_job_that_fails_does_not_stop_the_next_one(services):
    """The jobs run one after the other each minute (the retention run queued, then SMS runs past their time
    submitted): the first one's failing skipped the second, every minute (worker audit, lower severity)."""
    from service.privacy.retention import RETENTION_TASK, enqueue_daily_retention

    failures = [RuntimeError("the database went away")]

    def retention_once_failing(session):
        if failures:
            raise failures.pop()
        enqueue_daily_retention(session)

    ran = []
    worker = Worker(services.session_factory, {}, schedules=[retention_once_failing, lambda session: ran.append(True)])
    worker.run_schedules()
    assert ran == [True]
    worker.run_schedules()                  # and the failed one goes at the next round
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.purpose == RETENTION_TASK)) == 1
