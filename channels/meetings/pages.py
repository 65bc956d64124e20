"""Staff pages of the meeting log, for the person who chairs or minutes a residents' meeting.

/staff/meetings                 meetings by home
/staff/meetings/new             choose the home and date (GET form), then the log itself: the previous
                                meeting's open actions (done / carried forward), attendance, issues,
                                actions agreed. "Add another issue/action" re-renders with one more row,
                                keeping what was typed (no JavaScript).
/staff/meetings/{id}            the meeting, its issues (linked to their submissions) and actions
/staff/meetings/{id}/issues     add issues to a meeting already logged (e.g. ones that failed to save)

Server-rendered, no inline scripts or styles (the CSP forbids them), every form with a CSRF token,
errors in a summary at the top linked to the fields, and beside each field.
"""
from __future__ import annotations

import dataclasses
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import falcon
from markupsafe import Markup
from sqlalchemy import select

from channels.meetings import service
from channels.meetings.audit import MEETING_CREATE, MEETING_ISSUES_ADD, record_actions_view, record_issues_view
from channels.meetings.models import MeetingAction
from channels.meetings.rules import (
    FOLLOW_UP_LABELS,
    MAX_ACTION_CHARS,
    MAX_OWNER_CHARS,
    RAISED_BY_LABELS,
    ActionIn,
    FollowUp,
    IssueIn,
    LogMeeting,
    OpenAction,
    RaisedBy,
    confirmed_not_about_harm,
    earliest_meeting_date,
    parse_count,
    parse_date,
    too_old_message,
)
from service.api.forms import first
from service.api.texts import reads_feedback
from service.auth.staff_pages import FormErrors, StaffPage
from service.audit.log import record_request
from service.auth.permissions import Permission, role_allows
from service.domain.clock import board_today
from service.domain.model import DomainError
from service.domain.questionnaire import MAX_FREE_TEXT_CHARS
from service.i18n import LANGUAGES
from service.storage.database import no_words
from service.auth.staff_pages import staff_environment, visible_controls

TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = staff_environment(TEMPLATES)

BLANK_ISSUE_ROWS = 3
BLANK_ACTION_ROWS = 2
MAX_ROWS = 40
LATEST_PER_HOME = 12   # meetings of each home on the all-homes list (a year of monthly meetings)
TOO_MANY_ROWS = {
    "issue": f"One form holds {MAX_ROWS} issues: save the meeting, then add the rest on its page (Add issues)",
    "action": f"One form holds {MAX_ROWS} actions: save the meeting with these, and note the rest for the next meeting",
}
DATE_HINT = "For example, 27/11/2026."
RAISED_BY_CHOICES = [(choice.value, RAISED_BY_LABELS[choice]) for choice in RaisedBy]
FOLLOW_UP_CHOICES = [(choice.value, FOLLOW_UP_LABELS[choice]) for choice in FollowUp]
LANGUAGE_CHOICES = [(lang.code, lang.english_name) for lang in LANGUAGES.values()]


def _uk(day: date | None) -> str:
    return day.strftime("%-d %B %Y") if day else ""


_env.filters["uk_date"] = _uk
_env.filters["words_fingerprint"] = lambda text: words_fingerprint(text or "")


class _Page(StaffPage):
    """The staff page helper of service/auth, with this channel's templates and form choices."""

    environment = _env
    sign_in_redirect = True
    # Every row a log may hold, at its longest, as a browser sends it: 9 bytes a character in Bengali or
    # Gujarati once percent-encoded (two 5,000-character Bengali issues were refused at 64 KiB, losing the log).
    form_limit = 9 * MAX_ROWS * (MAX_FREE_TEXT_CHARS + MAX_ACTION_CHARS + 400) + 64 * 1024

    def render(self, req, resp, template: str, *, title: str, status: str = falcon.HTTP_200, **context) -> None:
        principal = req.context.get("principal")
        allowed = (lambda p: principal is not None and role_allows(principal.role, p))
        super().render(
            req, resp, template, title=title, status=status,
            can_write_meetings=allowed(Permission.MEETINGS_WRITE), can_read_submissions=allowed(Permission.SUBMISSIONS_READ),
            date_hint=DATE_HINT, raised_by_choices=RAISED_BY_CHOICES, follow_up_choices=FOLLOW_UP_CHOICES,
            raised_by_labels={c.value: label for c, label in RAISED_BY_LABELS.items()},
            **context,
        )


