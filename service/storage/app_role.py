"""The least a PostgreSQL role needs to run the service, for a database owned by another role.

The audit log's trigger refuses UPDATE and DELETE, but the owner of a table may drop its triggers,
and TRUNCATE fires no row or statement trigger of that kind. So in production the migrations run as
the owner (`msp-feedback db upgrade` with the owner's DATABASE_URL) and the web and worker processes as
a role that owns nothing: it may read and write rows, but not TRUNCATE any table, nor change or
delete audit events, nor alter the schema (which drops or disables triggers).
"""
from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Engine

AUDIT_TABLE = "audit_events"
MIGRATIONS_TABLE = "alembic_version"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class AppRoleError(ValueError):
    """The role cannot be given its rights as asked; the message says why."""


def grant_app_role(engine: Engine, role: str) -> list[str]:
    """Give ``role`` what the service needs and no more, in the database ``engine`` is connected to (as its
    owner); returns the statements run. Run again after each `db upgrade` (tables a migration adds are
    also covered by default privileges for the role that ran this)."""
    if engine.dialect.name != "postgresql":
        raise AppRoleError("Database roles are PostgreSQL's: a SQLite file has none (protect the file instead).")
    if not _ROLE_NAME.match(role):
        raise AppRoleError("A role name is lower-case letters, digits and underscores, starting with a letter or _.")
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as connection:
        if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}).first() is None:
            raise AppRoleError(f"There is no role {role!r}: create it first (CREATE ROLE {role} LOGIN PASSWORD '...').")
        if connection.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = :role"), {"role": role}).scalar():
            raise AppRoleError(f"{role!r} is a superuser: it could do anything whatever it is granted; use a plain role.")
        owned = connection.execute(text(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = :role"), {"role": role}).scalar()
        if owned:
            raise AppRoleError(f"{role!r} owns {owned} of the tables (it ran the migrations?): an owner can drop the "
                               "audit log's trigger. Run the migrations as another role and give this one its rights.")
        database, schema = connection.execute(text("SELECT current_database(), current_schema()")).one()
        who, db, sch = quote(role), quote(database), quote(schema)
        statements = [
            f"GRANT CONNECT ON DATABASE {db} TO {who}",
            f"GRANT USAGE ON SCHEMA {sch} TO {who}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {sch} TO {who}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {sch} TO {who}",
            # The audit log: added to and read, never changed or emptied.
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {quote(AUDIT_TABLE)} FROM {who}",
            # The schema version: read (the service checks it is current), written only by migrations.
            f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {quote(MIGRATIONS_TABLE)} FROM {who}",
            # Tables and sequences later migrations make (as the role running this) are covered too.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {who}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} GRANT USAGE, SELECT ON SEQUENCES TO {who}",
        ]
        for statement in statements:
            connection.execute(text(statement))
    return statements
