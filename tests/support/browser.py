"""Driving Debian's Chromium (never a downloaded browser) from tests that run beside tests/browser.

Playwright's sync API allows one instance per thread and tests/browser keeps one open in the main thread
for the session, so these steps run with a Playwright and Chromium of their own, in a thread of their own.
Tests FAIL (they do not skip) when Chromium, axe-core or Playwright is missing.
"""
from __future__ import annotations

import threading
from typing import Callable

import pytest


def fail_if_missing() -> None:
    from tests.browser.conftest import AXE_JS, CHROMIUM

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install the Debian package `chromium` (apt-get install chromium)")
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `npm ci` (package.json lists axe-core)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("the Python package `playwright` is missing: pip install playwright (never `playwright install`)")


def chromium_runner(base_url: str) -> Callable[[Callable], None]:
    """`run(steps)`: calls `steps(new_context)` where `new_context(**options)` opens a browser context on base_url."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    fail_if_missing()

    def run(steps) -> None:
        outcome: dict[str, BaseException] = {}

        def target() -> None:
            from playwright.sync_api import sync_playwright

            try:
                with sync_playwright() as playwright:
                    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
                    contexts = []

                    def new_context(**options):
                        context = chromium.new_context(base_url=base_url, locale="en-GB", viewport={"width": 1024, "height": 900}, **options)
                        context.set_default_timeout(15_000)
                        contexts.append(context)
                        return context

                    try:
                        steps(new_context)
                    finally:
                        for context in contexts:
                            context.close()
                        chromium.close()
            except BaseException as error:   # handed to the test's own thread below
                outcome["error"] = error

        thread = threading.Thread(target=target, name="test-chromium", daemon=True)
        thread.start()
        thread.join(timeout=300)
        if thread.is_alive():
            pytest.fail("the browser steps did not finish within 5 minutes")
        if "error" in outcome:
            raise outcome["error"]

    return run
