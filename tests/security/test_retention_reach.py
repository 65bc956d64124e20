"""What retention and the subject-access export reach beyond free_texts and contacts (found by an operations
audit; each test failed before its fix, on SQLite and PostgreSQL): handwriting nobody typed, meeting
actions, case references, and the SMS opt-out."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from channels.meetings.models import Meeting, MeetingAction
from channels.meetings.service import open_actions_before
from channels.paper.models import CROP_TYPED, CROP_WAITING, REVIEW_DECIDED, REVIEW_OPEN, PaperReview, PaperSheet, PaperTextCrop
from channels.sms.models import SmsConversation, SmsOptOut
from channels.sms.phone import phone_hash
from service.audit.log import SYSTEM
from service.domain.model import Consent
from service.privacy.erasure import erase_person
from service.privacy.person import PersonQuery
from service.privacy.retention import apply_retention
from service.privacy.subject_access import subject_access_export
from service.storage.orm import Submission
from service.storage.types import utcnow
from service.text.redact import WITHHELD_SCRIPT

from .conftest import submit

OLD = timedelta(days=31 * 30)        # past both limits (12 and 24 months)
BETWEEN = timedelta(days=31 * 18)    # past the contact limit only
PNG = b"\x89PNG\r\n\x1a\n" + b"handwriting-of-the-person"


def _sheet(session, sheet_id: str, *, created_at, submission_id: str | None = None, case_ref: str | None = None) -> None:
    session.add(PaperSheet(sheet_id=sheet_id, form_id="msp", form_version=1, language="en", pages=2, case_ref=case_ref,
                           created_at=created_at, submission_id=submission_id))
    session.flush()


def test_handwriting_nobody_typed_and_boxes_nobody_decided_go_at_the_free_text_limit(services, seed):
    """README: after RETENTION_FREE_TEXT_MONTHS words are kept only in their redacted form, and pages nobody
    dealt with are deleted. A picture of handwriting cannot be redacted, so a crop still waiting goes; so does
    an open tick-box question (its crop and the scan file's name). Younger ones, and the record of work done, stay."""
    now = utcnow()
    with services.session_factory.begin() as session:
        _sheet(session, "SHEETOLD01", created_at=now - OLD, submission_id=seed.sub_a_anonymous)
        _sheet(session, "SHEETNEW01", created_at=now - timedelta(days=30), submission_id=seed.sub_a_named)
        session.add_all([
            PaperTextCrop(submission_id=seed.sub_a_anonymous, sheet_id="SHEETOLD01", question_id="own_words", crop_png=PNG,
                          status=CROP_WAITING, created_at=now - OLD),
            PaperTextCrop(submission_id=seed.sub_a_anonymous, sheet_id="SHEETOLD01", question_id="better", crop_png=b"",
                          status=CROP_TYPED, typed_by="keyer", typed_at=now - OLD, created_at=now - OLD),
            PaperTextCrop(submission_id=seed.sub_a_named, sheet_id="SHEETNEW01", question_id="own_words", crop_png=PNG,
                          status=CROP_WAITING, created_at=now - timedelta(days=30)),
            PaperReview(sheet_id="SHEETOLD01", submission_id=seed.sub_a_anonymous, page=1, question_id="listened_to",
                        reason="uncertain", readings=[], crop_png=PNG, source="returns/old.pdf", status=REVIEW_OPEN,
                        created_at=now - OLD),
            PaperReview(sheet_id="SHEETOLD01", submission_id=seed.sub_a_anonymous, page=1, question_id="in_control",
                        reason="uncertain", readings=[], crop_png=b"", source="returns/old.pdf", status=REVIEW_DECIDED,
                        decided_answer="yes", created_at=now - OLD),
            PaperReview(sheet_id="SHEETNEW01", submission_id=seed.sub_a_named, page=1, question_id="listened_to",
                        reason="uncertain", readings=[], crop_png=PNG, source="returns/new.pdf", status=REVIEW_OPEN,
                        created_at=now - timedelta(days=30)),
        ])
    with services.session_factory.begin() as session:
        report = apply_retention(session, None, now)
    assert report.derived_rows_changed.get("paper_text_crops") == 1
    assert report.derived_rows_changed.get("paper_reviews") == 1
    with services.session_factory() as session:
        crops = session.execute(select(PaperTextCrop.sheet_id, PaperTextCrop.status).order_by(PaperTextCrop.id)).all()
        reviews = session.execute(select(PaperReview.sheet_id, PaperReview.status).order_by(PaperReview.id)).all()
    assert [tuple(c) for c in crops] == [("SHEETOLD01", CROP_TYPED), ("SHEETNEW01", CROP_WAITING)]
    assert [tuple(r) for r in reviews] == [("SHEETOLD01", REVIEW_DECIDED), ("SHEETNEW01", REVIEW_OPEN)]


def _meeting(session, provider_id: int, at) -> int:
    meeting = Meeting(provider_id=provider_id, held_on=at.date(), residents_count=3, relatives_count=1, staff_count=2,
                      language="en", created_by="chair", created_at=at)
    session.add(meeting)
    session.flush()
    return meeting.id


def test_meeting_action_words_are_cut_to_their_redacted_form_at_the_free_text_limit(services, seed):
    """An action holds people's words ("Manager to look into Mr B saying the night carer hits him", the README's
    own example). At RETENTION_FREE_TEXT_MONTHS it is cut to its redacted form, once, like any free text; words
    in a script the redaction cannot read are withheld; an old open action still shows, redacted, at the next meeting."""
    now = utcnow()
    with services.session_factory.begin() as session:
        old_meeting = _meeting(session, seed.provider_a, now - OLD)
        new_meeting = _meeting(session, seed.provider_a, now - timedelta(days=30))
        session.add_all([
            MeetingAction(meeting_id=old_meeting, what="Manager to look into Mr Bashir Khan saying the night carer hits him",
                          owner="Manager", status="done", created_at=now - OLD),
            MeetingAction(meeting_id=old_meeting, what="Ring Mrs Patel on 07700 900111 about her room", owner="Deputy",
                          status="open", created_at=now - OLD),
            MeetingAction(meeting_id=old_meeting, what="Поговорить с Иваном Петровым о ночной смене", owner="Manager",
                          status="done", created_at=now - OLD),
            MeetingAction(meeting_id=new_meeting, what="Ask Mr Bashir Khan about the garden", owner="Manager",
                          status="open", created_at=now - timedelta(days=30)),
        ])
    with services.session_factory.begin() as session:
        report = apply_retention(session, None, now)
    assert report.derived_rows_changed.get("meeting_actions") == 3
    with services.session_factory() as session:
        actions = session.execute(select(MeetingAction.what, MeetingAction.redacted_at).order_by(MeetingAction.id)).all()
        follow_up = [a.what for a in open_actions_before(session, seed.provider_a, now.date() + timedelta(days=1))]
    harm, ring, cyrillic, young = actions
    assert "Bashir Khan" not in harm.what and "night carer hits him" in harm.what and harm.redacted_at is not None
    assert "Patel" not in ring.what and "07700" not in ring.what
    assert cyrillic.what == WITHHELD_SCRIPT
    assert young.what == "Ask Mr Bashir Khan about the garden" and young.redacted_at is None
    assert follow_up == [ring.what, young.what]

    # Done once: a later run leaves the cut words (and when they were cut) alone.
    with services.session_factory.begin() as session:
        again = apply_retention(session, None, now + timedelta(days=1))
    assert "meeting_actions" not in again.derived_rows_changed
    with services.session_factory() as session:
        assert session.execute(select(MeetingAction.what, MeetingAction.redacted_at).order_by(MeetingAction.id)).all() == actions


def test_case_references_go_with_the_contact_details(services, seed):
    """Contact details go at RETENTION_CONTACT_MONTHS; a council case reference names the adult as directly
    (erasure treats it as theirs), on the feedback, on a printed sheet (returned or not) and on an ended SMS run."""
    now = utcnow()
    young = submit(services, provider_id=seed.provider_a, consent=Consent.NONE, text="", case_reference="S42-3003")
    digest = phone_hash("+447700900123", services.settings.secret_key)
    with services.session_factory.begin() as session:
        session.execute(update(Submission).where(Submission.id == seed.sub_a_anonymous).values(received_at=now - BETWEEN))
        _sheet(session, "SHEETGONE1", created_at=now - BETWEEN, case_ref="S42-2002")            # never came back
        _sheet(session, "SHEETNEW02", created_at=now - timedelta(days=30), case_ref="S42-3003")
        for run_id, status, ended_at in (("ended", "finished", now - BETWEEN), ("open", "open", None),
                                         ("recent", "expired", now - timedelta(days=30))):
            session.add(SmsConversation(id=run_id, phone_hash=digest, language="en", questionnaire_id="msp", questionnaire_version=1,
                                        case_reference="S42-1001", status=status, state={"step": 1}, created_at=now - BETWEEN,
                                        updated_at=now - BETWEEN, expires_at=now - BETWEEN, ended_at=ended_at))
    with services.session_factory.begin() as session:
        report = apply_retention(session, None, now)
    assert report.case_references_erased == 1
    with services.session_factory() as session:
        submissions = {s.id: s.case_reference for s in session.scalars(select(Submission))}
        sheets = dict(session.execute(select(PaperSheet.sheet_id, PaperSheet.case_ref)).all())
        runs = dict(session.execute(select(SmsConversation.id, SmsConversation.case_reference)).all())
    assert submissions[seed.sub_a_anonymous] is None and submissions[young.submission_id] == "S42-3003"
    assert sheets == {"SHEETGONE1": None, "SHEETNEW02": "S42-3003"}
    assert runs == {"ended": None, "open": "S42-1001", "recent": "S42-1001"}


def test_subject_access_export_shows_the_sms_opt_out_that_erasure_keeps(services, seed):
    """Whether and when the person said STOP is data held about them (under their number's keyed hash): the
    export shows it; erasure keeps it, so they are never texted again. Staff identifiers are not exported."""
    key = services.settings.secret_key
    digest = phone_hash("+447700900123", key)
    now = utcnow()
    with services.session_factory.begin() as session:
        session.add(SmsOptOut(phone_hash=digest, opted_out=True, source="keyword", language="en", created_at=now, updated_at=now))
        session.add(SmsConversation(id="run1", phone_hash=digest, language="en", questionnaire_id="msp", questionnaire_version=1,
                                    status="stopped", state={"step": 2}, invited_by_token_id=7, created_at=now, updated_at=now,
                                    expires_at=now, ended_at=now))
        _sheet(session, "SHEETSAR01", created_at=now, submission_id=seed.sub_a_anonymous)
        session.add(PaperTextCrop(submission_id=seed.sub_a_anonymous, sheet_id="SHEETSAR01", question_id="better", crop_png=b"",
                                  status=CROP_TYPED, typed_by="keyer@board.example", typed_at=now))
    with services.session_factory.begin() as session:
        export = subject_access_export(session, PersonQuery.parse(phone="07700 900123"), actor=SYSTEM, secret_key=key)
    records = export["other_records"]
    assert [(r["opted_out"], r["source"]) for r in records["sms_opt_outs"]] == [(True, "keyword")]
    assert records["paper_text_crops"] and records["sms_conversations"]
    exported = [row for rows in records.values() for row in rows]
    assert not any({"typed_by", "decided_by", "invited_by_token_id"} & set(row) for row in exported)
    assert "keyer@board.example" not in str(export)

    with services.session_factory.begin() as session:
        erase_person(session, PersonQuery.parse(phone="07700 900123"), actor=SYSTEM, secret_key=key)
    with services.session_factory() as session:
        assert session.get(SmsOptOut, digest).opted_out is True


def test_a_request_fingerprint_goes_at_the_contact_limit(services, seed):
    """A submission's request fingerprint is a plain hash of the body (through the API, the contact details and the
    words): once they are erased or cut it would let a guess of them be tested. It goes at the sooner limit."""
    now = utcnow()
    with services.session_factory.begin() as session:
        session.execute(update(Submission).values(request_fingerprint="f" * 64))
        session.execute(update(Submission).where(Submission.id == seed.sub_a_anonymous).values(received_at=now - BETWEEN))
    with services.session_factory.begin() as session:
        assert apply_retention(session, None, now).fingerprints_cleared == 1
    with services.session_factory() as session:
        fingerprints = {s.id: s.request_fingerprint for s in session.scalars(select(Submission))}
    assert fingerprints.pop(seed.sub_a_anonymous) is None
    assert set(fingerprints.values()) == {"f" * 64}    # younger: a resend within hours is still told apart
    with services.session_factory.begin() as session:
        assert not apply_retention(session, None, now).changed


def test_retention_cuts_with_todays_rules_not_to_an_older_reading(services, seed):
    """The stored reading may be an older version's (readings are re-made only when someone runs reanalyse):
    redact-rules-6 left "Hương" of "the carer Nguyễn Thị Hương", which today's rules find. What is kept for good
    is today's redaction, keeping what the older one cut too; a translation's too."""
    from service.storage.orm import FreeText, TextAnnotation

    words = "The carer Nguyễn Thị Hương was rough with Mr Oduya at night"
    tamil = "நர்ஸ் லக்ஷ்மி என்னை அடித்தார்"
    young = submit(services, provider_id=seed.provider_a, consent=Consent.NONE, text=words)
    other = submit(services, provider_id=seed.provider_a, consent=Consent.NONE, text=tamil)
    with services.session_factory.begin() as session:
        texts = {t.submission_id: t for t in session.scalars(select(FreeText).where(
            FreeText.submission_id.in_([young.submission_id, other.submission_id])))}
        session.add(TextAnnotation(free_text_id=texts[young.submission_id].id, model_version="themes-x+redact-rules-6",
                                   language="en", translation_status="not_needed", disclosure=False,
                                   redacted="The carer [NAME] Hương was rough with [NAME] at night"))
        session.add(TextAnnotation(free_text_id=texts[other.submission_id].id, model_version="themes-x+redact-rules-6",
                                   language="ta", translation_status="human", disclosure=False,
                                   translation="The nurse Nguyễn Thị Hương hit me", redacted="[withheld]",
                                   redacted_translation="The nurse [NAME] Hương hit me"))
    with services.session_factory.begin() as session:
        apply_retention(session, None, utcnow() + OLD)
    with services.session_factory() as session:
        kept = {t.submission_id: t.text for t in session.scalars(select(FreeText).where(
            FreeText.submission_id.in_([young.submission_id, other.submission_id])))}
    assert kept[young.submission_id] == "The carer [NAME] was rough with [NAME] at night"
    assert kept[other.submission_id] == "(English translation, redacted) The nurse [NAME] hit me"


def test_the_export_leaves_out_who_on_the_staff_translated_the_words(services, seed):
    """A translation typed by staff is stored with translation_source "human:<who typed it>": the export says a
    person translated it ("human"), not who (README: who on the staff typed or decided something is left out)."""
    from service.storage.orm import FreeText, TextAnnotation

    with services.session_factory.begin() as session:
        free_text = session.scalar(select(FreeText).where(FreeText.submission_id == seed.sub_a_anonymous))
        session.add(TextAnnotation(free_text_id=free_text.id, model_version="test", language="ur", translation="A nurse shouts at me",
                                   translation_status="human", translation_source="human:Jane Keyer (translator)",
                                   redacted="[withheld]", disclosure=False))
    with services.session_factory.begin() as session:
        export = subject_access_export(session, PersonQuery.parse(phone="07700 900123"), actor=SYSTEM,
                                       secret_key=services.settings.secret_key)
    sources = [row["translation_source"] for row in export["other_records"]["text_annotations"]]
    assert "human" in sources and "Jane Keyer" not in str(export)
