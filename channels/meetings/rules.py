"""The rules of a meeting log, with no framework or database imports (unit-tested on their own).

A meeting log is a `LogMeeting` command. `check` lists what is wrong with one, field by field, given the
actions still open from the home's earlier meetings and today's date. Carry-forward rule: every action
left open at the home's earlier meetings must be followed up at the next meeting, as `done` or
`carried_forward`; a carried action becomes an open action of the new meeting, linked to the old one
(`carried_from_action_id`), and the old one is closed.
"""
from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from service.domain.model import Problem

MAX_COUNT = 999
MAX_ACTION_CHARS = 1000
MAX_OWNER_CHARS = 200
# How far back a meeting may be logged. A date older than this is a typing slip (0001-01-01, 27/11/1026):
# its open actions would show at every later meeting of the home and it would count in the board's figures.
MAX_YEARS_BACK = 5


class RaisedBy(str, enum.Enum):
    RESIDENT = "resident"
    RELATIVE = "relative"
    STAFF = "staff"


RAISED_BY_LABELS = {RaisedBy.RESIDENT: "A resident", RaisedBy.RELATIVE: "A relative", RaisedBy.STAFF: "A member of staff"}


class ActionStatus(str, enum.Enum):
    OPEN = "open"
    DONE = "done"
    CARRIED_FORWARD = "carried_forward"


class FollowUp(str, enum.Enum):
    """What the next meeting decided about an action left open."""

    DONE = "done"
    CARRIED_FORWARD = "carried_forward"


FOLLOW_UP_LABELS = {FollowUp.DONE: "Done", FollowUp.CARRIED_FORWARD: "Not done yet: carry it forward to this meeting"}


@dataclass(frozen=True)
class IssueIn:
    text: str
    raised_by: RaisedBy


@dataclass(frozen=True)
class ActionIn:
    what: str
    owner: str
    due_on: date | None   # required for a new action (the form checks); kept as it was for a carried one
    # Staff confirmed the harm warning does not apply: not about harm to a resident, or recorded as an issue.
    not_about_harm: bool = False
    row: int | None = field(default=None, compare=False)   # the form's row it was typed in (rows may be blank), for messages


@dataclass(frozen=True)
class LogMeeting:
    """The command to log one meeting of one home (provider)."""

    provider_id: int
    held_on: date
    residents: int
    relatives: int
    staff: int
    issues: tuple[IssueIn, ...] = ()
    actions: tuple[ActionIn, ...] = ()
    follow_ups: dict[int, FollowUp] = field(default_factory=dict)   # earlier open action id -> decision
    language: str = "en"
    created_by: str = ""
    created_by_user_id: int | None = None
    form_key: str | None = None   # one per form shown: a form sent twice logs one meeting


@dataclass(frozen=True)
class OpenAction:
    """An action still open from one of the home's earlier meetings."""

    id: int
    meeting_id: int
    held_on: date
    what: str
    owner: str
    due_on: date | None


def check_follow_ups(open_action_ids: list[int] | set[int], follow_ups: dict[int, FollowUp]) -> list[Problem]:
    """Every open action needs exactly one decision; decisions about other actions are refused."""
    problems = []
    open_ids = set(open_action_ids)
    for action_id in sorted(open_ids):
        if action_id not in follow_ups:
            problems.append(Problem(f"followup-{action_id}", "Say whether this action was done or is carried forward"))
    for action_id in sorted(set(follow_ups) - open_ids):
        problems.append(Problem(f"followup-{action_id}",
                                "This action is no longer open (it was followed up at another meeting): reload the page"))
    return problems


