"""The meeting log over HTTP (falcon's TestClient) on the real test database: issues become channel
`meeting` submissions linked to their meeting, actions are followed up at the next meeting, errors keep
what was typed, CSRF and permissions are enforced."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from channels.meetings.models import Meeting, MeetingAction
from service.audit.models import AuditEvent
from service.auth.permissions import Role
from service.storage.orm import OutboxMessage, Submission
from tests.meetings.conftest import StaffClient, add_user

FIRST = "2026-10-01"
SECOND = "2026-11-01"
ISSUE_1 = "The tea is always cold by the time it gets to the lounge."
ISSUE_2 = "My mum's room was not cleaned for a week.\nNobody told us why."


def meeting_form(provider_id: int, held_on: str, *, issues=(), actions=(), follow_ups=None, counts=("9", "4", "2"),
                 button: str = "save", form_key: str = "", extra_issue_rows: int = 0, extra_action_rows: int = 0) -> list[tuple[str, str]]:
    form = [("provider_id", str(provider_id)), ("held_on", held_on), ("residents", counts[0]), ("relatives", counts[1]),
            ("staff", counts[2]), ("language", "en"), ("button", button),
            ("issue_rows", str(len(issues) + extra_issue_rows)), ("action_rows", str(len(actions) + extra_action_rows))]
    if form_key:
        form.append(("form_key", form_key))
    for i, (text, raised_by) in enumerate(issues):
        form += [(f"issue-{i}-text", text), (f"issue-{i}-raised_by", raised_by)]
    for i, (what, owner, due_on) in enumerate(actions):
        form += [(f"action-{i}-what", what), (f"action-{i}-owner", owner), (f"action-{i}-due_on", due_on)]
    for action_id, decision in (follow_ups or {}).items():
        form.append((f"followup-{action_id}", decision))
    return form


def meeting_id_from(result) -> int:
    assert result.status_code == 303, result.text[:2000]
    match = re.match(r"^(?:https?://[^/]+)?/staff/meetings/(\d+)\?saved=1$", result.headers["location"])
    assert match, result.headers["location"]
    return int(match.group(1))


def count(services, model) -> int:
    with services.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def anchors_resolve(html: str) -> None:
    """Every link of the error summary points at an element of the page."""
    summary = html.split('id="error-summary-title"', 1)[1].split("</div>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets
    for target in targets:
        assert f'id="{target}"' in html, f"the error summary links to #{target}, which is not on the page"


def test_log_a_meeting_stores_each_issue_through_the_intake_path(services, homes, staff, text_check):
    page = staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": FIRST, "chosen": "1"})
    assert page.status_code == 200
    assert "first meeting logged for Alder Court care home" in page.text
    result = staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, issues=[(ISSUE_1, "resident"), (ISSUE_2, "relative")],
        actions=[("Ask the kitchen for a heated trolley", "Home manager", "2026-10-31")]))
    meeting_id = meeting_id_from(result)

    with services.session_factory() as session:
        meeting = session.get(Meeting, meeting_id)
        assert (meeting.provider_id, meeting.held_on.isoformat()) == (homes.alder, FIRST)
        assert (meeting.residents_count, meeting.relatives_count, meeting.staff_count) == (9, 4, 2)
        assert meeting.created_by == "minutes" and meeting.issues_expected == 2
        issues = meeting.issues
        assert [(i.position, i.raised_by) for i in issues] == [(0, "resident"), (1, "relative")]
        for issue, words in zip(issues, (ISSUE_1, ISSUE_2)):
            submission = session.get(Submission, issue.submission_id)
            assert submission.channel == "meeting"
            assert submission.provider_id == homes.alder
            assert submission.consent == "anonymous"
            assert submission.respondent is None and submission.contact_id is None
            assert submission.language == "en"
            assert [(t.question_id, t.text) for t in submission.texts] == [("own_words", words)]   # verbatim
            # the worker's text pipeline will analyse it, as for every channel
            assert session.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.submission_id == submission.id, OutboxMessage.purpose == "analyse_text")) == 1
        [action] = meeting.actions
        assert (action.what, action.owner, action.due_on.isoformat(), action.status) == (
            "Ask the kitchen for a heated trolley", "Home manager", "2026-10-31", "open")
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "meeting.create", AuditEvent.target_id == str(meeting_id))) == 1
        references = [session.get(Submission, i.submission_id).reference for i in issues]

    shown = staff.get(f"/staff/meetings/{meeting_id}", params={"saved": "1"})
    assert shown.status_code == 200
    assert "The meeting is saved." in shown.text
    # Data entry reads the issues once the text check has read them and found nothing urgent.
    assert "The tea is always cold" not in shown.text and shown.text.count("the safeguarding check has not read these words") == 2
    text_check()
    shown = staff.get(f"/staff/meetings/{meeting_id}")
    assert "The tea is always cold" in shown.text and "My mum&#39;s room" in shown.text
    for reference in references:
        assert reference in shown.text
    assert "Ask the kitchen for a heated trolley" in shown.text
    listing = staff.get("/staff/meetings")
    assert "Alder Court care home" in listing.text and f"/staff/meetings/{meeting_id}" in listing.text


def test_open_actions_are_followed_up_at_the_next_meeting_of_the_same_home(services, homes, staff):
    first = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, issues=[(ISSUE_1, "resident")],
        actions=[("Heated trolley", "Home manager", "2026-10-31"), ("Repaint the lounge", "Maintenance", "2026-12-31")])))
    with services.session_factory() as session:
        trolley, paint = [a.id for a in session.get(Meeting, first).actions]

    offered = staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": SECOND, "chosen": "1"})
    assert "the meeting on 1 October 2026" in offered.text
    for action_id in (trolley, paint):
        assert f'name="followup-{action_id}" value="done"' in offered.text
        assert f'name="followup-{action_id}" value="carried_forward"' in offered.text
    # another home's next meeting does not see them
    other = staff.get("/staff/meetings/new", params={"provider_id": homes.birch, "held_on": SECOND, "chosen": "1"})
    assert "Heated trolley" not in other.text and "followup-" not in other.text

    second = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, SECOND, follow_ups={trolley: "done", paint: "carried_forward"},
        actions=[("Menu in large print", "Activities lead", "2026-11-30")])))

    with services.session_factory() as session:
        old_trolley, old_paint = session.get(MeetingAction, trolley), session.get(MeetingAction, paint)
        assert (old_trolley.status, old_trolley.closed_in_meeting_id) == ("done", second)
        assert (old_paint.status, old_paint.closed_in_meeting_id) == ("carried_forward", second)
        assert old_trolley.closed_at is not None and old_paint.closed_at is not None
        new_actions = session.get(Meeting, second).actions
        carried = [a for a in new_actions if a.carried_from_action_id]
        assert [(a.what, a.owner, a.status, a.carried_from_action_id) for a in carried] == [("Repaint the lounge", "Maintenance", "open", paint)]
        assert sorted(a.what for a in new_actions) == ["Menu in large print", "Repaint the lounge"]
        assert session.get(Meeting, second).issues == []
        carried_id = carried[0].id

    shown = staff.get(f"/staff/meetings/{second}")
    assert "carried forward from the meeting on" in shown.text and f'href="/staff/meetings/{first}"' in shown.text
    assert "Actions from earlier meetings followed up here" in shown.text

    # The third meeting is offered the carried action (and the new one), not the closed ones.
    third = staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": "2026-11-20", "chosen": "1"})
    assert f"followup-{carried_id}" in third.text
    assert f"followup-{paint}" not in third.text and f"followup-{trolley}" not in third.text


def test_every_open_action_must_be_followed_up_and_nothing_is_stored_until_it_is(services, homes, staff):
    first = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, actions=[("Heated trolley", "Home manager", "2026-10-31")])))
    with services.session_factory() as session:
        [action_id] = [a.id for a in session.get(Meeting, first).actions]
    submissions_before = count(services, Submission)
    result = staff.post("/staff/meetings/new", meeting_form(homes.alder, SECOND, issues=[(ISSUE_2, "relative")]))
    assert result.status_code == 422
    assert f'href="#followup-{action_id}"' in result.text
    anchors_resolve(result.text)
    assert ISSUE_2.replace("'", "&#39;") in result.text      # what was typed is kept
    assert count(services, Meeting) == 1 and count(services, Submission) == submissions_before


def test_validation_errors_keep_typed_text_and_link_to_the_fields(services, homes, staff):
    result = staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, counts=("nine", "", "2"),
        issues=[(ISSUE_1, ""), ("", "staff"), (ISSUE_2, "relative")],
        actions=[("Heated trolley", "", "2026-09-01")]))
    assert result.status_code == 422
    assert result.text.count("There is a problem") == 1 and "<title>Error: " in result.text
    for field in ("residents", "relatives", "issue-0-raised_by", "issue-1-text", "action-0-owner", "action-0-due_on"):
        assert f'href="#{field}"' in result.text, field
        assert f'id="{field}-error"' in result.text, field
    anchors_resolve(result.text)
    assert 'value="nine"' in result.text
    assert f">{ISSUE_1}</textarea>" in result.text
    assert 'name="issue-2-raised_by" value="relative" checked' in result.text
    assert 'name="issue-1-raised_by" value="staff" checked' in result.text
    assert ">Heated trolley</textarea>" in result.text and 'value="2026-09-01"' in result.text
    assert count(services, Meeting) == 0 and count(services, Submission) == 0


def test_add_another_issue_keeps_what_was_typed(services, homes, staff):
    result = staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST, issues=[(ISSUE_1, "resident")],
                                                            actions=[("Heated trolley", "Chef", "2026-10-10")], button="add_issue"))
    assert result.status_code == 200
    assert 'name="issue_rows" value="2"' in result.text and 'id="issue-1-text"' in result.text
    assert f">{ISSUE_1}</textarea>" in result.text and 'value="Chef"' in result.text
    more = staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST, actions=[("Heated trolley", "Chef", "2026-10-10")],
                                                          button="add_action"))
    assert 'name="action_rows" value="2"' in more.text and 'id="action-1-what"' in more.text
    assert count(services, Meeting) == 0


def test_the_same_form_sent_twice_logs_one_meeting(services, homes, staff):
    form = meeting_form(homes.alder, FIRST, issues=[(ISSUE_1, "resident")], form_key="same-form-key-123")
    first = meeting_id_from(staff.post("/staff/meetings/new", form))
    again = meeting_id_from(staff.post("/staff/meetings/new", form))
    assert first == again
    assert count(services, Meeting) == 1 and count(services, Submission) == 1


def test_home_and_date_are_checked_first(services, homes, staff):
    page = staff.get("/staff/meetings/new", params={"provider_id": "", "held_on": "31/02/2026", "chosen": "1"})
    assert page.status_code == 422
    assert 'href="#provider_id"' in page.text and 'href="#held_on"' in page.text
    anchors_resolve(page.text)
    future = staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": "2099-01-01", "chosen": "1"})
    assert "today or in the past" in future.text
    # a UK-style date works where the browser has no date picker
    ok = staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": "1/10/2026", "chosen": "1"})
    assert ok.status_code == 200 and 'name="held_on" value="2026-10-01"' in ok.text
    # a link with only the home opens the first step with the home chosen
    start = staff.get("/staff/meetings/new", params={"provider_id": homes.alder})
    assert start.status_code == 200 and "There is a problem" not in start.text
    assert f'<option value="{homes.alder}" selected>' in start.text


def test_add_issues_to_a_meeting_already_logged(services, homes, staff):
    meeting_id = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST, issues=[(ISSUE_1, "resident")])))
    refused = staff.post(f"/staff/meetings/{meeting_id}/issues", [("issue_rows", "1"), ("issue-0-text", "Forgotten one"), ("button", "save")])
    assert refused.status_code == 422 and 'href="#issue-0-raised_by"' in refused.text and ">Forgotten one</textarea>" in refused.text
    added = staff.post(f"/staff/meetings/{meeting_id}/issues", [("issue_rows", "1"), ("issue-0-text", "Forgotten one"),
                                                               ("issue-0-raised_by", "staff"), ("button", "save")])
    assert meeting_id_from(added) == meeting_id
    with services.session_factory() as session:
        issues = session.get(Meeting, meeting_id).issues
        assert [(i.position, i.raised_by) for i in issues] == [(0, "resident"), (1, "staff")]
        assert session.get(Submission, issues[1].submission_id).channel == "meeting"


def test_forms_without_csrf_token_are_refused(services, homes, staff):
    result = staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST, issues=[(ISSUE_1, "resident")]), csrf=False)
    assert result.status_code == 403
    wrong = staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST) + [("csrf_token", "0" * 64)], csrf=False)
    assert wrong.status_code == 403
    assert count(services, Meeting) == 0 and count(services, Submission) == 0


@pytest.mark.parametrize("path", ["/staff/meetings", "/staff/meetings/new", "/staff/meetings/1"])
def test_board_role_is_refused(services, client, homes, path):
    add_user(services, "board@example.org", Role.BOARD)
    board = StaffClient(client)
    board.sign_in("board@example.org")
    assert board.get(path).status_code == 403
    assert board.post("/staff/meetings/new", meeting_form(homes.alder, FIRST)).status_code == 403
    assert count(services, Meeting) == 0


def test_duty_team_reads_but_does_not_log(services, client, homes, staff):
    meeting_id = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST, issues=[(ISSUE_1, "resident")])))
    add_user(services, "duty@example.org", Role.DUTY_TEAM)
    duty = StaffClient(client)
    duty.sign_in("duty@example.org")
    shown = duty.get(f"/staff/meetings/{meeting_id}")
    assert shown.status_code == 200 and "The tea is always cold" in shown.text
    assert "Add issues to this meeting" not in shown.text
    assert 'href="/staff/submissions/' in shown.text     # the duty team may open the submission
    assert duty.get("/staff/meetings/new").status_code == 403


def test_not_signed_in_goes_to_sign_in(client, homes):
    result = client.simulate_get("/staff/meetings")
    assert result.status_code == 303 and result.headers["location"].endswith("/staff/sign-in")
    assert client.simulate_post("/staff/meetings/new", body="a=b",
                                headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 401


def test_unknown_meeting_is_404(staff, homes):
    assert staff.get("/staff/meetings/999999").status_code == 404


def test_change_home_or_date_goes_back_to_the_first_step_with_the_choices_kept(staff, homes):
    form = staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": FIRST, "chosen": "1"})
    link = re.search(r'href="(/staff/meetings/new\?[^"]*change=1)"', form.text).group(1).replace("&amp;", "&")
    back = staff.get(link.split("?")[0], params=dict(part.split("=") for part in link.split("?")[1].split("&")))
    assert back.status_code == 200 and 'name="chosen" value="1"' in back.text
    assert f'<option value="{homes.alder}" selected>' in back.text and f'value="{FIRST}"' in back.text


def test_pages_carry_no_inline_script_or_style_and_a_strict_policy(staff, homes):
    for path in ("/staff/meetings", "/staff/meetings/new"):
        page = staff.get(path)
        assert "<script" not in page.text and "style=" not in page.text and "<style" not in page.text
        policy = page.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    css = staff.client.simulate_get("/staff/static/staff.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_an_action_followed_up_meanwhile_by_someone_else_is_refused_clearly(services, homes, staff):
    first = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, actions=[("Heated trolley", "Home manager", "2026-10-31")])))
    with services.session_factory() as session:
        [action_id] = [a.id for a in session.get(Meeting, first).actions]
    # Two people log the same next meeting from two open forms; the first one wins.
    meeting_id_from(staff.post("/staff/meetings/new", meeting_form(homes.alder, SECOND, follow_ups={action_id: "done"})))
    late = staff.post("/staff/meetings/new", meeting_form(homes.alder, "2026-11-02", issues=[(ISSUE_1, "resident")],
                                                          follow_ups={action_id: "carried_forward"}))
    assert late.status_code == 422
    assert "followed up at another meeting meanwhile" in late.text
    anchors_resolve(late.text)
    assert f">{ISSUE_1}</textarea>" in late.text
    assert count(services, Meeting) == 2


def test_the_staff_navigation_is_the_same_as_on_the_other_staff_pages(services, client, homes):
    add_user(services, "admin@example.org", Role.ADMIN)
    admin = StaffClient(client)
    admin.sign_in("admin@example.org")
    home_nav = admin.get("/staff").text.split('<nav aria-label="Staff">', 1)[1].split("</nav>", 1)[0]
    meetings_nav = admin.get("/staff/meetings").text.split('<nav aria-label="Staff">', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="([^"]+)"', meetings_nav) == re.findall(r'href="([^"]+)"', home_nav)


def test_an_action_that_may_describe_harm_asks_for_a_tick_on_its_own_row(services, homes, staff):
    """A blank action row before it: the warning and its box are on the row the words were typed in."""
    harm = "Manager to look into Mr B saying the night carer hits him and takes his money"
    form = meeting_form(homes.alder, FIRST, issues=[("The lift is slow.", "resident")],
                        actions=[("", "", ""), (harm, "Home manager", "2026-10-31")])
    asked = staff.post("/staff/meetings/new", form)
    assert asked.status_code == 422 and "may describe harm to a resident" in asked.text
    assert 'href="#action-1-not_harm"' in asked.text and 'id="action-1-not_harm-error"' in asked.text
    assert "Action 2 may describe harm" in asked.text and 'id="action-0-not_harm"' not in asked.text
    anchors_resolve(asked.text)
    assert f">{harm}</textarea>" in asked.text and count(services, Meeting) == 0
    fingerprint = re.search(r'name="action-1-not_harm_words" value="([0-9a-f]+)"', asked.text).group(1)
    # A tick given for other words (the action edited after ticking) is asked about again.
    edited = [(k, v + " and shouts at him" if k == "action-1-what" else v) for k, v in form]
    again = staff.post("/staff/meetings/new", edited + [("action-1-not_harm", "yes"), ("action-1-not_harm_words", fingerprint)])
    assert again.status_code == 422 and "may describe harm" in again.text
    meeting_id = meeting_id_from(staff.post("/staff/meetings/new", form + [("action-1-not_harm", "yes"),
                                                                        ("action-1-not_harm_words", fingerprint)]))
    with services.session_factory() as session:
        assert [a.what for a in session.get(Meeting, meeting_id).actions] == [harm]
        detail = session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "meeting.create"))
        assert (json.loads(detail) if isinstance(detail, str) else detail)["actions_confirmed_not_about_harm"] == [0]


def test_ordinary_actions_are_saved_without_a_question(services, homes, staff):
    actions = [("Review the safeguarding policy", "Manager", "2026-10-31"), ("Staff training on abuse awareness", "Manager", "2026-10-31"),
               ("Ask the kitchen for a heated trolley", "Cook", "2026-10-31")]
    meeting_id_from(staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST, issues=[(ISSUE_1, "resident")], actions=actions)))


def test_an_issue_or_action_of_only_nul_characters_is_refused_on_the_page(services, homes, staff):
    """Storage drops NUL: an issue of NUL alone would be counted as raised, with no words to check for harm."""
    result = staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST, issues=[("\x00\x00", "resident")],
                                                             actions=[("\x00", "Manager", "2026-10-31")]))
    assert result.status_code == 422
    assert 'href="#issue-0-text"' in result.text and 'href="#action-0-what"' in result.text
    assert count(services, Meeting) == 0 and count(services, Submission) == 0
