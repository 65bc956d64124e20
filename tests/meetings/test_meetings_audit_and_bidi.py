"""Every view of a meeting's issues (people's words, verbatim) is audited, naming the submissions shown,
on the staff page and in the API, and so is every view of actions' words (`meeting.view`, naming the
actions); direction overrides in issues and actions are shown as visible marks, and each person-written
field quoted in a sentence is isolated in its own <bdi>, as on the feedback pages."""
from __future__ import annotations

from sqlalchemy import select

from channels.meetings.models import Meeting
from service.audit.models import AuditEvent
from service.auth.permissions import Role
from tests.meetings.conftest import signed_in
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


def test_the_meeting_page_audits_each_view_naming_the_submissions_shown(services, homes, staff, text_check):
    meeting_id = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, issues=[(ISSUE_1, "resident"), (ISSUE_2, "relative")])))
    assert view_events(services, target_id=meeting_id) == []   # saving is `meeting.create`, not a view
    text_check()      # data entry reads the words once the check has read them (test_meetings_unchecked_words.py)

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
    headers = bearer(services, Role.ENGAGEMENT)     # reads the words verbatim, before the text check too
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


def test_a_view_of_a_meeting_with_hundreds_of_issues_names_every_submission_shown(client, services, homes):
    """A meeting's issues are unbounded (100 at a time, added again and again). Reading one with 300 used to
    write an event cut to the names of its fields: it named none of the 300 people whose words it showed."""
    headers = bearer(services, Role.ENGAGEMENT)
    issues = [{"text": f"Issue number {i}: the lift is broken again.", "raised_by": "resident"} for i in range(100)]
    created = client.simulate_post("/api/v1/meetings", json=body(homes.alder, "2026-10-01", issues=issues, actions=[]), headers=headers)
    assert created.status_code == 201, created.text
    meeting_id = created.json["id"]
    for _ in range(2):
        assert client.simulate_post(f"/api/v1/meetings/{meeting_id}/issues", headers=headers, json={"issues": issues}).status_code == 201

    read = client.simulate_get(f"/api/v1/meetings/{meeting_id}", headers=headers)
    assert read.status_code == 200 and len(read.json["issues"]) == 300 and all(issue["text"] for issue in read.json["issues"])
    shown = issue_submission_ids(services, meeting_id)
    assert view_events(services, target_id=meeting_id)[-1].detail == {"view": "api", "count": 300, "submission_ids": shown}


def test_direction_overrides_in_issues_and_actions_are_shown_as_marks(client, services, homes, staff):
    meeting_id = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, issues=[(REVERSED_ISSUE, "resident")],
        actions=[(REVERSED_ACTION, REVERSED_OWNER, "2026-10-31")])))
    # The engagement group reads issues verbatim (the text check reads this one as telling of harm: data entry
    # is not shown it at all, see test_meetings_unchecked_words.py).
    page = signed_in(client, services, "engagement@example.org", Role.ENGAGEMENT).get(f"/staff/meetings/{meeting_id}").text
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
    assert RLO not in unanswered.text and "Say whether the action “<bdi>Check the [U+202E]sdrocer" in unanswered.text
    second_id = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(homes.alder, SECOND, follow_ups={action_id: "done"})))
    second = staff.get(f"/staff/meetings/{second_id}").text
    assert RLO not in second
    assert "“<bdi>Check the [U+202E]sdrocer thgin[U+202C]</bdi>” (<bdi>[U+2066]Home manager[U+2069]</bdi>): done" in second


URDU_ACTION = "کھڑکی ٹھیک کریں"     # "Fix the window"
URDU_OWNER = "مینیجر 2"             # "Manager 2": its digit must not carry the quote and dash around it


