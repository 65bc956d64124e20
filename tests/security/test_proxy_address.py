"""Behind the service's own proxy the client address is the one the proxy added to X-Forwarded-For, not
the first one, which the client writes (audit, round 13: anyone could dodge the intake rate limit and
put any address in the audit log)."""
from __future__ import annotations

import json

import falcon.testing
from sqlalchemy import select

from service.app import build_services, create_app
from service.audit.models import AuditEvent
from tests.api.test_api import EXAMPLE, post
from tests.conftest import empty_all_tables, settings_for


def test_forwarded_for_first_hop_cannot_dodge_the_intake_rate_limit(database_url, engine, tmp_path):
    services = build_services(settings_for(database_url, tmp_path, TRUST_PROXY_HEADERS="true",
                                           INTAKE_RATE_LIMIT_PER_MINUTE="2"), engine=engine)
    try:
        client = falcon.testing.TestClient(create_app(services=services))
        statuses = []
        for n in range(6):
            # The client sends its own X-Forwarded-For; the proxy appends the real address (10.0.0.9).
            headers = {"Content-Type": "application/json", "X-Forwarded-For": f"203.0.113.{n}, 10.0.0.9"}
            statuses.append(client.simulate_post("/api/v1/submissions", body=json.dumps(EXAMPLE), headers=headers).status_code)
        assert statuses.count(429) >= 4, statuses
    finally:
        empty_all_tables(engine)


def test_forwarded_for_first_hop_cannot_spoof_the_audit_address(database_url, engine, tmp_path):
    from service.auth.permissions import Role
    from tests.conftest import make_token
    services = build_services(settings_for(database_url, tmp_path, TRUST_PROXY_HEADERS="true"), engine=engine)
    try:
        client = falcon.testing.TestClient(create_app(services=services))
        token = make_token(services, Role.DUTY_TEAM)
        post(client, EXAMPLE)
        client.simulate_get("/api/v1/submissions", headers={"Authorization": f"Bearer {token}",
                                                            "X-Forwarded-For": "198.51.100.77, 10.0.0.9"})
        with services.session_factory() as session:
            addresses = list(session.scalars(select(AuditEvent.client_address).where(AuditEvent.action == "submission.list")))
        assert addresses == ["10.0.0.9"], addresses   # the address the proxy saw, not the one the caller wrote
    finally:
        empty_all_tables(engine)


def test_behind_two_proxies_the_address_the_outer_one_saw(database_url, engine, tmp_path):
    """A CDN in front of nginx: each appends the address it got the request from (review, round 13: with the
    last entry alone every client shared the CDN's address, one rate-limit bucket and one audit address)."""
    services = build_services(settings_for(database_url, tmp_path, TRUST_PROXY_HEADERS="true", TRUST_PROXY_HOPS="2",
                                           INTAKE_RATE_LIMIT_PER_MINUTE="2"), engine=engine)
    try:
        client = falcon.testing.TestClient(create_app(services=services))
        statuses = []
        for n in range(6):   # six people behind the same CDN node (198.51.100.1), each with its own address
            headers = {"Content-Type": "application/json", "X-Forwarded-For": f"spoofed, 203.0.113.{n}, 198.51.100.1"}
            statuses.append(client.simulate_post("/api/v1/submissions", body=json.dumps(EXAMPLE), headers=headers).status_code)
        assert statuses == [201] * 6, statuses
    finally:
        empty_all_tables(engine)


def test_a_proxy_that_writes_the_clients_port_does_not_undo_the_limit(database_url, engine, tmp_path):
    """Some proxies write the client with its port ("203.0.113.7:51234", "[2001:db8::1]:51234"): the port changes
    with every connection, so each request had a bucket of its own and no limit held (second review)."""
    from service.api.middleware import without_port

    assert [without_port(entry) for entry in ("203.0.113.7:51234", "[2001:db8:1:2::7]:50001", "[2001:db8::1]", "2001:db8::1",
                                              "203.0.113.7", "unknown", "2001:db8:1:2::7:51234", "2001:db8::7:1234",
                                              " 203.0.113.7 :51234")] == [
        "203.0.113.7", "2001:db8:1:2::7", "2001:db8::1", "2001:db8::1", "203.0.113.7", "unknown", "2001:db8:1:2::7",
        "2001:db8::7:1234", "203.0.113.7"]   # an address that parses whole is an address ("...::7:1234" is one)
    services = build_services(settings_for(database_url, tmp_path, TRUST_PROXY_HEADERS="true",
                                           INTAKE_RATE_LIMIT_PER_MINUTE="3"), engine=engine)
    try:
        client = falcon.testing.TestClient(create_app(services=services))
        for forwarded in ("[2001:db8:1:2::{n:x}]:{port}", "203.0.113.7:{port}"):
            statuses = [client.simulate_post(
                "/api/v1/submissions", body=json.dumps(EXAMPLE), remote_addr="10.0.0.2",
                headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded.format(n=n + 1, port=50000 + n)}).status_code
                for n in range(6)]
            assert statuses == [201] * 3 + [429] * 3, (forwarded, statuses)
    finally:
        empty_all_tables(engine)
