"""Translation to English behind one small interface, with real back ends.

* ``ArgosTranslator``: offline Argos Translate, used only when the ``argostranslate`` package and an
  installed ``<source>→en`` language package are present (detected, never required or downloaded).
* ``LibreTranslateTranslator``: a LibreTranslate server's ``POST /translate`` API over plain urllib.
* ``HumanQueueTranslator``: always answers ``None``, meaning "queue it for a person to translate".

``translate()`` returning ``None`` means "this back end cannot": the pipeline then marks the
comment ``queued`` for the human translation screen. Network or server failures raise
``TranslationError`` from the HTTP back end; ``FallbackTranslator`` turns those into ``None`` so a
comment is queued instead of lost.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from service.watchdog import Watchdog

log = logging.getLogger(__name__)


class TranslationError(Exception):
    """A translation back end failed (network, HTTP status, malformed answer)."""


@dataclass(frozen=True)
class TranslationResult:
    text: str
    source_language: str
    engine: str  # e.g. "argos", "libretranslate:host:5000"

    def to_dict(self) -> dict:
        return {"text": self.text, "source_language": self.source_language, "engine": self.engine}


@runtime_checkable
class Translator(Protocol):
    name: str

    def translate(self, text: str, source_language: str) -> TranslationResult | None: ...


class HumanQueueTranslator:
    """Never translates: every text goes to the human translation queue."""

    name = "human-queue"

    def translate(self, text: str, source_language: str) -> TranslationResult | None:
        return None


class LibreTranslateTranslator:
    """A LibreTranslate server. The worker reads one submission at a time, and a duty alert may wait behind
    it, so the whole answer must come within `timeout` seconds (a server that sends a byte now and then
    never trips the socket's own timeout, which bounds each wait, not the answer) and within a size bound
    (a runaway answer of 100 MB cost 5 GB of memory): otherwise the text goes to the human queue."""

    name = "libretranslate"
    REST_SECONDS = 60.0   # after a failure to reach it, a failing or overloaded answer, or too slow a one
    MIN_ANSWER_BYTES = 64 * 1024
    ANSWER_BYTES_PER_REQUEST_BYTE = 20   # both are JSON, escaped alike; English may run longer than the original
    CHUNK_BYTES = 4096
    ERROR_DETAIL_BYTES = 4096            # enough for {"error": "xx is not supported"}

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 5.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"LibreTranslate URL must start with http:// or https://, got {url!r}")
        self.url = url.rstrip("/")
        # Stored with each translation and shown to staff: the server's host only. The URL may hold a user and
        # password, and a gateway's path may be long.
        parts = urllib.parse.urlsplit(self.url)
        self.engine = f"{self.name}:{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        self.api_key = api_key
        self.timeout = timeout
        self._resting_until = 0.0

    def translate(self, text: str, source_language: str) -> TranslationResult | None:
        # "und" (a script none of our languages uses): let the server guess, if it has that language.
        payload = {"q": text, "source": "auto" if source_language == "und" else source_language, "target": "en", "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        data = json.dumps(payload).encode("utf-8")
        req = urllib.request.Request(
            self.url + "/translate",
            data=data,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        if time.monotonic() < self._resting_until:
            # It failed a moment ago: do not make every comment wait for the timeout again.
            raise TranslationError(f"LibreTranslate at {self.url} failed less than {self.REST_SECONDS:.0f} s ago; not asked")
        deadline = time.monotonic() + self.timeout
        limit = max(self.MIN_ANSWER_BYTES, self.ANSWER_BYTES_PER_REQUEST_BYTE * len(data))
        with Watchdog(self.timeout) as watchdog:
            try:
                with _opener(watchdog).open(req, timeout=self.timeout) as resp:
                    body = json.loads(self._read_answer(resp, limit, deadline).decode("utf-8"))
            except urllib.error.HTTPError as exc:
                if exc.code == 429 or exc.code >= 500:
                    self._rest()      # overloaded or failing: the next texts need not find that out again
                elif exc.code == 400 and "not supported" in _error_detail(exc, self.ERROR_DETAIL_BYTES).lower():
                    return None  # the server has no model for this language pair
                if watchdog.fired:   # the error's own words dawdled
                    self._rest()
                    raise TranslationError(f"LibreTranslate at {self.url} took longer than {self.timeout:g} s to answer") from exc
                # Only the status: the server's own message may quote the words it was given ("Cannot translate
                # text: ..."), and this message is logged and shown.
                raise TranslationError(f"LibreTranslate answered HTTP {exc.code}") from exc
            except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException, ValueError) as exc:
                if watchdog.fired:
                    self._rest()
                    raise TranslationError(f"LibreTranslate at {self.url} took longer than {self.timeout:g} s to answer") from exc
                if isinstance(exc, ValueError):   # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
                    raise TranslationError("LibreTranslate answered with something that is not JSON in UTF-8") from exc
                # Unreachable, too slow, or the answer was cut off: rest it for a while.
                self._rest()
                raise TranslationError(f"LibreTranslate at {self.url} unreachable or cut off: {exc!r}") from exc
        translated = body.get("translatedText") if isinstance(body, dict) else None
        if not isinstance(translated, str):
            raise TranslationError("LibreTranslate answer has no 'translatedText'")
        return TranslationResult(translated, source_language, self.engine)

    def _rest(self) -> None:
        self._resting_until = time.monotonic() + self.REST_SECONDS

    def _read_answer(self, resp, limit: int, deadline: float) -> bytes:
        """The answer's body, read a chunk at a time (`read1`: at most one wait on the socket each) so that
        the deadline is looked at between chunks; refused past `limit` bytes or past the deadline."""
        declared = resp.headers.get("Content-Length", "")
        declared_size = int(declared) if declared.isascii() and declared.isdigit() else None
        if declared_size is not None and declared_size > limit:
            raise TranslationError(f"LibreTranslate's answer would be {declared_size} bytes; more than {limit} is not read")
        chunks, size = [], 0
        while True:
            if time.monotonic() > deadline:
                self._rest()
                raise TranslationError(f"LibreTranslate at {self.url} took longer than {self.timeout:g} s to answer")
            chunk = resp.read1(self.CHUNK_BYTES)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise TranslationError(f"LibreTranslate's answer is longer than {limit} bytes; not read further")
            chunks.append(chunk)
        if declared_size is not None and size < declared_size:
            # read1 ends quietly where a cut-off connection ends; the caller rests the server for it.
            raise http.client.IncompleteRead(b"".join(chunks), declared_size - size)
        return b"".join(chunks)


def _opener(watchdog: Watchdog) -> urllib.request.OpenerDirector:
    """urllib, with each connection's socket handed to the watchdog as soon as it is open."""

    class WatchedHTTP(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            watchdog.watch(self.sock)

    class WatchedHTTPS(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            watchdog.watch(self.sock)

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(WatchedHTTP, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(WatchedHTTPS, req, context=self._context)

    return urllib.request.build_opener(HTTPHandler, HTTPSHandler)


def _error_detail(error: urllib.error.HTTPError, limit: int) -> str:
    """The "error" of a LibreTranslate error answer, read no further than `limit` bytes ("" if none)."""
    try:
        detail = json.loads(error.read(limit).decode("utf-8")).get("error", "")
    except Exception:  # noqa: BLE001 - any answer we cannot read simply has no detail
        return ""
    return detail if isinstance(detail, str) else ""


class ArgosTranslator:
    """Offline Argos Translate. Construct with ``ArgosTranslator.available()`` first."""

    name = "argos"

    def __init__(self) -> None:
        import argostranslate.translate as at  # noqa: F401  (import error = not available)

        self._at = at

    @staticmethod
    def available() -> bool:
        try:
            import argostranslate.translate as at

            return any(lang.code != "en" for lang in at.get_installed_languages())
        except Exception:
            return False

    def translate(self, text: str, source_language: str) -> TranslationResult | None:
        langs = {lang.code: lang for lang in self._at.get_installed_languages()}
        src, en = langs.get(source_language), langs.get("en")
        if src is None or en is None:
            return None
        tr = src.get_translation(en)
        if tr is None:
            return None
        return TranslationResult(tr.translate(text), source_language, "argos")


class FallbackTranslator:
    """Try each back end in order; failures are logged and fall through; None = queue."""

    def __init__(self, translators: list[Translator]) -> None:
        self.translators = translators
        self.name = "+".join(t.name for t in translators) or "none"

    def translate(self, text: str, source_language: str) -> TranslationResult | None:
        for t in self.translators:
            try:
                result = t.translate(text, source_language)
            except Exception as exc:  # noqa: BLE001 - any back end's failure means "try the next", never "lose the text"
                # Our own TranslationError messages hold no words of the text; another exception's might.
                log.warning("translator %s failed: %s", t.name, exc if isinstance(exc, TranslationError) else type(exc).__name__)
                continue
            if result is not None:
                return result
        return None


def translator_from_settings(libretranslate_url: str | None = None, api_key: str | None = None,
                             timeout: float = 5.0) -> Translator:
    """Argos if installed with models, then LibreTranslate if a URL is set; the human queue last."""
    chain: list[Translator] = []
    if ArgosTranslator.available():
        chain.append(ArgosTranslator())
    if libretranslate_url:
        chain.append(LibreTranslateTranslator(libretranslate_url, api_key=api_key, timeout=timeout))
    if not chain:
        return HumanQueueTranslator()
    chain.append(HumanQueueTranslator())
    return FallbackTranslator(chain)
