"""HTML form posts: size-limited parsing and CSRF protection, shared by every page that takes a form.

CSRF uses a per-browser random nonce in a cookie (HttpOnly, SameSite=Lax) and a token in each form that
is an HMAC of that nonce under SECRET_KEY. A cross-site page can neither read the cookie nor compute the
token. Works without JavaScript and without a server-side session.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import parse_qs, urlsplit

import falcon

from service.api.bodies import read_body
from service.api.problems import HTTPProblem
from service.signing import same_mac

CSRF_COOKIE = "msp_csrf"
CSRF_FIELD = "csrf_token"
MAX_FORM_BYTES = 64 * 1024


def read_form(req: falcon.Request, limit: int = MAX_FORM_BYTES) -> dict[str, list[str]]:
    """Parse an application/x-www-form-urlencoded body (UTF-8), keeping blank values and order."""
    media_type = (req.content_type or "").split(";")[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        raise HTTPProblem(falcon.HTTP_415, "Unsupported media type", "Send the form as application/x-www-form-urlencoded.")
    raw = read_body(req, limit)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPProblem(falcon.HTTP_400, "Form is not UTF-8", "Send the form encoded as UTF-8.") from None
    try:
        return parse_qs(text, keep_blank_values=True, strict_parsing=False, max_num_fields=500)
    except ValueError:
        raise HTTPProblem(falcon.HTTP_400, "Form has too many fields", "Send fewer fields.") from None


def first(form: dict[str, list[str]], name: str, default: str = "") -> str:
    values = form.get(name)
    return values[0] if values else default


def _sign(secret_key: str, nonce: str) -> str:
    return hmac.new(secret_key.encode(), f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()


def csrf_token(req: falcon.Request, resp: falcon.Response, secret_key: str, *, secure: bool) -> str:
    """The token to put in a form's hidden `csrf_token` field; sets the nonce cookie when missing."""
    nonce = req.cookies.get(CSRF_COOKIE)
    if not nonce or len(nonce) != 43:
        nonce = secrets.token_urlsafe(32)
        resp.set_cookie(CSRF_COOKIE, nonce, path="/", secure=secure, http_only=True, same_site="Lax")
        req.cookies[CSRF_COOKIE] = nonce  # later calls in this request see the same nonce
    return _sign(secret_key, nonce)


def browser_tag(req: falcon.Request, secret_key: str) -> str:
    """Which browser a web form belongs to: a keyed hash of this browser's CSRF nonce ("" without one).

    It goes in the form's signed draft, which anyone holding the page can read, hence a hash and not the
    nonce. A form posted from a browser with another nonce (or none: every cross-site post, SameSite=Lax)
    is not that browser's form (channels/web/pages.py)."""
    nonce = req.cookies.get(CSRF_COOKIE)
    if not nonce or len(nonce) != 43:
        return ""
    return hmac.new(secret_key.encode(), f"form-browser:{nonce}".encode(), hashlib.sha256).hexdigest()[:32]


def check_csrf(req: falcon.Request, form: dict[str, list[str]], secret_key: str) -> None:
    """Refuse a form whose token was not made for this browser's nonce under ``secret_key``."""
    nonce = req.cookies.get(CSRF_COOKIE)
    token = first(form, CSRF_FIELD)
    if not nonce or not token or not same_mac(_sign(secret_key, nonce), token):
        raise falcon.HTTPForbidden(
            title="This form has expired",
            description="Please go back, reload the page and send it again. (Cookies must be allowed for this site.)",
        )


def posted_from_another_site(req: falcon.Request, public_base_url: str) -> bool:
    """The browser says a page of another origin made this post: Fetch Metadata (anything but `same-origin` or
    `none`, sent by every current browser: `same-site` is another host of the same domain, which the service
    does not trust either), else an `Origin` that is neither this service's public address nor the host the
    request came to. `Origin: null` says nothing: the service's own pages send it (their referrer policy is
    no-referrer). Such a post never carries the CSRF token, so it is refused anyway; this says whether to
    keep anything it brought."""
    site = req.get_header("Sec-Fetch-Site")
    if site is not None:
        return site.strip().lower() not in ("same-origin", "none")
    origin = (req.get_header("Origin") or "").strip()
    if not origin or origin == "null":
        return False
    netloc = urlsplit(origin).netloc.lower()
    return not netloc or netloc not in {urlsplit(public_base_url).netloc.lower(), (req.netloc or "").lower()}
