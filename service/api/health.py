"""/healthz (the process is alive) and /readyz (the database is reachable and migrations are current)."""
from __future__ import annotations

import falcon
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from service.auth.permissions import Permission
from service.storage.migrate import current_revisions, head_revisions


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
            current = current_revisions(self._engine)
        except SQLAlchemyError:
            raise falcon.HTTPServiceUnavailable(title="Not ready", description="The database cannot be reached.") from None
        heads = head_revisions()
        if current != heads:
            raise falcon.HTTPServiceUnavailable(title="Not ready", description=f"The database schema is at {sorted(current) or 'nothing'}; run `msp-feedback db upgrade` to reach {sorted(heads)}.")
        resp.media = {"status": "ready", "schema": sorted(current)}
