"""Question wording for the web pages, looked up in the `questionnaire` gettext domain.

The questions come from the versioned questionnaire definition (service/questionnaire/msp-v*.json)
and the wording every channel shares (who is answering, consent, contact, needs, the "if you feel at
risk again" line) from service/questionnaire/common-messages.json, so the web says them exactly as
SMS and paper do. Nothing here is hard-coded in a template.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from service.domain.questionnaire import (
    DEFINITIONS_DIR,
    Questionnaire,
    default_registry,
)
from service.i18n import pgettext

DOMAIN = "questionnaire"
COMMON_PATH = DEFINITIONS_DIR / "common-messages.json"


@dataclass(frozen=True)
class Choice:
    id: str
    key: str
    text: str


@dataclass(frozen=True)
class Group:
    id: str
    key: str
    text: str
    easy_key: str | None
    easy_text: str | None
    choices: tuple[Choice, ...]


@functools.lru_cache(maxsize=1)
def common_groups() -> dict[str, Group]:
    data = json.loads(COMMON_PATH.read_text(encoding="utf-8"))
    groups = {}
    for item in data["groups"]:
        easy = item.get("easy_read") or {}
        groups[item["id"]] = Group(
            id=item["id"], key=item["text"]["key"], text=item["text"]["text"],
            easy_key=easy.get("key"), easy_text=easy.get("text"),
            choices=tuple(Choice(a["id"], a["key"], a["text"]) for a in item.get("answers", ())),
        )
    return groups


def questionnaire() -> Questionnaire:
    return default_registry().current("msp")


def say(language: str, key: str, english: str) -> str:
    """One piece of question wording in the person's language (English when not translated)."""
    return pgettext(language, key, english, DOMAIN)


def group_text(language: str, group_id: str, easy: bool = False) -> str:
    group = common_groups()[group_id]
    if easy and group.easy_key:
        return say(language, group.easy_key, group.easy_text)
    return say(language, group.key, group.text)


def choice_text(language: str, group_id: str, choice_id: str) -> str:
    for choice in common_groups()[group_id].choices:
        if choice.id == choice_id:
            return say(language, choice.key, choice.text)
    return choice_id


def choice_ids(group_id: str) -> tuple[str, ...]:
    return tuple(choice.id for choice in common_groups()[group_id].choices)


def at_risk_line(language: str, easy: bool = False) -> str:
    """The "if you feel at risk again" sentence with a `{phone}` placeholder still in it."""
    return group_text(language, "at_risk_again", easy)
