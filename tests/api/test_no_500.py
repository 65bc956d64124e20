"""Property test: no request body or query, however malformed, makes the API answer 500."""
from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

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


# Whole ISO times anywhere in Python's range, with any offset: at the ends of the range, moving one to UTC
# leaves it (0001-01-01T00:00+01:00), which the short random strings above almost never hit.
offsets = st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59)).map(timezone)
iso_times = st.one_of(
    st.datetimes(timezones=st.none() | offsets),
    st.sampled_from([datetime.min, datetime.max]).flatmap(lambda edge: offsets.map(lambda zone: edge.replace(tzinfo=zone))),
).map(datetime.isoformat)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moment=iso_times, name=st.sampled_from(["received_from", "received_to", "cursor"]))
def test_random_times_and_cursors(client, admin_headers, moment, name):
    value = base64.urlsafe_b64encode(f"{moment}|x".encode()).decode() if name == "cursor" else moment
    response = client.simulate_get("/api/v1/submissions", params={name: value}, headers=admin_headers)
    assert response.status_code in (200, 400), response.text


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moment=iso_times, name=st.sampled_from(["from", "to"]))
def test_random_times_on_the_audit_log(client, admin_headers, moment, name):
    response = client.simulate_get("/api/v1/audit", params={name: moment}, headers=admin_headers)
    assert response.status_code in (200, 400), response.text
