"""The outbox handler for channel "sms": Twilio when configured, the outbox log otherwise.

One queue: the foundation's outbox and worker. The worker claims a row (short transaction), calls
`handle` with no transaction open, and records the outcome (short transaction). This handler adds:

* a send-time check: a number that said STOP gets nothing (STOP may arrive after a text was queued),
  and a question of a conversation that has ended or expired is not sent;
* never two texts for one outbox row. Before calling Twilio the handler writes an attempt marker on the
  row (`payload.twilio_attempt_at`, committed); straight after, it records Twilio's message SID. A row a
  crashed worker left "sending" is reconciled: fetched by its SID when one was recorded, otherwise
  looked up at Twilio among recent messages to that number with the same body created after the
  marker. Only when Twilio has no such message is it sent again. The same lookup runs before a retry
  whose earlier attempt ended in a network error (the request may have reached Twilio), and a row that
  has a Twilio SID is never sent again, whatever failed after Twilio accepted it;
* Twilio's errors mapped to retry-later or failed-for-good (DeliveryError.final). 21610 (the number
  replied STOP to Twilio) also records the opt-out.

Error texts stored on the row name the Twilio error code, never the number or the body.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from channels.sms import flows
from channels.sms.models import OPEN, SmsConversation
from channels.sms.phone import phone_hash
from service.config import Settings
from service.outbox.handlers import OUTBOX_LOG_PREFIX, DeliveryError, Handler, Outcome
from service.outbox.outbox import ClaimedMessage, record_provider_id
from service.privacy.erasure import ERASED, queue_twilio_deletion
from service.storage.database import make_engine, make_session_factory
from service.storage.orm import OutboxMessage
from service.storage.types import utcnow

log = logging.getLogger("msp.sms.sending")

# twilio's HTTP client logs request URLs and query parameters (a phone number) at INFO: keep it quiet.
_twilio_http_log = logging.getLogger("msp.sms.twilio_http")
_twilio_http_log.setLevel(logging.WARNING)

ATTEMPT_MARKER = "twilio_attempt_at"
STATUS_PATH = "/sms/twilio/status"
TWILIO_TIMEOUT_SECONDS = 10.0
LOOKUP_WINDOW = timedelta(minutes=5)        # clock skew allowance when matching a message at Twilio
CONVERSATION_PURPOSES = frozenset({"invitation", "question", "reprompt"})

# Twilio REST error codes (https://www.twilio.com/docs/api/errors) for which a retry cannot help.
FINAL_CODES: dict[int, str] = {
    21610: "the recipient has opted out (replied STOP)",
    21211: "the 'To' number is not a valid phone number",
    21212: "the 'From' number is not valid",
    21408: "sending to this region is not enabled on the account",
    21601: "the 'To' number is not a valid SMS destination",
    21602: "the message body is required",
    21604: "the 'To' number is required",
    21606: "the 'From' number cannot send SMS",
    21612: "the message cannot be routed to the 'To' number",
    21614: "the 'To' number is not a mobile number",
    21617: "the message body is too long",
    21703: "the Messaging Service has no numbers",
}
RETRY_CODES: dict[int, str] = {
    20003: "authentication failed (check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)",
    20429: "too many requests",
    20500: "Twilio internal error",
    20503: "Twilio unavailable",
    30001: "queue overflow",
}


def map_twilio_error(status: int | None, code: int | None) -> DeliveryError:
    """A Twilio REST error as a DeliveryError: final when no retry can help."""
    if code in FINAL_CODES:
        return DeliveryError(f"Twilio error {code}: {FINAL_CODES[code]}", final=True, code=str(code))
    if code in RETRY_CODES:
        return DeliveryError(f"Twilio error {code}: {RETRY_CODES[code]}", final=False, code=str(code))
    status = status or 0
    if status == 429 or status >= 500 or status in (401, 403):
        # Rate limits and outages pass; credentials can be fixed by staff before the retries run out.
        return DeliveryError(f"Twilio error {code or '-'} (HTTP {status}): try again later", final=False, code=str(code or status))
    return DeliveryError(f"Twilio error {code or '-'} (HTTP {status}): the request was refused", final=True, code=str(code or status))


@dataclass(frozen=True)
class SentMessage:
    sid: str
    to: str
    body: str
    created: datetime | None


class Transport(Protocol):
    def send(self, *, to: str, body: str, status_callback: str | None) -> str: ...
    def fetch(self, sid: str) -> SentMessage | None: ...
    def recent_to(self, to: str, limit: int = 50) -> list[SentMessage]: ...
    def delete(self, sid: str) -> bool: ...


class TransportError(Exception):
    """Twilio answered with an error (status and code known): the request was not accepted."""

    def __init__(self, status: int | None, code: int | None):
        super().__init__(f"Twilio error {code} (HTTP {status})")
        self.status = status
        self.code = code


class TwilioTransport:
    """twilio's real Client. `api_base_url` points it at a local mock (tests, development)."""

    def __init__(self, settings: Settings):
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        self._client = Client(settings.twilio_account_sid, settings.twilio_auth_token,
                              http_client=TwilioHttpClient(timeout=TWILIO_TIMEOUT_SECONDS, logger=_twilio_http_log))
        if settings.twilio_api_base_url:
            self._client.api.base_url = settings.twilio_api_base_url.rstrip("/")
        self._from = settings.twilio_from_number
        self._service = settings.twilio_messaging_service_sid

    def send(self, *, to: str, body: str, status_callback: str | None) -> str:
        from twilio.base.exceptions import TwilioRestException

        options: dict[str, str] = {"to": to, "body": body}
        if self._service:
            options["messaging_service_sid"] = self._service
        else:
            options["from_"] = self._from
        if status_callback:
            options["status_callback"] = status_callback
        try:
            return self._client.messages.create(**options).sid
        except TwilioRestException as error:
            raise TransportError(error.status, error.code) from None

    def fetch(self, sid: str) -> SentMessage | None:
        from twilio.base.exceptions import TwilioRestException

        try:
            found = self._client.messages(sid).fetch()
        except TwilioRestException as error:
            if error.status == 404:
                return None
            raise TransportError(error.status, error.code) from None
        return SentMessage(found.sid, found.to or "", found.body or "", found.date_created)

    def recent_to(self, to: str, limit: int = 50) -> list[SentMessage]:
        from twilio.base.exceptions import TwilioRestException

        try:
            found = self._client.messages.list(to=to, limit=limit, page_size=limit)
        except TwilioRestException as error:
            raise TransportError(error.status, error.code) from None
        return [SentMessage(m.sid, m.to or "", m.body or "", m.date_created) for m in found]

    def delete(self, sid: str) -> bool:
        """Delete the message (its numbers and body) from the account's log at Twilio. False when Twilio has no
        such message (404: already deleted), which is as good."""
        from twilio.base.exceptions import TwilioRestException

        try:
            return bool(self._client.messages(sid).delete())
        except TwilioRestException as error:
            if error.status == 404:
                return False
            raise TransportError(error.status, error.code) from None


