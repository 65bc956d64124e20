"""The JSON API through the real Falcon app (falcon.testing), on the real test database."""
from __future__ import annotations

import json
import logging

import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from service.api.submissions import submission_body_bytes
from service.auth.permissions import Role
from service.storage.orm import Submission
from tests.conftest import make_token

EXAMPLE = {
    "channel": "web", "respondent": "person", "language": "en",
    "answers": {"asked_outcomes": "yes_expressed", "feel_safer": "a_bit_safer"},
    "texts": {"own_words": "They listened to me."}, "consent": "anonymous",
    "provider_id": None, "contact": {"preference": "none"},
}


def post(client, body, headers=None, raw=None):
    headers = {"Content-Type": "application/json", **(headers or {})}
    return client.simulate_post("/api/v1/submissions", body=raw if raw is not None else json.dumps(body), headers=headers)


def assert_problem(response, status: int, field: str | None = None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    document = response.json
    assert document["status"] == status and document["title"]
    if field:
        assert field in [e["field"] for e in document.get("errors", [])], document
    return document


def test_submit_and_read_back(client, admin_headers):
    created = post(client, EXAMPLE)
    assert created.status_code == 201
    body = created.json
    assert body["reference"].startswith("MSP-") and created.headers["location"] == f"/api/v1/submissions/{body['id']}"
    read = client.simulate_get(f"/api/v1/submissions/{body['id']}", headers=admin_headers)
    assert read.status_code == 200
    item = read.json
    assert item["texts"] == {"own_words": "They listened to me."}
    assert item["answers"] == EXAMPLE["answers"]
    assert item["consent"] == "anonymous" and item["contact"] == {"preference": "none", "safe_to_contact": None, "has_details": False}
    assert item["questionnaire_version"] == 1 and item["received_at"].endswith("Z") or "+00:00" in item["received_at"]


def test_idempotency_key_replays_the_first_result(client, admin_headers):
    first = post(client, EXAMPLE, {"Idempotency-Key": "abc-123"})
    second = post(client, EXAMPLE, {"Idempotency-Key": "abc-123"})
    assert first.status_code == second.status_code == 201
    assert first.json == second.json and second.headers.get("idempotent-replayed") == "true"
    changed = post(client, {**EXAMPLE, "consent": "none"}, {"Idempotency-Key": "abc-123"})
    assert_problem(changed, 409)
    listing = client.simulate_get("/api/v1/submissions", headers=admin_headers).json
    assert len(listing["items"]) == 1


@pytest.mark.parametrize(
    "raw, status, field",
    [
        ('{"answers": {"listened_to": "yes"', 400, None),                       # malformed JSON
        (json.dumps({**EXAMPLE, "provider_id": "3"}), 422, "provider_id"),      # wrong type
        (json.dumps({**EXAMPLE, "answers": {"listened_to": "maybe"}}), 422, "answers.listened_to"),  # unknown answer id
        (json.dumps({**EXAMPLE, "answers": {"nosuch": "yes"}}), 422, "answers.nosuch"),  # unknown question
        (json.dumps({**EXAMPLE, "mood": "happy"}), 422, "mood"),               # unknown field
        (json.dumps({**EXAMPLE, "contact": {"preference": "sms", "phone": "call me"}}), 422, "contact.phone"),
        (json.dumps({**EXAMPLE, "language": "xx"}), 422, "language"),
        (json.dumps({**EXAMPLE, "provider_id": 4242}), 422, "provider_id"),
        (json.dumps([1, 2]), 422, None),
        ("\xff\xfe", 400, None),
        ("", 400, None),
        # A key given twice: the model's parser kept the last consent, a proxy or a log may read the first
        # (intake audit #9).
        ('{"consent": "none", "texts": {"own_words": "my carer takes my money"}, "consent": "named"}', 400, "consent"),
        # named by its path, as every other problem names a field (second review: "phone" was ambiguous)
        ('{"contact": {"preference": "sms", "phone": "07700 900123", "phone": "07700 900999"}}', 400, "contact.phone"),
        ('{"texts": {"own_words": "a", "own_words": "b"}}', 400, "texts.own_words"),
        ('{"issues": [{"text": "a"}, {"text": "b", "text": "c"}]}', 400, "issues.1.text"),
        # half a character as the key: named safely, not a 500 (second review)
        ('{"channel": "web", "\\ud800": 1, "\\ud800": 2}', 400, "\\ud800"),
        ('{"texts": ' * 5000 + "{}" + "}" * 5000, 400, None),                 # too deep for any parser
        ('{"consent": "none", "consent": "named"', 400, None),                # not JSON: malformed, as before
    ],
)
def test_bad_requests_get_a_problem_and_store_nothing(client, admin_headers, raw, status, field):
    document = assert_problem(post(client, None, raw=raw), status, field)
    assert document.get("detail")
    assert client.simulate_get("/api/v1/submissions", headers=admin_headers).json["items"] == []


def test_duplicate_keys_are_refused_in_every_json_body_the_api_reads(client, admin_headers):
    twice = '{"name": "Oak House", "type": "care_home", "name": "Elm House"}'
    assert_problem(client.simulate_post("/api/v1/providers", body=twice, headers={**admin_headers, "Content-Type": "application/json"}),
                   400, "name")
    assert client.simulate_get("/api/v1/providers", headers=admin_headers).json["items"] == []


def test_other_need_words_count_as_the_other_need_and_needs_are_kept_once(client, admin_headers):
    # The API kept the words without "other" in the needs, where the web form dropped them (intake audit
    # #12): one rule for both, words typed count as ticking "Other"; a need given twice is kept once.
    created = post(client, {**EXAMPLE, "communication_needs": ["bsl", "large_print", "bsl"],
                            "communication_needs_other": "A BSL interpreter I know"})
    item = client.simulate_get(created.headers["location"], headers=admin_headers).json
    assert item["communication_needs"] == ["bsl", "large_print", "other"]
    assert item["communication_needs_other"] == "A BSL interpreter I know"
    blank = post(client, {**EXAMPLE, "communication_needs": ["bsl"], "communication_needs_other": "  "})
    assert client.simulate_get(blank.headers["location"], headers=admin_headers).json["communication_needs"] == ["bsl"]


def test_body_over_the_limit_is_refused(client, admin_headers):
    limit = submission_body_bytes()
    big = {**EXAMPLE, "texts": {"own_words": "x" * 4000, "better": "y" * 4000}, "communication_needs_other": "z" * limit}
    assert_problem(post(client, big), 413)
    assert_problem(client.simulate_post("/api/v1/submissions", body=b"{" + b" " * limit + b"}", headers={"Content-Type": "application/json"}), 413)
    assert_problem(client.simulate_post("/api/v1/providers", body=b"{" + b" " * 70000 + b"}",
                                        headers={**admin_headers, "Content-Type": "application/json"}), 413)
    assert client.simulate_get("/api/v1/submissions", headers=admin_headers).json["items"] == []


def test_a_body_within_every_field_limit_is_not_refused_as_too_large(client, admin_headers):
    # json.dumps writes each non-ASCII character as \uXXXX (6 bytes), one past U+FFFF as two: two full
    # answers in Urdu with the other fields were refused at 64 KiB (intake audit #10).
    for letter in ("ہ", "😀"):
        body = {**EXAMPLE, "texts": {"own_words": letter * 5000, "better": letter * 5000}, "case_reference": letter * 64,
                "communication_needs": ["other"], "communication_needs_other": letter * 500,
                "contact": {"preference": "letter", "name": letter * 200, "postal_address": letter * 500,
                            "email": "a" * 64 + "@" + "b" * 185 + ".org", "phone": "0" * 20}}
        raw = json.dumps(body)
        response = post(client, None, raw=raw)
        assert response.status_code == 201, (len(raw), response.text)
        item = client.simulate_get(response.headers["location"], headers=admin_headers).json
        assert item["texts"]["better"] == letter * 5000


def test_wrong_content_type_and_unknown_ids(client, admin_headers):
    assert_problem(client.simulate_post("/api/v1/submissions", body="a=b", headers={"Content-Type": "application/x-www-form-urlencoded"}), 415)
    assert_problem(client.simulate_get("/api/v1/submissions/not-a-real-id", headers=admin_headers), 404)
    assert_problem(client.simulate_get("/api/v1/providers/999999", headers=admin_headers), 404)
    assert_problem(client.simulate_get("/api/v1/nothing-here"), 404)
    assert_problem(client.simulate_delete("/api/v1/submissions", headers=admin_headers), 405)


def test_reading_needs_a_valid_token(client, services):
    assert_problem(client.simulate_get("/api/v1/submissions"), 401)
    assert_problem(client.simulate_get("/api/v1/submissions", headers={"Authorization": "Bearer msp_wrong"}), 401)
    assert_problem(client.simulate_get("/api/v1/submissions", headers={"Authorization": "Basic abc"}), 401)
    board = make_token(services, Role.BOARD)
    assert_problem(client.simulate_get("/api/v1/submissions", headers={"Authorization": f"Bearer {board}"}), 403)


def test_public_intake_is_web_only_and_rate_limited(client, services, admin_headers):
    assert_problem(post(client, {**EXAMPLE, "channel": "paper"}), 403, "channel")
    assert post(client, {**EXAMPLE, "channel": "paper"}, admin_headers).status_code == 201
    services.intake_limiter.capacity = 2
    services.intake_limiter.rate = 1 / 60
    services.intake_limiter._buckets.clear()
    statuses = [post(client, EXAMPLE).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    limited = post(client, EXAMPLE)
    assert_problem(limited, 429)
    assert int(limited.headers["retry-after"]) >= 1


def test_the_rate_limit_holds_an_ipv6_client_by_its_64(client, services):
    # Each IPv6 address had its own bucket: ten hosts of one /64 (a single subscriber) sent ten times a
    # limit of 3 (intake audit #7).
    services.intake_limiter.capacity = 3
    services.intake_limiter.rate = 1 / 60
    services.intake_limiter._buckets.clear()

    def status(address: str) -> int:
        return client.simulate_post("/api/v1/submissions", json=EXAMPLE, remote_addr=address).status_code

    statuses = [status(f"2001:db8:1:2::{n:x}") for n in range(1, 11)]
    assert statuses == [201] * 3 + [429] * 7
    assert status("2001:db8:1:2:ffff:ffff:ffff:ffff") == 429
    assert status("2001:db8:1:3::1") == 201                  # the next /64 is someone else
    assert [status("::ffff:192.0.2.7") for _ in range(4)] == [201] * 3 + [429]
    assert status("192.0.2.7") == 429                        # the same IPv4 client, however written


def test_list_filters_and_cursor_pagination(client, admin_headers):
    provider = client.simulate_post("/api/v1/providers", json={"name": "Moorside", "type": "care_home", "area": "Bolton"}, headers=admin_headers).json
    ids = []
    for index in range(7):
        body = {**EXAMPLE, "language": "ur" if index % 2 else "en", "provider_id": provider["id"] if index < 3 else None}
        ids.append(post(client, body).json["id"])
    seen, cursor = [], None
    while True:
        page = client.simulate_get("/api/v1/submissions", params={"limit": 3, **({"cursor": cursor} if cursor else {})}, headers=admin_headers).json
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == 7
    assert len(client.simulate_get("/api/v1/submissions", params={"provider_id": provider["id"]}, headers=admin_headers).json["items"]) == 3
    assert len(client.simulate_get("/api/v1/submissions", params={"language": "ur"}, headers=admin_headers).json["items"]) == 3
    assert len(client.simulate_get("/api/v1/submissions", params={"channel": "sms"}, headers=admin_headers).json["items"]) == 0
    assert len(client.simulate_get("/api/v1/submissions", params={"received_from": "2999-01-01"}, headers=admin_headers).json["items"]) == 0
    assert_problem(client.simulate_get("/api/v1/submissions", params={"cursor": "garbage!"}, headers=admin_headers), 400, "cursor")
    assert_problem(client.simulate_get("/api/v1/submissions", params={"limit": "1000"}, headers=admin_headers), 400, "limit")
    assert_problem(client.simulate_get("/api/v1/submissions", params={"received_from": "yesterday"}, headers=admin_headers), 400, "received_from")


def test_providers_crud(client, admin_headers):
    created = client.simulate_post("/api/v1/providers", json={"name": "  Riverside  ", "type": "home_care"}, headers=admin_headers)
    assert created.status_code == 201 and created.json["name"] == "Riverside" and created.json["active"] is True
    provider_id = created.json["id"]
    patched = client.simulate_patch(f"/api/v1/providers/{provider_id}", json={"active": False, "area": "Farnworth"}, headers=admin_headers)
    assert patched.json == {"id": provider_id, "name": "Riverside", "type": "home_care", "area": "Farnworth", "active": False}
    assert client.simulate_get(f"/api/v1/providers/{provider_id}", headers=admin_headers).json["active"] is False
    assert client.simulate_get("/api/v1/providers", params={"active": "true"}, headers=admin_headers).json["items"] == []
    assert_problem(client.simulate_post("/api/v1/providers", json={"name": "X", "type": "castle"}, headers=admin_headers), 422, "type")
    assert_problem(client.simulate_patch(f"/api/v1/providers/{provider_id}", json={"colour": "red"}, headers=admin_headers), 422, "colour")


def test_openapi_document_is_valid(client):
    response = client.simulate_get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert "SubmissionIn" in document["components"]["schemas"]
    assert "/api/v1/submissions" in document["paths"] and "/api/v1/providers/{provider_id}" in document["paths"]


def test_health_and_readiness(client):
    assert client.simulate_get("/healthz").json == {"status": "ok"}
    ready = client.simulate_get("/readyz")
    assert ready.status_code == 200 and ready.json["status"] == "ready"


def test_security_headers_and_no_cache(client):
    response = client.simulate_get("/healthz")
    assert response.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-request-id"]


def test_logs_never_carry_free_text_or_contact_details(client, caplog):
    secret_words = "My neighbour Mrs Quill takes my pension"
    with caplog.at_level(logging.DEBUG):
        post(client, {**EXAMPLE, "texts": {"own_words": secret_words}, "contact": {"preference": "email", "email": "quill@example.org", "phone": "07700900123"}})
        post(client, None, raw=json.dumps({**EXAMPLE, "texts": {"own_words": secret_words}, "answers": {"x": "y"}}))
    from service.logs import JsonFormatter

    formatted = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    for needle in ("Quill", "pension", "quill@example.org", "07700900123"):
        assert needle not in formatted
    assert "request" in formatted  # the access line was logged (so the check above can fail)


def test_api_idempotency_keys_cannot_reach_a_channels_own_keys(client, services, admin_headers):
    """Channels key their own submissions (e.g. `paper:<sheet id>`); a public caller must not be able to
    claim, or probe for, one of those with the same string."""
    from service.domain.model import Channel, SubmitFeedback
    from service.intake import submit_feedback

    person = submit_feedback(SubmitFeedback(channel=Channel.PAPER, language="en", idempotency_key="paper:SHEET0001"), services.uow())
    probe = post(client, EXAMPLE, {"Idempotency-Key": "paper:SHEET0001"})
    assert probe.status_code == 201 and "idempotent-replayed" not in probe.headers
    assert probe.json["id"] != person.submission_id and probe.json["reference"] != person.reference


@pytest.mark.parametrize("length", [196, 197, 200])
def test_every_idempotency_key_the_api_accepts_fits_its_column_and_replays(client, services, admin_headers, length):
    # "api:" + a key of 197 to 200 characters overflowed VARCHAR(200): a 500 on PostgreSQL (intake audit #8).
    key, other = "k" * length, "k" * (length - 1) + "j"
    first = post(client, EXAMPLE, {"Idempotency-Key": key})
    assert first.status_code == 201, first.text
    again = post(client, EXAMPLE, {"Idempotency-Key": key})
    assert again.json == first.json and again.headers.get("idempotent-replayed") == "true"
    assert_problem(post(client, {**EXAMPLE, "consent": "none"}, {"Idempotency-Key": key}), 409)
    assert "idempotent-replayed" not in post(client, EXAMPLE, {"Idempotency-Key": other}).headers
    with services.session_factory() as session:
        stored = session.scalars(select(Submission.idempotency_key)).all()
    assert len(stored) == 2 and all(len(k) <= Submission.__table__.c.idempotency_key.type.length for k in stored)
    assert_problem(post(client, EXAMPLE, {"Idempotency-Key": "k" * 201}), 400)
