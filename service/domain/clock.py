"""The board's calendar day.

Servers keep UTC, but "today" for a person in England is the day on a clock in Europe/London: from midnight
to 1 a.m. British Summer Time the UTC date is still yesterday's, so a check against the server's date refused
a residents' meeting held that evening as "in the future". Rules about calendar days (a meeting date, a due
date) use this; times stored and compared stay UTC.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

BOARD_TIMEZONE = ZoneInfo("Europe/London")  # the tzdata package provides it where the system has no zone files


def board_today(now: datetime | None = None) -> date:
    """Today's date in England (`now`, an aware time, for tests; the current time otherwise)."""
    return (now or datetime.now(timezone.utc)).astimezone(BOARD_TIMEZONE).date()
