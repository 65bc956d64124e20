"""Paths for the text-pipeline tests (a uniquely named module, so it never clashes with other conftests)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "service" / "text" / "data"
