"""Staff pages: sign-in (with an optional TOTP step), sign-out, setting a password from a one-time link,
two-step sign-in set-up, and the admin pages for accounts and API tokens.

Server-rendered HTML that works without JavaScript; every form carries a CSRF token (service.api.forms), and
one another site made the browser post is refused (`_Page.refuse_other_sites`); every state change is
audited in the same transaction.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import falcon
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import select

from service.api.forms import MAX_FORM_BYTES, check_csrf, csrf_token, first, posted_from_another_site, read_form
from service.api.problems import PROBLEM_JSON
from service.audit.log import (TOKEN_CREATE, TOKEN_REVOKE, USER_CREATE, USER_DEACTIVATE, USER_LOCKED, USER_PASSWORD_LINK,
                               USER_PASSWORD_SET, USER_SIGN_IN, USER_SIGN_IN_FAILED, USER_SIGN_OUT, USER_TOTP_DISABLED,
                               USER_TOTP_ENABLED, USER_UNLOCK, USER_UPDATE, Actor, record, record_request)
from service.auth import sessions
from service.auth.api import token_out, user_out
from service.auth.models import StaffUser
from service.auth.passwords import PasswordRuleError
from service.auth.permissions import ROLE_LABELS, VERBATIM_ROLES, Permission, Role, role_allows
from service.auth.tokens import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, create_token, list_tokens, revoke_token
from service.storage.types import utcnow
from service.auth.users import (SignIn, UserError, check_code, check_password, create_user, disable_totp, enable_totp,
                                issue_password_link, lock_account, new_totp_secret, password_link, set_password_with_token, totp_uri, unlock,
                                update_user, user_by_id, user_for_password_token, verify_totp)
from service.ratelimit import RateLimiter, retry_after_header
from service.storage.orm import Provider

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Direction overrides and isolates in someone's words would make staff read them backwards (or hide a
# part): show each as a visible mark instead. The stored words are not changed. The plain marks (LRM
# U+200E, RLM U+200F, ALM U+061C) are left as they are: they are ordinary in Urdu and Arabic text
# (keyboards and copied text put them in), and they reverse no letters, at most they move the
# punctuation or number beside them, so marking them would clutter the words more than it protects.
_BIDI_CONTROLS = {c: f"[U+{c:04X}]" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def visible_controls(value: str | None) -> str:
    """The words with every direction override and isolate shown as a visible mark (a Jinja filter, used
    by every staff page that shows words someone typed: feedback, meetings, paper, and the names and
    labels staff give accounts and tokens, which the audit log shows beside what they did)."""
    return (value or "").translate(_BIDI_CONTROLS)


class _AsTyped(str):
    """A value printed into a form box (``value="..."``, a textarea), which goes back to the server when the
    form is sent: printed as it is, or the marks would be stored in place of the controls."""


def as_typed(value):
    return _AsTyped(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _shown(value):
    """Every value a staff page prints, with direction controls as marks: names, emails, labels, titles,
    provider names... whoever typed them (a filter per field was forgotten on some). Not what a form box
    holds (`as_typed`: every ``value="{{ ... }}"`` and textarea of a staff template uses it, a test checks)."""
    if isinstance(value, (_AsTyped, Markup)):
        return value     # Markup: a macro's output (its own values went through here) or HTML built in code
    return value.translate(_BIDI_CONTROLS) if isinstance(value, str) else value


def staff_environment(*template_dirs: Path) -> Environment:
    """The Jinja environment of a part's staff pages: its own templates first, then the shared staff layout."""
    env = Environment(loader=ChoiceLoader([FileSystemLoader(str(d)) for d in (*template_dirs, TEMPLATES)]),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True, finalize=_shown)
    env.filters["visible_controls"] = visible_controls
    env.filters["as_typed"] = as_typed
    return env


_env = staff_environment()

# Staff pages load the staff stylesheet and, where a page needs one, a script from this site; nothing inline.
STAFF_CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
STYLESHEET = Path(__file__).resolve().parent / "static" / "staff.css"
STYLESHEET_PATH = "/staff/static/staff.css"