# The form as typed: strings only, so that every value comes back exactly as it was typed.

@dataclass
class Draft:
    provider_id: str = ""
    held_on: str = ""
    residents: str = ""
    relatives: str = ""
    staff: str = ""
    language: str = "en"
    form_key: str = ""
    issues: list[dict[str, str]] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    follow_ups: dict[int, str] = field(default_factory=dict)


Errors = FormErrors


def _rows(form: dict[str, list[str]], name: str, default: int) -> int:
    text = first(form, name)
    return max(1, min(int(text), MAX_ROWS)) if text.isdecimal() and len(text) < 4 else default


def rows_full(name: str) -> Errors:
    """The form's last row of issues or actions is taken: no box past it (what was typed there would be lost)."""
    errors = Errors()
    errors.add(f"{name}-{MAX_ROWS - 1}-{'text' if name == 'issue' else 'what'}", TOO_MANY_ROWS[name])
    return errors


def check_rows_past_the_form(form: dict[str, list[str]], errors: Errors) -> None:
    """Words in a row past the last the form reads (a page from before the limit, a form built by hand) are
    refused, not dropped: one of them may be the issue that tells of harm."""
    for name, field_name in (("issue", "text"), ("action", "what")):
        if any(first(form, f"{name}-{i}-{field_name}").strip() for i in range(MAX_ROWS, MAX_ROWS * 3)):
            errors.add(f"{name}-{MAX_ROWS - 1}-{field_name}", TOO_MANY_ROWS[name])


def _issue_rows(form: dict[str, list[str]], count: int) -> list[dict[str, str]]:
    return [{"text": first(form, f"issue-{i}-text"), "raised_by": first(form, f"issue-{i}-raised_by"),
             "position": first(form, f"issue-{i}-position")} for i in range(count)]


def parse_draft(form: dict[str, list[str]], open_actions: list[OpenAction]) -> Draft:
    draft = Draft(
        provider_id=first(form, "provider_id").strip(), held_on=first(form, "held_on").strip(),
        residents=first(form, "residents").strip(), relatives=first(form, "relatives").strip(), staff=first(form, "staff").strip(),
        language=first(form, "language", "en"), form_key=first(form, "form_key")[:64] or secrets.token_urlsafe(24),
    )
    draft.issues = _issue_rows(form, _rows(form, "issue_rows", BLANK_ISSUE_ROWS))
    draft.actions = [{"what": first(form, f"action-{i}-what"), "owner": first(form, f"action-{i}-owner"),
                      "due_on": _as_iso(first(form, f"action-{i}-due_on").strip()),
                      # The tick holds only for the words it was given for: edited words are asked about again.
                      "not_harm": first(form, f"action-{i}-not_harm") == "yes"
                      and first(form, f"action-{i}-not_harm_words") == words_fingerprint(first(form, f"action-{i}-what"))}
                     for i in range(_rows(form, "action_rows", BLANK_ACTION_ROWS))]
    draft.follow_ups = {a.id: first(form, f"followup-{a.id}") for a in open_actions}
    return draft


def check_home_and_date(draft: Draft, home_ids: set[int], errors: Errors, today: date) -> tuple[int | None, date | None]:
    provider_id = int(draft.provider_id) if draft.provider_id.isdecimal() and len(draft.provider_id) < 10 else None
    if provider_id not in home_ids:
        errors.add("provider_id", "Choose the home where the meeting was held")
        provider_id = None
    held_on = parse_date(draft.held_on)
    if not draft.held_on:
        errors.add("held_on", "Enter the date of the meeting")
    elif held_on is None:
        errors.add("held_on", f"Enter the date of the meeting as a real date. {DATE_HINT}")
    elif held_on > today:
        errors.add("held_on", "The date of the meeting must be today or in the past")
        held_on = None
    elif held_on < earliest_meeting_date(today):
        errors.add("held_on", too_old_message(today))
        held_on = None
    return provider_id, held_on


def _words(value: str) -> str:
    """A box's words, stripped; none when only blanks or NUL (which storage drops) were typed."""
    return "" if no_words(value) else value.strip()


