"""Shared fixtures for the text-pipeline unit tests (data come from the repository's own copy)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "service" / "text" / "data"


@pytest.fixture(scope="session")
def dev_rows() -> list[dict]:
    return [json.loads(line) for line in (DATA / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def pipeline():
    from service.text.pipeline import TextPipeline

    return TextPipeline.load()
