"""Words re-shown in a meeting form's boxes go back unchanged (the staff pages' marks are for reading, not for
what is sent back)."""
from __future__ import annotations

import html
import re

from sqlalchemy import select

from channels.meetings.models import Meeting
from service.storage.orm import FreeText
from tests.meetings.test_meetings_pages import FIRST, meeting_form, meeting_id_from

# Urdu as pasted from a phone app: embedding controls (RLE ... PDF) around the words.
URDU = "\u202bکھانا ہمیشہ ٹھنڈا ہوتا ہے\u202c"


def _textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea id="{re.escape(name)}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, name
    return html.unescape(found.group(1))


def test_an_issue_re_shown_after_add_another_goes_back_unchanged(services, homes, staff):
    page = staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST, issues=[(URDU, "resident")], button="add_issue"))
    assert page.status_code == 200
    shown = _textarea(page.text, "issue-0-text")
    # What the browser will send back on "Save" is what the box holds.
    saved = meeting_id_from(staff.post("/staff/meetings/new", meeting_form(homes.alder, FIRST, issues=[(shown, "resident")])))
    with services.session_factory() as session:
        meeting = session.get(Meeting, saved)
        words = session.scalars(select(FreeText.text).where(FreeText.submission_id == meeting.issues[0].submission_id)).one()
    assert "[U+202B]" not in words, words
    assert words == URDU
