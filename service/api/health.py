"""/healthz (the process is alive) and /readyz (the database is reachable and migrations are current)."""
from __future__ import annotations

import falcon
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from service.auth.permissions import Permission
from service.storage.migrate import current_revision, head_revision


class Health:
    permissions = {"GET": Permission.PUBLIC}

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"status": "ok"}


class Ready:
    permissions = {"GET": Permission.PUBLIC}

    def __init__(self, engine: Engine):
        self._engine = engine

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            current = current_revision(self._engine)
        except SQLAlchemyError:
            raise falcon.HTTPServiceUnavailable(title="Not ready", description="The database cannot be reached.") from None
        head = head_revision()
        if current != head:
            raise falcon.HTTPServiceUnavailable(title="Not ready", description=f"Database schema is at {current or 'nothing'}; run `msp-feedback db upgrade` to reach {head}.")
        resp.media = {"status": "ready", "schema": current}
