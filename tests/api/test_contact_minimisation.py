"""The API keeps only the contact detail the chosen way of hearing back needs, as the web form does (audit,
round 13: it kept a name and number for someone who chose not to hear back, for 12 months)."""
from __future__ import annotations

from service.storage.orm import Submission
from tests.api.test_api import EXAMPLE, assert_problem, post


def _contact(client, admin_headers, created) -> dict:
    return client.simulate_get(f"/api/v1/submissions/{created.json['id']}/contact", headers=admin_headers).json


def test_details_for_someone_who_chose_not_to_hear_back_are_refused(client):
    answer = post(client, {**EXAMPLE, "contact": {"preference": "none", "name": "Ann Lee", "phone": "07700900123"}})
    assert answer.status_code == 422 and "contact" in answer.text


def test_a_way_of_hearing_back_without_its_detail_is_refused(client):
    for contact in ({"preference": "sms"}, {"preference": "email", "phone": "07700900123"}, {"preference": "letter", "postal_address": "  "}):
        answer = post(client, {**EXAMPLE, "contact": contact})
        assert answer.status_code == 422, (contact, answer.text)


def test_a_phone_number_needs_digits(client):
    assert post(client, {**EXAMPLE, "contact": {"preference": "sms", "phone": "-------"}}).status_code == 422


def test_only_the_detail_the_chosen_way_needs_is_kept(client, admin_headers, services):
    created = post(client, {**EXAMPLE, "consent": "named", "contact": {
        "preference": "email", "name": "Ann Lee", "email": "ann@example.org", "phone": "07700900123", "postal_address": "1 High St"}})
    assert created.status_code == 201, created.text
    kept = _contact(client, admin_headers, created)
    assert (kept["name"], kept["email"], kept["phone"], kept["postal_address"]) == ("Ann Lee", "ann@example.org", None, None)
    # Found by a privacy request (service/privacy/contact_match.py) by the address kept, not by the number dropped.
    with services.session_factory() as session:
        contact = session.get(Submission, created.json["id"]).contact
        assert contact.email_match == "ann@example.org" and contact.phone_match is None


def test_a_contact_detail_longer_than_its_column_is_a_422_naming_it(client, admin_headers):
    # The e-mail pattern bounds only the part before the @: a longer address was a 500 on PostgreSQL
    # (contacts.email is VARCHAR(320)) and stored past the column on SQLite (intake audit #3).
    too_long = {
        "email": {"preference": "email", "email": "a@" + "b" * 400 + ".org"},
        "name": {"preference": "email", "email": "ann@example.org", "name": "A" * 201},
        "phone": {"preference": "sms", "phone": "0" * 33},
        "postal_address": {"preference": "letter", "postal_address": "1 High St " * 51},
    }
    for field, contact in too_long.items():
        assert_problem(post(client, {**EXAMPLE, "contact": contact}), 422, f"contact.{field}")
    assert client.simulate_get("/api/v1/submissions", headers=admin_headers).json["items"] == []


def test_the_longest_email_address_accepted_is_stored_whole(client, admin_headers):
    email = "a" * 64 + "@" + "b" * 185 + ".org"           # 254 characters, the most an address can have
    created = post(client, {**EXAMPLE, "contact": {"preference": "email", "email": email}})
    assert created.status_code == 201, created.text
    assert _contact(client, admin_headers, created)["email"] == email
