"""SMS fixtures: a Prism mock of Twilio's API (from Twilio's own OpenAPI description, the repository's
copy in channels/sms/twilio_spec/) and settings pointing twilio's real Client at it. Requests built and
signed as Twilio does: tests/sms/support.py.

Prism is started by the tests and is required: when it cannot start, the tests that need it FAIL (with
the reason), they are not skipped.
"""
from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests

from service.app import Services
from service.auth.permissions import Role
from service.config import Settings
from service.worker import Worker
from tests.conftest import REPO_ROOT, free_port, make_token, settings_for
from tests.integration.test_analysis import loaded_pipelines  # noqa: F401  (session fixture: load the pipeline once)
from tests.sms.support import ACCOUNT_SID, AUTH_TOKEN, PRISM, SPEC, twilio_env


class PrismServer:
    def __init__(self, log_path: Path):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> "PrismServer":
        if not PRISM.exists():
            pytest.fail(f"Prism is not installed at {PRISM}: run `npm ci` (package.json lists @stoplight/prism-cli)", pytrace=False)
        if not SPEC.exists():
            pytest.fail(f"Twilio's OpenAPI description is missing: {SPEC}", pytrace=False)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(PRISM), "mock", "--host", "127.0.0.1", "--port", str(self.port), "--errors", "false", str(SPEC)],
            stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT,
        )
        deadline = time.monotonic() + timeout
        probe = f"{self.base_url}/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/SM{'0' * 32}.json"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"Prism exited at start-up:\n{self.log_path.read_text(errors='replace')[-3000:]}", pytrace=False)
            try:
                requests.get(probe, auth=(ACCOUNT_SID, AUTH_TOKEN), timeout=1)
                return self
            except requests.RequestException:
                time.sleep(0.3)
        self.stop()
        pytest.fail(f"Prism did not start within {timeout:.0f} s:\n{self.log_path.read_text(errors='replace')[-3000:]}", pytrace=False)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServer]:
    server = PrismServer(tmp_path_factory.mktemp("prism") / "prism.log").start()
    yield server
    server.stop()


@pytest.fixture
def settings(database_url: str, engine, tmp_path: Path, prism: PrismServer) -> Settings:
    """The SMS tests' settings: Twilio configured, its API at the local Prism mock."""
    return settings_for(database_url, tmp_path, **twilio_env(prism.base_url))


@pytest.fixture
def staff_headers(services: Services) -> dict[str, str]:
    """A token of the engagement team, which has the sms:invite permission."""
    return {"Authorization": f"Bearer {make_token(services, Role.ENGAGEMENT)}"}


@pytest.fixture
def worker(services: Services) -> Worker:
    from channels.sms.sending import build_sms_handler

    return Worker(services.session_factory, {"sms": build_sms_handler(services.settings, services.session_factory)})
