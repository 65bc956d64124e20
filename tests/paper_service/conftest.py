"""Fixtures for the paper channel's service side: printed forms (rendered once per language, really, by
WeasyPrint), their sheets registered in the real test database, pages rasterised by pdftoppm and
ticked with the paper library's synthetic pen marks, and a DatabasePaperStore."""
from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

# paper_service_helpers sits beside this file; make it importable under any pytest import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from paper_service_helpers import Printed, rasterise

import channels.paper.models  # noqa: F401  (the tables on the shared metadata)
from channels.paper.store import DatabasePaperStore
from easy_read.paper.render import render_pdf
from easy_read.paper.store import SheetRecord
from service.app import Services
from service.storage.orm import Provider

RETURN_ADDRESS = "Bolton Safeguarding Adults Board\nTown Hall, Victoria Square\nBolton BL1 1RU"
PHONE = "01204 000000"

if shutil.which("pdftoppm") is None:  # pragma: no cover - a clear message instead of a crash
    pytest.exit("pdftoppm is missing: apt-get install poppler-utils", returncode=3)


@pytest.fixture(scope="session")
def printed(tmp_path_factory):
    """`printed(lang)`: one form rendered (without a store) and rasterised at 200 dpi, cached per language."""
    cache: dict[str, Printed] = {}

    def get(language: str) -> Printed:
        if language not in cache:
            directory = tmp_path_factory.mktemp(f"paper-service-{language}")
            result = render_pdf(language, count=1, return_address=RETURN_ADDRESS, safeguarding_phone=PHONE)
            pdf = directory / f"form-{language}.pdf"
            pdf.write_bytes(result.pdf)
            cache[language] = Printed(language, result, pdf, rasterise(pdf, 200, directory))
        return cache[language]

    return get


@pytest.fixture
def provider_id(services: Services) -> int:
    with services.session_factory.begin() as session:
        provider = Provider(name="Alder Court care home", type="care_home", area="Bolton")
        session.add(provider)
        session.flush()
        return provider.id


@pytest.fixture
def store(services: Services) -> DatabasePaperStore:
    return DatabasePaperStore(services.session_factory)


@pytest.fixture
def issue(services: Services, provider_id: int):
    """`issue(printed)`: register the printed form's sheet id in the test database (emptied after each
    test), with case CASE-42 and the test provider, as `paper render` does."""

    def register(printed: Printed, *, case_ref: str | None = "CASE-42", provider: int | None = None) -> SheetRecord:
        sheet = replace(printed.template, case_ref=case_ref, provider_id=str(provider or provider_id))
        DatabasePaperStore(services.session_factory).register_sheet(sheet)
        return sheet

    return register


# --- pages -------------------------------------------------------------------------------------------

import falcon.testing
from paper_service_helpers import StaffClient, signed_in

from channels.paper.routes import install_once
from service.app import MspApp, create_app
from service.auth.permissions import Role


@pytest.fixture
def app(services: Services) -> MspApp:
    """The full app; installs the paper routes when the app factory does not (yet)."""
    app = create_app(services=services)
    install_once(app, services)
    return app


@pytest.fixture
def client(app: MspApp) -> falcon.testing.TestClient:
    return falcon.testing.TestClient(app)


@pytest.fixture
def keyer(client, services: Services) -> StaffClient:
    """Signed in as a data-entry member of staff."""
    return signed_in(client, services, "keyer@example.org", Role.DATA_ENTRY)


# --- browser -----------------------------------------------------------------------------------------
# A real headless Chromium (Debian's, never a downloaded one) against the real service under gunicorn on
# the test database. The tests FAIL when Chromium, axe-core or Playwright is missing, as tests/browser's do.

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


def _factory_installs_paper(database_url: str, engine, tmp_path) -> bool:
    from service.app import build_services
    from tests.conftest import settings_for

    app = create_app(services=build_services(settings_for(database_url, tmp_path), engine=engine))
    return app._router.find("/staff/paper/key") is not None


@pytest.fixture(scope="session")
def paper_server(request, database_url, engine, tmp_path_factory):
    """The `live_server` (gunicorn serving service.wsgi) once the app factory installs the paper routes;
    until then the same gunicorn command serving tests/paper_service/wsgi_app.py (service.wsgi + paper)."""
    import subprocess
    import time

    import requests

    if _factory_installs_paper(database_url, engine, tmp_path_factory.mktemp("paper-check")):
        return request.getfixturevalue("live_server")

    from tests.conftest import REPO_ROOT, LiveServer

    server = LiveServer(database_url, tmp_path_factory.mktemp("paper-live"))
    log = server.log_path.open("wb")
    server.process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "tests.paper_service.wsgi_app:app", "--bind", f"127.0.0.1:{server.port}",
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
def paper_live(paper_server, database_url, engine, tmp_path):
    """Services on the live server's database, to seed data and read it back; emptied after the test."""
    from service.app import build_services
    from tests.conftest import empty_all_tables, settings_for

    services = build_services(settings_for(database_url, tmp_path), engine=engine)
    yield services
    empty_all_tables(engine)


@pytest.fixture
def with_chromium(paper_server):
    """Runs `steps(new_context)` with its own Playwright and Chromium, in a thread of its own (Playwright's
    sync API allows one instance per thread, and tests/browser keeps one open in the main thread)."""
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
                        context = chromium.new_context(base_url=paper_server.base_url, locale="en-GB",
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

        thread = threading.Thread(target=target, name="paper-chromium", daemon=True)
        thread.start()
        thread.join(timeout=300)
        if thread.is_alive():
            pytest.fail("the browser steps did not finish within 5 minutes")
        if "error" in outcome:
            raise outcome["error"]

    return run