def find_sent(candidates: list[SentMessage], *, to: str, body: str, since: datetime) -> SentMessage | None:
    """The message Twilio already has for this row: same number and body, created after our attempt began."""
    for message in candidates:
        created = message.created
        if created is not None and created.tzinfo is None:
            created = created.replace(tzinfo=timezone.utc)
        if message.to == to and message.body.strip() == body.strip() and (created is None or created >= since - LOOKUP_WINDOW):
            return message
    return None


class SmsHandler:
    """Handler for channel "sms". With `transport=None` texts stay in the outbox log (no Twilio settings)."""

    def __init__(self, settings: Settings, session_factory: sessionmaker[Session] | None, transport: Transport | None):
        self._settings = settings
        self._factory = session_factory
        self._transport = transport
        self._status_callback = settings.public_base_url + STATUS_PATH

    @property
    def session_factory(self) -> sessionmaker[Session]:
        if self._factory is None:
            self._factory = make_session_factory(make_engine(self._settings.database_url))
        return self._factory

    # -- the worker's interface --

    def handle(self, message: ClaimedMessage) -> Outcome:
        if self._transport is not None and message.provider_message_id:
            # Twilio gave this row a SID: it accepted the text. Whatever failed after that, never send again.
            return Outcome(provider_message_id=message.provider_message_id)
        earlier_attempt = self._check_and_mark(message)
        if self._transport is None:
            log.info("sms kept in the outbox log (no Twilio settings)", extra={"outbox_id": message.id, "purpose": message.purpose})
            return Outcome(provider_message_id=f"{OUTBOX_LOG_PREFIX}{message.id}")
        if earlier_attempt is not None:
            # The earlier attempt may have reached Twilio (network error, crash): look before sending again.
            found = self._lookup(message, earlier_attempt)
            if found is not None:
                return Outcome(provider_message_id=found)
        try:
            sid = self._transport.send(to=message.recipient or "", body=message.body, status_callback=self._status_callback)
        except TransportError as error:
            self._clear_marker(message.id)   # Twilio refused it: nothing was sent
            mapped = map_twilio_error(error.status, error.code)
            if error.code == 21610 and message.recipient:
                with self.session_factory.begin() as session:
                    flows.carry_over_opt_out(session, self._settings, message.recipient)
                    flows.set_opt_out(session, phone_hash(message.recipient, self._settings.secret_key), True, source="error_21610")
            raise mapped from None
        except Exception as error:   # network: the request may or may not have reached Twilio
            raise DeliveryError(f"Twilio not reached ({type(error).__name__}); will look before sending again", final=False, code="network") from None
        self._remember_sid(message.id, sid)
        return Outcome(provider_message_id=sid)

    def reconcile(self, message: ClaimedMessage) -> Outcome | None:
        """A crashed worker left this row "sending": did the text go? Outcome if yes, None if not."""
        if self._transport is None:
            return None   # handle() re-checks and keeps it in the outbox log; nothing can have gone out
        if message.provider_message_id:
            try:
                found = self._transport.fetch(message.provider_message_id)
            except TransportError as error:
                raise DeliveryError(f"Twilio lookup failed ({error.code}); will look again", final=False, code=str(error.code)) from None
            except Exception as error:
                raise DeliveryError(f"Twilio not reached for the lookup ({type(error).__name__})", final=False, code="network") from None
            if found is not None:   # Twilio has the message under the SID we recorded: it went
                return Outcome(provider_message_id=message.provider_message_id)
        marker = (message.payload or {}).get(ATTEMPT_MARKER)
        if not marker:
            return None   # the crash came before the attempt began: nothing reached Twilio
        found_sid = self._lookup(message, datetime.fromisoformat(marker))
        return Outcome(provider_message_id=found_sid) if found_sid else None

    # -- helpers --

    def _lookup(self, message: ClaimedMessage, since: datetime) -> str | None:
        try:
            candidates = self._transport.recent_to(message.recipient or "")
        except TransportError as error:
            raise DeliveryError(f"Twilio lookup failed ({error.code}); will look again", final=False, code=str(error.code)) from None
        except Exception as error:
            raise DeliveryError(f"Twilio not reached for the lookup ({type(error).__name__})", final=False, code="network") from None
        found = find_sent(candidates, to=message.recipient or "", body=message.body, since=since)
        if found is not None:
            self._remember_sid(message.id, found.sid)
            log.info("sms found at Twilio; not sent again", extra={"outbox_id": message.id})
            return found.sid
        return None

    def _remember_sid(self, message_id: int, sid: str) -> None:
        """Record Twilio's SID on the row. The person may have been erased while the text was on its way:
        erasure saw no SID to delete at Twilio then, so the copy Twilio keeps is queued for deletion here. The
        row is locked, as erasure locks it, so one of the two sees the other."""
        with self.session_factory.begin() as session:
            row = session.get(OutboxMessage, message_id, with_for_update=True)
            if row is None:
                return
            record_provider_id(session, message_id, sid)
            if (row.payload or {}).get(ERASED):
                queue_twilio_deletion(session, [sid])

    def _check_and_mark(self, message: ClaimedMessage) -> datetime | None:
        """Send-time rules, then the attempt marker (committed before any call to Twilio).
        Returns the time of an earlier unfinished attempt, if there was one."""
        reason = earlier = None
        with self.session_factory.begin() as session:
            row = session.get(OutboxMessage, message.id, with_for_update=True)
            if row is None:
                reason = "the outbox row is gone"
            elif row.status != "sending" or not row.recipient or (row.payload or {}).get(ERASED):
                # Withdrawn after the worker claimed it (the person erased, the text cancelled): the row as it
                # is now decides, not the copy claimed a moment ago. Left as the withdrawal left it.
                reason = "withdrawn after it was claimed (cancelled, or its person's data erased)"
            elif reason := self._refusal(session, message):
                # Committed as "cancelled" (not "failed"): nothing went wrong, the text must not go.
                row.status, row.last_error, row.claimed_until = "cancelled", reason, None
            else:
                payload = dict(row.payload or {})
                earlier = payload.get(ATTEMPT_MARKER)
                if self._transport is not None:
                    payload[ATTEMPT_MARKER] = utcnow().isoformat()
                    row.payload = payload
        if reason:
            raise DeliveryError(reason, final=True, code="cancelled")
        return datetime.fromisoformat(earlier) if earlier else None

    def _refusal(self, session: Session, message: ClaimedMessage) -> str | None:
        if not message.recipient:
            return "no recipient"
        flows.carry_over_opt_out(session, self._settings, message.recipient)
        if message.purpose not in flows.OPT_OUT_EXEMPT_PURPOSES and flows.is_opted_out(
                session, phone_hash(message.recipient, self._settings.secret_key)):
            return "the recipient opted out (STOP)"
        conversation_id = (message.payload or {}).get("conversation_id")
        if conversation_id and message.purpose in CONVERSATION_PURPOSES:
            conv = session.get(SmsConversation, conversation_id)
            if conv is not None and (conv.status != OPEN or conv.expires_at <= utcnow()):
                return f"the conversation has ended ({conv.status if conv.status != OPEN else 'expired'})"
        return None

    def _clear_marker(self, message_id: int) -> None:
        with self.session_factory.begin() as session:
            row = session.get(OutboxMessage, message_id, with_for_update=True)
            if row is not None and ATTEMPT_MARKER in (row.payload or {}):
                payload = dict(row.payload)
                payload.pop(ATTEMPT_MARKER)
                row.payload = payload


def build_sms_handler(settings: Settings, session_factory: sessionmaker[Session] | None = None) -> Handler:
    """Twilio when TWILIO_* settings are given; otherwise texts stay in the outbox log for staff to read.

    Either way the send-time rules (opt-out, ended conversations) apply. Pass the worker's session
    factory; without one the handler opens its own engine on DATABASE_URL when first used.
    """
    transport = TwilioTransport(settings) if settings.twilio_enabled else None
    return SmsHandler(settings, session_factory, transport)
