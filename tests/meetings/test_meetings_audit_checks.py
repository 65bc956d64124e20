"""What an audit of the residents' meetings channel checked and found right (access, forged ids, CSRF, follow-ups), kept as tests."""
from __future__ import annotations

from sqlalchemy import select

from channels.meetings.models import Meeting
from service.auth.permissions import Role
from service.storage.orm import OutboxMessage, Submission
from tests.conftest import make_token
from tests.meetings.conftest import signed_in
from tests.meetings.test_meetings_api import bearer, body
from tests.meetings.test_meetings_pages import FIRST, SECOND, meeting_form, meeting_id_from


def test_provider_and_board_cannot_reach_meetings(client, services, homes):
    headers = bearer(services, Role.DATA_ENTRY)
    meeting = client.simulate_post("/api/v1/meetings", json=body(homes.alder, FIRST), headers=headers).json
    provider = {"Authorization": f"Bearer {make_token(services, Role.PROVIDER_RESPONDER, (homes.alder,))}"}
    for path in ("/api/v1/meetings", f"/api/v1/meetings/{meeting['id']}", f"/api/v1/meetings/open-actions?provider_id={homes.alder}"):
        assert client.simulate_get(path, headers=provider).status_code == 403
    assert client.simulate_post(f"/api/v1/meetings/{meeting['id']}/issues", headers=provider,
                                json={"issues": [{"text": "x", "raised_by": "staff"}]}).status_code == 403
    for role in (Role.PROVIDER_RESPONDER, Role.BOARD):
        browser = signed_in(client, services, f"{role.value}@example.org", role, (homes.alder,) if role is Role.PROVIDER_RESPONDER else ())
        for path in ("/staff/meetings", f"/staff/meetings/{meeting['id']}", "/staff/meetings/new"):
            assert browser.get(path).status_code in (403, 303), (role, path)
        assert browser.post(f"/staff/meetings/{meeting['id']}/issues", {"issue-0-text": "x", "issue-0-raised_by": "staff"}).status_code == 403
    # a provider responder of Birch does not see Alder's meeting issues in the provider view
    birch = {"Authorization": f"Bearer {make_token(services, Role.PROVIDER_RESPONDER, (homes.birch,))}"}
    listed = client.simulate_get("/api/v1/submissions", headers=birch)
    assert listed.status_code == 200 and listed.json.get("items", []) == []


def test_csrf_and_cross_home_follow_up(client, services, homes, staff):
    headers = bearer(services, Role.DATA_ENTRY)
    birch = client.simulate_post("/api/v1/meetings", json=body(homes.birch, FIRST), headers=headers).json
    [birch_action] = birch["actions"]
    refused = client.simulate_post("/api/v1/meetings", headers=headers, json=body(
        homes.alder, SECOND, follow_ups=[{"action_id": birch_action["id"], "decision": "done"}]))
    assert refused.status_code == 422
    forged = staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST) + [("csrf_token", "x")], csrf=False)
    assert forged.status_code == 403
    forged = staff.post(f"/staff/meetings/{birch['id']}/issues", {"issue-0-text": "x", "issue-0-raised_by": "staff"}, csrf=False)
    assert forged.status_code == 403


def test_a_disclosure_raised_at_a_meeting_alerts_the_duty_team(services, homes, staff, text_check):
    meeting_id = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, issues=[("The night carer hits me when I ask for the toilet.", "resident")])))
    text_check()
    with services.session_factory() as session:
        meeting = session.get(Meeting, meeting_id)
        submission = session.get(Submission, meeting.issues[0].submission_id)
        assert submission.urgent
        assert session.scalar(select(OutboxMessage.id).where(OutboxMessage.purpose == "duty_alert",
                                                             OutboxMessage.submission_id == submission.id))


def test_open_actions_with_a_bad_date_is_problem_json(client, services, homes):
    result = client.simulate_get("/api/v1/meetings/open-actions", params={"provider_id": homes.alder, "held_on": "01/10/2026"},
                                 headers=bearer(services, Role.DATA_ENTRY))
    assert result.status_code in (400, 422)
    assert result.headers["content-type"].startswith("application/problem+json"), result.headers["content-type"]
