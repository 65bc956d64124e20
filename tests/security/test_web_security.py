"""Web security: CSP without unsafe-inline, frame-ancestors none, HSTS over https, no stack traces or SQL
in any response, no caching of pages with people's details."""
from __future__ import annotations

import falcon
import falcon.testing
from sqlalchemy import text

from service.app import build_services, create_app
from service.auth.permissions import Permission
from service.config import Settings

from .test_route_permissions import walk_routes


def _check_headers(result, where: str) -> None:
    csp = result.headers.get("content-security-policy", "")
    assert csp, f"{where}: no Content-Security-Policy"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{where}: {csp}"
    assert "frame-ancestors 'none'" in csp, f"{where}: {csp}"
    assert result.headers.get("x-content-type-options") == "nosniff"
    assert result.headers.get("x-frame-options") == "DENY"


def test_every_page_without_path_values_sends_the_security_headers(app, client, admin_headers):
    checked = 0
    for route in walk_routes(app):
        if route.method != "GET" or "{" in route.template:
            continue
        for headers in ({}, admin_headers):
            result = client.simulate_get(route.template, headers=headers)
            _check_headers(result, f"GET {route.template} -> {result.status_code}")
            checked += 1
    assert checked >= 10


def test_errors_carry_the_headers_too(client):
    for result in (client.simulate_get("/nowhere"), client.simulate_get("/api/v1/audit"),
                   client.simulate_delete("/api/v1/providers")):
        _check_headers(result, f"{result.status_code}")
        assert "no-store" in result.headers.get("cache-control", "")


def test_hsts_only_when_served_over_https(services, tmp_path, client):
    assert "strict-transport-security" not in client.simulate_get("/healthz").headers
    https = Settings.from_environ({"DATABASE_URL": services.settings.database_url, "SECRET_KEY": services.settings.secret_key,
                                   "PUBLIC_BASE_URL": "https://feedback.example.org", "VAR_DIR": str(tmp_path)})
    secure_client = falcon.testing.TestClient(create_app(services=build_services(https, engine=services.engine)))
    hsts = secure_client.simulate_get("/healthz").headers["strict-transport-security"]
    assert "max-age=31536000" in hsts


class _Explodes:
    permissions = {"GET": Permission.PUBLIC, "POST": Permission.PUBLIC}

    def __init__(self, engine):
        self._engine = engine

    def on_get(self, req, resp):
        raise RuntimeError("SELECT secret FROM contacts WHERE phone = '07700 900123'")

    def on_post(self, req, resp):
        with self._engine.connect() as connection:
            connection.execute(text("SELECT phone FROM no_such_table WHERE email = 'pat@example.org'"))


def test_no_stack_trace_or_sql_in_any_response(app, client, services):
    app.add_route("/test/explodes", _Explodes(services.engine))
    for result in (client.simulate_get("/test/explodes"), client.simulate_post("/test/explodes")):
        assert result.status_code == 500
        assert result.headers["content-type"].startswith("application/problem+json")
        body = result.text
        for leak in ("Traceback", "SELECT", "no_such_table", "07700", "pat@example.org", "sqlalchemy", ".py", "RuntimeError"):
            assert leak not in body, leak
        _check_headers(result, "500")


def test_bad_input_to_staff_and_privacy_routes_gives_no_trace(client, admin_headers):
    results = [
        client.simulate_post("/api/v1/privacy/erasures", body="{not json", headers={**admin_headers, "Content-Type": "application/json"}),
        client.simulate_post("/api/v1/privacy/subject-access", json={"phone": "x" * 5000}, headers=admin_headers),
        client.simulate_post("/staff/sign-in", body="%ff%fe=\x00", headers={"Content-Type": "application/x-www-form-urlencoded"}),
        client.simulate_get("/staff/set-password/" + "a" * 500),
        client.simulate_get("/api/v1/audit", params={"limit": "many"}, headers=admin_headers),
    ]
    for result in results:
        assert result.status_code < 500, (result.status_code, result.text[:200])
        assert "Traceback" not in result.text


def test_staff_pages_are_not_cached_and_not_framed(browser, make_user):
    make_user("admin@example.org")
    browser.sign_in("admin@example.org")
    for path in ("/staff", "/staff/accounts", "/staff/tokens", "/staff/sign-in"):
        result = browser.get(path)
        assert result.headers["cache-control"] == "no-store"
        _check_headers(result, path)


def test_every_post_form_on_every_page_carries_a_csrf_token(app, client, admin_headers):
    """Whatever pages other parts add: each state-changing form they show carries the CSRF field."""
    import re

    missing, forms_seen = [], 0
    for route in walk_routes(app):
        if route.method != "GET" or "{" in route.template:
            continue
        for headers in ({}, admin_headers):
            result = client.simulate_get(route.template, headers=headers)
            for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", result.text or "", flags=re.S | re.I):
                forms_seen += 1
                if 'name="csrf_token"' not in form:
                    missing.append(route.template)
    assert forms_seen >= 5
    assert not missing, missing
