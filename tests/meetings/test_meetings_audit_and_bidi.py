"""Every view of a meeting's issues (people's words, verbatim) is audited, naming the submissions shown,
on the staff page and in the API; and direction overrides in issues and actions are shown as visible
marks, each in its own direction, as on the feedback pages."""
from __future__ import annotations

from sqlalchemy import select

from channels.meetings.models import Meeting
from service.audit.models import AuditEvent
from service.auth.permissions import Role
from tests.meetings.test_meetings_api import bearer, body
from tests.meetings.test_meetings_pages import FIRST, ISSUE_1, ISSUE_2, SECOND, meeting_form, meeting_id_from

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
# Read as written, this says the opposite of what the stored words say.
REVERSED_ISSUE = f"Nobody hurt me {RLO}gnidaer ton ,em tih ffats eht{PDF}"
REVERSED_ACTION = f"Check the {RLO}sdrocer thgin{PDF}"
REVERSED_OWNER = f"{LRI}Home manager{PDI}"


def view_events(services, *, target_id: int) -> list[AuditEvent]:
    with services.session_factory() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "submission.list", AuditEvent.target_type == "meeting",
                                                             AuditEvent.target_id == str(target_id)).order_by(AuditEvent.id)))


def issue_submission_ids(services, meeting_id: int) -> list[str]:
    with services.session_factory() as session:
        return sorted(issue.submission_id for issue in session.get(Meeting, meeting_id).issues)


def test_the_meeting_page_audits_each_view_naming_the_submissions_shown(services, homes, staff):
    meeting_id = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, issues=[(ISSUE_1, "resident"), (ISSUE_2, "relative")])))
    assert view_events(services, target_id=meeting_id) == []   # saving is `meeting.create`, not a view

    page = staff.get(f"/staff/meetings/{meeting_id}")
    assert page.status_code == 200 and "The tea is always cold" in page.text
    staff.get(f"/staff/meetings/{meeting_id}")

    events = view_events(services, target_id=meeting_id)
    assert len(events) == 2
    shown = issue_submission_ids(services, meeting_id)
    assert len(shown) == 2
    assert events[0].detail == {"view": "staff_page", "count": 2, "submission_ids": shown}
    assert events[0].actor_label == "minutes"
    assert "tea" not in repr(events[0].detail)   # ids and counts only, never the words


def test_a_meeting_without_issues_shows_no_words_and_records_no_view(services, homes, staff):
    meeting_id = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST)))
    assert staff.get(f"/staff/meetings/{meeting_id}").status_code == 200
    assert view_events(services, target_id=meeting_id) == []


def test_the_api_audits_every_answer_that_carries_the_words(client, services, homes):
    headers = bearer(services, Role.DATA_ENTRY)
    created = client.simulate_post("/api/v1/meetings", json=body(homes.alder, "2026-10-01"), headers=headers)
    assert created.status_code == 201, created.text
    meeting_id = created.json["id"]
    [first_id] = issue_submission_ids(services, meeting_id)
    assert [e.detail for e in view_events(services, target_id=meeting_id)] == [
        {"view": "api", "count": 1, "submission_ids": [first_id]}]

    read = client.simulate_get(f"/api/v1/meetings/{meeting_id}", headers=headers)
    assert read.status_code == 200 and read.json["issues"][0]["text"] == "The garden door is locked all day."
    events = view_events(services, target_id=meeting_id)
    assert len(events) == 2 and events[-1].detail == {"view": "api", "count": 1, "submission_ids": [first_id]}
    assert events[-1].actor_type == "token"

    # Adding issues answers with every issue of the meeting, the earlier ones' words included.
    added = client.simulate_post(f"/api/v1/meetings/{meeting_id}/issues", headers=headers,
                                 json={"issues": [{"text": "The lift is broken again.", "raised_by": "relative"}]})
    assert added.status_code == 201, added.text
    both = issue_submission_ids(services, meeting_id)
    assert view_events(services, target_id=meeting_id)[-1].detail == {"view": "api", "count": 2, "submission_ids": both}

    # The list answers with counts only: no words, so no view of them to record.
    assert client.simulate_get("/api/v1/meetings", headers=headers).status_code == 200
    assert len(view_events(services, target_id=meeting_id)) == 3


def test_direction_overrides_in_issues_and_actions_are_shown_as_marks(services, homes, staff):
    meeting_id = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, issues=[(REVERSED_ISSUE, "resident")],
        actions=[(REVERSED_ACTION, REVERSED_OWNER, "2026-10-31")])))
    page = staff.get(f"/staff/meetings/{meeting_id}").text
    for control in (RLO, PDF, LRI, PDI):
        assert control not in page
    assert '<td class="words" dir="auto">Nobody hurt me [U+202E]gnidaer ton ,em tih ffats eht[U+202C]</td>' in page
    assert '<span dir="auto">Check the [U+202E]sdrocer thgin[U+202C]</span>' in page
    assert '<td dir="auto">[U+2066]Home manager[U+2069]</td>' in page

    # The next meeting shows the open action to follow up, and then lists it as followed up.
    with services.session_factory() as session:
        [action] = session.get(Meeting, meeting_id).actions
        action_id = action.id
    form = staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": SECOND, "chosen": "1"}).text
    assert RLO not in form and "Check the [U+202E]sdrocer thgin[U+202C]" in form
    unanswered = staff.post("/staff/meetings/new", meeting_form(homes.alder, SECOND))
    assert unanswered.status_code == 422
    assert RLO not in unanswered.text and "Say whether the action “Check the [U+202E]sdrocer" in unanswered.text
    second_id = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(homes.alder, SECOND, follow_ups={action_id: "done"})))
    second = staff.get(f"/staff/meetings/{second_id}").text
    assert RLO not in second
    assert "“<bdi>Check the [U+202E]sdrocer thgin[U+202C]</bdi>” (<bdi>[U+2066]Home manager[U+2069]</bdi>): done" in second
