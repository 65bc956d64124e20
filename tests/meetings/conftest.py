"""Fixtures for the meetings channel: the app with the meetings routes, two homes, staff users signed in
through the real sign-in page, and a cookie-keeping client that fills in CSRF tokens."""
from __future__ import annotations

from dataclasses import dataclass

import falcon.testing
import pytest

from channels.meetings.routes import install_once
from service.app import MspApp, Services, create_app
from service.auth.permissions import Role
from service.storage.orm import Provider
from tests.support.staff import PASSWORD, StaffBrowser, add_user



@pytest.fixture
def app(services: Services) -> MspApp:
    """The full app; installs the meetings routes when the app factory does not (yet)."""
    app = create_app(services=services)
    install_once(app, services)
    return app


@dataclass
class Homes:
    alder: int
    birch: int


@pytest.fixture
def homes(services: Services) -> Homes:
    with services.session_factory.begin() as session:
        alder = Provider(name="Alder Court care home", type="care_home", area="Bolton")
        birch = Provider(name="Birch Lodge care home", type="care_home", area="Bolton")
        session.add_all([alder, birch])
        session.flush()
        return Homes(alder.id, birch.id)


class StaffClient(StaffBrowser):
    def sign_in(self, email: str, password: str = PASSWORD):
        result = super().sign_in(email, password)
        assert result.status_code == 303, result.text
        return result


@pytest.fixture
def staff(client: falcon.testing.TestClient, services: Services) -> StaffClient:
    """Signed in as a data-entry member of staff (who may log meetings)."""
    add_user(services, "minutes@example.org", Role.DATA_ENTRY)
    staff = StaffClient(client)
    staff.sign_in("minutes@example.org")
    return staff


# Browser tests: a real headless Chromium (Debian's, never a downloaded one) against the real service under
# gunicorn. They FAIL when Chromium, axe-core or Playwright is missing, as tests/browser/conftest.py's do.

def _fail_if_missing() -> None:
    from tests.browser.conftest import AXE_JS, CHROMIUM

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install the Debian package `chromium` (apt-get install chromium)")
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `npm ci` (package.json lists axe-core)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("the Python package `playwright` is missing: pip install playwright (never `playwright install`)")


@pytest.fixture
def with_chromium(meetings_server):
    """Runs `steps(context_factory)` with its own Playwright and Chromium, in a thread of its own.

    Playwright's sync API allows one instance per thread, and tests/browser keeps one open in the main
    thread for the whole session; a thread of our own works whichever browser tests run first.
    """
    import threading

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    _fail_if_missing()

    def run(steps) -> None:
        outcome: dict[str, BaseException] = {}

        def target() -> None:
            from playwright.sync_api import sync_playwright

            try:
                with sync_playwright() as playwright:
                    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
                    contexts = []

                    def new_context(**options):
                        context = chromium.new_context(base_url=meetings_server.base_url, locale="en-GB",
                                                       viewport={"width": 1024, "height": 900}, **options)
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

        thread = threading.Thread(target=target, name="meetings-chromium", daemon=True)
        thread.start()
        thread.join(timeout=300)
        if thread.is_alive():
            pytest.fail("the browser steps did not finish within 5 minutes")
        if "error" in outcome:
            raise outcome["error"]

    return run


def _factory_installs_meetings(database_url: str, engine, tmp_path) -> bool:
    from service.app import build_services
    from tests.conftest import settings_for

    app = create_app(services=build_services(settings_for(database_url, tmp_path), engine=engine))
    return app._router.find("/staff/meetings/new") is not None


@pytest.fixture(scope="session")
def meetings_server(request, database_url, engine, tmp_path_factory):
    """The `live_server` (gunicorn serving service.wsgi) once the app factory installs the meetings routes;
    until then the same gunicorn command serving tests/meetings/wsgi_app.py (service.wsgi + meetings)."""
    import subprocess
    import sys
    import time

    import requests

    if _factory_installs_meetings(database_url, engine, tmp_path_factory.mktemp("meetings-check")):
        live = request.getfixturevalue("live_server")
        if requests.get(f"{live.base_url}/staff/static/staff.css", timeout=5).status_code == 200:
            return live

    from tests.conftest import REPO_ROOT, LiveServer

    server = LiveServer(database_url, tmp_path_factory.mktemp("meetings-live"))
    log = server.log_path.open("wb")
    server.process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tests.meetings.wsgi_app:app", "--bind", f"127.0.0.1:{server.port}",
         "--workers", "2", "--worker-class", "sync", "--timeout", "30", "--graceful-timeout", "10"],
        env=server.env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
    )
    request.addfinalizer(server.stop)
    request.addfinalizer(log.close)
    deadline = time.monotonic() + 30
    while True:
        if server.process.poll() is not None:
            pytest.fail(f"the service exited at start-up:\n{server.log_path.read_text()[-3000:]}")
        try:
            if requests.get(f"{server.base_url}/readyz", timeout=1).status_code == 200:
                return server
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the service did not become ready:\n{server.log_path.read_text()[-3000:]}")
        time.sleep(0.2)


@pytest.fixture
def meetings_live(meetings_server, database_url, engine, tmp_path):
    """Services on the live server's database, to seed data and read it back; emptied after the test."""
    from service.app import build_services
    from tests.conftest import empty_all_tables, settings_for

    services = build_services(settings_for(database_url, tmp_path), engine=engine)
    yield services
    empty_all_tables(engine)
