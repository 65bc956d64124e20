"""Unit of work: one transaction, committed explicitly, rolled back on any exit without commit."""
from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from service.storage.database import SQLITE_BEGIN_OPTION


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session], *, write_lock_late: bool = False):
        self._session_factory = session_factory
        self._write_lock_late = write_lock_late
        self.session: Session

    def __enter__(self) -> "UnitOfWork":
        self.session = self._session_factory()
        if self._write_lock_late:
            # SQLite only: for a transaction that only reads, or whose first statement is a write, the write
            # lock can be taken at the first write instead of at BEGIN (see storage.database).
            self.session.connection(execution_options={SQLITE_BEGIN_OPTION: "DEFERRED"})
        return self

    def late_lock(self) -> "UnitOfWork":
        """The same unit of work, taking SQLite's write lock only at its first write."""
        return UnitOfWork(self._session_factory, write_lock_late=True)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
