"""Replies the disclosure classifier alone flags in an SMS questionnaire (a second review's findings: each test
failed before its fix): every reply is read alone, once, and a privacy request reaches it and Twilio's copy."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from channels.sms import flows
from channels.sms.models import SmsConversation
from service.auth.permissions import Role
from service.storage.orm import OutboxMessage, Submission
from tests.sms.test_webhooks import SUSPECTED, WARM, _flagged_by_the_classifier_alone, _read_everything, invite, sms_rows, text
from tests.support.staff import StaffBrowser, add_user


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


def _texts(services):
    """(submission id, question id, text, consent) of every free text stored."""
    with services.session_factory() as session:
        return [(s.id, t.question_id, t.text, s.consent) for s in session.scalars(select(Submission)) for t in s.texts]


def test_a_flagged_answer_to_better_is_still_known_as_the_answer_to_better(client, services, staff_headers):
    """A flagged answer to 'What could be better?' leaves the record: its own feedback must say which question it
    answered (it was stored as 'own_words')."""
    _flagged_by_the_classifier_alone(SUSPECTED)
    invite(client, staff_headers)
    for reply in ["1"] * 7 + [WARM, SUSPECTED, "1"]:
        text(client, reply)
    stored = _texts(services)
    assert any(q == "better" and SUSPECTED in t for _, q, t, _ in stored), stored


def test_long_replies_before_a_clear_disclosure_do_not_cut_it_off(client, services, staff_headers, loaded_pipelines):
    """Words beyond the chosen answers are joined into one text and cut at 5000 characters (texts_to_submit),
    the newest last: a clear disclosure after some long replies was cut off, never stored, never read."""
    filler = ("The garden is lovely and the food was nice today. " * 40)[:1590]
    invite(client, staff_headers)
    for _ in range(4):
        text(client, "1 " + filler)
    text(client, "3 he still hits me every night")
    with services.session_factory() as session:
        assert session.scalars(select(SmsConversation)).one().status == "finished"
    assert any("hits me" in t for _, _, t, _ in _texts(services)), "the disclosure was cut off"
    _read_everything(services, loaded_pipelines)
    assert _alerts(services)


def test_words_of_a_reply_whose_check_failed_keep_the_consent_given(client, services, staff_headers, monkeypatch):
    """A reply whose disclosure check failed stays in the questionnaire's record (read by the worker at the end),
    so the consent the person gives at the end covers it."""
    from channels.sms import flows
    real = flows.check_for_harm_alone

    def failing(words):
        if words == WARM:
            raise RuntimeError("model not loaded")
        return real(words)

    monkeypatch.setattr(flows, "check_for_harm_alone", failing)
    invite(client, staff_headers)
    for reply in ["1"] * 7 + [WARM, "Nothing", "1"]:   # consent 1 = named
        text(client, reply)
    stored = _texts(services)
    assert "named" in [c for _, _, t, c in stored if t == WARM], stored   # HEAD~1: the record held them too


def test_take_care_after_the_closing_text_raises_no_duty_alert(client, services, staff_headers, loaded_pipelines):
    invite(client, staff_headers)
    for reply in ["1"] * 7 + ["skip", "skip", "1"]:
        text(client, reply)
    text(client, "Take care")
    _read_everything(services, loaded_pipelines)
    assert _alerts(services) == []


CLEAR = "he still hits me every night"      # a cue the rules know


def _subs(services):
    with services.session_factory() as session:
        return [(s.id, s.reference, dict(s.answers or {}), {t.question_id: t.text for t in s.texts})
                for s in session.scalars(select(Submission))]


def test_a_first_reply_the_rules_flag_makes_no_empty_record(client, services, staff_headers):
    """A first reply that is a clear disclosure once went in alone and left an empty record, whose reference the
    closing text gave."""
    invite(client, staff_headers)
    text(client, CLEAR)
    empty = [s for s in _subs(services) if not s[2] and not s[3]]
    assert empty == [], f"an empty record was made: {empty}"


@pytest.mark.parametrize("before", [[], ["1", "2"]])
def test_the_reference_in_the_closing_text_leads_staff_to_the_disclosure(client, services, staff_headers, before):
    """The person is told one reference ('if you feel at risk again ...'); the staff page of that feedback must
    show the words they sent, or point to the feedback that holds them."""
    invite(client, staff_headers)
    for reply in before:
        text(client, reply)
    text(client, CLEAR)
    closing = sms_rows(services)[-1].body
    [(given_id, given_ref)] = [(s[0], s[1]) for s in _subs(services) if s[1] in closing]
    [(part_id, part_ref)] = [(s[0], s[1]) for s in _subs(services) if CLEAR in str(s[3])]
    add_user(services, "duty@example.org", Role.DUTY_TEAM)
    duty = StaffBrowser(client)
    duty.sign_in("duty@example.org")
    page = duty.get(f"/staff/submissions/{given_id}").text
    assert CLEAR in page or part_ref in page or part_id in page, f"the page of {given_ref} (in the closing text) does not lead to {part_ref}"


def test_words_are_not_cut_off_when_the_disclosure_check_fails(client, services, staff_headers, monkeypatch):
    """With the check down (a model that cannot load) the words stay in the record, which joins every reply's
    extra words: past 5,000 characters a disclosure after four long replies was cut off."""
    def broken(_words):
        raise RuntimeError("model not loaded")

    monkeypatch.setattr(flows, "check_for_harm_alone", broken)
    filler = ("The garden is lovely and the food was nice today. " * 40)[:1590]
    invite(client, staff_headers)
    for _ in range(4):
        text(client, "1 " + filler)
    text(client, "3 " + CLEAR)
    for reply in ["1", "1", "Nice staff", "Nothing", "1"]:   # feel_safer, respected, own_words, better, consent
        text(client, reply)
    with services.session_factory() as session:
        assert session.scalars(select(SmsConversation)).one().status == "finished"
    stored = " ".join(t for s in _subs(services) for t in s[3].values())
    assert CLEAR in stored, "the words were cut off the record"


def test_words_of_a_fifth_long_reply_are_kept(client, services, staff_headers):
    """Words beyond a chosen answer that no check flags were joined and cut at 5,000 characters: a fifth long
    reply was stored nowhere. A reply the record has no room for goes in alone."""
    filler = ("The garden is lovely and the food was nice today. " * 40)[:1590]
    invite(client, staff_headers)
    for _ in range(4):
        text(client, "1 " + filler)
    text(client, "1 the lunch was cold on tuesday")
    for reply in ["1", "1", "Nice staff", "Nothing", "1"]:
        text(client, reply)
    stored = " ".join(t for s in _subs(services) for t in s[3].values())
    assert "lunch was cold" in stored, "the words were cut off the record"


def test_staff_see_a_reply_kept_alone_and_its_questionnaire_linked(client, services, staff_headers):
    """The person is given the record's reference; a reply kept as feedback of its own is not in it, so each page
    points to the other (the duty alert names the reply's)."""
    invite(client, staff_headers)
    text(client, "1")
    text(client, SUSPECTED)
    with services.session_factory() as session:
        part = session.scalars(select(Submission)).one()
        part_id, part_ref = part.id, part.reference
    add_user(services, "duty@example.org", Role.DUTY_TEAM)
    duty = StaffBrowser(client)
    duty.sign_in("duty@example.org")
    assert "there is none, or none yet" in duty.get(f"/staff/submissions/{part_id}").text
    for reply in ["1"] * 6 + [WARM, "Nothing", "1"]:
        text(client, reply)
    with services.session_factory() as session:
        record = session.get(Submission, session.scalars(select(SmsConversation)).one().submission_id)
        record_id, record_ref = record.id, record.reference
    assert record_ref in sms_rows(services)[-1].body
    record_page = duty.get(f"/staff/submissions/{record_id}").text
    assert f'href="/staff/submissions/{part_id}">{part_ref}</a>' in record_page
    assert f'href="/staff/submissions/{record_id}">{record_ref}</a>' in duty.get(f"/staff/submissions/{part_id}").text


def test_a_closing_text_always_gives_a_reference(client, services, staff_headers):
    """A run whose replies carried no words (a picture: Twilio sends an empty Body) once ended with
    'Your reference is .'."""
    invite(client, staff_headers)
    for _ in range(40):
        with services.session_factory() as session:
            if session.scalars(select(SmsConversation)).one().status == "finished":
                break
        text(client, "")
    closing = sms_rows(services)[-1]
    assert closing.purpose == "closing" and "reference is ." not in closing.body, closing.body


def test_a_run_whose_every_word_went_in_alone_has_a_record_that_reaches_them(client, services, staff_headers, admin_token):
    """Every word went in alone (a flagged first reply, pictures, two flagged replies to the consent question):
    the closing text gave the last reply's reference, which did not reach the first reply's words."""
    from tests.sms.support import new_sid

    invite(client, staff_headers)
    sid_first = new_sid()
    text(client, SUSPECTED, sid=sid_first)
    for _ in range(40):
        with services.session_factory() as session:
            if session.scalars(select(SmsConversation)).one().state.get("step") == 9:
                break
        text(client, "")
    text(client, SUSPECTED)
    text(client, SUSPECTED)
    with services.session_factory() as session:
        conv = session.scalars(select(SmsConversation)).one()
        record = session.get(Submission, conv.submission_id)
        assert conv.status == "finished" and not record.texts
        reference = record.reference
    assert reference in sms_rows(services)[-1].body
    _erase_by_reference(client, services, admin_token, reference)
    with services.session_factory() as session:
        assert not any(SUSPECTED in t.text for s in session.scalars(select(Submission)) for t in s.texts)
    assert sid_first in _queued_deletions(services)


def test_a_request_by_phone_after_contact_retention_reaches_the_replies_kept_alone(client, services, staff_headers, admin_token):
    """13 months on, retention has blanked the contact rows (12) but keeps the words (24). A request by phone found
    the questionnaire's record through the run's keyed number, but not the replies kept alone, whose only link
    to the number was their contact row (a sixth review)."""
    from datetime import timedelta

    from service.privacy.retention import apply_retention
    from service.storage.types import utcnow
    from tests.sms.test_webhooks import PERSON

    invite(client, staff_headers)
    text(client, "1")
    text(client, SUSPECTED)
    for reply in ["1"] * 6 + [WARM, "Nothing", "1"]:
        text(client, reply)
    with services.session_factory.begin() as session:
        apply_retention(session, services.settings, now=utcnow() + timedelta(days=400))
    with services.session_factory() as session:
        references = set(session.scalars(select(Submission.reference)))
        assert any(SUSPECTED in t.text for s in session.scalars(select(Submission)) for t in s.texts), "words kept for 24 months"
    headers = {"Authorization": f"Bearer {admin_token}"}
    export = client.simulate_post("/api/v1/privacy/subject-access", json={"phone": PERSON}, headers=headers)
    assert {f["reference"] for f in export.json["feedback"]} == references and len(references) == 2
    assert client.simulate_post("/api/v1/privacy/erasures", json={"phone": PERSON}, headers=headers).status_code == 200
    with services.session_factory() as session:
        assert not [t for s in session.scalars(select(Submission)) for t in s.texts if SUSPECTED in t.text]


def test_a_reply_kept_alone_of_a_run_stopped_with_no_record_is_found_by_phone(client, services, staff_headers, admin_token):
    from tests.sms.test_webhooks import PERSON

    invite(client, staff_headers)
    text(client, SUSPECTED)
    text(client, "STOP")
    with services.session_factory() as session:
        assert session.scalars(select(SmsConversation)).one().submission_id is None
        [reply] = session.scalars(select(Submission)).all()
        reference = reply.reference
    export = client.simulate_post("/api/v1/privacy/subject-access", json={"phone": PERSON},
                                  headers={"Authorization": f"Bearer {admin_token}"})
    assert [f["reference"] for f in export.json["feedback"]] == [reference]


@pytest.mark.parametrize("earlier, flagged", [
    (["1 it was sorted out by the manager"], "3 my carer hit me"),     # a reply to a choice question, after another
    (["2 the manager dealt with it"], "my carer hit me"),             # an earlier reply read together with own words
])
def test_a_reply_the_rules_flag_is_alerted_whatever_the_other_replies_say(client, services, staff_headers, loaded_pipelines,
                                                                          earlier, flagged):
    """The webhook read the reply alone, found a cue the rules know and ended the questionnaire 'so the duty team
    has it now'; its words went into the record after an earlier reply's, the worker read them together, took
    'sorted out' two sentences away as the harm resolved, and nobody was alerted (third review of this session)."""
    from service.text.pipeline import check_for_harm_alone

    assert check_for_harm_alone(flagged).flag and not check_for_harm_alone(flagged).by_classifier
    invite(client, staff_headers)
    for reply in earlier:
        text(client, reply)
    if flagged == "my carer hit me":
        while True:   # on to the free-text question "in your own words"
            with services.session_factory() as session:
                conv = session.scalars(select(SmsConversation)).one()
            if sms_rows(services)[-1].body.startswith("Tell us in your own words") or conv.status != "open":
                break
            text(client, "1")
    text(client, flagged)
    with services.session_factory() as session:
        conv = session.scalars(select(SmsConversation)).one()
        assert conv.status == "finished"
        record_id = conv.submission_id
    assert _alerts(services) == [record_id], "alerted by the webhook, in the same transaction"
    _read_everything(services, loaded_pipelines)
    with services.session_factory() as session:
        record = session.get(Submission, record_id)
        assert record.urgent and any(flagged in t.text for t in record.texts)
    assert _alerts(services) == [record_id], "one alert: the worker's reading adds none"
    add_user(services, "duty@example.org", Role.DUTY_TEAM)
    duty = StaffBrowser(client)
    duty.sign_in("duty@example.org")
    page = duty.get(f"/staff/submissions/{record_id}").text
    assert "Possible disclosure" in page and "A reply by text raised the flag as it came in (physical)" in page, page


@pytest.mark.parametrize("plea", ["ساعدني", "madad chahiye", "HELP"])   # "help me" (Arabic), "I need help" (Roman Urdu)
@pytest.mark.parametrize("in_a_run", [True, False])
def test_a_plea_for_help_is_kept_and_read(client, services, staff_headers, loaded_pipelines, plea, in_a_run):
    """A HELP keyword got the HELP text and was stored nowhere (only a number that had said STOP had it kept):
    'help me' to a safeguarding service may be a plea. It is kept and read, the HELP text still goes, and an
    open questionnaire goes on where it was (a review of this session)."""
    if in_a_run:
        invite(client, staff_headers)
        text(client, "1")
    asked = sms_rows(services)[-1].body if in_a_run else None
    text(client, plea)
    assert sms_rows(services)[-1].purpose == "help"
    with services.session_factory() as session:
        kept = [s for s in session.scalars(select(Submission)) if any(t.text == plea for t in s.texts)]
        assert len(kept) == 1 and kept[0].contact is not None
        if in_a_run:
            assert session.scalars(select(SmsConversation)).one().status == "open"
    _read_everything(services, loaded_pipelines)
    with services.session_factory() as session:
        from service.storage.orm import TextAnnotation
        text_id = session.get(Submission, kept[0].id).texts[0].id
        assert session.scalars(select(TextAnnotation).where(TextAnnotation.free_text_id == text_id)).all(), "the text check read it"
    if in_a_run:
        text(client, "2")                      # the answer to the question asked before the plea
        assert sms_rows(services)[-1].body != asked


def _erase_by_phone_meanwhile(services, holder, go_on) -> None:
    """Erase the person by phone while `holder` (a thread inside its transaction) waits for `go_on`; then let it
    go on. Before the fixes the erasure read the person's feedback at once and finished after `holder`."""
    import threading

    from service.audit.log import SYSTEM
    from service.privacy.erasure import erase_person
    from service.privacy.person import PersonQuery
    from tests.sms.test_webhooks import PERSON

    errors: list[Exception] = []

    def erase() -> None:
        try:
            with services.session_factory.begin() as session:
                erase_person(session, PersonQuery.parse(phone=PERSON), actor=SYSTEM, secret_key=services.settings.secret_key)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    erasure = threading.Thread(target=erase)
    erasure.start()
    erasure.join(1.0)           # it waits for the number
    go_on.set()
    holder.join(20)
    erasure.join(20)
    assert not errors and not holder.is_alive() and not erasure.is_alive()


def test_an_erasure_by_phone_during_a_reply_leaves_nothing_behind(client, services, staff_headers, engine, monkeypatch):
    """PostgreSQL, read committed: the webhook stores a reply the classifier flags alone, with the number, while an
    erasure by phone runs. The erasure had read the person's feedback before the webhook committed, then
    finished: the reply, its number and Twilio's copy survived an erasure that said it was done (a review of
    this session). Both now hold the number: the erasure waits, then sees the reply."""
    import threading

    from tests.sms.test_webhooks import PERSON

    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes one writer at a time (BEGIN IMMEDIATE)")
    invite(client, staff_headers)
    text(client, "1")
    reading, go_on = threading.Event(), threading.Event()
    real = flows.check_for_harm_alone

    def slow_check(words):      # the webhook is inside its transaction, reading the reply
        reading.set()
        go_on.wait(10)
        return real(words)

    monkeypatch.setattr(flows, "check_for_harm_alone", slow_check)
    sid = "SM" + "f" * 32
    webhook = threading.Thread(target=flows.handle_inbound, args=(services.session_factory, services.settings,
                                                                 {"MessageSid": sid, "From": PERSON, "Body": SUSPECTED}))
    webhook.start()
    assert reading.wait(10)
    _erase_by_phone_meanwhile(services, webhook, go_on)
    with services.session_factory() as session:
        left = [(s.reference, t.text, s.contact.phone if s.contact else None)
                for s in session.scalars(select(Submission)) for t in s.texts if t.text == SUSPECTED]
    assert not left, f"kept after the erasure: {left}"
    assert sid in _queued_deletions(services)


def test_the_consent_given_at_the_end_covers_the_replies_kept_alone(client, services, staff_headers):
    """'Can we tell the care service what you said?' is asked last; a reply kept as feedback of its own (no room
    in the record, here) had no consent whatever the answer, so the service never heard it."""
    filler = ("The garden is lovely and the food was nice today. " * 40)[:1590]
    invite(client, staff_headers)
    for _ in range(4):
        text(client, "1 " + filler)
    text(client, "1 the lunch was cold on tuesday")
    for reply in ["1", "1", "Nice staff", "Nothing", "1"]:   # ... the consent question last: 1 = yes, with my name
        text(client, reply)
    with services.session_factory() as session:
        record = session.get(Submission, session.scalars(select(SmsConversation)).one().submission_id)
        alone = [s for s in session.scalars(select(Submission)) if s.id != record.id]
        assert record.consent == "named" and alone
        assert [s.consent for s in alone] == ["named"] * len(alone)


def test_an_erasure_by_phone_while_a_run_expires_leaves_nothing_behind(client, services, staff_headers, engine, monkeypatch):
    """PostgreSQL: the minute job ended up to 500 runs past their time in one transaction without holding their
    numbers. An erasure by phone meanwhile found no record yet, waited for the run's row, deleted it (the record's
    only link to the number: an expired run's record has no contact) and said it was done; the words stayed,
    and no later request by phone could find them (second review of this session)."""
    import threading
    from datetime import timedelta

    from service.storage.types import utcnow

    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes one writer at a time (BEGIN IMMEDIATE)")
    words = "the lunch was cold on tuesday"
    invite(client, staff_headers)
    text(client, "1 " + words)
    submitted, go_on = threading.Event(), threading.Event()
    real_close = flows._close

    def slow_close(*args, **kwargs):     # the record is made and the run still held
        real_close(*args, **kwargs)
        submitted.set()
        go_on.wait(10)

    monkeypatch.setattr(flows, "_close", slow_close)
    expiry = threading.Thread(target=flows.expire_due, args=(services.session_factory, services.settings),
                              kwargs={"now": utcnow() + timedelta(days=30)})
    expiry.start()
    assert submitted.wait(10)
    _erase_by_phone_meanwhile(services, expiry, go_on)
    with services.session_factory() as session:
        left = [(s.reference, t.text) for s in session.scalars(select(Submission)) for t in s.texts if words in t.text]
    assert not left, f"kept after the erasure by phone: {left}"


def _web_feedback_with_email_and_phone(services) -> None:
    """Earlier web feedback whose contact row gives both the person's e-mail and the number they text from."""
    from service.domain.model import Channel, ContactDetails, ContactPreference, SubmitFeedback
    from service.domain.questionnaire import default_registry
    from service.intake import submit_feedback
    from service.storage.unit_of_work import UnitOfWork

    with UnitOfWork(services.session_factory) as uow:
        submit_feedback(SubmitFeedback(
            channel=Channel.WEB, language="en", texts={"own_words": "Kind staff"},
            contact=ContactDetails(preference=ContactPreference.EMAIL, email="ann@example.org", phone="07911 123456")),
            uow, default_registry())
        uow.commit()


def test_a_request_by_email_follows_no_phone_number_typed_beside_it(client, services, staff_headers):
    """Anyone can type any number beside his own e-mail on a form. A request by that e-mail followed the number
    to its owner's SMS questionnaires (their records, then their replies kept alone, a flagged one among
    them): subject access handed her words, a possible disclosure about him, to whoever typed her number, and
    erasure or a withdrawal by e-mail reached her feedback (third review of this session). The e-mail's own
    feedback is reached; the number needs a request by phone."""
    from service.audit.log import SYSTEM
    from service.privacy.consent import withdraw_consent
    from service.privacy.erasure import erase_person
    from service.privacy.person import PersonQuery
    from service.privacy.subject_access import subject_access_export

    invite(client, staff_headers)
    text(client, "1 the lunch was cold on tuesday")
    text(client, "1 " + SUSPECTED)            # kept alone: the classifier flags it
    for reply in ["1"] * 5 + ["Nice staff", "Nothing", "1"]:   # the consent question last: 1 = yes, with my name
        text(client, reply)
    with services.session_factory() as session:
        run = session.scalars(select(SmsConversation)).one()
        hers = {s.id: s.consent for s in session.scalars(select(Submission)) if s.channel == "sms"}
        assert run.status == "finished" and len(hers) == 2 and set(hers.values()) == {"named"}
    _web_feedback_with_email_and_phone(services)   # his e-mail, her number typed beside it
    with services.session_factory.begin() as session:
        document = subject_access_export(session, PersonQuery.parse(email="ann@example.org"), actor=SYSTEM,
                                         secret_key=services.settings.secret_key)
    assert len(document["feedback"]) == 1 and "Kind staff" in str(document["feedback"])
    assert "lunch was cold" not in str(document) and SUSPECTED not in str(document)
    with services.session_factory.begin() as session:
        withdraw_consent(session, PersonQuery.parse(email="ann@example.org"), actor=SYSTEM, secret_key=services.settings.secret_key)
    with services.session_factory.begin() as session:
        erase_person(session, PersonQuery.parse(email="ann@example.org"), actor=SYSTEM, secret_key=services.settings.secret_key)
    with services.session_factory() as session:
        assert {sid: session.get(Submission, sid).consent for sid in hers} == hers
        words = " ".join(t.text for sid in hers for t in session.get(Submission, sid).texts)
        assert "lunch was cold" in words and SUSPECTED in words
        assert session.scalars(select(SmsConversation)).one() is not None
        assert "Kind staff" not in " ".join(t.text for s in session.scalars(select(Submission)) for t in s.texts)
    with services.session_factory.begin() as session:       # by phone: hers
        erase_person(session, PersonQuery.parse(phone="07911 123456"), actor=SYSTEM, secret_key=services.settings.secret_key)
    with services.session_factory() as session:
        assert SUSPECTED not in " ".join(t.text for s in session.scalars(select(Submission)) for t in s.texts)


def test_a_request_by_reference_follows_no_phone_number_typed_beside_it(client, services, staff_headers):
    """A request by the reference of web feedback followed the number on its contact row to every text ever sent
    to that number: an export handed over another person's closing text with her reference (the key to her
    words), and an erasure blanked the records of her texts and queued her Twilio copies (fourth review of
    this session). A request by reference reaches its own feedback and the texts of its own SMS run."""
    from service.audit.log import SYSTEM
    from service.privacy.erasure import erase_person
    from service.privacy.person import PersonQuery
    from service.privacy.subject_access import subject_access_export

    invite(client, staff_headers)
    for reply in ["1"] * 7 + ["They were kind", "Nothing", "2"]:
        text(client, reply)
    with services.session_factory.begin() as session:
        run = session.scalars(select(SmsConversation)).one()
        assert run.status == "finished"
        hers = session.get(Submission, run.submission_id).reference
        for message in session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms")):
            message.status, message.provider_message_id = "sent", f"SM{message.id:032x}"
    from service.domain.model import Channel, ContactDetails, ContactPreference, SubmitFeedback
    from service.domain.questionnaire import default_registry
    from service.intake import submit_feedback
    from service.storage.unit_of_work import UnitOfWork

    with UnitOfWork(services.session_factory) as uow:      # his feedback, her number typed beside his e-mail
        his = submit_feedback(SubmitFeedback(channel=Channel.WEB, language="en", texts={"own_words": "Kind staff"},
                                             contact=ContactDetails(preference=ContactPreference.EMAIL, email="him@example.org",
                                                                    phone="07911 123456")), uow, default_registry()).reference
        uow.commit()
    with services.session_factory.begin() as session:
        document = subject_access_export(session, PersonQuery.parse(reference=his), actor=SYSTEM, secret_key=services.settings.secret_key)
    assert document["messages"] == [] and hers not in str(document)
    with services.session_factory.begin() as session:
        erase_person(session, PersonQuery.parse(reference=his), actor=SYSTEM, secret_key=services.settings.secret_key)
    with services.session_factory() as session:
        assert all(m.recipient for m in session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms")))
    assert _queued_deletions(services) == []
    with services.session_factory.begin() as session:       # her own reference: her run's texts
        document = subject_access_export(session, PersonQuery.parse(reference=hers), actor=SYSTEM, secret_key=services.settings.secret_key)
    assert any(hers in (m["body"] or "") for m in document["messages"])
