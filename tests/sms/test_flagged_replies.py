"""Replies the disclosure classifier alone flags in an SMS questionnaire (a second review's findings: each test
failed before its fix): every reply is read alone, once, and a privacy request reaches it and Twilio's copy."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from channels.sms.models import SmsConversation
from service.storage.orm import OutboxMessage, Submission
from tests.sms.test_webhooks import SUSPECTED, WARM, _flagged_by_the_classifier_alone, _read_everything, invite, text


def _alerts(services):
    with services.session_factory() as session:
        return session.scalars(select(OutboxMessage.submission_id).where(OutboxMessage.purpose == "duty_alert")).all()


@pytest.mark.parametrize("before, last", [
    (["1"] * 7 + [WARM, "Nothing"], "1 " + SUSPECTED),                  # the consent answer, with more words
    (["1"] * 7 + [WARM, "Nothing", "maybe later"], SUSPECTED),          # a second unclear reply to it
])
def test_flagged_words_in_the_last_reply_reach_the_duty_team(client, services, staff_headers, loaded_pipelines, before, last):
    """The last reply was not checked alone; its words were joined after the person's own (warm) words and read
    together, below the threshold: nobody was alerted."""
    _flagged_by_the_classifier_alone(SUSPECTED)
    invite(client, staff_headers)
    for reply in before:
        text(client, reply)
    text(client, last)
    with services.session_factory() as session:
        conv = session.scalars(select(SmsConversation)).one()
        assert conv.status == "finished"
    _read_everything(services, loaded_pipelines)
    with services.session_factory() as session:
        [part] = [s for s in session.scalars(select(Submission)) if any(SUSPECTED in t.text for t in s.texts)]
        assert part.id != conv.submission_id and part.urgent
    assert _alerts(services) == [part.id]


def _erase_by_reference(client, services, admin_token, reference):
    result = client.simulate_post("/api/v1/privacy/erasures", json={"reference": reference},
                                  headers={"Authorization": f"Bearer {admin_token}"})
    assert result.status_code == 200, result.text
    return result.json["erased"]


def _queued_deletions(services):
    from service.privacy.erasure import DELETE_AT_TWILIO
    with services.session_factory() as session:
        return [sid for task in session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == DELETE_AT_TWILIO))
                for sid in task.payload["sids"]]


def test_a_stray_text_erased_by_its_reference_is_deleted_at_twilio(client, services, admin_token):
    """The control: a text outside a run, erased by the reference of the feedback it became."""
    from tests.sms.support import new_sid
    sid = new_sid()
    text(client, "the night carer shouts at my dad", sid=sid)
    with services.session_factory() as session:
        reference = session.scalars(select(Submission.reference)).one()
    _erase_by_reference(client, services, admin_token, reference)
    assert sid in _queued_deletions(services)


def test_a_flagged_reply_erased_by_its_own_reference_is_deleted_at_twilio(client, services, staff_headers, admin_token):
    """A reply the classifier flagged is feedback of its own, with its own reference (the one the duty alert and
    the staff console show). Erased by that reference, Twilio's copy of the text must go too."""
    from tests.sms.support import new_sid
    invite(client, staff_headers)
    text(client, "1")
    sid = new_sid()
    text(client, SUSPECTED, sid=sid)
    with services.session_factory() as session:
        reference = session.scalars(select(Submission.reference)).one()
    erased = _erase_by_reference(client, services, admin_token, reference)
    assert erased["submissions"] and erased["free_texts"] == 1
    assert sid in _queued_deletions(services), "Twilio keeps the erased text"


def test_a_flagged_reply_erased_while_its_run_is_open_does_not_come_back(client, services, staff_headers, admin_token):
    """Erased by its own reference while the questionnaire goes on, the reply's words stayed in the run's state
    and were submitted again, verbatim, when the run ended."""
    invite(client, staff_headers)
    text(client, "1")
    text(client, SUSPECTED)
    with services.session_factory() as session:
        reference = session.scalars(select(Submission.reference)).one()
    _erase_by_reference(client, services, admin_token, reference)
    for reply in ["1"] * 6 + [WARM, "Nothing", "1"]:
        text(client, reply)
    with services.session_factory() as session:
        texts = [t.text for s in session.scalars(select(Submission)) for t in s.texts]
    assert not any(SUSPECTED in t for t in texts), texts


def test_one_flagged_reply_raises_one_duty_alert(client, services, staff_headers, loaded_pipelines):
    """The flagged reply is its own feedback (alert 1); the run's record at the end held the same words, read
    again by the worker: when nothing diluted them, a second alert went, under another reference."""
    invite(client, staff_headers)
    text(client, "1")
    text(client, SUSPECTED)
    _read_everything(services, loaded_pipelines)
    assert len(_alerts(services)) == 1
    for reply in ["1"] * 6 + ["skip", "skip", "1"]:
        text(client, reply)
    _read_everything(services, loaded_pipelines)
    assert len(_alerts(services)) == 1, _alerts(services)
