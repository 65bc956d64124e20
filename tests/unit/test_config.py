"""Configuration the service cannot use stops start-up with a message naming the variable (README,
"Configuration"), instead of a traceback in the worker while the web says it is ready (ops audit,
findings 6 and 8: a bad SMTP_URL port, LIBRETRANSLATE_URL, the mail addresses, DATABASE_URL)."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from service.config import ConfigurationError, Settings
from service.outbox.email import SmtpSender
from tests.conftest import free_port

MAIL = {"MAIL_FROM": "feedback@example.org", "DUTY_TEAM_EMAIL": "duty@example.org"}


def _settings(tmp_path: Path, **environ: str) -> Settings:
    return Settings.from_environ({"VAR_DIR": str(tmp_path), "SECRET_KEY": "k", **environ})


@pytest.mark.parametrize("url", [
    "smtp://mail.example.org:abc", "smtp://mail.example.org:99999", "smtp://mail.example.org:0",
    "smtp://", "smtp://user:secret@:587",
    "smtp://user:secret@mail.example.org:587?starttls=ture",    # would have sent the password in clear
    "smtp://user:secret@mail.example.org:587?start_tls=true",
    "smtps://user:secret@mail.example.org:465?starttls=true",
    "http://mail.example.org",
])
def test_an_smtp_url_the_sender_could_not_use_is_refused(tmp_path, url):
    with pytest.raises(ConfigurationError, match="SMTP_URL") as error:
        _settings(tmp_path, SMTP_URL=url, **MAIL)
    assert "secret" not in str(error.value)


@pytest.mark.parametrize("url, host, port, tls, starttls", [
    ("smtp://mail.example.org", "mail.example.org", 25, False, False),
    ("smtps://u:p%40ss@mail.example.org", "mail.example.org", 465, True, False),
    ("smtp://u:pass@mail.example.org:587?starttls=true", "mail.example.org", 587, False, True),
    ("smtp://[::1]:2525", "::1", 2525, False, False),
])
def test_an_accepted_smtp_url_is_the_server_the_sender_uses(tmp_path, url, host, port, tls, starttls):
    settings = _settings(tmp_path, SMTP_URL=url, **MAIL)
    sender = SmtpSender(settings.smtp_url, settings.mail_from)
    assert (sender._host, sender._port, sender._tls, sender._starttls) == (host, port, tls, starttls)


@pytest.mark.parametrize("url", ["notaurl", "libretranslate:5000", "ftp://lt.example.org", "http://", "http://lt:abc"])
def test_a_libretranslate_url_without_http_and_a_host_is_refused(tmp_path, url):
    with pytest.raises(ConfigurationError, match="LIBRETRANSLATE_URL"):
        _settings(tmp_path, LIBRETRANSLATE_URL=url)
    assert _settings(tmp_path, LIBRETRANSLATE_URL="http://libretranslate:5000").libretranslate_url == "http://libretranslate:5000"


@pytest.mark.parametrize("variable, value", [
    ("MAIL_FROM", "feedback"), ("MAIL_FROM", "not an address"), ("MAIL_FROM", "Board feedback@example.org"),
    ("MAIL_FROM", "a@example.org, b@example.org"),                  # the From of every email is one address
    ("DUTY_TEAM_EMAIL", "duty"), ("DUTY_TEAM_EMAIL", "duty@example.org manager@example.org"),
    ("DUTY_TEAM_EMAIL", "duty@example.org; manager@example.org"), ("DUTY_TEAM_EMAIL", "duty@example.org,"),
])
def test_a_mail_address_that_is_not_one_is_refused(tmp_path, variable, value):
    with pytest.raises(ConfigurationError, match=variable):
        _settings(tmp_path, SMTP_URL="smtp://mail.example.org", **{**MAIL, variable: value})


def test_plausible_addresses_and_a_list_for_the_duty_team_are_accepted(tmp_path):
    settings = _settings(tmp_path, SMTP_URL="smtp://mail.example.org",
                         MAIL_FROM='"Bolton SAB, feedback" <feedback@example.org>',
                         DUTY_TEAM_EMAIL="duty@example.org, Duty Manager <manager@example.org>")
    assert settings.duty_team_email == "duty@example.org, Duty Manager <manager@example.org>"


def test_a_postgres_url_as_heroku_sets_it_is_accepted(tmp_path):
    url = "postgres://app:secret@db.example.org:5432/feedback"
    assert _settings(tmp_path, DATABASE_URL=url).database_url == url


@pytest.mark.parametrize("url", [
    "sqlite", "postgresql:bad", "mysql://x", "postgresql+psycopg2://app@db.example.org/feedback",
    "postgresql://app:secret@db.example.org:abc/feedback", "postgres://app:secret@db.example.org:99999/feedback",
])
def test_a_database_url_the_engine_could_not_open_is_refused(tmp_path, url):
    with pytest.raises(ConfigurationError, match="DATABASE_URL") as error:
        _settings(tmp_path, DATABASE_URL=url)
    assert "secret" not in str(error.value)


# Through the command line, as an operator meets them: a message naming the variable, no traceback.

def _run(monkeypatch, tmp_path: Path, command: list[str], **environ: str):
    from service.cli import main

    for name, value in {"VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": "k",
                        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **environ}.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, command)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1 and "Traceback" not in result.output
    return result.output


def test_the_worker_will_not_start_with_a_bad_smtp_port(monkeypatch, tmp_path):
    output = _run(monkeypatch, tmp_path, ["worker", "--once"], SMTP_URL="smtp://mail.example.org:abc", **MAIL)
    assert "Invalid configuration: SMTP_URL: has a port that is not a number from 1 to 65535" in output


def test_an_unreachable_database_is_reported_as_database_url(monkeypatch, tmp_path):
    url = f"postgresql://app:secret@127.0.0.1:{free_port()}/feedback"     # nothing listens there
    for command in (["worker", "--once"], ["db", "upgrade"]):
        output = _run(monkeypatch, tmp_path, command, DATABASE_URL=url)
        assert "DATABASE_URL: cannot use the database at postgresql://app:***@127.0.0.1" in output, (command, output)
        assert "secret" not in output


def test_a_sqlite_file_that_cannot_be_opened_is_reported_as_database_url(monkeypatch, tmp_path):
    (tmp_path / "a-file").write_text("")
    output = _run(monkeypatch, tmp_path, ["worker", "--once"], DATABASE_URL=f"sqlite:///{tmp_path / 'a-file' / 'db.sqlite3'}")
    assert "DATABASE_URL: cannot open the database" in output
    (tmp_path / "a-folder.sqlite3").mkdir()
    output = _run(monkeypatch, tmp_path, ["worker", "--once"], DATABASE_URL=f"sqlite:///{tmp_path / 'a-folder.sqlite3'}")
    assert "DATABASE_URL: cannot use the database at sqlite:///" in output and "unable to open database file" in output
