"""Withdrawing consent to share: honoured everywhere, including items already routed to a provider.

The submission's consent becomes "none", so every provider-facing read (which filters on consent) stops
showing it at once; pending outbox messages meant for providers are cancelled; and each function in
CONSENT_WITHDRAWAL_HOOKS runs (the routing part adds one that hides routed items and their responses).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.log import PRIVACY_CONSENT_WITHDRAWN, Actor, identifier_fingerprint, mask_identifier, record
from service.privacy.person import PersonQuery, PersonScope, find_person
from service.storage.orm import OutboxMessage
from service.storage.types import utcnow

# Outbox purposes that share the feedback with a provider (the routing part adds its own).
PROVIDER_PURPOSES: set[str] = {"provider_notification", "provider_item", "provider_digest", "routed_to_provider"}

# Each hook gets (session, scope, now) and returns a count of what it changed, for the report.
ConsentHook = Callable[[Session, PersonScope, datetime], int]
CONSENT_WITHDRAWAL_HOOKS: list[ConsentHook] = []


@dataclass
class WithdrawalReport:
    submissions: list[str] = field(default_factory=list)
    changed: int = 0
    outbox_cancelled: int = 0
    hooks: int = 0


def withdraw_scope(session: Session, scope: PersonScope, now: datetime) -> WithdrawalReport:
    report = WithdrawalReport(submissions=scope.submission_ids)
    for submission in scope.submissions:
        if submission.consent != "none":
            submission.consent = "none"
            report.changed += 1
    if scope.submission_ids:
        for message in session.scalars(select(OutboxMessage).where(
                OutboxMessage.submission_id.in_(scope.submission_ids), OutboxMessage.status == "pending",
                OutboxMessage.purpose.in_(sorted(PROVIDER_PURPOSES)))):
            message.status = "cancelled"
            message.last_error = "consent withdrawn"
            report.outbox_cancelled += 1
    for hook in CONSENT_WITHDRAWAL_HOOKS:
        report.hooks += int(hook(session, scope, now) or 0)
    session.flush()
    return report


def withdraw_consent(session: Session, query: PersonQuery, *, actor: Actor, secret_key: str, previous_keys: Sequence[str] = (), client_address: str = "",
                     request_id: str = "", now: datetime | None = None) -> WithdrawalReport:
    now = now or utcnow()
    scope = find_person(session, query, secret_key, previous_keys)
    report = withdraw_scope(session, scope, now)
    record(
        session, actor=actor, action=PRIVACY_CONSENT_WITHDRAWN, target_type="person",
        target_id=identifier_fingerprint(secret_key, query.kind, query.value),
        detail={"by": query.kind, "identifier": query.value if query.kind == "reference" else mask_identifier(query.value),
                "submissions": report.submissions, "changed": report.changed, "outbox_cancelled": report.outbox_cancelled,
                "hooks": report.hooks},
        client_address=client_address, request_id=request_id,
    )
    return report
