"""Alembic environment. Run through `msp-feedback db upgrade` (service.storage.migrate)."""
from __future__ import annotations

from alembic import context

from service.app import load_models
from service.storage.database import make_engine
from service.storage.orm import Base

load_models()  # every part's tables, so that autogenerate sees the whole schema

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `msp-feedback db upgrade`")
run_migrations_online()
