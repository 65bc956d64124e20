"""End to end over real HTTP: the service under gunicorn, started by the test (`msp-feedback serve`)."""
from __future__ import annotations

import concurrent.futures

import requests

from service.auth.permissions import Role
from tests.conftest import make_token

EXAMPLE = {
    "channel": "web", "respondent": "person", "language": "en",
    "answers": {"asked_outcomes": "yes_expressed", "feel_safer": "a_bit_safer"},
    "texts": {"own_words": "They listened to me. ذہنی دباؤ — ok 😊"}, "consent": "anonymous",
    "provider_id": None, "contact": {"preference": "none"},
}


def test_post_and_read_back_over_http(live_server, live_services):
    token = make_token(live_services, Role.ADMIN)
    base = live_server.base_url
    assert requests.get(f"{base}/healthz", timeout=5).json() == {"status": "ok"}
    created = requests.post(f"{base}/api/v1/submissions", json=EXAMPLE, timeout=5)
    assert created.status_code == 201, created.text
    read = requests.get(f"{base}/api/v1/submissions/{created.json()['id']}", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert read.status_code == 200
    assert read.json()["texts"]["own_words"] == EXAMPLE["texts"]["own_words"]
    assert read.json()["reference"] == created.json()["reference"]


def test_concurrent_retries_with_one_idempotency_key_store_once(live_server, live_services):
    token = make_token(live_services, Role.ADMIN)
    base = live_server.base_url

    def send(_):
        return requests.post(f"{base}/api/v1/submissions", json=EXAMPLE, headers={"Idempotency-Key": "same-key-e2e"}, timeout=10)

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(send, range(6)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    listing = requests.get(f"{base}/api/v1/submissions", headers={"Authorization": f"Bearer {token}"}, timeout=5).json()
    assert len(listing["items"]) == 1


def test_malformed_requests_never_get_a_500(live_server):
    base = live_server.base_url
    attempts = [
        ("POST", "/api/v1/submissions", {"Content-Type": "application/json"}, b"\x00\x01\x02"),
        ("POST", "/api/v1/submissions", {"Content-Type": "application/json"}, b'{"answers": null}'),
        ("POST", "/api/v1/submissions", {"Content-Type": "application/json"}, b'{"texts": {"own_words": 5}}'),
        ("POST", "/api/v1/submissions", {"Content-Type": "text/plain"}, b"hello"),
        ("GET", "/api/v1/submissions/%00%ff", {"Authorization": "Bearer msp_x"}, None),
        ("GET", "/api/v1/submissions?limit=-1", {}, None),
        ("PATCH", "/api/v1/providers/abc", {}, b"{}"),
        ("GET", "/api/v1/providers/99999999999999999999", {}, None),
    ]
    for method, path, headers, body in attempts:
        response = requests.request(method, base + path, headers=headers, data=body, timeout=5)
        assert response.status_code < 500, (method, path, response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "Traceback" not in response.text and "SELECT" not in response.text


def test_a_chunked_body_is_asked_for_its_length_not_called_empty(live_server):
    import json

    def chunks():
        yield json.dumps(EXAMPLE).encode()

    response = requests.post(f"{live_server.base_url}/api/v1/submissions", data=chunks(),
                             headers={"Content-Type": "application/json"}, timeout=5)
    assert response.status_code == 411, response.text
    assert "Content-Length" in response.json()["detail"]


def test_head_is_answered_like_get_without_a_body(live_server, live_services):
    """Uptime checks and load balancers send HEAD: gunicorn passes it through and the app answers it as GET."""
    token = make_token(live_services, Role.ADMIN)
    base = live_server.base_url
    health = requests.head(f"{base}/healthz", timeout=5)
    assert health.status_code == 200 and health.content == b""
    assert health.headers["content-length"] == str(len(requests.get(f"{base}/healthz", timeout=5).content))
    listing = requests.head(f"{base}/api/v1/submissions", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert listing.status_code == 200 and listing.headers["content-type"].startswith("application/json")
    assert requests.head(f"{base}/api/v1/submissions", timeout=5).status_code == 401


def test_gunicorn_answers_an_oversized_request_itself_in_html_as_the_readme_says(live_server):
    """Not problem+json: gunicorn refuses these before the app sees them (README, The API)."""
    base = live_server.base_url
    long_line = requests.get(f"{base}/api/v1/submissions/{'a' * 5000}", timeout=5)
    assert long_line.status_code == 414 and long_line.headers["content-type"] == "text/html"
    big_header = requests.get(f"{base}/healthz", headers={"X-Padding": "a" * 9000}, timeout=5)
    assert big_header.status_code == 431 and big_header.headers["content-type"] == "text/html"
    assert "aaaa" not in long_line.text + big_header.text
