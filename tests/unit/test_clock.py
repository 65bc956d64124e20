"""The board's calendar day is England's, not the server's UTC date."""
from __future__ import annotations

import ast
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from service.domain.clock import board_today

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("utc", "day"), [
    # British Summer Time: from midnight to 1 a.m. in England the UTC date is still the day before.
    (datetime(2026, 7, 1, 23, 30, tzinfo=timezone.utc), date(2026, 7, 2)),
    (datetime(2026, 7, 1, 22, 59, tzinfo=timezone.utc), date(2026, 7, 1)),
    # Greenwich Mean Time: the same day.
    (datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc), date(2026, 12, 1)),
    # The clocks go forward at 01:00 UTC on 29 March 2026.
    (datetime(2026, 3, 28, 23, 30, tzinfo=timezone.utc), date(2026, 3, 28)),
    (datetime(2026, 3, 29, 23, 30, tzinfo=timezone.utc), date(2026, 3, 30)),
])
def test_board_today_is_the_day_in_england(utc, day):
    assert board_today(utc) == day


def test_no_rule_reads_the_servers_local_date():
    """`date.today()` is the server's date (UTC on a server): calendar rules use board_today()."""
    found = []
    for folder in ("service", "channels", "easy_read"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "today"
                        and isinstance(node.func.value, ast.Name) and node.func.value.id in {"date", "datetime"}):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
