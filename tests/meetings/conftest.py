"""Fixtures for the meetings channel: the app with the meetings routes, two homes, staff users signed in
through the real sign-in page, a cookie-keeping client that fills in CSRF tokens, and the real text check."""
from __future__ import annotations

from dataclasses import dataclass

import falcon.testing
import pytest

from service.app import Services
from service.auth.permissions import Role
from service.runtime import build_handlers
from service.storage.orm import Provider
from service.worker import Worker
from tests.integration.test_analysis import loaded_pipelines  # noqa: F401  (session fixture: load the pipeline once)
from tests.support.staff import PASSWORD, StaffBrowser, add_user, signed_in  # noqa: F401



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


StaffClient = StaffBrowser


@pytest.fixture
def staff(client: falcon.testing.TestClient, services: Services) -> StaffClient:
    """Signed in as a data-entry member of staff (who may log meetings)."""
    return signed_in(client, services, "minutes@example.org", Role.DATA_ENTRY)


@pytest.fixture
def text_check(services: Services, loaded_pipelines):  # noqa: F811
    """Run the worker's real text check over everything waiting for it (data entry sees an issue's words
    only once it has read them and found nothing urgent)."""
    services.pipelines._pipeline = loaded_pipelines.get()

    def run() -> None:
        Worker(services.session_factory, build_handlers(services.settings, services.session_factory, services.pipelines)).run_until_idle()

    return run
