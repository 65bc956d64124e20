"""Vocabulary of the service (guide sections 2-4) as enums, and the intake command."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Channel(str, enum.Enum):
    WEB = "web"
    SMS = "sms"
    PAPER = "paper"
    MEETING = "meeting"
    ASSISTED = "assisted"


class Respondent(str, enum.Enum):
    PERSON = "person"
    FAMILY_FRIEND = "family_friend"
    ADVOCATE = "advocate"
    HELPER = "helper"


class Consent(str, enum.Enum):
    """Who may see the feedback: the default, `none`, shares nothing with the provider."""

    NAMED = "named"
    ANONYMOUS = "anonymous"
    NONE = "none"


class ContactPreference(str, enum.Enum):
    SMS = "sms"
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    NONE = "none"


class CommunicationNeed(str, enum.Enum):
    """Accessible Information Standard needs a person can tell us about."""

    EASY_READ = "easy_read"
    LARGE_PRINT = "large_print"
    INTERPRETER = "interpreter"
    BSL = "bsl"
    AUDIO = "audio"
    BRAILLE = "braille"
    OTHER = "other"


class ProviderType(str, enum.Enum):
    CARE_HOME = "care_home"
    HOME_CARE = "home_care"
    HOSPITAL_TRUST = "hospital_trust"
    SUPPORTED_LIVING = "supported_living"
    OTHER = "other"


class DomainError(Exception):
    """A rule of the domain was broken; `problems` says what, field by field."""

    def __init__(self, message: str, problems: list["Problem"] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Problem:
    field: str      # a JSON-pointer-like path, e.g. "answers.listened_to"
    message: str    # what to fix, in plain words


@dataclass(frozen=True)
class ContactDetails:
    """How a person wants to hear back. Stored apart from the feedback (see storage.Contact)."""

    preference: ContactPreference = ContactPreference.NONE
    safe_to_contact: bool | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    postal_address: str | None = None

    @property
    def has_details(self) -> bool:
        return any((self.name, self.phone, self.email, self.postal_address))


@dataclass(frozen=True)
class SubmitFeedback:
    """The one intake command: every channel builds this and calls `service.intake.submit_feedback`."""

    channel: Channel
    language: str
    answers: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    respondent: Respondent | None = None
    consent: Consent = Consent.NONE
    contact: ContactDetails = field(default_factory=ContactDetails)
    communication_needs: tuple[CommunicationNeed, ...] = ()
    communication_needs_other: str | None = None
    case_reference: str | None = None
    provider_id: int | None = None
    questionnaire_id: str = "msp"
    questionnaire_version: int | None = None  # None: the current version
    idempotency_key: str | None = None
    request_fingerprint: str | None = None
    received_at: datetime | None = None


@dataclass(frozen=True)
class Receipt:
    submission_id: str
    reference: str
    replayed: bool = False   # True when an idempotency key matched an earlier submission
