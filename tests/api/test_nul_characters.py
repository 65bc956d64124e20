"""A NUL character (U+0000) anywhere in a request never loses the feedback or makes a 500.

PostgreSQL cannot store NUL in text or JSONB; these run on SQLite and, in CI, on PostgreSQL too.
"""
from __future__ import annotations

import json

from sqlalchemy import bindparam, select, text

from service.outbox.outbox import ANALYSE_TEXT
from service.storage.orm import FreeText, OutboxMessage
from service.storage.types import JSONType
from tests.api.test_api import EXAMPLE, post


def test_feedback_with_nul_is_stored_without_it(client, admin_headers, services):
    body = {**EXAMPLE, "texts": {"own_words": "he hits me \u0000every day"}, "case_reference": "ref\u0000",
            "contact": {"preference": "phone", "phone": "07700 900123", "name": "Ann\u0000 Lee"}, "consent": "named"}
    response = post(client, body)
    assert response.status_code == 201, response.text
    item = client.simulate_get(f"/api/v1/submissions/{response.json['id']}", headers=admin_headers).json
    assert item["texts"] == {"own_words": "he hits me every day"}
    with services.session_factory() as session:
        assert session.scalars(select(FreeText.text)).all() == ["he hits me every day"]


def test_nul_in_queries_and_paths_is_no_500(client, admin_headers):
    assert client.simulate_get("/api/v1/submissions", params={"language": "\u0000"}, headers=admin_headers).status_code == 200
    assert client.simulate_get("/api/v1/submissions/MSP-\u0000", headers=admin_headers).status_code == 404
    assert client.simulate_get("/api/v1/audit", params={"action": "a\u0000"}, headers=admin_headers).status_code in (200, 400)


def test_nul_is_dropped_from_json_values_bound_to_sql(engine):
    # JSONB refuses "\u0000" as well as text does; the engine's serializer drops it first.
    cast = "cast(:v as jsonb)" if engine.dialect.name == "postgresql" else "json(:v)"
    statement = text(f"select {cast}").bindparams(bindparam("v", type_=JSONType))
    with engine.connect() as connection:
        stored = connection.execute(statement, {"v": {"k\u0000": ["a\u0000b"]}}).scalar_one()
    assert (json.loads(stored) if isinstance(stored, str) else stored) == {"k": ["ab"]}


def test_nul_is_dropped_from_every_shape_of_parameters(services):
    # Several rows in one INSERT ("insertmanyvalues": one dict on PostgreSQL, one flat tuple on SQLite,
    # though flagged executemany) and a true executemany both keep their rows whole.
    from service.storage.orm import Provider

    with services.session_factory.begin() as session:
        session.add_all([Provider(name="Alder\u0000 Court", type="care_home", area="Bolton"),
                         Provider(name="Birch", type="home_care", area="Bol\u0000ton")])
    with services.engine.begin() as connection:
        connection.execute(text("UPDATE providers SET area = :area WHERE name = :name"),
                           [{"area": "Wigan\u0000", "name": "Alder Court"}, {"area": "Bury", "name": "Birch"}])
    with services.session_factory() as session:
        assert sorted(session.execute(select(Provider.name, Provider.area)).all()) == [("Alder Court", "Wigan"), ("Birch", "Bury")]


def test_words_that_are_only_nul_are_no_answer(client, admin_headers, services):
    # The blank test ran before the database dropped the NUL: an empty answer was stored (and a text check
    # queued for it), and a case reference of "\u0000" became "" (intake audit #11).
    response = post(client, {**EXAMPLE, "texts": {"own_words": "\u0000", "better": " \u0000\n"}, "case_reference": "\u0000",
                             "communication_needs": ["other"], "communication_needs_other": "\u0000\u0000",
                             "contact": {"preference": "sms", "phone": "07700 900123", "name": "\u0000"}})
    assert response.status_code == 201, response.text
    item = client.simulate_get(response.headers["location"], headers=admin_headers).json
    assert item["texts"] == {} and item["case_reference"] is None and item["communication_needs_other"] is None, item
    assert client.simulate_get(f"{response.headers['location']}/contact", headers=admin_headers).json["name"] is None
    with services.session_factory() as session:
        assert session.scalars(select(FreeText)).all() == []
        assert session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == ANALYSE_TEXT)).all() == []


def test_the_one_detail_needed_cannot_be_only_nul(client):
    answer = post(client, {**EXAMPLE, "contact": {"preference": "letter", "postal_address": "\u0000 "}})
    assert answer.status_code == 422 and "contact" in answer.text, answer.text
