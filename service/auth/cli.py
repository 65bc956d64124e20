"""Command-line tools of this part, as click groups the main CLI adds:

* `msp-feedback user ...`   staff accounts (create the first admin here), password resets, unlocks
* `msp-feedback privacy ...` retention run, erasure and subject-access export from the command line
* `token_list`: a `list` command for the main CLI's `token` group

Every change is written to the audit log with the actor "cli" and the operating-system user.
"""
from __future__ import annotations

import json
import os
import sys

import click


def _settings():
    from service.cli import database_settings

    return database_settings()


def _session_factory(settings):
    from service.runtime import session_factory

    import service.audit.models  # noqa: F401  (append-only guard)
    return session_factory(settings)


@click.group(help="Staff accounts: create (the first admin too), reset passwords, unlock.")
def user() -> None:
    pass


@user.command("create", help="Create a staff account. Prints a one-time link to set the password, unless a password is given.")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "duty_team", "engagement", "board", "provider_responder", "data_entry"]))
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--provider", "provider_ids", multiple=True, type=int, help="Provider id (provider_responder only); repeat for more.")
@click.option("--password-prompt", is_flag=True, help="Type the password now (hidden) instead of getting a link.")
@click.option("--password-env", metavar="VARIABLE", help="Read the password from this environment variable instead of getting a link.")
def user_create(email: str, role: str, display_name: str, provider_ids: tuple[int, ...], password_prompt: bool, password_env: str | None) -> None:
    from service.audit.log import USER_CREATE, USER_PASSWORD_LINK, cli_actor, record
    from service.auth.passwords import PasswordRuleError
    from service.auth.users import UserError, create_user, issue_password_link, password_link
    from service.storage.orm import Provider

    password = None
    if password_env:
        password = os.environ.get(password_env)
        if not password:
            raise click.ClickException(f"the environment variable {password_env} is empty or not set")
    elif password_prompt:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = _settings()
    with _session_factory(settings).begin() as session:
        missing = [p for p in provider_ids if session.get(Provider, p) is None]
        if missing:
            raise click.ClickException(f"no provider with id {', '.join(map(str, missing))}")
        try:
            account = create_user(session, email=email, role=role, display_name=display_name, provider_ids=provider_ids, password=password)
        except (UserError, PasswordRuleError) as error:
            raise click.ClickException(str(error)) from None
        record(session, actor=cli_actor(), action=USER_CREATE, target_type="user", target_id=account.id,
               detail={"role": role, "provider_ids": list(account.provider_ids), "password_set": password is not None})
        link = None
        if password is None:
            link = password_link(settings.public_base_url, issue_password_link(session, account, reset=False))
            record(session, actor=cli_actor(), action=USER_PASSWORD_LINK, target_type="user", target_id=account.id, detail={"reset": False})
        account_id = account.id
    click.echo(f"created staff account {account_id} ({email.strip().lower()}, {role})")
    if link:
        click.echo("one-time link to set the password (works once, for 48 hours; give it to the person only):")
        click.echo(link)


@user.command("reset-password", help="Stop the account's password working and print a one-time link to set a new one.")
@click.option("--email", required=True)
def user_reset_password(email: str) -> None:
    from service.audit.log import USER_PASSWORD_LINK, cli_actor, record
    from service.auth.users import find_user, issue_password_link, password_link

    settings = _settings()
    with _session_factory(settings).begin() as session:
        account = find_user(session, email)
        if account is None:
            raise click.ClickException(f"no staff account with the email address {email}")
        link = password_link(settings.public_base_url, issue_password_link(session, account, reset=True))
        record(session, actor=cli_actor(), action=USER_PASSWORD_LINK, target_type="user", target_id=account.id, detail={"reset": True})
    click.echo("the old password no longer works; one-time link to set a new one:")
    click.echo(link)


def _change_account(email: str, change, audit_action: str) -> None:
    """Apply `change(session, account)` to the account with this email and audit it (with the dict `change`
    returns, if any, as the detail), in one transaction."""
    from service.audit.log import cli_actor, record
    from service.auth.users import find_user

    with _session_factory(_settings()).begin() as session:
        account = find_user(session, email)
        if account is None:
            raise click.ClickException(f"no staff account with the email address {email}")
        detail = change(session, account)
        record(session, actor=cli_actor(), action=audit_action, target_type="user", target_id=account.id, detail=detail)


@user.command("unlock", help="Unlock an account locked after too many wrong passwords.")
@click.option("--email", required=True)
def user_unlock(email: str) -> None:
    from service.audit.log import USER_UNLOCK
    from service.auth.users import unlock

    _change_account(email, lambda session, account: unlock(account), USER_UNLOCK)
    click.echo(f"{email} unlocked")


