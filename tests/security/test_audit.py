"""The audit log: append-only (in the code, and on PostgreSQL in the database too), searchable and
exportable by admins, and written for every view of people's words or contact details."""
from __future__ import annotations

import csv
import io
import json
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from service.audit.log import MAX_DETAIL_BYTES, Actor, mask_identifier, record
from service.audit.models import AuditEvent, AuditLogIsAppendOnly
from service.auth.permissions import Role

from .conftest import bearer

SERVICE = Path(__file__).resolve().parents[2] / "service"


def _events(services, action: str | None = None) -> list[AuditEvent]:
    with services.session_factory() as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(session.scalars(query))


def _one_event(services) -> int:
    with services.session_factory.begin() as session:
        event = record(session, actor=Actor("cli", id="tester", role="admin"), action="test.event", target_type="thing", target_id="1")
        session.flush()
        return event.id


def test_a_detail_too_long_for_one_event_is_spread_over_several_without_losing_an_id(services):
    """The audit log is the record of whose data was read or erased. A detail over the bound (a meeting page
    showing thousands of issues, an erasure reaching thousands of submissions) used to be cut to the names of
    its fields: now its lists are shared out over several events, each keeping the counts and the reason."""
    submissions = [str(uuid.uuid4()) for _ in range(4000)]
    texts = list(range(1, 3001))
    with services.session_factory.begin() as session:
        first = record(session, actor=Actor("cli", id="tester", role="admin"), action="privacy.erase", target_type="person",
                       target_id="fingerprint", detail={"submissions": submissions, "free_text_ids": texts, "contacts": 4000,
                                                        "reason": "request by letter", "identifier": "*******123"})
        session.flush()
        first_id = first.id
    events = _events(services, "privacy.erase")
    assert len(events) > 2 and events[0].id == first_id
    assert [(e.detail["part"], e.detail["parts"]) for e in events] == [(n, len(events)) for n in range(1, len(events) + 1)]
    assert [s for e in events for s in e.detail["submissions"]] == submissions      # every id, in order, once
    assert [t for e in events for t in e.detail["free_text_ids"]] == texts
    for event in events:
        assert len(json.dumps(event.detail).encode()) <= MAX_DETAIL_BYTES
        assert (event.detail["contacts"], event.detail["reason"], event.detail["identifier"]) == (4000, "request by letter", "*******123")
        assert (event.target_type, event.target_id, event.actor_id, event.at) == ("person", "fingerprint", "tester", events[0].at)
    # A detail that fits is kept as it is.
    with services.session_factory.begin() as session:
        record(session, actor=Actor("cli"), action="test.small", detail={"submission_ids": submissions[:300], "count": 300})
    [small] = _events(services, "test.small")
    assert small.detail == {"submission_ids": submissions[:300], "count": 300}


def test_the_orm_refuses_to_change_or_delete_an_event(services):
    event_id = _one_event(services)
    with services.session_factory() as session:
        event = session.get(AuditEvent, event_id)
        event.action = "rewritten"
        with pytest.raises(AuditLogIsAppendOnly):
            session.flush()
        session.rollback()
        session.delete(session.get(AuditEvent, event_id))
        with pytest.raises(AuditLogIsAppendOnly):
            session.flush()


def test_no_code_path_updates_or_deletes_audit_events():
    pattern = re.compile(r"(update|delete)\(\s*AuditEvent|audit_events.*\b(UPDATE|DELETE)\b", re.I)
    offenders = []
    for path in SERVICE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(SERVICE)}:{number}: {line.strip()}")
    assert not offenders, offenders


def test_postgresql_refuses_update_and_delete_of_audit_events(services):
    if services.engine.dialect.name != "postgresql":
        pytest.skip("the database trigger is PostgreSQL's (TEST_DATABASE_URL=postgresql://...)")
    event_id = _one_event(services)
    for statement in (update(AuditEvent).where(AuditEvent.id == event_id).values(action="rewritten"),
                      delete(AuditEvent).where(AuditEvent.id == event_id),
                      text("UPDATE audit_events SET detail = '{}'")):
        with pytest.raises(DBAPIError, match="append-only"):
            with services.engine.begin() as connection:
                connection.execute(statement)
    assert _events(services)[0].action == "test.event"


def test_viewing_words_and_contact_details_is_audited(client, services, seed, role_tokens):
    duty = bearer(role_tokens[Role.DUTY_TEAM])
    client.simulate_get(f"/api/v1/submissions/{seed.sub_a_anonymous}", headers=duty)
    client.simulate_get("/api/v1/submissions", headers=duty)
    client.simulate_get(f"/api/v1/submissions/{seed.sub_a_anonymous}/contact", headers=duty)
    view, listing, contact = (_events(services, a)[0] for a in ("submission.view", "submission.list", "contact.view"))
    assert view.target_id == seed.sub_a_anonymous and view.actor_type == "token" and view.actor_role == "duty_team"
    assert seed.sub_a_anonymous in listing.detail["ids"] and listing.detail["count"] == 4
    assert contact.target_id == seed.sub_a_anonymous
    for event in (view, listing, contact):
        assert event.client_address and event.request_id and event.at
    # The log never holds the words or the details themselves.
    everything = str([(e.detail, e.target_id, e.actor_label) for e in _events(services)])
    assert "900123" not in everything and "shouted" not in everything and "Mary" not in everything


