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
    if not _ROLE_NAME.fullmatch(role) or role.startswith("pg_"):
        raise AppRoleError("A role name is lower-case letters, digits and underscores, starting with a letter or _ "
                           "(not one of PostgreSQL's own pg_ roles).")
    quote = engine.dialect.identifier_preparer.quote
    with engine.begin() as connection:
        _refuse_a_role_that_could_disarm_the_audit_log(connection, role)
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


def _refuse_a_role_that_could_disarm_the_audit_log(connection, role: str) -> None:
    """A role that is, or may become, what can drop the trigger, TRUNCATE or drop the table: a superuser
    (or a member of one), an owner of the tables or of the schema (or a member: SET ROLE gives its rights;
    on PostgreSQL 15 the database's owner owns "public"), the database's owner, or a role that may create
    roles (it can make itself a member of the owner)."""
    row = connection.execute(text("SELECT oid, rolcreaterole FROM pg_roles WHERE rolname = :role"), {"role": role}).first()
    if row is None:
        raise AppRoleError(f"There is no role {role!r}: create it first (CREATE ROLE {role} LOGIN PASSWORD '...').")
    checks = {
        "is a superuser, or a member of one": "SELECT count(*) FROM pg_roles r WHERE r.rolsuper AND pg_has_role(:oid, r.oid, 'MEMBER')",
        "owns the service's tables, or is a member of their owner (it ran the migrations?)":
            "SELECT count(*) FROM pg_tables t WHERE t.schemaname = current_schema() AND pg_has_role(:oid, t.tableowner, 'MEMBER')",
        "owns the schema, or is a member of its owner":
            "SELECT count(*) FROM pg_namespace n WHERE n.nspname = current_schema() AND pg_has_role(:oid, n.nspowner, 'MEMBER')",
        "owns the database": "SELECT count(*) FROM pg_database d WHERE d.datname = current_database() AND d.datdba = :oid",
    }
    for why, query in checks.items():
        if connection.execute(text(query), {"oid": row.oid}).scalar():
            raise AppRoleError(f"{role!r} {why}: it could drop the audit log's trigger or empty the log. Run the "
                               "migrations as another role and give this one, which owns nothing, its rights.")
    if row.rolcreaterole:
        raise AppRoleError(f"{role!r} may create roles (CREATEROLE): it could make itself a member of the tables' owner.")
