"""Findings of the API audit (round 13): hostile dates and cursors, limit=0, HEAD, the OpenAPI document's coverage."""
from __future__ import annotations

import base64

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
