"""What an audit of the residents' meetings channel found: each test failed before its fix."""
from __future__ import annotations

from sqlalchemy import select

from channels.meetings import service
from channels.meetings.models import Meeting
from channels.meetings.rules import IssueIn, LogMeeting, RaisedBy
from service.auth.permissions import Role
from service.storage.orm import FreeText, Provider, Submission
from tests.meetings.test_meetings_api import bearer, body
from tests.meetings.test_meetings_pages import FIRST, meeting_form, meeting_id_from

BENGALI = "বাগানের দরজা সারাদিন বন্ধ থাকে "   # "the garden door is locked all day " (31 characters)


def test_issues_within_the_stated_5000_character_limit_fit_in_the_form(services, homes, staff):
    """The page says an issue may have up to 5000 characters, but the whole form may be 64 KiB: two Bengali
    issues of 5000 characters (each 38 KB once the browser percent-encodes it) end in a 413 page, and
    everything typed is lost."""
    words = (BENGALI * 200)[:5000]
    staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": FIRST, "chosen": "1"})
    result = staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST, issues=[(words, "resident"), (words, "relative")]))
    assert result.status_code != 413, result.text[:500]
    assert meeting_id_from(result)


def test_no_41st_issue_box_is_offered_and_one_sent_anyway_is_refused_not_dropped(services, homes, staff):
    """"Add another issue" past 40 rows showed a 41st box; what was typed in it was silently not saved (it may
    be the disclosure)."""
    staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": FIRST, "chosen": "1"})
    issues = [(f"Issue number {n}: the lift is slow.", "resident") for n in range(40)]
    shown = staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST, issues=issues, button="add_issue"))
    assert shown.status_code == 422 and 'name="issue-40-text"' not in shown.text
    assert "One form holds 40 issues" in shown.text and 'name="issue-39-text"' in shown.text
    form = meeting_form(homes.alder, FIRST, issues=issues + [("The night carer hits me.", "resident")])
    refused = staff.post("/staff/meetings/new", form)
    assert refused.status_code == 422 and "One form holds 40 issues" in refused.text
    with services.session_factory() as session:
        assert session.scalar(select(Meeting.id)) is None


def test_the_api_refuses_a_blank_issue_as_the_page_does(client, services, homes):
    headers = bearer(services, Role.DATA_ENTRY)
    result = client.simulate_post("/api/v1/meetings", headers=headers,
                                  json=body(homes.alder, FIRST, issues=[{"text": "   \n ", "raised_by": "resident"}]))
    assert result.status_code == 422, result.text


def test_the_api_refuses_a_home_the_page_does_not_offer(client, services, homes):
    with services.session_factory.begin() as session:
        session.get(Provider, homes.birch).active = False
    result = client.simulate_post("/api/v1/meetings", headers=bearer(services, Role.DATA_ENTRY), json=body(homes.birch, FIRST))
    assert result.status_code == 422, result.text


def test_the_meetings_fingerprint_cannot_confirm_a_guess_of_erased_words(client, services, homes, admin_headers):
    """Erasure blanks the submission's request_fingerprint ("a hash of the body, which held the words"), but
    meetings.request_fingerprint is an unsalted SHA-256 of the log, erased words included: anyone who can read
    the meeting (date, home, counts, actions: all shown) can test a guess of the erased words against it."""
    secret = "My son takes my pension every week"
    document = body(homes.alder, FIRST, issues=[{"text": secret, "raised_by": "resident"}])
    created = client.simulate_post("/api/v1/meetings", json=document,
                                   headers={**bearer(services, Role.ENGAGEMENT), "Idempotency-Key": "k-1"}).json
    reference = created["issues"][0]["reference"]
    erased = client.simulate_post("/api/v1/privacy/erasures", json={"reference": reference}, headers=admin_headers)
    assert erased.status_code in (200, 201), erased.text
    with services.session_factory() as session:
        meeting = session.get(Meeting, created["id"])
        submission = session.get(Submission, meeting.issues[0].submission_id)
        words = session.scalar(select(FreeText.text).where(FreeText.submission_id == submission.id))
        assert secret not in words and submission.request_fingerprint is None   # the submission was erased
        a = document["actions"][0]
        from datetime import date
        from channels.meetings.rules import ActionIn
        guess = LogMeeting(provider_id=homes.alder, held_on=date.fromisoformat(FIRST), residents=6, relatives=2, staff=1,
                           issues=(IssueIn(secret, RaisedBy.RESIDENT),),
                           actions=(ActionIn(a["what"], a["owner"], date.fromisoformat(a["due_on"])),))
        assert meeting.request_fingerprint != service.log_fingerprint(guess), "the erased words are confirmed by the meeting's fingerprint"



def test_a_second_meeting_on_the_same_day_is_not_told_it_is_the_first(services, homes, staff):
    first = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, actions=[("Fix the lift", "Home manager", "2026-10-31")])))
    assert first
    form = staff.get("/staff/meetings/new", params={"provider_id": homes.alder, "held_on": FIRST, "chosen": "1"}).text
    assert "This is the first meeting logged for Alder Court care home" not in form, \
        "a meeting of this home on this day, with an open action, is already logged"
    assert "Another meeting of Alder Court care home on this day is logged already" in form


def test_the_meetings_page_lists_every_home_however_many_meetings(services, homes, staff):
    from datetime import date, timedelta
    with services.session_factory.begin() as session:
        start = date(2026, 11, 1)
        session.add_all([Meeting(provider_id=homes.alder, held_on=start - timedelta(days=n % 1500), residents_count=1,
                                 relatives_count=0, staff_count=0) for n in range(500)])
        session.add(Meeting(provider_id=homes.birch, held_on=start, residents_count=1, relatives_count=0, staff_count=0))
    page = staff.get("/staff/meetings").text
    assert "Birch Lodge care home</h2>" in page, "Birch Lodge's meeting is not listed, and the page does not say any were left out"
    assert "The latest 12 of 500 meetings" in page


