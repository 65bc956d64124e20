"""Helpers of the SMS tests: constants and requests built and signed exactly as Twilio builds them."""
from __future__ import annotations

import itertools
import os
from urllib.parse import urlencode

import falcon.testing
from twilio.request_validator import RequestValidator

from tests.conftest import REPO_ROOT

SPEC = REPO_ROOT / "channels" / "sms" / "twilio_spec" / "twilio_api_v2010.json"
PRISM = REPO_ROOT / "node_modules" / ".bin" / "prism"
ACCOUNT_SID = "AC" + "1234567890abcdef" * 2
AUTH_TOKEN = "test-twilio-auth-token-0123456789"
OUR_NUMBER = "+441204555000"
# The URL Twilio calls: https at a public name, while the app itself sees http://testserver behind the proxy.
PUBLIC_BASE_URL = "https://feedback.example.org"


def twilio_env(prism_url: str) -> dict[str, str]:
    return {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_FROM_NUMBER": OUR_NUMBER,
        "TWILIO_API_BASE_URL": prism_url, "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    }


_sids = itertools.count(1)


def new_sid(prefix: str = "SM") -> str:
    return f"{prefix}{next(_sids):032x}"


def inbound_fields(body: str, from_: str, *, sid: str | None = None, opt_out_type: str | None = None) -> dict[str, str]:
    """The form fields Twilio posts for an inbound SMS to a UK number."""
    sid = sid or new_sid()
    fields = {
        "ToCountry": "GB", "ToState": "", "SmsMessageSid": sid, "NumMedia": "0", "ToCity": "", "FromZip": "",
        "SmsSid": sid, "FromState": "", "SmsStatus": "received", "FromCity": "", "Body": body, "FromCountry": "GB",
        "To": OUR_NUMBER, "ToZip": "", "NumSegments": "1", "ReferralNumMedia": "0", "MessageSid": sid,
        "AccountSid": ACCOUNT_SID, "From": from_, "ApiVersion": "2010-04-01",
    }
    if opt_out_type:
        fields["OptOutType"] = opt_out_type
    return fields


def twilio_post(client: falcon.testing.TestClient, path: str, fields: dict[str, str], *, token: str = AUTH_TOKEN,
                signed_url: str | None = None, sign: bool = True) -> falcon.testing.Result:
    """POST as Twilio does: form-encoded, signed over the public URL + the sorted fields."""
    url = signed_url or (PUBLIC_BASE_URL + path)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "User-Agent": "TwilioProxy/1.1",
        "I-Twilio-Idempotency-Token": os.urandom(8).hex(), "Accept": "*/*",
    }
    if sign:
        headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(url, fields)
    return client.simulate_post(path, body=urlencode(fields).encode("utf-8"), headers=headers)
