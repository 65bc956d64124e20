"""Languages we serve and the gettext catalogs that translate the service into them.

One place for: which locales exist, which are right-to-left, how Accept-Language is matched, and
how a catalog is loaded. Catalogs live in the top-level ``translations/`` folder, one gettext
*domain* per surface (``messages`` for the web pages, ``questionnaire`` for the question wording,
``sms`` for text messages, ``paper`` for printed forms) so that each surface can be extracted and
checked on its own. ``.mo`` files are compiled at install (``make install``); when one is missing
(a fresh checkout run without the install step) the ``.po`` is compiled in memory instead, so a
missing build step never shows a person the wrong language.
"""
from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

import translations as _translations_package

CATALOG_DIR = Path(_translations_package.__file__).parent

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Language:
    code: str           # BCP 47 / gettext code used in URLs, data and the API
    english_name: str
    native_name: str    # what the language link shows: people look for their own language's name
    direction: str      # "ltr" or "rtl"


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "English", "ltr"),
        Language("ur", "Urdu", "اردو", "rtl"),
        # Gurmukhi script: see translations/README.md for why.
        Language("pa", "Punjabi", "ਪੰਜਾਬੀ", "ltr"),
        Language("gu", "Gujarati", "ગુજરાતી", "ltr"),
        Language("pl", "Polish", "Polski", "ltr"),
        Language("ar", "Arabic", "العربية", "rtl"),
        Language("bn", "Bengali", "বাংলা", "ltr"),
        Language("ro", "Romanian", "Română", "ltr"),
    )
}

SUPPORTED_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)


def is_supported(code: str | None) -> bool:
    return code in LANGUAGES


def direction(code: str) -> str:
    return LANGUAGES[code].direction if code in LANGUAGES else "ltr"


def match_accept_language(header: str | None) -> str:
    """Pick the best supported language from an Accept-Language header (RFC 9110 q-values)."""
    if not header:
        return DEFAULT_LANGUAGE
    candidates: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        candidates.append((quality, -position, tag.strip().lower()))
    for quality, _, tag in sorted(candidates, reverse=True):
        if quality <= 0:
            continue
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE


def _catalog_path(language: str, domain: str, suffix: str) -> Path:
    return CATALOG_DIR / language / "LC_MESSAGES" / f"{domain}.{suffix}"


@functools.lru_cache(maxsize=None)
def translations_for(language: str, domain: str = "messages") -> NullTranslations:
    """The gettext translations of one domain in one language (English source text is the msgid)."""
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return NullTranslations()
    mo_path = _catalog_path(language, domain, "mo")
    if mo_path.exists():
        with mo_path.open("rb") as handle:
            return Translations(handle, domain=domain)
    po_path = _catalog_path(language, domain, "po")
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=Locale.parse(language), domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=domain)


def gettext(language: str, message: str, domain: str = "messages") -> str:
    return translations_for(language, domain).gettext(message)


def pgettext(language: str, context: str, message: str, domain: str = "messages") -> str:
    return translations_for(language, domain).pgettext(context, message)
