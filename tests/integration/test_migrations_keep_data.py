"""Migrating a database that holds data keeps it: SQLite alters a table by copying it, and with foreign
keys on, dropping the old copy would cascade into the rows that point at it (migration 0008 copies
staff_users, which staff sessions and password links point at). Runs on SQLite, where the problem is."""
from __future__ import annotations

from sqlalchemy import func, select

from service.auth.models import PasswordSetToken, StaffSession, StaffUser
from service.auth.users import create_user, issue_password_link
from service.auth import sessions
from service.storage.database import make_engine, make_session_factory
from service.storage.migrate import current_revisions, head_revisions, upgrade


def test_upgrading_a_sqlite_database_keeps_sessions_and_password_links(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0007_merge")
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        user = create_user(session, email="admin@example.org", role="admin")
        session.flush()
        sessions.start_session(session, user)
        issue_password_link(session, user, reset=False)
    engine.dispose()

    upgrade(url)

    engine = make_engine(url)
    try:
        assert current_revisions(engine) == head_revisions()
        with make_session_factory(engine)() as session:
            assert session.scalar(select(func.count()).select_from(StaffUser)) == 1
            assert session.scalar(select(func.count()).select_from(StaffSession)) == 1
            assert session.scalar(select(func.count()).select_from(PasswordSetToken)) == 1
        with engine.connect() as connection:   # foreign keys are on again for the service
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
