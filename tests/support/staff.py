"""Signing in to the staff pages in tests: a cookie-keeping client that fills in CSRF tokens."""
from __future__ import annotations

import re
from urllib.parse import urlencode

import falcon.testing

from service.app import Services
from service.auth.permissions import Role
from service.auth.users import create_user

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_user(services: Services, email: str, role: Role, provider_ids: tuple[int, ...] = (), password: str | None = PASSWORD) -> int:
    with services.session_factory.begin() as session:
        user = create_user(session, email=email, role=role.value, display_name=email.split("@")[0], provider_ids=provider_ids, password=password)
        session.flush()
        return user.id


class StaffBrowser:
    """A cookie-keeping client for the HTML pages (falcon's TestClient keeps no cookies)."""

    def __init__(self, client: falcon.testing.TestClient):
        self.client = client
        self.cookies: dict[str, str] = {}
        self.last_csrf = ""

    def _keep(self, result) -> None:
        for name, cookie in result.cookies.items():
            if cookie.value == "" or (cookie.max_age is not None and int(cookie.max_age) <= 0):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = cookie.value
        is_html = (result.headers.get("content-type") or "").startswith("text/html")
        match = _CSRF.search(result.text or "") if is_html else None
        if match:
            self.last_csrf = match.group(1)

    def get(self, path: str, params: dict | None = None, **kwargs):
        result = self.client.simulate_get(path, params=params, cookies=dict(self.cookies), **kwargs)
        self._keep(result)
        return result

    def post(self, path: str, form: dict[str, str] | list[tuple[str, str]] | None = None, *, csrf: bool = True, headers: dict | None = None):
        data = list((form or {}).items()) if isinstance(form, dict) or form is None else list(form)
        if csrf and not any(name == "csrf_token" for name, _ in data):
            if not self.last_csrf:
                self.get("/staff/sign-in")
            data.append(("csrf_token", self.last_csrf))
        result = self.client.simulate_post(path, body=urlencode(data), cookies=dict(self.cookies),
                                           headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
        self._keep(result)
        return result

    def sign_in(self, email: str, password: str = PASSWORD):
        self.get("/staff/sign-in")
        return self.post("/staff/sign-in", {"email": email, "password": password})


def signed_in(client: falcon.testing.TestClient, services: Services, email: str, role: Role, provider_ids: tuple[int, ...] = ()) -> StaffBrowser:
    """A new member of staff with this role, signed in through the real sign-in page."""
    add_user(services, email, role, provider_ids)
    browser = StaffBrowser(client)
    result = browser.sign_in(email)
    assert result.status_code == 303, result.text
    return browser
