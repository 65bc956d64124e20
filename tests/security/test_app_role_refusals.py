"""`db grant-app-role` refuses roles that could still empty or drop the audit log: a member of the tables'
owner, a role with CREATEROLE (which can make itself one), and the database's owner (which on PostgreSQL
15+ owns the public schema through pg_database_owner, so may DROP any table in it). A second review found
each accepted."""
from __future__ import annotations

import secrets

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError



@pytest.fixture
def new_role(services):
    if services.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    made = []

    def make(attributes: str = "") -> str:
        role = f"msp_refused_{secrets.token_hex(4)}"
        with services.engine.begin() as connection:
            connection.execute(text(f"CREATE ROLE {role} LOGIN {attributes}"))
        made.append(role)
        return role

    yield make
    with services.engine.begin() as connection:
        database = connection.execute(text("SELECT current_database()")).scalar()
        connection.execute(text(f'ALTER DATABASE "{database}" OWNER TO CURRENT_USER'))
        for role in made:
            connection.execute(text(f"DROP OWNED BY {role}"))
            connection.execute(text(f"DROP ROLE {role}"))


def _as(services, role: str):
    return create_engine(make_url(services.settings.database_url).set(username=role, password=None))


def _table_owner(services) -> str:
    with services.engine.begin() as connection:
        return connection.execute(text("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_events' "
                                       "AND schemaname = current_schema()")).scalar()


def _can_disarm_the_audit_log(services, role: str, statement: str) -> bool:
    engine = _as(services, role)
    try:
        with engine.connect() as connection:
            transaction = connection.begin()
            try:
                connection.execute(text(statement))
                return True
            except DBAPIError:
                return False
            finally:
                transaction.rollback()
    finally:
        engine.dispose()


def test_a_member_of_the_owner_is_refused_or_cannot_disable_the_trigger(cli, new_role, services):
    role = new_role()
    with services.engine.begin() as connection:
        connection.execute(text(f'GRANT "{_table_owner(services)}" TO {role}'))
    result = cli("db", "grant-app-role", role)
    if result.exit_code != 0:
        return            # refused: fine
    assert not _can_disarm_the_audit_log(services, role, "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
    assert not _can_disarm_the_audit_log(services, role, "TRUNCATE audit_events")


def test_the_database_owner_is_refused_or_cannot_drop_the_audit_log(cli, new_role, services):
    role = new_role()
    with services.engine.begin() as connection:
        database = connection.execute(text("SELECT current_database()")).scalar()
        connection.execute(text(f'ALTER DATABASE "{database}" OWNER TO {role}'))
    result = cli("db", "grant-app-role", role)
    if result.exit_code != 0:
        return
    assert not _can_disarm_the_audit_log(services, role, "DROP TABLE audit_events CASCADE")


def test_a_role_that_may_create_roles_is_refused(cli, new_role):
    # With CREATEROLE (PostgreSQL 15) it may `GRANT <owner> TO itself` and then drop the trigger or TRUNCATE.
    role = new_role("CREATEROLE")
    assert cli("db", "grant-app-role", role).exit_code != 0
