"""Structured JSON logs, one line per event, each with the request id when there is one.

What a log line may carry is decided here: the formatter copies only known, non-personal fields
(`SAFE_FIELDS`) from a record's extras. Free text, phone numbers and email addresses are never passed
to a logger by this code, and if one were passed as an unknown extra it would be dropped, not printed.
"""
from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import datetime, timezone

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

SAFE_FIELDS = (
    "method", "path", "route", "status", "duration_ms", "outbox_id", "channel", "purpose", "error_code",
    "submission_id", "count", "role", "token_id", "client", "model_version", "worker",
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for name in SAFE_FIELDS:
            if name in record.__dict__:
                entry[name] = record.__dict__[name]
        if record.exc_info:
            # Exception text can quote values (SQL parameters); keep only the type and where it was raised.
            exc_type, _, tb = record.exc_info
            frames = []
            while tb is not None:
                frames.append(f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}")
                tb = tb.tb_next
            entry["exception"] = getattr(exc_type, "__name__", str(exc_type))
            entry["where"] = frames[-3:]
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        root.setLevel(level)
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("sqlalchemy.engine", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