def check_issue_rows(rows: list[dict[str, str]], errors: Errors) -> list[tuple[int | None, IssueIn]]:
    issues = []
    for i, row in enumerate(rows):
        text, raised_by = row["text"], row["raised_by"]
        if no_words(text) and not raised_by:
            continue   # a blank row
        if no_words(text):   # blank, or only NUL (which storage drops): no words to store
            errors.add(f"issue-{i}-text", f"Issue {i + 1}: write down the issue that was raised")
        elif len(text) > MAX_FREE_TEXT_CHARS:
            errors.add(f"issue-{i}-text", f"Issue {i + 1}: write {MAX_FREE_TEXT_CHARS} characters or fewer (it has {len(text)})")
        if raised_by not in {value for value, _ in RAISED_BY_CHOICES}:
            errors.add(f"issue-{i}-raised_by", f"Issue {i + 1}: say who raised it: a resident, a relative or a member of staff")
        if f"issue-{i}-text" not in errors.fields and f"issue-{i}-raised_by" not in errors.fields:
            position = row.get("position", "")
            issues.append((int(position) if position.isdecimal() and len(position) < 5 else None, IssueIn(text=text, raised_by=RaisedBy(raised_by))))
    return issues


def check_draft(draft: Draft, open_actions: list[OpenAction], home_ids: set[int], today: date) -> tuple[LogMeeting | None, Errors]:
    errors = Errors()
    provider_id, held_on = check_home_and_date(draft, home_ids, errors, today)
    for action in open_actions:
        if draft.follow_ups.get(action.id) not in {value for value, _ in FOLLOW_UP_CHOICES}:
            errors.add(f"followup-{action.id}", Markup("Say whether the action “<bdi>{}</bdi>” was done or is carried forward")
                       .format(_short(visible_controls(action.what))))
    counts = {}
    for name, label in (("residents", "residents"), ("relatives", "relatives"), ("staff", "members of staff")):
        value = getattr(draft, name)
        counts[name] = parse_count(value)
        if counts[name] is None:
            errors.add(name, f"Enter how many {label} attended, as a whole number (0 if none)" if value else
                       f"Enter how many {label} attended (0 if none)")
    if draft.language not in LANGUAGES:
        errors.add("language", "Choose the language the issues are written in")
    issues = check_issue_rows(draft.issues, errors)
    actions = []
    for i, row in enumerate(draft.actions):
        what, owner, due_text = _words(row["what"]), _words(row["owner"]), row["due_on"]
        if not (what or owner or due_text):
            continue
        if not what:
            errors.add(f"action-{i}-what", f"Action {i + 1}: say what was agreed")
        elif len(what) > MAX_ACTION_CHARS:
            errors.add(f"action-{i}-what", f"Action {i + 1}: write {MAX_ACTION_CHARS} characters or fewer")
        if not owner:
            errors.add(f"action-{i}-owner", f"Action {i + 1}: say who will do it")
        elif len(owner) > MAX_OWNER_CHARS:
            errors.add(f"action-{i}-owner", f"Action {i + 1}: write {MAX_OWNER_CHARS} characters or fewer for who will do it")
        due_on = parse_date(due_text)
        if not due_text:
            errors.add(f"action-{i}-due_on", f"Action {i + 1}: enter the date it should be done by")
        elif due_on is None:
            errors.add(f"action-{i}-due_on", f"Action {i + 1}: enter the date it should be done by as a real date. {DATE_HINT}")
        elif held_on is not None and due_on < held_on:
            errors.add(f"action-{i}-due_on", f"Action {i + 1}: the date to do it by must be on or after the meeting")
        if what and owner and due_on is not None:
            actions.append(ActionIn(what=what, owner=owner, due_on=due_on, not_about_harm=row.get("not_harm", False), row=i))
    if errors:
        return None, errors
    command = LogMeeting(
        provider_id=provider_id, held_on=held_on, residents=counts["residents"], relatives=counts["relatives"], staff=counts["staff"],
        issues=tuple(issue for _, issue in issues), actions=tuple(actions),
        follow_ups={action.id: FollowUp(draft.follow_ups[action.id]) for action in open_actions},
        language=draft.language, form_key=draft.form_key,
    )
    return command, errors


