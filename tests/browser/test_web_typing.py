"""Typing in the person's own language (audit a11y L1, L2): the box follows the direction of what is
typed, and the exit shortcut (Shift 3 times) does not throw the words away while an input method is
composing them."""
from __future__ import annotations

import pytest

from tests.browser.conftest import EXIT_URL

pytestmark = pytest.mark.browser


def test_free_text_box_follows_the_direction_of_what_is_typed(new_context):
    page = new_context().new_page()
    page.goto("/feedback?lang=ur&mode=standard")
    page.fill("#own_words", "The social worker listened to me.")
    direction = "getComputedStyle(document.querySelector('#own_words')).direction"
    assert page.get_attribute("#own_words", "dir") == "auto"
    assert page.evaluate("document.querySelector('#own_words').matches(':dir(ltr)')"), page.evaluate(direction)
    page.goto("/feedback?lang=en&mode=standard")
    page.fill("#own_words", "میری بات سنی گئی۔")
    assert page.evaluate("document.querySelector('#own_words').matches(':dir(rtl)')")


def test_shift_while_composing_text_does_not_count_towards_leaving(new_context):
    """Some input methods use Shift to switch what they type: while they compose, Shift presses do not count."""
    context = new_context()
    page = context.new_page()
    page.goto("/feedback?lang=ur&mode=standard")
    page.wait_for_load_state("load")               # app.js has run
    page.focus("#own_words")
    page.keyboard.type("میری بات ")
    cdp = context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "سن", "selectionStart": 2, "selectionEnd": 2})
    for _ in range(3):
        for kind in ("rawKeyDown", "keyUp"):
            cdp.send("Input.dispatchKeyEvent", {"type": kind, "key": "Shift", "code": "ShiftLeft", "windowsVirtualKeyCode": 16})
    page.wait_for_timeout(1000)
    assert "/feedback" in page.url and page.input_value("#own_words").startswith("میری بات")
    cdp.send("Input.insertText", {"text": "سنی"})   # the composition ends; Shift 3 times leaves again
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
