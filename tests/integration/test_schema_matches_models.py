"""The schema the migrations make is exactly the schema the models describe (on SQLite and PostgreSQL)."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from service.storage.orm import Base

from service.app import load_models


def test_migrations_and_models_agree(engine):
    load_models()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    # Tables made only for tests or benchmarks are not the service's.
    differences = [d for d in differences if not (d[0] == "remove_table" and d[1].name.startswith("bench_"))]
    # Alembic cannot compare an index on an expression (it reads it back as another index): checked by name below.
    differences = [d for d in differences if not (d[0] in ("add_index", "remove_index") and d[1].name in EXPRESSION_INDEXES)]
    assert differences == []
    if engine.dialect.name == "postgresql":
        from sqlalchemy import inspect

        assert EXPRESSION_INDEXES <= {index["name"] for index in inspect(engine).get_indexes("submissions")}


EXPRESSION_INDEXES = {"ix_submissions_idempotency_key_c"}


def test_every_revision_id_fits_alembic_version_on_postgresql():
    # alembic_version.version_num is VARCHAR(32): PostgreSQL refuses a longer id at upgrade, SQLite stores it.
    from alembic.script import ScriptDirectory
    from service.storage.migrate import alembic_config

    too_long = [r.revision for r in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions() if len(r.revision) > 32]
    assert too_long == []
