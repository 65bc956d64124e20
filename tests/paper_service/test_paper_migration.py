"""Migration 0005_paper makes exactly the tables channels/paper/models.py describes (SQLite and PostgreSQL)."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import channels.paper.models  # noqa: F401
from service.storage.orm import Base

OWN_TABLES = {"paper_sheets", "paper_pages", "paper_reviews", "paper_text_crops", "paper_unreadable"}


def _tables(diff) -> set[str]:
    """The table names a difference from compare_metadata is about."""
    found: set[str] = set()
    items = diff if isinstance(diff, list) else [diff]
    for item in items:
        for part in (item if isinstance(item, tuple) else ()):
            table = getattr(part, "table", None)
            if getattr(table, "name", None):
                found.add(table.name)
            if getattr(part, "name", None) in OWN_TABLES:
                found.add(part.name)
            if isinstance(part, str) and part in OWN_TABLES:
                found.add(part)
    return found


def test_the_migration_matches_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = [d for d in compare_metadata(context, Base.metadata) if _tables(d) & OWN_TABLES]
    assert not differences, differences


def test_the_tables_exist(engine):
    assert OWN_TABLES <= set(inspect(engine).get_table_names())
