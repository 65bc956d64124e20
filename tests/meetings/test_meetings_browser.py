"""The meeting log in a real headless Chromium against the real service under gunicorn: sign in as a
member of staff, log a residents' meeting with two issues and one action, then log the next meeting of
the same home, see that action offered there, carry it forward, and check the link in the database.
JavaScript is off (the pages need none) and the site's CSP is enforced. axe-core checks every page.
Reflow (WCAG 1.4.10): an action with a very long word fits a 320 CSS px screen on every page showing it."""
from __future__ import annotations

import json
import re

import pytest
from datetime import date

from sqlalchemy import select

from channels.meetings import service
from channels.meetings.models import Meeting, MeetingAction
from channels.meetings.rules import ActionIn, LogMeeting
from service.auth.permissions import Role
from service.auth.users import create_user
from service.storage.orm import Provider, Submission
from tests.browser.conftest import REPO_ROOT, run_axe
from tests.browser.test_web_reflow import WIDTH, too_wide
from tests.meetings.conftest import PASSWORD

pytestmark = pytest.mark.browser

ARTIFACTS = REPO_ROOT / "test-artifacts" / "meetings"
EMAIL = "minutes@example.org"
ISSUE_1 = "The tea is always cold by the time it reaches the lounge."
ISSUE_2 = "My dad's hearing aid went missing in the laundry — nobody has looked for it."
ACTION = "Ask the kitchen for a heated trolley"


@pytest.fixture
def seeded(live_services):
    with live_services.session_factory.begin() as session:
        alder = Provider(name="Alder Court care home", type="care_home", area="Bolton")
        birch = Provider(name="Birch Lodge care home", type="care_home", area="Bolton")
        session.add_all([alder, birch])
        create_user(session, email=EMAIL, role=Role.DATA_ENTRY.value, display_name="Minutes taker", password=PASSWORD)
        session.flush()
        return {"alder": alder.id, "birch": birch.id}


def sign_in(page) -> None:
    page.goto("/staff/meetings")
    assert page.url.endswith("/staff/sign-in")            # not signed in: sent to the sign-in page
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def choose_home_and_date(page, home: str, held_on: str) -> None:
    page.get_by_label("Home").select_option(label=f"{home} (Bolton)")
    page.get_by_label("Date of the meeting").fill(held_on)
    submit(page, "Continue")


def fill_counts(page, residents: str, relatives: str, staff: str) -> None:
    page.get_by_label("Residents", exact=True).fill(residents)
    page.get_by_label("Relatives and friends").fill(relatives)
    page.get_by_label("Members of staff").fill(staff)


def test_log_a_meeting_then_carry_its_action_to_the_next_meeting(with_chromium, live_services, seeded):
    ids = {}
    with_chromium(lambda new_context: log_two_meetings(new_context, ids))

    # In the database: the action of the first meeting is closed as carried forward, and the second meeting
    # has an open action linked to it. The issues are channel `meeting` submissions about the home.
    with live_services.session_factory() as session:
        first = session.get(Meeting, ids["first"])
        [old] = first.actions
        assert (old.what, old.status, old.closed_in_meeting_id) == (ACTION, "carried_forward", ids["second"])
        [new] = session.scalars(select(MeetingAction).where(MeetingAction.meeting_id == ids["second"])).all()
        assert (new.what, new.owner, new.status, new.carried_from_action_id) == (ACTION, "Home manager", "open", old.id)
        assert [i.raised_by for i in first.issues] == ["resident", "relative"]
        for issue, words in zip(first.issues, (ISSUE_1, ISSUE_2)):
            submission = session.get(Submission, issue.submission_id)
            assert (submission.channel, submission.provider_id) == ("meeting", seeded["alder"])
            assert submission.texts[0].text == words


def log_two_meetings(new_context, ids: dict) -> None:
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    sign_in(page)

    # The first meeting: two issues and one action.
    page.goto("/staff/meetings")
    with page.expect_navigation():
        page.get_by_role("link", name="Log a residents’ meeting").click()
    choose_home_and_date(page, "Alder Court care home", "2026-10-01")
    assert page.get_by_role("heading", level=1).inner_text() == "Residents’ meeting at Alder Court care home"
    assert "no earlier actions to follow up" in page.content()
    fill_counts(page, "9", "4", "2")
    page.locator("#issue-0-text").fill(ISSUE_1)
    page.locator("#issue-0-raised_by").check()                       # a resident
    # "Add another issue" (no JavaScript: the form comes back with one more row, keeping what was typed)
    submit(page, "Add another issue")
    assert page.locator("#issue-0-text").input_value() == ISSUE_1
    assert page.locator("#issue-0-raised_by").is_checked()
    assert page.locator("#issue-3-text").count() == 1
    page.locator("#issue-1-text").fill(ISSUE_2)
    page.get_by_label("A relative").nth(1).check()
    page.locator("#action-0-what").fill(ACTION)
    page.locator("#action-0-owner").fill("Home manager")
    page.locator("#action-0-due_on").fill("2026-10-31")
    submit(page, "Save the meeting")

    assert re.search(r"/staff/meetings/\d+\?saved=1$", page.url), page.url
    first_id = int(re.search(r"/staff/meetings/(\d+)", page.url).group(1))
    assert page.get_by_role("status").inner_text().strip() == "The meeting is saved."
    # Data entry reads the issues once the text check has read them (no worker runs here): a note says so.
    issues_table = page.get_by_role("table", name="Issues raised at this meeting").inner_text()
    assert ISSUE_1 not in issues_table and issues_table.count("the safeguarding check has not read these words") == 2
    assert ACTION in page.get_by_role("table", name="Actions of this meeting").inner_text()

    # The next meeting of the same home offers the open action.
    with page.expect_navigation():
        page.get_by_role("link", name="Log the next meeting at Alder Court care home").click()
    page.get_by_label("Date of the meeting").fill("2026-11-01")
    submit(page, "Continue")
    follow_up = page.get_by_role("group", name=re.compile(re.escape(ACTION)))
    assert follow_up.count() == 1
    assert "the meeting on 1 October 2026" in page.content()
    fill_counts(page, "7", "1", "2")
    # Saving without a decision is refused, with the error summary linking to the question.
    submit(page, "Save the meeting")
    summary = page.get_by_role("alert")
    assert "was done or is carried forward" in summary.inner_text()
    assert page.locator("#residents").input_value() == "7"           # typed values kept
    follow_up.get_by_label("Not done yet: carry it forward to this meeting").check()
    submit(page, "Save the meeting")
    assert re.search(r"/staff/meetings/\d+\?saved=1$", page.url), page.url
    second_id = int(re.search(r"/staff/meetings/(\d+)", page.url).group(1))
    actions_text = page.get_by_role("table", name="Actions of this meeting").inner_text()
    assert ACTION in actions_text and "carried forward from the meeting on 1 October 2026" in actions_text

    assert not [m for m in console if "Content Security Policy" in m], console
    ids.update(first=first_id, second=second_id)


