"""Findings of the API audit (round 13): hostile dates and cursors, limit=0, HEAD, the OpenAPI document's coverage."""
from __future__ import annotations

import base64
import re

import pytest

from tests.api.test_api import EXAMPLE, assert_problem, post


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# --- dates and cursors at the edge of what Python can hold: a 400 naming the parameter, not a 500 ---------

@pytest.mark.parametrize(("path", "name", "value"), [
    ("/api/v1/submissions", "received_from", "0001-01-01T00:00:00+01:00"),   # year 0 in UTC
    ("/api/v1/submissions", "received_to", "9999-12-31T23:59:59-01:00"),     # year 10000 in UTC
    ("/api/v1/audit", "from", "0001-01-01T00:00:00+01:00"),
    ("/api/v1/audit", "to", "9999-12-31T23:59:59-05:00"),
    ("/api/v1/audit/export", "from", "0001-01-01T00:00:00+14:00"),
])
def test_a_time_outside_the_utc_range_is_a_400_naming_the_parameter(client, admin_headers, path, name, value):
    post(client, EXAMPLE)
    document = assert_problem(client.simulate_get(path, params={name: value}, headers=admin_headers), 400, name)
    assert "9999" in document["detail"]


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59-00:00", "9999-12-31"])
def test_the_extreme_times_that_fit_in_utc_are_still_accepted(client, admin_headers, value):
    post(client, EXAMPLE)
    for name in ("received_from", "received_to"):
        assert client.simulate_get("/api/v1/submissions", params={name: value}, headers=admin_headers).status_code == 200


@pytest.mark.parametrize("raw", ["9999-12-31T23:59:59-05:00|x", "0001-01-01T00:00:00+05:00|x"])
def test_a_crafted_cursor_outside_the_utc_range_is_a_400(client, admin_headers, raw):
    post(client, EXAMPLE)
    assert_problem(client.simulate_get("/api/v1/submissions", params={"cursor": _cursor(raw)}, headers=admin_headers), 400, "cursor")


def test_a_cursor_with_an_offset_still_pages_in_utc(client, admin_headers):
    """A cursor is compared in UTC: one written with an offset far ahead still finds what came before it."""
    created = post(client, EXAMPLE).json["id"]
    page = client.simulate_get("/api/v1/submissions", params={"cursor": _cursor("9999-12-31T23:00:00+05:00|x")}, headers=admin_headers)
    assert page.status_code == 200 and [item["id"] for item in page.json["items"]] == [created]


# --- limit ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("limit", ["0", "101", "00"])
def test_a_limit_out_of_range_is_a_400(client, admin_headers, limit):
    post(client, EXAMPLE)
    assert_problem(client.simulate_get("/api/v1/submissions", params={"limit": limit}, headers=admin_headers), 400, "limit")


def test_no_limit_means_the_default_page(client, admin_headers):
    post(client, EXAMPLE)
    assert len(client.simulate_get("/api/v1/submissions", headers=admin_headers).json["items"]) == 1
    assert len(client.simulate_get("/api/v1/submissions", params={"limit": "1"}, headers=admin_headers).json["items"]) == 1


# --- HEAD: answered like GET, without the body --------------------------------------------------------

@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/api/v1/openapi.json", "/", "/feedback"])
def test_head_on_a_public_route_is_get_without_the_body(client, path):
    get, head = client.simulate_get(path), client.simulate_head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    if path != "/feedback":   # the form carries a fresh token each time, so its length may differ by a byte
        assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["cache-control"] == get.headers["cache-control"]


def test_head_on_the_api_needs_what_get_needs(client, services, admin_headers):
    from service.auth.permissions import Role
    from tests.conftest import make_token

    created = post(client, EXAMPLE).json["id"]
    board = {"Authorization": f"Bearer {make_token(services, Role.BOARD)}"}
    for path in ("/api/v1/submissions", f"/api/v1/submissions/{created}", f"/api/v1/submissions/{created}/contact", "/api/v1/audit"):
        assert client.simulate_head(path, headers=admin_headers).status_code == 200, path
        anonymous = client.simulate_head(path)
        assert anonymous.status_code == 401 and anonymous.content == b"", path
        assert client.simulate_head(path, headers=board).status_code == 403, path
    assert client.simulate_head("/api/v1/submissions/no-such-id", headers=admin_headers).status_code == 404


def test_a_head_that_reads_someones_words_is_audited_like_the_get(client, services, admin_headers):
    from sqlalchemy import select

    from service.audit.models import AuditEvent

    created = post(client, EXAMPLE).json["id"]
    assert client.simulate_head(f"/api/v1/submissions/{created}", headers=admin_headers).status_code == 200
    with services.session_factory() as session:
        views = list(session.scalars(select(AuditEvent.target_id).where(AuditEvent.action == "submission.view")))
    assert views == [created]


def test_head_where_there_is_no_get_is_405_and_allow_names_head_where_there_is(client, admin_headers):
    no_get = client.simulate_head("/api/v1/privacy/erasures", headers=admin_headers)
    assert no_get.status_code == 405 and no_get.headers["allow"] == "POST"
    put = client.simulate_put("/healthz")
    assert put.status_code == 405 and set(put.headers["allow"].split(", ")) == {"GET", "HEAD"}


# --- the OpenAPI document: every route, the statuses the audit found missing, answers that match it -------

