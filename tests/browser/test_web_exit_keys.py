"""The "Exit this page" keyboard shortcut: the Shift key pressed 3 times on its own, as in the GOV.UK
Design System (govuk-frontend's ExitThisPage), never the Escape key.

Escape is pressed all the time by people who must not lose their words: screen readers (JAWS, NVDA) use
it to leave forms mode, and it closes autocomplete lists and input method candidates. One stray Escape
used to close the form on the server and leave.
"""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import EXIT_URL

pytestmark = pytest.mark.browser

WORDS = "He takes my pension money"


def _form_page(new_context, language: str = "en", clock: bool = False):
    page = new_context().new_page()
    if clock:
        page.clock.install()
    page.goto(f"/feedback?lang={language}&mode=standard")
    page.wait_for_load_state("load")               # the shortcut is app.js's: wait until it has run
    page.fill("#own_words", WORDS)
    page.focus("#own_words")
    return page


def _exits(live_services) -> int:
    from channels.web.models import RevokedDraft

    with live_services.session_factory() as session:
        return session.scalar(select(func.count()).select_from(RevokedDraft))


def _capital(page, letter: str) -> None:
    """A capital letter typed as people type it: Shift held down while the letter is pressed."""
    page.keyboard.down("Shift")
    page.keyboard.press(f"Key{letter}")
    page.keyboard.up("Shift")


def _still_open(page, words: str) -> None:
    """Still on the form, the words still there, and the form not closed on the server: it continues (a
    closed form answers "This form has expired")."""
    page.wait_for_timeout(700)                      # time for a beacon, had one been sent
    assert "/feedback" in page.url and EXIT_URL not in page.url
    assert page.input_value("#own_words") == words
    page.click("form#flow button.button[value=continue]")
    page.wait_for_load_state("load")
    assert page.locator("h1").first.inner_text() == "About you and sharing"


def test_escape_while_typing_does_not_leave_or_close_the_form(new_context):
    page = _form_page(new_context)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    _still_open(page, WORDS)


def test_shift_pressed_three_times_leaves_and_closes_the_form(new_context, live_services):
    page = _form_page(new_context)
    exits_before = _exits(live_services)           # other tests' exits may still be there
    page.keyboard.press("Shift")
    assert page.locator("#exit-status").inner_text() == "Shift, press 2 more times to exit."
    assert page.locator(".exit-count").is_visible()
    page.keyboard.press("Shift")
    assert page.locator("#exit-status").inner_text() == "Shift, press 1 more time to exit."
    page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    deadline = time.monotonic() + 5                 # the beacon is sent in the background
    while _exits(live_services) == exits_before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _exits(live_services) == exits_before + 1, "the exit did not reach the server"


def test_capital_letters_do_not_count_as_shift_presses(new_context):
    page = _form_page(new_context)
    page.keyboard.press("End")
    page.keyboard.type(" ")
    for word in ("Hello", "There", "Mary", "Smith"):  # four capitals: four times Shift, each with a letter
        _capital(page, word[0])
        page.keyboard.type(word[1:] + " ")
    # A capital, then Shift twice on its own: two presses, not three.
    _capital(page, "I")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    assert page.locator("#exit-status").inner_text() == "Shift, press 1 more time to exit."
    page.keyboard.type(" ")
    # Fast typing: Shift let go before the letter it made capital; then Shift twice on its own.
    page.keyboard.down("Shift")
    page.keyboard.down("KeyO")
    page.keyboard.up("Shift")
    page.keyboard.up("KeyO")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.type("K")
    # Shift+Tab (back to the field before), then Tab again.
    page.keyboard.down("Shift")
    page.keyboard.press("Tab")
    page.keyboard.up("Shift")
    page.keyboard.press("Tab")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    _still_open(page, WORDS + " Hello There Mary Smith I OK")


def test_another_key_between_shift_presses_starts_the_count_again(new_context):
    page = _form_page(new_context)
    page.keyboard.press("End")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.type("s")
    assert page.locator("#exit-status").inner_text() == "Exit this page expired."
    assert not page.locator(".exit-count").is_visible()
    page.keyboard.press("Shift")
    _still_open(page, WORDS + "s")


def test_the_count_is_lost_after_5_seconds_without_a_press(new_context):
    page = _form_page(new_context, clock=True)
    page.keyboard.press("Shift")
    page.clock.run_for(4_000)                       # 4 s between presses is allowed
    page.keyboard.press("Shift")
    page.clock.run_for(5_100)
    assert page.locator("#exit-status").inner_text() == "Exit this page expired."
    page.keyboard.press("Shift")
    page.clock.run_for(5_100)
    _still_open(page, WORDS)


def test_the_shortcut_is_told_and_announced_in_the_pages_language(new_context):
    page = _form_page(new_context, language="ur")
    assert page.locator(".exit-key").inner_text() == "یا Shift کا بٹن 3 بار دبائیں۔"
    assert page.get_attribute("#exit-status", "role") == "status"
    page.keyboard.press("Shift")
    assert page.locator("#exit-status").inner_text() == "باہر نکلنے کے لیے Shift کو 2 بار اور دبائیں۔"


def test_shift_with_alt_ctrl_or_meta_held_or_shift_click_does_not_count(new_context):
    """Second review: Alt+Shift switches the keyboard's language on Windows (English, Urdu, Arabic...), and
    Shift+click selects text: three of either left the page and closed the form."""
    page = _form_page(new_context)
    for modifier in ("Alt", "Control", "Meta"):
        page.keyboard.down(modifier)
        for _ in range(3):
            page.keyboard.press("Shift")
        page.keyboard.up(modifier)
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.click("#own_words", modifiers=["Shift"])     # a click starts the count again
    page.keyboard.press("Shift")
    _still_open(page, WORDS)


def test_exit_from_the_confirmation_page_forgets_the_reference(new_context):
    page = new_context().new_page()
    page.goto("/feedback?lang=en&mode=standard")
    for _ in range(10):
        if page.locator("button[value=send]").count():
            break
        page.click("form#flow button.button[value=continue]")
        page.wait_for_load_state("load")
    page.click("button[value=send]")
    page.wait_for_url("**/feedback/sent")
    page.wait_for_load_state("load")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    deadline = time.monotonic() + 5                 # the beacon is sent in the background
    while any(c["name"] == "msp_receipt" for c in page.context.cookies()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(c["name"] == "msp_receipt" for c in page.context.cookies())
