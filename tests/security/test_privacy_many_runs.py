"""A request by phone for a number with many SMS runs (a seventh review): the replies of its runs kept as feedback
of their own are found in one statement; one OR of a LIKE per run failed on SQLite at 1,000 runs (its maximum
expression depth), and retention keeps the runs' rows, so a number's runs only grow."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql

from channels.sms.models import SmsConversation
from channels.sms.phone import phone_hash
from service.privacy.person import PersonQuery, find_person
from service.storage.orm import Submission
from service.storage.types import utcnow

PERSON = "+447911123456"


def _runs(services, n: int) -> list[str]:
    now = utcnow()
    hashed = phone_hash(PERSON, services.settings.secret_key)
    ids = [str(uuid.uuid4()) for _ in range(n)]
    with services.session_factory.begin() as session:
        session.add_all([SmsConversation(id=run, phone_hash=hashed, language="en", questionnaire_id="msp", questionnaire_version=1,
                                         status="expired", state={}, created_at=now, updated_at=now, expires_at=now, ended_at=now)
                         for run in ids])
    return ids


def _submission(session, key: str) -> str:
    now = utcnow()
    row = Submission(id=str(uuid.uuid4()), reference=f"MSP-{uuid.uuid4().hex[:4].upper()}-{uuid.uuid4().hex[:4].upper()}",
                     channel="sms", language="en", questionnaire_id="msp", questionnaire_version=1, answers={},
                     communication_needs=[], received_at=now, created_at=now, idempotency_key=key, urgent=False)
    session.add(row)
    return row.id


def test_a_number_with_1000_runs_finds_exactly_its_runs_replies(services, client, admin_token):
    runs = _runs(services, 1000)
    with services.session_factory.begin() as session:
        mine = {_submission(session, f"sms-conversation:{runs[0]}:reply:SM{'a' * 32}"),
                _submission(session, f"sms-conversation:{runs[-1]}:reply:SM{'b' * 32}")}
        others = {_submission(session, f"sms-conversation:{uuid.uuid4()}:reply:SM{'c' * 32}"),   # another number's run
                  _submission(session, f"sms-conversation:{runs[1]}"),                          # a record, not a reply
                  _submission(session, f"api:sms-conversation:{runs[2]}:reply:SM{'d' * 32}")}   # an API client's key
    with services.session_factory() as session:
        found = {s.id for s in find_person(session, PersonQuery.parse(phone=PERSON), services.settings.secret_key).submissions}
    assert mine <= found and not (others & found)
    headers = {"Authorization": f"Bearer {admin_token}"}
    assert client.simulate_post("/api/v1/privacy/subject-access", json={"phone": PERSON}, headers=headers).status_code == 200
    assert client.simulate_post("/api/v1/privacy/erasures", json={"phone": PERSON}, headers=headers).status_code == 200
    with services.session_factory() as session:
        assert session.scalar(select(SmsConversation.id)) is None


@pytest.fixture
def english_collation(engine):
    """A PostgreSQL database made with an English locale (a cluster initialised with en_GB.UTF-8, usual on a UK
    server): its text columns compare by that locale, where ";" sorts before ":"."""
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL collation")
    with engine.begin() as connection:
        connection.execute(sql('ALTER TABLE submissions ALTER COLUMN idempotency_key TYPE varchar(200) COLLATE "en-GB-x-icu"'))
    yield
    with engine.begin() as connection:
        connection.execute(sql('ALTER TABLE submissions ALTER COLUMN idempotency_key TYPE varchar(200) COLLATE "default"'))


def test_replies_kept_alone_are_found_in_a_database_with_an_english_locale(services, english_collation):
    """The replies' keys were read as a range from "sms-conversation:" to "sms-conversation;", which under an
    English collation is empty: a request by phone, and the record's staff page and a request by its
    reference, missed every reply kept alone (a review of this session)."""
    from service.privacy.person import sms_reply_key, sms_run_key, sms_run_links

    [run] = _runs(services, 1)
    with services.session_factory.begin() as session:
        record = _submission(session, sms_run_key(run))
        reply = _submission(session, sms_reply_key(run, "SM" + "a" * 32))
    with services.session_factory() as session:
        assert reply in find_person(session, PersonQuery.parse(phone=PERSON), services.settings.secret_key).submission_ids
        links = sms_run_links(session, session.get(Submission, record))
        assert links is not None and [r.id for r in links.replies] == [reply]
