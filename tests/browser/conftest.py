"""A real headless Chromium (Debian's `chromium`), driven by Playwright's Python package, against the real
service under gunicorn (the `live_server` fixture of tests/conftest.py).

No browser is downloaded: Playwright is pointed at /usr/bin/chromium. When Chromium or axe-core is missing
the tests FAIL (they are part of "done"), they do not skip. One browser for the whole run; one context
(cookies, JavaScript on or off) per test.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, make_token

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO_ROOT / "test-artifacts" / "web"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
EXIT_URL = "https://www.bbc.co.uk/weather"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from tests.support.browser import fail_if_missing

    fail_if_missing()  # Chromium, axe-core and Playwright: fail, never skip, when one is missing
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _neutral_site(route) -> None:
    """The exit target stands in for the real neutral site (the test machines are offline)."""
    route.fulfill(status=200, content_type="text/html",
                  body="<!DOCTYPE html><html lang='en'><title>BBC Weather</title><h1>Weather</h1></html>")


@pytest.fixture
def new_context(browser, live_server):
    """Make a browser context: JavaScript on or off, CSP enforced unless axe needs to be injected."""
    contexts = []

    def make(*, javascript: bool = True, bypass_csp: bool = False, locale: str = "en-GB", **options):
        context = browser.new_context(base_url=live_server.base_url, java_script_enabled=javascript,
                                      bypass_csp=bypass_csp, locale=locale,
                                      viewport={"width": 1024, "height": 900}, **options)
        context.set_default_timeout(15_000)
        context.route("https://www.bbc.co.uk/**", _neutral_site)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def api_headers(live_services) -> dict[str, str]:
    from service.auth.permissions import Role

    return {"Authorization": f"Bearer {make_token(live_services, Role.ADMIN)}"}


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.2 AA rules on the page as it is now; returns the violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5], "summary": v["nodes"][0].get("failureSummary", "")[:300]}
        for v in result["violations"]
    ]
