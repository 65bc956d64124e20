"""A tiny form-filling client over falcon.testing.TestClient: keeps cookies, reads the page's form."""
from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import falcon.testing
import pytest


class _FormReader(HTMLParser):
    """The hidden fields of the form with id="flow", and the page's lang/dir and title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden: dict[str, str] = {}
        self.html_attrs: dict[str, str] = {}
        self.title = ""
        self._in_form = False
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_attrs = {k: v or "" for k, v in attributes.items()}
        elif tag == "form" and attributes.get("id") == "flow":
            self._in_form = True
        elif tag == "input" and self._in_form and attributes.get("type") == "hidden":
            self.hidden[attributes["name"]] = attributes.get("value") or ""
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


@dataclass
class Page:
    status: int
    text: str
    headers: dict
    hidden: dict[str, str] = field(default_factory=dict)
    lang: str = ""
    dir: str = ""
    title: str = ""
    redirected: list[tuple[int, str]] = field(default_factory=list)   # (status, Location) of each redirect followed

    @property
    def step(self) -> str:
        return self.hidden.get("step", "")


class WebClient:
    """Browses the public pages like a browser without JavaScript: cookies kept, forms posted."""

    def __init__(self, client: falcon.testing.TestClient, accept_language: str | None = None, remote_addr: str = "10.0.0.1"):
        self.client = client
        self.cookies: dict[str, str] = {}
        self.cookie_max_age: dict[str, int | None] = {}   # as the server last set each cookie
        self.accept_language = accept_language
        self.remote_addr = remote_addr
        self.page: Page | None = None

    def _headers(self, extra: dict | None = None) -> dict:
        headers = dict(extra or {})
        if self.accept_language:
            headers["Accept-Language"] = self.accept_language
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep_cookies(self, result) -> None:
        for name, cookie in result.cookies.items():
            self.cookies[name] = cookie.value
            self.cookie_max_age[name] = cookie.max_age

    def _page(self, result) -> Page:
        self._keep_cookies(result)
        reader = _FormReader()
        reader.feed(result.text)
        self.page = Page(result.status_code, result.text, dict(result.headers), reader.hidden,
                         reader.html_attrs.get("lang", ""), reader.html_attrs.get("dir", ""), reader.title.strip())
        return self.page

    def get(self, path: str, **params) -> Page:
        return self._page(self.client.simulate_get(path, params=params or None, headers=self._headers(), remote_addr=self.remote_addr))

    def post_raw(self, fields: list[tuple[str, str]] | dict, path: str = "/feedback", headers: dict | None = None) -> Page:
        """Post, then follow "303 See Other" with a GET as a browser does (Post/Redirect/Get after "Send")."""
        body = urlencode(fields, doseq=True)
        result = self.client.simulate_post(
            path, body=body, headers=self._headers({"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}),
            remote_addr=self.remote_addr)
        redirected = []
        while result.status_code == 303 and len(redirected) < 5:
            self._keep_cookies(result)
            location = result.headers["location"]
            redirected.append((result.status_code, location))
            url = urlsplit(location)
            result = self.client.simulate_get(url.path, query_string=url.query or None, headers=self._headers(),
                                              remote_addr=self.remote_addr)
        page = self._page(result)
        page.redirected = redirected
        return page

    def submit(self, fields: dict | None = None, action: str = "continue", **overrides) -> Page:
        """Post the current page's form (its hidden fields) with these answers and this button."""
        assert self.page is not None and self.page.hidden, "no form on the current page"
        data = [(k, v) for k, v in {**self.page.hidden, **overrides}.items()]
        for name, value in (fields or {}).items():
            for one in (value if isinstance(value, list) else [value]):
                data.append((name, one))
        data.append(("action", action))
        return self.post_raw(data)


@pytest.fixture
def web(client: falcon.testing.TestClient) -> WebClient:
    return WebClient(client)


@pytest.fixture
def make_web(client: falcon.testing.TestClient):
    def make(**kwargs) -> WebClient:
        return WebClient(client, **kwargs)
    return make