def signed_out_page(secret_key: str):
    """The error handler for SignedOutPost: the member of staff sees an HTML page saying they were signed
    out, with the text they typed in boxes to copy (a translation or a keyed form is not thrown away), and
    a link to sign in. Nothing was saved. The words go back only with the form's own CSRF token for this
    browser: a cross-site post (which never carries the session cookie) could otherwise put any wording on
    the service's own page ("the duty line has moved, ring ...")."""

    def handler(req: falcon.Request, resp: falcon.Response, ex, params) -> None:
        typed: list[str] = []
        try:
            form = read_form(req)
            check_csrf(req, form, secret_key)
        except falcon.HTTPError:   # not a plain form (an upload), or not from this browser's own page
            form = {}
        for name, values in form.items():
            if name in ("csrf_token", "website") or name.startswith("_"):
                continue
            typed.extend(value for value in values if value.strip())
        resp.status = falcon.HTTP_401
        resp.content_type = falcon.MEDIA_HTML
        resp.set_header("Cache-Control", "no-store")
        resp.set_header("Content-Security-Policy", STAFF_CSP)
        resp.text = _env.get_template("signed_out.html").render(
            title="You were signed out", principal=None, csrf="", typed=typed[:200], status=401)

    return handler


STAFF_PATH = "/staff"
_ERROR_TEXTS = {   # for errors raised with no words of their own (an address with no page, say)
    401: ("Sign-in needed", "Sign in to use this page."),
    403: ("Not allowed", "Your role cannot use this page."),
    404: ("Page not found", "There is no page at this address. It may have been deleted, or the address is mistyped."),
    405: ("Not allowed", "This page cannot be used that way."),
    500: ("Something went wrong", "The error has been logged. Please try again."),
}


def wants_staff_page(req: falcon.Request) -> bool:
    """A browser on the staff pages: a /staff address, and HTML preferred to JSON. Anything else (the API, a
    script, an image request, a client that sends no Accept header) gets problem+json."""
    if req.path != STAFF_PATH and not req.path.startswith(STAFF_PATH + "/"):
        return False
    if "text/html" not in (req.get_header("Accept") or ""):
        return False
    return req.client_prefers((PROBLEM_JSON, "application/json", "text/html")) == "text/html"


def error_serializer(services, fallback: Callable[[falcon.Request, falcon.Response, falcon.HTTPError], None]):
    """The app's error serializer: on the staff pages in a browser, a page in the staff layout (a title, the
    language, the staff navigation and a way back) for a 403, 404 or expired form, which a browser would
    otherwise show as bare JSON; everywhere else `fallback` (problem+json)."""
    page = _Page(services)

    def serialize(req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError) -> None:
        if not wants_staff_page(req):
            fallback(req, resp, error)
            return
        default_title, default_detail = _ERROR_TEXTS.get(error.status_code, ("Something went wrong", "Please try again."))
        own_title = error.title and not error.title[:3].isdigit()       # Falcon's default titles are "404 Not Found"
        page.render(req, resp, "error.html", status=error.status, title=error.title if own_title else default_title,
                    detail=error.description or default_detail)

    return serialize


class Stylesheet:
    permissions = {"GET": Permission.PUBLIC}

    def __init__(self):
        self._css = STYLESHEET.read_bytes()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = "text/css; charset=utf-8"
        resp.set_header("Cache-Control", "public, max-age=3600")
        resp.data = self._css

SIGN_IN_FAILED = ("The email address or password is wrong, or the account is locked after too many wrong tries. "
                  "A locked account opens again after 15 minutes, or an admin can unlock it.")
ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]


def _user_actor(user: StaffUser | None) -> Actor:
    if user is None:
        return Actor("anonymous")
    return Actor("user", id=str(user.id), role=user.role, label=(user.display_name or user.email)[:200])


def _parse_provider_ids(text: str) -> list[int]:
    ids = []
    for part in text.replace(" ", ",").split(","):
        if part.strip():
            if not part.strip().isdigit() or len(part.strip()) > 9:
                raise UserError("Provider ids are whole numbers separated by commas, e.g. 3, 7.")
            ids.append(int(part.strip()))
    return ids