def test_admins_search_the_log(client, services, seed, role_tokens, admin_headers):
    client.simulate_get(f"/api/v1/submissions/{seed.sub_a_named}", headers=bearer(role_tokens[Role.ENGAGEMENT]))
    client.simulate_get(f"/api/v1/submissions/{seed.sub_b_named}", headers=bearer(role_tokens[Role.DUTY_TEAM]))
    found = client.simulate_get("/api/v1/audit", params={"action": "submission.view", "target_id": seed.sub_a_named}, headers=admin_headers)
    assert found.status_code == 200
    items = found.json["items"]
    assert len(items) == 1 and items[0]["actor"]["role"] == "engagement" and items[0]["target"]["id"] == seed.sub_a_named
    prefix = client.simulate_get("/api/v1/audit", params={"action": "submission.*"}, headers=admin_headers).json["items"]
    assert len(prefix) == 2
    paged = client.simulate_get("/api/v1/audit", params={"limit": 1}, headers=admin_headers).json
    assert len(paged["items"]) == 1 and paged["next_before_id"]
    assert client.simulate_get("/api/v1/audit", params={"from": "yesterday"}, headers=admin_headers).status_code == 400
    assert _events(services, "audit.search")  # searching is itself audited


def test_searching_by_a_submission_finds_every_view_of_its_words_lists_included(client, services, seed, role_tokens, admin_headers, browser, make_user):
    """"Who has read this person's words?" (a complaint, a subject-access request, a leak). A list view names
    the submissions it showed only in its detail; searching by a submission's id used to miss it."""
    assert client.simulate_get("/api/v1/submissions", headers=bearer(role_tokens[Role.ENGAGEMENT])).status_code == 200
    client.simulate_get(f"/api/v1/submissions/{seed.sub_a_named}", headers=bearer(role_tokens[Role.DUTY_TEAM]))
    client.simulate_get(f"/api/v1/submissions/{seed.sub_b_named}", headers=bearer(role_tokens[Role.DUTY_TEAM]))
    client.simulate_get("/api/v1/audit", params={"target_id": seed.sub_b_named}, headers=admin_headers)   # names it as a filter

    found = client.simulate_get("/api/v1/audit", params={"target_id": seed.sub_a_named}, headers=admin_headers).json["items"]
    assert sorted((e["action"], e["actor"]["role"]) for e in found) == [("submission.list", "engagement"), ("submission.view", "duty_team")]
    # The other filters still apply; an id that is no submission's is matched on the target alone.
    assert [e["action"] for e in client.simulate_get("/api/v1/audit", params={"target_id": seed.sub_a_named, "action": "submission.list"},
                                                      headers=admin_headers).json["items"]] == ["submission.list"]
    assert client.simulate_get("/api/v1/audit", params={"target_id": "engagement"}, headers=admin_headers).json["items"] == []
    # The export and the staff page search the same way.
    exported = list(csv.DictReader(io.StringIO(client.simulate_get("/api/v1/audit/export", params={"target_id": seed.sub_a_named},
                                                                   headers=admin_headers).text)))
    assert sorted(r["action"] for r in exported) == ["submission.list", "submission.view"]
    make_user("auditor@example.org", Role.ADMIN)
    browser.sign_in("auditor@example.org")
    page = browser.get("/staff/audit", params={"target_id": seed.sub_a_named})
    assert page.status_code == 200 and "submission.list" in page.text


def test_admins_export_the_log_as_csv_and_the_export_is_audited(client, services, seed, admin_headers, role_tokens):
    client.simulate_get(f"/api/v1/submissions/{seed.sub_a_named}", headers=admin_headers)
    _ = _one_event(services)
    with services.session_factory.begin() as session:
        record(session, actor=Actor("cli", label="=HYPERLINK(\"http://evil\")"), action="test.formula")
    result = client.simulate_get("/api/v1/audit/export", headers=admin_headers)
    assert result.status_code == 200 and result.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(result.text)))
    assert {"submission.view", "test.event", "test.formula"} <= {r["action"] for r in rows}
    assert next(r for r in rows if r["action"] == "test.formula")["actor_label"].startswith("'=")  # no formula injection
    assert _events(services, "audit.export")
    assert client.simulate_get("/api/v1/audit/export", headers=bearer(role_tokens[Role.ENGAGEMENT])).status_code == 403


def test_account_and_token_changes_are_audited_with_who_and_where(client, services, admin_headers, seed):
    created = client.simulate_post("/api/v1/users", json={"email": "resp@alder.example", "role": "provider_responder",
                                                          "provider_ids": [seed.provider_a]}, headers=admin_headers)
    assert created.status_code == 201 and created.json["password_link"].startswith("http://testserver/staff/set-password/")
    user_id = created.json["id"]
    client.simulate_patch(f"/api/v1/users/{user_id}", json={"provider_ids": [seed.provider_a, seed.provider_b]}, headers=admin_headers)
    client.simulate_post(f"/api/v1/users/{user_id}/password-reset", headers=admin_headers)
    actions = [e.action for e in _events(services)]
    assert ["user.create", "user.update", "user.password_link_issued"] == [a for a in actions if a.startswith("user.")]
    update_event = _events(services, "user.update")[0]
    assert update_event.detail["before"]["provider_ids"] == [seed.provider_a]
    assert update_event.actor_type == "token" and update_event.actor_role == "admin" and update_event.client_address
    assert "set-password" not in str([e.detail for e in _events(services)])  # links are never logged


def test_masking():
    assert mask_identifier("07700 900123") == "********123"
    assert mask_identifier("pat@example.org") == "p***@example.org"
