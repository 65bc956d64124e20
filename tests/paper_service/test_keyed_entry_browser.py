"""Keyed entry in a real headless Chromium against the real service under gunicorn (Debian's Chromium,
the site's CSP enforced): a data-entry member of staff signs in, scans the QR code of a returned form (a
USB scanner types its payload and Enter), keys every answer with one key each and types the written
answer, with the keyboard only; the submission is checked in the database. Then the same without
JavaScript (Tab and arrow keys), a second keying of the same sheet (refused, nothing stored), and axe-core
on the keyed-entry form. And a stray Enter, or the next sheet's QR code scanned into an open form, stores
nothing."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from channels.paper.models import PaperPage
from channels.paper.store import DatabasePaperStore
from easy_read.paper.layout import build_layout
from easy_read.paper.render import new_sheet_id, qr_payload
from easy_read.paper.store import SheetRecord
from service.auth.permissions import Role
from service.auth.users import create_user
from service.storage.orm import FreeText, OutboxMessage, Provider, Submission
from tests.browser.conftest import run_axe

pytestmark = pytest.mark.browser

EMAIL = "keyer@example.org"
PASSWORD = "correct horse battery staple"
WORDS = "The social worker listened.\nBut nobody rang me back for two weeks."


@pytest.fixture
def seeded(live_services):
    with live_services.session_factory.begin() as session:
        home = Provider(name="Alder Court care home", type="care_home", area="Bolton")
        session.add(home)
        create_user(session, email=EMAIL, role=Role.DATA_ENTRY.value, display_name="Keyer", password=PASSWORD)
        session.flush()
        provider_id = home.id
    store = DatabasePaperStore(live_services.session_factory)
    sheets = []
    for language in ("ur", "en"):
        layout = build_layout("msp", 1, language)
        sheet = SheetRecord(sheet_id=new_sheet_id(), form_id="msp", form_version=1, language=language,
                            pages=len(layout.pages), case_ref="SAB-2026-0142", provider_id=str(provider_id),
                            layout_fingerprint=layout.fingerprint())
        store.register_sheet(sheet)
        sheets.append(sheet)
    return {"provider_id": provider_id, "urdu": sheets[0], "english": sheets[1]}


def sign_in(page) -> None:
    page.goto("/staff/paper/key")
    assert page.url.endswith("/staff/sign-in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def only(session, sheet_id: str) -> Submission:
    return session.scalar(select(Submission).where(Submission.idempotency_key == f"paper:{sheet_id}"))


def test_key_a_form_with_the_keyboard_only(with_chromium, live_services, seeded):
    urdu, english = seeded["urdu"], seeded["english"]
    seen: dict[str, object] = {}

    def steps(new_context) -> None:
        page = new_context().new_page()
        errors: list[str] = []
        # Script errors and CSP refusals (not "Failed to load resource": the 409 page and the favicon's 404).
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Failed to load resource" not in m.text else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(page)
        page.goto("/staff/paper/key")
        # The sheet id field has the focus: the USB scanner "types" the QR payload, then Enter.
        page.wait_for_function("document.activeElement && document.activeElement.id === 'sheet'")
        page.keyboard.type(qr_payload("msp", 1, "ur", 2, urdu.sheet_id))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "Urdu" in page.content() and "Alder Court care home" in page.content()
        # One key per answer; the next question comes up by itself.
        assert page.evaluate("document.activeElement.name") == "answer-respondent"
        for key in ("1", "2", "0", "1", "2", "3", "1", "2"):   # respondent, asked_outcomes ... respected
            page.keyboard.press(key)
        assert page.evaluate("document.activeElement.id") == "text-own_words"
        page.keyboard.type(WORDS)
        page.keyboard.press("Tab")                               # "What could we do better?": nothing written
        page.keyboard.press("Tab")                               # to the consent question
        assert page.evaluate("document.activeElement.name") == "answer-consent"
        page.keyboard.press("2")
        assert page.evaluate("document.activeElement.id") == "save"
        with page.expect_navigation():
            page.keyboard.press("Enter")
        status = page.get_by_role("status").inner_text()
        assert "Saved as feedback MSP-" in status
        seen["reference"] = status.split("feedback ")[1].split(".")[0]
        page.wait_for_function("document.activeElement && document.activeElement.id === 'sheet'")  # ready for the next form

        # The same sheet again: a clear message, nothing stored twice.
        page.keyboard.type(urdu.sheet_id)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "This form is already in" in page.get_by_role("alert").inner_text()
        assert seen["reference"] in page.get_by_role("alert").inner_text()
        page.wait_for_function("document.activeElement && document.activeElement.id === 'sheet'")  # scan the next one
        assert errors == [], errors

        # Without JavaScript: Tab between questions, arrow keys to choose.
        page = new_context(java_script_enabled=False).new_page()
        sign_in(page)
        page.goto(f"/staff/paper/key?sheet={english.sheet_id}")
        page.locator("#answer-respondent").focus()              # "1" is the first answer of the group
        page.keyboard.press("Space")                             # picks the focused radio: the person
        page.keyboard.press("Tab")                               # asked_outcomes: nothing chosen, on its first answer
        for _ in range(3):
            page.keyboard.press("ArrowDown")                     # the fourth answer: Don't know
        for question in ("outcomes_met", "listened_to", "in_control", "understood", "feel_safer", "respected", "consent"):
            page.keyboard.press("Tab")
            if question == "consent":                            # past the two written answers: nothing written
                page.keyboard.press("Tab")
                page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.name") == f"answer-{question}"
            page.keyboard.press("ArrowUp")                       # up from the first answer: the last, "Not answered"
        with page.expect_navigation():
            page.keyboard.press("Enter")                         # without JavaScript Enter sends the form
        assert "Saved as feedback MSP-" in page.get_by_role("status").inner_text()

        # axe-core on the keyed-entry form (CSP bypassed only to inject axe).
        checker = new_context(bypass_csp=True).new_page()
        sign_in(checker)
        checker.goto("/staff/paper/key")
        seen["axe_start"] = run_axe(checker)
        checker.goto(f"/staff/paper/key?sheet={seeded['english'].sheet_id}")   # already keyed: the message
        seen["axe_already"] = run_axe(checker)

    with_chromium(steps)

    assert seen["axe_start"] == [] and seen["axe_already"] == [], json.dumps(seen, default=str, indent=1)
    with live_services.session_factory() as session:
        submission = only(session, urdu.sheet_id)
        assert submission.reference == seen["reference"]
        assert (submission.channel, submission.language, submission.case_reference, submission.provider_id) == (
            "paper", "ur", "SAB-2026-0142", seeded["provider_id"])
        assert submission.respondent == "person" and submission.consent == "anonymous"
        assert submission.answers == {"asked_outcomes": "yes_not_expressed", "listened_to": "yes", "in_control": "a_bit",
                                      "understood": "no", "feel_safer": "a_lot_safer", "respected": "a_bit"}
        [text] = session.scalars(select(FreeText).where(FreeText.submission_id == submission.id))
        # Verbatim, as the browser sent it (HTML forms send a textarea's line breaks as CRLF; the web channel
        # stores them the same way).
        assert (text.question_id, text.text) == ("own_words", WORDS.replace("\n", "\r\n"))
        assert session.scalar(select(OutboxMessage.purpose).where(OutboxMessage.submission_id == submission.id)) == "analyse_text"
        assert len(list(session.scalars(select(PaperPage).where(PaperPage.sheet_id == urdu.sheet_id)))) == urdu.pages
        assert len(list(session.scalars(select(Submission)))) == 2
        second = only(session, english.sheet_id)
        assert second.respondent == "person" and second.answers == {"asked_outcomes": "dont_know"}


def test_a_stray_enter_or_a_scan_into_an_open_form_stores_nothing(with_chromium, live_services, seeded):
    """Staff pages audit F1: "Not answered" used to be pre-chosen for every question and Enter on a question
    sent the form, so one Enter stored an empty return and the sheet could never be keyed in again."""
    english = seeded["english"]
    seen: dict[str, object] = {}

    def steps(new_context) -> None:
        page = new_context().new_page()
        sign_in(page)
        page.goto(f"/staff/paper/key?sheet={english.sheet_id}")
        page.wait_for_function("document.activeElement && document.activeElement.name === 'answer-respondent'")
        seen["checked"] = page.locator("input[type=radio]:checked").count()
        page.keyboard.press("Enter")                             # on the first question: nothing is sent
        page.keyboard.press("1")                                 # the person; on to asked_outcomes
        page.keyboard.press("Enter")
        page.wait_for_timeout(600)
        seen["after_enter"] = (page.url, page.evaluate("document.activeElement.name"))
        # The USB scanner types the next sheet's QR code and Enter into this form: its digits choose nothing.
        page.keyboard.type(qr_payload("msp", 1, "en", 2, "7K2M9QX4TB"), delay=5)
        page.keyboard.press("Enter")
        page.wait_for_timeout(600)
        seen["after_scan"] = (page.url, page.evaluate("document.activeElement.name"))
        seen["chosen"] = page.evaluate("Array.from(document.querySelectorAll('input[type=radio]:checked'), r => r.name + '=' + r.value)")
        seen["warning"] = page.locator("#keyed-scan-warning").inner_text()
        # Sent anyway (the Save button): refused with the error summary, what was keyed is kept.
        with page.expect_navigation():
            page.locator("#save").click()
        seen["summary"] = page.get_by_role("alert").inner_text()
        seen["kept"] = page.evaluate("Array.from(document.querySelectorAll('input[type=radio]:checked'), r => r.name + '=' + r.value)")

    with_chromium(steps)

    assert seen["checked"] == 0
    assert seen["after_enter"][0].endswith(f"/staff/paper/key?sheet={english.sheet_id}")
    assert seen["after_enter"][1] == "answer-asked_outcomes"
    assert seen["after_scan"] == seen["after_enter"], seen
    assert seen["chosen"] == ["answer-respondent=person"], seen
    assert "looked like a scanned sheet id" in seen["warning"]
    assert "There is a problem" in seen["summary"] and "Did you understand what was happening?" in seen["summary"]
    assert seen["kept"] == ["answer-respondent=person"]
    with live_services.session_factory() as session:
        assert list(session.scalars(select(Submission))) == []
        assert list(session.scalars(select(PaperPage))) == []
