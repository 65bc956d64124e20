"""Points the paper library's CLI (`msp-feedback paper render|scan`) at the service: the database store
and the configured return address and safeguarding phone line.

The lead calls `use_service_database()` once from service/cli.py, after registering the `paper` group.
Nothing is read or connected at that moment: the factories run when a paper command runs.
"""
from __future__ import annotations

from collections.abc import Callable

import click

from easy_read.paper import cli as paper_cli
from easy_read.paper.store import SheetRecord


def _settings():
    from service.config import ConfigurationError, Settings

    try:
        return Settings.from_environ()
    except ConfigurationError as error:
        raise click.ClickException(str(error)) from None


def _paper_settings() -> dict[str, str]:
    settings = _settings()
    # RETURN_ADDRESS is one line in the environment; on the form each comma-separated part is a line.
    address = "\n".join(part.strip() for part in settings.return_address.replace("\\n", "\n").replace(",", "\n").split("\n")
                        if part.strip())
    return {"return_address": address, "safeguarding_phone": settings.safeguarding_phone}


def _database_store():
    from channels.paper.store import DatabasePaperStore, UnknownProvider
    from service.storage.database import make_engine, make_session_factory
    from service.storage.migrate import is_current

    settings = _settings()
    engine = make_engine(settings.database_url)
    if not is_current(engine):
        raise click.ClickException("The database schema is not current: run `msp-feedback db upgrade` first.")

    class CommandLineStore(DatabasePaperStore):
        """Says "no such provider" as a command-line error instead of a traceback."""

        def register_sheet(self, sheet: SheetRecord) -> None:
            try:
                super().register_sheet(sheet)
            except UnknownProvider as error:
                raise click.ClickException(str(error)) from None

    return CommandLineStore(make_session_factory(engine))


def use_service_database(store_factory: Callable | None = None, settings_factory: Callable | None = None) -> None:
    """Make `msp-feedback paper render|scan` record sheets and returns in the service database, with the
    configured RETURN_ADDRESS and SAFEGUARDING_PHONE on the forms. Tests may pass their own factories."""
    paper_cli.store_factory = store_factory or _database_store
    paper_cli.settings_factory = settings_factory or _paper_settings
