"""Erasure findings of an operations audit (round 13): erasure read the person's phone and email from
their contact row after blanking it, so what was found only through them (texts sent to their number, an
SMS run under the number) survived; and erasure cancelled a duty alert still waiting to be sent."""
from __future__ import annotations

from sqlalchemy import select, text, update

from service.audit.log import SYSTEM
from service.domain.model import Consent
from service.privacy.erasure import erase_person
from service.privacy.person import PersonQuery
from service.privacy.subject_access import subject_access_export
from service.storage.orm import Submission
from service.storage.types import utcnow

from .conftest import submit


def test_a_request_by_email_leaves_what_is_held_under_a_phone_to_a_request_by_phone(services, seed):
    """A person gave a phone number and an email address. A request by e-mail once followed the number to the SMS
    run and the texts sent to it; but a number typed beside an address is no proof of who holds the phone (a
    third review: anyone could type his victim's number beside his own e-mail and ask for her SMS words). By
    e-mail: the feedback and contact row of that address, and the number shown to staff on that row; the SMS
    run and its texts by a request by phone, once the person has shown the phone is theirs."""
    from channels.sms.phone import phone_hash
    from service.outbox.outbox import enqueue
    from service.storage.orm import OutboxMessage

    key = services.settings.secret_key
    mine = submit(services, provider_id=seed.provider_b, consent=Consent.NONE, phone="07700 900999", email="sam@example.org",
                  name="Sam Patel", text="Fine.")
    with services.session_factory.begin() as session:
        session.execute(text("INSERT INTO sms_conversations (id, phone_hash, language, questionnaire_id, questionnaire_version, status,"
                             " state, case_reference, created_at, updated_at, expires_at)"
                             " VALUES ('run9', :h, 'en', 'msp', 1, 'open', :state, 'S42-9999', :now, :now, :now)"),
                        {"h": phone_hash("+447700900999", key), "now": utcnow(),
                         "state": '{"step": 2, "texts": {"own_words": "My son Tom takes my money"}}'})
        enqueue(session, channel="sms", purpose="invitation", recipient="+447700900999",
                body="Hello Sam, you can tell us how your safeguarding enquiry S42-9999 went. Reply 1 to start.")
    with services.session_factory() as session:
        export = subject_access_export(session, PersonQuery.parse(email="sam@example.org"), actor=SYSTEM, secret_key=key)
    assert "sms_conversations" not in export["other_records"] and "Tom takes my money" not in str(export)
    assert not any(m["purpose"] == "invitation" for m in export["messages"])
    assert "07700 900999" in str(export) or "+447700900999" in str(export)   # the number, on the person's contact row
    with services.session_factory.begin() as session:
        erase_person(session, PersonQuery.parse(email="sam@example.org"), actor=SYSTEM, secret_key=key)
    with services.session_factory() as session:
        runs = session.execute(text("SELECT case_reference FROM sms_conversations WHERE id = 'run9'")).all()
        assert runs == [("S42-9999",)]
        assert session.get(Submission, mine.submission_id).contact.email is None
    with services.session_factory.begin() as session:
        erase_person(session, PersonQuery.parse(phone="07700 900999"), actor=SYSTEM, secret_key=key)
    with services.session_factory() as session:
        runs = session.execute(text("SELECT state, case_reference FROM sms_conversations WHERE id = 'run9'")).all()
        texts = session.execute(select(OutboxMessage.recipient, OutboxMessage.body).where(OutboxMessage.purpose == "invitation")).all()
    assert runs == [] and all(r is None and b == "" for r, b in texts), f"left after erasure by phone: {runs} {texts}"


