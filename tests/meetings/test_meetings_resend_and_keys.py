"""Sending a meeting log again, and whose key a key is (audit papermeet M2, M3, L1).

- A repeat of a log (same form key / Idempotency-Key, same log) stores the issues the meeting is still
  missing: a first attempt that died after the meeting was stored, or an issue that failed, must not lose
  the words (a disclosure in them would never reach the duty team).
- A key is the caller's own: the same key from another token is another meeting; the same key from the
  same caller with a different log is refused (409 problem+json; on the page, an error summary).
- A meeting date more than 5 years back is refused (a typing slip such as 0001-01-01).
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from channels.meetings import service
from channels.meetings.models import Meeting
from channels.meetings import rules
from channels.meetings.rules import IssueIn, LogMeeting, RaisedBy
from service.auth.permissions import Role
from service.storage.orm import Submission
from tests.conftest import make_token
from tests.meetings.conftest import StaffClient
from tests.meetings.test_meetings_pages import FIRST, ISSUE_1, ISSUE_2, anchors_resolve, meeting_form, meeting_id_from

TODAY = date(2026, 11, 27)
DISCLOSURE = "The night carer shouts at Mrs P and pushes her"


def count(services, model, *where) -> int:
    with services.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def fail_issues_with(monkeypatch, words: str) -> None:
    """An issue with these words cannot be stored just now (the database went away for a moment)."""
    real = service._save_issue

    def flaky(uow_factory, meeting_id, provider_id, language, position, issue):
        if issue.text == words:
            raise RuntimeError("database connection lost")
        return real(uow_factory, meeting_id, provider_id, language, position, issue)
    monkeypatch.setattr(service, "_save_issue", flaky)


# L1: dates more than 5 years back

def test_check_dates_has_a_lower_bound():
    assert rules.earliest_meeting_date(date(2026, 11, 27)) == date(2021, 11, 27)
    assert rules.earliest_meeting_date(date(2028, 2, 29)) == date(2023, 2, 28)
    assert rules.check_dates(date(2021, 11, 27), (), date(2026, 11, 27)) == []
    [problem] = rules.check_dates(date(2021, 11, 26), (), date(2026, 11, 27))
    assert problem.field == "held_on" and "in the last 5 years" in problem.message and "27 November 2021" in problem.message
    [problem] = rules.check_dates(date(1, 1, 1), (), date(2026, 11, 27))
    assert problem.field == "held_on"


def test_a_meeting_in_year_one_is_refused_by_the_api(client, services, homes):
    headers = {"Authorization": f"Bearer {make_token(services, Role.DATA_ENTRY)}"}
    body = {"provider_id": homes.alder, "held_on": "0001-01-01", "attendance": {"residents": 1, "relatives": 0, "staff": 1},
            "actions": [{"what": "Mend the lift", "owner": "Manager", "due_on": "0001-02-01"}]}
    refused = client.simulate_post("/api/v1/meetings", json=body, headers=headers)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in refused.json["errors"]] == ["held_on"]
    assert count(services, Meeting) == 0
    recent = dict(body, held_on=(date.today() - timedelta(days=365 * 4)).isoformat(), actions=[])
    assert client.simulate_post("/api/v1/meetings", json=recent, headers=headers).status_code == 201


def test_a_date_more_than_5_years_back_is_refused_on_the_page(services, homes, staff: StaffClient):
    old = (rules.earliest_meeting_date(date.today()) - timedelta(days=1)).strftime("%d/%m/%Y")
    page = staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": old, "chosen": "1"})
    assert page.status_code == 422
    assert 'href="#held_on"' in page.text and "in the last 5 years" in page.text
    anchors_resolve(page.text)
    typo = staff.post("/staff/meetings/new", meeting_form(homes.alder, "27/11/1026", issues=[(ISSUE_1, "resident")]))
    assert typo.status_code == 422 and "in the last 5 years" in typo.text
    assert count(services, Meeting) == 0



# M3: a key is the caller's own, and belongs to one log

ALDER_ISSUE = {"text": "The garden door is locked all day.", "raised_by": "resident"}
BIRCH_ISSUE = {"text": "A carer slapped Mrs D last night.", "raised_by": "relative"}


def api_body(provider_id: int, issue: dict) -> dict:
    return {"provider_id": provider_id, "held_on": "2026-10-01", "attendance": {"residents": 3, "relatives": 0, "staff": 2},
            "issues": [issue]}


def test_the_same_key_from_another_token_is_another_meeting(client, services, homes):
    one = {"Authorization": f"Bearer {make_token(services, Role.DATA_ENTRY)}", "Idempotency-Key": "2026-10-01"}
    two = {"Authorization": f"Bearer {make_token(services, Role.ENGAGEMENT)}", "Idempotency-Key": "2026-10-01"}
    first = client.simulate_post("/api/v1/meetings", json=api_body(homes.alder, ALDER_ISSUE), headers=one)
    second = client.simulate_post("/api/v1/meetings", json=api_body(homes.birch, BIRCH_ISSUE), headers=two)
    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert second.json["provider_id"] == homes.birch and [i["text"] for i in second.json["issues"]] == [BIRCH_ISSUE["text"]]
    assert count(services, Meeting) == 2 and count(services, Submission) == 2
    # Each token's repeat still finds its own meeting.
    assert client.simulate_post("/api/v1/meetings", json=api_body(homes.birch, BIRCH_ISSUE), headers=two).json["id"] == second.json["id"]


def test_the_same_key_with_a_different_log_is_refused(client, services, homes):
    headers = {"Authorization": f"Bearer {make_token(services, Role.DATA_ENTRY)}", "Idempotency-Key": "2026-10-01"}
    first = client.simulate_post("/api/v1/meetings", json=api_body(homes.alder, ALDER_ISSUE), headers=headers)
    assert first.status_code == 201
    other = client.simulate_post("/api/v1/meetings", json=api_body(homes.birch, BIRCH_ISSUE), headers=headers)
    assert other.status_code == 409, other.text
    assert other.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in other.json["errors"]] == ["Idempotency-Key"]
    assert "different" in other.json["detail"]
    assert BIRCH_ISSUE["text"] not in other.text and ALDER_ISSUE["text"] not in other.text
    assert count(services, Meeting) == 1 and count(services, Submission) == 1


def test_a_changed_form_sent_with_the_same_form_key_is_refused_and_keeps_what_was_typed(services, homes, staff: StaffClient):
    form = meeting_form(homes.alder, FIRST, issues=[(ISSUE_1, "resident")], form_key="form-back-2")
    first = meeting_id_from(staff.post("/staff/meetings/new", form))
    changed = meeting_form(homes.alder, FIRST, issues=[(ISSUE_1, "resident"), (DISCLOSURE, "resident")], form_key="form-back-2")
    page = staff.post("/staff/meetings/new", changed)
    assert page.status_code == 409
    assert "This form was saved before" in page.text and f"/staff/meetings/{first}" in page.text
    assert f">{DISCLOSURE}</textarea>" in page.text
    anchors_resolve(page.text)
    assert count(services, Meeting) == 1 and count(services, Submission) == 1


def test_a_form_key_is_the_persons_own(services, homes, staff: StaffClient, client):
    from tests.meetings.conftest import signed_in
    form = meeting_form(homes.alder, FIRST, issues=[(ISSUE_1, "resident")], form_key="shared-form-key")
    first = meeting_id_from(staff.post("/staff/meetings/new", form))
    other = signed_in(client, services, "someone@example.org", Role.ENGAGEMENT)
    second = meeting_id_from(other.post("/staff/meetings/new", meeting_form(
        homes.birch, FIRST, issues=[(DISCLOSURE, "resident")], form_key="shared-form-key")))
    assert second != first and count(services, Meeting) == 2




# M2: a repeat stores the issues the meeting is missing

def test_resending_a_log_whose_issues_were_not_stored_stores_them(services, homes, monkeypatch):
    """The worker dies (gunicorn timeout, deploy) after step 1; the same log is sent again."""
    cmd = LogMeeting(provider_id=homes.alder, held_on=date(2026, 10, 1), residents=5, relatives=2, staff=1,
                     issues=(IssueIn(DISCLOSURE, RaisedBy.RESIDENT), IssueIn("The tea is cold", RaisedBy.RELATIVE)),
                     form_key="form-key-1", created_by="t")
    real = service.save_issues

    def killed(*args, **kwargs):
        raise SystemExit("worker timeout")
    monkeypatch.setattr(service, "save_issues", killed)
    with pytest.raises(SystemExit):
        service.log_meeting(services.uow, cmd, today=TODAY)
    monkeypatch.setattr(service, "save_issues", real)

    again = service.log_meeting(services.uow, cmd, today=TODAY)
    assert again.replayed and [o.position for o in again.issues] == [0, 1] and not again.failed
    with services.session_factory() as session:
        meeting = session.get(Meeting, again.meeting_id)
        assert [i.position for i in meeting.issues] == [0, 1] and service.missing_positions(meeting) == []
    # Once complete, a further repeat stores nothing.
    third = service.log_meeting(services.uow, cmd, today=TODAY)
    assert third.replayed and third.issues == [] and third.meeting_id == again.meeting_id
    assert count(services, Meeting) == 1 and count(services, Submission) == 2


def test_a_repeat_stores_only_the_missing_issue_at_its_own_position(services, homes, monkeypatch):
    cmd = LogMeeting(provider_id=homes.alder, held_on=date(2026, 10, 1), residents=5, relatives=2, staff=1,
                     issues=(IssueIn("The tea is cold", RaisedBy.RELATIVE), IssueIn(DISCLOSURE, RaisedBy.RESIDENT)),
                     form_key="form-key-2", created_by="t")
    fail_issues_with(monkeypatch, DISCLOSURE)
    first = service.log_meeting(services.uow, cmd, today=TODAY)
    assert [o.position for o in first.failed] == [1]
    still = service.log_meeting(services.uow, cmd, today=TODAY)     # still failing: said so again
    assert still.replayed and [o.position for o in still.failed] == [1] and still.failed[0].error
    monkeypatch.undo()
    done = service.log_meeting(services.uow, cmd, today=TODAY)
    assert done.replayed and [(o.position, o.saved) for o in done.issues] == [(1, True)]
    with services.session_factory() as session:
        meeting = session.get(Meeting, first.meeting_id)
        texts = service.issue_texts(session, meeting)
        assert [texts[i.submission_id].text for i in meeting.issues] == ["The tea is cold", DISCLOSURE]
    assert count(services, Submission) == 2


def test_the_api_repeat_stores_the_missing_issues_and_reports_failures(client, services, homes, monkeypatch):
    headers = {"Authorization": f"Bearer {make_token(services, Role.DATA_ENTRY)}", "Idempotency-Key": "minutes-1"}
    body = {"provider_id": homes.alder, "held_on": "2026-10-01", "attendance": {"residents": 6, "relatives": 2, "staff": 1},
            "issues": [{"text": "The garden door is locked all day.", "raised_by": "resident"},
                       {"text": DISCLOSURE, "raised_by": "relative"}]}
    fail_issues_with(monkeypatch, DISCLOSURE)
    first = client.simulate_post("/api/v1/meetings", json=body, headers=headers)
    assert first.status_code == 201 and [f["position"] for f in first.json["issues_failed"]] == [1]
    again = client.simulate_post("/api/v1/meetings", json=body, headers=headers)
    assert again.status_code == 200 and [f["position"] for f in again.json["issues_failed"]] == [1]
    assert again.json["issues_failed"][0]["error"]
    monkeypatch.undo()
    third = client.simulate_post("/api/v1/meetings", json=body, headers=headers)
    assert third.status_code == 200 and third.json["id"] == first.json["id"]
    assert third.json["issues_failed"] == [] and third.json["missing_issue_positions"] == []
    assert [i["withheld"] for i in third.json["issues"]] == ["awaiting_check"] * 2   # data entry: not read by the check yet
    with services.session_factory() as session:
        meeting = session.get(Meeting, first.json["id"])
        texts = service.issue_texts(session, meeting)
        assert [texts[i.submission_id].text for i in meeting.issues] == ["The garden door is locked all day.", DISCLOSURE]
    assert count(services, Meeting) == 1 and count(services, Submission) == 2


def test_back_and_send_again_after_an_issue_failed_stores_it(services, homes, staff: StaffClient, monkeypatch):
    form = meeting_form(homes.alder, FIRST, issues=[(ISSUE_1, "resident"), (ISSUE_2, "relative")], form_key="form-back-1")
    fail_issues_with(monkeypatch, ISSUE_2)
    page = staff.post("/staff/meetings/new", form)
    assert page.status_code == 200 and "1 of 2 issues were saved" in page.text
    monkeypatch.undo()
    again = staff.post("/staff/meetings/new", form)          # Back, then Save again: the same form
    meeting_id = meeting_id_from(again)
    with services.session_factory() as session:
        meeting = session.get(Meeting, meeting_id)
        assert [i.position for i in meeting.issues] == [0, 1] and service.missing_positions(meeting) == []
    assert count(services, Meeting) == 1 and count(services, Submission) == 2


# The same form sent twice at once (audit meetings 1): both sends pass the read-only key check before either
# commits; the second one's INSERT breaks the unique form_key. It is answered as a repeat, never with a 500.

def _log(provider_id: int, **changes) -> LogMeeting:
    values = dict(provider_id=provider_id, held_on=date(2026, 10, 1), residents=5, relatives=2, staff=1, created_by="t",
                  issues=(IssueIn("The garden door is locked all day", RaisedBy.RESIDENT),), form_key="web:" + "k" * 60)
    values.update(changes)
    return LogMeeting(**values)


def _check_passes_before_the_other_commits(monkeypatch) -> None:
    """The first key check finds nothing (as when the other send has not committed yet); later ones are real."""
    real_earlier, calls = service._earlier, []

    def not_committed_yet(session, command, fingerprints):
        calls.append(1)
        return None if len(calls) == 1 else real_earlier(session, command, fingerprints)
    monkeypatch.setattr(service, "_earlier", not_committed_yet)


def test_a_double_submit_that_races_is_answered_with_the_first_meeting(services, homes, monkeypatch):
    first = service.log_meeting(services.uow, _log(homes.alder), today=TODAY)
    _check_passes_before_the_other_commits(monkeypatch)
    second = service.log_meeting(services.uow, _log(homes.alder), today=TODAY)
    assert second.replayed and second.meeting_id == first.meeting_id and second.issues == []
    assert count(services, Meeting) == 1 and count(services, Submission) == 1


def test_a_racing_send_of_a_different_log_with_the_same_key_is_refused(services, homes, monkeypatch):
    service.log_meeting(services.uow, _log(homes.alder), today=TODAY)
    _check_passes_before_the_other_commits(monkeypatch)
    with pytest.raises(service.MeetingKeyConflict):
        service.log_meeting(services.uow, _log(homes.alder, residents=6), today=TODAY)
    assert count(services, Meeting) == 1


def test_two_threads_sending_one_form_at_once_both_get_the_meeting(services, homes):
    """With real threads: on PostgreSQL the second INSERT waits for the first to commit, then breaks the key
    (on SQLite the write lock taken at BEGIN serialises the two)."""
    import threading

    errors, outcomes, barrier, local = [], [], threading.Barrier(2), threading.local()
    real_earlier = service._earlier

    def both_pass_the_check(session, command, fingerprints):
        found = real_earlier(session, command, fingerprints)
        if not getattr(local, "passed", False):
            local.passed = True
            try:
                barrier.wait(timeout=5)
            except threading.BrokenBarrierError:
                pass
        return found

    def send():
        try:
            outcomes.append(service.log_meeting(services.uow, _log(homes.alder), today=TODAY))
        except Exception as error:   # noqa: BLE001
            errors.append(repr(error)[:300])

    service._earlier = both_pass_the_check
    try:
        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        service._earlier = real_earlier
    assert errors == [] and len(outcomes) == 2 and len({o.meeting_id for o in outcomes}) == 1
    assert count(services, Meeting) == 1
