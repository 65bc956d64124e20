"""Finding a person's contact rows for a privacy request by their normalised number or address
(service/privacy/contact_match.py): an indexed query, not a comparison of every stored number; the same
numbers and addresses still match, whatever SECRET_KEY the process has, and a blanked row is found by nothing."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, select, update

from service.domain.model import Consent
from service.privacy.person import PersonQuery, find_person
from service.privacy.retention import apply_retention
from service.storage.orm import Contact, Submission
from service.storage.types import utcnow

from .conftest import bearer, submit

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
        column = "phone_match" if "phone" in query else "email_match"
        assert any(f"contacts.{column} =" in s for s, _ in statements), query
        assert _most_contact_rows_read(services.engine, statements) == 1, query


def test_a_number_or_address_written_another_way_finds_the_row(services):
    stored = submit(services, provider_id=None, consent=Consent.NONE, phone="07700 900123", email=" Pat.Lee@Example.ORG")
    contact = _contact_of(services, stored.submission_id)
    assert (contact.phone_match, contact.email_match) == ("+447700900123", "pat.lee@example.org")   # at intake
    for phone in ("07700 900123", "+44 7700 900123", "0044 7700 900123", "+447700900123", "(07700) 900-123"):
        assert _found(services, phone=phone) == [contact.id], phone
    for email in ("pat.lee@example.org", "PAT.LEE@EXAMPLE.ORG "):
        assert _found(services, email=email) == [contact.id], email
    assert _found(services, phone="07700 900124") == [] and _found(services, email="pat@example.org") == []


def test_a_process_with_another_secret_key_finds_the_same_rows(services):
    """Second review: with keyed hashes, a worker or a shell without SECRET_KEY (it makes its own) keyed rows
    nobody could find again, and an erasure reported success with the number still stored."""
    stored = submit(services, provider_id=None, consent=Consent.NONE, phone="07700 900123")
    contact_id = _contact_of(services, stored.submission_id).id
    assert _found(services, secret_key="a key nobody else has", phone="07700 900123") == [contact_id]


def test_a_row_whose_values_were_never_normalised_is_still_found(services):
    stored = submit(services, provider_id=None, consent=Consent.NONE, phone="07700 900123", email="pat@example.org")
    contact_id = _contact_of(services, stored.submission_id).id
    with services.session_factory.begin() as session:
        session.execute(update(Contact).where(Contact.id == contact_id).values(phone_match=None, email_match=None))
    assert _found(services, phone="+44 7700 900123") == [contact_id]
    assert _found(services, email="PAT@example.org") == [contact_id]


def test_a_blanked_contact_keeps_no_normalised_values_and_is_found_by_nothing(client, services, admin_token):
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
        assert (contact.phone, contact.email, contact.phone_match, contact.email_match) == (None, None, None, None)
    for query in ({"phone": "07700 900123"}, {"email": "pat@example.org"}, {"phone": "07700 900456"}, {"email": "sam@example.org"}):
        assert _found(services, **query) == [], query
