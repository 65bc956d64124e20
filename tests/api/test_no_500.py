"""Property test: no request body or query, however malformed, makes the API answer 500."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
keys = st.sampled_from(["channel", "respondent", "language", "answers", "texts", "consent", "provider_id", "contact", "communication_needs", "case_reference", "questionnaire_version", "x"])
bodies = st.dictionaries(keys, json_values, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_random_json_bodies(client, body):
    response = client.simulate_post("/api/v1/submissions", body=json.dumps(body), headers={"Content-Type": "application/json"})
    assert response.status_code in (201, 400, 403, 409, 413, 415, 422, 429), response.text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_random_bytes(client, raw):
    response = client.simulate_post("/api/v1/submissions", body=raw, headers={"Content-Type": "application/json"})
    assert response.status_code in (201, 400, 422), response.text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(["channel", "provider_id", "language", "received_from", "received_to", "limit", "cursor"]), st.text(max_size=20), max_size=4))
def test_random_query_parameters(client, admin_headers, params):
    response = client.simulate_get("/api/v1/submissions", params=params, headers=admin_headers)
    assert response.status_code in (200, 400), response.text
