"""Races between workers on the outbox (found by a second review), played out step by step: a batch a worker
gives back must not take back a row another worker has claimed since (it would be claimed a third time and
sent twice), and a slow worker's failure must not undo another's claim."""
from __future__ import annotations

from datetime import timedelta

from service.outbox.outbox import CLAIM_LEASE, claim_due, enqueue, record_failure, release
from service.storage.orm import OutboxMessage
from service.storage.types import utcnow


def _two_rows(services) -> tuple[int, int]:
    with services.session_factory.begin() as session:
        first = enqueue(session, channel="email", purpose="receipt", recipient="a@example.org", body="slow").id
        second = enqueue(session, channel="email", purpose="receipt", recipient="b@example.org", body="other").id
    return first, second


def test_a_batch_given_back_does_not_take_back_a_row_another_worker_claimed_since(services):
    first, second = _two_rows(services)
    with services.session_factory.begin() as session:
        batch_a = claim_due(session)                     # worker A: both rows; the first takes longer than the lease
    assert [m.id for m in batch_a] == [first, second]
    later = utcnow() + CLAIM_LEASE + timedelta(seconds=1)
    with services.session_factory.begin() as session:
        assert [m.id for m in claim_due(session, now=later)] == [first]      # worker B: a left-over row, alone
    with services.session_factory.begin() as session:
        batch_c = claim_due(session, now=later)                              # worker C: the next one, and sends it
    assert [m.id for m in batch_c] == [second] and batch_c[0].reclaimed
    with services.session_factory.begin() as session:
        release(session, batch_a[1:])                    # A gives back the rest of its batch
    with services.session_factory() as session:
        row = session.get(OutboxMessage, second)
        assert row.status == "sending" and row.claimed_until == batch_c[0].lease     # still C's
    with services.session_factory.begin() as session:
        assert claim_due(session, now=later) == []       # nobody else gets it while C holds it


def test_a_slow_workers_failure_does_not_undo_another_workers_claim(services):
    first, _second = _two_rows(services)
    with services.session_factory.begin() as session:
        mine = claim_due(session, limit=1)[0]
    later = utcnow() + CLAIM_LEASE + timedelta(seconds=1)
    with services.session_factory.begin() as session:
        theirs = claim_due(session, limit=1, now=later)[0]
    assert theirs.id == mine.id == first
    with services.session_factory.begin() as session:
        status = record_failure(session, mine.id, "timed out", final=False, max_attempts=8, lease=mine.lease)
    assert status == "sending"
    with services.session_factory() as session:
        assert session.get(OutboxMessage, first).claimed_until == theirs.lease