def earliest_meeting_date(today: date) -> date:
    """The oldest date a meeting may be logged for: the same day MAX_YEARS_BACK years ago (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - MAX_YEARS_BACK)
    except ValueError:
        return today.replace(year=today.year - MAX_YEARS_BACK, day=28)


def too_old_message(today: date) -> str:
    earliest = earliest_meeting_date(today)
    return (f"The date of the meeting must be in the last {MAX_YEARS_BACK} years: "
            f"on or after {earliest.day} {earliest:%B %Y}")


def check_dates(held_on: date, actions: tuple[ActionIn, ...], today: date) -> list[Problem]:
    problems = []
    if held_on > today:
        problems.append(Problem("held_on", "The date of the meeting must be today or in the past"))
    elif held_on < earliest_meeting_date(today):
        problems.append(Problem("held_on", too_old_message(today)))
    for index, action in enumerate(actions):
        if action.due_on is not None and action.due_on < held_on:
            problems.append(Problem(f"action-{index}-due_on", f"Action {index + 1}: the date to do it by must be on or after the meeting"))
    return problems


def actions_that_may_disclose_harm(actions: tuple[ActionIn, ...], may_disclose: Callable[[str], bool]) -> list[Problem]:
    """Only issues reach the text check and the safeguarding duty team (an action is the home's plan, not a
    resident's words), so a concern written only as an action ("Manager to look into Mr B saying the night
    carer hits him") would raise no alert. The check is tuned not to miss residents' words and so also
    flags ordinary actions ("Fix the lock on the toilet door"): a flagged action is not refused but asks
    once for a tick, "not about harm to a resident, or recorded as an issue", so a person decides."""
    return [Problem(f"action-{index if action.row is None else action.row}-not_harm",
                    f"Action {(index if action.row is None else action.row) + 1} may describe harm to a resident. If it "
                    "does, record it as an issue too, in the resident's words, so that the safeguarding duty team is "
                    "alerted. Then, or if it does not, confirm it (the box below the action; not_about_harm in the API) "
                    "and save again")
            for index, action in enumerate(actions) if not action.not_about_harm and may_disclose(action.what)]


# Words with which an action names a safeguarding concern outright ("Raise a safeguarding alert about Mrs K",
# "Refer Mr A to the safeguarding team", "Tell the police"): the disclosure cue lexicons look for harm described,
# not for a concern named, and these are the clearest sign that a resident's concern should be an issue too.
# Recall first: "Refer Mrs B to the dietitian" asks for the tick too; a tick costs a second. The home's own
# safeguarding paperwork and training ("Review the safeguarding policy") is a plan, not a concern, and does not.
_NAMES_A_CONCERN = re.compile(
    r"\b(?:safe-?guard\w*(?!\w|\s+(?:polic(?:y|ies)|procedures?|training|courses?|awareness|posters?|leaflets?)\b)|refer(?:s|red|ring|rals?)?|alleg\w+|police|cqc|care\s+quality\s+commission|lado"
    r"|s\.?\s?42|section\s*42|adult\s+protection|whistle-?blow\w*)\b", re.IGNORECASE)


def names_a_safeguarding_concern(text: str) -> bool:
    """Does the text name a safeguarding concern (a referral, an allegation, the police, CQC, the LADO, a
    section 42 enquiry)? For actions, beside the disclosure check (see actions_that_may_disclose_harm)."""
    return _NAMES_A_CONCERN.search(text) is not None


def confirmed_not_about_harm(actions: tuple[ActionIn, ...]) -> list[int]:
    """The actions (by position) someone confirmed are not about harm or are issues too: for the audit log,
    which names who decided."""
    return [index for index, action in enumerate(actions) if action.not_about_harm]


def carried_copy(action: OpenAction) -> ActionIn:
    """A carried-forward action keeps its words, owner and date (a new date can be agreed as a new action)."""
    return ActionIn(what=action.what, owner=action.owner, due_on=action.due_on)


# Parsing of typed values (the pages keep what was typed and show these messages beside the fields).

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})[/. ](\d{1,2})[/. ](\d{4})$")


def parse_date(text: str) -> date | None:
    """`2026-11-27` (what <input type=date> sends) or `27/11/2026` (typed where the browser has no date picker)."""
    text = (text or "").strip()
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _UK_DATE.match(text)
        if not match:
            return None
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_count(text: str) -> int | None:
    text = (text or "").strip()
    if not text.isdecimal() or len(text) > 3:
        return None
    return int(text) if int(text) <= MAX_COUNT else None
