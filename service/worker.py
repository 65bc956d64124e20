"""The background worker: claims due outbox rows and hands each to the handler for its channel.

Claim (short transaction) → handle (no transaction open) → record the outcome (short transaction).
Several workers may run at once on PostgreSQL.
"""
from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import timedelta
from typing import Callable, Mapping, Sequence

from sqlalchemy.orm import Session, sessionmaker

from service.outbox.handlers import DeliveryError, Handler, NotTried
from service.outbox.outbox import (DUTY_ALERT, ClaimedMessage, alert_waiting, claim_due, put_off, record_failure, record_sent,
                                   release, still_claimed)
from service.storage.types import utcnow

log = logging.getLogger("msp.worker")

# Alerts to the safeguarding duty team are never given up (see record_failure); staff see them waiting.
NEVER_GIVE_UP = frozenset({DUTY_ALERT})
# A batch taking longer than this gives its unhandled rows back and claims again: each claim puts alerts to
# the duty team first, so one waits at most for the message in hand (a text to a Twilio that does not
# answer: 10 s), not for twenty of them; and no row is handled after its lease (CLAIM_LEASE) ran out and
# another worker could have claimed it.
BATCH_SECONDS = 5.0


class Worker:
    def __init__(self, session_factory: sessionmaker[Session], handlers: Mapping[str, Handler], *, max_attempts: int = 8, batch_size: int = 20,
                 schedules: Sequence[Callable[[Session], object]] = (), schedule_seconds: float = 3600.0):
        self._session_factory = session_factory
        self._handlers = dict(handlers)
        self._max_attempts = max_attempts
        self._batch_size = batch_size
        # Periodic jobs (e.g. the daily retention run) only *enqueue* an outbox task, idempotently per
        # period, so several workers can run them without doing the work twice.
        self._schedules = tuple(schedules)
        self._schedule_seconds = schedule_seconds
        self._next_schedule = 0.0

    def run_schedules(self) -> None:
        """Each job in a transaction of its own: one that fails (and is tried again next time) does not stop
        the others (the retention run's failing used to keep SMS runs past their time from being submitted)."""
        for schedule in self._schedules:
            try:
                with self._session_factory.begin() as session:
                    schedule(session)
            except Exception:  # noqa: BLE001 - logged; the next round tries it again
                log.exception("scheduled job failed", extra={"job": getattr(schedule, "__name__", repr(schedule))})

    def run_once(self) -> int:
        """Process one batch of due messages; return how many were handled."""
        started = time.monotonic()
        with self._session_factory.begin() as session:
            claimed = claim_due(session, limit=self._batch_size, max_attempts=self._max_attempts, never_give_up=NEVER_GIVE_UP)
        not_started = 0   # claimed[not_started:] were never handed to a handler
        try:
            for index, message in enumerate(claimed):
                if index and (time.monotonic() - started > BATCH_SECONDS or message.purpose != DUTY_ALERT and self._alert_waiting()):
                    with self._session_factory.begin() as session:
                        release(session, claimed[index:])
                    return index
                # Counted as started before it is handled: if recording its outcome fails (the database went
                # away), it may have gone out, so it stays "sending" and is reconciled when its lease runs out.
                not_started = index + 1
                self._process(message)
        except BaseException:
            # Without this the rest of the batch would wait out its lease, then be claimed one at a time,
            # reconciled and charged a try as if a worker had died on each.
            self._give_back_after_error(claimed[not_started:])
            raise
        return len(claimed)

    def _give_back_after_error(self, messages: list[ClaimedMessage]) -> None:
        """Best effort, in a transaction of its own: the error that stopped the batch may have been the
        database's, and may happen again here. Then the rows wait out their lease, as they would have."""
        if not messages:
            return
        try:
            with self._session_factory.begin() as session:
                release(session, messages)
        except Exception:  # noqa: BLE001 - the batch's own error is the one to report (it is re-raised)
            log.warning("could not give back the %d unhandled rows of a failed batch (outbox ids %s); they are claimed "
                        "again when their lease runs out", len(messages), ", ".join(str(m.id) for m in messages), exc_info=True)

    def _alert_waiting(self) -> bool:
        with self._session_factory() as session:
            return alert_waiting(session)

    def run_until_idle(self, max_batches: int = 1000) -> int:
        total = 0
        for _ in range(max_batches):
            count = self.run_once()
            total += count
            if count == 0:
                break
        return total

    def run_forever(self, poll_seconds: float = 1.0, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            try:
                signal.signal(signum, lambda *_: stop.set())
            except ValueError:  # not the main thread (tests)
                pass
        log.info("worker started")
        while not stop.is_set():
            try:
                if time.monotonic() >= self._next_schedule:
                    self._next_schedule = time.monotonic() + self._schedule_seconds
                    self.run_schedules()
                busy = self.run_once()
            except Exception:  # a database hiccup must not kill the worker; rows stay durable
                log.exception("worker batch failed")
                busy = 0
            if not busy:
                stop.wait(poll_seconds)
        log.info("worker stopped")

    def _process(self, message: ClaimedMessage) -> None:
        with self._session_factory() as session:
            if not still_claimed(session, message):
                log.warning("outbox message no longer this worker's (its lease ran out); left to its new claimer",
                            extra={"outbox_id": message.id})
                return
        handler = self._handlers.get(message.channel)
        try:
            if handler is None:
                raise DeliveryError(f"no handler for channel '{message.channel}'", final=False)
            outcome = None
            if message.reclaimed:
                outcome = handler.reconcile(message)
            if outcome is None:
                outcome = handler.handle(message)
        except NotTried as error:
            with self._session_factory.begin() as session:
                put_off(session, message, str(error), utcnow() + timedelta(seconds=error.retry_in))
            log.info("outbox message put off: its server failed a moment ago", extra={"outbox_id": message.id})
            return
        except DeliveryError as error:
            with self._session_factory.begin() as session:
                status = record_failure(session, message.id, str(error), final=error.final, max_attempts=self._max_attempts,
                                        never_give_up=NEVER_GIVE_UP, lease=message.lease)
            log.warning("outbox message not delivered", extra={"outbox_id": message.id, "status": status, "error_code": error.code})
            return
        except Exception as error:  # a bug in a handler: retry with back-off, then show staff
            with self._session_factory.begin() as session:
                # Only the type: an exception's text can quote data (SQL parameters, people's words), and
                # last_error is shown to staff. The log line has where it happened.
                status = record_failure(session, message.id, f"{type(error).__name__} (see the worker log)", final=False,
                                        max_attempts=self._max_attempts, never_give_up=NEVER_GIVE_UP, lease=message.lease)
            log.exception("outbox handler crashed", extra={"outbox_id": message.id, "status": status})
            return
        with self._session_factory.begin() as session:
            record_sent(session, message.id, provider_message_id=outcome.provider_message_id, note=outcome.note)
