"""Data entry may log and look over any home's meetings, but a possible disclosure is for the safeguarding duty
team: an issue's words are shown to data entry (page and API) only once the text check has read them and found
nothing urgent — the rule of the provider view (service.analysis.checked_and_not_urgent). Not yet checked, a
check that failed, words in a script the check cannot read waiting for a person's translation, and words it
flagged are all withheld, each with a note saying why (audit staffpages F3). The duty team and the engagement
group read every issue verbatim."""
from __future__ import annotations

from sqlalchemy import select

from channels.meetings import service
from channels.meetings.models import MeetingIssue
from service.auth.permissions import Role
from service.storage.orm import FreeText, OutboxMessage, Submission, TextAnnotation
from tests.meetings.conftest import signed_in
from tests.meetings.test_meetings_api import bearer
from tests.meetings.test_meetings_audit_and_bidi import view_events
from tests.meetings.test_meetings_pages import FIRST, meeting_form, meeting_id_from

CALM = "The tea is always cold by the time it gets to the lounge."
# "I need help, the night carer hits me" in Tamil: a script the check cannot read, so it waits for a person.
TAMIL = "எனக்கு உதவி தேவை, இரவு பராமரிப்பாளர் என்னை அடிக்கிறார்"
DISCLOSURE = "My son takes my pension every week and says he will put me in a home if I tell anyone."
WAITING = "Not shown yet: the safeguarding check has not read these words"
WITH_DUTY_TEAM = "Not shown: these words may tell of harm, and have gone to the safeguarding duty team."


def submission_of(services, meeting_id: int, words: str) -> str:
    with services.session_factory() as session:
        return session.scalar(select(FreeText.submission_id).join(MeetingIssue, MeetingIssue.submission_id == FreeText.submission_id)
                              .where(MeetingIssue.meeting_id == meeting_id, FreeText.text == words))


def api_issues(client, headers, meeting_id: int) -> dict[str, tuple[str, str | None]]:
    answer = client.simulate_get(f"/api/v1/meetings/{meeting_id}", headers=headers)
    assert answer.status_code == 200, answer.text
    return {issue["submission_id"]: (issue["text"], issue["withheld"]) for issue in answer.json["issues"]}


def test_data_entry_sees_an_issue_only_once_the_check_has_read_it_and_found_nothing_urgent(client, services, homes, staff, text_check):
    meeting_id = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(
        homes.alder, FIRST, issues=[(CALM, "resident"), (TAMIL, "resident"), (DISCLOSURE, "relative")])))
    calm, tamil, disclosure = (submission_of(services, meeting_id, words) for words in (CALM, TAMIL, DISCLOSURE))
    data_entry = bearer(services, Role.DATA_ENTRY)

    # Not yet checked: nothing is shown to data entry, on the page or in the API, and no view of words is recorded.
    page = staff.get(f"/staff/meetings/{meeting_id}").text
    assert CALM not in page and TAMIL not in page and "pension" not in page
    assert page.count(WAITING) == 3
    assert {words for words, _ in api_issues(client, data_entry, meeting_id).values()} == {service.WAITING_FOR_CHECK}
    assert {why for _, why in api_issues(client, data_entry, meeting_id).values()} == {"awaiting_check"}
    assert view_events(services, target_id=meeting_id) == []

    # Read: the calm issue is shown; the Tamil one waits for a person's translation; the disclosure is the duty team's.
    text_check()
    with services.session_factory() as session:
        reading = session.scalar(select(TextAnnotation).join(FreeText).where(FreeText.submission_id == tamil))
        assert (reading.language, reading.translation_status) == ("und", "queued")
        assert session.get(Submission, disclosure).urgent and not session.get(Submission, tamil).urgent
    page = staff.get(f"/staff/meetings/{meeting_id}").text
    assert CALM in page and TAMIL not in page and "pension" not in page
    assert page.count(WAITING) == 1 and page.count(WITH_DUTY_TEAM) == 1
    assert api_issues(client, data_entry, meeting_id) == {
        calm: (CALM, None), tamil: (service.WAITING_FOR_CHECK, "awaiting_check"), disclosure: (service.PASSED_TO_DUTY_TEAM, "duty_team")}
    # The views name only the words they showed.
    assert [event.detail["submission_ids"] for event in view_events(services, target_id=meeting_id)] == [[calm], [calm]]

    # The duty team and the engagement group read every issue, the unread and the flagged ones too.
    for role in (Role.DUTY_TEAM, Role.ENGAGEMENT):
        assert api_issues(client, bearer(services, role), meeting_id) == {
            calm: (CALM, None), tamil: (TAMIL, None), disclosure: (DISCLOSURE, None)}
    duty = signed_in(client, services, "duty@example.org", Role.DUTY_TEAM).get(f"/staff/meetings/{meeting_id}").text
    assert CALM in duty and TAMIL in duty and "pension" in duty and WAITING not in duty

    # A person translates the Tamil: the check reads it, finds a disclosure, and it goes to the duty team.
    with services.session_factory() as session:
        tamil_text = session.scalar(select(FreeText.id).where(FreeText.submission_id == tamil))
    typed = client.simulate_post(f"/api/v1/texts/{tamil_text}/translation", json={"translation": "I need help, the night carer hits me."},
                                 headers=bearer(services, Role.DUTY_TEAM))
    assert typed.status_code == 201, typed.text
    assert api_issues(client, data_entry, meeting_id)[tamil] == (service.PASSED_TO_DUTY_TEAM, "duty_team")
    assert TAMIL not in staff.get(f"/staff/meetings/{meeting_id}").text


def test_an_issue_whose_check_failed_stays_withheld_from_data_entry(client, services, homes, staff, text_check):
    def broken(_settings):
        raise RuntimeError("model file corrupt")

    meeting_id = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST, issues=[(CALM, "resident")])))
    loaded, services.pipelines._pipeline, services.pipelines.loader = services.pipelines._pipeline, None, broken
    status = "pending"
    for _ in range(20):                     # every try fails, until the task gives up
        text_check()
        with services.session_factory.begin() as session:
            task = session.scalar(select(OutboxMessage).where(OutboxMessage.purpose == "analyse_text"))
            task.next_attempt_at, status = task.created_at, task.status
        if status == "failed":
            break
    assert status == "failed"
    with services.session_factory() as session:
        assert session.scalar(select(TextAnnotation.id)) is None
    page = staff.get(f"/staff/meetings/{meeting_id}").text
    assert CALM not in page and WAITING in page
    [(words, why)] = api_issues(client, bearer(services, Role.DATA_ENTRY), meeting_id).values()
    assert (words, why) == (service.WAITING_FOR_CHECK, "awaiting_check")

    # Read again once the model works: shown.
    from service.analysis import queue_reanalysis

    services.pipelines.loader, services.pipelines._pipeline = None, loaded
    with services.session_factory.begin() as session:
        assert queue_reanalysis(session, "any-model") == 1
    text_check()
    assert CALM in staff.get(f"/staff/meetings/{meeting_id}").text
