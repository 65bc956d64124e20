"""Sign-in against the real service under gunicorn (real cookies over real HTTP)."""
from __future__ import annotations

import re

import requests

from service.auth.permissions import Role
from service.auth.users import create_user

from .conftest import PASSWORD


def test_sign_in_and_out_over_http(live_server, live_services):
    with live_services.session_factory.begin() as session:
        create_user(session, email="live-admin@example.org", role=Role.ADMIN.value, password=PASSWORD)
    browser = requests.Session()
    page = browser.get(f"{live_server.base_url}/staff/sign-in", timeout=10)
    assert page.status_code == 200 and "unsafe-inline" not in page.headers["Content-Security-Policy"]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    signed_in = browser.post(f"{live_server.base_url}/staff/sign-in", data={"email": "live-admin@example.org", "password": PASSWORD,
                             "csrf_token": token}, allow_redirects=False, timeout=10)
    assert signed_in.status_code == 303
    set_cookie = signed_in.headers["Set-Cookie"]
    assert "msp_session=" in set_cookie and "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie
    home = browser.get(f"{live_server.base_url}/staff", timeout=10)
    assert home.status_code == 200 and "live-admin" in home.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', home.text).group(1)
    out = browser.post(f"{live_server.base_url}/staff/sign-out", data={"csrf_token": token}, allow_redirects=False, timeout=10)
    assert out.status_code == 303
    assert browser.get(f"{live_server.base_url}/staff", allow_redirects=False, timeout=10).status_code == 303
