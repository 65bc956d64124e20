"""Staff sign-in: argon2 hashes, lockout, optional TOTP, session cookies, password links, CSRF on forms."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import falcon.testing
import pyotp
import pytest
from sqlalchemy import select, update

from service.app import build_services, create_app
from service.audit.models import AuditEvent
from service.auth import sessions
from service.auth.models import StaffSession, StaffUser
from service.auth.passwords import PasswordRuleError, check_rules, hash_password, verify_password
from service.auth.permissions import Role
from service.auth.users import LOCKOUT_PERIOD, MAX_FAILED_ATTEMPTS, SignIn, check_password
from service.config import Settings
from service.storage.orm import ApiToken
from service.storage.types import utcnow

from .conftest import PASSWORD, Browser, bearer


def _user(services, email) -> StaffUser:
    with services.session_factory() as session:
        return session.scalar(select(StaffUser).where(StaffUser.email == email))


def _actions(services) -> list[str]:
    with services.session_factory() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_passwords_are_argon2id_hashes():
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert verify_password(stored, PASSWORD)
    assert not verify_password(stored, PASSWORD + "!")
    assert not verify_password(None, PASSWORD)


@pytest.mark.parametrize("bad", ["short", "password1234", "aaaaaaaaaaaaaaaa", "x" * 300])
def test_weak_passwords_are_refused(bad):
    with pytest.raises(PasswordRuleError):
        check_rules(bad)


def test_user_rows_keep_only_the_hash(services, make_user):
    make_user("duty@example.org", Role.DUTY_TEAM)
    user = _user(services, "duty@example.org")
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_sign_in_sets_a_secure_session_cookie_and_audits(browser, make_user, services):
    make_user("admin@example.org")
    result = browser.sign_in("admin@example.org")
    assert result.status_code == 303 and result.headers["location"].endswith("/staff")
    cookie = result.cookies[sessions.COOKIE_NAME]
    assert cookie.http_only and cookie.same_site.lower() == "strict" and cookie.path == "/"
    assert not cookie.secure  # PUBLIC_BASE_URL is http in tests; see the https test below
    assert browser.get("/staff").status_code == 200
    assert "user.sign_in" in _actions(services)
    with services.session_factory() as session:
        stored = session.scalar(select(StaffSession.id_hash))
    assert stored != cookie.value and len(stored) == 64  # only a hash of the id is kept


def test_cookies_are_secure_over_https(services, make_user, tmp_path):
    https = Settings.from_environ({"DATABASE_URL": services.settings.database_url, "SECRET_KEY": services.settings.secret_key,
                                   "PUBLIC_BASE_URL": "https://feedback.example.org", "VAR_DIR": str(tmp_path)})
    app = create_app(services=build_services(https, engine=services.engine))
    if app._router.find("/staff/sign-in") is None:
        from service.auth.routes import install
        install(app, app.services)
    browser = Browser(falcon.testing.TestClient(app))
    make_user("admin@example.org")
    result = browser.sign_in("admin@example.org")
    assert result.status_code == 303
    cookie = result.cookies[sessions.SECURE_COOKIE_NAME]     # __Host-msp_session: Secure, Path=/, no Domain
    assert cookie.secure and cookie.path == "/" and cookie.domain is None and sessions.COOKIE_NAME not in result.cookies
    assert Browser(browser.client).get("/staff/sign-in").cookies["msp_csrf"].secure
    assert "max-age=" in result.headers["strict-transport-security"]


def test_wrong_password_is_refused_without_saying_whether_the_account_exists(browser, make_user, services):
    make_user("admin@example.org")
    wrong = browser.sign_in("admin@example.org", "not the password at all")
    unknown = browser.sign_in("nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200
    assert sessions.COOKIE_NAME not in browser.cookies
    strip = lambda text: re.sub(r'value="[^"]*"', "", text)  # noqa: E731 (email and CSRF token differ)
    assert strip(wrong.text) == strip(unknown.text)
    assert _user(services, "admin@example.org").failed_attempts == 1


def test_lockout_after_repeated_failures_and_admin_unlock(browser, make_user, services, admin_headers, client):
    user_id = make_user("duty@example.org", Role.DUTY_TEAM)
    for _ in range(MAX_FAILED_ATTEMPTS):
        browser.sign_in("duty@example.org", "wrong password, again")
    user = _user(services, "duty@example.org")
    assert user.locked_until is not None and user.locked_until > utcnow() + LOCKOUT_PERIOD - timedelta(minutes=1)
    assert "user.locked" in _actions(services)
    # The right password does not open a locked account.
    assert sessions.COOKIE_NAME not in browser.sign_in("duty@example.org").cookies
    # An admin unlocks it.
    assert client.simulate_post(f"/api/v1/users/{user_id}/unlock", headers=admin_headers).status_code == 200
    assert browser.sign_in("duty@example.org").status_code == 303
    assert "user.unlock" in _actions(services)


def test_lock_runs_out_after_the_lockout_period(services, make_user):
    make_user("duty@example.org", Role.DUTY_TEAM)
    now = utcnow()
    with services.session_factory.begin() as session:
        for _ in range(MAX_FAILED_ATTEMPTS):
            check_password(session, "duty@example.org", "wrong password, again", now)
        assert check_password(session, "duty@example.org", PASSWORD, now + timedelta(minutes=1)).outcome is SignIn.LOCKED
        assert check_password(session, "duty@example.org", PASSWORD, now + LOCKOUT_PERIOD + timedelta(seconds=1)).outcome is SignIn.OK


def _enable_totp(browser: Browser) -> str:
    page = browser.get("/staff/account/two-factor")
    secret = re.search(r'name="secret" value="([A-Z2-7]{32})"', page.text).group(1)
    code = pyotp.TOTP(secret).now()
    result = browser.post("/staff/account/two-factor", {"action": "enable", "secret": secret, "code": code})
    assert result.status_code == 303
    return secret


def test_totp_second_factor(browser, make_user, services):
    make_user("admin@example.org")
    browser.sign_in("admin@example.org")
    secret = _enable_totp(browser)
    stored = _user(services, "admin@example.org")
    assert stored.totp_enabled
    # Sealed at rest: the database alone does not give the second factor away.
    assert stored.totp_secret.startswith("sealed1:") and secret not in stored.totp_secret
    browser.post("/staff/sign-out")
    assert browser.get("/staff").status_code == 303

    step_one = browser.sign_in("admin@example.org")
    assert step_one.headers["location"].endswith("/staff/sign-in/code")
    pending_cookie = browser.cookies[sessions.COOKIE_NAME]
    # Password alone is not a sign-in.
    assert browser.get("/staff").status_code == 303
    assert browser.get("/api/v1/users").status_code == 401
    # A wrong code is refused; the right one signs in with a new session id.
    assert browser.post("/staff/sign-in/code", {"code": "000000"}).status_code == 200
    with services.session_factory.begin() as session:  # the enrolment code's step was used; allow the current one
        session.execute(update(StaffUser).values(totp_last_step=None))
    done = browser.post("/staff/sign-in/code", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303 and done.headers["location"].endswith("/staff")
    assert browser.cookies[sessions.COOKIE_NAME] != pending_cookie
    assert browser.get("/staff").status_code == 200


def test_a_totp_code_works_only_once(services, make_user):
    from service.auth.users import enable_totp, new_totp_secret, verify_totp

    make_user("admin@example.org")
    with services.session_factory.begin() as session:
        user = session.scalar(select(StaffUser))
        secret = new_totp_secret()
        now = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
        code = pyotp.TOTP(secret).at(now)
        assert enable_totp(session, user, secret, code, now, secret_key=KEY) is not None
        assert verify_totp(user, code, now, keys=(KEY,)) is None  # replay refused
        # ... while the next code opens the sealed secret and is accepted (so the refusal above was the replay).
        later = now + timedelta(seconds=30)
        assert verify_totp(user, pyotp.TOTP(secret).at(later), later, keys=(KEY,)) is not None
        with pytest.raises(ValueError):
            verify_totp(user, pyotp.TOTP(secret).at(later), later)   # no keys: a programming error, not a refusal


def test_a_totp_code_in_other_digits_is_refused_not_an_error(services, make_user):
    from service.auth.users import verify_totp

    make_user("admin@example.org")
    with services.session_factory.begin() as session:
        user = session.scalar(select(StaffUser))
        user.totp_secret = pyotp.random_base32()
        code = pyotp.TOTP(user.totp_secret).now()
        arabic_indic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        assert arabic_indic.isdigit() and verify_totp(user, arabic_indic, keys=(KEY,)) is None
        assert verify_totp(user, code, keys=(KEY,)) is not None


KEY = "current-key-for-sealing-tests"
OLD_KEY = "the-key-before-rotation"


def test_a_totp_secret_in_the_clear_or_under_an_old_key_is_resealed_at_sign_in(services, make_user):
    from service.auth import sealed
    from service.auth.users import check_code

    make_user("admin@example.org")
    secret = pyotp.random_base32()
    now = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
    with services.session_factory.begin() as session:
        user = session.scalar(select(StaffUser))
        user.totp_enabled, user.totp_secret = True, secret            # as stored before sealing existed
        code = pyotp.TOTP(secret).at(now)
        assert check_code(user, code, now, keys=(KEY, OLD_KEY)).outcome is SignIn.OK
        assert user.totp_secret.startswith("sealed1:") and secret not in user.totp_secret
        assert sealed.open_secret(user.totp_secret, user.id, (KEY,)) == sealed.Opened(secret, needs_reseal=False)

        user.totp_secret = sealed.seal(secret, user.id, OLD_KEY)        # sealed before SECRET_KEY was rotated
        later = now + timedelta(minutes=5)
        assert check_code(user, pyotp.TOTP(secret).at(later), later, keys=(KEY, OLD_KEY)).outcome is SignIn.OK
        assert sealed.open_secret(user.totp_secret, user.id, (KEY,)).secret == secret
        # A key retired from SECRET_KEY_PREVIOUS too soon: the code is refused (counted), not a 500.
        user.totp_secret = sealed.seal(secret, user.id, OLD_KEY)
        even_later = later + timedelta(minutes=5)
        assert check_code(user, pyotp.TOTP(secret).at(even_later), even_later, keys=(KEY,)).outcome is SignIn.REJECTED


def test_a_sealed_totp_secret_opens_only_for_its_own_account_and_unaltered(services):
    from service.auth import sealed

    stored = sealed.seal("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 7, KEY)
    assert len(stored) <= 200 and sealed.open_secret(stored, 7, (KEY,)).secret == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    assert sealed.open_secret(stored, 8, (KEY,)) is None                # copied to another account
    assert sealed.open_secret(stored, 7, ("another key",)) is None
    body = stored[len(sealed.PREFIX):]
    flipped = sealed.PREFIX + body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    assert sealed.open_secret(flipped, 7, (KEY,)) is None
    assert sealed.open_secret(sealed.PREFIX + "not base64 ✓", 7, (KEY,)) is None
    assert sealed.open_secret(sealed.PREFIX + "AAAA", 7, (KEY,)) is None
    assert stored != sealed.seal("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 7, KEY)   # a new nonce each time


def test_db_upgrade_seals_the_secrets_stored_in_the_clear(services, make_user, monkeypatch):
    from click.testing import CliRunner

    from service.auth import sealed
    from service.cli import main

    make_user("admin@example.org")
    secret = pyotp.random_base32()
    with services.session_factory.begin() as session:
        user = session.scalar(select(StaffUser))
        user.totp_enabled, user.totp_secret = True, secret
    monkeypatch.setenv("DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("SECRET_KEY", KEY)
    monkeypatch.delenv("SECRET_KEY")
    unset = CliRunner().invoke(main, ["db", "upgrade"])        # a key made up for this command could differ from the web's
    assert unset.exit_code == 0 and "sealed at each person's next sign-in" in unset.output
    assert _user(services, "admin@example.org").totp_secret == secret
    monkeypatch.setenv("SECRET_KEY", KEY)
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "sealed 1 two-step sign-in secret(s)" in result.output
    user = _user(services, "admin@example.org")
    assert sealed.open_secret(user.totp_secret, user.id, (KEY,)).secret == secret
    again = CliRunner().invoke(main, ["db", "upgrade"])
    assert again.exit_code == 0 and "sealed" not in again.output

    # A secret no key opens (its key retired too soon) is reported, and an admin can turn two-step off.
    monkeypatch.setenv("SECRET_KEY", "a-brand-new-key")
    lost = CliRunner().invoke(main, ["db", "upgrade"])
    assert lost.exit_code == 0 and "no key in SECRET_KEY or SECRET_KEY_PREVIOUS opens the two-step secret of admin@example.org" in lost.output
    off = CliRunner().invoke(main, ["user", "disable-two-step", "--email", "admin@example.org"])
    assert off.exit_code == 0, off.output
    user = _user(services, "admin@example.org")
    assert not user.totp_enabled and user.totp_secret is None


def test_session_id_rotates_at_sign_in(browser, make_user):
    make_user("admin@example.org")
    browser.cookies[sessions.COOKIE_NAME] = "attacker-chosen-session-id-0123456789abcdef"
    browser.sign_in("admin@example.org")
    assert browser.cookies[sessions.COOKIE_NAME] != "attacker-chosen-session-id-0123456789abcdef"


def test_sign_out_deletes_the_session(browser, make_user, services):
    make_user("admin@example.org")
    browser.sign_in("admin@example.org")
    old = browser.cookies[sessions.COOKIE_NAME]
    result = browser.post("/staff/sign-out")
    assert result.status_code == 303
    assert sessions.COOKIE_NAME not in browser.cookies
    with services.session_factory() as session:
        assert session.scalar(select(StaffSession)) is None
    browser.cookies[sessions.COOKIE_NAME] = old  # a copied cookie is worthless now
    assert browser.get("/staff").status_code == 303


def test_idle_and_absolute_timeouts(browser, make_user, services):
    make_user("admin@example.org")
    browser.sign_in("admin@example.org")
    with services.session_factory.begin() as session:
        session.execute(update(StaffSession).values(last_seen_at=utcnow() - sessions.IDLE_TIMEOUT - timedelta(seconds=5)))
    assert browser.get("/staff").status_code == 303
    browser.sign_in("admin@example.org")
    with services.session_factory.begin() as session:
        session.execute(update(StaffSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert browser.get("/staff").status_code == 303


def test_sign_in_form_needs_its_csrf_token(browser, make_user):
    make_user("admin@example.org")
    browser.get("/staff/sign-in")
    result = browser.post("/staff/sign-in", {"email": "admin@example.org", "password": PASSWORD, "csrf_token": "forged"})
    assert result.status_code == 403 and sessions.COOKIE_NAME not in browser.cookies


def test_admin_forms_need_csrf_and_same_origin(browser, make_user, services):
    make_user("admin@example.org")
    browser.sign_in("admin@example.org")
    browser.get("/staff/accounts")
    forged = browser.post("/staff/accounts", {"email": "new@example.org", "role": "board", "csrf_token": "x" * 64})
    assert forged.status_code == 403
    cross_site = browser.post("/staff/accounts", {"email": "new@example.org", "role": "board"}, headers={"Origin": "https://evil.example"})
    assert cross_site.status_code == 403
    fetch_site = browser.post("/staff/accounts", {"email": "new@example.org", "role": "board"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert fetch_site.status_code == 403
    assert _user(services, "new@example.org") is None
    ok = browser.post("/staff/accounts", {"email": "new@example.org", "role": "board"}, headers={"Origin": "http://testserver", "Host": "testserver"})
    assert ok.status_code == 200 and _user(services, "new@example.org") is not None


def test_every_post_form_on_the_staff_pages_carries_a_csrf_token(browser, make_user, services, seed):
    user_id = make_user("admin@example.org")
    browser.sign_in("admin@example.org")
    pages = ["/staff", "/staff/accounts", f"/staff/accounts/{user_id}", "/staff/tokens", "/staff/account/two-factor",
             "/staff/privacy", "/staff/audit"]
    anonymous = Browser(browser.client)
    for path, who in [(p, browser) for p in pages] + [("/staff/sign-in", anonymous)]:
        page = who.get(path)
        assert page.status_code == 200, path
        forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", page.text, flags=re.S | re.I)
        assert forms, path
        for form in forms:
            assert 'name="csrf_token"' in form, (path, form[:200])


def test_account_created_by_admin_sets_password_through_a_one_time_link(browser, make_user, services, client):
    make_user("admin@example.org")
    browser.sign_in("admin@example.org")
    page = browser.post("/staff/accounts", {"email": "Eng@Example.org", "display_name": "Eng", "role": "engagement"})
    link = re.search(r"http://testserver(/staff/set-password/[\w-]+)", page.text).group(1)
    assert _user(services, "eng@example.org").password_hash is None
    newcomer = Browser(client)
    assert newcomer.get(link).status_code == 200
    assert "There is a problem" in newcomer.post(link, {"password": "short", "confirm": "short"}).text
    assert "not the same" in newcomer.post(link, {"password": PASSWORD, "confirm": PASSWORD + "x"}).text
    assert newcomer.post(link, {"password": PASSWORD, "confirm": PASSWORD}).status_code == 200
    assert newcomer.get(link).status_code == 404  # used once
    assert newcomer.sign_in("eng@example.org").status_code == 303
    assert {"user.create", "user.password_set"} <= set(_actions(services))


def test_admin_password_reset_stops_the_old_password_and_ends_sessions(browser, make_user, services, client, admin_headers):
    user_id = make_user("duty@example.org", Role.DUTY_TEAM)
    duty = Browser(client)
    duty.sign_in("duty@example.org")
    assert duty.get("/staff").status_code == 200
    result = client.simulate_post(f"/api/v1/users/{user_id}/password-reset", headers=admin_headers)
    link = result.json["password_link"]
    assert duty.get("/staff").status_code == 303  # signed out everywhere
    assert sessions.COOKIE_NAME not in duty.sign_in("duty@example.org").cookies
    path = link.replace("http://testserver", "")
    assert duty.post(path, {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}).status_code == 200
    assert duty.sign_in("duty@example.org", "a brand new passphrase").status_code == 303


def test_role_change_signs_the_user_out(client, make_user, admin_headers, services):
    user_id = make_user("eng@example.org", Role.ENGAGEMENT)
    eng = Browser(client)
    eng.sign_in("eng@example.org")
    changed = client.simulate_patch(f"/api/v1/users/{user_id}", json={"role": "board"}, headers=admin_headers)
    assert changed.status_code == 200 and changed.json["role"] == "board"
    assert eng.get("/staff").status_code == 303
    with services.session_factory() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.update"))
    assert event.detail["before"]["role"] == "engagement" and event.detail["after"]["role"] == "board"


def test_api_tokens_are_hashed_scoped_revocable_and_record_last_use(client, admin_headers, services, seed):
    created = client.simulate_post("/api/v1/tokens", json={"role": "provider_responder", "label": "Alder Court",
                                                           "provider_ids": [seed.provider_a]}, headers=admin_headers)
    assert created.status_code == 201
    token, token_id = created.json["token"], created.json["id"]
    with services.session_factory() as session:
        row = session.get(ApiToken, token_id)
        assert row.token_hash != token and token not in row.token_hash and row.last_used_at is None
    assert client.simulate_get("/api/v1/submissions", headers=bearer(token)).status_code == 200
    listed = {t["id"]: t for t in client.simulate_get("/api/v1/tokens", headers=admin_headers).json["items"]}
    assert listed[token_id]["last_used_at"] is not None and "token" not in listed[token_id]
    assert client.simulate_delete(f"/api/v1/tokens/{token_id}", headers=admin_headers).status_code == 204
    assert client.simulate_get("/api/v1/submissions", headers=bearer(token)).status_code == 401
    bad = client.simulate_post("/api/v1/tokens", json={"role": "provider_responder"}, headers=admin_headers)
    assert bad.status_code == 422
    assert {"token.create", "token.revoke"} <= set(_actions(services))


def test_tokens_page_creates_and_revokes(browser, make_user, services):
    make_user("admin@example.org")
    browser.sign_in("admin@example.org")
    browser.get("/staff/tokens")
    page = browser.post("/staff/tokens", {"label": "reporting", "role": "board"})
    assert re.search(r"<code>msp_[\w-]+</code>", page.text)
    with services.session_factory() as session:
        token_id = session.scalar(select(ApiToken.id).where(ApiToken.label == "reporting"))
    assert browser.post(f"/staff/tokens/{token_id}/revoke").status_code == 303
    with services.session_factory() as session:
        assert session.get(ApiToken, token_id).revoked_at is not None


def test_origin_check_and_client_address_with_settings(services, tmp_path):
    import falcon

    from service.api.middleware import Authorisation, client_address

    behind_proxy = Settings.from_environ({"DATABASE_URL": services.settings.database_url, "SECRET_KEY": "k" * 40,
                                          "PUBLIC_BASE_URL": "https://feedback.example.org", "TRUST_PROXY_HEADERS": "true",
                                          "VAR_DIR": str(tmp_path)})
    middleware = Authorisation(services.uow, behind_proxy)
    # Behind a TLS proxy the app sees http and an internal host; the public origin is what counts.
    ok = falcon.testing.create_req(method="POST", host="10.0.0.5", scheme="http", headers={"Origin": "https://feedback.example.org"})
    middleware._check_same_origin(ok)
    for bad in ({"Origin": "https://evil.example"}, {"Origin": "http://feedback.example.org"}, {"Sec-Fetch-Site": "same-site"}):
        with pytest.raises(falcon.HTTPForbidden):
            middleware._check_same_origin(falcon.testing.create_req(method="POST", headers=bad))
    # The client wrote the first address; the proxy (10.0.0.1) added the last, the one it saw.
    forwarded = falcon.testing.create_req(headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}, remote_addr="10.0.0.1")
    assert client_address(forwarded, behind_proxy.trusted_proxy_hops) == "203.0.113.9"
    assert client_address(forwarded, 0) == "10.0.0.1"  # never trusted unless configured
