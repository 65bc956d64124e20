"""Person lookup benchmark: finding a person's contact rows for a privacy request (erasure, subject-access
export, withdrawal of consent) by phone number or email address.

The service's path (service/privacy/person.py `find_person`) looks the query's normalised value up in an
index (service/privacy/contact_match.py). The baseline, measured in the same run on the same rows, is the lookup
it replaced: read every contact row with a phone number (or email address) and compare each normalised
value in Python. Queries are written differently from the stored values ("+44 7700 900123" for a stored
"07700 900123", "Pat@Example.org" for "pat@example.org"); every query finds its one person.

Prints lookups per second of the contact-matching step alone and of the whole `find_person` (which then
reads the person's feedback and the registered tables) with each path, and the ratios.

    .venv/bin/python benchmarks/person_lookup.py [--contacts 100000] [--lookups 2000] [--database-url URL]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.app import load_models  # noqa: E402
from service.privacy import person  # noqa: E402
from service.privacy.contact_match import match_values, normalise_email, normalise_phone  # noqa: E402
from service.privacy.person import PersonQuery, find_person  # noqa: E402
from service.storage.database import make_engine, make_session_factory  # noqa: E402
from service.storage.migrate import upgrade  # noqa: E402
from service.storage.orm import Contact  # noqa: E402
from service.storage.types import utcnow  # noqa: E402

SECRET_KEY = "benchmark-secret-key-0123456789abcdef0123456789"   # find_person keys SMS tables' hashes with it


def old_python_scan(session, query: PersonQuery) -> list[int]:
    """The lookup before the match columns (as it was in service/privacy/person.py): every row, compared in Python."""
    rows = session.execute(select(Contact.id, Contact.phone, Contact.email).where(
        (Contact.phone.is_not(None)) if query.phone else (Contact.email.is_not(None)))).all()
    if query.phone:
        return [r.id for r in rows if normalise_phone(r.phone) == query.phone]
    return [r.id for r in rows if normalise_email(r.email) == query.email]


def stored_phone(n: int) -> str:
    """A UK mobile number as people write it: one in three with a space, one in three in E.164."""
    national = f"07{700000000 + n * 7:09d}"
    return (f"{national[:5]} {national[5:]}", national, "+44" + national[1:])[n % 3]


def seed(factory, contacts: int) -> None:
    now = utcnow()
    rows = []
    for n in range(contacts):
        phone = stored_phone(n) if n % 4 else None          # a quarter chose email only
        email = f"person{n}@example.org" if n % 2 == 0 else None
        rows.append(dict(preference="sms" if phone else "email", safe_to_contact=True, phone=phone, email=email,
                         **match_values(phone, email), created_at=now, last_contact_at=now))
    with factory.begin() as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(Contact), rows[start:start + 5000])


def queries(contacts: int, count: int, rng: random.Random, first_id: int) -> list[tuple[PersonQuery, int]]:
    """Queries written differently from the stored value, with the id of the row each must find."""
    picked = []
    while len(picked) < count:
        n = rng.randrange(contacts)
        if n % 4 and rng.random() < 0.5:
            national = f"07{700000000 + n * 7:09d}"
            picked.append((PersonQuery.parse(phone="+44 " + national[1:5] + " " + national[5:]), first_id + n))
        elif n % 2 == 0:
            picked.append((PersonQuery.parse(email=f"Person{n}@Example.ORG"), first_id + n))
    return picked


def rate(factory, lookups: list[tuple[PersonQuery, int]], lookup) -> float:
    with factory() as session:
        started = time.perf_counter()
        for query, expected in lookups:
            found = lookup(session, query)
            assert found == [expected], (query, found, expected)
        return len(lookups) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=2000, help="lookups by the indexed path")
    parser.add_argument("--baseline-lookups", type=int, default=10, help="lookups by the Python scan (seconds each)")
    parser.add_argument("--database-url", default=None, help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='person-lookup-')}/bench.sqlite3"
    load_models()
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as session:
        if session.scalar(select(func.count()).select_from(Contact)):
            raise SystemExit("the database already holds contacts: give an empty one")
    started = time.perf_counter()
    seed(factory, args.contacts)
    print(f"seeded {args.contacts:,} contacts in {time.perf_counter() - started:.1f} s "
          f"({'postgresql' if url.startswith('postgres') else 'sqlite'})")

    with factory() as session:
        first_id = session.scalar(select(func.min(Contact.id)))
    rng = random.Random(14)
    fast = queries(args.contacts, args.lookups, rng, first_id)
    slow = queries(args.contacts, args.baseline_lookups, rng, first_id)
    matching = rate(factory, fast, person._contacts_matching)
    matching_old = rate(factory, slow, old_python_scan)
    whole = rate(factory, fast, lambda s, q: find_person(s, q, SECRET_KEY).contact_ids)
    indexed = person._contacts_matching
    person._contacts_matching = old_python_scan     # the whole find_person as it was: same code around the scan
    try:
        whole_old = rate(factory, slow, lambda s, q: find_person(s, q, SECRET_KEY).contact_ids)
    finally:
        person._contacts_matching = indexed
    engine.dispose()

    print(f"{'':34}{'indexed':>14}{'Python scan':>14}{'ratio':>10}")
    print(f"{'matching contact rows, lookups/s':34}{matching:>14,.0f}{matching_old:>14,.2f}{matching / matching_old:>10,.0f}x")
    print(f"{'whole find_person, lookups/s':34}{whole:>14,.0f}{whole_old:>14,.2f}{whole / whole_old:>10,.0f}x")
    print(json.dumps({"contacts": args.contacts, "database": "postgresql" if url.startswith("postgres") else "sqlite",
                      "matching_per_s": round(matching, 1), "matching_scan_per_s": round(matching_old, 3),
                      "find_person_per_s": round(whole, 1), "find_person_scan_per_s": round(whole_old, 3),
                      "ratio_matching": round(matching / matching_old, 1), "ratio_find_person": round(whole / whole_old, 1)}))


if __name__ == "__main__":
    main()
