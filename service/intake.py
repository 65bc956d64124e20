"""The one intake path. Every channel builds a `SubmitFeedback` and calls `submit_feedback`."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from service.domain.model import CommunicationNeed, DomainError, Problem, Receipt, SubmitFeedback
from service.domain.questionnaire import QuestionnaireRegistry, default_registry
from service.domain.ids import uuid7
from service.domain.references import new_reference
from service.i18n import is_supported
from service.outbox.outbox import ANALYSE_TEXT, enqueue
from service.privacy.contact_match import match_values
from service.storage.database import no_words
from service.storage.orm import Contact, FreeText, Provider, Submission
from service.storage.types import utcnow
from service.storage.unit_of_work import UnitOfWork

SUBMISSIONS = Submission.__table__
FREE_TEXTS = FreeText.__table__


class IdempotencyConflict(DomainError):
    """The idempotency key was used before with a different request."""


def submit_feedback(
    command: SubmitFeedback,
    uow: UnitOfWork,
    registry: QuestionnaireRegistry | None = None,
) -> Receipt:
    """Validate and store one piece of feedback in one transaction; return the reference for the person.

    With an idempotency key, a repeat returns the first receipt and stores nothing new, also when two
    identical requests race (the unique key decides; the loser reads the winner's row).
    """
    registry = registry or default_registry()
    for attempt in range(3):
        try:
            return _store(command, uow, registry)
        except IntegrityError:
            # Either an identical request won a race for the idempotency key (answer with its receipt),
            # or, in about one case in 10^11, the random reference was taken (try a new one).
            if command.idempotency_key:
                with uow.late_lock() as reading:
                    earlier = _find_by_idempotency_key(reading, command)
                if earlier is not None:
                    return earlier
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _store(command: SubmitFeedback, uow: UnitOfWork, registry: QuestionnaireRegistry) -> Receipt:
    questionnaire = registry.get(command.questionnaire_id, command.questionnaire_version)
    problems = questionnaire.validate_responses(command.answers, command.texts)
    if not is_supported(command.language):
        problems.append(Problem("language", f"unsupported language '{command.language}'"))
    if command.idempotency_key or command.provider_id is not None:
        with uow.late_lock() as reading:  # reads only: no write lock is taken
            if command.idempotency_key:
                earlier = _find_by_idempotency_key(reading, command)
                if earlier is not None:
                    return earlier
            if command.provider_id is not None and reading.session.scalar(select(Provider.id).where(Provider.id == command.provider_id)) is None:
                problems.append(Problem("provider_id", f"no provider with id {command.provider_id}"))
    if problems:
        raise DomainError("the feedback is not valid", problems)

    # Everything is prepared before the write transaction, which then only writes: the database's write
    # lock (SQLite has one for the whole file) is held for microseconds. Core inserts, not ORM objects:
    # intake is the hot path (see benchmarks/intake.py). A race on the idempotency key is settled by its
    # unique constraint (submit_feedback catches the IntegrityError).
    now = utcnow()
    submission_id = uuid7()
    reference = new_reference()
    details = command.contact
    # A blank answer, or one of only NUL (which the database drops), is no answer: stored as none, so no
    # empty answer is kept and nothing waits for a check of it.
    needs_other = _words_or_none(command.communication_needs_other)
    needs = communication_needs_kept(command.communication_needs, needs_other)
    case_reference = _words_or_none(command.case_reference)
    kept = dict(name=_words_or_none(details.name), phone=_words_or_none(details.phone),
                email=_words_or_none(details.email), postal_address=_words_or_none(details.postal_address))
    contact = dict(preference=details.preference.value, safe_to_contact=details.safe_to_contact, **kept,
                   **match_values(kept["phone"], kept["email"]),
                   created_at=now, last_contact_at=now) if any(kept.values()) else None
    submission = dict(
        id=submission_id, reference=reference, channel=command.channel.value,
        respondent=command.respondent.value if command.respondent else None, language=command.language,
        questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version,
        answers=dict(command.answers), consent=command.consent.value,
        contact_preference=details.preference.value, contact_safe=details.safe_to_contact,
        communication_needs=[need.value for need in needs],
        communication_needs_other=needs_other, case_reference=case_reference,
        provider_id=command.provider_id, contact_id=None, received_at=command.received_at or now,
        created_at=now, idempotency_key=command.idempotency_key, request_fingerprint=command.request_fingerprint,
        urgent=False,
    )
    # Verbatim: not stripped, not normalised. Only answers with no words are left out.
    texts = [
        dict(submission_id=submission_id, question_id=question_id, text=text, language=command.language, created_at=now)
        for question_id, text in command.texts.items() if not no_words(text)
    ]
    with uow.late_lock() as writing:
        session = writing.session
        if contact is not None:
            submission["contact_id"] = session.execute(insert(Contact).returning(Contact.id), [contact]).scalar_one()
        session.execute(SUBMISSIONS.insert(), [submission])
        if texts:
            session.execute(FREE_TEXTS.insert(), texts)
        if texts or needs_other:
            # The text pipeline runs in the worker; queueing it here means no submission is ever missed.
            # The "other need" box is the person's words too: the task checks it for harm.
            enqueue(session, channel="task", purpose=ANALYSE_TEXT, payload={"submission_id": submission_id},
                    submission_id=submission_id, dedupe_key=f"{ANALYSE_TEXT}:{submission_id}")
        writing.commit()
    return Receipt(submission_id=submission_id, reference=reference)


def communication_needs_kept(needs: Iterable[CommunicationNeed], other_words: str | None) -> tuple[CommunicationNeed, ...]:
    """The communication needs as every channel keeps them: each once, in the order given, and words typed in
    the "other" box count as ticking "Other". (The web form dropped such words, the API kept them without
    "Other": the person's own words are never lost, and the list says there are some.)"""
    kept = dict.fromkeys(needs)
    if not no_words(other_words):
        kept.setdefault(CommunicationNeed.OTHER)
    return tuple(kept)


def _words_or_none(text: str | None) -> str | None:
    return None if no_words(text) else text


def _find_by_idempotency_key(uow: UnitOfWork, command: SubmitFeedback) -> Receipt | None:
    row = uow.session.execute(
        select(Submission.id, Submission.reference, Submission.request_fingerprint).where(
            Submission.idempotency_key == command.idempotency_key
        )
    ).first()
    if row is None:
        return None
    if command.request_fingerprint and row.request_fingerprint and row.request_fingerprint != command.request_fingerprint:
        raise IdempotencyConflict(
            "idempotency key reused",
            [Problem("Idempotency-Key", "this key was already used for a different request; use a new key for new feedback")],
        )
    return Receipt(submission_id=row.id, reference=row.reference, replayed=True)
