"""Reflow (WCAG 1.4.10, AA): at 320 CSS px wide, which is a 1280 px window zoomed to 400 %, no page needs
horizontal scrolling (audit a11y M1). Easy read is the mode for the people most likely to zoom, and its
headings are large, so every easy-read page is checked in every language, including the contact page
with an error message (an e-mail address in it is one long word)."""
from __future__ import annotations

import pytest

from service.i18n import LANGUAGES

pytestmark = pytest.mark.browser

WIDTH = 320


def too_wide(page) -> list[tuple[str, int, list[str]]]:
    """(title, document width, the widest elements) when the page is wider than the viewport."""
    page.wait_for_load_state("load")               # the stylesheet is applied before sizes are measured
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= WIDTH:
        return []
    culprits = page.evaluate("""(limit) => Array.from(document.querySelectorAll('main *'))
        .filter(e => e.getBoundingClientRect().right > limit + 0.5 || e.getBoundingClientRect().left < -0.5)
        .slice(-3).map(e => e.tagName.toLowerCase() + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))""", WIDTH)
    return [(page.title(), width, culprits)]


@pytest.mark.parametrize("mode", ["easy", "standard"])
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_page_reflows_at_320_css_pixels(new_context, language, mode):
    page = new_context().new_page()
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto(f"/?lang={language}&mode={mode}")
    failures = too_wide(page)
    page.click("a.button--start")
    seen, seen_error = 0, False
    for _ in range(40):
        failures += too_wide(page)
        seen += 1
        if page.locator("button[value=send]").count():
            break
        if page.locator("input[name=contact]").count():
            page.check("#contact-email")
        if page.locator("#email").count() and not seen_error:
            page.fill("#email", "not-an-email")          # the contact page in its error state
            page.click("form#flow button.button[value=continue]")
            page.wait_for_load_state("load")
            assert page.locator(".error-summary").count() == 1
            failures += too_wide(page)
            seen_error = True
            page.fill("#email", "name@example.org")
        page.click("form#flow button.button[value=continue]")
    page.click("button[value=send]")
    failures += too_wide(page)                            # the confirmation
    assert not failures, failures
    assert seen_error and seen >= (17 if mode == "easy" else 5)   # every page of the form was seen
