"""The `messages` catalogs (web pages) are complete in every language, and easy-read wording is short.

Easy-read sentences (GUIDE section 4): at most 15 words, one idea each. The English easy-read wording of
the web pages is in translations/messages.pot with the context "easy_read"; the question wording's
easy-read variants are checked by tests/unit/test_questionnaire_catalogs.py. Here we also draw every
easy-read page in English and check each sentence a person reads on it.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from service.i18n import DEFAULT_LANGUAGE, LANGUAGES
from tests.support.catalogs import (
    TRANSLATIONS_DIR,
    catalog_path,
    catalog_problems,
    read_catalog,
)

TRANSLATED = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
MESSAGES_POT = TRANSLATIONS_DIR / "messages.pot"
SENTENCE_END = re.compile(r"[.!?\u06d4\u061f\u0964]+(?:\s|$)")
MAX_WORDS = 15


def words(sentence: str) -> list[str]:
    return [token for token in sentence.split() if any(ch.isalnum() for ch in token)]


def long_sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if len(words(s)) > MAX_WORDS]


@pytest.mark.parametrize("language", TRANSLATED)
def test_messages_catalog_is_complete_and_compiles(language):
    problems = catalog_problems("messages", language)
    assert not problems, f"messages/{language}:\n" + "\n".join(problems)


def test_messages_template_has_the_easy_read_wording():
    template = read_catalog(MESSAGES_POT)
    easy = [m for m in template if m.id and m.context == "easy_read"]
    assert len(easy) >= 15


@pytest.mark.parametrize("language", [DEFAULT_LANGUAGE, *TRANSLATED])
def test_easy_read_sentences_have_at_most_15_words(language):
    template = read_catalog(MESSAGES_POT)
    catalog = template if language == DEFAULT_LANGUAGE else read_catalog(catalog_path(language, "messages"), locale=language)
    too_long = []
    for message in catalog:
        if message.id and message.context == "easy_read":
            text = message.id if language == DEFAULT_LANGUAGE else message.string
            too_long += [f"{message.id!r}: {s!r}" for s in long_sentences(text)]
    assert not too_long, "easy-read sentences over 15 words:\n" + "\n".join(too_long)


class _MainText(HTMLParser):
    """The text blocks (paragraphs, headings, labels, legends, list items) inside <main>."""

    BLOCKS = {"p", "h1", "h2", "h3", "label", "legend", "li", "dt", "dd", "button", "a"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_main = False
        self.skip: list[str] = []   # tags whose text is the person's own words (not our wording)
        self.blocks: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "main":
            self.in_main = True
        classes = attributes.get("class") or ""
        if tag == "textarea" or "verbatim" in classes or "honeypot" in classes:
            self.skip.append(tag)
        if tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.flush()
        if tag == "main":
            self.in_main = False
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data):
        if self.in_main and not self.skip:
            self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def test_every_english_easy_read_page_has_short_sentences(make_web):
    from tests.web.test_web_pages import walk_to_check

    web = make_web()
    pages = [web.get("/", lang="en", mode="easy"), web.get("/feedback")]
    pages += walk_to_check(web, "easy")[1:]
    pages.append(web.submit(action="send"))
    too_long = []
    for page in pages:
        reader = _MainText()
        reader.feed(page.text)
        assert len(reader.blocks) >= 3, page.title
        for block in reader.blocks:
            too_long += [f"{page.title}: {s!r}" for s in long_sentences(block)]
    assert not too_long, "\n".join(too_long)


def test_messages_template_is_up_to_date_with_the_templates_and_code():
    """translations/messages.pot has exactly the messages the web pages use (run pybabel extract; README, "Web forms")."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    from tests.support.catalogs import ROOT

    keywords = {**DEFAULT_KEYWORDS, "N_": None, "pgettext": ((1, "c"), 2)}
    method_map = [("channels/web/**.py", "python"), ("channels/web/templates/**.html", "jinja2")]
    options_map = {"channels/web/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords,
            directory_filter=lambda path: "channels" in path or path.endswith(str(ROOT))):
        found.add((context, message if isinstance(message, str) else message[0]))
    on_disk = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_catalog(MESSAGES_POT) if m.id}
    assert found == on_disk, (f"stale translations/messages.pot: new {sorted(found - on_disk)[:5]}, "
                              f"gone {sorted(on_disk - found)[:5]} (see the README, 'Web forms')")