class _Page:
    """Shared by every staff page: rendering, CSRF, cookie security, audit context.

    Staff pages elsewhere subclass this and set `environment` to a Jinja environment whose loader also
    reaches these templates, so every staff page extends the same `base.html`.
    """

    environment: Environment = _env
    form_limit: int = MAX_FORM_BYTES   # a page whose form holds long words in any script says how many bytes

    def __init__(self, services, sign_in_limiter: RateLimiter | None = None):
        self._services = services
        self._secure = services.settings.uses_https
        self._secret = services.settings.secret_key
        self._limiter = sign_in_limiter

    def render(self, req: falcon.Request, resp: falcon.Response, template: str, *, title: str, status: str = falcon.HTTP_200, **context) -> None:
        principal = req.context.get("principal")
        resp.status = status
        resp.content_type = falcon.MEDIA_HTML
        resp.set_header("Cache-Control", "no-store")
        resp.set_header("Content-Security-Policy", STAFF_CSP)
        resp.text = self.environment.get_template(template).render(
            title=title, principal=principal, csrf=csrf_token(req, resp, self._secret, secure=self._secure),
            can_manage_users=principal is not None and role_allows(principal.role, Permission.USERS_MANAGE),
            can_manage_tokens=principal is not None and role_allows(principal.role, Permission.TOKENS_MANAGE),
            can_read_audit=principal is not None and role_allows(principal.role, Permission.AUDIT_READ),
            can_privacy=principal is not None and role_allows(principal.role, Permission.CONSENT_WITHDRAW),
            can_read_feedback=principal is not None and principal.role in VERBATIM_ROLES,
            can_read_outbox=principal is not None and role_allows(principal.role, Permission.OUTBOX_READ),
            can_retry=principal is not None and role_allows(principal.role, Permission.OUTBOX_RETRY),
            can_meetings=principal is not None and role_allows(principal.role, Permission.MEETINGS_READ),
            can_paper=principal is not None and role_allows(principal.role, Permission.PAPER_ENTRY),
            **context,
        )

    def form(self, req: falcon.Request) -> dict[str, list[str]]:
        self.refuse_other_sites(req)
        form = read_form(req, self.form_limit)
        check_csrf(req, form, self._secret)
        return form

    def refuse_other_sites(self, req: falcon.Request) -> None:
        """A form a page of another site (or another host of the domain) made the browser post is refused
        before it is read, counted or acted on. Signed-in posts are checked by the Authorisation middleware too;
        this is what keeps the forms of someone not yet signed in (sign-in, its code step, setting a password)
        from a login CSRF: another site signing a member of staff's browser into the attacker's account, so
        that what she then types (a translation, a note on a disclosure) lands in his. The CSRF token alone
        does not stop that from another host of the same site: it can set the nonce cookie in her browser to
        one the attacker fetched, with its token, from the sign-in page himself."""
        if posted_from_another_site(req, self._services.settings.public_base_url):
            raise falcon.HTTPForbidden(
                title="Refused: sent from another website",
                description=("This form was sent by a page of another website, not by this service's own page, so nothing "
                             "was done. To sign in, open the sign-in page of this service yourself and sign in there."))

    def session_cookie(self, req: falcon.Request) -> str | None:
        """The raw session id this browser sent (service.auth.sessions.read_cookie)."""
        return sessions.read_cookie(req, secure=self._secure)

    @staticmethod
    def redirect(location: str) -> None:
        raise falcon.HTTPSeeOther(location)

    def too_many(self, req: falcon.Request) -> None:
        """Refuse a sign-in attempt past the rate limit. Called after `form()`: a post refused as another site's
        (or without its form's token) checks no password and is not counted, or a page of another site posting
        in a loop would use up the sign-ins of everyone behind the same address."""
        if self._limiter is None:
            return
        wait = self._limiter.check(req.context.get("client_address") or req.remote_addr or "unknown")
        if wait:
            raise falcon.HTTPTooManyRequests(title="Too many tries", description="Please wait a minute and try again.",
                                             headers={"Retry-After": retry_after_header(wait)})


StaffPage = _Page  # the public name for staff pages in other packages


class FormErrors:
    """Problems of a staff form in page order: a summary (anchor, message) and a message beside each field."""

    def __init__(self):
        self.summary: list[tuple[str, str]] = []
        self.fields: dict[str, str] = {}

    def add(self, name: str, message: str) -> None:
        if name not in self.fields:
            self.fields[name] = message
            self.summary.append((name, message))

    def __bool__(self) -> bool:
        return bool(self.summary)


