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

from service.auth.permissions import Role


@pytest.fixture
def keyer(client, services: Services) -> StaffClient:
    """Signed in as a data-entry member of staff."""
    return signed_in(client, services, "keyer@example.org", Role.DATA_ENTRY)
