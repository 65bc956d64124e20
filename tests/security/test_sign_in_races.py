"""Sign-in attempts sent at the same moment: each wrong one counts towards the lockout, and a code is accepted
once (PostgreSQL runs them side by side; without the account's row lock they undid each other's counts).

From a hostile audit (tests/audit, report F1 and F3). On SQLite the units of work take turns anyway.
"""
from __future__ import annotations

import threading
from datetime import timedelta
from urllib.parse import urlencode

import falcon.testing
import pyotp
from sqlalchemy import select, update

from service.audit.models import AuditEvent
from service.auth import sessions
from service.auth.models import StaffSession, StaffUser
from service.auth.permissions import Role
from service.auth.users import MAX_FAILED_ATTEMPTS
from service.storage.types import utcnow

from .conftest import Browser, with_two_step

WRONG_CODE = "The code is wrong or has expired"
SIGN_IN_FAILED = "The email address or password is wrong"


def _user(services, email: str) -> StaffUser:
    with services.session_factory() as session:
        return session.scalar(select(StaffUser).where(StaffUser.email == email))


def _with_two_step(services, email: str) -> str:
    return with_two_step(services, email)


def _at_code_step(client, email: str) -> Browser:
    browser = Browser(client)
    result = browser.sign_in(email)
    assert result.status_code == 303 and result.headers["location"].endswith("/staff/sign-in/code")
    browser.get("/staff/sign-in/code")
    return browser


def _post(client, path: str, form: dict, browser: Browser, address: str):
    return client.simulate_post(path, body=urlencode({**form, "csrf_token": browser.last_csrf}), cookies=dict(browser.cookies),
                                headers={"Content-Type": "application/x-www-form-urlencoded"}, remote_addr=address)


def _burst(client, path: str, sends: list[tuple[dict, Browser]]) -> list:
    """Post every form at once, each from its own address (as a botnet or a proxy pool would)."""
    barrier = threading.Barrier(len(sends))
    results: list = [None] * len(sends)

    def send(i: int) -> None:
        barrier.wait()
        results[i] = _post(client, path, sends[i][0], sends[i][1], f"198.51.100.{i + 1}")

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(sends))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_wrong_codes_sent_at_once_each_count_towards_the_lockout(app, services, make_user):
    """Someone who has the password must not get more than five guesses at the code by sending them together."""
    client = falcon.testing.TestClient(app)
    make_user("twostep@example.org", Role.ADMIN)
    secret = _with_two_step(services, "twostep@example.org")
    browser = _at_code_step(client, "twostep@example.org")
    right = int(pyotp.TOTP(secret).now())
    wrong = [f"{(right + 1000 + i * 7919) % 1_000_000:06d}" for i in range(30)]

    results = _burst(client, "/staff/sign-in/code", [({"code": code}, browser) for code in wrong])

    refused = sum(1 for r in results if r.status_code == 200 and WRONG_CODE in r.text)
    locked_by = sum(1 for r in results if r.status_code == 200 and SIGN_IN_FAILED in r.text)
    # The attempt that locked the account ended the pending sign-in: those that waited behind it start again.
    start_again = sum(1 for r in results if r.status_code == 303 and r.headers["location"].endswith("/staff/sign-in"))
    assert (refused, locked_by, start_again) == (MAX_FAILED_ATTEMPTS - 1, 1, 30 - MAX_FAILED_ATTEMPTS)
    assert _user(services, "twostep@example.org").locked_until is not None


def test_wrong_passwords_sent_at_once_each_count_towards_the_lockout(app, services, make_user):
    client = falcon.testing.TestClient(app)
    make_user("duty@example.org", Role.DUTY_TEAM)
    browser = Browser(client)
    browser.get("/staff/sign-in")

    _burst(client, "/staff/sign-in", [({"email": "duty@example.org", "password": f"wrong guess number {i}"}, browser) for i in range(16)])

    with services.session_factory() as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    user = _user(services, "duty@example.org")
    assert user.locked_until is not None, f"16 wrong passwords at once did not lock the account (failed_attempts={user.failed_attempts})"
    # Four refused, the fifth locked it, and the other eleven met a locked account (still audited as failed).
    assert actions.count("user.locked") == 1 and actions.count("user.sign_in_failed") == 15
    with services.session_factory() as session:
        counted = session.scalar(select(AuditEvent.id).where(AuditEvent.action == "user.locked"))
        before = list(session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "user.sign_in_failed", AuditEvent.id < counted)))
    assert len(before) == MAX_FAILED_ATTEMPTS - 1 and not any(d["locked"] for d in before)


def test_a_code_sent_from_two_sign_ins_at_once_is_accepted_once(app, services, make_user, monkeypatch):
    """The person, and someone who has their password and read the code over their shoulder, send it at the
    same moment: one is signed in. The first attempt is held just before it commits, so the second runs
    while the first has accepted the code but not yet stored that it did."""
    client = falcon.testing.TestClient(app)
    make_user("twostep2@example.org", Role.DUTY_TEAM)
    secret = _with_two_step(services, "twostep2@example.org")
    first, second = _at_code_step(client, "twostep2@example.org"), _at_code_step(client, "twostep2@example.org")
    code = pyotp.TOTP(secret).now()

    first_accepted, go_on = threading.Event(), threading.Event()
    real_start_session = sessions.start_session

    def held_start_session(session, user, **kwargs):
        raw = real_start_session(session, user, **kwargs)
        if kwargs.get("stage", sessions.STAGE_FULL) == sessions.STAGE_FULL and not first_accepted.is_set():
            first_accepted.set()
            go_on.wait(20)
        return raw

    monkeypatch.setattr(sessions, "start_session", held_start_session)
    results: dict = {}
    sender = {name: threading.Thread(target=lambda n=name, b=browser: results.__setitem__(n, _post(client, "/staff/sign-in/code", {"code": code}, b, f"203.0.113.{len(n)}")))
              for name, browser in (("first", first), ("second!", second))}
    sender["first"].start()
    assert first_accepted.wait(20)
    sender["second!"].start()
    sender["second!"].join(timeout=2)    # with the lock, it waits for the first to finish
    go_on.set()
    for thread in sender.values():
        thread.join(30)

    signed_in = [name for name, r in results.items() if r.status_code == 303 and r.headers["location"].endswith("/staff")]
    assert signed_in == ["first"], {name: (r.status_code, r.headers.get("location")) for name, r in results.items()}
    assert WRONG_CODE in results["second!"].text


def test_code_attempts_on_sign_ins_left_a_while_do_not_deadlock(app, services, make_user):
    """A pending sign-in seen more than a minute ago has its last-seen time written when loaded. Loaded before
    the account's lock, that write and a lockout deleting the session waited for each other (PostgreSQL)."""
    client = falcon.testing.TestClient(app)
    make_user("twostep3@example.org", Role.DUTY_TEAM)
    _with_two_step(services, "twostep3@example.org")
    browsers = [_at_code_step(client, "twostep3@example.org") for _ in range(3)]
    with services.session_factory.begin() as session:
        session.execute(update(StaffSession).values(last_seen_at=utcnow() - timedelta(minutes=2)))

    results = _burst(client, "/staff/sign-in/code", [({"code": "000000"}, b) for b in browsers for _ in range(4)])

    assert all(r.status_code in (200, 303) for r in results), [r.status_code for r in results]
    assert _user(services, "twostep3@example.org").locked_until is not None
