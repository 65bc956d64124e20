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
import urllib.request
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

log = logging.getLogger(__name__)


class TranslationError(Exception):
    """A translation back end failed (network, HTTP status, malformed answer)."""


@dataclass(frozen=True)
class TranslationResult:
    text: str
    source_language: str
    engine: str  # e.g. "argos-1.9", "libretranslate:http://host:5000"

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
    name = "libretranslate"
    REST_SECONDS = 60.0   # after a failure to reach it, texts go to the human queue for this long

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 5.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"LibreTranslate URL must start with http:// or https://, got {url!r}")
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self._resting_until = 0.0

    def translate(self, text: str, source_language: str) -> TranslationResult | None:
        # "und" (a script none of our languages uses): let the server guess, if it has that language.
        payload = {"q": text, "source": "auto" if source_language == "und" else source_language, "target": "en", "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        req = urllib.request.Request(
            self.url + "/translate",
            data=json.dumps(payload).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        if time.monotonic() < self._resting_until:
            # It failed a moment ago: do not make every comment wait for the timeout again.
            raise TranslationError(f"LibreTranslate at {self.url} failed less than {self.REST_SECONDS:.0f} s ago; not asked")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                body = json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            detail = ""
            try:
                detail = json.loads(exc.read().decode("utf-8")).get("error", "")
            except Exception:
                pass
            if exc.code == 400 and "not supported" in str(detail).lower():
                return None  # the server has no model for this language pair
            # Only the status: the server's own message may quote the words it was given ("Cannot translate
            # text: ..."), and this message is logged and shown.
            raise TranslationError(f"LibreTranslate answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
            # Unreachable, too slow, or the answer was cut off: rest it for a while.
            self._resting_until = time.monotonic() + self.REST_SECONDS
            raise TranslationError(f"LibreTranslate at {self.url} unreachable or cut off: {exc!r}") from exc
        except (ValueError, UnicodeDecodeError) as exc:   # json.JSONDecodeError is a ValueError
            raise TranslationError("LibreTranslate answered with something that is not JSON in UTF-8") from exc
        translated = body.get("translatedText") if isinstance(body, dict) else None
        if not isinstance(translated, str):
            raise TranslationError("LibreTranslate answer has no 'translatedText'")
        return TranslationResult(translated, source_language, f"libretranslate:{self.url}")


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
