"""Reading query parameters: each bad value becomes a Problem naming the parameter (then one 400)."""
from __future__ import annotations

from datetime import datetime, timezone

import falcon

from service.domain.model import Problem


def int_param(req: falcon.Request, name: str, problems: list[Problem]) -> int | None:
    value = req.get_param(name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 12:  # "²".isdigit() is True
        problems.append(Problem(name, "must be a whole number"))
        return None
    return int(value)


def datetime_param(req: falcon.Request, name: str, problems: list[Problem]) -> datetime | None:
    """An ISO 8601 date or time; without a zone it is taken as UTC."""
    value = req.get_param(name)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        problems.append(Problem(name, "must be an ISO 8601 date or time, e.g. 2026-01-31 or 2026-01-31T09:00:00Z"))
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
