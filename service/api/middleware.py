"""Cross-cutting concerns only: request id and access log, security headers, who is asking."""
from __future__ import annotations

import ipaddress
import logging
import re
import time
import uuid
from urllib.parse import urlsplit

import falcon

from service.auth.permissions import Permission, role_allows
from service.auth.sessions import load_session, principal_for, read_cookie
from service.auth.tokens import TokenExpired, authenticate
from service.logs import request_id_var

log = logging.getLogger("msp.http")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-_.]{8,64}$")


class RequestContext:
    """Gives each request an id (kept from X-Request-Id when it looks sane) and logs one line per request.

    The log line has the method, route template and status — not the query string or body, which may
    hold personal details.
    """

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        incoming = req.get_header("X-Request-Id") or ""
        req.context.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        req.context.started = time.perf_counter()
        request_id_var.set(req.context.request_id)

    def process_response(self, req: falcon.Request, resp: falcon.Response, resource, req_succeeded: bool) -> None:
        resp.set_header("X-Request-Id", req.context.get("request_id", ""))
        started = req.context.get("started")
        duration = round((time.perf_counter() - started) * 1000, 2) if started else None
        route = getattr(req, "uri_template", None) or ("<no route>" if resource is None else req.path)
        log.info("request", extra={"method": req.method, "route": route, "status": resp.status_code if hasattr(resp, "status_code") else resp.status, "duration_ms": duration})
        request_id_var.set(None)


class SecurityHeaders:
    """Headers every response carries; pages may tighten, never loosen, them."""

    def __init__(self, https: bool):
        self._https = https

    def process_response(self, req: falcon.Request, resp: falcon.Response, resource, req_succeeded: bool) -> None:
        resp.set_header("X-Content-Type-Options", "nosniff")
        resp.set_header("Referrer-Policy", "no-referrer")
        resp.set_header("X-Frame-Options", "DENY")
        if not resp.get_header("Content-Security-Policy"):
            resp.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
        if not resp.get_header("Cache-Control"):
            # People may be answering near the person who harms them: keep nothing in caches or history.
            resp.set_header("Cache-Control", "no-store")
        if self._https:
            resp.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


class SignedOutPost(Exception):
    """A form posted from a staff page after the session ended (30 minutes idle, or signed out in another
    tab). Answered with an HTML page that gives back what was typed (service.auth.staff_pages)."""


