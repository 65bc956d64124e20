"""Migration 0006 makes exactly the tables the models describe, on SQLite and PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import service.audit.models  # noqa: F401
import service.auth.models  # noqa: F401
import service.privacy.models  # noqa: F401
from service.storage.orm import Base

OWN_TABLES = {"staff_users", "staff_sessions", "password_set_tokens", "audit_events", "text_reductions"}


def _table_of(diff) -> str | None:
    for part in (diff if isinstance(diff, tuple) else ()):
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if table is not None and getattr(table, "name", None):
            return table.name
        if name in OWN_TABLES:
            return name
    if isinstance(diff, list) and diff:
        return _table_of(diff[0])
    return None


def test_the_migration_matches_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, Base.metadata) if _table_of(d) in OWN_TABLES]
    assert not differences, differences


def test_the_tables_exist(engine):
    from sqlalchemy import inspect

    assert OWN_TABLES <= set(inspect(engine).get_table_names())
