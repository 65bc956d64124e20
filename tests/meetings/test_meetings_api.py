"""The JSON API of the meeting log (/api/v1/meetings): create, read, list, open actions, idempotency,
problem+json for rule breaks, permissions."""
from __future__ import annotations

from sqlalchemy import func, select

from channels.meetings import service
from channels.meetings.models import Meeting
from service.auth.permissions import Role
from service.storage.orm import Submission
from tests.conftest import make_token


def bearer(services, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(services, role)}"}


def body(provider_id: int, held_on: str, **changes) -> dict:
    document = {"provider_id": provider_id, "held_on": held_on, "attendance": {"residents": 6, "relatives": 2, "staff": 1},
                "issues": [{"text": "The garden door is locked all day.", "raised_by": "resident"}],
                "actions": [{"what": "Unlock the garden door in the day", "owner": "Home manager", "due_on": "2026-10-15"}]}
    document.update(changes)
    return document


def test_create_read_list_and_carry_forward(client, services, homes):
    headers = bearer(services, Role.DATA_ENTRY)
    created = client.simulate_post("/api/v1/meetings", json=body(homes.alder, "2026-10-01"), headers=headers)
    assert created.status_code == 201, created.text
    meeting = created.json
    assert created.headers["location"] == f"/api/v1/meetings/{meeting['id']}"
    assert meeting["issues"][0]["raised_by"] == "resident" and meeting["issues"][0]["reference"]
    # Data entry reads an issue's words only once the text check has read them (test_meetings_unchecked_words.py).
    assert (meeting["issues"][0]["text"], meeting["issues"][0]["withheld"]) == (service.WAITING_FOR_CHECK, "awaiting_check")
    assert meeting["issues_failed"] == [] and meeting["missing_issue_positions"] == []
    [action] = meeting["actions"]

    open_actions = client.simulate_get("/api/v1/meetings/open-actions", params={"provider_id": homes.alder, "held_on": "2026-11-01"},
                                       headers=headers).json["items"]
    assert [a["id"] for a in open_actions] == [action["id"]]

    # The next meeting must follow the action up.
    refused = client.simulate_post("/api/v1/meetings", json=body(homes.alder, "2026-11-01", issues=[], actions=[]), headers=headers)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert {e["field"] for e in refused.json["errors"]} == {f"followup-{action['id']}"}

    second = client.simulate_post("/api/v1/meetings", headers=headers, json=body(
        homes.alder, "2026-11-01", issues=[], actions=[],
        follow_ups=[{"action_id": action["id"], "decision": "carried_forward"}])).json
    [carried] = second["actions"]
    assert carried["carried_from_action_id"] == action["id"] and carried["status"] == "open"
    assert [a["status"] for a in second["followed_up"]] == ["carried_forward"]

    first = client.simulate_get(f"/api/v1/meetings/{meeting['id']}", headers=headers).json
    assert first["actions"][0]["status"] == "carried_forward" and first["actions"][0]["closed_in_meeting_id"] == second["id"]
    listing = client.simulate_get("/api/v1/meetings", params={"provider_id": homes.alder}, headers=headers).json["items"]
    assert [m["id"] for m in listing] == [second["id"], meeting["id"]]
    assert client.simulate_get("/api/v1/meetings/999999", headers=headers).status_code == 404