class Authorisation:
    """Checks the permission each resource declares for the method, against the caller's role.

    The caller is a bearer token (API) or a signed-in staff session (the session cookie: `sessions.read_cookie`);
    a bearer token wins when both are sent. A resource without a declaration for the method is refused (fail
    closed). State-changing requests made with a session cookie must come from this site's own pages
    (Origin / Sec-Fetch-Site checked here; forms also carry a CSRF token checked by the page).
    Pages that set `sign_in_redirect = True` send a browser that is not signed in to the sign-in page
    instead of answering 401.
    """

    def __init__(self, uow_factory, settings=None):
        self._uow_factory = uow_factory
        self._trusted_hops = int(getattr(settings, "trusted_proxy_hops", 0))
        self._https = bool(getattr(settings, "uses_https", False))   # which session cookie name is read
        base = getattr(settings, "public_base_url", None)
        self._origin = _origin_of(base) if base else None

    def process_resource(self, req: falcon.Request, resp: falcon.Response, resource, params) -> None:
        req.context.principal = None
        req.context.client_address = client_address(req, self._trusted_hops)
        if resource is None:
            return
        declared = getattr(resource, "permissions", {})
        method = "GET" if req.method == "HEAD" else req.method
        if req.method == "OPTIONS":
            return
        permission = declared.get(method)
        if permission is None:
            allowed = {*declared, "HEAD"} if "GET" in declared else set(declared)   # HEAD is answered as GET (service.app)
            raise falcon.HTTPMethodNotAllowed(allowed_methods=sorted(allowed), title="Method not allowed", description=f"{req.method} is not supported here.")
        token = _bearer_token(req)
        if token is not None:
            try:
                with self._uow_factory() as uow:
                    principal = authenticate(uow.session, token)
                    uow.commit()
            except TokenExpired as expired:
                raise falcon.HTTPUnauthorized(title="Token expired", description=(
                    f"This token stopped working on {expired.expires_at:%d %b %Y %H:%M} UTC, at the end of the days it was "
                    "made for. Ask an admin for a new one."), challenges=["Bearer"]) from None
            if principal is None:
                raise falcon.HTTPUnauthorized(title="Invalid token", description="The bearer token is unknown or revoked. Ask an admin for a new one.", challenges=["Bearer"])
            req.context.principal = principal
        else:
            cookie = read_cookie(req, secure=self._https)
            if cookie:
                req.context.principal = self._session_principal(cookie)
                if req.context.principal is not None and req.method not in _SAFE_METHODS:
                    self._check_same_origin(req)
        if permission is Permission.PUBLIC:
            return
        principal = req.context.principal
        if principal is None:
            if getattr(resource, "sign_in_redirect", False):
                if req.method in _SAFE_METHODS:
                    raise falcon.HTTPSeeOther("/staff/sign-in")
                raise SignedOutPost()      # a page, not problem+json: see service.auth.staff_pages
            raise falcon.HTTPUnauthorized(title="Sign-in needed", description="Sign in, or send a staff API token: Authorization: Bearer <token>.", challenges=["Bearer"])
        if not role_allows(principal.role, permission):
            raise falcon.HTTPForbidden(title="Not allowed", description=f"The role '{principal.role.value}' does not have the permission '{permission.value}'.")

    def _session_principal(self, cookie: str):
        with self._uow_factory() as uow:
            loaded = load_session(uow.session, cookie)
            principal = principal_for(loaded.user) if loaded is not None else None
            uow.commit()
        return principal

    def _check_same_origin(self, req: falcon.Request) -> None:
        site = (req.get_header("Sec-Fetch-Site") or "").lower()
        origin = (req.get_header("Origin") or "").rstrip("/")
        if site and site not in ("same-origin", "none"):
            raise falcon.HTTPForbidden(title="Cross-site request refused", description="Send this from the service's own pages.")
        if origin and origin != "null":
            # With settings, the exact public origin; without, the host only (a TLS proxy changes the scheme).
            same = origin == self._origin if self._origin else urlsplit(origin).netloc == req.netloc
            if not same:
                raise falcon.HTTPForbidden(title="Cross-site request refused", description="Send this from the service's own pages.")


_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _origin_of(url: str) -> str:
    parsed = urlsplit(url)
    return f"{parsed.scheme}://{parsed.netloc}"


def client_address(req: falcon.Request, trusted_hops: int) -> str:
    """Who is asking, for rate limits and the audit log (read once per request, as
    `req.context.client_address`). Behind the service's own proxies (TRUST_PROXY_HEADERS, TRUST_PROXY_HOPS),
    the address the outermost of them saw: each appends the address it got the request from, so that is
    the entry `trusted_hops` from the right. Entries further left were written by the client: trusting the
    first let anyone dodge every rate limit and put any address in the audit log."""
    if trusted_hops:
        forwarded = [part.strip() for part in (req.get_header("X-Forwarded-For") or "").split(",") if part.strip()]
        if forwarded:
            return without_port(forwarded[-min(trusted_hops, len(forwarded))])[:64]
    return (req.remote_addr or "unknown")[:64]


def without_port(entry: str) -> str:
    """The address of an X-Forwarded-For entry some proxies write with the client's port ("203.0.113.7:51234",
    "[2001:db8::1]:51234"): the port changes with every connection, so each request had a rate-limit bucket
    of its own, and no limit held."""
    entry = entry.strip()
    if entry.startswith("["):
        address, bracket, _ = entry[1:].partition("]")
        return address if bracket else entry
    if _is_address(entry):
        return entry
    host, colon, port = entry.rpartition(":")
    if colon and port.strip().isdigit() and _is_address(host.strip()):   # "203.0.113.7:51234", even "2001:db8::7:51234"
        return host.strip()
    return entry


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _bearer_token(req: falcon.Request) -> str | None:
    header = req.get_header("Authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise falcon.HTTPUnauthorized(title="Invalid authorization header", description="Use: Authorization: Bearer <token>.", challenges=["Bearer"])
    return value.strip()
