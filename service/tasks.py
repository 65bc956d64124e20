"""Background tasks that travel through the outbox (channel "task"), dispatched by purpose."""
from __future__ import annotations

from typing import Callable, Mapping

from service.outbox.handlers import DeliveryError, Outcome
from service.outbox.outbox import ClaimedMessage

TaskFunction = Callable[[ClaimedMessage], None]


class TaskHandler:
    """Runs a task function for the message's purpose. Tasks are idempotent, so a crashed run is redone."""

    def __init__(self, tasks: Mapping[str, TaskFunction]):
        self._tasks = dict(tasks)

    def handle(self, message: ClaimedMessage) -> Outcome:
        task = self._tasks.get(message.purpose)
        if task is None:
            raise DeliveryError(f"no task registered for '{message.purpose}'", final=False)
        task(message)
        return Outcome()

    def reconcile(self, message: ClaimedMessage) -> Outcome | None:
        return None  # idempotent: run it again
