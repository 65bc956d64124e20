"""The `msp-feedback` command line: serve, worker, database, tokens, demo data, and the tools of each part."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator

import click

from service.auth.tokens import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS
from service.config import ConfigurationError, Settings


def load_settings() -> Settings:
    try:
        return Settings.from_environ()
    except ConfigurationError as error:
        raise click.ClickException(str(error)) from None


def database_settings() -> Settings:
    """The settings, for a command that reads or writes the database (which must be migrated)."""
    settings = load_settings()
    require_current_schema(settings)
    return settings


def require_current_schema(settings: Settings) -> None:
    """Commands that use the database stop with what to do, not a "no such table" traceback."""
    from service.storage.database import make_engine
    from service.storage.migrate import is_current

    with database_reachable(settings):
        engine = make_engine(settings.database_url)
        try:
            if not is_current(engine):
                raise click.ClickException("The database schema is not current: run `msp-feedback db upgrade` first.")
        finally:
            engine.dispose()


@contextmanager
def database_reachable(settings: Settings) -> Iterator[None]:
    """A database that cannot be reached or opened stops the command with a message naming DATABASE_URL,
    not a driver's traceback (which `serve` would print at every restart by a process manager)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import InterfaceError, OperationalError

    try:
        yield
    except (OperationalError, InterfaceError) as error:
        # The driver's own first line says why (refused, unknown host, bad password, unknown database);
        # the statement SQLAlchemy appends is of no use here. The password is never shown.
        reason = (str(error.orig or "").strip() or type(error).__name__).splitlines()[0]
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        raise click.ClickException(f"DATABASE_URL: cannot use the database at {where}: {reason}") from None
    except OSError as error:   # SQLite: the folder for the file cannot be made
        raise click.ClickException(f"DATABASE_URL: cannot open the database: {error}") from None


@click.group(help="msp-feedback: hear how safeguarding felt, in people's own words and languages.")
def main() -> None:
    pass


