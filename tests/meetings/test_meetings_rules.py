"""Unit tests of the meeting rules (no database): carry-forward, dates, counts, and the form check."""
from __future__ import annotations

from datetime import date

from channels.meetings.pages import Draft, check_draft
from channels.meetings.rules import (
    ActionIn,
    FollowUp,
    OpenAction,
    RaisedBy,
    carried_copy,
    check_dates,
    check_follow_ups,
    parse_count,
    parse_date,
)

TODAY = date(2026, 11, 27)


def open_action(action_id: int, what: str = "Fix the lift", due: date | None = date(2026, 11, 30)) -> OpenAction:
    return OpenAction(id=action_id, meeting_id=1, held_on=date(2026, 10, 1), what=what, owner="Home manager", due_on=due)


def test_every_open_action_needs_a_decision():
    problems = check_follow_ups([3, 4], {3: FollowUp.DONE})
    assert [p.field for p in problems] == ["followup-4"]
    assert "done or is carried forward" in problems[0].message


def test_all_decided_is_fine_and_no_actions_is_fine():
    assert check_follow_ups([3, 4], {3: FollowUp.DONE, 4: FollowUp.CARRIED_FORWARD}) == []
    assert check_follow_ups([], {}) == []


def test_a_decision_about_an_action_no_longer_open_is_refused():
    # e.g. another meeting followed it up while this form was open
    problems = check_follow_ups([3], {3: FollowUp.DONE, 9: FollowUp.CARRIED_FORWARD})
    assert [p.field for p in problems] == ["followup-9"]
    assert "reload" in problems[0].message


def test_carried_action_keeps_its_words_owner_and_date():
    action = open_action(7, "Mend the garden gate", date(2026, 12, 1))
    assert carried_copy(action) == ActionIn(what="Mend the garden gate", owner="Home manager", due_on=date(2026, 12, 1))


def test_meeting_date_not_in_future_and_due_date_not_before_meeting():
    held = date(2026, 11, 20)
    actions = (ActionIn("a", "b", date(2026, 11, 19)), ActionIn("c", "d", date(2026, 11, 20)))
    assert [p.field for p in check_dates(held, actions, TODAY)] == ["action-0-due_on"]
    assert [p.field for p in check_dates(date(2026, 11, 28), (), TODAY)] == ["held_on"]
    assert check_dates(TODAY, (), TODAY) == []


def test_dates_iso_and_uk():
    assert parse_date("2026-11-27") == date(2026, 11, 27)
    assert parse_date(" 27/11/2026 ") == date(2026, 11, 27)
    assert parse_date("7.1.2026") == date(2026, 1, 7)
    for bad in ("", "31/02/2026", "2026-13-01", "tomorrow", "11/2026"):
        assert parse_date(bad) is None


def test_counts_are_whole_numbers_up_to_999():
    assert parse_count("0") == 0
    assert parse_count(" 12 ") == 12
    for bad in ("", "-1", "1.5", "ten", "1000", "²"):
        assert parse_count(bad) is None


def _draft(**changes) -> Draft:
    draft = Draft(provider_id="5", held_on="2026-11-20", residents="8", relatives="3", staff="2", form_key="k",
                  issues=[{"text": "The food is cold.", "raised_by": "resident", "position": ""},
                          {"text": "", "raised_by": "", "position": ""}],
                  actions=[{"what": "Check the food trolley", "owner": "Chef", "due_on": "2026-12-01"},
                           {"what": "", "owner": "", "due_on": ""}],
                  follow_ups={3: "carried_forward"})
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft


def test_check_draft_builds_the_command_and_skips_blank_rows():
    command, errors = check_draft(_draft(), [open_action(3)], {5}, TODAY)
    assert not errors
    assert command.provider_id == 5 and command.held_on == date(2026, 11, 20)
    assert (command.residents, command.relatives, command.staff) == (8, 3, 2)
    assert [(i.text, i.raised_by) for i in command.issues] == [("The food is cold.", RaisedBy.RESIDENT)]
    assert command.actions == (ActionIn("Check the food trolley", "Chef", date(2026, 12, 1)),)
    assert command.follow_ups == {3: FollowUp.CARRIED_FORWARD}


def test_check_draft_keeps_issue_text_verbatim():
    words = "  The night staff   don't come\nwhen I ring.  "
    command, _ = check_draft(_draft(issues=[{"text": words, "raised_by": "relative", "position": ""}]), [], {5}, TODAY)
    assert command.issues[0].text == words


def test_check_draft_reports_each_problem_in_page_order():
    draft = _draft(residents="lots", issues=[{"text": "Too noisy at night", "raised_by": "", "position": ""},
                                             {"text": "", "raised_by": "staff", "position": ""}],
                   actions=[{"what": "Quiet hours", "owner": "", "due_on": "2026-11-01"}], follow_ups={})
    command, errors = check_draft(draft, [open_action(3)], {5}, TODAY)
    assert command is None
    assert [name for name, _ in errors.summary] == [
        "followup-3", "residents", "issue-0-raised_by", "issue-1-text", "action-0-owner", "action-0-due_on"]


def test_check_draft_unknown_home_and_future_date():
    _, errors = check_draft(_draft(provider_id="99", held_on="2026-12-25"), [], {5}, TODAY)
    assert [name for name, _ in errors.summary][:2] == ["provider_id", "held_on"]


def test_actions_that_may_describe_harm_are_named_by_their_form_row_until_ticked():
    from channels.meetings.rules import actions_that_may_disclose_harm
    from service.text.disclosure import check_rules

    def flags(text):
        return check_rules(text).flag

    harm = ActionIn("Manager to look into Mr B saying the night carer hits him", "Manager", date(2026, 12, 1), row=3)
    plain = ActionIn("Fix the lock on the toilet door", "Handyman", date(2026, 12, 1), row=1)
    assert [p.field for p in actions_that_may_disclose_harm((plain, harm), flags)] == ["action-3-not_harm"]
    assert actions_that_may_disclose_harm((plain, ActionIn(harm.what, harm.owner, harm.due_on, not_about_harm=True)), flags) == []
    assert [p.field for p in actions_that_may_disclose_harm((ActionIn(harm.what, "x", None),), flags)] == ["action-0-not_harm"]


def test_words_that_name_a_safeguarding_concern():
    from channels.meetings.rules import names_a_safeguarding_concern

    for words in ("Raise a safeguarding alert about Mrs K", "Make a safeguarding referral for Edith",
                  "Refer Mr A to the safeguarding team", "Report the allegation to the LADO", "Tell the police",
                  "Notify CQC", "Ask the council for a Section 42 enquiry", "Manager referred it on", "s42 enquiry"):
        assert names_a_safeguarding_concern(words), words
    for words in ("Fix the lock on the toilet door", "Put the reference number on the menu", "More choice at tea",
                  "Preferred meals list for the kitchen", "Review the safeguarding policy",
                  "Book safeguarding training for night staff"):
        assert not names_a_safeguarding_concern(words), words