def words_fingerprint(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def _as_iso(text: str) -> str:
    """A typed date as <input type=date> needs it (yyyy-mm-dd); text that is no date is kept as typed."""
    parsed = parse_date(text)
    return parsed.isoformat() if parsed else text


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _problem_anchor(field_name: str, on_page: set[str]) -> str:
    """Where the error summary links for a problem the service found: the field, or the page's main content."""
    return field_name if field_name in on_page or field_name.startswith(("action-", "issue-")) else "main"


# Resources

class MeetingsPage(_Page):
    permissions = {"GET": Permission.MEETINGS_READ}

    def on_get(self, req, resp) -> None:
        wanted = req.get_param_as_int("provider_id", min_value=1, max_value=10**9 - 1)
        with self._services.uow() as uow:
            meetings = service.list_meetings(uow.session, provider_id=wanted, per_home=None if wanted else LATEST_PER_HOME)
            counts = service.meeting_counts(uow.session)
            homes = [(home.id, home.name) for home in service.homes(uow.session)]
        groups: dict[int, dict] = {}
        for meeting in meetings:
            groups.setdefault(meeting.provider_id, {"name": meeting.provider_name, "id": meeting.provider_id, "meetings": [],
                                                    "total": counts.get(meeting.provider_id, 0)})["meetings"].append(meeting)
        self.render(req, resp, "meetings_list.html", title="Residents’ meetings", groups=list(groups.values()), homes=homes,
                    wanted=wanted)


class NewMeetingPage(_Page):
    permissions = {"GET": Permission.MEETINGS_WRITE, "POST": Permission.MEETINGS_WRITE}

    def on_get(self, req, resp) -> None:
        draft = Draft(provider_id=(req.get_param("provider_id") or "").strip(), held_on=(req.get_param("held_on") or "").strip())
        with self._services.uow() as uow:
            homes = service.homes(uow.session)
            # The choice form sends chosen=1; a link may carry the home (and date) to start with.
            chosen = req.get_param("chosen") == "1" or (draft.provider_id and draft.held_on and req.get_param("change") != "1")
            if not chosen:
                draft.held_on = _as_iso(draft.held_on)
                self.render(req, resp, "meeting_choose.html", title="Log a residents’ meeting", homes=homes, draft=draft)
                return
            errors = Errors()
            provider_id, held_on = check_home_and_date(draft, {home.id for home in homes}, errors, board_today())
            if errors:
                draft.held_on = _as_iso(draft.held_on)
                self.render(req, resp, "meeting_choose.html", title="Log a residents’ meeting", homes=homes, draft=draft,
                            errors=errors.fields, error_summary=errors.summary, status=falcon.HTTP_422)
                return
            draft.provider_id, draft.held_on = str(provider_id), held_on.isoformat()
            draft.form_key = secrets.token_urlsafe(24)
            draft.issues = [{"text": "", "raised_by": "", "position": ""} for _ in range(BLANK_ISSUE_ROWS)]
            draft.actions = [{"what": "", "owner": "", "due_on": ""} for _ in range(BLANK_ACTION_ROWS)]
            self._show_form(req, resp, uow, draft, provider_id, held_on)

    def _show_form(self, req, resp, uow, draft: Draft, provider_id: int, held_on: date, errors: Errors | None = None,
                   status: str = falcon.HTTP_200, open_actions: list[OpenAction] | None = None) -> None:
        session = uow.session
        home = next(h for h in service.homes(session) if h.id == provider_id)
        if open_actions is None:
            open_actions = service.open_actions_before(session, provider_id, held_on)
        previous = service.previous_meeting(session, provider_id, held_on)
        same_day = service.meetings_logged_on(session, provider_id, held_on)
        # The earlier actions' words are shown (they may quote a resident): each showing of them is audited.
        if record_actions_view(session, req, [action.id for action in open_actions], view="new_meeting_form",
                               target_type="provider", target_id=provider_id, held_on=held_on.isoformat()):
            uow.commit()
        self.render(req, resp, "meeting_form.html", title=f"Residents’ meeting at {home.name}", home=home, held_on=held_on,
                    draft=draft, open_actions=open_actions, previous=previous, same_day=same_day, languages=LANGUAGE_CHOICES,
                    errors=errors.fields if errors else {}, error_summary=errors.summary if errors else None, status=status)

    def on_post(self, req, resp) -> None:
        form = self.form(req)
        button = first(form, "button", "save")
        today = board_today()
        with self._services.uow() as uow:
            homes = service.homes(uow.session)
            home_ids = {home.id for home in homes}
            errors = Errors()
            draft = Draft(provider_id=first(form, "provider_id").strip(), held_on=first(form, "held_on").strip())
            provider_id, held_on = check_home_and_date(draft, home_ids, errors, today)
            if errors:
                self.render(req, resp, "meeting_choose.html", title="Log a residents’ meeting", homes=homes, draft=draft,
                            errors=errors.fields, error_summary=errors.summary, status=falcon.HTTP_422)
                return
            open_actions = service.open_actions_before(uow.session, provider_id, held_on)
            draft = parse_draft(form, open_actions)
            if button in ("add_issue", "add_action"):
                rows, name, blank = ((draft.issues, "issue", {"text": "", "raised_by": "", "position": ""}) if button == "add_issue"
                                     else (draft.actions, "action", {"what": "", "owner": "", "due_on": ""}))
                full = rows_full(name) if len(rows) >= MAX_ROWS else None
                if full is None:
                    rows.append(blank)
                self._show_form(req, resp, uow, draft, provider_id, held_on, errors=full, open_actions=open_actions,
                                status=falcon.HTTP_422 if full else falcon.HTTP_200)
                return
            command, errors = check_draft(draft, open_actions, home_ids, today)
            check_rows_past_the_form(form, errors)
            open_ids = {f"followup-{action.id}" for action in open_actions}
            if any(name.startswith("followup-") and name not in open_ids for name in form):
                # The form showed an action that another meeting has followed up since (two people logging
                # at once): say so rather than drop this person's decision about it without a word.
                errors.add("main", "An action on your form was followed up at another meeting meanwhile. "
                                   "Check the actions below, then save again.")
            if errors:
                self._show_form(req, resp, uow, draft, provider_id, held_on, errors, falcon.HTTP_422, open_actions)
                return
        principal = req.context.principal
        # The form key is scoped to the person, as the API's Idempotency-Key is to its caller.
        command = dataclasses.replace(command, created_by=principal.label or "", created_by_user_id=principal.user_id,
                                      form_key=service.scoped_key("web", service.caller_scope(principal), command.form_key))

        def audit(session, meeting) -> None:
            record_request(session, req, MEETING_CREATE, target_type="meeting", target_id=meeting.id,
                           detail={"provider_id": meeting.provider_id, "issues": len(command.issues), "actions": len(command.actions),
                                   "follow_ups": {str(k): v.value for k, v in command.follow_ups.items()},
                                   "actions_confirmed_not_about_harm": confirmed_not_about_harm(command.actions)})

        try:
            outcome = service.log_meeting(self._services.uow, command, today=today, audit=audit,
                                          fingerprint_keys=self._services.settings.secret_keys)
        except service.MeetingKeyConflict as conflict:
            # This form was saved before and has been changed since (Back, edit, save): saving it again would
            # either drop the changes without a word or log the meeting twice. Keep what was typed and say so.
            with self._services.uow() as uow:
                errors = Errors()
                errors.add("main", "This form was saved before as a meeting, and it has been changed since: the changes "
                                   f"were not saved. Open the saved meeting (/staff/meetings/{conflict.meeting_id}) to add "
                                   "issues to it, or log a new meeting.")
                self._show_form(req, resp, uow, draft, provider_id, held_on, errors, falcon.HTTP_409)
            return
        except DomainError as error:
            # e.g. another person followed up one of the actions meanwhile: show the page as it is now.
            with self._services.uow() as uow:
                open_actions = service.open_actions_before(uow.session, provider_id, held_on)
                on_page = {f"followup-{action.id}" for action in open_actions} | {"provider_id", "held_on"}
                errors = Errors()
                for problem in error.problems:
                    errors.add(_problem_anchor(problem.field, on_page), problem.message)
                self._show_form(req, resp, uow, draft, provider_id, held_on, errors, falcon.HTTP_422, open_actions)
            return
        if outcome.failed:
            saved = len(outcome.issues) - len(outcome.failed)
            notice = (f"This meeting was saved before. {saved} of the {len(outcome.issues)} issues it was missing were saved now."
                      if outcome.replayed else f"The meeting was saved. {saved} of {len(outcome.issues)} issues were saved.")
            self._show_meeting(req, resp, outcome.meeting_id, retry=outcome.failed, notice=notice)
            return
        raise falcon.HTTPSeeOther(f"/staff/meetings/{outcome.meeting_id}?saved=1")

    def _show_meeting(self, req, resp, meeting_id: int, **kwargs) -> None:
        show_meeting(self, req, resp, meeting_id, **kwargs)


def show_meeting(page: _Page, req, resp, meeting_id: int, *, retry: list[service.IssueOutcome] | None = None, notice: str | None = None,
                 rows: list[dict[str, str]] | None = None, errors: Errors | None = None, status: str = falcon.HTTP_200) -> None:
    with page._services.uow() as uow:
        session = uow.session
        meeting = service.get_meeting(session, meeting_id)
        if meeting is None:
            raise falcon.HTTPNotFound(title="No such meeting", description=f"There is no meeting with id {meeting_id}.")
        texts = service.issue_texts(session, meeting, withhold_unchecked=not reads_feedback(req))
        followed_up = service.followed_up_in(session, meeting)
        # The page shows these people's words verbatim, and the actions' words: audited, naming them.
        issues_seen = record_issues_view(session, req, meeting.id, texts, view="staff_page")
        actions_seen = record_actions_view(session, req, [a.id for a in [*meeting.actions, *followed_up]], view="staff_page",
                                           target_type="meeting", target_id=meeting.id)
        if issues_seen or actions_seen:
            uow.commit()
        missing = service.missing_positions(meeting)
        summary = errors.summary if errors else []
        if retry:
            rows = [{"text": o.issue.text, "raised_by": o.issue.raised_by.value, "position": str(o.position)} for o in retry]
            summary = [(f"issue-{i}-text", Markup("Issue “<bdi>{}</bdi>” was not saved ({}). Send it again below.")
                        .format(_short(visible_controls(o.issue.text), 40), o.error.rstrip(".")))
                       for i, o in enumerate(retry)]
        if rows is None:
            rows = [{"text": "", "raised_by": "", "position": str(p)} for p in missing] or [{"text": "", "raised_by": "", "position": ""}]
        carried = {a.carried_from_action_id for a in meeting.actions if a.carried_from_action_id}
        sources = {}
        if carried:
            for action in session.scalars(select(MeetingAction).where(MeetingAction.id.in_(carried))):
                sources[action.id] = action.meeting
        page.render(req, resp, "meeting.html", title=f"Residents’ meeting at {meeting.provider.name}, {_uk(meeting.held_on)}",
                    meeting=meeting, texts=texts, missing=missing, followed_up=followed_up,
                    sources=sources, rows=rows, errors=errors.fields if errors else {}, error_summary=summary or None,
                    notice=notice or ("The meeting is saved." if req.get_param("saved") == "1" else None), status=status)


class MeetingPage(_Page):
    permissions = {"GET": Permission.MEETINGS_READ}

    def on_get(self, req, resp, meeting_id: int) -> None:
        show_meeting(self, req, resp, meeting_id)


class MeetingIssuesPage(_Page):
    """Add issues to a meeting already logged (ones that failed to save, or ones forgotten)."""

    permissions = {"POST": Permission.MEETINGS_WRITE}

    def on_post(self, req, resp, meeting_id: int) -> None:
        form = self.form(req)
        rows = _issue_rows(form, _rows(form, "issue_rows", 1))
        with self._services.uow() as uow:
            if service.get_meeting(uow.session, meeting_id) is None:
                raise falcon.HTTPNotFound(title="No such meeting", description=f"There is no meeting with id {meeting_id}.")
        if first(form, "button") == "add_issue":
            if len(rows) >= MAX_ROWS:
                show_meeting(self, req, resp, meeting_id, rows=rows, errors=rows_full("issue"), status=falcon.HTTP_422)
                return
            rows.append({"text": "", "raised_by": "", "position": ""})
            show_meeting(self, req, resp, meeting_id, rows=rows)
            return
        errors = Errors()
        issues = check_issue_rows(rows, errors)
        check_rows_past_the_form(form, errors)
        if not errors and not issues:
            errors.add("issue-0-text", "Write down the issue that was raised")
        if errors:
            show_meeting(self, req, resp, meeting_id, rows=rows, errors=errors, status=falcon.HTTP_422)
            return
        outcomes = service.add_issues(self._services.uow, meeting_id, issues)
        with self._services.uow() as uow:
            record_request(uow.session, req, MEETING_ISSUES_ADD, target_type="meeting", target_id=meeting_id,
                           detail={"issues": len(issues), "saved": sum(o.saved for o in outcomes)})
            uow.commit()
        failed = [o for o in outcomes if not o.saved]
        if failed:
            show_meeting(self, req, resp, meeting_id, retry=failed,
                         notice=f"{len(outcomes) - len(failed)} of {len(outcomes)} issues were saved.")
            return
        raise falcon.HTTPSeeOther(f"/staff/meetings/{meeting_id}?saved=1")
