"""Staff sign-in, hardened: over https the session cookie is `__Host-msp_session`, and only the name in use
is read."""
from __future__ import annotations

import falcon.testing
import pyotp
import pytest
from sqlalchemy import select, update

from service.app import build_services, create_app
from service.audit.models import AuditEvent
from service.auth import sealed, sessions
from service.auth.models import StaffUser
from service.auth.permissions import Role
from tests.conftest import settings_for

from .conftest import Browser

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
    secret = pyotp.random_base32()
    with services.session_factory.begin() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.email == email))
        user.totp_secret = sealed.seal(secret, user.id, services.settings.secret_key)
        user.totp_enabled = True
    return secret


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
