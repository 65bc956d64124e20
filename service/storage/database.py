"""Engine and session factory for SQLite (default) and PostgreSQL."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Use psycopg 3 for postgresql:// URLs (SQLAlchemy would pick psycopg2, which we do not ship)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://"):]
    return url


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15}, hide_parameters=True,
                               json_serializer=_json_without_nul)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", _parameters_without_nul, retval=True)
        # pysqlite's own transaction handling defers BEGIN; issue it ourselves. IMMEDIATE by default, so a
        # unit of work that reads and then writes holds the write lock from the start (a DEFERRED one would
        # fail at once, without waiting, if another writer committed in between). Code whose transaction
        # only reads, or whose first statement is a write, may ask for DEFERRED (see UnitOfWork) and then
        # holds the write lock only while it writes.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # hide_parameters: error messages never quote the values (people's words, phone numbers) bound to SQL.
    engine = create_engine(url, pool_size=pool_size, max_overflow=10, pool_pre_ping=True, hide_parameters=True,
                           json_serializer=_json_without_nul)
    event.listen(engine, "before_cursor_execute", _parameters_without_nul, retval=True)
    return engine


# PostgreSQL cannot store the NUL character (U+0000) in text or JSONB: one pasted into a comment, a
# form field, an SMS or a query string made the statement fail, and the person's feedback with it
# (a 500 on every retry). NUL means nothing in anyone's words, so it is dropped from every value bound
# to SQL, here in one place, on SQLite too so both databases keep the same text.
NUL = "\x00"


def no_words(text: str | None) -> bool:
    """Nothing of `text` is left once stored but blanks: it is empty, blank, or only characters this module
    drops (NUL). Such an answer is no answer: stored as none, never as an empty one."""
    return not (text or "").replace(NUL, "").strip()


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(NUL, "") if NUL in value else value
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_without_nul(v) for v in value)
    return value


def _json_without_nul(value: Any) -> str:
    return json.dumps(_without_nul(value))


def _parameters_without_nul(conn, cursor, statement, parameters, context, executemany):
    # executemany passes a list of parameter sets, except for "insertmanyvalues" batches, which are flagged
    # executemany but bind one set (a dict on PostgreSQL, a flat tuple on SQLite) to one multi-row INSERT.
    if executemany and isinstance(parameters, list):
        return statement, [_without_nul(p) for p in parameters]
    return statement, _without_nul(parameters)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # let the "begin" event above control transactions
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


SQLITE_BEGIN_OPTION = "sqlite_begin"


def _sqlite_begin(conn) -> None:
    mode = conn.get_execution_options().get(SQLITE_BEGIN_OPTION, "IMMEDIATE")
    conn.exec_driver_sql("BEGIN DEFERRED" if mode == "DEFERRED" else "BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
