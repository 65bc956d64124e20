"""`msp-feedback sms ...`: the SMS channel's commands (registered by service/cli.py)."""
from __future__ import annotations

import click


@click.group(help="The SMS channel (Twilio): expiry of questionnaires, the texts we send.")
def sms() -> None:
    pass


@sms.command("expire", help="End SMS questionnaires past their time now (the worker does it every minute). "
                            "Answers already given are kept as a submission; nothing is sent.")
def expire() -> None:
    from channels.sms import flows
    from service.cli import database_settings
    from service.runtime import session_factory

    settings = database_settings()
    count = flows.expire_due(session_factory(settings), settings)
    click.echo(f"expired {count} SMS questionnaire(s)")


def encoding_table(phone: str) -> list[tuple[str, str, str, int, int]]:
    """(language, message, encoding, units, segments) of every default text, filled as it is sent."""
    from channels.sms import messages
    from channels.sms.conversation import closing_text
    from channels.sms.encoding import measure
    from service.domain.questionnaire import default_registry
    from service.i18n import LANGUAGES

    questionnaire = default_registry().current("msp")
    asked = messages.sms_questions(questionnaire)
    rows = []
    for language in LANGUAGES:
        texts = {
            "invitation": messages.text(language, "invitation", count=len(asked)),
            "reprompt": messages.text(language, "reprompt", count=4),
            "closing": closing_text(language, reference="MSP-7KQ2-9HX4", phone=phone),
            "stray": messages.text(language, "stray", phone=phone),
            "stop": messages.text(language, "stop"),
            "start": messages.text(language, "start"),
            "help": messages.text(language, "help", phone=phone),
        }
        texts.update({f"q:{q.id}": messages.question_message(language, q) for q in asked})
        for key, text in texts.items():
            measured = measure(text)
            rows.append((language, key, measured.encoding, measured.units, measured.segments))
    return rows


@sms.command("texts", help="Every default text in every language with its encoding and segment count.")
@click.option("--markdown", is_flag=True, help="A Markdown table: languages across, texts down (segments, encoding).")
def texts(markdown: bool) -> None:
    from service.cli import load_settings

    rows = encoding_table(load_settings().safeguarding_phone)
    if not markdown:
        for language, key, encoding, units, segments in rows:
            click.echo(f"{language}\t{key}\t{encoding}\t{units}\t{segments}")
        return
    languages = list(dict.fromkeys(r[0] for r in rows))
    keys = list(dict.fromkeys(r[1] for r in rows))
    cell = {(r[0], r[1]): f"{r[4]} ({'G' if r[2] == 'GSM-7' else 'U'}{r[3]})" for r in rows}
    click.echo("| text | " + " | ".join(languages) + " |")
    click.echo("|---|" + "---|" * len(languages))
    for key in keys:
        click.echo(f"| {key} | " + " | ".join(cell[(language, key)] for language in languages) + " |")


def build_template():
    """translations/sms.pot from channels/sms/messages.py ENTRIES (the single source of the SMS wording)."""
    from babel.messages.catalog import Catalog

    from channels.sms.messages import ENTRIES

    catalog = Catalog(domain="sms", project="msp-feedback", version="1", fuzzy=False,
                      header_comment="# Text messages of the SMS channel (gettext domain: sms). Generated from channels/sms/messages.py ENTRIES\n"
                                     "# by `msp-feedback sms extract`. Every message must fit in 2 SMS segments in every language.")
    for context, msgid, comment in ENTRIES:
        catalog.add(msgid, context=context, auto_comments=[comment], flags=("python-brace-format",) if "{" in msgid else (),
                    locations=[("channels/sms/messages.py", 0)])
    return catalog


@sms.command("extract", help="Write translations/sms.pot from the wording in channels/sms/messages.py; then update the "
                             "catalogs with: pybabel update -D sms -i translations/sms.pot -d translations")
def extract() -> None:
    from babel.messages.pofile import write_po

    from service.i18n import CATALOG_DIR

    path = CATALOG_DIR / "sms.pot"
    with path.open("wb") as handle:
        write_po(handle, build_template(), width=0, include_lineno=False)
    click.echo(f"wrote {path}")
