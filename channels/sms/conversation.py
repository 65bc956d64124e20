"""The SMS questionnaire as a pure state machine: no database, no clock, no network.

Given the questionnaire, the person's language, the conversation's state and one inbound text, `advance`
returns the new state, the texts to send, and (at the end) the answers to submit. Keywords (STOP,
START, HELP) and expiry are decided before this is called (channels/sms/inbound.py).

Rules (issue 5): one question per text; single-choice answers by number or by word in the person's
language; one re-prompt on an unclear reply, then the question is skipped (every question may be
skipped); a free-text question takes the whole message, verbatim; the consent question comes last; the
closing text carries the "if you feel at risk again" line. Words sent in reply to a choice question,
beyond choosing an answer, are kept verbatim too and submitted with the person's own words: they are
how people answer "Do you feel safer?" ("no he still hits me"), and a disclosure must never be dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from channels.sms import messages
from service.domain.questionnaire import MAX_FREE_TEXT_CHARS, Question, Questionnaire

OWN_WORDS = "own_words"   # the free-text question that also holds words sent in reply to other questions


@dataclass(frozen=True)
class State:
    step: int = 0                 # index into messages.sms_questions(questionnaire)
    unclear: int = 0              # unclear replies to the current question so far
    answers: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    consent: str | None = None
    skipped: tuple[str, ...] = ()
    other_words: tuple[str, ...] = ()   # replies to choice questions that said more than the answer, verbatim

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "unclear": self.unclear, "answers": dict(self.answers), "texts": dict(self.texts),
                "consent": self.consent, "skipped": list(self.skipped), "other_words": list(self.other_words)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> "State":
        data = data or {}
        return cls(step=int(data.get("step", 0)), unclear=int(data.get("unclear", 0)), answers=dict(data.get("answers") or {}),
                   texts=dict(data.get("texts") or {}), consent=data.get("consent"), skipped=tuple(data.get("skipped") or ()),
                   other_words=tuple(data.get("other_words") or ()))

    @property
    def has_responses(self) -> bool:
        return bool(self.answers or self.texts or self.consent or self.other_words)

    def words_overflow(self) -> bool:
        """The person's own words and the words sent beyond answers no longer fit in one text of a submission."""
        joined = "\n\n".join(([self.texts[OWN_WORDS]] if self.texts.get(OWN_WORDS) else []) + list(self.other_words))
        return len(joined) > MAX_FREE_TEXT_CHARS

    def texts_to_submit(self) -> dict[str, str]:
        """The free texts, with any words sent in reply to choice questions after the person's own words
        (each verbatim, a blank line apart), within the longest text a submission holds."""
        texts = dict(self.texts)
        if self.other_words:
            parts = [texts[OWN_WORDS]] if texts.get(OWN_WORDS) else []
            texts[OWN_WORDS] = "\n\n".join(parts + list(self.other_words))[:MAX_FREE_TEXT_CHARS]
        return texts


@dataclass(frozen=True)
class Outgoing:
    purpose: str      # invitation | question | reprompt | closing
    body: str


@dataclass(frozen=True)
class Transition:
    state: State
    outgoing: tuple[Outgoing, ...]
    finished: bool = False


def questions(questionnaire: Questionnaire) -> tuple[Question, ...]:
    return messages.sms_questions(questionnaire)


def start(questionnaire: Questionnaire, language: str) -> Transition:
    """The invitation and the first question."""
    asked = questions(questionnaire)
    return Transition(
        State(),
        (Outgoing("invitation", messages.text(language, "invitation", count=len(asked))),
         Outgoing("question", messages.question_message(language, asked[0]))),
    )


def advance(questionnaire: Questionnaire, language: str, state: State, inbound: str, *, reference: str | None = None,
            phone: str = "") -> Transition:
    """Apply one inbound text. `reference` and `phone` fill the closing text when this reply finishes."""
    asked = questions(questionnaire)
    if state.step >= len(asked):
        return Transition(state, (), finished=True)
    question = asked[state.step]
    answers, texts, consent, skipped = dict(state.answers), dict(state.texts), state.consent, state.skipped
    other_words = state.other_words

    if question.kind == "free_text":
        if inbound.strip():
            texts[question.id] = inbound   # verbatim: the person's own words, as sent
        else:
            skipped += (question.id,)
    else:
        choice = messages.match_answer(language, question, inbound)
        if messages.words_beyond_answer(language, question, inbound, choice):
            other_words += (inbound,)
        if choice is None:
            if state.unclear == 0:
                reprompt = messages.text(language, "reprompt", count=len(question.answers))
                return Transition(replace(state, unclear=1, skipped=skipped, other_words=other_words),
                                  (Outgoing("reprompt", reprompt),))
            skipped += (question.id,)      # unclear twice: move on (every question may be skipped)
        elif question.id == messages.CONSENT_ID:
            consent = choice
        else:
            answers[question.id] = choice

    next_step = state.step + 1
    new_state = replace(state, step=next_step, unclear=0, answers=answers, texts=texts, consent=consent, skipped=skipped,
                        other_words=other_words)
    if next_step < len(asked):
        return Transition(new_state, (Outgoing("question", messages.question_message(language, asked[next_step])),))
    closing = closing_text(language, reference=reference or "", phone=phone)
    return Transition(new_state, (Outgoing("closing", closing),), finished=True)


def finish_now(language: str, state: State) -> Transition:
    """End the questionnaire at once with the closing text (and its "if you feel at risk" line): used when
    a reply discloses harm, so the duty team has it now rather than when the last question is answered
    (or the conversation expires, days later)."""
    return Transition(state, (Outgoing("closing", closing_text(language, reference="", phone="")),), finished=True)


def answered_in_words(before: State, after: State) -> str | None:
    """The free-text question one reply answered, if it answered one."""
    return next((key for key, text in after.texts.items() if before.texts.get(key) != text), None)


def without_words_of(after: State, before: State) -> State:
    """``after`` without the words one reply added (its free-text answer, its words beyond a chosen answer);
    what it chose stays."""
    return replace(after, texts=dict(before.texts), other_words=before.other_words)


def new_words(before: State, after: State) -> list[str]:
    """The person's words that one reply added (a free-text answer, or words beyond a chosen answer)."""
    words = [text for key, text in after.texts.items() if before.texts.get(key) != text]
    return words + list(after.other_words[len(before.other_words):])


def closing_text(language: str, *, reference: str, phone: str) -> str:
    return messages.text(language, "closing", reference=reference, phone=phone)


def will_finish(questionnaire: Questionnaire, state: State) -> bool:
    """True when the next clear (or second unclear) reply ends the questionnaire."""
    return state.step == len(questions(questionnaire)) - 1