def test_api_rule_errors_name_the_json_body_paths(client, services, homes):
    headers = bearer(services, Role.DATA_ENTRY)
    result = client.simulate_post("/api/v1/meetings", headers=headers, json=body(
        homes.alder, FIRST, actions=[{"what": "Fix the lift", "owner": "Home manager", "due_on": "2026-09-01"}]))
    assert result.status_code == 422
    fields = {e["field"] for e in result.json["errors"]}
    assert fields == {"actions.0.due_on"}, fields


def test_a_carried_action_keeps_the_age_of_its_words_for_retention(client, services, homes):
    """Retention cuts an action's words to their redacted form RETENTION_FREE_TEXT_MONTHS after they were written.
    A carried action is a copy of the words; dated the day it was carried, an action carried at each meeting
    kept the minute-taker's words verbatim for ever."""
    from datetime import timedelta
    from sqlalchemy import update
    from channels.meetings.models import MeetingAction
    from service.privacy.retention import apply_retention
    from service.storage.types import utcnow
    words = "Manager to look into Mr Brown saying the night carer Dave hits him"
    headers = bearer(services, Role.ENGAGEMENT)
    first = client.simulate_post("/api/v1/meetings", headers=headers, json=body(
        homes.alder, FIRST, issues=[], actions=[{"what": words, "owner": "Home manager", "due_on": "2026-10-15",
                                                 "not_about_harm": True}])).json
    [original] = first["actions"]
    with services.session_factory.begin() as session:   # written 30 months ago
        session.execute(update(MeetingAction).where(MeetingAction.id == original["id"]).values(created_at=utcnow() - timedelta(days=31 * 30)))
    second = client.simulate_post("/api/v1/meetings", headers=headers, json=body(
        homes.alder, "2026-11-01", issues=[], actions=[],
        follow_ups=[{"action_id": original["id"], "decision": "carried_forward"}])).json
    [copy] = second["actions"]
    with services.session_factory.begin() as session:
        apply_retention(session)
    with services.session_factory() as session:
        assert session.get(MeetingAction, original["id"]).what != words          # the original is cut
        assert session.get(MeetingAction, copy["id"]).what != words, "the carried copy keeps 30-month-old words verbatim"


def test_the_all_homes_list_keeps_every_home_past_500_rows(services, homes, staff):
    """Latest 12 of each home, but the overall limit of 500 rows still applied: 45 homes of 12 meetings are 540
    rows, and the homes last in the alphabet were left off the page without a word (second review)."""
    from datetime import date, timedelta
    with services.session_factory.begin() as session:
        for n in range(45):
            home = Provider(name=f"Home {n:02d}", type="care_home", area="Bolton")
            session.add(home)
            session.flush()
            session.add_all([Meeting(provider_id=home.id, held_on=date(2026, 11, 1) - timedelta(days=30 * m), residents_count=1,
                                     relatives_count=0, staff_count=0) for m in range(12)])
    page = staff.get("/staff/meetings").text
    assert "Home 44</h2>" in page


def test_a_resent_meeting_log_replays_across_a_change_of_key_and_from_before_keying(services, homes):
    """The fingerprint is an HMAC under SECRET_KEY: a resend after the key changed (the old key now in
    SECRET_KEY_PREVIOUS), or of a log stored with a plain hash before, is the same log, not a 409."""
    from datetime import date
    from sqlalchemy import update
    import hashlib
    command = LogMeeting(provider_id=homes.alder, held_on=date(2026, 10, 1), residents=3, relatives=0, staff=1,
                         issues=(IssueIn("The lift is slow", RaisedBy.RESIDENT),), form_key="user:1:abc")
    first = service.log_meeting(services.uow, command, today=date(2026, 11, 1), fingerprint_keys=("old-secret",))
    again = service.log_meeting(services.uow, command, today=date(2026, 11, 1), fingerprint_keys=("new-secret", "old-secret"))
    assert again.replayed and again.meeting_id == first.meeting_id
    with services.session_factory.begin() as session:   # as stored before keying
        session.execute(update(Meeting).values(request_fingerprint=hashlib.sha256(service._log_content(command)).hexdigest()))
    third = service.log_meeting(services.uow, command, today=date(2026, 11, 1), fingerprint_keys=("new-secret",))
    assert third.replayed and third.meeting_id == first.meeting_id


def test_the_api_takes_long_issues_in_any_script(client, services, homes):
    """The API read meeting logs under its usual 64 KiB: three 5,000-character Bengali issues were a 413."""
    words = (BENGALI * 200)[:5000]
    document = body(homes.alder, FIRST, issues=[{"text": words, "raised_by": "resident"}] * 3)
    result = client.simulate_post("/api/v1/meetings", headers=bearer(services, Role.DATA_ENTRY), json=document)
    assert result.status_code == 201, result.text[:300]


def test_the_api_takes_a_log_at_its_longest_with_emoji_escaped(client, services, homes):
    """An emoji (any character past U+FFFF) escaped as JSON does by default is 12 bytes: 70 issues of 5,000 were
    valid but over a limit counted at 6 bytes a character (413)."""
    import json
    document = body(homes.alder, FIRST, issues=[{"text": "🙂" * 5000, "raised_by": "resident"}] * 70)
    raw = json.dumps(document)   # ensure_ascii, as most clients send
    assert len(raw) > 4_000_000
    result = client.simulate_post("/api/v1/meetings", headers={**bearer(services, Role.DATA_ENTRY),
                                                               "Content-Type": "application/json"}, body=raw)
    assert result.status_code == 201, (result.status_code, result.text[:300])
