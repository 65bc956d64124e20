"""The API keeps only the contact detail the chosen way of hearing back needs, as the web form does (audit,
round 13: it kept a name and number for someone who chose not to hear back, for 12 months)."""
from __future__ import annotations

from sqlalchemy import select

from service.storage.orm import Submission
from tests.api.test_api import EXAMPLE, post


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
