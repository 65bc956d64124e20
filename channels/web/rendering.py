"""Jinja2 environments (one per language, with that language's `messages` catalog installed)."""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from channels.web import wording
from service.i18n import LANGUAGES, direction, translations_for

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
PICTOGRAMS_DIR = HERE.parent.parent / "easy_read" / "pictograms"

EXIT_URL = "https://www.bbc.co.uk/weather"
ATTRIBUTION = "Symbols: Mulberry Symbols, (c) Steve Lee, CC BY-SA 4.0, mulberrysymbols.org"


@functools.cache
def static_version(name: str) -> str:
    """A content hash in each static URL, so the files can be cached for a year and still change."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    return f"/static/{name}?v={static_version(name)}"


def ltr(value: object) -> Markup:
    """Numbers and references inside right-to-left text: isolated so the digits keep their order."""
    return Markup('<bdi dir="ltr">%s</bdi>') % escape(str(value))


def with_phone(text: str, phone: str) -> Markup:
    """A sentence with a {phone} placeholder (from the questionnaire domain), the number kept left-to-right."""
    return escape(text).replace("{phone}", ltr(phone))


@functools.cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translations = translations_for(language, "messages")
    env.install_gettext_translations(translations, newstyle=True)

    def tr(message: str, **params) -> str:
        """A message made in Python (e.g. a validation error) with {placeholders}."""
        text = translations.gettext(message)
        return text.format(**params) if params else text

    env.globals.update(
        lang=language,
        dir=direction(language),
        languages=LANGUAGES,
        static_url=static_url,
        exit_url=EXIT_URL,
        attribution=ATTRIBUTION,
        tr=tr,
        say=lambda key, english: wording.say(language, key, english),
        group_text=lambda group_id, easy=False: wording.group_text(language, group_id, easy),
        choice_text=lambda group_id, choice_id: wording.choice_text(language, group_id, choice_id),
        ltr=ltr,
        with_phone=with_phone,
        flow_choice_ids=wording.choice_ids,
    )
    return env


def render(language: str, template: str, **context) -> str:
    return environment(language).get_template(template).render(**context)
