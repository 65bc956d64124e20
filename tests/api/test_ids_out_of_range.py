"""An id past what the database column holds, in a JSON body or a query string, is the caller's mistake:
422 (body) or 400 (query) naming the field, never a 500 from the driver's integer overflow.

PostgreSQL's INTEGER ends at 2**31 - 1 and SQLite's at 2**63 - 1, so each case is tried with both (and
with a number neither holds); the tests run on whichever database TEST_DATABASE_URL names."""
from __future__ import annotations

import pytest

from service.auth.permissions import Role
from service.storage.types import MAX_ROW_ID
from tests.conftest import make_token

TOO_LARGE = [MAX_ROW_ID + 1, 2**63, 10**20]


def problem_fields(response) -> set[str]:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    return {error["field"] for error in response.json.get("errors", [])}


def meeting(provider_id: int, **changes) -> dict:
    return {"provider_id": provider_id, "held_on": "2026-10-01", "attendance": {"residents": 6, "relatives": 2, "staff": 1},
            **changes}


@pytest.mark.parametrize("too_large", TOO_LARGE)
def test_public_submission_with_too_large_provider_id_is_422(client, too_large):
    response = client.simulate_post("/api/v1/submissions", json={"provider_id": too_large})
    assert response.status_code == 422, response.text
    assert problem_fields(response) == {"provider_id"}


@pytest.mark.parametrize("too_large", TOO_LARGE)
@pytest.mark.parametrize("path, document, field", [
    ("/api/v1/sms/invitations", lambda n: {"phone": "07911 123456", "language": "en", "provider_id": n}, "provider_id"),
    ("/api/v1/meetings", meeting, "provider_id"),
    ("/api/v1/meetings", lambda n: meeting(1, follow_ups=[{"action_id": n, "decision": "done"}]), "follow_ups.0.action_id"),
    ("/api/v1/tokens", lambda n: {"role": "provider_responder", "provider_ids": [n]}, "provider_ids.0"),
    ("/api/v1/users", lambda n: {"email": "far@example.org", "role": "provider_responder", "provider_ids": [n]}, "provider_ids.0"),
])
def test_staff_bodies_with_too_large_ids_are_422(client, admin_headers, too_large, path, document, field):
    response = client.simulate_post(path, json=document(too_large), headers=admin_headers)
    assert response.status_code == 422, response.text
    assert problem_fields(response) == {field}


@pytest.mark.parametrize("too_large", TOO_LARGE)
def test_user_patch_with_too_large_provider_id_is_422(client, admin_headers, too_large):
    created = client.simulate_post("/api/v1/users", json={"email": "near@example.org", "role": "duty_team"}, headers=admin_headers)
    assert created.status_code == 201, created.text
    response = client.simulate_patch(f"/api/v1/users/{created.json['id']}", json={"role": "provider_responder", "provider_ids": [too_large]},
                                     headers=admin_headers)
    assert response.status_code == 422, response.text
    assert problem_fields(response) == {"provider_ids.0"}


@pytest.mark.parametrize("too_large", TOO_LARGE)
@pytest.mark.parametrize("path, params, field", [
    ("/api/v1/submissions", lambda n: {"provider_id": n}, "provider_id"),
    ("/api/v1/meetings", lambda n: {"provider_id": n}, "provider_id"),
    ("/api/v1/meetings/open-actions", lambda n: {"provider_id": n, "held_on": "2026-11-01"}, "provider_id"),
    ("/api/v1/audit", lambda n: {"before_id": n}, "before_id"),
])
def test_queries_with_too_large_ids_are_400(client, admin_headers, too_large, path, params, field):
    response = client.simulate_get(path, params=params(too_large), headers=admin_headers)
    assert response.status_code == 400, response.text
    assert problem_fields(response) == {field}
    assert str(MAX_ROW_ID) in response.json["detail"]


def test_the_largest_id_is_a_question_not_an_error(client, services):
    """The largest id a column holds is still a valid question (no such provider yet), not an error."""
    headers = {"Authorization": f"Bearer {make_token(services, Role.ADMIN)}"}
    for path, params in [("/api/v1/submissions", {"provider_id": MAX_ROW_ID}), ("/api/v1/meetings", {"provider_id": MAX_ROW_ID}),
                         ("/api/v1/meetings/open-actions", {"provider_id": MAX_ROW_ID, "held_on": "2026-11-01"})]:
        response = client.simulate_get(path, params=params, headers=headers)
        assert response.status_code == 200 and response.json["items"] == [], (path, response.text)
    assert client.simulate_get("/api/v1/audit", params={"before_id": MAX_ROW_ID}, headers=headers).status_code == 200


def test_open_actions_still_needs_a_provider(client, admin_headers):
    response = client.simulate_get("/api/v1/meetings/open-actions", params={"held_on": "2026-11-01"}, headers=admin_headers)
    assert response.status_code == 400
    assert problem_fields(response) == {"provider_id"}
