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


def test_contacts_stored_before_their_match_values_are_kept_filled_and_found(tmp_path):
    """Migration 0014 adds the normalised number and address privacy requests find contacts by, and fills
    them for the rows already there."""
    from sqlalchemy import text

    from service.privacy.person import PersonQuery, find_person
    from service.storage.orm import Contact

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0013_meeting_action_cut")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO contacts (id, preference, phone, email, created_at, last_contact_at) VALUES "
                                "(1, 'sms', '07700 900123', NULL, '2026-01-01 00:00:00', '2026-01-01 00:00:00'), "
                                "(2, 'email', NULL, 'Pat@Example.org', '2026-01-01 00:00:00', '2026-01-01 00:00:00'), "
                                "(3, 'none', NULL, NULL, '2026-01-01 00:00:00', '2026-01-01 00:00:00'), "
                                "(4, 'sms', 'not a number', NULL, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
    engine.dispose()

    upgrade(url)
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            assert [(c.phone, c.email, c.phone_match, c.email_match) for c in session.scalars(select(Contact).order_by(Contact.id))] == [
                ("07700 900123", None, "+447700900123", None), (None, "Pat@Example.org", None, "pat@example.org"),
                (None, None, None, None), ("not a number", None, "", None)]
            assert find_person(session, PersonQuery.parse(phone="0044 7700 900123"), "any key").contact_ids == [1]
            assert find_person(session, PersonQuery.parse(email="pat@example.org"), "any key").contact_ids == [2]
    finally:
        engine.dispose()


def test_unreadable_paper_pages_stored_before_their_sheet_column_are_filled_from_their_reason(tmp_path):
    """Migration 0020 adds the sheet an unreadable page's QR code named (erasure and subject-access export find
    the page by it), and fills it for the pages already kept, from the reason the scanner wrote."""
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0019_outbox_purpose_index")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO paper_sheets (sheet_id, form_id, form_version, language, pages, created_at) "
                                "VALUES ('AB12CD34EF', 'msp', 1, 'en', 4, '2026-01-01 00:00:00')"))
        connection.execute(text(
            "INSERT INTO paper_unreadable (id, source, page, reason, image_png, created_at) VALUES "
            "(1, 'a.pdf', 3, 'corner marks not found (2 of 4): page cut off, folded or not ours [sheet AB12CD34EF page 3]', x'89', '2026-01-01 00:00:00'), "
            "(2, 'b.pdf', 1, 'another copy of sheet AB12CD34EF page 1, already returned, with different answers (consent): "
            "a person must decide whose they are', x'89', '2026-01-01 00:00:00'), "
            "(3, 'c.pdf', 1, 'no QR code found (not our form, blank, or too damaged)', x'89', '2026-01-01 00:00:00'), "
            "(4, 'd.pdf', 2, 'blank page [sheet ZZZZZZZZZZ page 2]', x'89', '2026-01-01 00:00:00'), "
            "(5, 'e.pdf', 1, '[sheet AB12CD34EF page 3] was in a file name, not at the end', x'89', '2026-01-01 00:00:00')"))
    engine.dispose()

    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, sheet_id FROM paper_unreadable ORDER BY id")).all()
        # A sheet this service never issued (4), or a marker not where the scanner puts it (5), fills nothing.
        assert [tuple(r) for r in rows] == [(1, "AB12CD34EF"), (2, "AB12CD34EF"), (3, None), (4, None), (5, None)]
    finally:
        engine.dispose()
