"""The questionnaire as versioned data (guide section 3).

Definitions are JSON files in `service/questionnaire/` named `<id>-v<version>.json`. Intake validates
answers against the exact version the person was given; old versions stay loadable forever, so a new
version never breaks the reading of old submissions. Wording is English source text with a message key;
translations live in the gettext domain `questionnaire` (msgctxt = key).
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.domain.model import DomainError, Problem

DEFINITIONS_DIR = Path(__file__).resolve().parent.parent / "questionnaire"

MAX_FREE_TEXT_CHARS = 5000


class Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    key: str
    text: str


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    key: str
    text: str


class Question(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    kind: Literal["single", "free_text"]
    text: Message
    easy_read: Message
    pictogram: str | None = None
    answers: tuple[Answer, ...] = ()

    @property
    def answer_ids(self) -> tuple[str, ...]:
        return tuple(answer.id for answer in self.answers)

    def answer(self, answer_id: str) -> Answer | None:
        return next((a for a in self.answers if a.id == answer_id), None)


class Questionnaire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    version: int = Field(ge=1)
    title: Message
    questions: tuple[Question, ...]

    @property
    def single_choice(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind == "single")

    @property
    def free_text(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind == "free_text")

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def validate_responses(self, answers: dict[str, str], texts: dict[str, str]) -> list[Problem]:
        """Problems with the answers given, against this version. Every question may be skipped."""
        problems: list[Problem] = []
        for question_id, answer_id in answers.items():
            question = self.question(question_id)
            if question is None or question.kind != "single":
                problems.append(Problem(f"answers.{question_id}", f"unknown question id '{question_id}' in {self.id} v{self.version}"))
            elif answer_id not in question.answer_ids:
                allowed = ", ".join(question.answer_ids)
                problems.append(Problem(f"answers.{question_id}", f"unknown answer id '{answer_id}'; expected one of: {allowed}"))
        for question_id, text in texts.items():
            question = self.question(question_id)
            if question is None or question.kind != "free_text":
                problems.append(Problem(f"texts.{question_id}", f"unknown free-text question id '{question_id}' in {self.id} v{self.version}"))
            elif len(text) > MAX_FREE_TEXT_CHARS:
                problems.append(Problem(f"texts.{question_id}", f"text is {len(text)} characters; the most is {MAX_FREE_TEXT_CHARS}"))
        return problems


@dataclass(frozen=True)
class QuestionnaireRegistry:
    definitions: dict[tuple[str, int], Questionnaire]

    def get(self, questionnaire_id: str, version: int | None = None) -> Questionnaire:
        if version is None:
            return self.current(questionnaire_id)
        try:
            return self.definitions[(questionnaire_id, version)]
        except KeyError:
            raise DomainError(
                "unknown questionnaire version",
                [Problem("questionnaire_version", f"questionnaire '{questionnaire_id}' has no version {version}")],
            ) from None

    def current(self, questionnaire_id: str) -> Questionnaire:
        versions = [q for (qid, _), q in self.definitions.items() if qid == questionnaire_id]
        if not versions:
            raise DomainError("unknown questionnaire", [Problem("questionnaire_id", f"no questionnaire '{questionnaire_id}'")])
        return max(versions, key=lambda q: q.version)

    @classmethod
    def from_directory(cls, directory: Path = DEFINITIONS_DIR) -> "QuestionnaireRegistry":
        definitions: dict[tuple[str, int], Questionnaire] = {}
        for path in sorted(directory.glob("*-v*.json")):
            questionnaire = Questionnaire.model_validate(json.loads(path.read_text(encoding="utf-8")))
            definitions[(questionnaire.id, questionnaire.version)] = questionnaire
        return cls(definitions)


@functools.lru_cache(maxsize=1)
def default_registry() -> QuestionnaireRegistry:
    return QuestionnaireRegistry.from_directory()
