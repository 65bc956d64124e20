"""SMTP_URL, read in one place: by the configuration check at start-up and by the SMTP sender.

Only the standard library here, so the configuration can use it without loading the outbox.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlparse

EXAMPLE = "smtp://user:password@host:587?starttls=true, smtps://user:password@host:465 or smtp://host:25"
_YES = ("1", "true", "yes")
_NO = ("0", "false", "no")


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    tls: bool          # smtps: TLS from the start
    starttls: bool     # smtp with ?starttls=true: upgrade to TLS before logging in
    user: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpServer:
    """The server an SMTP_URL names. Raises ValueError for anything the sender could not use as meant.

    The messages never quote the URL: it holds the password."""
    parsed = urlparse(url)
    if parsed.scheme not in ("smtp", "smtps"):
        raise ValueError(f"must start with smtp:// or smtps:// (for example {EXAMPLE})")
    if not parsed.hostname:
        raise ValueError(f"names no mail server host (for example {EXAMPLE})")
    try:
        port = parsed.port
    except ValueError:   # not a number, or above 65535
        port = 0
    if port == 0:
        raise ValueError(f"has a port that is not a number from 1 to 65535 (for example {EXAMPLE})")
    tls = parsed.scheme == "smtps"
    query = parse_qs(parsed.query, keep_blank_values=True)
    unknown = sorted(set(query) - {"starttls"})
    if unknown:
        # A misspelt starttls would otherwise send the password in clear text without a word.
        raise ValueError(f"has an option this service does not know ({', '.join(unknown)}); the only one is starttls=true")
    starttls_value = query.get("starttls", ["false"])[-1].lower()
    if starttls_value not in _YES + _NO:
        raise ValueError("has starttls set to something other than true or false")
    starttls = starttls_value in _YES
    if tls and starttls:
        raise ValueError("asks for starttls with smtps://, which is TLS from the start: use one or the other")
    return SmtpServer(host=parsed.hostname, port=port or (465 if tls else 25), tls=tls, starttls=starttls,
                      user=unquote(parsed.username) if parsed.username else None,
                      password=unquote(parsed.password) if parsed.password else None)
