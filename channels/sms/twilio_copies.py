"""Deleting Twilio's copies of the texts exchanged with a person whose data was erased.

Twilio keeps every message (both numbers and the body) in the account's message log until it is deleted.
Erasure (service/privacy/erasure.py) queues one outbox task, purpose DELETE_AT_TWILIO, with the SIDs of the
texts it found and nothing else; the worker runs it here, with no database transaction open, through
twilio's client: DELETE /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json for each.

* Twilio has no such message (404): it is gone already, which is what was asked.
* A message Twilio has not finished with (still queued or sending; error 20009) cannot be deleted yet, and
  an outage or a refused credential may pass: tried again with the outbox's back-off, then shown to staff
  as a failed background task (with "Try again now").
* The SIDs deleted are taken off the task as it goes, so a later try asks only for the rest.

Nothing here logs or stores a number or words: Twilio's answers are reduced to their error code.
"""
from __future__ import annotations

import logging
import time

from sqlalchemy.orm import Session, sessionmaker

from channels.sms.sending import TransportError, Transport, TwilioTransport, map_twilio_error
from service.config import Settings
from service.outbox.handlers import DeliveryError
from service.outbox.outbox import ClaimedMessage
from service.storage.orm import OutboxMessage

log = logging.getLogger("msp.sms.twilio_copies")

NOT_FINISHED = 20009   # "Cannot delete this resource before it is complete": try again in a few minutes
# A task stops asking Twilio after this long and goes on at its next try (with what is left): it must not
# outlive its claim (two minutes) when Twilio answers slowly.
RUN_SECONDS = 60.0


class DeleteAtTwilio:
    """The task function for DELETE_AT_TWILIO. `transport=None`: Twilio is not configured (now)."""

    def __init__(self, session_factory: sessionmaker[Session], transport: Transport | None):
        self._factory = session_factory
        self._transport = transport

    def __call__(self, message: ClaimedMessage) -> None:
        sids = [sid for sid in (message.payload or {}).get("sids", []) if isinstance(sid, str)]
        if not sids:
            return
        if self._transport is None:
            raise DeliveryError("Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): its copies of "
                                f"{len(sids)} text(s) cannot be deleted until it is", final=False, code="not_configured")
        started = time.monotonic()
        left: list[str] = []
        errors: list[DeliveryError] = []
        for index, sid in enumerate(sids):
            if time.monotonic() - started > RUN_SECONDS:
                left += sids[index:]
                errors.append(DeliveryError("Twilio answered slowly; the rest at the next try", final=False, code="slow"))
                break
            try:
                self._transport.delete(sid)
            except TransportError as error:
                left.append(sid)
                errors.append(_deletion_error(error))
            except Exception as error:   # noqa: BLE001 - network: Twilio not reached; the rest would fail alike
                left += sids[index:]
                errors.append(DeliveryError(f"Twilio not reached ({type(error).__name__})", final=False, code="network"))
                break
        if not left:
            log.info("copies at Twilio deleted", extra={"outbox_id": message.id, "count": len(sids)})
            return
        if len(left) < len(sids):
            self._keep_only(message.id, left)
        first = errors[0]
        raise DeliveryError(f"{len(sids) - len(left)} of {len(sids)} copies at Twilio deleted, {len(left)} left: {first}",
                            final=all(error.final for error in errors), code=first.code)

    def _keep_only(self, message_id: int, left: list[str]) -> None:
        with self._factory.begin() as session:
            row = session.get(OutboxMessage, message_id, with_for_update=True)
            if row is not None:
                row.payload = {**(row.payload or {}), "sids": left}


def _deletion_error(error: TransportError) -> DeliveryError:
    if error.code == NOT_FINISHED:
        return DeliveryError(f"Twilio error {NOT_FINISHED}: the message is still being sent or received; it can be "
                             "deleted a few minutes later", final=False, code=str(NOT_FINISHED))
    return map_twilio_error(error.status, error.code)


def build_twilio_deletion(settings: Settings, session_factory: sessionmaker[Session]) -> DeleteAtTwilio:
    return DeleteAtTwilio(session_factory, TwilioTransport(settings) if settings.twilio_enabled else None)
