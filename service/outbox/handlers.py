"""What the worker does with each outbox channel.

A handler's `handle` runs outside any database transaction (never hold one across a provider call) and
returns an `Outcome`. Provider failures are one exception type, `DeliveryError`, that says whether a
retry could help.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from service.outbox.outbox import ClaimedMessage

log = logging.getLogger("msp.outbox")


class DeliveryError(Exception):
    def __init__(self, message: str, *, final: bool, code: str | None = None):
        super().__init__(message)
        self.final = final
        self.code = code


class NotTried(DeliveryError):
    """The handler did not try: its server failed a moment ago and is left to rest (see SmtpSender). The row is
    given back without using up a try and falls due again in `retry_in` seconds, when the server is tried
    again: so a server that does not answer costs one timeout a rest, not one a message."""

    def __init__(self, message: str, *, retry_in: float):
        super().__init__(message, final=False)
        self.retry_in = retry_in


@dataclass(frozen=True)
class Outcome:
    provider_message_id: str | None = None
    # Sent, but something staff should know (a mail server that refused one of several recipients).
    note: str | None = None


class Handler(Protocol):
    def handle(self, message: ClaimedMessage) -> Outcome:
        """Deliver or perform the message. Raise DeliveryError on failure."""

    def reconcile(self, message: ClaimedMessage) -> Outcome | None:
        """A crashed worker left this row "sending": return an Outcome if it was in fact delivered,
        None if it was not (then it is handled again), or raise DeliveryError."""


OUTBOX_LOG_PREFIX = "outbox-log-"   # the provider id of a message kept in the outbox log, never sent


def kept_in_outbox_log(message) -> bool:
    """Was this message (an outbox row) only kept in the outbox log, with no mail server or Twilio set up?"""
    return message.status == "sent" and (message.provider_message_id or "").startswith(OUTBOX_LOG_PREFIX)


class OutboxLogSender:
    """The embedded default when no Twilio or SMTP settings are given: no network.

    The message is recorded as delivered to the outbox log, where staff can read it; only its id and
    channel are logged, never its recipient or body.
    """

    def handle(self, message: ClaimedMessage) -> Outcome:
        log.info("outbox message kept in the outbox log", extra={"outbox_id": message.id, "channel": message.channel, "purpose": message.purpose})
        return Outcome(provider_message_id=f"{OUTBOX_LOG_PREFIX}{message.id}")

    def reconcile(self, message: ClaimedMessage) -> Outcome | None:
        return Outcome(provider_message_id=f"{OUTBOX_LOG_PREFIX}{message.id}")
