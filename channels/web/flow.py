"""The pages of the web form, which fields each page has, and how a page's answers are read and checked.

Both modes ask the same things in the same order; standard mode groups them on a few pages, easy-read
mode asks one thing per page. "Items" are the things asked: each question of the questionnaire
definition (`q:<id>`), then who is answering, consent, contact, contact safety, contact details,
communication needs and the case reference.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from channels.web import wording
from channels.web.draft import Draft
from service.domain.model import CommunicationNeed
from service.domain.questionnaire import MAX_FREE_TEXT_CHARS
from service.intake import communication_needs_kept

STANDARD = "standard"
EASY = "easy"
MODES = (STANDARD, EASY)
CHECK = "check"

MAX_OTHER_NEEDS_CHARS = 500
MAX_CASE_REFERENCE_CHARS = 40
MAX_DETAIL_CHARS = 200
MAX_ADDRESS_CHARS = 500

PHONE = re.compile(r"^\+?[0-9 ()\-]{10,20}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Pictograms (easy_read/pictograms) for the items that are not questions of the questionnaire.
PICTOGRAMS = {
    "respondent": "family.svg",
    "consent": "meeting.svg",
    "contact": "telephone.svg",
    "contact_safe": "warning.svg",
    "contact_details": "pen_and_paper.svg",
    "needs": "help.svg",
    "case_reference": "pen.svg",
    CHECK: "tick.svg",
}


def N_(message: str) -> str:
    """Marks a message for extraction (pybabel); it is translated when the page is drawn."""
    return message


@dataclass(frozen=True)
class Step:
    name: str
    items: tuple[str, ...]
    title: str = ""          # page heading (msgid in the `messages` domain), for grouped pages


@dataclass(frozen=True)
class FieldError:
    target: str              # the id of the input the error summary links to
    item: str                # the item (fieldset) the error belongs to
    message: str             # msgid in the `messages` domain, may hold {placeholders}
    params: dict = field(default_factory=dict)


def question_items() -> tuple[str, ...]:
    return tuple(f"q:{q.id}" for q in wording.questionnaire().questions)


def contact_chosen(draft: Draft) -> bool:
    return draft.contact not in ("", "none")


def steps(mode: str, draft: Draft) -> list[Step]:
    if mode == EASY:
        items = [*question_items(), "respondent", "consent", "contact"]
        if contact_chosen(draft):
            items += ["contact_safe", "contact_details"]
        items += ["needs", "case_reference"]
        return [Step(item, (item,)) for item in items] + [Step(CHECK, ())]
    return [
        Step("questions", question_items(), N_("Your experience")),
        Step("about", ("respondent", "consent"), N_("About you and sharing")),
        Step("contact", ("contact", "contact_safe", "contact_details"), N_("Hearing back from us")),
        Step("needs", ("needs", "case_reference"), N_("Your communication needs")),
        Step(CHECK, ()),
    ]


def step_index(all_steps: list[Step], name: str) -> int:
    """The page called `name`; after a switch of mode, the page of the other mode with the same item."""
    for index, step in enumerate(all_steps):
        if step.name == name:
            return index
    for index, step in enumerate(all_steps):
        if name in step.items:
            return index
    for other in steps(STANDARD, Draft()) + steps(EASY, Draft(contact="sms")):
        if other.name == name and other.items:
            for index, step in enumerate(all_steps):
                if other.items[0] in step.items:
                    return index
    return 0


# Reading a page's fields -------------------------------------------------------------------------


def _get(form: dict[str, list[str]], name: str) -> str:
    values = form.get(name)
    return values[0] if values else ""


def _one_of(value: str, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else ""


def read_items(items: tuple[str, ...], form: dict[str, list[str]], draft: Draft) -> None:
    """Copy what the page sent into the draft, as typed (free text is kept verbatim, never stripped)."""
    questionnaire = wording.questionnaire()
    for item in items:
        if item.startswith("q:"):
            question = questionnaire.question(item[2:])
            if question is None:
                continue
            if question.kind == "single":
                value = _one_of(_get(form, question.id), question.answer_ids)
                if value:
                    draft.answers[question.id] = value
                else:
                    draft.answers.pop(question.id, None)
            else:
                text = _get(form, question.id)
                if text.strip():
                    draft.texts[question.id] = text
                else:
                    draft.texts.pop(question.id, None)
        elif item in ("respondent", "consent", "contact", "contact_safe"):
            setattr(draft, item, _one_of(_get(form, item), wording.choice_ids(item)))
        elif item == "contact_details":
            for name in ("name", "phone", "email", "address"):
                if name in form:   # easy read shows only the detail needed; keep the others as they were
                    setattr(draft, name, _get(form, name))
        elif item == "needs":
            allowed = wording.choice_ids("needs")
            draft.needs_other = _get(form, "needs_other")
            ticked = [CommunicationNeed(value) for value in allowed if value in form.get("needs", [])]
            # Words typed in the box count as ticking "Other" (the rule intake keeps for every channel), so
            # the check page shows them and they are sent, never silently dropped.
            draft.needs = [need.value for need in communication_needs_kept(ticked, draft.needs_other)]
        elif item == "case_reference":
            draft.case_reference = _get(form, "case_reference")


def read_words(items: tuple[str, ...], form: dict[str, list[str]], draft: Draft) -> None:
    """Copy only what a person typed in their own words (the free-text questions, the "other needs" words),
    nothing chosen (a consent, a way of being contacted, a tick) and no contact detail or case reference."""
    questionnaire = wording.questionnaire()
    read_items(tuple(item for item in items if item.startswith("q:")
                     and (question := questionnaire.question(item[2:])) is not None and question.kind == "free_text"),
               form, draft)
    if "needs" in items:
        draft.needs_other = _get(form, "needs_other")
        draft.needs = [need.value for need in communication_needs_kept([], draft.needs_other)]


def _needed_detail(draft: Draft) -> str | None:
    return {"sms": "phone", "phone": "phone", "email": "email", "letter": "address"}.get(draft.contact)


def detail_fields(mode: str, draft: Draft) -> tuple[str, ...]:
    """The contact detail inputs a page shows: the one needed in easy read, all of them otherwise."""
    if mode == EASY:
        needed = _needed_detail(draft)
        return ("name", needed) if needed else ()
    return ("name", "phone", "email", "address")


def validate(items: tuple[str, ...], draft: Draft) -> list[FieldError]:
    """Every question may be skipped; what is checked is what would make an answer unusable."""
    errors: list[FieldError] = []
    questionnaire = wording.questionnaire()
    for item in items:
        if item.startswith("q:"):
            question = questionnaire.question(item[2:])
            text = draft.texts.get(question.id, "") if question else ""
            if question and question.kind == "free_text" and len(text) > MAX_FREE_TEXT_CHARS:
                errors.append(FieldError(question.id, item, N_("Your answer is {count} characters long. Please make it {max} characters or fewer."),
                                         {"count": len(text), "max": MAX_FREE_TEXT_CHARS}))
        elif item == "contact_details":
            needed = _needed_detail(draft)
            if needed == "phone":
                if not draft.phone.strip():
                    errors.append(FieldError("phone", item, N_("Enter a phone number, so we can contact you")))
                elif not PHONE.match(draft.phone.strip()):
                    errors.append(FieldError("phone", item, N_("Enter a phone number, like 07700 900 982")))
            elif needed == "email":
                if not draft.email.strip():
                    errors.append(FieldError("email", item, N_("Enter an email address, so we can contact you")))
                elif not EMAIL.match(draft.email.strip()):
                    errors.append(FieldError("email", item, N_("Enter an email address, like name@example.com")))
            elif needed == "address" and not draft.address.strip():
                errors.append(FieldError("address", item, N_("Enter a postal address, so we can write to you")))
            # Only the details that are kept (the name and the one needed; Send drops the others), which every
            # mode's page shows: easy read shows no other box, so an error on one left from an earlier choice
            # linked to nothing and the person could not go on.
            for name in ("name", needed) if needed else ():
                limit = MAX_ADDRESS_CHARS if name == "address" else MAX_DETAIL_CHARS
                if len(getattr(draft, name)) > limit:
                    errors.append(FieldError(name, item, N_("Please make this {max} characters or fewer"), {"max": limit}))
        elif item == "needs":
            if "other" in draft.needs and not draft.needs_other.strip():
                errors.append(FieldError("needs_other", item, N_("Tell us what other help you need")))
            elif len(draft.needs_other) > MAX_OTHER_NEEDS_CHARS:
                errors.append(FieldError("needs_other", item, N_("Please make this {max} characters or fewer"), {"max": MAX_OTHER_NEEDS_CHARS}))
        elif item == "case_reference" and len(draft.case_reference) > MAX_CASE_REFERENCE_CHARS:
            errors.append(FieldError("case_reference", item, N_("Please make this {max} characters or fewer"), {"max": MAX_CASE_REFERENCE_CHARS}))
    return errors
