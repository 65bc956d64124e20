"""What someone else at the same browser can bring back with Back and Reload (audit a11y H1).

These contexts are made without the `new_context` fixture's catch-all routing where it matters: under
Playwright's request interception Chromium treats no-store POST results in the history differently from
what people get (audit a11y M2). Only the neutral exit site is stood in for (the machines are offline).
"""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import EXIT_URL, _neutral_site

pytestmark = pytest.mark.browser

WORDS = "He takes my pension money and locks me in"
SECRETS = (WORDS, "07700 900123", "Mary Smith")


def _context(browser, live_server, exit_site: bool = False):
    context = browser.new_context(base_url=live_server.base_url, locale="en-GB")
    context.set_default_timeout(15_000)
    if exit_site:
        context.route("https://www.bbc.co.uk/**", _neutral_site)
    return context


def _continue(page) -> None:
    page.click("form#flow button.button[value=continue]")
    page.wait_for_load_state("load")


def _back_then_reload(page) -> str:
    try:
        page.go_back()
    except Exception:       # net::ERR_CACHE_MISS: Chromium's "Confirm Form Resubmission" page
        pass
    page.wait_for_timeout(300)
    page.reload()           # Playwright's reload re-posts the form without asking, as "Continue" would
    page.wait_for_load_state("load")
    return page.locator("body").inner_text()


def test_back_then_reload_after_send_shows_only_that_it_was_sent(browser, live_server, live_services):
    context = _context(browser, live_server)
    page = context.new_page()
    page.goto("/?lang=en&mode=standard")
    page.click("a.button--start")
    page.fill("#own_words", WORDS)
    _continue(page)
    _continue(page)
    page.check("#contact-sms")
    page.check("#contact_safe-yes")
    page.fill("#name", "Mary Smith")
    page.fill("#phone", "07700 900123")
    _continue(page)
    _continue(page)
    page.click("button[value=send]")
    reference = page.locator("#reference").inner_text()
    # Post/Redirect/Get: the confirmation is a page of its own, and Reload reads it again (a GET).
    assert page.url.endswith("/feedback/sent")
    requests = []
    page.on("request", lambda request: requests.append(request.method) if request.resource_type == "document" else None)
    page.reload()
    assert requests == ["GET"] and page.locator("#reference").inner_text() == reference
    assert not [s for s in SECRETS if s in page.locator("body").inner_text()]
    for _ in range(3):                       # Back and Reload, again and again
        text = _back_then_reload(page)
        assert not [s for s in SECRETS if s in text], (page.title(), text[:300])
        assert page.locator("textarea, input[type=text], input[type=tel], button[value=send]").count() == 0
        assert reference in text
    context.close()


@pytest.mark.parametrize("how", ["link", "shift_3_times"])
def test_back_then_reload_after_exit_does_not_show_the_persons_words(browser, live_server, live_services, how):
    from channels.web.models import RevokedDraft

    context = _context(browser, live_server, exit_site=True)
    page = context.new_page()
    page.goto("/?lang=en&mode=standard")
    page.click("a.button--start")
    page.fill("#own_words", WORDS)
    _continue(page)
    _continue(page)                           # page 3 of 5
    if how == "link":
        page.click("#exit-this-page")
    else:
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    deadline = time.monotonic() + 5           # the beacon is sent in the background
    with live_services.session_factory() as session:
        while session.scalar(select(func.count()).select_from(RevokedDraft)) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
            session.rollback()
        assert session.scalar(select(func.count()).select_from(RevokedDraft)) == 1, "the exit did not reach the server"
    text = _back_then_reload(page)
    assert WORDS not in text, (page.title(), text[:300])
    assert "This form has expired" in text, page.title()
    # The form's own "Back" button is not on the page either: nothing leads back to page 1's words.
    assert page.locator("#own_words").count() == 0 and page.locator("button[value=back]").count() == 0
    context.close()