def test_idempotency_key_logs_one_meeting(client, services, homes):
    headers = {**bearer(services, Role.ENGAGEMENT), "Idempotency-Key": "minutes-2026-10-01"}
    first = client.simulate_post("/api/v1/meetings", json=body(homes.alder, "2026-10-01"), headers=headers)
    again = client.simulate_post("/api/v1/meetings", json=body(homes.alder, "2026-10-01"), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"]
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 1
        assert session.scalar(select(func.count()).select_from(Submission)) == 1


def test_bad_input_is_problem_json_and_stores_nothing(client, services, homes):
    headers = bearer(services, Role.DATA_ENTRY)
    cases = [
        body(homes.alder, "2099-01-01"),                                                    # future meeting
        body(homes.alder, "2026-10-01", actions=[{"what": "x", "owner": "y", "due_on": "2026-09-01"}]),   # due before meeting
        body(999_999, "2026-10-01"),                                                        # unknown home
        body(homes.alder, "2026-10-01", issues=[{"text": "", "raised_by": "resident"}]),     # empty issue
        body(homes.alder, "2026-10-01", issues=[{"text": "words", "raised_by": "visitor"}]), # unknown raiser
        body(homes.alder, "2026-10-01", attendance={"residents": -1, "relatives": 0, "staff": 0}),
        body(homes.alder, "2026-10-01", language="xx"),
    ]
    for case in cases:
        result = client.simulate_post("/api/v1/meetings", json=case, headers=headers)
        assert result.status_code == 422, (case, result.text)
        assert result.json["errors"], result.text
    assert client.simulate_post("/api/v1/meetings", body="{", headers={**headers, "Content-Type": "application/json"}).status_code == 400
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 0
        assert session.scalar(select(func.count()).select_from(Submission)) == 0


def test_add_issues_through_the_api(client, services, homes):
    headers = bearer(services, Role.DATA_ENTRY)
    meeting = client.simulate_post("/api/v1/meetings", json=body(homes.alder, "2026-10-01"), headers=headers).json
    added = client.simulate_post(f"/api/v1/meetings/{meeting['id']}/issues", headers=headers,
                                 json={"issues": [{"text": "Forgotten at first", "raised_by": "staff"}]})
    assert added.status_code == 201
    assert [(i["position"], i["raised_by"]) for i in added.json["issues"]] == [(0, "resident"), (1, "staff")]


def test_permissions(client, services, homes):
    board = bearer(services, Role.BOARD)
    for path in ("/api/v1/meetings", "/api/v1/meetings/1", f"/api/v1/meetings/open-actions?provider_id={homes.alder}"):
        assert client.simulate_get(path, headers=board).status_code == 403
    assert client.simulate_post("/api/v1/meetings", json=body(homes.alder, "2026-10-01"), headers=board).status_code == 403
    duty = bearer(services, Role.DUTY_TEAM)
    assert client.simulate_get("/api/v1/meetings", headers=duty).status_code == 200
    assert client.simulate_post("/api/v1/meetings", json=body(homes.alder, "2026-10-01"), headers=duty).status_code == 403
    assert client.simulate_get("/api/v1/meetings").status_code == 401


def test_documented_in_openapi(client):
    from openapi_spec_validator import validate

    document = client.simulate_get("/api/v1/openapi.json").json
    validate(document)
    assert {"get", "post"} <= set(document["paths"]["/api/v1/meetings"])
    assert "MeetingIn" in document["components"]["schemas"]


def test_an_action_that_may_describe_harm_asks_for_a_tick_before_it_is_saved(client, services, homes):
    """Only issues reach the text check and the duty team: a concern written only as an action raised no alert.
    The check also flags ordinary actions, so a person decides: one tick, never a refusal."""
    headers = bearer(services, Role.DATA_ENTRY)
    harm = "Manager to look into Mr B saying the night carer hits him and takes his money"
    document = body(homes.alder, "2026-10-01",
                    issues=[{"text": "The lift is slow.", "raised_by": "resident"},
                            {"text": "Staff shout at residents at night", "raised_by": "resident"}],   # flagged, but another matter
                    actions=[{"what": "Fix the lift", "owner": "Manager", "due_on": "2026-10-15"},
                             {"what": harm, "owner": "Manager", "due_on": "2026-10-15"}])
    asked = client.simulate_post("/api/v1/meetings", json=document, headers=headers)
    assert asked.status_code == 422, asked.text
    assert [e["field"] for e in asked.json["errors"]] == ["actions.1.not_about_harm"]
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 0
    document["actions"][1]["not_about_harm"] = True
    assert client.simulate_post("/api/v1/meetings", json=document, headers=headers).status_code == 201


def test_the_list_pages_on_past_its_limit_without_skipping_or_repeating(client, services, homes):
    """The list stopped at 500 meetings with no way on: a tool reading the log never saw the homes late in
    the alphabet. A cursor pages on in the same order (home name, home, latest first), past two homes of
    the same name and two meetings of one home on one day, and a meeting logged between pages moves nothing."""
    from service.storage.orm import Provider

    with services.session_factory.begin() as session:
        twin = Provider(name="Alder Court care home", type="care_home", area="Wigan")
        session.add(twin)
        session.flush()
        twin_id = twin.id
    headers = bearer(services, Role.DATA_ENTRY)

    def log(home: int, day: str) -> int:
        created = client.simulate_post("/api/v1/meetings", json=body(home, day, issues=[], actions=[]), headers=headers)
        assert created.status_code == 201, created.text
        return created.json["id"]

    for home, day in [(homes.birch, "2026-09-01"), (homes.alder, "2026-09-01"), (twin_id, "2026-09-03"), (homes.alder, "2026-10-01"),
                      (homes.alder, "2026-10-01"), (homes.birch, "2026-10-05"), (twin_id, "2026-08-01")]:
        log(home, day)
    whole = [m["id"] for m in client.simulate_get("/api/v1/meetings", headers=headers).json["items"]]
    assert len(whole) == 7

    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.simulate_get("/api/v1/meetings", params=params, headers=headers)
        assert page.status_code == 200, page.text
        seen += [m["id"] for m in page.json["items"]]
        cursor, pages = page.json["next_cursor"], pages + 1
        if pages == 1:
            log(homes.birch, "2026-07-01")   # after the first page, in a home it has not reached: it is listed in its place
        if cursor is None:
            break
    assert pages == 4
    late = [m["id"] for m in client.simulate_get("/api/v1/meetings", headers=headers).json["items"]]
    assert seen == late and len(set(seen)) == 8

    for bad in ("abc", "-1", "999999"):
        refused = client.simulate_get("/api/v1/meetings", params={"cursor": bad}, headers=headers)
        assert refused.status_code == 400 and refused.json["errors"][0]["field"] == "cursor", refused.text


def test_an_issue_or_action_of_only_nul_characters_is_refused_naming_the_field(client, services, homes):
    """Storage drops NUL: "\\x00\\x00" would be an issue raised with no words (counted, never checked for harm)."""
    headers = bearer(services, Role.DATA_ENTRY)
    cases = {
        "issues.0.text": body(homes.alder, "2026-10-01", issues=[{"text": "\u0000\u0000", "raised_by": "resident"}]),
        "actions.0.what": body(homes.alder, "2026-10-01", actions=[{"what": "\u0000", "owner": "Manager", "due_on": "2026-10-15"}]),
        "actions.0.owner": body(homes.alder, "2026-10-01", actions=[{"what": "Fix the door", "owner": " \u0000 ", "due_on": "2026-10-15"}]),
    }
    for field, case in cases.items():
        result = client.simulate_post("/api/v1/meetings", json=case, headers=headers)
        assert result.status_code == 422 and [e["field"] for e in result.json["errors"]] == [field], (field, result.text)
    created = client.simulate_post("/api/v1/meetings", json=body(homes.alder, "2026-10-01"), headers=headers)
    added = client.simulate_post(f"/api/v1/meetings/{created.json['id']}/issues", headers=headers,
                                 json={"issues": [{"text": "\u0000", "raised_by": "relative"}]})
    assert added.status_code == 422 and [e["field"] for e in added.json["errors"]] == ["issues.0.text"], added.text
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 1
        assert session.scalar(select(func.count()).select_from(Submission)) == 1
