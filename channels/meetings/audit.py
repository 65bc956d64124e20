"""Audit events of the meeting log, written with service.audit.log in the same transaction as what they record.

A meeting's issues are residents' words (`submission.list`, naming the submissions shown, as the translation
queue does). Its actions are written by staff, but by design they can quote a resident's concern (hence the
`not_about_harm` tick), so every page and API answer that shows actions' words is `meeting.view`, naming the
actions shown: the meeting page and API, the new-meeting form and the open-actions API (earlier actions).
Details hold ids and counts only, never the words.
"""
from __future__ import annotations

from collections.abc import Iterable

from channels.meetings.service import IssueWords, shown_submission_ids
from service.audit.log import SUBMISSION_LIST, record_request

MEETING_CREATE = "meeting.create"
MEETING_ISSUES_ADD = "meeting.issues_add"
MEETING_VIEW = "meeting.view"


def record_issues_view(session, req, meeting_id: int, texts: dict[str, IssueWords], *, view: str) -> bool:
    """A view of the meeting's issues, naming those whose words were shown (none shown: nothing to record)."""
    shown = shown_submission_ids(texts)
    if shown:
        record_request(session, req, SUBMISSION_LIST, target_type="meeting", target_id=meeting_id,
                       detail={"view": view, "count": len(shown), "submission_ids": shown})
    return bool(shown)


def record_actions_view(session, req, action_ids: Iterable[int], *, view: str, target_type: str, target_id: int,
                        **detail) -> bool:
    """A view of actions' words, naming the actions shown (none shown: nothing to record)."""
    shown = sorted(set(action_ids))
    if shown:
        record_request(session, req, MEETING_VIEW, target_type=target_type, target_id=target_id,
                       detail={"view": view, "count": len(shown), "action_ids": shown, **detail})
    return bool(shown)
