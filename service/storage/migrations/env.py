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
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite alters a table by copying it and dropping the original: with foreign keys on, the drop
        # would cascade and delete the rows that point at it (staff sessions, password links...). The
        # pragma only takes effect outside a transaction, so it goes to the driver's connection first.
        _sqlite_foreign_keys(connection, on=False)
    try:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,  # SQLite alters tables by copying them
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, on=True)
    if sqlite:
        broken = connection.connection.dbapi_connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"after the migrations, {len(broken)} row(s) point at rows that do not exist: {broken[:5]}")


def _sqlite_foreign_keys(connection, *, on: bool) -> None:
    connection.connection.dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `msp-feedback db upgrade`")
run_migrations_online()