def test_right_to_left_action_words_are_isolated_where_a_sentence_quotes_them(services, homes, staff, monkeypatch):
    """Audit staffpages F6: the follow-up question and the error summary quoted an Urdu action and its owner
    without isolating them, so the quotes, the dash and the two fields were shown reordered."""
    first = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, actions=[(URDU_ACTION, URDU_OWNER, "2026-10-31")])))
    form = staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": SECOND, "chosen": "1"}).text
    assert (f"<legend>“<bdi>{URDU_ACTION}</bdi>” – <bdi>{URDU_OWNER}</bdi>, by 31 October 2026 "
            "(agreed on 1 October 2026)</legend>") in form

    unanswered = staff.post("/staff/meetings/new", meeting_form(homes.alder, SECOND))
    assert unanswered.status_code == 422
    said = f"Say whether the action “<bdi>{URDU_ACTION}</bdi>” was done or is carried forward"
    assert unanswered.text.count(said) == 2                         # in the summary, and beside the question
    assert "&lt;bdi&gt;" not in unanswered.text

    # Markup in the words is still only text inside the isolate.
    with services.session_factory() as session:
        [action] = session.get(Meeting, first).actions
        action.what = "<b>bold</b>"
        session.commit()
    escaped = staff.post("/staff/meetings/new", meeting_form(homes.alder, SECOND)).text
    assert "Say whether the action “<bdi>&lt;b&gt;bold&lt;/b&gt;</bdi>” was done" in escaped and "<b>bold</b>" not in escaped

    # An issue that could not be saved is quoted in its own isolate too.
    from tests.meetings.test_meetings_resend_and_keys import fail_issues_with

    fail_issues_with(monkeypatch, URDU_ACTION)
    retry = staff.post(f"/staff/meetings/{first}/issues", [("issue_rows", "1"), ("issue-0-text", URDU_ACTION),
                                                           ("issue-0-raised_by", "resident")])
    assert f"Issue “<bdi>{URDU_ACTION}</bdi>” was not saved (It could not be saved just now)" in retry.text


def action_views(services) -> list[tuple[str, str, dict]]:
    with services.session_factory() as session:
        return [(e.target_type, e.target_id, e.detail) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action == "meeting.view").order_by(AuditEvent.id))]


def test_every_view_of_actions_words_is_audited_naming_the_actions(client, services, homes, staff):
    """Audit staffpages F7: actions are written by staff but can quote a resident's concern. The new-meeting
    form and the open-actions API showed earlier actions' words with no audit event, and the meeting page's
    event did not name the actions it showed."""
    first = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, actions=[("Heated trolley", "Home manager", "2026-10-31"), ("Repaint the lounge", "Maintenance", "2026-12-31")])))
    with services.session_factory() as session:
        trolley, paint = [a.id for a in session.get(Meeting, first).actions]
    assert action_views(services) == []                            # saving is `meeting.create`, not a view

    # The form for the next meeting shows both open actions; another home's shows none, and records nothing.
    staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": SECOND})
    staff.get("/staff/meetings/new", params={"provider_id": homes.birch, "held_on": SECOND})
    shown_in_form = ("provider", str(homes.alder), {"view": "new_meeting_form", "count": 2, "action_ids": [trolley, paint], "held_on": SECOND})
    assert action_views(services) == [shown_in_form]
    # Shown again with the form's errors: recorded again.
    assert staff.post("/staff/meetings/new", meeting_form(homes.alder, SECOND)).status_code == 422
    assert action_views(services) == [shown_in_form] * 2

    # The API's open actions, as a token.
    headers = bearer(services, Role.DATA_ENTRY)
    listed = client.simulate_get("/api/v1/meetings/open-actions", params={"provider_id": homes.alder, "held_on": SECOND}, headers=headers)
    assert [a["id"] for a in listed.json["items"]] == [trolley, paint]
    assert action_views(services)[-1] == ("provider", str(homes.alder), {"view": "api_open_actions", "count": 2,
                                                                          "action_ids": [trolley, paint], "held_on": SECOND})
    with services.session_factory() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "meeting.view").order_by(AuditEvent.id.desc())).first()
        assert (event.actor_type, event.actor_role) == ("token", "data_entry")
    before = len(action_views(services))
    client.simulate_get("/api/v1/meetings/open-actions", params={"provider_id": homes.birch}, headers=headers)
    assert len(action_views(services)) == before                   # nothing shown, nothing recorded

    # The next meeting carries one forward: its page names its own action (the carried copy) and the two it followed up.
    second = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, SECOND, follow_ups={trolley: "done", paint: "carried_forward"})))
    with services.session_factory() as session:
        [carried] = [a.id for a in session.get(Meeting, second).actions]
    page = staff.get(f"/staff/meetings/{second}")
    assert "Repaint the lounge" in page.text and "Heated trolley" in page.text
    named = sorted([trolley, paint, carried])
    assert action_views(services)[-1] == ("meeting", str(second), {"view": "staff_page", "count": 3, "action_ids": named})
    answer = client.simulate_get(f"/api/v1/meetings/{second}", headers=headers)
    assert answer.status_code == 200
    assert action_views(services)[-1] == ("meeting", str(second), {"view": "api", "count": 3, "action_ids": named})
    assert "Repaint" not in repr(action_views(services))             # ids and counts only, never the words
