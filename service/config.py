"""Configuration: environment variables, validated once at start-up.

Every process (web, worker, CLI) reads the same variables through `Settings.from_environ`. A bad value
stops start-up with a message that names the variable, instead of failing later in a request.
"""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Mapping
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from service.outbox.smtp_url import parse_smtp_url

DEFAULT_VAR_DIR = Path("var")


class ConfigurationError(Exception):
    """A configuration value is missing or wrong; the message names the environment variable."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    var_dir: Path = Field(default=DEFAULT_VAR_DIR, description="VAR_DIR")
    database_url: str = Field(default="", description="DATABASE_URL")
    public_base_url: str = Field(default="http://127.0.0.1:8000", description="PUBLIC_BASE_URL")
    secret_key: str = Field(default="", description="SECRET_KEY")
    # Keys SECRET_KEY replaced, comma-separated: SMS numbers hashed under them are still found
    # (service/signing.py) and TOTP secrets sealed under them still open (service/auth/sealed.py, re-sealed
    # under SECRET_KEY when used); signatures made with them are not accepted.
    secret_key_previous: tuple[str, ...] = Field(default=(), description="SECRET_KEY_PREVIOUS")

    twilio_account_sid: str | None = Field(default=None, description="TWILIO_ACCOUNT_SID")
    twilio_auth_token: str | None = Field(default=None, description="TWILIO_AUTH_TOKEN")
    twilio_from_number: str | None = Field(default=None, description="TWILIO_FROM_NUMBER")
    twilio_messaging_service_sid: str | None = Field(default=None, description="TWILIO_MESSAGING_SERVICE_SID")
    # Only for tests and local development: where the Twilio client sends requests (a local mock).
    twilio_api_base_url: str | None = Field(default=None, description="TWILIO_API_BASE_URL")

    smtp_url: str | None = Field(default=None, description="SMTP_URL")
    mail_from: str | None = Field(default=None, description="MAIL_FROM")

    safeguarding_phone: str = Field(default="01204 337000", description="SAFEGUARDING_PHONE")
    duty_team_email: str | None = Field(default=None, description="DUTY_TEAM_EMAIL")
    return_address: str = Field(
        default="Safeguarding Adults Board, Town Hall, Bolton BL1 1RU", description="RETURN_ADDRESS"
    )
    libretranslate_url: str | None = Field(default=None, description="LIBRETRANSLATE_URL")
    libretranslate_api_key: str | None = Field(default=None, description="LIBRETRANSLATE_API_KEY")
    # A theme/sentiment model the board trained (`msp-feedback themes train --out DIR`); unset: the shipped one.
    theme_model_dir: Path | None = Field(default=None, description="THEME_MODEL_DIR")

    intake_rate_limit_per_minute: int = Field(default=30, ge=1, le=100_000, description="INTAKE_RATE_LIMIT_PER_MINUTE")
    trust_proxy_headers: bool = Field(default=False, description="TRUST_PROXY_HEADERS")
    # How many proxies of your own stand in front (a CDN, then nginx: 2); each adds one address to X-Forwarded-For.
    trust_proxy_hops: int = Field(default=1, ge=1, le=10, description="TRUST_PROXY_HOPS")
    outbox_max_attempts: int = Field(default=8, ge=1, le=100, description="OUTBOX_MAX_ATTEMPTS")
    worker_poll_seconds: float = Field(default=1.0, gt=0, le=60, description="WORKER_POLL_SECONDS")
    web_workers: int = Field(default=2, ge=1, le=64, description="WEB_WORKERS")
    log_level: str = Field(default="INFO", description="LOG_LEVEL")
    sms_conversation_ttl_hours: float = Field(default=72, gt=0, le=2160, description="SMS_CONVERSATION_TTL_HOURS")
    retention_contact_months: int = Field(default=12, ge=1, le=1200, description="RETENTION_CONTACT_MONTHS")
    retention_free_text_months: int = Field(default=24, ge=1, le=1200, description="RETENTION_FREE_TEXT_MONTHS")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if value:
            check_database_url(value)
        return value

    @field_validator("theme_model_dir")
    @classmethod
    def _theme_model_dir(cls, value: Path | None) -> Path | None:
        # Checked at start-up, not when the first comment arrives: a mistyped path would otherwise only
        # show as every analysis failing.
        if value is not None and not (value / "model.json").is_file():
            raise ValueError(f"{value} is not a model directory (no model.json): train one with "
                             "`msp-feedback themes train --train FILE --out DIR`")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _public_base_url(cls, value: str) -> str:
        check_http_url(value, example="https://feedback.example.org")
        return value.rstrip("/")

    @field_validator("libretranslate_url")
    @classmethod
    def _libretranslate_url(cls, value: str | None) -> str | None:
        # Checked here, not when the worker first asks: a bad URL would only show as every text waiting
        # for a human translator while the service says it is ready.
        if value:
            check_http_url(value, example="http://libretranslate:5000")
        return value or None

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str | None) -> str | None:
        # The sender parses it the same way: a URL accepted here cannot fail when the worker starts.
        if value:
            parse_smtp_url(value)
        return value or None

    @field_validator("mail_from")
    @classmethod
    def _mail_from(cls, value: str | None) -> str | None:
        if value and not _MAILBOX.fullmatch(value):
            raise ValueError("must be one email address, such as feedback@bolton.gov.uk "
                             "or Bolton Safeguarding Adults Board <feedback@bolton.gov.uk>")
        return value or None

    @field_validator("duty_team_email")
    @classmethod
    def _duty_team_email(cls, value: str | None) -> str | None:
        # A list goes out as one message to all of them (service/outbox/email.py).
        if value and not _MAILBOX_LIST.fullmatch(value):
            raise ValueError("must be an email address, or several separated by commas, "
                             "such as duty@bolton.gov.uk, duty.manager@bolton.gov.uk")
        return value or None

    @property
    def secret_keys(self) -> tuple[str, ...]:
        """SECRET_KEY, then the previous keys: the order in which sealed secrets are tried."""
        return (self.secret_key, *self.secret_key_previous)

    @field_validator("secret_key_previous", mode="before")
    @classmethod
    def _secret_key_previous(cls, value: object) -> object:
        if isinstance(value, str):   # from the environment: comma-separated, spaces around each ignored
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("secret_key_previous")
    @classmethod
    def _no_empty_previous_key(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not key.strip() for key in value):
            raise ValueError("must not hold an empty key")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        value = value.upper()
        if value not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return value

    @model_validator(mode="after")
    def _twilio_complete(self) -> "Settings":
        twilio = (self.twilio_account_sid, self.twilio_auth_token)
        if any(twilio) and not all(twilio):
            raise ValueError("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together")
        if all(twilio) and not (self.twilio_from_number or self.twilio_messaging_service_sid):
            raise ValueError("set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID to send SMS")
        if self.smtp_url and not self.mail_from:
            raise ValueError("MAIL_FROM must be set when SMTP_URL is set")
        if self.smtp_url and not self.duty_team_email:
            # With email on, a duty alert without an address fails for good: refuse to start instead.
            raise ValueError("DUTY_TEAM_EMAIL must be set when SMTP_URL is set (urgent alerts go there)")
        return self

    @property
    def trusted_proxy_hops(self) -> int:
        """How many X-Forwarded-For entries, from the right, the service's own proxies wrote (0: none trusted)."""
        return self.trust_proxy_hops if self.trust_proxy_headers else 0

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def smtp_enabled(self) -> bool:
        return bool(self.smtp_url)

    @property
    def uses_https(self) -> bool:
        return self.public_base_url.startswith("https://")

    @classmethod
    def env_names(cls) -> dict[str, str]:
        return {name: field.description or name.upper() for name, field in cls.model_fields.items()}

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None, *, create_secret: bool = True) -> "Settings":
        """Read and validate the environment. Raises ConfigurationError naming the variable."""
        environ = os.environ if environ is None else environ
        raw: dict[str, object] = {}
        for name, env_name in cls.env_names().items():
            if env_name in environ and environ[env_name] != "":
                raw[name] = environ[env_name]
        try:
            settings = cls.model_validate(raw)
        except ValidationError as error:
            names = cls.env_names()
            problems = []
            for item in error.errors():
                field = str(item["loc"][0]) if item["loc"] else ""
                variable = names.get(field, "configuration")
                message = item["msg"].removeprefix("Value error, ")
                problems.append(f"{variable}: {message}")
            raise ConfigurationError("Invalid configuration: " + "; ".join(problems)) from None
        updates: dict[str, object] = {}
        if not settings.database_url:
            updates["database_url"] = f"sqlite:///{(settings.var_dir / 'msp-feedback.sqlite3').resolve()}"
        if not settings.secret_key:
            updates["secret_key"] = _load_or_create_secret(settings.var_dir) if create_secret else "dev-only"
        return settings.model_copy(update=updates) if updates else settings


