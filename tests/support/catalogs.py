"""Checks any gettext domain's catalogs against its template, so every domain's tests can reuse them.

A domain is a ``translations/<domain>.pot`` template (``messages`` = web pages, ``questionnaire`` =
question wording shared by all channels, ``sms``, ``paper``) plus one
``translations/<language>/LC_MESSAGES/<domain>.po`` per supported language. ``catalog_problems``
returns a list of human-readable problems (empty = fine) rather than asserting, so a test can show
every problem in a catalog at once, and so the same check can run from a script before a release.

What is checked, and why:
- the catalog parses with Babel, and its header names the right language, the language's
  Plural-Forms (the number of forms Babel/CLDR gives) and UTF-8; nothing is fuzzy (compilers drop
  fuzzy entries, and ``pybabel compile`` skips a catalog whose header is fuzzy, so a person would
  silently see English);
- every template entry (msgctxt + msgid) is present and translated (every plural form), and there
  are no live entries the template no longer has (stale wording);
- placeholders (``{name}``, ``%(name)s``, ``%s``) are exactly the msgid's -- a lost ``{phone}``
  would hide the safeguarding team's number -- and every number in the msgid (999) is kept in 0-9
  digits, because people dial it;
- Babel's own catalog checks pass, and the catalog compiles to a ``.mo`` that gettext can load.
"""
from __future__ import annotations

import gettext
import io
import re
from collections import Counter
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS_DIR = ROOT / "translations"

PLACEHOLDER = re.compile(
    r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}"   # str.format: {phone}, {count:d}
    r"|%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"   # %(name)s
    r"|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"   # %s, %d
)
ASCII_NUMBER = re.compile(r"(?<![0-9])[0-9]+(?![0-9])")

# Per-language spelling rules cheap enough to check by machine.
SCRIPT_RULES: dict[str, list[tuple[re.Pattern[str], str]]] = {
    # Romanian uses s/t with comma below (U+0219, U+021B); the cedilla forms are a legacy mistake.
    "ro": [(re.compile("[\u015e\u015f\u0162\u0163]"), "cedilla s/t (use comma-below \u0219 \u021b)")],
}


def domains(translations_dir: Path = TRANSLATIONS_DIR) -> list[str]:
    """Every domain that has a template (translations/<domain>.pot)."""
    return sorted(path.stem for path in translations_dir.glob("*.pot"))


def catalog_path(language: str, domain: str, translations_dir: Path = TRANSLATIONS_DIR) -> Path:
    return translations_dir / language / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(path: Path, locale: str | None = None, domain: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=domain)


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def _strings(value: str | tuple | list) -> list[str]:
    return list(value) if isinstance(value, (tuple, list)) else [value]


def _label(message) -> str:
    msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
    return f"[{message.context}] {msgid!r}" if message.context else repr(msgid)


def _header_problems(path: Path, language: str) -> list[str]:
    """Read the raw header, which Babel normalises away when it parses."""
    problems = []
    raw = path.read_text(encoding="utf-8")
    header = re.search(r'msgid ""\nmsgstr ""\n((?:".*"\n)+)', raw)
    fields = {}
    if header:
        text = "".join(re.findall(r'"(.*)"', header.group(1))).replace("\\n", "\n")
        for line in text.split("\n"):
            name, sep, value = line.partition(":")
            if sep:
                fields[name.strip().lower()] = value.strip()
    if fields.get("language") != language:
        problems.append(f"header Language is {fields.get('language')!r}, expected {language!r}")
    if "charset=utf-8" not in fields.get("content-type", "").lower().replace(" ", ""):
        problems.append(f"header Content-Type is {fields.get('content-type')!r}, expected UTF-8")
    expected_nplurals = Catalog(locale=language).num_plurals
    plural_forms = fields.get("plural-forms", "")
    match = re.search(r"nplurals\s*=\s*(\d+)", plural_forms)
    if not match:
        problems.append(f"header Plural-Forms missing or malformed: {plural_forms!r}")
    elif int(match.group(1)) != expected_nplurals:
        problems.append(
            f"header Plural-Forms has nplurals={match.group(1)}, {language} has {expected_nplurals}"
        )
    head_comments = raw.split('msgid ""', 1)[0]
    if re.search(r"^#,.*\bfuzzy\b", head_comments, re.MULTILINE):
        problems.append("header is marked fuzzy: pybabel compile skips the whole catalog "
                        "(remove '#, fuzzy' above msgid \"\")")
    return problems


