"""Adding to feedback that is already stored, for answers that arrive after intake.

Two cases, both from the paper channel but not paper-specific:
* a person typed the words of a handwritten free-text box (there is no handwriting recognition): the
  text is stored verbatim as a `FreeText` and the text pipeline is queued in the SAME transaction, as
  intake does, so no typed text is ever left unanalysed;
* a tick-box answer decided later (a person settled an unclear box, or a second page of the same form
  came back in a later scan run): validated against the questionnaire version the submission was made
  with, and only questions not yet answered are filled — an answer once recorded is never changed here.

The functions take the caller's unit of work (entered or not) and commit it, so a caller can write its own bookkeeping
(e.g. "this crop is typed", an audit event) into the same session first and have it all in one
transaction. No web or channel imports.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from service.domain.model import Consent, DomainError, Problem, Respondent
from service.domain.questionnaire import QuestionnaireRegistry, default_registry
from service.intake import ANALYSE_TEXT
from service.outbox.outbox import enqueue
from service.storage.orm import FreeText, Submission
from service.storage.types import utcnow
from service.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class AnswersAdded:
    submission_id: str
    added: dict[str, str] = field(default_factory=dict)         # question -> answer, newly recorded
    kept: dict[str, str] = field(default_factory=dict)          # question -> answer already there (unchanged)
    respondent_set: bool = False
    consent_set: bool = False


@contextmanager
def _entered(uow: UnitOfWork) -> Iterator[UnitOfWork]:
    """The caller's unit of work as given: already entered (its session may hold the caller's own
    writes), or not yet (entered here, and rolled back on the way out unless committed)."""
    if hasattr(uow, "session"):
        yield uow
    else:
        with uow:
            yield uow


def _submission_for_update(uow: UnitOfWork, submission_id: str) -> Submission:
    # No eager joins: PostgreSQL cannot lock the nullable side of an outer join.
    query = select(Submission).options(lazyload(Submission.contact), lazyload(Submission.provider)).where(
        Submission.id == submission_id)
    if uow.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Submission)   # two people deciding two questions of one form at once
    submission = uow.session.scalar(query)
    if submission is None:
        raise DomainError("no such submission", [Problem("submission_id", f"no submission with id {submission_id}")])
    return submission


def add_answers(uow: UnitOfWork, submission_id: str, answers: Mapping[str, str], *,
                respondent: Respondent | None = None, consent: Consent | None = None,
                registry: QuestionnaireRegistry | None = None) -> AnswersAdded:
    """Record answers decided after intake; only questions not yet answered are filled. Commits.

    `respondent` is set only when none was recorded. `consent` is stored only while the submission's
    consent is still the default "none" (an earlier "none" and "not answered yet" are stored alike, so
    consent can only be given here, never changed or narrowed); callers pass it only when the person's
    own answer to the consent question was not recorded before. Invalid answers raise DomainError and
    nothing is stored.
    """
    with _entered(uow):
        return _add_answers(uow, submission_id, answers, respondent, consent, registry or default_registry())


def _add_answers(uow: UnitOfWork, submission_id: str, answers: Mapping[str, str], respondent: Respondent | None,
                 consent: Consent | None, registry: QuestionnaireRegistry) -> AnswersAdded:
    submission = _submission_for_update(uow, submission_id)
    questionnaire = registry.get(submission.questionnaire_id, submission.questionnaire_version)
    problems = questionnaire.validate_responses(dict(answers), {})
    if problems:
        raise DomainError("the answers are not valid", problems)
    current = dict(submission.answers or {})
    added = {q: a for q, a in answers.items() if q not in current}
    kept = {q: current[q] for q in answers if q in current}
    respondent_set = consent_set = False
    if added:
        submission.answers = {**current, **added}     # a new dict: the JSON column sees the change
    if respondent is not None and submission.respondent is None:
        submission.respondent = respondent.value
        respondent_set = True
    if consent is not None and submission.consent == Consent.NONE.value and consent is not Consent.NONE:
        submission.consent = consent.value
        consent_set = True
    uow.commit()
    return AnswersAdded(submission_id, added, kept, respondent_set, consent_set)


def add_typed_text(uow: UnitOfWork, submission_id: str, question_id: str, text: str, *,
                   registry: QuestionnaireRegistry | None = None) -> int:
    """Store a free-text answer a person typed from a handwritten box, verbatim, and queue its analysis.

    The `FreeText` row and the `analyse_text` task are written in one transaction (the caller's unit of
    work, committed here). The text is kept exactly as typed (not stripped); a blank text, a question
    that is not a free-text question of the submission's questionnaire version, or a question that
    already has its text raise DomainError and nothing is stored. Returns the new FreeText id.
    """
    with _entered(uow):
        return _add_typed_text(uow, submission_id, question_id, text, registry or default_registry())


def _add_typed_text(uow: UnitOfWork, submission_id: str, question_id: str, text: str,
                    registry: QuestionnaireRegistry) -> int:
    submission = _submission_for_update(uow, submission_id)
    questionnaire = registry.get(submission.questionnaire_id, submission.questionnaire_version)
    problems = questionnaire.validate_responses({}, {question_id: text})
    if not problems and not text.strip():
        problems.append(Problem(f"texts.{question_id}", "the text is blank; type what the box says"))
    if not problems and uow.session.scalar(select(FreeText.id).where(
            FreeText.submission_id == submission_id, FreeText.question_id == question_id)) is not None:
        problems.append(Problem(f"texts.{question_id}", "this question already has its text; it is never replaced"))
    if problems:
        raise DomainError("the text cannot be added", problems)
    table = FreeText.__table__
    free_text_id = uow.session.execute(
        table.insert().returning(table.c.id),
        [{"submission_id": submission_id, "question_id": question_id, "text": text, "language": submission.language,
          "created_at": utcnow()}],
    ).scalar_one()
    # One task per typed text (the task analyses every text of the submission; older readings are kept).
    enqueue(uow.session, channel="task", purpose=ANALYSE_TEXT, payload={"submission_id": submission_id, "question_id": question_id},
            submission_id=submission_id, dedupe_key=f"{ANALYSE_TEXT}:{submission_id}:{question_id}")
    uow.commit()
    return free_text_id
