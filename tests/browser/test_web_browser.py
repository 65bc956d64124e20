"""The public pages in a real headless Chromium: keyboard-only submissions in English and Urdu, a
submission with JavaScript off, "Exit this page", axe-core on every page in every language and mode, and
screenshots of the start page (test-artifacts/web/)."""
from __future__ import annotations

import re

import pytest
import requests

from service.i18n import LANGUAGES
from tests.browser.conftest import ARTIFACTS, EXIT_URL, run_axe

pytestmark = pytest.mark.browser

OWN_WORDS = {
    "en": "The social worker listened to me.\nI felt safe again — thank you.",
    "ur": "سوشل ورکر نے میری بات سنی۔\nمیں اب محفوظ محسوس کرتا ہوں، شکریہ۔",
}
BETTER = {"en": "Ring me back sooner.", "ur": "مجھے جلدی واپس فون کریں۔"}


def press_tab_until(page, selector: str, limit: int = 120) -> None:
    """Move focus with the Tab key only, until the element matching `selector` has it."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement !== null && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def choose_radio(page, name: str, index: int) -> None:
    """Tab into a radio group, select its first option with Space, then move down with the arrow keys."""
    press_tab_until(page, f"input[type=radio][name='{name}']")
    page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("(n) => document.querySelector(`input[name='${n}']:checked`) !== null", name)


def press_button(page, selector: str) -> None:
    press_tab_until(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def csp_errors(page) -> list[str]:
    return [m for m in page.context.console_messages if "Content Security Policy" in m] if hasattr(page.context, "console_messages") else []


def find_submission(live_server, api_headers, reference: str) -> dict:
    listing = requests.get(f"{live_server.base_url}/api/v1/submissions", params={"channel": "web", "limit": 100},
                           headers=api_headers, timeout=10).json()
    matches = [item for item in listing["items"] if item["reference"] == reference]
    assert matches, f"{reference} not found through the API"
    return matches[0]


@pytest.mark.parametrize("language", ["en", "ur"])
def test_keyboard_only_submission(new_context, live_server, api_headers, language):
    context = new_context()
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"/?lang={language}&mode=standard")
    assert page.get_attribute("html", "lang") == language
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ur" else "ltr")

    # The first Tab shows the skip link.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")

    press_button(page, "a.button--start")
    # Page 1: the questionnaire.
    choose_radio(page, "asked_outcomes", 0)      # yes_expressed
    choose_radio(page, "outcomes_met", 1)        # some
    choose_radio(page, "listened_to", 0)         # yes
    choose_radio(page, "in_control", 1)          # a_bit
    choose_radio(page, "understood", 2)          # no
    choose_radio(page, "feel_safer", 0)          # a_lot_safer
    choose_radio(page, "respected", 0)           # yes
    press_tab_until(page, "#own_words")
    first_line, second_line = OWN_WORDS[language].split("\n")
    page.keyboard.type(first_line)
    page.keyboard.press("Enter")
    page.keyboard.type(second_line)
    press_tab_until(page, "#better")
    page.keyboard.type(BETTER[language])
    press_button(page, "form#flow button.button[value=continue]")
    # Page 2: who is answering, consent.
    choose_radio(page, "respondent", 0)          # person
    choose_radio(page, "consent", 1)             # anonymous
    press_button(page, "form#flow button.button[value=continue]")
    # Page 3: contact. First a mistake, to meet the error summary.
    choose_radio(page, "contact", 0)             # sms
    choose_radio(page, "contact_safe", 0)        # yes
    press_tab_until(page, "#phone")
    page.keyboard.type("12")
    press_button(page, "form#flow button.button[value=continue]")
    assert page.locator(".error-summary[role=alert]").is_visible()
    assert page.title().startswith("غلطی:" if language == "ur" else "Error:")
    # With JavaScript, the summary has focus; Tab reaches its link, Enter moves to the field.
    press_tab_until(page, ".error-summary a[href='#phone']")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "phone"
    assert page.input_value("#phone") == "12"      # what was typed is kept
    page.keyboard.press("Control+A")
    page.keyboard.type("07700 900982")
    press_button(page, "form#flow button.button[value=continue]")
    # Page 4: needs and case reference.
    press_tab_until(page, "#needs-large_print")
    page.keyboard.press("Space")
    press_tab_until(page, "#case_reference")
    page.keyboard.type("REF-42")
    press_button(page, "form#flow button.button[value=continue]")
    # Check your answers, then send.
    assert page.locator("h1").inner_text().strip() != ""
    assert first_line in page.locator(".summary-list").inner_text()
    press_button(page, "button[value=send]")
    reference = page.locator("#reference").inner_text().strip()
    assert re.fullmatch(r"MSP-[A-Z0-9]{4}-[A-Z0-9]{4}", reference), reference
    assert "999" in page.locator("main").inner_text()
    assert not [m for m in console if "Content Security Policy" in m], console

    item = find_submission(live_server, api_headers, reference)
    assert item["language"] == language and item["channel"] == "web"
    assert item["answers"] == {"asked_outcomes": "yes_expressed", "outcomes_met": "some", "listened_to": "yes",
                               "in_control": "a_bit", "understood": "no", "feel_safer": "a_lot_safer", "respected": "yes"}
    # Verbatim: the browser sends a textarea's line break as CRLF (HTML form rules); nothing else changes.
    assert item["texts"] == {"own_words": OWN_WORDS[language].replace("\n", "\r\n"), "better": BETTER[language]}
    assert item["respondent"] == "person" and item["consent"] == "anonymous"
    assert item["contact"] == {"preference": "sms", "safe_to_contact": True, "has_details": True}
    assert item["communication_needs"] == ["large_print"] and item["case_reference"] == "REF-42"


def test_submission_with_javascript_off(new_context, live_server, api_headers):
    context = new_context(javascript=False)
    page = context.new_page()
    page.goto("/?lang=pl&mode=easy")
    assert page.get_attribute("html", "lang") == "pl"
    # Without JavaScript the exit control is still a plain link to the neutral site.
    assert page.get_attribute("#exit-this-page", "href") == EXIT_URL
    page.click("a.button--start")
    steps = 0
    while page.locator("button[value=send]").count() == 0:
        if page.locator("input[name=listened_to]").count():
            page.check("#listened_to-a_bit")
        if page.locator("#own_words").count():
            page.fill("#own_words", "Bez JavaScriptu też działa. Zażółć gęślą jaźń.")
        if page.locator("input[name=contact]").count():
            page.check("#contact-none")
        page.click("form#flow button.button[value=continue]")
        steps += 1
        assert steps < 30
    page.click("button[value=send]")
    reference = page.locator("#reference").inner_text().strip()
    item = find_submission(live_server, api_headers, reference)
    assert item["language"] == "pl"
    assert item["answers"] == {"listened_to": "a_bit"}
    assert item["texts"] == {"own_words": "Bez JavaScriptu też działa. Zażółć gęślą jaźń."}
    assert item["contact"]["preference"] == "none"


def test_exit_this_page(new_context):
    context = new_context()
    page = context.new_page()
    page.goto("/")
    page.click("a.button--start")
    page.wait_for_load_state("load")  # the Shift-key shortcut is app.js's: wait until it has run
    page.fill("#own_words", "something private")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    # location.replace: the form page is not in the history, so Back does not return to it.
    page.go_back()
    assert "/feedback" not in page.url
    # The link itself leaves too.
    page = context.new_page()
    page.goto("/?lang=ar")
    page.click("#exit-this-page")
    page.wait_for_url(EXIT_URL)


def walk_all_pages(page, check):
    """Visit every page of the form (with one error summary on the way) and call check(page) on each."""
    page.wait_for_load_state()
    check(page)                                   # start page
    page.click("a.button--start")
    seen_error = False
    for _ in range(40):
        check(page)
        if page.locator("button[value=send]").count():
            break
        if page.locator("input[name=contact]").count():
            page.check("#contact-email")
        if page.locator("#email").count() and not seen_error:
            page.fill("#email", "not-an-email")
            page.click("form#flow button.button[value=continue]")
            page.locator(".error-summary").wait_for(timeout=15_000)   # the post's answer, however busy the machine
            assert page.locator(".error-summary").count() == 1
            check(page)                           # the error summary state
            seen_error = True
            page.fill("#email", "name@example.org")
        page.click("form#flow button.button[value=continue]")
    page.click("button[value=send]")
    check(page)                                   # confirmation


@pytest.mark.parametrize("mode", ["standard", "easy"])
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_axe_finds_no_wcag_violations(new_context, language, mode):
    context = new_context(bypass_csp=True)        # axe-core is injected as a script
    page = context.new_page()
    page.goto(f"/?lang={language}&mode={mode}")
    failures: dict[str, list] = {}
    pages = []

    def check(current):
        current.wait_for_load_state("load")       # styles applied before sizes are measured
        pages.append(current.title())
        assert current.get_attribute("html", "lang") == language
        assert current.get_attribute("html", "dir") == ("rtl" if language in ("ur", "ar") else "ltr")
        violations = run_axe(current)
        if violations:
            failures[f"{current.title()} ({current.url})"] = violations

    walk_all_pages(page, check)
    assert len(pages) >= (18 if mode == "easy" else 8)
    assert not failures, "\n".join(f"{title}: {violations}" for title, violations in failures.items())


def test_easy_read_text_size_and_targets(new_context):
    context = new_context()
    page = context.new_page()
    page.goto("/?lang=en&mode=easy")
    page.click("a.button--start")
    page.wait_for_load_state("load")             # click() does not wait for the stylesheet
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.radios__label')).fontSize)")
    assert size >= 19
    for selector in (".radios__input", ".radios__label", "form#flow button.button", ".mode-switch .link-button"):
        box = page.locator(selector).first.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (selector, box)
    # The picture is on the left of the words (left-to-right), and on the right in Urdu.
    picture = page.locator(".pictogram").first.bounding_box()
    words = page.locator("legend").first.bounding_box()
    assert picture["x"] + picture["width"] <= words["x"] + 1
    page.goto("/feedback?lang=ur&mode=easy")
    picture = page.locator(".pictogram").first.bounding_box()
    words = page.locator("legend").first.bounding_box()
    assert words["x"] + words["width"] <= picture["x"] + 1


def test_screenshots_of_the_start_page(new_context):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = new_context()
    page = context.new_page()
    shots = {"start-en.png": "/?lang=en&mode=standard", "start-ur.png": "/?lang=ur&mode=standard",
             "start-easy-read-en.png": "/?lang=en&mode=easy", "start-easy-read-ur.png": "/?lang=ur&mode=easy"}
    for name, url in shots.items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        assert (ARTIFACTS / name).stat().st_size > 10_000