def catalog_problems(domain: str, language: str,
                     translations_dir: Path = TRANSLATIONS_DIR) -> list[str]:
    """Everything wrong with one language's catalog of one domain ([] when it is complete)."""
    pot_path = translations_dir / f"{domain}.pot"
    po_path = catalog_path(language, domain, translations_dir)
    if not po_path.exists():
        return [f"{po_path} is missing (people choosing {language} would see English)"]

    template = read_catalog(pot_path, domain=domain)
    try:
        catalog = read_catalog(po_path, locale=language, domain=domain)
    except Exception as error:  # any parse error is a finding, not a crash of the whole run
        return [f"{po_path} does not parse: {error}"]

    problems = _header_problems(po_path, language)
    template_keys = {(m.id if isinstance(m.id, str) else m.id[0], m.context)
                     for m in template if m.id}
    for expected in template:
        if not expected.id:
            continue
        message = catalog.get(expected.id, context=expected.context)
        if message is None:
            problems.append(f"{_label(expected)}: missing")
            continue
        if message.fuzzy:
            problems.append(f"{_label(message)}: fuzzy")
        translations = _strings(message.string)
        if not translations or any(not text.strip() for text in translations):
            problems.append(f"{_label(message)}: not translated")
            continue
        if isinstance(message.id, (tuple, list)) and len(translations) != catalog.num_plurals:
            problems.append(f"{_label(message)}: {len(translations)} plural forms, "
                            f"{language} needs {catalog.num_plurals}")
        sources = _strings(message.id)
        wanted = placeholders(sources[0])
        numbers = Counter(ASCII_NUMBER.findall(sources[0]))
        for text in translations:
            if placeholders(text) != wanted:
                problems.append(f"{_label(message)}: placeholders {sorted(placeholders(text))} "
                                f"differ from the msgid's {sorted(wanted)}")
            missing_numbers = numbers - Counter(ASCII_NUMBER.findall(text))
            if missing_numbers:
                problems.append(f"{_label(message)}: numbers {sorted(missing_numbers)} must be "
                                "kept in 0-9 digits")
            if "python-brace-format" in message.flags and placeholders(text) == wanted:
                names = {name.strip("{}").split("!")[0].split(":")[0]
                         for name in wanted if name.startswith("{")}
                try:
                    text.format(**{name: 0 for name in names})
                except (ValueError, KeyError, IndexError) as error:
                    problems.append(f"{_label(message)}: str.format fails: {error}")
            for pattern, what in SCRIPT_RULES.get(language, []):
                if pattern.search(text):
                    problems.append(f"{_label(message)}: {what}")
    for message in catalog:
        key = (message.id if isinstance(message.id, str) else message.id[0], message.context)
        if message.id and key not in template_keys:
            problems.append(f"{_label(message)}: not in {pot_path.name} (stale; run pybabel update)")

    for message, errors in catalog.check():
        for error in errors:
            problems.append(f"{_label(message)}: {error}")

    buffer = io.BytesIO()
    try:
        write_mo(buffer, catalog)
        buffer.seek(0)
        compiled = gettext.GNUTranslations(buffer)
    except Exception as error:
        problems.append(f"{po_path} does not compile to a loadable .mo: {error}")
    else:
        for message in catalog:
            if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
                got = (compiled.pgettext(message.context, message.id) if message.context
                       else compiled.gettext(message.id))
                if got != message.string:
                    problems.append(f"{_label(message)}: compiled .mo gives {got!r}")
                    break
    return problems