@main.command(help="Run the web service under gunicorn.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="gunicorn worker processes (default: WEB_WORKERS)")
@click.option("--with-worker", is_flag=True, help="Also run the background worker (one command for local use).")
def serve(host: str, port: int, workers: int | None, with_worker: bool) -> None:
    settings = database_settings()
    children: list[subprocess.Popen] = []
    if with_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "service.cli", "worker"]))
    command = [
        sys.executable, "-m", "gunicorn", "service.wsgi:app",
        "--bind", f"{host}:{port}", "--workers", str(workers or settings.web_workers),
        "--worker-class", "sync", "--timeout", "30", "--graceful-timeout", "10",
    ]
    children.append(subprocess.Popen(command))

    def stop_children(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()

    # SIGTERM (from a process manager or the tests) must stop gunicorn and the worker too.
    signal.signal(signal.SIGTERM, stop_children)
    signal.signal(signal.SIGINT, stop_children)
    try:
        code = children[-1].wait()
    finally:
        stop_children()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    raise SystemExit(code)


@main.command(help="Run the background worker: sends the outbox and runs background tasks.")
@click.option("--once", is_flag=True, help="Process what is due now, then exit.")
def worker(once: bool) -> None:
    settings = database_settings()
    from service.logs import configure_logging
    from service.analysis import PipelineHolder
    from service.runtime import build_worker

    configure_logging(settings.log_level)
    pipelines = PipelineHolder(settings)
    try:
        # Loaded now, not with the first comment, so that a theme model that cannot be read (THEME_MODEL_DIR)
        # is reported at start. The worker still runs: it delivers alerts and messages and checks each text
        # for disclosures on its own; the full readings fail, and `reanalyse` reads them once it is fixed.
        pipelines.get()
    except Exception as exc:  # noqa: BLE001 - any failure to load is reported the same way
        message = (f"the text check cannot load its models ({type(exc).__name__}: {exc}); texts are checked for "
                   "disclosures alone and their full reading fails; fix it, then run `msp-feedback reanalyse`")
        logging.getLogger("msp.worker").critical(message)
        click.echo(f"WARNING: {message}", err=True)
    the_worker = build_worker(settings, pipelines)
    if not settings.smtp_enabled:
        from service.runtime import NO_MAIL_WARNING

        click.echo(f"WARNING: {NO_MAIL_WARNING}", err=True)
    if once:
        click.echo(f"processed {the_worker.run_until_idle()} outbox rows")
        return
    the_worker.run_forever(settings.worker_poll_seconds)


@main.group(help="Database schema.")
def db() -> None:
    pass


@db.command("upgrade", help="Apply every migration (the only way the schema is made).")
def db_upgrade() -> None:
    settings = load_settings()
    from service.storage.migrate import upgrade

    with database_reachable(settings):
        upgrade(settings.database_url)
    click.echo("database schema is current")
    if not os.environ.get("SECRET_KEY"):
        # A key generated for this command (a release step in its own container, say) could differ from
        # the web's: sealing under it would lock people out. Each secret is sealed at its next use instead.
        click.echo("SECRET_KEY is not set here: two-step sign-in secrets are sealed at each person's next sign-in")
        return
    from service.auth.users import reseal_all_totp_secrets
    from service.runtime import session_factory

    with session_factory(settings).begin() as session:
        report = reseal_all_totp_secrets(session, settings.secret_keys)
    if report.sealed:
        click.echo(f"sealed {report.sealed} two-step sign-in secret(s) under SECRET_KEY")
    for email in report.unopened:
        click.echo(f"warning: no key in SECRET_KEY or SECRET_KEY_PREVIOUS opens the two-step secret of {email}; "
                   f"they cannot sign in until `msp-feedback user disable-two-step --email {email}`", err=True)


@db.command("grant-app-role", help="On PostgreSQL, give ROLE (which must exist and own nothing) the rights the web and worker "
                                     "need and no more: rows read and written, audit events only added, no TRUNCATE, no schema "
                                     "changes. Run as the owner that ran `db upgrade`; run again after each upgrade.")
@click.argument("role")
def db_grant_app_role(role: str) -> None:
    from service.storage.app_role import AppRoleError, grant_app_role
    from service.storage.database import make_engine

    settings = database_settings()
    engine = make_engine(settings.database_url)
    try:
        with database_reachable(settings):
            statements = grant_app_role(engine, role)
    except AppRoleError as error:
        raise click.ClickException(str(error)) from None
    finally:
        engine.dispose()
    for statement in statements:
        click.echo(statement)
    click.echo(f"{role} may now run the service; give the web and worker processes a DATABASE_URL that signs in as {role}")


@main.command("reanalyse", help="Queue every comment whose current reading another model made, to be read again by the worker "
                                 "with the model configured now (THEME_MODEL_DIR, the shipped disclosure check). History is kept.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only feedback received on or after this date (YYYY-MM-DD).")
@click.option("--per-second", type=click.FloatRange(0.1, 1000), default=5.0, show_default=True,
              help="How many fall due each second, so that new feedback is never kept waiting behind them.")
@click.option("--waiting-translation", is_flag=True,
              help="Also texts waiting in the human translation queue (after LibreTranslate was down, or once it is set).")
def reanalyse(since, per_second: float, waiting_translation: bool) -> None:
    from datetime import timezone

    from service.analysis import PipelineHolder, queue_reanalysis
    from service.runtime import session_factory

    settings = database_settings()
    click.echo("loading the text models...", err=True)
    version = PipelineHolder(settings).get().model_version
    with session_factory(settings).begin() as session:
        count = queue_reanalysis(session, version, since=since.replace(tzinfo=timezone.utc) if since else None,
                                 per_second=per_second, waiting_translation=waiting_translation,
                                 progress=lambda done, total: click.echo(f"  queued {done} of {total}...", err=True))
    hours = count / per_second / 3600
    click.echo(f"queued {count} submission(s) to be read again with {version}; the worker does the reading"
               + (f" over about {hours:.1f} hours ({per_second:g} a second)" if hours >= 0.1 else ""))


@main.group(help="Staff API tokens.")
def token() -> None:
    pass


@token.command("create", help="Create a token and print it once (only its hash is kept).")
@click.option("--role", required=True, type=click.Choice([r.value for r in __import__("service.auth.permissions", fromlist=["Role"]).Role]))
@click.option("--label", default="", help="Who or what the token is for.")
@click.option("--provider", "provider_ids", multiple=True, type=int, help="Provider ids a provider_responder may see.")
@click.option("--days", default=DEFAULT_TOKEN_DAYS, show_default=True, type=click.IntRange(1, MAX_TOKEN_DAYS), help="Days the token works for; then it stops.")
def token_create(role: str, label: str, provider_ids: tuple[int, ...], days: int) -> None:
    from service.auth.permissions import Role
    from service.auth.tokens import create_token
    from service.runtime import session_factory

    from service.audit.log import TOKEN_CREATE, cli_actor, record

    with session_factory(database_settings()).begin() as session:
        row, secret = create_token(session, Role(role), label=label, provider_ids=provider_ids, days=days)
        token_id = row.id
        # As through the API: an admin token reads every person's words, so making one leaves a trace.
        record(session, actor=cli_actor(), action=TOKEN_CREATE, target_type="token", target_id=token_id,
               detail={"role": row.role, "provider_ids": list(row.provider_ids or []), "days": days})
        expires = row.expires_at.strftime("%d %b %Y %H:%M UTC")
    click.echo(f"token {token_id} ({role}), works until {expires}; shown once, keep it safe:")
    click.echo(secret)


@token.command("revoke", help="Revoke a token by its id.")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    from service.auth.tokens import revoke_token
    from service.runtime import session_factory

    from service.audit.log import TOKEN_REVOKE, cli_actor, record

    with session_factory(database_settings()).begin() as session:
        if not revoke_token(session, token_id):
            raise click.ClickException(f"no active token with id {token_id}")
        record(session, actor=cli_actor(), action=TOKEN_REVOKE, target_type="token", target_id=token_id)
    click.echo(f"token {token_id} revoked")


@main.command("demo-data", help="Load a few demo providers and print an admin token (first run only).")
def demo_data() -> None:
    from service.demo import load_demo_data
    from service.runtime import session_factory

    with session_factory(database_settings()).begin() as session:
        messages = load_demo_data(session)
    for line in messages:
        click.echo(line)


def _register_parts() -> None:
    """Each part of the service contributes its own command group."""
    for module_name, attribute in (
        ("service.text.cli", "themes"),
        ("service.text.cli", "analyse"),
        ("easy_read.paper.cli", "paper"),
        ("service.auth.cli", "user"),
        ("service.auth.cli", "privacy"),
        ("channels.sms.cli", "sms"),
    ):
        module = __import__(module_name, fromlist=[attribute])
        main.add_command(getattr(module, attribute))
    from service.auth.cli import token_list

    token.add_command(token_list, "list")
    from channels.paper.wiring import use_service_database

    use_service_database()  # `paper render/scan` record sheets and returns in the service's database


_register_parts()

if __name__ == "__main__":
    main()
