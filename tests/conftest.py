"""Shared fixtures: one test database per run, migrated from empty, emptied after each test that uses it.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL names another (CI sets it to a
fresh PostgreSQL database, so the whole suite runs once on each).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import falcon.testing
import pytest
import requests
from sqlalchemy import Engine, MetaData, text

from service.app import MspApp, Services, build_services, create_app
from service.auth.permissions import Role
from service.auth.tokens import create_token
from service.config import Settings
from service.storage.database import make_engine
from service.storage.migrate import upgrade

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_SECRET_KEY = "test-secret-key-not-for-production-0123456789"


def pytest_report_header(config) -> str:
    return f"test database: {_database_kind()}"


def _database_kind() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return "postgresql" if url.startswith("postgres") else "sqlite"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def empty_all_tables(engine: Engine) -> None:
    """Delete every row of every table (but the migration marker), including tables other parts added."""
    metadata = MetaData()
    metadata.reflect(engine)
    tables = [t for t in reversed(metadata.sorted_tables) if t.name != "alembic_version"]
    if not tables:
        return
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            # TRUNCATE does not fire row triggers, so append-only tables can still be reset between tests.
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


def settings_for(database_url: str, tmp_path: Path, **overrides: str) -> Settings:
    environ = {
        "DATABASE_URL": database_url,
        "VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": TEST_SECRET_KEY,
        "PUBLIC_BASE_URL": "http://testserver",
        "INTAKE_RATE_LIMIT_PER_MINUTE": "100000",
        "LOG_LEVEL": "WARNING",
    }
    environ.update(overrides)
    return Settings.from_environ(environ)


@pytest.fixture
def settings(database_url: str, engine: Engine, tmp_path: Path) -> Settings:
    return settings_for(database_url, tmp_path)


@pytest.fixture
def services(settings: Settings, engine: Engine) -> Iterator[Services]:
    services = build_services(settings, engine=engine)
    yield services
    empty_all_tables(engine)


@pytest.fixture
def app(services: Services) -> MspApp:
    return create_app(services=services)


@pytest.fixture
def client(app: MspApp) -> falcon.testing.TestClient:
    return falcon.testing.TestClient(app)


def shown_to_provider(services: Services, submission_id: str) -> str:
    """The id a provider responder knows a submission by (service.api.provider_view)."""
    from service.api.provider_view import shown_id

    return shown_id(submission_id, services.settings.secret_key)


def make_token(services: Services, role: Role, provider_ids: tuple[int, ...] = ()) -> str:
    with services.session_factory.begin() as session:
        _, token = create_token(session, role, label=f"test {role.value}", provider_ids=provider_ids)
    return token


@pytest.fixture
def admin_token(services: Services) -> str:
    return make_token(services, Role.ADMIN)


@pytest.fixture
def admin_headers(admin_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {admin_token}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """The real service under gunicorn, started by the test run (`msp-feedback serve`)."""

    def __init__(self, database_url: str, var_dir: Path, extra_env: dict[str, str] | None = None):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "VAR_DIR": str(var_dir),
            "SECRET_KEY": TEST_SECRET_KEY,
            "PUBLIC_BASE_URL": self.base_url,
            "INTAKE_RATE_LIMIT_PER_MINUTE": "100000",
            "LOG_LEVEL": "WARNING",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = var_dir / "server.log"

    def start(self) -> "LiveServer":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", "2"],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service exited at start-up:\n{self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.base_url}/readyz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the service did not become ready:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="session")
def live_server(database_url: str, engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(database_url, tmp_path_factory.mktemp("live-var")).start()
    yield server
    server.stop()


@pytest.fixture
def live_services(live_server: LiveServer, database_url: str, engine: Engine, tmp_path: Path) -> Iterator[Services]:
    """Services on the live server's database, to seed data and read it back; emptied after the test."""
    services = build_services(settings_for(database_url, tmp_path), engine=engine)
    yield services
    empty_all_tables(engine)


@pytest.fixture
def with_chromium(live_server: LiveServer):
    """`with_chromium(steps)`: run browser steps against the live server (see tests/support/browser.py)."""
    from tests.support.browser import chromium_runner

    return chromium_runner(live_server.base_url)
