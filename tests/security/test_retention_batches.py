"""Retention in batches (audit meetings 3): one batch is `apply_retention` (at most BATCH * 20 texts, action words,
contacts and outbox messages, in the caller's transaction); a run goes batch after batch, each in a transaction of
its own, until none is left, so a backlog (a first run on an older database, a lowered RETENTION_FREE_TEXT_MONTHS,
a worker down for weeks) is not left verbatim for days. Shown with BATCH = 1: 20 rows a batch."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from channels.meetings.models import Meeting, MeetingAction
from service.outbox.outbox import enqueue
from service.privacy import retention
from service.privacy.retention import RETENTION_TASK, apply_retention, apply_retention_in_batches, retention_task
from service.storage.orm import Contact, FreeText, OutboxMessage

from .conftest import bearer

OLD = timedelta(days=31 * 30)        # past both limits (12 and 24 months)
MANY = 45                            # more than two batches of 20


@pytest.fixture
def backlog(services, seed, monkeypatch):
    """MANY aged texts, action words, contacts and finished outbox messages, with batches of 20."""
    from service.storage.types import utcnow

    monkeypatch.setattr(retention, "BATCH", 1)
    old = utcnow() - OLD
    with services.session_factory.begin() as session:
        meeting = Meeting(provider_id=seed.provider_a, held_on=old.date(), language="en", created_by="chair", created_at=old)
        session.add(meeting)
        session.flush()
        for n in range(MANY):
            session.add(FreeText(submission_id=seed.sub_b_named, question_id=f"q{n}", language="en", created_at=old,
                                 text=f"Issue {n}: Mrs Patel says the food is cold"))
            session.add(MeetingAction(meeting_id=meeting.id, what=f"Ask Mrs Patel about issue {n}", owner="Manager",
                                      status="done", created_at=old))
            session.add(Contact(preference="sms", phone=f"07711 500{n:03d}", last_contact_at=old))
            enqueue(session, channel="sms", purpose="thank_you", recipient=f"+447700900{n:03d}", body="Thanks Mrs Patel")
        session.execute(OutboxMessage.__table__.update().where(OutboxMessage.purpose == "thank_you")
                        .values(status="sent", created_at=old))


def _left(services) -> dict[str, int]:
    with services.session_factory() as session:
        def count(model, *where):
            return session.scalar(select(func.count()).select_from(model).where(*where))
        return {"texts": count(FreeText, FreeText.text.contains("Mrs Patel")),
                "actions": count(MeetingAction, MeetingAction.what.contains("Mrs Patel")),
                "contacts": count(Contact, Contact.phone.is_not(None), Contact.erased_at.is_(None), Contact.phone.like("07711 500%")),
                "outbox": count(OutboxMessage, OutboxMessage.body.contains("Mrs Patel"))}


def test_one_batch_says_more_is_to_do_and_a_run_goes_on_until_none_is_left(services, backlog):
    with services.session_factory.begin() as session:
        first = apply_retention(session)
    assert first.more_to_do and first.texts_redacted == 20 and first.contacts_erased >= 20 and first.outbox_blanked == 20
    assert _left(services)["texts"] == MANY - 20

    seen = []
    totals = apply_retention_in_batches(services.session_factory, on_batch=lambda batch, so_far: seen.append(
        (batch.texts_redacted, batch.more_to_do, so_far.batches)))
    assert _left(services) == {"texts": 0, "actions": 0, "contacts": 0, "outbox": 0}
    assert totals.texts_redacted == MANY - 20 and totals.derived_rows_changed["meeting_actions"] == MANY - 20
    assert not totals.more_to_do and totals.batches == len(seen) == 2
    assert seen == [(20, True, 1), (MANY - 40, False, 2)]
    # Idempotent: nothing is left, nothing changes.
    again = apply_retention_in_batches(services.session_factory)
    assert not again.changed and not again.more_to_do and again.batches == 1


def test_the_worker_task_goes_on_for_a_while_then_queues_the_rest(services, backlog):
    """The worker handles one message at a time: a task of hours would keep alerts to the duty team waiting. A task
    out of time after its first batch queues the rest as a task of its own, once, which goes on where it stopped."""
    from service.outbox.outbox import claim_due

    with services.session_factory.begin() as session:
        enqueue(session, channel="task", purpose=RETENTION_TASK, dedupe_key="apply_retention:today")
    with services.session_factory.begin() as session:
        [task] = [m for m in claim_due(session, limit=200) if m.purpose == RETENTION_TASK]
    out_of_time = retention_task(services.session_factory, seconds=0)
    out_of_time(task)
    assert _left(services)["texts"] == MANY - 20
    out_of_time(task)   # handled again (the worker died before recording it): the rest is queued once only
    with services.session_factory() as session:
        queued = session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.purpose == RETENTION_TASK,
                                                                        OutboxMessage.status == "pending")).all()
    assert queued == [f"apply_retention:after:{task.id}"]

    retention_task(services.session_factory)(task)   # with time enough: until none is left
    assert _left(services) == {"texts": 0, "actions": 0, "contacts": 0, "outbox": 0}


def test_the_cli_applies_retention_until_none_is_left(cli_env, services, backlog):
    from service.auth.cli import privacy

    result = cli_env.invoke(privacy, ["apply-retention"])
    assert result.exit_code == 0, result.output
    assert _left(services) == {"texts": 0, "actions": 0, "contacts": 0, "outbox": 0}
    assert f"texts cut to their redacted form: {MANY}" in result.output and "(3 batches)" in result.output


def test_the_api_runs_one_batch_and_says_whether_more_is_to_do(client, services, backlog, admin_token):
    answer = client.simulate_post("/api/v1/privacy/retention", headers=bearer(admin_token))
    assert answer.status_code == 200
    assert answer.json["texts_redacted"] == 20 and answer.json["more_to_do"] is True
    assert set(answer.json) == {"contacts_erased", "outbox_blanked", "texts_redacted", "derived_rows_changed", "more_to_do"}