def test_erasure_by_reference_of_sms_feedback_takes_the_number_from_the_outbox(services, seed):
    """README: erasure by reference erases 'the recipient, subject and body of every message sent to them'. The texts
    of an SMS run are not linked to the submission (submission_id NULL), so they are found only by the number; the
    contact row is blanked before the number is read from it, so they keep the person's number."""
    from channels.sms.flows import handle_inbound, invite
    from service.storage.orm import OutboxMessage
    from tests.sms.support import inbound_fields

    settings = services.settings
    invite(services.session_factory, settings, phone="+447700900555", language="en", case_reference="S42-5555")
    handle_inbound(services.session_factory, settings, inbound_fields("1", "+447700900555"))
    result = handle_inbound(services.session_factory, settings, inbound_fields("STOP", "+447700900555"))
    assert result.submission_id
    with services.session_factory() as session:
        reference = session.get(Submission, result.submission_id).reference
        before = session.execute(select(OutboxMessage.recipient, OutboxMessage.submission_id).where(OutboxMessage.channel == 'sms')).all()
    assert before and all(r == "+447700900555" and s is None for r, s in before), before
    with services.session_factory.begin() as session:   # the worker has sent the first two; the rest still wait
        first_two = [m.id for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id).limit(2))]
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(first_two)).values(status="sent"))
    # Meanwhile the person texted START and was asked again: that questionnaire's texts are still to go.
    handle_inbound(services.session_factory, settings, inbound_fields("START", "+447700900555"))
    invite(services.session_factory, settings, phone="+447700900555", language="en")
    with services.session_factory.begin() as session:
        erase_person(session, PersonQuery.parse(reference=reference), actor=SYSTEM, secret_key=settings.secret_key)
    with services.session_factory() as session:
        left = session.execute(select(OutboxMessage.purpose, OutboxMessage.status).where(OutboxMessage.recipient.is_not(None))).all()
    # The first run's texts, sent or waiting (its STOP confirmation), lost the number; the open questionnaire's
    # texts still go (review, round 13: they were cancelled, and the person left with a questionnaire that
    # never asked its first question).
    assert sorted(left) == [("invitation", "pending"), ("question", "pending"), ("start_confirmation", "pending")], left


def test_erasure_leaves_a_duty_alert_that_has_not_gone_yet_to_go(services, seed):
    """Guide: 'Safety overrides everything: a disclosure ... goes to the safeguarding duty team at once'. An alert
    waiting for the mail server (never given up) is cancelled and blanked by an erasure of the same feedback."""
    from service.analysis import raise_duty_alert
    from service.outbox.outbox import DUTY_ALERT
    from service.storage.orm import OutboxMessage

    with services.session_factory.begin() as session:
        raise_duty_alert(session, seed.sub_a_anonymous, ["physical_abuse"], services.settings)
    with services.session_factory.begin() as session:
        erase_person(session, PersonQuery.parse(reference=seed.references["a_anonymous"]), actor=SYSTEM,
                     secret_key=services.settings.secret_key)
    with services.session_factory() as session:
        alert = session.execute(select(OutboxMessage.status, OutboxMessage.recipient, OutboxMessage.body)
                                .where(OutboxMessage.purpose == DUTY_ALERT)).one()
    assert alert.status == "pending", f"duty alert after erasure: {tuple(alert)}"


def test_erasure_by_reference_leaves_the_link_from_the_numbers_other_feedback(services, seed):
    """Erasing one piece of feedback by reference must not delete the SMS run that is the only link from the
    same number to other feedback (an expired run is submitted without the number): a later erasure or
    export by phone must still find that feedback."""
    from channels.sms.phone import phone_hash

    key = services.settings.secret_key
    web = submit(services, provider_id=seed.provider_b, consent=Consent.NONE, phone="07700 900321", text="Fine.")
    by_sms = submit(services, provider_id=seed.provider_b, consent=Consent.NONE, text="The carer shouts at night.")
    with services.session_factory.begin() as session:
        session.execute(text("INSERT INTO sms_conversations (id, phone_hash, language, questionnaire_id, questionnaire_version, status,"
                             " state, submission_id, created_at, updated_at, expires_at)"
                             " VALUES ('run7', :h, 'en', 'msp', 1, 'expired', '{\"step\": 9}', :s, :now, :now, :now)"),
                        {"h": phone_hash("+447700900321", key), "s": by_sms.submission_id, "now": utcnow()})
        web_reference = session.get(Submission, web.submission_id).reference
    with services.session_factory.begin() as session:
        erase_person(session, PersonQuery.parse(reference=web_reference), actor=SYSTEM, secret_key=key)
    with services.session_factory() as session:
        export = subject_access_export(session, PersonQuery.parse(phone="07700 900321"), actor=SYSTEM, secret_key=key)
    assert by_sms.reference in str(export)
