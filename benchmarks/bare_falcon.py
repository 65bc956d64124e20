"""The baseline for the intake benchmark: a bare Falcon app doing one SQLAlchemy insert per request.

Served by gunicorn the same way as the service (`gunicorn benchmarks.bare_falcon:app`), on the same
kind of database (DATABASE_URL), so the ratio shows what the service's own work costs. The benchmark
creates the table before gunicorn starts (two workers creating it at once would race).
"""
from __future__ import annotations

import functools
import json
import os

import falcon
from sqlalchemy import Column, Engine, Integer, MetaData, Table, Text, insert

from service.storage.database import make_engine

metadata = MetaData()
rows = Table("bench_bare_rows", metadata, Column("id", Integer, primary_key=True), Column("body", Text, nullable=False))


@functools.lru_cache(maxsize=1)
def engine() -> Engine:
    return make_engine(os.environ["DATABASE_URL"])


class Rows:
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = req.bounded_stream.read()
        with engine().begin() as connection:
            new_id = connection.execute(insert(rows).values(body=body.decode())).inserted_primary_key[0]
        resp.status = falcon.HTTP_201
        resp.text = json.dumps({"id": new_id})


app = falcon.App()
app.add_route("/rows", Rows())
