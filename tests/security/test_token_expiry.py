"""API tokens stop working at the end of the days they were made for (a token nobody revoked lived for ever)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from service.auth.permissions import Role
from service.auth.tokens import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, TokenError, create_token
from service.storage.orm import ApiToken
from service.storage.types import utcnow
from tests.support.staff import signed_in


def _works(client, secret: str) -> int:
    return client.simulate_get("/api/v1/providers", headers={"Authorization": f"Bearer {secret}"}).status_code


def _expire(services, token_id: int, *, ago: timedelta = timedelta(seconds=1)) -> None:
    with services.session_factory.begin() as session:
        session.execute(update(ApiToken).where(ApiToken.id == token_id).values(expires_at=utcnow() - ago))


def test_a_token_made_over_the_api_lasts_the_days_asked_then_stops(client, services, admin_headers):
    made = client.simulate_post("/api/v1/tokens", json={"role": "engagement", "label": "reports", "days": 30}, headers=admin_headers)
    assert made.status_code == 201, made.text
    expires = made.json["expires_at"]
    with services.session_factory() as session:
        row = session.get(ApiToken, made.json["id"])
        assert timedelta(days=30) - timedelta(minutes=1) < row.expires_at - row.created_at <= timedelta(days=30)
    assert _works(client, made.json["token"]) == 200
    listed = {t["id"]: t for t in client.simulate_get("/api/v1/tokens", headers=admin_headers).json["items"]}
    assert listed[made.json["id"]]["expires_at"] == expires
    _expire(services, made.json["id"])
    assert _works(client, made.json["token"]) == 401


def test_the_default_is_a_year_and_the_days_are_bounded(client, services, admin_headers):
    with services.session_factory.begin() as session:
        row, _ = create_token(session, Role.BOARD)
        assert row.expires_at - row.created_at == timedelta(days=DEFAULT_TOKEN_DAYS)
    for days in (0, -1, MAX_TOKEN_DAYS + 1, "30", 1.5):
        refused = client.simulate_post("/api/v1/tokens", json={"role": "board", "days": days}, headers=admin_headers)
        assert refused.status_code == 422 and [e["field"] for e in refused.json["errors"]] == ["days"], (days, refused.json)
    with services.session_factory.begin() as session:
        for days in (0, MAX_TOKEN_DAYS + 1, True):
            with pytest.raises(TokenError):
                create_token(session, Role.BOARD, days=days)


def test_a_token_made_before_tokens_expired_keeps_working(client, services):
    with services.session_factory.begin() as session:
        row, secret = create_token(session, Role.BOARD, label="old integration")
        row.expires_at = None   # as migration 0016 leaves the tokens that were there
    assert _works(client, secret) == 200


def test_the_tokens_page_asks_for_days_and_shows_when_each_stops(client, services):
    admin = signed_in(client, services, "tokens@example.org", Role.ADMIN)
    bad = admin.post("/staff/tokens", {"label": "scanner", "role": "data_entry", "provider_ids": "", "days": "forever"})
    assert bad.status_code == 422 and re.findall(r'<li><a href="#([^"]+)">', bad.text) == ["days"]
    assert 'value="scanner"' in bad.text   # what was typed is kept
    made = admin.post("/staff/tokens", {"label": "scanner", "role": "data_entry", "provider_ids": "", "days": "7"})
    assert made.status_code == 200
    secret = re.search(r"<code>([^<]+)</code>", made.text).group(1)
    with services.session_factory() as session:
        row = session.scalars(select(ApiToken).where(ApiToken.label == "scanner")).one()
        assert row.expires_at - row.created_at == timedelta(days=7)
    assert "expires " in admin.get("/staff/tokens").text
    _expire(services, row.id)
    assert "expired " in admin.get("/staff/tokens").text and _works(client, secret) == 401


def test_the_command_line_makes_tokens_for_a_number_of_days(services, cli):
    assert cli("token", "create", "--role", "board", "--days", "0").exit_code != 0
    made = cli("token", "create", "--role", "board", "--days", "3")
    assert made.exit_code == 0 and "works until" in made.output, made.output
    with services.session_factory() as session:
        row = session.scalars(select(ApiToken)).one()
        assert row.expires_at - row.created_at == timedelta(days=3)


def test_the_token_list_says_until_when_each_works(services, cli):
    with services.session_factory.begin() as session:
        live, _ = create_token(session, Role.BOARD, label="live")
        old, _ = create_token(session, Role.BOARD, label="old")
        old.expires_at = None
        gone, _ = create_token(session, Role.BOARD, label="gone")
        gone.expires_at = utcnow() - timedelta(days=1)
    lines = {line.split("\t")[2]: line for line in cli("token", "list").output.splitlines()}
    assert "active until" in lines["live"] and "never expires" in lines["old"] and "expired" in lines["gone"]


def test_a_number_of_days_too_long_to_read_is_refused_not_a_500(client, services):
    admin = signed_in(client, services, "long@example.org", Role.ADMIN)
    for days in ("9" * 5000, "0" * 4400 + "30"):
        refused = admin.post("/staff/tokens", {"label": "scanner", "role": "board", "provider_ids": "", "days": days})
        assert refused.status_code == 422, (len(days), refused.status_code)


def test_an_expired_token_is_told_so(client, services):
    with services.session_factory.begin() as session:
        row, secret = create_token(session, Role.BOARD, label="reports", days=1)
    _expire(services, row.id)
    refused = client.simulate_get("/api/v1/providers", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401 and "stopped working on" in refused.json["detail"], refused.json
    unknown = client.simulate_get("/api/v1/providers", headers={"Authorization": "Bearer msp_nothing"})
    assert unknown.status_code == 401 and "expired" not in unknown.text


def test_a_token_made_with_a_token_stops_no_later_than_its_maker(client, services):
    """Otherwise whoever holds an admin token (a lost laptop, a supplier gone) keeps access for ever by
    making its successor before it stops."""
    with services.session_factory.begin() as session:
        parent, secret = create_token(session, Role.ADMIN, label="supplier", days=2)
        legacy, legacy_secret = create_token(session, Role.ADMIN, label="old")
        legacy.expires_at = None
        parent_expires = parent.expires_at
    made = client.simulate_post("/api/v1/tokens", json={"role": "admin", "label": "successor", "days": 730},
                                headers={"Authorization": f"Bearer {secret}"})
    assert made.status_code == 201
    shorter = client.simulate_post("/api/v1/tokens", json={"role": "board", "days": 1},
                                   headers={"Authorization": f"Bearer {secret}"})
    from_legacy = client.simulate_post("/api/v1/tokens", json={"role": "board", "days": 730},
                                       headers={"Authorization": f"Bearer {legacy_secret}"})
    with services.session_factory() as session:
        assert session.get(ApiToken, made.json["id"]).expires_at == parent_expires
        child = session.get(ApiToken, shorter.json["id"])
        assert child.expires_at - child.created_at == timedelta(days=1)    # fewer days than the maker: as asked
        heir = session.get(ApiToken, from_legacy.json["id"])
        assert heir.expires_at - heir.created_at <= timedelta(days=DEFAULT_TOKEN_DAYS)
