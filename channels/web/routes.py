"""Routes of the web channel: the public pages, their static files and the easy-read pictograms."""
from __future__ import annotations

import re
from pathlib import Path

import falcon

from channels.web.pages import SENT_PATH, AbandonForm, FeedbackForm, StartPage
from channels.web.rendering import PICTOGRAMS_DIR, STATIC_DIR
from service.auth.permissions import Permission

_SAFE_NAME = re.compile(r"^[A-Za-z0-9_\-]+\.(css|js|svg|txt)$")
_TYPES = {"css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
          "svg": "image/svg+xml", "txt": "text/plain; charset=utf-8"}


class StaticFiles:
    """Files from one folder, cached for a year: their URLs carry a content hash (see rendering.static_url).

    The HTML pages are never cached (Cache-Control: no-store); only these files are.
    """

    permissions = {"GET": Permission.PUBLIC}

    def __init__(self, folder: Path, csp: str, max_age: int = 31_536_000):
        self._folder = folder
        self._csp = csp
        self._cache = f"public, max-age={max_age}, immutable"

    def on_get(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
        match = _SAFE_NAME.match(name)
        path = self._folder / name
        if not match or not path.is_file():
            raise falcon.HTTPNotFound(title="Not found", description="There is no such file.")
        resp.content_type = _TYPES[match.group(1)]
        resp.set_header("Cache-Control", self._cache)
        resp.set_header("Content-Security-Policy", self._csp)
        resp.data = path.read_bytes()


def install(app, services) -> None:
    """Add the web channel's routes to the app."""
    app.add_route("/", StartPage(services))
    form = FeedbackForm(services)
    app.add_route("/feedback", form)
    app.add_route(SENT_PATH, form, suffix="sent")   # the confirmation after "Send" (Post/Redirect/Get)
    app.add_route("/feedback/abandon", AbandonForm(services))
    app.add_route("/static/{name}", StaticFiles(STATIC_DIR, "default-src 'none'"))
    # The symbols carry their own <style> elements; as images they can run no script.
    app.add_route("/pictograms/{name}", StaticFiles(PICTOGRAMS_DIR, "default-src 'none'; style-src 'unsafe-inline'"))
