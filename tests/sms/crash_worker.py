"""A worker that is killed (os._exit, as by SIGKILL: no clean-up runs) at a chosen point of sending one
text. Run by tests/sms/test_sending.py in its own process:

    python tests/sms/crash_worker.py before_request|after_provider_id

Settings come from the environment (DATABASE_URL, SECRET_KEY, TWILIO_*).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from channels.sms.sending import SmsHandler, TwilioTransport  # noqa: E402
from service.config import Settings  # noqa: E402
from service.runtime import session_factory  # noqa: E402
from service.worker import Worker  # noqa: E402

CRASH_EXIT = 9


class CrashBeforeRequest(TwilioTransport):
    def send(self, **kwargs) -> str:   # the attempt marker is committed; the request never leaves
        os._exit(CRASH_EXIT)


class CrashAfterProviderId(SmsHandler):
    def handle(self, message):
        outcome = super().handle(message)   # sent to Twilio, its SID recorded on the row ...
        os._exit(CRASH_EXIT)                # ... and killed before the worker records "sent"
        return outcome


def main(point: str) -> None:
    settings = Settings.from_environ()
    factory = session_factory(settings)
    if point == "before_request":
        handler = SmsHandler(settings, factory, CrashBeforeRequest(settings))
    elif point == "after_provider_id":
        handler = CrashAfterProviderId(settings, factory, TwilioTransport(settings))
    else:
        raise SystemExit(f"unknown crash point {point!r}")
    Worker(factory, {"sms": handler}).run_once()
    raise SystemExit("the worker did not crash: nothing was due?")


if __name__ == "__main__":
    main(sys.argv[1])
