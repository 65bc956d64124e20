"""The SMTP sender for the outbox channel "email" (used when SMTP_URL is set)."""
from __future__ import annotations

import smtplib
import socket
import ssl
import time
from email.message import EmailMessage
from email.utils import formatdate

from service.outbox import outbox
from service.outbox.handlers import DeliveryError, NotTried, Outcome
from service.outbox.outbox import DUTY_ALERT, ClaimedMessage
from service.outbox.smtp_url import parse_smtp_url
from service.watchdog import Watchdog


# What the server answered (a refusal stands, whether or not the send then ran out of time).
_ANSWERS = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


class SmtpSender:
    """Sends one outbox row as one email.

    `smtp://user:password@host:587?starttls=true` (STARTTLS), `smtps://...:465` (TLS from the start),
    plain `smtp://host:25` for a local relay. The Message-ID is derived from the outbox row, so if a
    worker died after the server accepted a message and it is sent again on reconciliation, mail systems
    can recognise the duplicate (SMTP offers no way to ask whether a message was delivered).

    After the server did not answer in time, could not be reached or answered "try later" (4xx), it is left
    to rest for REST_SECONDS: the other emails are given back untried (NotTried), due again when the rest
    ends. A server that accepts connections and never answers otherwise cost the whole timeout for each
    email, and duty alerts (claimed first, never given up, tried again every few minutes) kept the worker
    from the text check of new feedback; now it costs one timeout a rest, and each email still goes at the
    first try after the server answers again.

    The whole send, from connecting to QUIT, ends within `send_seconds` (by default half the claim's lease,
    CLAIM_LEASE): each of its dozen steps may wait up to `timeout`, so a slow or tarpitting relay could keep
    one going for minutes, past the lease, and another worker would then take the row over and send the
    alert again while this one was still sending it.
    """

    REST_SECONDS = 60.0

    def __init__(self, smtp_url: str, mail_from: str, *, timeout: float = 20.0, domain: str = "msp-feedback.local",
                 duty_team_email: str | None = None, send_seconds: float | None = None):
        server = parse_smtp_url(smtp_url)
        self._tls = server.tls
        self._host = server.host
        self._port = server.port
        self._user = server.user
        self._password = server.password
        self._starttls = server.starttls
        self._from = mail_from
        self._timeout = timeout
        self._send_seconds = outbox.CLAIM_LEASE.total_seconds() / 2 if send_seconds is None else send_seconds
        self._domain = domain
        self._duty_team_email = duty_team_email
        self._resting_until = 0.0     # time.monotonic()
        self._rest_reason = ""

    def recipient(self, message: ClaimedMessage) -> str | None:
        """A duty alert goes to the duty team's address as configured now, not as it was when the alert was
        queued: alerts are never given up, so one queued with DUTY_TEAM_EMAIL unset or mistyped reaches
        the team at its next try once the setting is put right (and the worker restarted)."""
        if message.purpose == DUTY_ALERT and self._duty_team_email:
            return self._duty_team_email
        return message.recipient

    def build(self, message: ClaimedMessage) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self._from
        email["To"] = self.recipient(message)
        email["Subject"] = message.subject or "Message from the Safeguarding Adults Board"
        email["Date"] = formatdate(usegmt=True)
        email["Message-ID"] = f"<outbox-{message.id}@{self._domain}>"
        email.set_content(message.body)
        return email

    def handle(self, message: ClaimedMessage) -> Outcome:
        if not self.recipient(message):
            raise DeliveryError("no recipient address (for duty alerts set DUTY_TEAM_EMAIL)", final=True)
        resting = self._resting_until - time.monotonic()
        if resting > 0:
            raise NotTried(f"not tried: the mail server failed less than {self.REST_SECONDS:.0f} s ago ({self._rest_reason})",
                           retry_in=resting)
        email = self.build(message)
        try:
            refused = self._send(email)
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryError("the mail server refused the recipient", final=True, code=_first_code(error.recipients)) from None
        except smtplib.SMTPResponseException as error:
            # 5xx: permanent; 4xx: try again later.
            reason = f"mail server answered {error.smtp_code}"
            if 400 <= error.smtp_code < 500:
                self._rest(reason)
            raise DeliveryError(reason, final=500 <= error.smtp_code < 600, code=str(error.smtp_code)) from None
        except (smtplib.SMTPException, OSError, socket.timeout, ValueError) as error:   # ValueError: TLS set up wrongly
            reason = f"could not reach the mail server: {type(error).__name__}"
            self._rest(reason)
            raise DeliveryError(reason, final=False) from None
        if refused:
            # Some recipients took it: it went. Sending again would repeat it to them (for ever, for a duty
            # alert, which is never given up); staff see who refused it on the outbox page.
            return Outcome(provider_message_id=email["Message-ID"],
                           note=f"sent, but the mail server refused {len(refused)} of the {len(email['To'].addresses)} recipients (see its log)")
        return Outcome(provider_message_id=email["Message-ID"])

    def _rest(self, reason: str) -> None:
        self._resting_until = time.monotonic() + self.REST_SECONDS
        self._rest_reason = reason

    def _send(self, email: EmailMessage) -> dict:
        """Send one email; the recipients the server refused (the others took it). Raises smtplib's errors, and
        TimeoutError when the send ran out of time."""
        with Watchdog(self._send_seconds) as watchdog:
            if self._tls:
                client = _watched(smtplib.SMTP_SSL, watchdog)(timeout=self._timeout, context=ssl.create_default_context())
            else:
                client = _watched(smtplib.SMTP, watchdog)(timeout=self._timeout)
            # The name the certificate must carry (SMTP_SSL's handshake and STARTTLS read it): smtplib sets it only
            # when the constructor connects, and here connect() is called apart so the watchdog sees every step;
            # without it every TLS send failed with "check_hostname requires server_hostname".
            client._host = self._host
            try:
                code, reply = client.connect(self._host, self._port)
                if code != 220:
                    raise smtplib.SMTPConnectError(code, reply)
                if self._starttls:
                    client.starttls(context=ssl.create_default_context())
                if self._user:
                    client.login(self._user, self._password or "")
                refused = client.send_message(email)
            except BaseException as error:
                client.close()   # no QUIT: a server that did not answer would be waited for once more
                if watchdog.fired and not isinstance(error, _ANSWERS):
                    raise TimeoutError(f"the mail server took longer than {self._send_seconds:g} s") from None
                raise
            # The server took the message (250 to its end): it went, whatever it answers to QUIT, or if it does
            # not. (`with client:` raised for any answer but 221, so a duty alert, never given up, went again for ever.)
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()
        return refused

    def reconcile(self, message: ClaimedMessage) -> Outcome | None:
        return None  # send again, with the same Message-ID (see the class docstring)


def _watched(smtp_class: type[smtplib.SMTP], watchdog: Watchdog) -> type[smtplib.SMTP]:
    """smtplib's client, with its socket handed to the watchdog as soon as it is open, and again when STARTTLS
    puts a TLS socket in its place."""

    class Watched(smtp_class):
        def _get_socket(self, host, port, timeout):
            sock = super()._get_socket(host, port, timeout)
            watchdog.watch(sock)
            return sock

        def starttls(self, *args, **kwargs):
            reply = super().starttls(*args, **kwargs)
            watchdog.watch(self.sock)
            return reply

    return Watched


def _first_code(recipients: dict) -> str | None:
    for code, _ in recipients.values():
        return str(code)
    return None