def test_meeting_pages_pass_axe(with_chromium, live_services, seeded):
    """axe-core (WCAG 2.2 AA tags) on each meeting page, including one showing errors."""
    with_chromium(lambda new_context: check_pages_with_axe(new_context, seeded))


def check_pages_with_axe(new_context, seeded) -> None:
    context = new_context(bypass_csp=True)      # axe-core is injected as a script
    page = context.new_page()
    sign_in(page)
    results = {}
    page.goto(f"/staff/meetings/new?provider_id={seeded['alder']}")
    results["choose"] = run_axe(page)
    choose_home_and_date(page, "Alder Court care home", "2026-10-01")
    results["form"] = run_axe(page)
    page.locator("#issue-0-text").fill(ISSUE_1)
    page.locator("#action-0-what").fill(ACTION)
    submit(page, "Save the meeting")
    assert page.get_by_role("alert").count() == 1
    results["form with errors"] = run_axe(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "form-with-errors.png"), full_page=True)
    fill_counts(page, "3", "0", "1")
    page.locator("#issue-0-raised_by-staff").check()
    page.locator("#action-0-owner").fill("Home manager")
    page.locator("#action-0-due_on").fill("2026-10-31")
    submit(page, "Save the meeting")
    assert "/staff/meetings/" in page.url and "saved=1" in page.url
    results["meeting"] = run_axe(page)
    page.screenshot(path=str(ARTIFACTS / "meeting.png"), full_page=True)
    page.goto("/staff/meetings")
    results["list"] = run_axe(page)
    page.goto(f"/staff/meetings/new?provider_id={seeded['alder']}&held_on=2026-11-01")
    results["next meeting with an open action"] = run_axe(page)
    page.screenshot(path=str(ARTIFACTS / "next-meeting.png"), full_page=True)
    failing = {name: v for name, v in results.items() if v}
    assert failing == {}, json.dumps(failing, indent=1)


LONG_WORD = "x" * 300


def test_an_action_with_a_very_long_word_fits_a_320_pixel_screen(with_chromium, live_services, seeded):
    """A fieldset is as wide as its widest word by default: a long word in an earlier action pushed the
    Done / Not done radios (and the meeting page's actions table) off the screen (audit staffpages F4)."""
    logged = service.log_meeting(live_services.uow, LogMeeting(
        provider_id=seeded["alder"], held_on=date(2026, 10, 1), residents=3, relatives=0, staff=1,
        actions=(ActionIn(what=f"Fix the {LONG_WORD}", owner="Home-" + "y" * 150, due_on=date(2026, 10, 31)),), created_by="t"))
    with_chromium(lambda new_context: check_reflow(new_context, seeded["alder"], logged.meeting_id))


def check_reflow(new_context, home: int, meeting_id: int) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    failures = []
    page.goto(f"/staff/meetings/new?provider_id={home}&held_on=2026-11-01")
    follow_up = page.get_by_role("group", name=re.compile("Fix the x"))
    assert follow_up.count() == 1
    failures += too_wide(page)
    # The question and its answers are on the screen, where a keyboard user choosing one can read them.
    for part in (follow_up, follow_up.get_by_label("Done", exact=True), follow_up.get_by_text("Done", exact=True),
                 follow_up.get_by_text("Not done yet: carry it forward to this meeting")):
        box = part.bounding_box()
        assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= WIDTH, (part, box)
    submit(page, "Save the meeting")                   # no decision: the error summary quotes the action too
    assert "was done or is carried forward" in page.get_by_role("alert").inner_text()
    failures += too_wide(page)
    page.goto(f"/staff/meetings/{meeting_id}")
    assert LONG_WORD in page.get_by_role("table", name="Actions of this meeting").inner_text()
    failures += too_wide(page)
    assert not failures, failures
