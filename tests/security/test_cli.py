"""The command-line tools: creating the first admin, password links, unlock, token list, privacy commands."""
from __future__ import annotations

import json
import re

import click
from click.testing import CliRunner
from sqlalchemy import select

from service.audit.models import AuditEvent
from service.auth.cli import privacy, token_list, user
from service.auth.models import StaffUser


def test_create_the_first_admin_with_a_link(cli_env, services, browser):
    result = cli_env.invoke(user, ["create", "--email", "Admin@Example.org", "--role", "admin", "--name", "First Admin"])
    assert result.exit_code == 0, result.output
    link = re.search(r"https://feedback\.example\.org(/staff/set-password/\S+)", result.output).group(1)
    assert browser.post(link, {"password": "a long and lovely passphrase", "confirm": "a long and lovely passphrase"}).status_code == 200
    assert browser.sign_in("admin@example.org", "a long and lovely passphrase").status_code == 303
    with services.session_factory() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert event.actor_type == "cli"


def test_create_with_a_password_from_the_environment_reset_unlock_and_list(cli_env, services, monkeypatch, seed):
    monkeypatch.setenv("NEW_PASSWORD", "another long passphrase")
    ok = cli_env.invoke(user, ["create", "--email", "resp@alder.example", "--role", "provider_responder", "--provider", str(seed.provider_a),
                               "--password-env", "NEW_PASSWORD"])
    assert ok.exit_code == 0 and "set-password" not in ok.output
    with services.session_factory() as session:
        assert session.scalar(select(StaffUser.password_hash)).startswith("$argon2id$")
    assert cli_env.invoke(user, ["create", "--email", "x@example.org", "--role", "provider_responder"]).exit_code != 0
    assert cli_env.invoke(user, ["create", "--email", "resp@alder.example", "--role", "board"]).exit_code != 0
    reset = cli_env.invoke(user, ["reset-password", "--email", "resp@alder.example"])
    assert reset.exit_code == 0 and "/staff/set-password/" in reset.output
    assert cli_env.invoke(user, ["unlock", "--email", "resp@alder.example"]).exit_code == 0
    listed = cli_env.invoke(user, ["list"])
    assert "resp@alder.example" in listed.output and "no password yet" in listed.output


def test_token_list_shows_last_use(cli_env, admin_token, client):
    client.simulate_get("/api/v1/providers", headers={"Authorization": f"Bearer {admin_token}"})
    output = cli_env.invoke(token_list, []).output
    assert "admin" in output and "never used" not in output and admin_token not in output


def test_tokens_made_and_revoked_at_the_command_line_are_audited(cli_env, services):
    """An admin token reads every person's words: one minted at the command line left no trace (audit, round 13)."""
    from service.cli import token

    made = cli_env.invoke(token, ["create", "--role", "admin", "--label", "night shift"])
    assert made.exit_code == 0, made.output
    token_id = re.search(r"token (\d+) ", made.output).group(1)
    assert cli_env.invoke(token, ["revoke", token_id]).exit_code == 0
    with services.session_factory() as session:
        events = [(e.action, e.actor_type, e.target_id) for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert ("token.create", "cli", token_id) in events and ("token.revoke", "cli", token_id) in events


def test_the_demo_admin_token_is_audited(cli_env, services):
    from service.cli import main

    assert cli_env.invoke(main, ["demo-data"]).exit_code == 0
    with services.session_factory() as session:
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "token.create")).actor_type == "cli"


def test_privacy_commands(cli_env, services, seed):
    exported = cli_env.invoke(privacy, ["export", "--email", "pat@example.org"])
    assert exported.exit_code == 0 and json.loads(exported.output)["feedback"][0]["own_words"]["own_words"]["text"] == "Staff were kind."
    erased = cli_env.invoke(privacy, ["erase", "--email", "pat@example.org", "--yes"])
    assert erased.exit_code == 0 and json.loads(erased.output)["free_texts"] == 1
    assert cli_env.invoke(privacy, ["apply-retention"]).exit_code == 0
    with services.session_factory() as session:
        actors = set(session.scalars(select(AuditEvent.actor_type).where(AuditEvent.action.like("privacy.%"))))
    assert actors == {"cli"}


def test_groups_are_click_groups():
    assert isinstance(user, click.Group) and isinstance(privacy, click.Group) and isinstance(token_list, click.Command)


def test_database_commands_say_to_upgrade_a_database_never_migrated(tmp_path, monkeypatch):
    from service.cli import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "new-database-key")
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    for command in (["reanalyse"], ["demo-data"], ["worker", "--once"], ["user", "create", "--email", "a@example.org", "--role", "admin"],
                    ["sms", "expire"]):
        result = runner.invoke(main, command)
        assert result.exit_code == 1 and "run `msp-feedback db upgrade` first" in result.output, (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
