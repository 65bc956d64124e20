"""Meeting logs: plain functions over a unit of work (pages and API call these; tests call them directly).

Saving a log happens in steps, so that a failure never leaves a half-logged meeting without saying so:

1. one transaction stores the meeting, its attendance, the actions agreed and the follow-up of the
   home's open actions (done, or carried forward into this meeting). Either all of it or none of it.
2. then each issue goes through the one intake path (`submit_feedback`, its own transaction, as every
   channel's feedback does) and is linked to the meeting in a small transaction of its own. Each issue
   has an idempotency key (`meeting:<id>:issue:<position>`), so trying again after a failure never
   stores an issue twice. The meeting keeps how many issues it should have (`issues_expected`); the
   meeting page shows any that are missing and offers to add them.

A form key (web form) or Idempotency-Key (API) makes sending the same log again safe. It is scoped to who
sent it (`scoped_key`), and the meeting keeps a fingerprint of the log (`log_fingerprint`). The same key with
the same log is a repeat: nothing is stored twice, but any of its issues the meeting is still missing (the
first attempt died after step 1, or an issue failed and the person pressed Back and sent the form again) are
stored now, at their own positions, through the same idempotent step 2. The same key with a different log is
refused (`MeetingKeyConflict`), never answered with the other meeting.

SQLite takes its write lock at BEGIN (see service.storage.database), so no transaction here is open
while `submit_feedback` runs.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from channels.meetings.models import Meeting, MeetingAction, MeetingIssue
from channels.meetings.rules import (
    ActionStatus,
    FollowUp,
    IssueIn,
    LogMeeting,
    OpenAction,
    actions_that_may_disclose_harm,
    carried_copy,
    check_dates,
    check_follow_ups,
    names_a_safeguarding_concern,
)
from service.domain.clock import board_today
from service.domain.model import (
    Channel,
    Consent,
    DomainError,
    Problem,
    Receipt,
    SubmitFeedback,
)
from service.analysis import checked_and_not_urgent
from service.intake import IdempotencyConflict, submit_feedback
from service.storage.orm import FreeText, Provider, Submission
from service.storage.types import utcnow
from service.storage.unit_of_work import UnitOfWork
from service.text.disclosure import check_rules
from service.text.pipeline import readable

log = logging.getLogger("msp.meetings")

UowFactory = Callable[[], UnitOfWork]
AuditHook = Callable[[Session, Meeting], None]


@dataclass
class IssueOutcome:
    position: int
    issue: IssueIn
    receipt: Receipt | None = None
    error: str | None = None

    @property
    def saved(self) -> bool:
        return self.receipt is not None


@dataclass
class LogOutcome:
    meeting_id: int
    # The same form was sent before: the meeting was not stored again; `issues` then holds only the issues
    # the meeting was still missing, stored (or not) now.
    replayed: bool = False
    issues: list[IssueOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[IssueOutcome]:
        return [outcome for outcome in self.issues if not outcome.saved]


# Reading

def homes(session: Session) -> list[Provider]:
    """Providers a meeting can be logged for (residents' meetings are held in care homes, mostly)."""
    return list(session.scalars(select(Provider).where(Provider.active.is_(True)).order_by(Provider.name, Provider.id)))


def open_actions_before(session: Session, provider_id: int, held_on: date) -> list[OpenAction]:
    """Actions still open from the home's meetings held before `held_on`.

    Normally these are the open actions of the home's previous meeting (each meeting follows up every
    action left open before it); an action from an older meeting shows here too if a meeting was skipped
    in the log, so nothing open is ever lost from view.
    """
    rows = session.execute(
        select(MeetingAction, Meeting.held_on)
        .join(Meeting, MeetingAction.meeting_id == Meeting.id)
        .where(Meeting.provider_id == provider_id, Meeting.held_on < held_on, MeetingAction.status == ActionStatus.OPEN.value)
        .order_by(Meeting.held_on, Meeting.id, MeetingAction.id)
    ).all()
    return [OpenAction(id=a.id, meeting_id=a.meeting_id, held_on=held, what=a.what, owner=a.owner, due_on=a.due_on) for a, held in rows]


def meetings_logged_on(session: Session, provider_id: int, held_on: date) -> int:
    """How many meetings of the home are logged on that very day (their actions are followed up at a later
    meeting, not at another on the same day)."""
    return session.scalar(select(func.count()).select_from(Meeting).where(Meeting.provider_id == provider_id,
                                                                          Meeting.held_on == held_on)) or 0


def previous_meeting(session: Session, provider_id: int, held_on: date) -> Meeting | None:
    return session.scalars(
        select(Meeting).where(Meeting.provider_id == provider_id, Meeting.held_on < held_on)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(1)
    ).first()


@dataclass(frozen=True)
class MeetingSummary:
    id: int
    provider_id: int
    provider_name: str
    held_on: date
    attendance: int
    issues: int
    open_actions: int


class UnknownMeeting(LookupError):
    """A page's cursor names a meeting that is no longer there (erased)."""


def _listed_after(session: Session, meeting_id: int):
    """The rows that come after meeting `meeting_id` in the list's order (home name, home, latest first):
    a keyset, so paging on never skips or repeats a meeting when others are logged meanwhile."""
    key = session.execute(select(Provider.name, Meeting.provider_id, Meeting.held_on)
                          .join(Provider, Provider.id == Meeting.provider_id).where(Meeting.id == meeting_id)).first()
    if key is None:
        raise UnknownMeeting(meeting_id)
    name, home, held_on = key
    return or_(Provider.name > name,
               and_(Provider.name == name, or_(
                   Meeting.provider_id > home,
                   and_(Meeting.provider_id == home, or_(
                       Meeting.held_on < held_on,
                       and_(Meeting.held_on == held_on, Meeting.id < meeting_id))))))


def list_meetings(session: Session, provider_id: int | None = None, limit: int = 500,
                  per_home: int | None = None, after_id: int | None = None) -> list[MeetingSummary]:
    """Meetings by home name, latest first within a home. ``per_home``: only each home's latest that many
    (so a limit over all homes never leaves a home out: 500 meetings of homes early in the alphabet did).
    ``after_id``: the page after that meeting (UnknownMeeting when it is gone)."""
    issues = select(MeetingIssue.meeting_id, func.count().label("n")).group_by(MeetingIssue.meeting_id).subquery()
    open_actions = (select(MeetingAction.meeting_id, func.count().label("n"))
                    .where(MeetingAction.status == ActionStatus.OPEN.value).group_by(MeetingAction.meeting_id).subquery())
    query = (
        select(Meeting.id, Meeting.provider_id, Provider.name, Meeting.held_on,
               Meeting.residents_count + Meeting.relatives_count + Meeting.staff_count,
               func.coalesce(issues.c.n, 0), func.coalesce(open_actions.c.n, 0))
        .join(Provider, Provider.id == Meeting.provider_id)
        .outerjoin(issues, issues.c.meeting_id == Meeting.id)
        .outerjoin(open_actions, open_actions.c.meeting_id == Meeting.id)
        .order_by(Provider.name, Meeting.provider_id, Meeting.held_on.desc(), Meeting.id.desc())
    )
    if per_home is None:   # with per_home every home is listed: a limit over all of them would drop the last homes
        query = query.limit(limit)
    if provider_id is not None:
        query = query.where(Meeting.provider_id == provider_id)
    if after_id is not None:
        query = query.where(_listed_after(session, after_id))
    if per_home is not None:
        rank = (select(Meeting.id, func.row_number().over(partition_by=Meeting.provider_id,
                                                          order_by=(Meeting.held_on.desc(), Meeting.id.desc())).label("n"))
                .subquery())
        query = query.join(rank, rank.c.id == Meeting.id).where(rank.c.n <= per_home)
    return [MeetingSummary(*row) for row in session.execute(query).all()]


def meeting_counts(session: Session) -> dict[int, int]:
    """How many meetings each home has logged."""
    return dict(session.execute(select(Meeting.provider_id, func.count()).group_by(Meeting.provider_id)).all())


def get_meeting(session: Session, meeting_id: int) -> Meeting | None:
    return session.get(Meeting, meeting_id)


# What staff who do not read feedback (data entry) see instead of an issue's words, and why. Data entry may
# log and look over any home's meetings, but a possible disclosure is for the safeguarding duty team: words
# are shown to them only once the text check has read them and found nothing urgent (the rule of the
# provider view: service.analysis.checked_and_not_urgent). The staff pages are in English only.
PASSED_TO_DUTY_TEAM = "(Not shown: these words may tell of harm, and have gone to the safeguarding duty team.)"
WAITING_FOR_CHECK = ("(Not shown yet: the safeguarding check has not read these words, or is waiting for a person to "
                     "translate them. They are shown here once it has read them and found nothing urgent; words that "
                     "may tell of harm go to the safeguarding duty team.)")


@dataclass(frozen=True)
class IssueWords:
    """An issue's words as the reader may see them: verbatim, or, when `withheld`, a note saying why not."""

    text: str
    withheld: str | None = None     # None (shown), "duty_team" (urgent) or "awaiting_check" (not read yet)


def issue_texts(session: Session, meeting: Meeting, *, withhold_unchecked: bool = False) -> dict[str, IssueWords]:
    """The words of each issue (submission id -> own words), verbatim from free_texts. With
    `withhold_unchecked` (a role that does not read feedback), the words of an issue are given only once the
    text check has read them and found nothing urgent."""
    ids = [issue.submission_id for issue in meeting.issues if issue.submission_id]
    if not ids:
        return {}
    rows = session.execute(select(FreeText.submission_id, FreeText.text, Submission.urgent)
                           .join(Submission, Submission.id == FreeText.submission_id)
                           .where(FreeText.submission_id.in_(ids), FreeText.question_id == OWN_WORDS))
    # A query of its own: the predicate looks at every free text of the submission, not at one row of this join.
    checked = set(session.scalars(select(Submission.id).where(Submission.id.in_(ids), checked_and_not_urgent()))) \
        if withhold_unchecked else set()
    words = {}
    for submission_id, text, urgent in rows:
        if withhold_unchecked and urgent:
            words[submission_id] = IssueWords(PASSED_TO_DUTY_TEAM, "duty_team")
        elif withhold_unchecked and submission_id not in checked:
            words[submission_id] = IssueWords(WAITING_FOR_CHECK, "awaiting_check")
        else:
            words[submission_id] = IssueWords(text)
    return words


def shown_submission_ids(texts: dict[str, IssueWords]) -> list[str]:
    """The submissions whose words `texts` gives verbatim: what a view of them names in the audit log."""
    return sorted(submission_id for submission_id, words in texts.items() if words.withheld is None)


def followed_up_in(session: Session, meeting: Meeting) -> list[MeetingAction]:
    """Actions of earlier meetings that this meeting followed up (closed as done or carried forward)."""
    return list(session.scalars(select(MeetingAction).where(MeetingAction.closed_in_meeting_id == meeting.id).order_by(MeetingAction.id)))


def missing_positions(meeting: Meeting) -> list[int]:
    linked = {issue.position for issue in meeting.issues}
    return [position for position in range(meeting.issues_expected) if position not in linked]


# Writing

OWN_WORDS = "own_words"   # the questionnaire's free-text question: the issue's words, verbatim


class MeetingKeyConflict(IdempotencyConflict):
    """The form key or Idempotency-Key was used before, by the same caller, for a different meeting log.
    The API answers it as /api/v1/submissions answers its own key conflicts (409 problem+json)."""

    def __init__(self, meeting_id: int):
        super().__init__("idempotency key reused", [Problem(
            "Idempotency-Key", "this key was already used for a different meeting log; use a new key for a new meeting")])
        self.meeting_id = meeting_id


def scoped_key(namespace: str, caller: str, key: str) -> str:
    """What is stored in meetings.form_key: the key as the caller sent it, hashed together with who sent it
    (`user:<id>` or `token:<id>`), so that two tools (or people) that happen to choose the same key never
    meet each other's meeting."""
    return f"{namespace}:" + hashlib.sha256(f"{caller}\n{key}".encode("utf-8")).hexdigest()[:60]


def caller_scope(principal) -> str:
    """Whose key space a key belongs to: the signed-in user, else the API token."""
    return f"user:{principal.user_id}" if principal.user_id is not None else f"token:{principal.token_id}"


def _log_content(command: LogMeeting) -> bytes:
    content = {
        "provider_id": command.provider_id, "held_on": command.held_on.isoformat(),
        "attendance": [command.residents, command.relatives, command.staff], "language": command.language,
        "issues": [[issue.text, issue.raised_by.value] for issue in command.issues],
        "actions": [[a.what, a.owner, a.due_on.isoformat() if a.due_on else None, a.not_about_harm] for a in command.actions],
        "follow_ups": sorted([action_id, decision.value] for action_id, decision in command.follow_ups.items()),
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")


def log_fingerprint(command: LogMeeting, key: str = "") -> str:
    """A fingerprint of what a meeting log says (not who sent it, nor when): a repeat of the same log has the
    same one. Keyed (HMAC under ``key``, the service's SECRET_KEY): the log holds residents' words, and after
    one is erased anyone who could read the rest of the meeting could otherwise test a guess of it."""
    return hmac.new(f"meeting-log:{key}".encode("utf-8"), _log_content(command), hashlib.sha256).hexdigest()


def _same_log(command: LogMeeting, keys: Sequence[str]) -> set[str]:
    """Every fingerprint this log may have been stored with: under each key (SECRET_KEY, then the previous
    ones: a resend across a change of key is the same log), and the plain hash of logs stored before keying."""
    return {log_fingerprint(command, key) for key in keys} | {hashlib.sha256(_log_content(command)).hexdigest()}


def _earlier(session: Session, command: LogMeeting, fingerprints: set[str]) -> int | None:
    """The meeting logged before with this command's key, if any; refused when it was a different log."""
    if not command.form_key:
        return None
    row = session.execute(select(Meeting.id, Meeting.request_fingerprint).where(Meeting.form_key == command.form_key)).first()
    if row is None:
        return None
    if row.request_fingerprint is not None and row.request_fingerprint not in fingerprints:
        raise MeetingKeyConflict(row.id)
    return row.id


def _replay(uow_factory: UowFactory, meeting_id: int, command: LogMeeting) -> LogOutcome:
    """The same log sent again: store those of its issues that the meeting is still missing (each issue's own
    idempotency key and fingerprint make this safe, also when the first attempt is still running)."""
    with uow_factory() as uow:
        meeting = uow.session.get(Meeting, meeting_id)
        missing = [position for position in missing_positions(meeting) if position < len(command.issues)]
        provider_id, language = meeting.provider_id, meeting.language
    outcome = LogOutcome(meeting_id=meeting_id, replayed=True)
    if missing:
        outcome.issues = save_issues(uow_factory, meeting_id, provider_id, language,
                                     [(position, command.issues[position]) for position in missing])
    return outcome


def log_meeting(uow_factory: UowFactory, command: LogMeeting, *, today: date | None = None, audit: AuditHook | None = None,
                fingerprint_keys: Sequence[str] = ("",)) -> LogOutcome:
    """Store the meeting (step 1), then its issues (step 2). Raises DomainError, storing nothing, when
    the log breaks a rule (unknown home, a date in the future, an open action without a decision).
    ``fingerprint_keys``: SECRET_KEY, then the previous keys (see ``log_fingerprint``)."""
    today = today or board_today()
    fingerprint = log_fingerprint(command, fingerprint_keys[0])
    with uow_factory() as uow:   # read only (rolled back on exit); step 2 of a repeat needs no transaction open
        earlier = _earlier(uow.session, command, _same_log(command, fingerprint_keys))   # MeetingKeyConflict: another log
    if earlier is not None:
        return _replay(uow_factory, earlier, command)
    with uow_factory() as uow:
        session = uow.session
        home = session.get(Provider, command.provider_id)
        if home is None:
            raise DomainError("unknown home", [Problem("provider_id", f"There is no home (provider) with id {command.provider_id}")])
        if not home.active:   # as the pages, which offer active homes only
            raise DomainError("home no longer active", [Problem("provider_id", f"The home (provider) with id {command.provider_id} "
                                                                "is no longer active: reactivate it to log its meetings")])
        open_actions = {a.id: a for a in open_actions_before(session, command.provider_id, command.held_on)}
        problems = (check_follow_ups(list(open_actions), command.follow_ups) + check_dates(command.held_on, command.actions, today)
                    + actions_that_may_disclose_harm(command.actions, _may_disclose))
        if problems:
            raise DomainError("the meeting log is not valid", problems)
        now = utcnow()
        meeting = Meeting(
            provider_id=command.provider_id, held_on=command.held_on, residents_count=command.residents,
            relatives_count=command.relatives, staff_count=command.staff, issues_expected=len(command.issues),
            language=command.language, created_by=command.created_by[:200], created_by_user_id=command.created_by_user_id,
            form_key=command.form_key, request_fingerprint=fingerprint if command.form_key else None, created_at=now,
        )
        try:
            # The savepoint: the unique form_key is checked here, at the INSERT, not at commit.
            with session.begin_nested():
                session.add(meeting)
                session.flush()
        except IntegrityError:
            # The same form, sent twice at once (a double click, Back and send while the first is saving): both
            # passed the check above, and the other request stored the meeting first. Answer as for a repeat.
            earlier = _earlier(session, command, _same_log(command, fingerprint_keys))   # MeetingKeyConflict: another log
            if earlier is None:
                raise
            raced = True
        else:
            raced = False
            for action_id, decision in sorted(command.follow_ups.items()):
                _follow_up(session, open_actions[action_id], decision, meeting, now)
            for agreed in command.actions:
                session.add(MeetingAction(meeting_id=meeting.id, what=agreed.what, owner=agreed.owner, due_on=agreed.due_on,
                                          status=ActionStatus.OPEN.value, created_at=now))
            if audit is not None:
                session.flush()
                audit(session, meeting)
            uow.commit()
            meeting_id = meeting.id
    if raced:
        return _replay(uow_factory, earlier, command)
    outcome = LogOutcome(meeting_id=meeting_id)
    outcome.issues = save_issues(uow_factory, meeting_id, command.provider_id, command.language,
                                 list(enumerate(command.issues)))
    return outcome


def _may_disclose(action_text: str) -> bool:
    # The lexicons only: actions are the home's plans in staff's words, which the classifier tier (tuned
    # for residents' words) flags on "door" or "bath"; a disclosure recorded as an action names the harm, or
    # names the concern itself ("Make a safeguarding referral for Edith"), which the lexicons do not look for.
    words = readable(action_text)
    return check_rules(words).flag or names_a_safeguarding_concern(words)


def _follow_up(session: Session, action: OpenAction, decision: FollowUp, meeting: Meeting, now) -> None:
    status = ActionStatus.DONE if decision is FollowUp.DONE else ActionStatus.CARRIED_FORWARD
    # Guarded by status: if another meeting followed this action up meanwhile, nothing changes and this
    # whole log is refused (the person reloads and sees the action gone).
    result = session.execute(
        update(MeetingAction)
        .where(MeetingAction.id == action.id, MeetingAction.status == ActionStatus.OPEN.value)
        .values(status=status.value, closed_at=now, closed_in_meeting_id=meeting.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DomainError("action already followed up",
                          [Problem(f"followup-{action.id}", "This action was followed up at another meeting meanwhile: reload the page")])
    if status is ActionStatus.CARRIED_FORWARD:
        copy = carried_copy(action)
        # The copy has the age of its words, not of the copy: retention cuts words RETENTION_FREE_TEXT_MONTHS
        # after they were written, and an action carried at every meeting would otherwise stay verbatim for ever.
        written = session.execute(select(MeetingAction.created_at, MeetingAction.redacted_at).where(MeetingAction.id == action.id)).one()
        session.add(MeetingAction(meeting_id=meeting.id, what=copy.what, owner=copy.owner, due_on=copy.due_on,
                                  status=ActionStatus.OPEN.value, carried_from_action_id=action.id,
                                  created_at=written.created_at, redacted_at=written.redacted_at))


def add_issues(uow_factory: UowFactory, meeting_id: int, issues: list[tuple[int | None, IssueIn]]) -> list[IssueOutcome]:
    """Add issues to a meeting already logged: the ones that failed to save (with their position) or new ones."""
    with uow_factory() as uow:
        # The meeting's row lock: two people adding issues at once would otherwise both take the next place,
        # and all but one would be refused as different words for the same issue.
        uow.session.execute(select(Meeting.id).where(Meeting.id == meeting_id).with_for_update())
        meeting = uow.session.get(Meeting, meeting_id, populate_existing=True)
        if meeting is None:
            raise DomainError("unknown meeting", [Problem("meeting_id", f"There is no meeting with id {meeting_id}")])
        linked = {issue.position for issue in meeting.issues}
        missing = set(missing_positions(meeting))
        next_position = max([meeting.issues_expected - 1, *linked]) + 1
        numbered = []
        for position, issue in issues:
            if position is None or position not in missing:
                position, next_position = next_position, next_position + 1
            else:
                missing.discard(position)
            numbered.append((position, issue))
        meeting.issues_expected = max(meeting.issues_expected, next_position)
        provider_id, language = meeting.provider_id, meeting.language
        uow.commit()
    return save_issues(uow_factory, meeting_id, provider_id, language, numbered)


def save_issues(uow_factory: UowFactory, meeting_id: int, provider_id: int, language: str,
                issues: list[tuple[int, IssueIn]]) -> list[IssueOutcome]:
    outcomes = []
    for position, issue in issues:
        outcome = IssueOutcome(position=position, issue=issue)
        try:
            outcome.receipt = _save_issue(uow_factory, meeting_id, provider_id, language, position, issue)
        except IdempotencyConflict:
            # Only when an issue was stored at this place but its link to the meeting was not, and different
            # words are now sent for the same place: add them as a new issue instead.
            outcome.error = "different words were stored for this issue before; add it as a new issue"
        except DomainError as error:
            outcome.error = "; ".join(p.message for p in error.problems) or str(error)
        except Exception:
            log.exception("a meeting issue could not be saved", extra={"meeting_id": meeting_id, "position": position})
            outcome.error = "It could not be saved just now."
        outcomes.append(outcome)
    return outcomes


def _save_issue(uow_factory: UowFactory, meeting_id: int, provider_id: int, language: str, position: int, issue: IssueIn) -> Receipt:
    command = SubmitFeedback(
        channel=Channel.MEETING,
        language=language,
        texts={OWN_WORDS: issue.text},
        # Who raised the issue (resident, relative, staff) is kept on meeting_issues: the respondent
        # vocabulary describes the adult after a safeguarding enquiry and their supporters, which a meeting
        # issue is not.
        respondent=None,
        # Minutes of a residents' meeting are shared with the home by their nature (the home runs the
        # meeting), but no one's name or contact details are recorded with an issue: hence "anonymous".
        consent=Consent.ANONYMOUS,
        provider_id=provider_id,
        idempotency_key=f"meeting:{meeting_id}:issue:{position}",
        request_fingerprint=hashlib.sha256(f"{issue.raised_by.value}\n{issue.text}".encode()).hexdigest(),
    )
    receipt = submit_feedback(command, uow_factory())
    with uow_factory() as uow:
        session = uow.session
        existing = session.scalar(select(MeetingIssue).where(MeetingIssue.meeting_id == meeting_id, MeetingIssue.position == position))
        if existing is None:
            session.add(MeetingIssue(meeting_id=meeting_id, position=position, submission_id=receipt.submission_id,
                                     raised_by=issue.raised_by.value))
            uow.commit()
    return receipt
