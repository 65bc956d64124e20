"""The SMS questionnaire as a pure state machine (no database)."""
from __future__ import annotations

from channels.sms import conversation
from channels.sms.conversation import State, advance, start
from service.domain.questionnaire import default_registry

Q = default_registry().current("msp")
PHONE = "01204 337000"


def run(language: str, replies: list[str]) -> tuple[State, list[conversation.Outgoing], bool]:
    step = start(Q, language)
    sent = list(step.outgoing)
    state, finished = step.state, False
    for reply in replies:
        step = advance(Q, language, state, reply, reference="MSP-AAAA-BBBB", phone=PHONE)
        state, finished = step.state, step.finished
        sent.extend(step.outgoing)
    return state, sent, finished


def test_start_sends_the_invitation_then_the_first_question():
    step = start(Q, "en")
    assert [o.purpose for o in step.outgoing] == ["invitation", "question"]
    assert "10 short questions" in step.outgoing[0].body
    assert step.outgoing[1].body.startswith("Did we ask what you wanted to happen?")


def test_a_whole_questionnaire():
    state, sent, finished = run("en", ["1", "all of it", "2", "yes", "No", "1", "3", "They listened.\nThank you!", "Call back sooner", "2"])
    assert finished
    assert state.answers == {"asked_outcomes": "yes_expressed", "outcomes_met": "all", "listened_to": "a_bit", "in_control": "yes",
                             "understood": "no", "feel_safer": "a_lot_safer", "respected": "no"}
    assert state.texts == {"own_words": "They listened.\nThank you!", "better": "Call back sooner"}
    assert state.consent == "anonymous"
    assert [o.purpose for o in sent].count("question") == 10
    assert sent[-1].purpose == "closing" and "999" in sent[-1].body and PHONE in sent[-1].body


def test_one_reprompt_then_the_question_is_skipped():
    state, sent, _ = run("en", ["what?", "I'm not sure"])
    assert [o.purpose for o in sent] == ["invitation", "question", "reprompt", "question"]
    assert "from 1 to 4" in sent[2].body
    assert state.step == 1 and state.skipped == ("asked_outcomes",) and state.answers == {}


def test_a_clear_reply_after_the_reprompt_is_taken():
    state, sent, _ = run("en", ["hmm", "4"])
    assert state.answers == {"asked_outcomes": "dont_know"} and state.skipped == ()


def test_free_text_takes_the_whole_message_verbatim():
    words = "  1 thing: they didn't ask me. STOP doing that  "
    state, _, _ = run("en", ["1", "1", "1", "1", "1", "1", "1", words])
    assert state.texts["own_words"] == words


def test_polish_and_urdu_by_words():
    state, sent, finished = run("pl", ["Tak, powiedziałem/am", "wszystko", "tak", "trochę", "nie", "Bez zmian", "tak", "Było dobrze", "Nic", "3"])
    assert finished and state.answers["listened_to"] == "yes" and state.answers["in_control"] == "a_bit"
    assert state.answers["feel_safer"] == "no_different" and state.consent == "none"
    assert "Dziękujemy" in sent[-1].body
    state, sent, finished = run("ur", ["۱", "سب کچھ", "ہاں", "تھوڑا", "نہیں", "۲", "جی", "سب ٹھیک تھا", "کچھ نہیں", "۲"])
    assert finished and state.answers == {"asked_outcomes": "yes_expressed", "outcomes_met": "all", "listened_to": "yes", "in_control": "a_bit",
                                          "understood": "no", "feel_safer": "a_bit_safer", "respected": "yes"}
    assert state.consent == "anonymous" and "شکریہ" in sent[-1].body


def test_state_round_trips_through_json():
    state, _, _ = run("en", ["1", "x", "2"])
    assert State.from_json(state.to_json()) == state


# --- words beyond an answer are the person's own: kept, never dropped --------------------------------

def test_words_after_a_number_are_kept_with_the_answer():
    state, _, _ = run("en", ["4 nobody asked me anything at all"])
    assert state.answers == {"asked_outcomes": "dont_know"}
    assert state.other_words == ("4 nobody asked me anything at all",)


def test_a_number_with_its_own_answer_words_says_nothing_more():
    state, _, _ = run("en", ["1", "all of it", "2 a bit", "3"])
    assert state.answers["listened_to"] == "a_bit" and state.other_words == ()


def test_unclear_replies_are_kept_though_the_question_is_skipped():
    state, _, _ = run("en", ["what?", "no he still comes round", "7"])
    assert state.skipped == ("asked_outcomes",)
    assert state.other_words == ("what?", "no he still comes round")


def test_kept_words_are_submitted_after_the_own_words_within_the_limit():
    state = State(texts={"own_words": "They listened.", "better": "Ring back"}, other_words=("no he still comes round",))
    assert state.texts_to_submit() == {"own_words": "They listened.\n\nno he still comes round", "better": "Ring back"}
    assert State(other_words=("x" * 4000, "y" * 4000)).texts_to_submit()["own_words"] == "x" * 4000 + "\n\n" + "y" * 998
    assert State(answers={"feel_safer": "less_safe"}).texts_to_submit() == {}
    assert State(other_words=("hello",)).has_responses


def test_new_words_are_what_one_reply_added():
    before = State(texts={"own_words": "a"}, other_words=("b",))
    after = State(texts={"own_words": "a", "better": "c"}, other_words=("b", "d"))
    assert conversation.new_words(before, after) == ["c", "d"]
    assert conversation.new_words(after, after) == []


def test_state_with_kept_words_survives_json():
    state, _, _ = run("en", ["what?"])
    assert State.from_json(state.to_json()) == state
    assert State.from_json({"step": 1}).other_words == ()
