"""The one intake path. Every channel builds a `SubmitFeedback` and calls `submit_feedback`."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.domain.model import DomainError, Problem, Receipt, SubmitFeedback
from service.domain.questionnaire import QuestionnaireRegistry, default_registry
from service.domain.references import new_reference
from service.i18n import is_supported
from service.outbox.outbox import enqueue
from service.storage.orm import Contact, FreeText, Provider, Submission
from service.storage.types import utcnow
from service.storage.unit_of_work import UnitOfWork

ANALYSE_TEXT = "analyse_text"


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
    with uow:
        if command.idempotency_key:
            earlier = _find_by_idempotency_key(uow, command)
            if earlier is not None:
                return earlier
        questionnaire = registry.get(command.questionnaire_id, command.questionnaire_version)
        problems = questionnaire.validate_responses(command.answers, command.texts)
        if not is_supported(command.language):
            problems.append(Problem("language", f"unsupported language '{command.language}'"))
        if command.provider_id is not None and uow.session.get(Provider, command.provider_id) is None:
            problems.append(Problem("provider_id", f"no provider with id {command.provider_id}"))
        if problems:
            raise DomainError("the feedback is not valid", problems)

        now = utcnow()
        contact = None
        if command.contact.has_details:
            details = command.contact
            contact = Contact(
                preference=details.preference.value,
                safe_to_contact=details.safe_to_contact,
                name=details.name,
                phone=details.phone,
                email=details.email,
                postal_address=details.postal_address,
                created_at=now,
                last_contact_at=now,
            )
            uow.session.add(contact)
        submission = Submission(
            id=str(uuid.uuid4()),
            reference=_unused_reference(uow),
            channel=command.channel.value,
            respondent=command.respondent.value if command.respondent else None,
            language=command.language,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            answers=dict(command.answers),
            consent=command.consent.value,
            contact_preference=command.contact.preference.value,
            contact_safe=command.contact.safe_to_contact,
            communication_needs=[need.value for need in command.communication_needs],
            communication_needs_other=command.communication_needs_other,
            case_reference=command.case_reference,
            provider_id=command.provider_id,
            contact=contact,
            received_at=command.received_at or now,
            created_at=now,
            idempotency_key=command.idempotency_key,
            request_fingerprint=command.request_fingerprint,
        )
        uow.session.add(submission)
        for question_id, text in command.texts.items():
            if text.strip():
                # Verbatim: not stripped, not normalised. The person's words are kept as given.
                submission.texts.append(FreeText(question_id=question_id, text=text, language=command.language, created_at=now))
        uow.session.flush()
        if submission.texts:
            # The text pipeline runs in the worker; queueing it here means no submission is ever missed.
            enqueue(uow.session, channel="task", purpose=ANALYSE_TEXT, payload={"submission_id": submission.id},
                    submission_id=submission.id, dedupe_key=f"{ANALYSE_TEXT}:{submission.id}")
        try:
            uow.commit()
        except IntegrityError:
            uow.rollback()
            if command.idempotency_key:
                earlier = _find_by_idempotency_key(uow, command)
                if earlier is not None:
                    return earlier
            raise
        return Receipt(submission_id=submission.id, reference=submission.reference)


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


def _unused_reference(uow: UnitOfWork) -> str:
    for _ in range(10):
        reference = new_reference()
        if uow.session.scalar(select(Submission.id).where(Submission.reference == reference)) is None:
            return reference
    raise RuntimeError("could not find an unused reference")  # 39 bits: practically unreachable
