"""Shared fixtures: real PDFs rendered once per language, real rasterising with pdftoppm."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

# paper_helpers sits beside this file; make it importable under any pytest import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from paper_helpers import Rendered  # noqa: E402

from easy_read.paper.store import InMemoryPaperStore

if shutil.which("pdftoppm") is None:  # pragma: no cover - a clear message instead of a crash
    pytest.exit("pdftoppm is missing: apt-get install poppler-utils", returncode=3)


@pytest.fixture(scope="session")
def paper_store() -> InMemoryPaperStore:
    return InMemoryPaperStore()


@pytest.fixture(scope="session")
def render_language(tmp_path_factory, paper_store):
    cache: dict[str, Rendered] = {}

    def get(language: str) -> Rendered:
        if language not in cache:
            cache[language] = Rendered(language, paper_store, tmp_path_factory.mktemp(f"paper-{language}"))
        return cache[language]

    return get