class SignInPage(_Page):
    permissions = {"GET": Permission.PUBLIC, "POST": Permission.PUBLIC}

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        if req.context.get("principal") is not None and req.context.principal.via == "session":
            self.redirect("/staff")
        self.render(req, resp, "sign_in.html", title="Sign in", email="")

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = self.form(req)
        self.too_many(req)
        email, password = first(form, "email").strip(), first(form, "password")
        address = req.context.get("client_address") or ""
        with self._services.uow() as uow:
            result = check_password(uow.session, email, password)
            user = result.user
            if result.outcome in (SignIn.REJECTED, SignIn.LOCKED):
                action = USER_LOCKED if result.locked_now else USER_SIGN_IN_FAILED
                record(uow.session, actor=Actor("anonymous"), action=action, target_type="user" if user else "",
                       target_id=user.id if user else "", detail={"locked": result.outcome is SignIn.LOCKED},
                       client_address=address, request_id=req.context.get("request_id") or "")
                uow.commit()
                self.render(req, resp, "sign_in.html", title="Sign in", status=falcon.HTTP_200, email=email,
                            error_summary=[("email", SIGN_IN_FAILED)])
                return
            old = self.session_cookie(req)
            if result.outcome is SignIn.NEEDS_CODE:
                raw = sessions.start_session(uow.session, user, stage=sessions.STAGE_TOTP, client_address=address, replaces=old)
                uow.commit()
                sessions.set_cookie(resp, raw, secure=self._secure)
                self.redirect("/staff/sign-in/code")
            raw = sessions.start_session(uow.session, user, client_address=address, replaces=old)
            record(uow.session, actor=_user_actor(user), action=USER_SIGN_IN, target_type="user", target_id=user.id,
                   detail={"two_step": False}, client_address=address, request_id=req.context.get("request_id") or "")
            uow.commit()
        sessions.set_cookie(resp, raw, secure=self._secure)
        self.redirect("/staff")


class SignInCodePage(_Page):
    permissions = {"GET": Permission.PUBLIC, "POST": Permission.PUBLIC}

    def _pending(self, uow, req: falcon.Request):
        return sessions.load_session(uow.session, self.session_cookie(req), stage=sessions.STAGE_TOTP)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        with self._services.uow() as uow:
            if self._pending(uow, req) is None:
                self.redirect("/staff/sign-in")
        self.render(req, resp, "sign_in_code.html", title="Enter your code")

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = self.form(req)
        self.too_many(req)
        address = req.context.get("client_address") or ""
        with self._services.uow() as uow:
            user_id = sessions.user_id_of(uow.session, self.session_cookie(req))
            if user_id is not None:
                # Attempts on one account take turns (lock_account), and the pending sign-in is read only once
                # it is this attempt's turn: a lockout or an accepted code may have ended it meanwhile. (Read
                # before the lock, its last-seen time could be written, and a lockout deleting it deadlock.)
                lock_account(uow.session, user_id)
            pending = self._pending(uow, req)
            if pending is None:
                uow.commit()
                self.redirect("/staff/sign-in")
            user = pending.user
            result = check_code(user, first(form, "code"), keys=self._services.settings.secret_keys)
            if result.outcome is not SignIn.OK:
                record(uow.session, actor=Actor("anonymous"), action=USER_LOCKED if result.locked_now else USER_SIGN_IN_FAILED,
                       target_type="user", target_id=user.id, detail={"step": "code"}, client_address=address,
                       request_id=req.context.get("request_id") or "")
                if result.outcome is SignIn.LOCKED:
                    sessions.end_session(uow.session, self.session_cookie(req))
                uow.commit()
                if result.outcome is SignIn.LOCKED:
                    sessions.clear_cookie(resp, secure=self._secure)
                    self.render(req, resp, "sign_in.html", title="Sign in", email="", error_summary=[("email", SIGN_IN_FAILED)])
                    return
                self.render(req, resp, "sign_in_code.html", title="Enter your code",
                            error_summary=[("code", "The code is wrong or has expired. Enter the code your app shows now.")])
                return
            raw = sessions.start_session(uow.session, user, client_address=address, replaces=self.session_cookie(req))
            record(uow.session, actor=_user_actor(user), action=USER_SIGN_IN, target_type="user", target_id=user.id,
                   detail={"two_step": True}, client_address=address, request_id=req.context.get("request_id") or "")
            uow.commit()
        sessions.set_cookie(resp, raw, secure=self._secure)
        self.redirect("/staff")


