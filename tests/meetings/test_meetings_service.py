"""The meeting service functions on the real test database: a failing issue does not lose the meeting or the
other issues, trying again stores nothing twice, and an action is followed up once only."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from channels.meetings import service
from channels.meetings.models import Meeting, MeetingAction, MeetingIssue
from channels.meetings.rules import ActionIn, FollowUp, IssueIn, LogMeeting, RaisedBy
from service.domain.model import DomainError
from service.domain.questionnaire import MAX_FREE_TEXT_CHARS
from service.storage.orm import Submission

TODAY = date(2026, 11, 27)


def command(provider_id: int, held_on: date, **changes) -> LogMeeting:
    values = dict(provider_id=provider_id, held_on=held_on, residents=5, relatives=2, staff=1, created_by="test")
    values.update(changes)
    return LogMeeting(**values)


def test_a_failing_issue_leaves_the_meeting_and_the_other_issues_saved(services, homes):
    too_long = "x" * (MAX_FREE_TEXT_CHARS + 1)      # refused by the intake path (the page would refuse it earlier)
    issues = (IssueIn("First issue", RaisedBy.RESIDENT), IssueIn(too_long, RaisedBy.STAFF), IssueIn("Third issue", RaisedBy.RELATIVE))
    outcome = service.log_meeting(services.uow, command(homes.alder, date(2026, 10, 1), issues=issues,
                                                        actions=(ActionIn("Do it", "Manager", date(2026, 10, 9)),)), today=TODAY)
    assert [o.saved for o in outcome.issues] == [True, False, True]
    assert "the most is 5000" in outcome.failed[0].error
    with services.session_factory() as session:
        meeting = session.get(Meeting, outcome.meeting_id)
        assert meeting.issues_expected == 3 and [i.position for i in meeting.issues] == [0, 2]
        assert service.missing_positions(meeting) == [1]
        assert len(meeting.actions) == 1

    # Trying the failed one again (shortened), at its own position, fills the gap.
    retried = service.add_issues(services.uow, outcome.meeting_id, [(1, IssueIn("Second issue, shortened", RaisedBy.STAFF))])
    assert [o.saved for o in retried] == [True]
    with services.session_factory() as session:
        meeting = session.get(Meeting, outcome.meeting_id)
        assert [i.position for i in meeting.issues] == [0, 1, 2] and service.missing_positions(meeting) == []
        assert session.scalar(select(func.count()).select_from(Submission).where(Submission.channel == "meeting")) == 3


def test_saving_an_issue_again_stores_nothing_twice(services, homes):
    outcome = service.log_meeting(services.uow, command(homes.alder, date(2026, 10, 1), issues=(IssueIn("Same", RaisedBy.RESIDENT),)),
                                  today=TODAY)
    again = service.save_issues(services.uow, outcome.meeting_id, homes.alder, "en", [(0, IssueIn("Same", RaisedBy.RESIDENT))])
    assert again[0].receipt.replayed and again[0].receipt.submission_id == outcome.issues[0].receipt.submission_id
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1
        assert session.scalar(select(func.count()).select_from(MeetingIssue)) == 1


def test_an_action_is_followed_up_once_only(services, homes):
    first = service.log_meeting(services.uow, command(homes.alder, date(2026, 10, 1),
                                                      actions=(ActionIn("Fix the lift", "Manager", date(2026, 10, 20)),)), today=TODAY)
    with services.session_factory() as session:
        [open_action] = service.open_actions_before(session, homes.alder, date(2026, 11, 1))
        assert service.open_actions_before(session, homes.birch, date(2026, 11, 1)) == []
        assert service.open_actions_before(session, homes.alder, date(2026, 10, 1)) == []   # not the same day's meeting
        assert open_action.meeting_id == first.meeting_id
    service.log_meeting(services.uow, command(homes.alder, date(2026, 11, 1), follow_ups={open_action.id: FollowUp.CARRIED_FORWARD}),
                        today=TODAY)
    # A second log of the same meeting (say, by another person at the same time) cannot follow it up again.
    with pytest.raises(DomainError) as refused:
        service.log_meeting(services.uow, command(homes.alder, date(2026, 11, 2), follow_ups={open_action.id: FollowUp.DONE}),
                            today=TODAY)
    fields = {problem.field: problem.message for problem in refused.value.problems}
    assert "reload" in fields[f"followup-{open_action.id}"]
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 2
        carried = session.scalars(select(MeetingAction).where(MeetingAction.carried_from_action_id == open_action.id)).all()
        assert len(carried) == 1 and carried[0].status == "open"


def test_leaving_an_open_action_undecided_stores_nothing(services, homes):
    service.log_meeting(services.uow, command(homes.alder, date(2026, 10, 1), actions=(ActionIn("Fix the lift", "Manager", None),)),
                        today=TODAY)
    with pytest.raises(DomainError):
        service.log_meeting(services.uow, command(homes.alder, date(2026, 11, 1), issues=(IssueIn("Words", RaisedBy.RESIDENT),)),
                            today=TODAY)
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Meeting)) == 1
        assert session.scalar(select(func.count()).select_from(Submission)) == 0


def test_unknown_home_is_refused(services, homes):
    with pytest.raises(DomainError) as refused:
        service.log_meeting(services.uow, command(999_999, date(2026, 10, 1)), today=TODAY)
    assert refused.value.problems[0].field == "provider_id"


@pytest.mark.parametrize("what", [
    "Raise a safeguarding alert about Mrs K",
    "Make a safeguarding referral for Edith",
    "Refer Mr A to the safeguarding team",
])
def test_an_action_that_names_a_safeguarding_concern_asks_for_the_tick(services, homes, what):
    """Only issues reach the text check and the duty team (audit meetings 2): the disclosure lexicons look for
    harm described, and these actions name the concern outright."""
    action = ActionIn(what, "Home manager", date(2026, 10, 8))
    with pytest.raises(DomainError) as refused:
        service.log_meeting(services.uow, command(homes.alder, date(2026, 10, 1), actions=(action,)), today=TODAY)
    assert [p.field for p in refused.value.problems] == ["action-0-not_harm"]
    ticked = ActionIn(what, "Home manager", date(2026, 10, 8), not_about_harm=True)
    assert service.log_meeting(services.uow, command(homes.alder, date(2026, 10, 1), actions=(ticked,)), today=TODAY).meeting_id


def test_issues_added_to_one_meeting_at_the_same_moment_each_get_a_place(services, homes):
    """Two people adding issues to one meeting at once (PostgreSQL runs them side by side): each read the same
    next position without the meeting's row lock, and all but one were refused as 'different words were stored
    for this issue before'. On SQLite the units of work take turns anyway."""
    import threading

    outcome = service.log_meeting(services.uow, command(homes.alder, date(2026, 10, 1), issues=(IssueIn("First", RaisedBy.RESIDENT),)),
                                  today=TODAY)
    senders = 6
    barrier = threading.Barrier(senders)
    results: list = [None] * senders

    def add(index: int) -> None:
        barrier.wait()
        try:
            results[index] = service.add_issues(services.uow, outcome.meeting_id, [(None, IssueIn(f"Issue from person {index}", RaisedBy.STAFF))])
        except Exception as error:      # noqa: BLE001  (a database error is the failure this test looks for)
            results[index] = error

    threads = [threading.Thread(target=add, args=(i,)) for i in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(r, list) and r[0].saved for r in results), results
    with services.session_factory() as session:
        meeting = session.get(Meeting, outcome.meeting_id)
        assert sorted(i.position for i in meeting.issues) == list(range(senders + 1))
        assert meeting.issues_expected == senders + 1
