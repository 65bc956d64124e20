"""Staff sign-in, hardened: a change of two-step sign-in or of password ends the account's other sessions;
over https the session cookie is `__Host-msp_session`, and only the name in use is read; a sign-in (or its
code step, or setting a password) posted by another site is refused and counts for nothing (login CSRF)."""
from __future__ import annotations

import re

import falcon.testing
import pyotp
import pytest
from sqlalchemy import select, update

from service.app import build_services, create_app
from service.audit.models import AuditEvent
from service.auth import sessions
from service.auth.models import StaffUser
from service.auth.permissions import Role
from service.auth.routes import SIGN_IN_ATTEMPTS_PER_MINUTE
from service.auth.users import issue_password_link, password_link, set_password
from tests.conftest import settings_for

from .conftest import PASSWORD, Browser, with_two_step

EMAIL = "duty@example.org"


def _user(services, email: str = EMAIL) -> StaffUser:
    with services.session_factory() as session:
        return session.scalar(select(StaffUser).where(StaffUser.email == email))


def _events(services, action: str) -> list[AuditEvent]:
    with services.session_factory() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _actions(services) -> list[str]:
    with services.session_factory() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _with_two_step(services, email: str = EMAIL) -> str:
    return with_two_step(services, email)


def _allow_the_current_code_again(services) -> None:
    """A code is accepted once; these tests sign in several browsers within one 30-second step."""
    with services.session_factory.begin() as session:
        session.execute(update(StaffUser).values(totp_last_step=None))


def _signed_in_with_code(client, services, secret: str, email: str = EMAIL) -> Browser:
    _allow_the_current_code_again(services)
    browser = Browser(client)
    assert browser.sign_in(email).headers["location"].endswith("/staff/sign-in/code")
    assert browser.post("/staff/sign-in/code", {"code": pyotp.TOTP(secret).now()}).status_code == 303
    assert browser.get("/staff").status_code == 200
    return browser


def _signed_in(client, email: str = EMAIL) -> Browser:
    browser = Browser(client)
    assert browser.sign_in(email).status_code == 303
    return browser


# --- 1. a change of two-step sign-in or password ends the other sessions ------------------------------------