class SignOut(_Page):
    permissions = {"POST": Permission.PUBLIC}

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.form(req)
        raw = self.session_cookie(req)
        with self._services.uow() as uow:
            principal = req.context.get("principal")
            sessions.end_session(uow.session, raw)
            if principal is not None and principal.via == "session":
                record_request(uow.session, req, USER_SIGN_OUT, target_type="user", target_id=principal.user_id)
            uow.commit()
        sessions.clear_cookie(resp, secure=self._secure)
        self.redirect("/staff/sign-in")


class SetPasswordPage(_Page):
    permissions = {"GET": Permission.PUBLIC, "POST": Permission.PUBLIC}

    def on_get(self, req: falcon.Request, resp: falcon.Response, token: str) -> None:
        with self._services.uow() as uow:
            found = user_for_password_token(uow.session, token)
            email = found[1].email if found else ""
        resp.set_header("Referrer-Policy", "no-referrer")
        self.render(req, resp, "set_password.html", title="Set your password", valid=found is not None, token=token, email=email,
                    status=falcon.HTTP_200 if found else falcon.HTTP_404)

    def on_post(self, req: falcon.Request, resp: falcon.Response, token: str) -> None:
        form = self.form(req)
        self.too_many(req)
        password, confirm = first(form, "password"), first(form, "confirm")
        with self._services.uow() as uow:
            found = user_for_password_token(uow.session, token)
            if found is None:
                self.render(req, resp, "set_password.html", title="Set your password", valid=False, token="", email="", status=falcon.HTTP_404)
                return
            error = None
            if password != confirm:
                error = "The two passwords are not the same."
            else:
                try:
                    user = set_password_with_token(uow.session, token, password)
                except (PasswordRuleError, UserError) as problem:
                    error = str(problem)
            if error:
                self.render(req, resp, "set_password.html", title="Set your password", valid=True, token=token, email=found[1].email,
                            error_summary=[("password", error)])
                return
            record(uow.session, actor=_user_actor(user), action=USER_PASSWORD_SET, target_type="user", target_id=user.id,
                   client_address=req.context.get("client_address") or "", request_id=req.context.get("request_id") or "")
            uow.commit()
        self.render(req, resp, "sign_in.html", title="Sign in", email=user.email, notice="Your password is set. You can sign in now.")


class StaffHome(_Page):
    permissions = {"GET": Permission.SIGNED_IN}
    sign_in_redirect = True

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.render(req, resp, "home.html", title="Staff", role_label=ROLE_LABELS[req.context.principal.role])


def _session_user(uow, req: falcon.Request) -> StaffUser:
    principal = req.context.principal
    if principal.via != "session" or principal.user_id is None:
        raise falcon.HTTPForbidden(title="Staff sign-in needed", description="This page is for a signed-in member of staff, not an API token.")
    return uow.session.get(StaffUser, principal.user_id)


class TwoFactorPage(_Page):
    permissions = {"GET": Permission.SIGNED_IN, "POST": Permission.SIGNED_IN}
    sign_in_redirect = True

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        with self._services.uow() as uow:
            user = _session_user(uow, req)
            secret = new_totp_secret()
            self.render(req, resp, "two_factor.html", title="Two-step sign-in", enabled=user.totp_enabled, secret=secret,
                        uri=totp_uri(user, secret))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = self.form(req)
        action, code = first(form, "action"), first(form, "code")
        with self._services.uow() as uow:
            user = _session_user(uow, req)
            if action == "enable" and not user.totp_enabled:
                secret = first(form, "secret")
                ended = None if len(secret) != 32 else enable_totp(uow.session, user, secret, code, keep=self.session_cookie(req),
                                                                    secret_key=self._services.settings.secret_key)
                if ended is None:
                    self.render(req, resp, "two_factor.html", title="Two-step sign-in", enabled=False, secret=secret,
                                uri=totp_uri(user, secret) if len(secret) == 32 else "",
                                error_summary=[("code", "The code is wrong. Enter the code your app shows now.")])
                    return
                record_request(uow.session, req, USER_TOTP_ENABLED, target_type="user", target_id=user.id,
                               detail={"sessions_ended": ended})
            elif action == "disable" and user.totp_enabled:
                step = verify_totp(user, code, keys=self._services.settings.secret_keys)
                if step is None:
                    self.render(req, resp, "two_factor.html", title="Two-step sign-in", enabled=True,
                                error_summary=[("code", "The code is wrong. Enter the code your app shows now.")])
                    return
                ended = disable_totp(uow.session, user, keep=self.session_cookie(req))
                record_request(uow.session, req, USER_TOTP_DISABLED, target_type="user", target_id=user.id,
                               detail={"sessions_ended": ended})
            uow.commit()
        self.redirect("/staff/account/two-factor")


