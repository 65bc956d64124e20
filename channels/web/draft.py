"""The answers a person has given so far, carried between pages in a signed hidden form field.

Why a hidden field and not a cookie or a server-side session:
- free text (up to 5,000 characters per answer, in any script) does not fit in a cookie, and a cookie
  would keep the person's words on the device after the tab is closed;
- nothing is stored on the server before the person presses "Send", so an abandoned form leaves no
  trace in the database;
- pages are the answers to form posts (never GET URLs with answers in them), and every response is
  `Cache-Control: no-store`, so the answers are not in the browser's history or cache.

The token is zlib-compressed JSON, signed with HMAC-SHA256 under SECRET_KEY (so a tampered or forged
draft is refused) and stamped with the time of the last page, so it is short-lived: a draft idle for
more than `MAX_IDLE_SECONDS` is refused. The idempotency key is made when the form starts, so pressing
"Send" twice (or resubmitting the last page) never stores the feedback twice.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
import zlib
from dataclasses import asdict, dataclass, field

from service.signing import same_mac

MAX_IDLE_SECONDS = 2 * 60 * 60      # the pages say "2 hours" (messages catalog): change both together
# A draft idle for longer is refused, but for up to a day the page it was posted from is drawn again with
# what was typed on that page (in the same post), without the answers of earlier pages (pages.py). WCAG
# 2.2.1 allows a time limit without a warning or a way to extend it only when it is over 20 hours.
KEEP_TYPED_SECONDS = 24 * 60 * 60
# The longest a draft can still put anything the person gave on a page (revocation.py keeps its marks
# longer than this).
SHOWN_FOR_SECONDS = KEEP_TYPED_SECONDS
# Several web machines (the PostgreSQL deployment) stamp drafts with their own clocks, and NTP can step a
# clock back: a draft stamped a little in the future is another machine's page, not a forgery (the
# signature says that), and refusing it threw the person's form away. Only a stamp further ahead than
# this is refused: a clock that wrong would stretch the time limit.
MAX_CLOCK_SKEW_SECONDS = 5 * 60


class DraftError(Exception):
    """The draft token is missing, tampered with, or too old."""


class DraftExpired(DraftError):
    """The draft is genuine (its signature is good) but older than allowed; `draft` is what it holds.

    The caller decides what may still be done with it: never show its answers, but it does identify the
    form (its key), so a form already sent or abandoned can be recognised whatever its age.
    """

    def __init__(self, draft: "Draft"):
        super().__init__("the draft is too old")
        self.draft = draft


@dataclass
class Draft:
    key: str = field(default_factory=lambda: str(uuid.uuid4()))   # idempotency key for the submission
    answers: dict[str, str] = field(default_factory=dict)          # single-choice question id -> answer id
    texts: dict[str, str] = field(default_factory=dict)            # free-text question id -> words, verbatim
    respondent: str = ""
    consent: str = ""
    contact: str = ""
    contact_safe: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    needs: list[str] = field(default_factory=list)
    needs_other: str = ""
    case_reference: str = ""
    reached: int = 0          # the furthest step reached (index), so "Change" can return to the check page
    checking: bool = False    # true once the person has seen the check-your-answers page
    bot: bool = False         # the honeypot was filled in at some step
    browser: str = ""         # the browser the form is filled in (service.api.forms.browser_tag); "" before it was kept
    stamp: float = 0.0

    @classmethod
    def from_dict(cls, data: dict) -> Draft:
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{name: value for name, value in data.items() if name in known})


def _mac(secret_key: str, payload: bytes) -> str:
    digest = hmac.new(secret_key.encode(), b"draft:" + payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def encode(draft: Draft, secret_key: str, now: float | None = None) -> str:
    draft.stamp = now if now is not None else time.time()
    raw = json.dumps(asdict(draft), ensure_ascii=False, separators=(",", ":")).encode()
    payload = base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")
    return f"{payload}.{_mac(secret_key, payload.encode())}"


def decode(token: str, secret_key: str, now: float | None = None, max_idle: float = MAX_IDLE_SECONDS) -> Draft:
    payload, _, mac = (token or "").partition(".")
    if not payload or not mac or not same_mac(_mac(secret_key, payload.encode()), mac):
        raise DraftError("the draft is missing or was changed")
    try:
        raw = zlib.decompress(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        draft = Draft.from_dict(json.loads(raw))
    except (ValueError, zlib.error, TypeError) as error:
        raise DraftError("the draft cannot be read") from error
    now = now if now is not None else time.time()
    if draft.stamp - now > MAX_CLOCK_SKEW_SECONDS:
        raise DraftError("the draft is stamped too far in the future")
    if now - draft.stamp > max_idle:
        raise DraftExpired(draft)
    return draft


def sign_exit(draft_key: str, secret_key: str) -> str:
    """The form's key, signed: what "Exit this page" sends so the server can refuse the form's drafts
    (revocation.py). It holds no answer, and it revokes only the form it was made for."""
    return f"{draft_key}.{_mac(secret_key, b'exit:' + draft_key.encode())}"


def verify_exit(token: str, secret_key: str) -> str:
    draft_key, _, mac = (token or "").rpartition(".")
    if not draft_key or len(draft_key) > 64 or not same_mac(_mac(secret_key, b"exit:" + draft_key.encode()), mac):
        raise DraftError("the exit token is missing or was changed")
    return draft_key


def sign_receipt(reference: str, secret_key: str, now: float | None = None) -> str:
    """The reference of the feedback sent, signed with the time: the confirmation page (GET /feedback/sent)
    reads it from a cookie, so it can be shown again (Reload, another language) without the form being sent
    again, for `max_age` seconds (verify_receipt)."""
    stamp = str(int(now if now is not None else time.time()))
    return f"{reference}.{stamp}.{_mac(secret_key, f'receipt:{reference}:{stamp}'.encode())}"


def verify_receipt(token: str, secret_key: str, max_age: float | None = None, now: float | None = None) -> str:
    """The reference in a receipt `sign_receipt` made, not older than `max_age` seconds. Without `max_age` a
    receipt of a confirmation page drawn before receipts had a time ("reference.mac") is read too."""
    parts = (token or "").rsplit(".", 2)
    if len(parts) == 3 and parts[1].isdigit():
        reference, stamp, mac = parts
        if not same_mac(_mac(secret_key, f"receipt:{reference}:{stamp}".encode()), mac):
            raise DraftError("the receipt is missing or was changed")
        if max_age is not None and (now if now is not None else time.time()) - int(stamp) > max_age:
            raise DraftError("the receipt is too old")
        return reference
    reference, _, mac = (token or "").rpartition(".")
    if max_age is not None or not reference or not same_mac(_mac(secret_key, b"receipt:" + reference.encode()), mac):
        raise DraftError("the receipt is missing or was changed")
    return reference
