"""Request and response bodies of the JSON API, as pydantic models (the OpenAPI document is built from them)."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from service.domain.model import Channel, CommunicationNeed, Consent, ContactPreference, ProviderType, Respondent
from service.storage.database import no_words
from service.storage.types import MAX_ROW_ID

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()\-]{7,20}$")
# Each contact detail fits its column in `contacts` (a longer one was a 500 on PostgreSQL, and stored past
# the column's width on SQLite). An e-mail address is at most 254 characters (RFC 5321's path limit).
MAX_NAME_CHARS = 200            # contacts.name VARCHAR(200)
MAX_PHONE_CHARS = 32            # contacts.phone VARCHAR(32); the pattern allows 21
MAX_EMAIL_CHARS = 254           # contacts.email VARCHAR(320)
MAX_POSTAL_ADDRESS_CHARS = 500  # contacts.postal_address TEXT: as much as the web form takes
MAX_OTHER_NEEDS_CHARS = 500
MAX_CASE_REFERENCE_CHARS = 64   # submissions.case_reference VARCHAR(64)


def _email(value: str | None) -> str | None:
    if value is not None and not _EMAIL.match(value):
        raise ValueError("not an email address, e.g. name@example.org")
    return value


def _phone(value: str | None) -> str | None:
    if value is not None and (not _PHONE.match(value) or sum(ch.isdigit() for ch in value) < 7):
        raise ValueError("not a phone number, e.g. 07700 900123 or +447700900123")
    return value


Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
FreeTextValue = Annotated[str, StringConstraints(max_length=5000)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
# Every id of a row given in a body (provider_id, provider_ids, action_id, ...): one past what the database
# column holds names no row, and would reach the driver as an overflow (a 500) instead of a 422 naming the field.
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# The one detail each way of hearing back needs (as the web form keeps it).
DETAIL_NEEDED = {ContactPreference.SMS: "phone", ContactPreference.PHONE: "phone", ContactPreference.EMAIL: "email",
                 ContactPreference.LETTER: "postal_address"}


class ContactIn(Strict):
    """How the person wants to hear back. Only what that way needs is kept: the name and its one detail
    (a phone number for sms or phone, an email address, a postal address for a letter); other details
    sent are not stored. With preference "none" no detail may be sent: the person chose not to hear back."""

    preference: ContactPreference = ContactPreference.NONE
    safe_to_contact: bool | None = Field(default=None, description="False: someone else may read their texts or post; do not contact")
    name: Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_CHARS)] | None = None
    phone: Annotated[Annotated[str, StringConstraints(max_length=MAX_PHONE_CHARS)] | None, AfterValidator(_phone)] = None
    email: Annotated[Annotated[str, StringConstraints(max_length=MAX_EMAIL_CHARS)] | None, AfterValidator(_email)] = None
    postal_address: Annotated[str, StringConstraints(max_length=MAX_POSTAL_ADDRESS_CHARS)] | None = None

    @model_validator(mode="after")
    def only_what_the_chosen_way_needs(self) -> "ContactIn":
        details = ("name", "phone", "email", "postal_address")
        needed = DETAIL_NEEDED.get(self.preference)
        if needed is None:
            if any(getattr(self, name) for name in details):
                raise ValueError('preference "none" takes no contact details: the person chose not to hear back '
                                 "(or set the way they chose: sms, phone, email or letter)")
            return self
        if no_words(getattr(self, needed)):
            raise ValueError(f'preference "{self.preference.value}" needs {needed}')
        for name in details:
            if name not in ("name", needed):
                setattr(self, name, None)
        return self


class SubmissionIn(Strict):
    """One piece of feedback. Every question may be skipped; consent defaults to sharing nothing."""

    channel: Channel = Channel.WEB
    respondent: Respondent | None = None
    language: LanguageCode = "en"
    questionnaire_id: Id = "msp"
    questionnaire_version: Annotated[int, Field(ge=1)] | None = None
    answers: dict[Id, Id] = Field(default_factory=dict, description="question id → answer id (guide section 3)")
    texts: dict[Id, FreeTextValue] = Field(default_factory=dict, description="free-text question id → the person's own words, kept verbatim")
    consent: Consent = Consent.NONE
    provider_id: RowId | None = None
    contact: ContactIn = Field(default_factory=ContactIn)
    communication_needs: list[CommunicationNeed] = Field(default_factory=list, max_length=10)
    communication_needs_other: Annotated[str, StringConstraints(max_length=MAX_OTHER_NEEDS_CHARS)] | None = None
    case_reference: Annotated[str, StringConstraints(min_length=1, max_length=MAX_CASE_REFERENCE_CHARS)] | None = None


class SubmissionCreated(BaseModel):
    id: str
    reference: str = Field(description="Shown to the person, e.g. MSP-7KQ2-9HX4")


class ContactOut(BaseModel):
    preference: ContactPreference
    safe_to_contact: bool | None
    has_details: bool = Field(description="Contact details are held apart and never listed here")


class SubmissionOut(BaseModel):
    id: str = Field(description="For a provider responder, an id of their own for the submission (the real one tells the time)")
    reference: str | None = Field(description="null for a provider responder when the person chose to stay anonymous")
    channel: Channel
    respondent: Respondent | None
    language: str
    questionnaire_id: str
    questionnaire_version: int
    answers: dict[str, str]
    texts: dict[str, str] = Field(description="The person's own words: verbatim for staff; for a provider responder, when the person "
                                              "did not consent to share their name, redacted (names, numbers, addresses) or withheld")
    consent: Consent
    contact: ContactOut
    communication_needs: list[str]
    communication_needs_other: str | None = Field(
        default=None, description="The 'other' communication need in the person's words (checked for harm too)")
    case_reference: str | None
    provider_id: int | None
    received_at: datetime
    urgent: bool


class SubmissionPage(BaseModel):
    items: list[SubmissionOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page")


class ProviderIn(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    type: ProviderType
    area: Annotated[str, StringConstraints(max_length=120)] = ""
    active: bool = True


class ProviderPatch(Strict):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)] | None = None
    type: ProviderType | None = None
    area: Annotated[str, StringConstraints(max_length=120)] | None = None
    active: bool | None = None


class ProviderOut(BaseModel):
    id: int
    name: str
    type: ProviderType
    area: str
    active: bool


class ProviderList(BaseModel):
    items: list[ProviderOut]


class ProblemOut(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[dict[str, str]] | None = None


class ContactDetailsOut(BaseModel):
    """GET /api/v1/submissions/{id}/contact (the details are held apart from the words; every view is audited)."""

    submission_id: str
    preference: ContactPreference
    safe_to_contact: bool | None
    name: str | None
    phone: str | None
    email: str | None
    postal_address: str | None
    erased: bool = Field(description="The details were erased (retention, or at the person's request)")