class AccountsPage(_Page):
    permissions = {"GET": Permission.USERS_MANAGE, "POST": Permission.USERS_MANAGE}
    sign_in_redirect = True

    def _show(self, req, resp, uow, *, link: str = "", form: dict | None = None, errors=None, status=falcon.HTTP_200) -> None:
        users = [user_out(u) for u in uow.session.scalars(select(StaffUser).order_by(StaffUser.email))]
        self.render(req, resp, "accounts.html", title="Staff accounts", users=users, roles=ROLE_CHOICES, link=link,
                    form=form or {"email": "", "display_name": "", "role": "", "provider_ids": ""}, error_summary=errors, status=status)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        with self._services.uow() as uow:
            self._show(req, resp, uow)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = self.form(req)
        values = {name: first(form, name).strip() for name in ("email", "display_name", "role", "provider_ids")}
        with self._services.uow() as uow:
            try:
                provider_ids = _parse_provider_ids(values["provider_ids"])
                _known_providers(uow, provider_ids)
                user = create_user(uow.session, email=values["email"], role=values["role"], display_name=values["display_name"],
                                   provider_ids=provider_ids)
            except UserError as error:
                uow.rollback()
                self._show(req, resp, uow, form=values, errors=[("email", str(error))], status=falcon.HTTP_422)
                return
            raw = issue_password_link(uow.session, user, reset=False)
            record_request(uow.session, req, USER_CREATE, target_type="user", target_id=user.id,
                           detail={"role": user.role, "provider_ids": list(user.provider_ids)})
            uow.commit()
            self._show(req, resp, uow, link=password_link(self._services.settings.public_base_url, raw))


def _known_providers(uow, provider_ids: list[int]) -> None:
    if provider_ids:
        found = set(uow.session.scalars(select(Provider.id).where(Provider.id.in_(provider_ids))))
        missing = sorted(set(provider_ids) - found)
        if missing:
            raise UserError(f"There is no provider with id {', '.join(map(str, missing))}.")