@user.command("disable-two-step", help="Turn two-step sign-in off for an account (a lost phone, or a secret no key opens).")
@click.option("--email", required=True)
def user_disable_two_step(email: str) -> None:
    from service.audit.log import USER_TOTP_DISABLED
    from service.auth.users import disable_totp

    _change_account(email, lambda session, account: {"sessions_ended": disable_totp(session, account)}, USER_TOTP_DISABLED)
    click.echo(f"two-step sign-in is off for {email} and they are signed out everywhere; they can turn it on again at "
               "/staff/account/two-factor")


@user.command("list", help="List staff accounts.")
def user_list() -> None:
    from sqlalchemy import select

    from service.auth.models import StaffUser
    from service.auth.users import is_locked
    from service.storage.types import utcnow

    with _session_factory(_settings())() as session:
        now = utcnow()
        for account in session.scalars(select(StaffUser).order_by(StaffUser.email)):
            state = "inactive" if not account.active else "locked" if is_locked(account, now) else "no password yet" if account.password_hash is None else "active"
            providers = f" providers={','.join(map(str, account.provider_ids))}" if account.provider_ids else ""
            last = account.last_sign_in_at.isoformat(timespec="minutes") if account.last_sign_in_at else "never"
            click.echo(f"{account.id}\t{account.email}\t{account.role}{providers}\t{state}\tlast sign-in {last}")


@click.command("list", help="List API tokens: id, role, label, providers, created, last used, revoked.")
def token_list() -> None:
    from service.auth.tokens import list_tokens
    from service.storage.types import utcnow

    now = utcnow()
    with _session_factory(_settings())() as session:
        for row in list_tokens(session):
            last = row.last_used_at.isoformat(timespec="minutes") if row.last_used_at else "never used"
            if row.revoked_at:
                revoked = f"revoked {row.revoked_at.isoformat(timespec='minutes')}"
            elif row.expires_at is None:
                revoked = "active, never expires (made before tokens expired: replace it)"
            else:
                revoked = f"{'expired' if now >= row.expires_at else 'active until'} {row.expires_at.isoformat(timespec='minutes')}"
            providers = f" providers={','.join(map(str, row.provider_ids))}" if row.provider_ids else ""
            click.echo(f"{row.id}\t{row.role}{providers}\t{row.label}\tcreated {row.created_at.isoformat(timespec='minutes')}\t{last}\t{revoked}")


@click.group(help="Privacy: retention, erasure on request, subject-access export.")
def privacy() -> None:
    pass


@privacy.command("apply-retention", help="Apply the retention rules now (RETENTION_CONTACT_MONTHS, RETENTION_FREE_TEXT_MONTHS), "
                                         "batch after batch, each committed as it is done, until none is left.")
def privacy_apply_retention() -> None:
    from service.audit.log import cli_actor
    from service.privacy.retention import apply_retention_in_batches

    def progress(batch, totals) -> None:
        if batch.more_to_do:
            click.echo(f"batch {totals.batches}: {batch.summary()}; more to do", err=True)

    settings = _settings()
    report = apply_retention_in_batches(_session_factory(settings), settings, actor=cli_actor(), on_batch=progress)
    click.echo(f"{report.summary()} ({report.batches} batch{'es' if report.batches != 1 else ''})")


def _query(phone: str | None, email: str | None, reference: str | None):
    from service.privacy.person import PersonQuery, PersonQueryError

    try:
        return PersonQuery.parse(phone=phone, email=email, reference=reference)
    except PersonQueryError as error:
        raise click.ClickException(str(error)) from None


@privacy.command("erase", help="Erase one person's contact details and words everywhere (asks for confirmation).")
@click.option("--phone")
@click.option("--email")
@click.option("--reference")
@click.option("--reason", default="", help="Why (e.g. 'request by letter of 3 March'); no personal details.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def privacy_erase(phone, email, reference, reason, yes) -> None:
    from service.audit.log import cli_actor
    from service.privacy.erasure import erase_person

    query = _query(phone, email, reference)
    if not yes:
        click.confirm(f"Erase everything held about this {query.kind}? This cannot be undone.", abort=True)
    settings = _settings()
    with _session_factory(settings).begin() as session:
        report = erase_person(session, query, actor=cli_actor(), secret_key=settings.secret_key, previous_keys=settings.secret_key_previous, reason=reason)
    click.echo(json.dumps(report.as_dict(), indent=2))


@privacy.command("export", help="Subject-access export: everything held about a phone number or email address, as JSON.")
@click.option("--phone")
@click.option("--email")
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: standard output).")
def privacy_export(phone, email, output) -> None:
    from service.audit.log import cli_actor
    from service.privacy.subject_access import subject_access_export

    query = _query(phone, email, None)
    settings = _settings()
    with _session_factory(settings).begin() as session:
        document = subject_access_export(session, query, actor=cli_actor(), secret_key=settings.secret_key, previous_keys=settings.secret_key_previous)
    json.dump(document, output, indent=2, ensure_ascii=False)
    output.write("\n")
    if output is not sys.stdout:
        click.echo(f"written: {len(document['feedback'])} feedback items, {len(document['contact_details'])} contact records", err=True)


__all__ = ["user", "privacy", "token_list"]
