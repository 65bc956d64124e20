"""JSON API of the meeting log (/api/v1/meetings): the same service functions as the pages.

POST with `Idempotency-Key` logs one meeting however often it is sent. The key is the caller's own (scoped to
the token or user): a repeat with the same body answers 200 with the meeting, after storing any of its issues
the meeting was still missing (`issues_failed` lists those that failed again); the same key with a different
body is 409 problem+json, as for /api/v1/submissions. Rule breaks (unknown home, a date in the future or more
than 5 years back, an open action of the home without a decision) are 422 problem+json naming the field, and
nothing is stored. Issues are stored after the meeting, one by one (see channels/meetings/service.py):
a 201 lists any that failed in `issues_failed`; send them again with POST /api/v1/meetings/{id}/issues.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

import falcon
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from channels.meetings import service
from channels.meetings.audit import MEETING_CREATE, MEETING_ISSUES_ADD, record_actions_view, record_issues_view
from channels.meetings.models import Meeting
from channels.meetings.rules import (
    MAX_ACTION_CHARS,
    MAX_COUNT,
    MAX_OWNER_CHARS,
    ActionIn,
    FollowUp,
    IssueIn,
    LogMeeting,
    RaisedBy,
    confirmed_not_about_harm,
)
from service.api import openapi
from service.api.bodies import JSON_ESCAPED_CHAR_BYTES, MAX_BODY_BYTES, read_json
from service.api.params import int_param, reject_bad_query
from service.api.problems import HTTPProblem
from service.api.schemas import RowId
from service.api.texts import reads_feedback
from service.audit.log import record_request
from service.auth.permissions import Permission
from service.domain.clock import board_today
from service.domain.model import DomainError, Problem
from service.domain.questionnaire import MAX_FREE_TEXT_CHARS
from service.i18n import SUPPORTED_LANGUAGES
from service.storage.database import no_words

MEETINGS_API = "/api/v1/meetings"
# Every issue and action a log may hold, at its longest, each character escaped (12 bytes for one past U+FFFF,
# an emoji: two \uXXXX): a few long Bengali issues were refused at the API's usual 64 KiB.
MEETING_BODY_BYTES = JSON_ESCAPED_CHAR_BYTES * 100 * (MAX_FREE_TEXT_CHARS + MAX_ACTION_CHARS + 400) + MAX_BODY_BYTES
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


class Attendance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    residents: Count
    relatives: Count
    staff: Count


class MeetingIssueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_FREE_TEXT_CHARS)] = Field(
        description="The issue in the words used, verbatim (stored as the submission's own_words); not blank")
    raised_by: RaisedBy

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        # Kept verbatim (no stripping), but an issue of spaces (or NUL, which storage drops) alone would be
        # feedback with no words, counted as an issue raised: the page refuses it too.
        if no_words(value):
            raise ValueError("write down the issue that was raised (it is blank)")
        return value


class MeetingActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    what: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ACTION_CHARS)]
    owner: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_OWNER_CHARS)]
    due_on: date
    not_about_harm: bool = Field(default=False, description=(
        "true when the text check's warning on this action does not apply: it is not about harm to a resident, "
        "or it is recorded as an issue too (only issues reach the duty team)"))

    @field_validator("what", "owner")
    @classmethod
    def _not_only_nul(cls, value: str) -> str:
        if no_words(value):   # NUL alone: storage drops it, leaving an action of no words
            raise ValueError("write it in words (it is blank)")
        return value


class FollowUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action_id: RowId
    decision: FollowUp


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provider_id: RowId = Field(description="The home")
    held_on: date = Field(description="The date of the meeting: today or earlier, at most 5 years back")
    attendance: Attendance
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] = Field(
        default="en", description="Language of the issues' words: one of " + ", ".join(SUPPORTED_LANGUAGES))
    issues: list[MeetingIssueIn] = Field(default_factory=list, max_length=100)
    actions: list[MeetingActionIn] = Field(default_factory=list, max_length=100)
    follow_ups: list[FollowUpIn] = Field(default_factory=list, max_length=200, description=(
        "One decision for each open action of the home's earlier meetings (GET /api/v1/meetings/open-actions)"))


class IssuesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    issues: list[MeetingIssueIn] = Field(min_length=1, max_length=100)


class IssueOut(BaseModel):
    position: int
    raised_by: RaisedBy
    submission_id: str | None
    reference: str | None
    text: str | None = Field(description="The words verbatim; when `withheld`, a note saying why they are not shown")
    withheld: Literal["duty_team", "awaiting_check"] | None = Field(default=None, description=(
        "Only for a role that does not read feedback (data entry): `awaiting_check` until the text check has read "
        "the words and found nothing urgent, `duty_team` when it found they may tell of harm"))


class ActionOut(BaseModel):
    id: int
    meeting_id: int
    what: str
    owner: str
    due_on: date | None
    status: str
    carried_from_action_id: int | None
    closed_at: datetime | None
    closed_in_meeting_id: int | None


class IssueFailure(BaseModel):
    position: int
    error: str


class MeetingOut(BaseModel):
    id: int
    provider_id: int
    provider_name: str
    held_on: date
    attendance: Attendance
    language: str
    issues: list[IssueOut]
    issues_expected: int
    missing_issue_positions: list[int]
    actions: list[ActionOut]
    followed_up: list[ActionOut] = Field(description="Actions of earlier meetings this meeting closed (done or carried forward)")
    created_by: str
    created_at: datetime
    issues_failed: list[IssueFailure] = Field(default_factory=list, description="Issues of this request that could not be stored")


class MeetingSummaryOut(BaseModel):
    id: int
    provider_id: int
    provider_name: str
    held_on: date
    attendance_total: int
    issues: int
    open_actions: int


class MeetingList(BaseModel):
    items: list[MeetingSummaryOut]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= for the next page; null on the last page")


class OpenActionOut(BaseModel):
    id: int
    meeting_id: int
    held_on: date
    what: str
    owner: str
    due_on: date | None


class OpenActionList(BaseModel):
    items: list[OpenActionOut]


def _action_out(action) -> ActionOut:
    return ActionOut(id=action.id, meeting_id=action.meeting_id, what=action.what, owner=action.owner, due_on=action.due_on,
                     status=action.status, carried_from_action_id=action.carried_from_action_id, closed_at=action.closed_at,
                     closed_in_meeting_id=action.closed_in_meeting_id)


def meeting_out(session, req: falcon.Request, meeting: Meeting, failed: list[service.IssueOutcome] = ()) -> MeetingOut:
    """The meeting as the API answers it. The answer carries the issues' and actions' words, so it is audited
    (naming them, like the translation queue): the caller must commit the session before answering."""
    texts = service.issue_texts(session, meeting, withhold_unchecked=not reads_feedback(req))
    followed_up = service.followed_up_in(session, meeting)
    record_issues_view(session, req, meeting.id, texts, view="api")
    record_actions_view(session, req, [a.id for a in [*meeting.actions, *followed_up]], view="api",
                        target_type="meeting", target_id=meeting.id)
    return MeetingOut(
        id=meeting.id, provider_id=meeting.provider_id, provider_name=meeting.provider.name, held_on=meeting.held_on,
        attendance=Attendance(residents=meeting.residents_count, relatives=meeting.relatives_count, staff=meeting.staff_count),
        language=meeting.language,
        issues=[IssueOut(position=i.position, raised_by=RaisedBy(i.raised_by), submission_id=i.submission_id,
                         reference=i.submission.reference if i.submission else None,
                         text=texts[i.submission_id].text if i.submission_id in texts else None,
                         withheld=texts[i.submission_id].withheld if i.submission_id in texts else None)
                for i in meeting.issues],
        issues_expected=meeting.issues_expected, missing_issue_positions=service.missing_positions(meeting),
        actions=[_action_out(a) for a in meeting.actions], followed_up=[_action_out(a) for a in followed_up],
        created_by=meeting.created_by, created_at=meeting.created_at,
        issues_failed=[IssueFailure(position=o.position, error=o.error or "") for o in failed],
    )


def _json(resp: falcon.Response, model: BaseModel, status: str = falcon.HTTP_200) -> None:
    resp.status = status
    resp.content_type = falcon.MEDIA_JSON
    resp.text = model.model_dump_json()


def _form_key(req: falcon.Request) -> str | None:
    key = req.get_header("Idempotency-Key")
    if key is None:
        return None
    if not key.strip() or len(key) > 200:
        raise HTTPProblem(falcon.HTTP_400, "Bad Idempotency-Key", "Send 1 to 200 characters.")
    # Scoped to the caller: two tools that both use, say, the meeting's date as their key each log their own meeting.
    return service.scoped_key("api", service.caller_scope(req.context.principal), key)


class Meetings:
    permissions = {"GET": Permission.MEETINGS_READ, "POST": Permission.MEETINGS_WRITE}

    def __init__(self, services):
        self._services = services

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        problems: list[Problem] = []
        provider_id = int_param(req, "provider_id", problems)
        after_id = int_param(req, "cursor", problems)
        reject_bad_query(problems)
        limit = req.get_param_as_int("limit", min_value=1, max_value=500, default=100)
        with self._services.uow() as uow:
            try:
                items = service.list_meetings(uow.session, provider_id=provider_id, limit=limit + 1, after_id=after_id)
            except service.UnknownMeeting:
                reject_bad_query([Problem("cursor", "the meeting this page followed is no longer there; start again without a cursor")])
        more = len(items) > limit
        items = items[:limit]
        _json(resp, MeetingList(items=[MeetingSummaryOut(id=m.id, provider_id=m.provider_id, provider_name=m.provider_name,
                                                         held_on=m.held_on, attendance_total=m.attendance, issues=m.issues,
                                                         open_actions=m.open_actions) for m in items],
                                next_cursor=str(items[-1].id) if more else None))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_json(req, MeetingIn, MEETING_BODY_BYTES)
        decisions: dict[int, FollowUp] = {}
        for index, item in enumerate(body.follow_ups):
            if item.action_id in decisions:
                raise HTTPProblem(falcon.HTTP_422, "The request is not valid", "one decision per action",
                                  [Problem(f"follow_ups.{index}.action_id", "this action is listed twice")])
            decisions[item.action_id] = item.decision
        principal = req.context.principal
        command = LogMeeting(
            provider_id=body.provider_id, held_on=body.held_on, residents=body.attendance.residents,
            relatives=body.attendance.relatives, staff=body.attendance.staff,
            issues=tuple(IssueIn(text=i.text, raised_by=i.raised_by) for i in body.issues),
            actions=tuple(ActionIn(what=a.what, owner=a.owner, due_on=a.due_on, not_about_harm=a.not_about_harm) for a in body.actions),
            follow_ups=decisions, language=body.language, created_by=principal.label or "",
            created_by_user_id=principal.user_id, form_key=_form_key(req),
        )
        if command.language not in SUPPORTED_LANGUAGES:
            raise HTTPProblem(falcon.HTTP_422, "The request is not valid", "unsupported language",
                              [Problem("language", "one of " + ", ".join(SUPPORTED_LANGUAGES))])

        def audit(session, meeting) -> None:
            record_request(session, req, MEETING_CREATE, target_type="meeting", target_id=meeting.id,
                           detail={"provider_id": meeting.provider_id, "issues": len(command.issues), "actions": len(command.actions),
                                   "actions_confirmed_not_about_harm": confirmed_not_about_harm(command.actions), "via": "api"})

        # DomainError -> 422 problem+json; MeetingKeyConflict (the key was used for a different log) -> 409
        try:
            outcome = service.log_meeting(self._services.uow, command, audit=audit,
                                          fingerprint_keys=self._services.settings.secret_keys)
        except DomainError as error:
            error.problems = [Problem(_body_path(p.field), p.message) for p in error.problems]
            raise
        with self._services.uow() as uow:
            meeting = service.get_meeting(uow.session, outcome.meeting_id)
            out = meeting_out(uow.session, req, meeting, outcome.failed)
            uow.commit()
        resp.set_header("Location", f"{MEETINGS_API}/{outcome.meeting_id}")
        _json(resp, out, falcon.HTTP_200 if outcome.replayed else falcon.HTTP_201)


_FORM_FIELD = re.compile(r"^action-(\d+)-(due_on|not_harm)$")


def _body_path(field: str) -> str:
    """The rules name the page's form fields ("action-0-due_on"); the API answers with the body's paths
    ("actions.0.due_on"), as its schema errors do. A follow-up is named by its action id ("followup-12")."""
    match = _FORM_FIELD.match(field)
    if match is None:
        return field
    return f"actions.{match.group(1)}.{'due_on' if match.group(2) == 'due_on' else 'not_about_harm'}"


class MeetingItem:
    permissions = {"GET": Permission.MEETINGS_READ}

    def __init__(self, services):
        self._services = services

    def on_get(self, req: falcon.Request, resp: falcon.Response, meeting_id: int) -> None:
        with self._services.uow() as uow:
            meeting = service.get_meeting(uow.session, meeting_id)
            if meeting is None:
                raise HTTPProblem(falcon.HTTP_404, "No such meeting", f"There is no meeting with id {meeting_id}.")
            out = meeting_out(uow.session, req, meeting)
            uow.commit()
        _json(resp, out)


class MeetingIssues:
    permissions = {"POST": Permission.MEETINGS_WRITE}

    def __init__(self, services):
        self._services = services

    def on_post(self, req: falcon.Request, resp: falcon.Response, meeting_id: int) -> None:
        body = read_json(req, IssuesIn, MEETING_BODY_BYTES)
        with self._services.uow() as uow:
            if service.get_meeting(uow.session, meeting_id) is None:
                raise HTTPProblem(falcon.HTTP_404, "No such meeting", f"There is no meeting with id {meeting_id}.")
        outcomes = service.add_issues(self._services.uow, meeting_id, [(None, IssueIn(i.text, i.raised_by)) for i in body.issues])
        with self._services.uow() as uow:
            record_request(uow.session, req, MEETING_ISSUES_ADD, target_type="meeting", target_id=meeting_id,
                           detail={"issues": len(outcomes), "saved": sum(o.saved for o in outcomes), "via": "api"})
            uow.commit()
            out = meeting_out(uow.session, req, service.get_meeting(uow.session, meeting_id), [o for o in outcomes if not o.saved])
            uow.commit()
        _json(resp, out, falcon.HTTP_201)


class OpenActions:
    """The actions a new meeting of the home on `held_on` must follow up."""

    permissions = {"GET": Permission.MEETINGS_READ}

    def __init__(self, services):
        self._services = services

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        problems: list[Problem] = []
        provider_id = int_param(req, "provider_id", problems, required=True)
        reject_bad_query(problems)
        held_on = req.get_param_as_date("held_on", format_string="%Y-%m-%d") or board_today()
        with self._services.uow() as uow:
            actions = service.open_actions_before(uow.session, provider_id, held_on)
            # The earlier actions' words (they may quote a resident): audited, naming them.
            if record_actions_view(uow.session, req, [a.id for a in actions], view="api_open_actions",
                                   target_type="provider", target_id=provider_id, held_on=held_on.isoformat()):
                uow.commit()
        _json(resp, OpenActionList(items=[OpenActionOut(**a.__dict__) for a in actions]))


def _param(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


openapi.EXTRA_MODELS.extend([MeetingIn, IssuesIn, MeetingOut, MeetingList, OpenActionList])
openapi.EXTRA_PATHS[MEETINGS_API] = {
    "get": openapi.operation("List residents' meetings, by home, latest first", permission=Permission.MEETINGS_READ,
                             ok=(200, MeetingList), errors=(400, 401, 403),
                             parameters=[_param("provider_id", openapi.ROW_ID_SCHEMA, "only this home"),
                                         _param("limit", {"type": "integer", "minimum": 1, "maximum": 500}, "page size (default 100)"),
                                         _param("cursor", {"type": "string"}, "next_cursor from the previous page")]),
    "post": openapi.operation("Log a residents' meeting: attendance, issues (each becomes a `meeting` submission), actions, "
                              "and the follow-up of the home's open actions", permission=Permission.MEETINGS_WRITE,
                              request=MeetingIn, ok=(201, MeetingOut), errors=(400, 401, 403, 409, 413, 415, 422),
                              parameters=[{"name": "Idempotency-Key", "in": "header", "required": False,
                                           "schema": {"type": "string", "maxLength": 200},
                                           "description": ("Your own key (scoped to your token or user). A repeat with the same key and body "
                                                           "returns the first meeting (200) and stores only those of its issues the "
                                                           "meeting was still missing; the same key with a different body is 409")}]),
}
openapi.EXTRA_PATHS[MEETINGS_API + "/{meeting_id}"] = {
    "get": openapi.operation("One meeting with its issues and actions", permission=Permission.MEETINGS_READ, ok=(200, MeetingOut),
                             errors=(401, 403, 404),
                             parameters=[{"name": "meeting_id", "in": "path", "required": True, "schema": {"type": "integer"}}]),
}
openapi.EXTRA_PATHS[MEETINGS_API + "/{meeting_id}/issues"] = {
    "post": openapi.operation("Add issues to a meeting already logged", permission=Permission.MEETINGS_WRITE, request=IssuesIn,
                              ok=(201, MeetingOut), errors=(400, 401, 403, 404, 413, 415, 422),
                              parameters=[{"name": "meeting_id", "in": "path", "required": True, "schema": {"type": "integer"}}]),
}
openapi.EXTRA_PATHS[MEETINGS_API + "/open-actions"] = {
    "get": openapi.operation("Open actions a new meeting of the home must follow up (done or carried forward)",
                             permission=Permission.MEETINGS_READ, ok=(200, OpenActionList), errors=(400, 401, 403),
                             parameters=[_param("provider_id", openapi.ROW_ID_SCHEMA, "the home", required=True),
                                         _param("held_on", {"type": "string", "format": "date"}, "the new meeting's date (default today)")]),
}
