"""Finding a person's contact rows for a privacy request by their lookup keys (service/privacy/contact_keys.py):
an indexed query, not a comparison of every stored number; the same numbers and addresses still match, rows
keyed under a previous SECRET_KEY are still found, and a blanked row is found by nothing."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import event, select

from service.cli import main
from service.domain.model import Consent
from service.privacy.contact_keys import key_contacts
from service.privacy.person import PersonQuery, find_person
from service.privacy.retention import apply_retention
from service.runtime import build_worker
from service.storage.orm import Contact, Submission
from service.storage.types import utcnow

from .conftest import bearer, submit

OLD_KEY = "the-key-before-the-rotation-0123456789abcdef"


def _found(services, secret_key: str | None = None, previous_keys=(), **query) -> list[int]:
    with services.session_factory() as session:
        return find_person(session, PersonQuery.parse(**query), secret_key or services.settings.secret_key, previous_keys).contact_ids


def _contact_of(services, submission_id: str) -> Contact:
    with services.session_factory() as session:
        contact = session.get(Submission, submission_id).contact
        session.expunge(contact)
        return contact


@contextmanager
def _statements(engine):
    """Every SQL statement sent to the database meanwhile, with its parameters."""
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _most_contact_rows_read(engine, statements) -> int:
    """The most rows any statement reading the contacts table returned (each is run again to count them)."""
    counts = [0]
    with engine.connect() as connection:
        for statement, parameters in statements:
            if "contacts" in statement and statement.lstrip().upper().startswith("SELECT"):
                counts.append(len(connection.exec_driver_sql(statement, parameters).fetchall()))
    return max(counts)


def test_a_request_reads_only_the_persons_contact_rows_not_every_contact(services):
    person = submit(services, provider_id=None, consent=Consent.NONE, phone="07700 900123", email="pat@example.org")
    for n in range(30):   # other people: the old lookup read every one of their rows to compare numbers
        submit(services, provider_id=None, consent=Consent.NONE, phone=f"07700 9002{n:02d}", email=f"someone{n}@example.org")
    for query in ({"phone": "+44 7700 900123"}, {"email": "Pat@Example.org"}):
        with _statements(services.engine) as statements:
            found = _found(services, **query)
        assert found == [_contact_of(services, person.submission_id).id], query
        key_column = "phone_key" if "phone" in query else "email_key"
        assert any(f"WHERE contacts.{key_column} IN" in s for s, _ in statements), query
        assert _most_contact_rows_read(services.engine, statements) == 1, query


def test_a_number_or_address_written_another_way_finds_the_row_by_its_key(services):
    stored = submit(services, provider_id=None, consent=Consent.NONE, phone="07700 900123", email=" Pat.Lee@Example.ORG")
    contact = _contact_of(services, stored.submission_id)
    assert contact.phone_key and contact.email_key          # keyed at intake
    assert contact.phone_key != contact.email_key and "900123" not in contact.phone_key
    for phone in ("07700 900123", "+44 7700 900123", "0044 7700 900123", "+447700900123", "(07700) 900-123"):
        assert _found(services, phone=phone) == [contact.id], phone
    for email in ("pat.lee@example.org", "PAT.LEE@EXAMPLE.ORG "):
        assert _found(services, email=email) == [contact.id], email
    assert _found(services, phone="07700 900124") == [] and _found(services, email="pat@example.org") == []


def test_rows_keyed_under_a_previous_key_are_found_after_a_rotation_and_db_upgrade_rekeys_them(services, monkeypatch):
    stored = submit(services, provider_id=None, consent=Consent.NONE, phone="07700 900123", secret_key=OLD_KEY)
    contact_id = _contact_of(services, stored.submission_id).id
    # SECRET_KEY is new; the old one is in SECRET_KEY_PREVIOUS: the row is found under it.
    assert _found(services, previous_keys=(OLD_KEY,), phone="07700 900123") == [contact_id]
    assert _found(services, phone="07700 900123") == []       # not without it, until re-keyed
    monkeypatch.setenv("DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("SECRET_KEY", services.settings.secret_key)
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "keyed 1 contact record(s)" in result.output
    assert _found(services, phone="+447700900123") == [contact_id]    # the old key may now be dropped
    again = CliRunner().invoke(main, ["db", "upgrade"])
    assert again.exit_code == 0 and "keyed" not in again.output


def test_rows_not_keyed_yet_are_still_found_and_the_worker_keys_them(services):
    stored = submit(services, provider_id=None, consent=Consent.NONE, phone="07700 900123", email="pat@example.org", keyed=False)
    contact = _contact_of(services, stored.submission_id)
    assert contact.phone_key is None and contact.email_key is None
    assert _found(services, phone="+44 7700 900123") == [contact.id]
    assert _found(services, email="PAT@example.org") == [contact.id]
    build_worker(services.settings).run_schedules()
    keyed = _contact_of(services, stored.submission_id)
    assert keyed.phone_key and keyed.email_key
    assert _found(services, phone="+44 7700 900123") == [contact.id]


def test_a_blanked_contact_has_no_keys_and_is_found_by_nothing(client, services, admin_token):
    erased = submit(services, provider_id=None, consent=Consent.NONE, phone="07700 900123", email="pat@example.org")
    expired = submit(services, provider_id=None, consent=Consent.NONE, phone="07700 900456", email="sam@example.org")
    done = client.simulate_post("/api/v1/privacy/erasures", json={"phone": "07700 900123"}, headers=bearer(admin_token))
    assert done.status_code == 200 and done.json["erased"]["contacts"] == 1
    now = utcnow()
    with services.session_factory.begin() as session:
        session.get(Submission, expired.submission_id).contact.last_contact_at = now - timedelta(days=400)
    with services.session_factory.begin() as session:
        assert apply_retention(session, None, now).contacts_erased == 1
    for submission_id in (erased.submission_id, expired.submission_id):
        contact = _contact_of(services, submission_id)
        assert (contact.phone, contact.email, contact.phone_key, contact.email_key) == (None, None, None, None)
    for query in ({"phone": "07700 900123"}, {"email": "pat@example.org"}, {"phone": "07700 900456"}, {"email": "sam@example.org"}):
        assert _found(services, **query) == [], query
    # Nothing is left for the worker (or `db upgrade`) to key again.
    assert key_contacts(services.session_factory, services.settings.secret_key, rekey=True) == 0
