"""Reading query parameters: each bad value becomes a Problem naming the parameter (then one 400)."""
from __future__ import annotations

from datetime import datetime, timezone

import falcon

from service.api.problems import HTTPProblem
from service.domain.model import Problem
from service.storage.types import MAX_ROW_ID


def reject_bad_query(problems: list[Problem]) -> None:
    """One 400 naming every bad query parameter, if there are any."""
    if problems:
        raise HTTPProblem(falcon.HTTP_400, "Bad query parameters", "; ".join(f"{p.field}: {p.message}" for p in problems), problems)


def int_param(req: falcon.Request, name: str, problems: list[Problem], *, required: bool = False) -> int | None:
    """A whole number from the query string: a row id (provider_id, before_id, ...) or a count.

    Neither goes past the largest id a database column holds, and a larger number would reach the driver
    as an overflow (a 500), so it is refused here with the bound named.
    """
    value = req.get_param(name)
    if value is None:
        if required:
            problems.append(Problem(name, "this parameter is required"))
        return None
    if not (value.isascii() and value.isdigit()):  # "²".isdigit() is True
        problems.append(Problem(name, "must be a whole number"))
        return None
    if len(value) > len(str(MAX_ROW_ID)) or int(value) > MAX_ROW_ID:   # length first: int() of 5,000 digits raises
        problems.append(Problem(name, f"must be at most {MAX_ROW_ID}"))
        return None
    return int(value)


def datetime_param(req: falcon.Request, name: str, problems: list[Problem]) -> datetime | None:
    """An ISO 8601 date or time, returned in UTC; without a zone it is taken as UTC."""
    value = req.get_param(name)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        problems.append(Problem(name, "must be an ISO 8601 date or time, e.g. 2026-01-31 or 2026-01-31T09:00:00Z"))
        return None
    try:
        return in_utc(parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc))
    except ValueError as error:
        problems.append(Problem(name, str(error)))
        return None


def in_utc(moment: datetime) -> datetime:
    """The same instant in UTC, or ValueError when that falls outside the years 1 to 9999.

    0001-01-01T00:00:00+01:00 is a valid ISO time, but in UTC it is in year 0, which Python cannot hold:
    converting it raises OverflowError (in the database layer, which stores UTC: a 500), so it is
    converted here, where it can be refused with the parameter named.
    """
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError("must be between the years 1 and 9999 once moved to UTC") from None