class AccountPage(_Page):
    permissions = {"GET": Permission.USERS_MANAGE, "POST": Permission.USERS_MANAGE}
    sign_in_redirect = True

    def _find(self, uow, user_id: int) -> StaffUser:
        return user_by_id(uow.session, user_id)

    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        with self._services.uow() as uow:
            user = self._find(uow, user_id)
            self.render(req, resp, "account.html", title=f"Account: {user.email}", user=user_out(user), roles=ROLE_CHOICES)

    def on_post(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        form = self.form(req)
        action = first(form, "action")
        principal = req.context.principal
        link = ""
        with self._services.uow() as uow:
            user = self._find(uow, user_id)
            own = principal.user_id == user.id
            try:
                if action == "update":
                    role = first(form, "role")
                    if own and role != Role.ADMIN.value:
                        raise UserError("You cannot remove your own admin access; ask another admin.")
                    provider_ids = _parse_provider_ids(first(form, "provider_ids"))
                    _known_providers(uow, provider_ids)
                    before = {"role": user.role, "provider_ids": list(user.provider_ids or [])}
                    changed = update_user(uow.session, user, role=role, provider_ids=provider_ids, display_name=first(form, "display_name"))
                    if changed:
                        record_request(uow.session, req, USER_UPDATE, target_type="user", target_id=user.id,
                                       detail={"changed": changed, "before": before, "after": {"role": user.role, "provider_ids": list(user.provider_ids)}})
                elif action == "reset":
                    raw = issue_password_link(uow.session, user, reset=True)
                    link = password_link(self._services.settings.public_base_url, raw)
                    record_request(uow.session, req, USER_PASSWORD_LINK, target_type="user", target_id=user.id, detail={"reset": True})
                elif action == "unlock":
                    unlock(user)
                    record_request(uow.session, req, USER_UNLOCK, target_type="user", target_id=user.id)
                elif action in ("deactivate", "activate"):
                    if own:
                        raise UserError("You cannot deactivate your own account.")
                    changed = update_user(uow.session, user, active=action == "activate")
                    record_request(uow.session, req, USER_DEACTIVATE if action == "deactivate" else USER_UPDATE, target_type="user",
                                   target_id=user.id, detail={"changed": changed, "active": user.active})
                elif action == "disable_totp":
                    # Someone else's: all their sessions end. The admin's own: all but the one on this page.
                    ended = disable_totp(uow.session, user, keep=self.session_cookie(req))
                    record_request(uow.session, req, USER_TOTP_DISABLED, target_type="user", target_id=user.id,
                                   detail={"by_admin": True, "sessions_ended": ended})
                else:
                    raise UserError("Unknown action.")
            except UserError as error:
                uow.rollback()
                user = self._find(uow, user_id)
                self.render(req, resp, "account.html", title=f"Account: {user.email}", user=user_out(user), roles=ROLE_CHOICES,
                            error_summary=[("role", str(error))], status=falcon.HTTP_422)
                return
            uow.commit()
            self.render(req, resp, "account.html", title=f"Account: {user.email}", user=user_out(user), roles=ROLE_CHOICES, link=link,
                        notice="Saved." if not link else None)


class TokensPage(_Page):
    permissions = {"GET": Permission.TOKENS_MANAGE, "POST": Permission.TOKENS_MANAGE}
    sign_in_redirect = True

    def _show(self, req, resp, uow, *, new_token: str = "", form: dict | None = None, errors=None, status=falcon.HTTP_200) -> None:
        now = utcnow()
        tokens = [{**token_out(t), "expired": t.expires_at is not None and now >= t.expires_at} for t in list_tokens(uow.session)]
        self.render(req, resp, "tokens.html", title="API tokens", tokens=tokens, roles=ROLE_CHOICES, new_token=new_token,
                    form=form or {"label": "", "role": "", "provider_ids": "", "days": str(DEFAULT_TOKEN_DAYS)},
                    max_days=MAX_TOKEN_DAYS, error_summary=errors, status=status)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        with self._services.uow() as uow:
            self._show(req, resp, uow)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = self.form(req)
        values = {name: first(form, name).strip() for name in ("label", "role", "provider_ids", "days")}
        with self._services.uow() as uow:
            days = values["days"] or str(DEFAULT_TOKEN_DAYS)
            if not (days.isascii() and days.isdigit() and len(days) <= 4 and 1 <= int(days) <= MAX_TOKEN_DAYS):
                self._show(req, resp, uow, form=values, errors=[("days", f"Enter a number of days from 1 to {MAX_TOKEN_DAYS}.")],
                           status=falcon.HTTP_422)
                return
            try:
                try:
                    role = Role(values["role"])
                except ValueError:
                    raise UserError("Choose a role.") from None
                provider_ids = _parse_provider_ids(values["provider_ids"])
                if (role is Role.PROVIDER_RESPONDER) != bool(provider_ids):
                    raise UserError("A provider responder token needs provider ids; other roles take none.")
                _known_providers(uow, provider_ids)
            except UserError as error:
                self._show(req, resp, uow, form=values, errors=[("role", str(error))], status=falcon.HTTP_422)
                return
            row, secret = create_token(uow.session, role, label=values["label"][:200], provider_ids=tuple(provider_ids),
                                       created_by_user_id=req.context.principal.user_id, days=int(days))
            record_request(uow.session, req, TOKEN_CREATE, target_type="token", target_id=row.id,
                           detail={"role": row.role, "provider_ids": list(row.provider_ids or []), "days": int(days)})
            uow.commit()
            self._show(req, resp, uow, new_token=secret)


class TokenRevokePage(_Page):
    permissions = {"POST": Permission.TOKENS_MANAGE}
    sign_in_redirect = True

    def on_post(self, req: falcon.Request, resp: falcon.Response, token_id: int) -> None:
        self.form(req)
        with self._services.uow() as uow:
            if revoke_token(uow.session, token_id):
                record_request(uow.session, req, TOKEN_REVOKE, target_type="token", target_id=token_id)
                uow.commit()
        self.redirect("/staff/tokens")
