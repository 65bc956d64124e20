"""A batch the worker claimed is stopped half-way by an error that is not a handler's (the database went away
while the outcome of one message was being recorded): the rest of the batch, never handed to a handler, is
given back at once and not charged a try. Before, it waited out its lease (2 minutes), was then claimed one
row at a time as if a worker had died on each, and charged an extra try each (found by an operations audit,
with pg_terminate_backend; here the database refuses one statement, which it does the same way on both).
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy import Engine, select, text

from service.outbox.handlers import Outcome
from service.outbox.outbox import enqueue
from service.storage.orm import OutboxMessage
from service.worker import Worker

BODIES = ("first", "second", "third", "fourth", "fifth")


class Mailbox:
    def __init__(self) -> None:
        self.handled: list[str] = []

    def handle(self, message):
        self.handled.append(message.body)
        return Outcome(provider_message_id=f"<outbox-{message.id}>")

    def reconcile(self, message):
        return None


@contextmanager
def database_refuses(engine: Engine, name: str, when: str, message: str, *, table: str = "outbox",
                     event: str = "UPDATE") -> Iterator[None]:
    """The database itself fails every `event` (UPDATE, INSERT) on `table` that matches `when` (SQL on OLD and NEW)."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                                    f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$"))
            connection.execute(text(f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW WHEN ({when}) "
                                    f"EXECUTE FUNCTION {name}()"))
        else:
            connection.execute(text(f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {when} "
                                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"))
    try:
        yield
    finally:
        with engine.begin() as connection:
            connection.execute(text(f"DROP TRIGGER {name}" + (f" ON {table}" if engine.dialect.name == "postgresql" else "")))
            if engine.dialect.name == "postgresql":
                connection.execute(text(f"DROP FUNCTION {name}()"))


def _queue(services) -> None:
    with services.session_factory.begin() as session:
        for body in BODIES:
            enqueue(session, channel="email", purpose="receipt", recipient="a@example.org", body=body)


def _rows(services) -> dict[str, tuple[str, int]]:
    with services.session_factory() as session:
        return {body: (status, attempts) for body, status, attempts in
                session.execute(select(OutboxMessage.body, OutboxMessage.status, OutboxMessage.attempts))}


def test_the_rest_of_a_batch_stopped_by_a_database_error_is_given_back_without_a_try(services, engine):
    _queue(services)
    mailbox = Mailbox()
    worker = Worker(services.session_factory, {"email": mailbox})
    with database_refuses(engine, "test_outbox_lost", "NEW.status = 'sent' AND OLD.body = 'third'", "the database went away"):
        with pytest.raises(Exception, match="the database went away"):
            worker.run_once()
    assert mailbox.handled == ["first", "second", "third"]
    assert _rows(services) == {
        "first": ("sent", 1), "second": ("sent", 1),
        # It may have gone out before its outcome was lost: left to be reconciled when its lease runs out.
        "third": ("sending", 1),
        "fourth": ("pending", 0), "fifth": ("pending", 0),
    }
    assert worker.run_once() == 2          # at once, not after the lease
    assert mailbox.handled[3:] == ["fourth", "fifth"]
    assert {body: row for body, row in _rows(services).items() if body in ("fourth", "fifth")} == {
        "fourth": ("sent", 1), "fifth": ("sent", 1)}


def test_when_giving_the_rest_back_fails_too_the_first_error_is_the_one_raised(services, engine, caplog):
    _queue(services)
    mailbox = Mailbox()
    worker = Worker(services.session_factory, {"email": mailbox})
    with database_refuses(engine, "test_outbox_lost", "NEW.status = 'sent' AND OLD.body = 'third'", "the database went away"), \
            database_refuses(engine, "test_outbox_still_lost", "NEW.status = 'pending'", "still away"), \
            caplog.at_level(logging.WARNING, logger="msp.worker"):
        with pytest.raises(Exception, match="the database went away"):
            worker.run_once()
    assert "could not give back the 2 unhandled rows of a failed batch" in caplog.text
    rows = _rows(services)
    assert rows["fourth"] == rows["fifth"] == ("sending", 1)     # as before: they wait out their lease