API_ROUTE_PARAM = re.compile(r"\{(\w+):[^}]*\}")   # "{user_id:int}" in a Falcon route is "{user_id}" in OpenAPI


def api_operations(app) -> set[tuple[str, str]]:
    """(path, method) for every responder the app's own resources give under /api/v1/ (not Falcon's defaults)."""
    from falcon.inspect import inspect_app

    found = set()
    for route in inspect_app(app).routes:
        path = API_ROUTE_PARAM.sub(r"{\1}", route.path)
        if path.startswith("/api/v1/") and path != "/api/v1/openapi.json":
            found |= {(path, method.method.lower()) for method in route.methods if not method.internal}
    return found


def test_the_openapi_document_names_every_api_route_and_method(client, app):
    documented = client.simulate_get("/api/v1/openapi.json").json["paths"]
    served = api_operations(app)
    assert len(served) > 30
    # HEAD is GET without the body (said once, in info.description): documented where GET is.
    missing = sorted(f"{method.upper()} {path}" for path, method in served
                     if method not in documented.get(path, {}) and not (method == "head" and "get" in documented.get(path, {})))
    assert missing == [], missing
    stale = sorted(f"{method.upper()} {path}" for path, operations in documented.items() for method in operations
                   if (path, method) not in served)
    assert stale == [], stale


def test_the_openapi_document_lists_the_statuses_the_api_gives(client, admin_headers):
    document = client.simulate_get("/api/v1/openapi.json").json
    paths = document["paths"]
    assert "HEAD" in document["info"]["description"] and "gunicorn" in document["info"]["description"]
    for path, params, operation in [("/api/v1/providers", {"active": "maybe"}, paths["/api/v1/providers"]["get"]),
                                    ("/api/v1/outbox", {"failed_tasks": "maybe"}, paths["/api/v1/outbox"]["get"])]:
        assert client.simulate_get(path, params=params, headers=admin_headers).status_code == 400
        assert "400" in operation["responses"], path
    bad_token = post(client, EXAMPLE, headers={"Authorization": "Bearer msp_not-a-token"})
    assert bad_token.status_code == 401 and "401" in paths["/api/v1/submissions"]["post"]["responses"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if "requestBody" in operation:   # service.api.bodies answers a chunked body with 411
                assert "411" in operation["responses"], f"{method.upper()} {path}"
            assert "401" in operation["responses"], f"{method.upper()} {path}"   # a bad token is 401 everywhere
    texts = document["components"]["schemas"]["SubmissionOut"]["properties"]["texts"]["description"]
    assert "redacted" in texts


def _check(document: dict, path: str, method: str, response) -> None:
    """The response has a documented status and, for JSON, matches the documented schema."""
    from jsonschema import Draft202012Validator, FormatChecker

    documented = document["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, (method, path, response.status_code, response.text[:200])
    content = documented[str(response.status_code)].get("content", {})
    if "application/json" in content:
        schema = {**content["application/json"]["schema"], "components": document["components"]}
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(response.json)]
        assert errors == [], (method, path, errors)
    elif content:
        assert response.headers["content-type"].split(";")[0] in content, (method, path)


def test_the_newly_documented_operations_answer_as_documented(client, services, admin_headers):
    """Users, tokens, audit, privacy and contact (their answers are built as dicts, so check them here)."""
    document = client.simulate_get("/api/v1/openapi.json").json
    created = post(client, {**EXAMPLE, "consent": "named", "contact": {"preference": "email", "email": "ann@example.org"}}).json

    def call(method: str, path: str, template: str | None = None, **kwargs):
        response = client.simulate_request(method, path, headers=admin_headers, **kwargs)
        _check(document, template or path, method.lower(), response)
        return response

    call("GET", f"/api/v1/submissions/{created['id']}/contact", "/api/v1/submissions/{submission_id}/contact")
    user = call("POST", "/api/v1/users", json={"email": "new@example.org", "role": "engagement"}).json
    call("GET", "/api/v1/users")
    call("GET", f"/api/v1/users/{user['id']}", "/api/v1/users/{user_id}")
    call("PATCH", f"/api/v1/users/{user['id']}", "/api/v1/users/{user_id}", json={"display_name": "New"})
    call("POST", f"/api/v1/users/{user['id']}/password-reset", "/api/v1/users/{user_id}/password-reset")
    call("POST", f"/api/v1/users/{user['id']}/unlock", "/api/v1/users/{user_id}/unlock")
    token = call("POST", "/api/v1/tokens", json={"role": "board", "label": "spare"}).json
    call("GET", "/api/v1/tokens")
    call("DELETE", f"/api/v1/tokens/{token['id']}", "/api/v1/tokens/{token_id}")
    call("DELETE", f"/api/v1/tokens/{token['id']}", "/api/v1/tokens/{token_id}")   # 404: already revoked
    call("GET", "/api/v1/audit", params={"limit": "2"})
    call("GET", "/api/v1/audit/export")
    call("GET", "/api/v1/audit", params={"from": "tomorrow"})   # 400
    call("POST", "/api/v1/privacy/subject-access", json={"email": "ann@example.org"})
    call("POST", "/api/v1/privacy/consent-withdrawals", json={"reference": created["reference"]})
    call("POST", "/api/v1/privacy/retention")
    call("POST", "/api/v1/privacy/erasures", json={"email": "ann@example.org", "reason": "asked by phone"})
    call("POST", "/api/v1/privacy/erasures", json={})   # 422: nobody named
