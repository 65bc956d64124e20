"""`msp-feedback db grant-app-role`: the service runs as a PostgreSQL role that owns nothing, which cannot
empty or change the audit log nor drop its trigger (an owner can), and everything it does still works."""
from __future__ import annotations

import secrets

import falcon.testing
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from service.analysis import PipelineHolder
from service.app import build_services, create_app
from service.audit.models import AuditEvent
from service.auth.permissions import Role
from service.runtime import build_handlers
from service.storage.orm import OutboxMessage
from service.worker import Worker
from tests.conftest import make_token, settings_for

DISCLOSING = "My son takes my pension every week and says he will put me in a home if I tell anyone."


@pytest.fixture
def app_role(services):
    if services.engine.dialect.name != "postgresql":
        pytest.skip("database roles are PostgreSQL's (TEST_DATABASE_URL=postgresql://...)")
    role = f"msp_app_{secrets.token_hex(4)}"
    with services.engine.begin() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN"))
    yield role
    with services.engine.begin() as connection:
        connection.execute(text(f"DROP OWNED BY {role}"))
        connection.execute(text(f"DROP ROLE {role}"))


def test_sqlite_has_no_roles_and_says_so(cli, services):
    if services.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite refusal")
    result = cli("db", "grant-app-role", "msp_app")
    assert result.exit_code != 0 and "SQLite" in result.output


def test_a_role_that_could_do_anything_is_refused(cli, app_role, services):
    assert "no role" in cli("db", "grant-app-role", app_role + "_missing").output
    assert "superuser" in cli("db", "grant-app-role", make_url(services.settings.database_url).username or "postgres").output
    assert cli("db", "grant-app-role", "Robert'); DROP TABLE audit_events;--").exit_code != 0


def test_the_service_runs_as_the_app_role_which_cannot_touch_the_audit_log(cli, app_role, services, tmp_path):
    granted = cli("db", "grant-app-role", app_role)
    assert granted.exit_code == 0, granted.output
    app_url = make_url(services.settings.database_url).set(username=app_role, password=None)
    settings = settings_for(app_url.render_as_string(hide_password=False), tmp_path / "app")
    as_app = build_services(settings)
    try:
        as_app.pipelines._pipeline = PipelineHolder(settings).get()
        client = falcon.testing.TestClient(create_app(services=as_app))
        body = {"language": "en", "answers": {"feel_safer": "less_safe"}, "texts": {"own_words": DISCLOSING}, "consent": "anonymous"}
        made = client.simulate_post("/api/v1/submissions", json=body)
        assert made.status_code == 201, made.text
        worker = Worker(as_app.session_factory, build_handlers(settings, as_app.session_factory, as_app.pipelines), max_attempts=3)
        for _ in range(5):
            worker.run_once()
        with services.session_factory() as session:
            assert session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "duty_alert")).first() is not None
        admin = {"Authorization": f"Bearer {make_token(services, Role.ADMIN)}"}
        assert client.simulate_get(f"/api/v1/submissions/{made.json['id']}", headers=admin).status_code == 200   # audited
        assert client.simulate_post("/api/v1/privacy/retention", headers=admin).status_code == 200
        erased = client.simulate_post("/api/v1/privacy/erasures", json={"reference": made.json["reference"]}, headers=admin)
        assert erased.status_code == 200, erased.text
        with services.session_factory() as session:
            assert session.scalars(select(AuditEvent).where(AuditEvent.action == "submission.view")).first() is not None

        # Refused for want of the right, before the trigger is reached (the owner could drop the trigger).
        for statement in ("DELETE FROM audit_events", "UPDATE audit_events SET action = 'x'"):
            with pytest.raises(DBAPIError, match="permission denied"):
                with as_app.engine.begin() as connection:
                    connection.execute(text(statement))
        for statement in ("TRUNCATE audit_events", "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only",
                          "DROP TRIGGER audit_events_append_only ON audit_events", "TRUNCATE submissions CASCADE",
                          "UPDATE alembic_version SET version_num = 'x'", "CREATE TABLE sneaky (id int)"):
            with pytest.raises(DBAPIError, match="permission denied|must be owner|append-only"):
                with as_app.engine.begin() as connection:
                    connection.execute(text(statement))
    finally:
        as_app.engine.dispose()