def test_turning_two_step_on_signs_out_the_accounts_other_browsers(client, make_user, services):
    """Whoever learnt the password and signed in keeps no session once the owner turns two-step on (which is
    when she turns it on): his never gave a code. The owner's own browser, where she turned it on, stays."""
    make_user(EMAIL, Role.DUTY_TEAM)
    thief, owner = _signed_in(client), _signed_in(client)
    page = owner.get("/staff/account/two-factor")
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page.text).group(1)
    done = owner.post("/staff/account/two-factor", {"action": "enable", "secret": secret, "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303 and _user(services).totp_enabled
    assert thief.get("/staff").status_code == 303
    assert owner.get("/staff").status_code == 200
    assert [event.detail for event in _events(services, "user.totp_enabled")] == [{"sessions_ended": 1}]


def test_turning_two_step_off_signs_out_the_accounts_other_browsers_and_pending_sign_ins(client, make_user, services):
    make_user(EMAIL, Role.DUTY_TEAM)
    secret = _with_two_step(services)
    other, owner = _signed_in_with_code(client, services, secret), _signed_in_with_code(client, services, secret)
    pending = Browser(client)      # the password given, the code not yet
    assert pending.sign_in(EMAIL).headers["location"].endswith("/staff/sign-in/code")
    _allow_the_current_code_again(services)
    owner.get("/staff/account/two-factor")
    assert owner.post("/staff/account/two-factor", {"action": "disable", "code": pyotp.TOTP(secret).now()}).status_code == 303
    assert not _user(services).totp_enabled
    assert other.get("/staff").status_code == 303
    assert pending.get("/staff/sign-in/code").headers["location"].endswith("/staff/sign-in")   # it would now need no code
    assert owner.get("/staff").status_code == 200
    assert [event.detail for event in _events(services, "user.totp_disabled")] == [{"sessions_ended": 2}]


def test_an_admin_resetting_someones_two_step_signs_them_out(client, make_user, services):
    make_user("admin@example.org")
    duty_id = make_user(EMAIL, Role.DUTY_TEAM)
    duty = _signed_in_with_code(client, services, _with_two_step(services))
    admin = _signed_in(client, "admin@example.org")
    admin.get(f"/staff/accounts/{duty_id}")
    assert admin.post(f"/staff/accounts/{duty_id}", {"action": "disable_totp"}).status_code == 200
    assert not _user(services).totp_enabled
    assert duty.get("/staff").status_code == 303
    assert admin.get("/staff").status_code == 200
    assert [event.detail for event in _events(services, "user.totp_disabled")] == [{"by_admin": True, "sessions_ended": 1}]


def test_an_admin_resetting_her_own_two_step_keeps_only_the_browser_she_did_it_in(client, make_user, services):
    admin_id = make_user("admin@example.org")
    secret = _with_two_step(services, "admin@example.org")
    elsewhere = _signed_in_with_code(client, services, secret, "admin@example.org")
    here = _signed_in_with_code(client, services, secret, "admin@example.org")
    here.get(f"/staff/accounts/{admin_id}")
    assert here.post(f"/staff/accounts/{admin_id}", {"action": "disable_totp"}).status_code == 200
    assert elsewhere.get("/staff").status_code == 303
    assert here.get("/staff").status_code == 200


def test_two_step_turned_off_at_the_command_line_signs_the_person_out(cli, client, make_user, services):
    make_user(EMAIL, Role.DUTY_TEAM)
    duty = _signed_in_with_code(client, services, _with_two_step(services))
    result = cli("user", "disable-two-step", "--email", EMAIL)
    assert result.exit_code == 0, result.output
    assert duty.get("/staff").status_code == 303
    assert [event.detail for event in _events(services, "user.totp_disabled")] == [{"sessions_ended": 1}]


def test_a_new_password_ends_the_accounts_other_sessions(make_user, services):
    """`set_password` (the one place a password is set; the one-time link's page keeps no session at all)."""
    user_id = make_user(EMAIL, Role.DUTY_TEAM)
    with services.session_factory.begin() as session:
        user = session.get(StaffUser, user_id)
        here, elsewhere = sessions.start_session(session, user), sessions.start_session(session, user)
        assert set_password(session, user, "a brand new passphrase", keep=here) == 1
        assert sessions.load_session(session, here) is not None
        assert sessions.load_session(session, elsewhere) is None
        assert set_password(session, user, "another new passphrase") == 1
        assert sessions.load_session(session, here) is None


# --- 2. over https the session cookie is __Host-msp_session ---------------------------------------------------

@pytest.fixture
def https_client(services, database_url, engine, tmp_path) -> falcon.testing.TestClient:
    """The app as served over https (PUBLIC_BASE_URL), on the test database (`services` empties it after)."""
    https = settings_for(database_url, tmp_path, PUBLIC_BASE_URL="https://feedback.example.org")
    return falcon.testing.TestClient(create_app(services=build_services(https, engine=engine)))


def test_over_https_the_session_cookie_is_host_prefixed_and_the_plain_name_is_not_read(https_client, make_user, services):
    make_user(EMAIL, Role.DUTY_TEAM)
    secret = _with_two_step(services)
    browser = Browser(https_client)
    step_one = browser.sign_in(EMAIL)
    assert set(step_one.cookies) & {sessions.COOKIE_NAME, sessions.SECURE_COOKIE_NAME} == {sessions.SECURE_COOKIE_NAME}
    assert browser.post("/staff/sign-in/code", {"code": pyotp.TOTP(secret).now()}).status_code == 303   # read by the code step
    assert browser.get("/staff").status_code == 200
    raw = browser.cookies[sessions.SECURE_COOKIE_NAME]
    # The plain name, which another host of the domain could set or shadow, is not read over https.
    assert https_client.simulate_get("/staff", cookies={sessions.COOKIE_NAME: raw}).status_code == 303
    out = browser.post("/staff/sign-out")
    assert out.status_code == 303 and sessions.SECURE_COOKIE_NAME not in browser.cookies
    cleared = out.cookies[sessions.SECURE_COOKIE_NAME]
    assert cleared.value == "" and cleared.secure and cleared.path == "/" and cleared.domain is None


def test_over_http_only_the_plain_name_is_read(client, make_user):
    """Browsers refuse `__Host-` without Secure; over plain http (local use) the plain name is the one."""
    make_user(EMAIL, Role.DUTY_TEAM)
    raw = _signed_in(client).cookies[sessions.COOKIE_NAME]
    assert client.simulate_get("/staff", cookies={sessions.SECURE_COOKIE_NAME: raw}).status_code == 303
    assert client.simulate_get("/staff", cookies={sessions.COOKIE_NAME: raw}).status_code == 200


# --- 3. login CSRF: sign-in forms posted by another site are refused --------------------------------------------

ANOTHER_SITE = [
    {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "same-site", "Origin": "https://news.testserver"},   # another host of the same domain
    {"Origin": "https://evil.example"},                                      # a browser without Fetch Metadata
]


@pytest.mark.parametrize("headers", ANOTHER_SITE)
@pytest.mark.parametrize("password", [PASSWORD, "a wrong password, tried"])
def test_a_sign_in_posted_by_another_site_is_refused_and_counts_for_nothing(browser, make_user, services, headers, password):
    """The attacker's page signs her browser into his account (with a CSRF token and nonce of his own,
    the nonce set in her browser by a host of the same site): refused with a page saying why, no session,
    and nothing counted or recorded as a failed attempt."""
    make_user("attacker@example.org", Role.DUTY_TEAM)
    browser.get("/staff/sign-in")
    result = browser.post("/staff/sign-in", {"email": "attacker@example.org", "password": password},
                          headers={**headers, "Accept": "text/html"})
    assert result.status_code == 403 and result.headers["content-type"].startswith("text/html")
    assert "sent from another website" in result.text
    assert sessions.COOKIE_NAME not in browser.cookies
    assert _actions(services) == []
    assert _user(services, "attacker@example.org").failed_attempts == 0


@pytest.mark.parametrize("headers", [{}, {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}, {"Sec-Fetch-Site": "none"},
                                     {"Origin": "http://testserver"}, {"Origin": "null"}])
def test_a_sign_in_from_the_services_own_page_still_works(browser, make_user, headers):
    make_user(EMAIL, Role.DUTY_TEAM)
    browser.get("/staff/sign-in")
    assert browser.post("/staff/sign-in", {"email": EMAIL, "password": PASSWORD}, headers=headers).status_code == 303


def test_the_code_step_refuses_a_post_from_another_site(client, make_user, services):
    make_user(EMAIL, Role.DUTY_TEAM)
    secret = _with_two_step(services)
    browser = Browser(client)
    browser.sign_in(EMAIL)
    refused = browser.post("/staff/sign-in/code", {"code": pyotp.TOTP(secret).now()}, headers={"Sec-Fetch-Site": "cross-site"})
    assert refused.status_code == 403
    assert browser.get("/staff").status_code == 303
    assert _actions(services) == [] and _user(services).failed_attempts == 0
    assert browser.post("/staff/sign-in/code", {"code": pyotp.TOTP(secret).now()}).status_code == 303   # from its own page


def test_setting_a_password_refuses_a_post_from_another_site(client, make_user, services):
    user_id = make_user(EMAIL, Role.DUTY_TEAM, password=None)
    with services.session_factory.begin() as session:
        link = password_link("http://testserver", issue_password_link(session, session.get(StaffUser, user_id), reset=False))
    path = link.removeprefix("http://testserver")
    newcomer = Browser(client)
    newcomer.get(path)
    form = {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}
    assert newcomer.post(path, form, headers={"Origin": "https://evil.example"}).status_code == 403
    assert _user(services).password_hash is None and newcomer.get(path).status_code == 200   # the link still works
    assert newcomer.post(path, form).status_code == 200 and _user(services).password_hash is not None


def test_posts_from_another_site_do_not_use_up_the_sign_in_rate_limit(browser, make_user):
    """A page of another site posting in a loop would otherwise lock everyone behind the office's address
    out of signing in for a minute."""
    make_user(EMAIL, Role.DUTY_TEAM)
    browser.get("/staff/sign-in")
    for _ in range(SIGN_IN_ATTEMPTS_PER_MINUTE + 5):
        assert browser.post("/staff/sign-in", {"email": EMAIL, "password": PASSWORD}, headers=ANOTHER_SITE[0]).status_code == 403
    assert browser.post("/staff/sign-in", {"email": EMAIL, "password": PASSWORD}).status_code == 303