# Plausible, not RFC 5322: catches a value that is not an address at all, or a list run together without
# commas, before the first urgent alert fails on it. "Name <address>" is accepted; a name holding a comma
# must be in double quotes.
_ADDRESS = r"[^\s@<>,;:\"()\[\]]+@[\w-]+(?:\.[\w-]+)*"
_ONE_MAILBOX = rf'(?:(?:"[^"]*"|[^<>@",])*<\s*{_ADDRESS}\s*>\s*|\s*{_ADDRESS}\s*)'
_MAILBOX = re.compile(_ONE_MAILBOX)
_MAILBOX_LIST = re.compile(rf"{_ONE_MAILBOX}(?:,{_ONE_MAILBOX})*")


def check_http_url(value: str, *, example: str) -> None:
    """An absolute http(s) URL with a host and, if it has one, a port from 1 to 65535."""
    parsed = urlparse(value)
    try:
        port_ok = parsed.port != 0
    except ValueError:   # not a number, or above 65535
        port_ok = False
    if parsed.scheme not in ("http", "https") or not parsed.hostname or not port_ok:
        raise ValueError(f"must be an absolute http(s) URL with a host, such as {example}")


def check_database_url(value: str) -> None:
    """A URL the engine can open: parsed as make_engine parses it (postgres:// is taken as postgresql://).

    The messages never quote the URL: it may hold the password."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from service.storage.database import normalise_url

    usage = "use sqlite:///PATH or postgresql://user:password@host:port/database"
    try:
        url = make_url(normalise_url(value))
        port = url.port
    except (ArgumentError, ValueError):
        raise ValueError(f"is not a database URL: {usage}") from None
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"must be SQLite or PostgreSQL: {usage}")
    if backend == "postgresql" and url.get_driver_name() != "psycopg":
        raise ValueError("names a PostgreSQL driver that is not installed (psycopg 3 is): write postgresql://...")
    if port is not None and not 1 <= port <= 65535:
        raise ValueError(f"has a port that is not a number from 1 to 65535: {usage}")


def _load_or_create_secret(var_dir: Path) -> str:
    """SECRET_KEY unset: keep one generated key under var/ so sessions survive restarts."""
    path = var_dir / "secret_key"
    try:
        if path.exists():
            return path.read_text().strip()
        var_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key
    except FileExistsError:
        return path.read_text().strip()
    except OSError as error:
        raise ConfigurationError(f"SECRET_KEY: unset, and could not keep a generated key in {path}: {error}") from None
