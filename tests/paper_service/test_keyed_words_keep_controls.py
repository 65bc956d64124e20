"""Words re-shown in keyed paper entry's boxes go back unchanged (the staff pages' marks are for reading, not
for what is sent back)."""
from __future__ import annotations

import html
import re

from sqlalchemy import select

from service.storage.orm import FreeText

URDU = "\u202bمیری بات سنی گئی\u202c"


def test_keyed_words_re_shown_after_an_error_are_stored_as_typed(keyer, services, printed, issue):
    sheet = issue(printed("ur"))
    keyer.get("/staff/paper/key", params={"sheet": sheet.sheet_id})
    refused = keyer.post("/staff/paper/key", {"sheet_id": sheet.sheet_id, "answer-listened_to": "perhaps", "text-own_words": URDU})
    assert refused.status_code == 422
    box = re.search(r'<textarea id="text-own_words"[^>]*>(.*?)</textarea>', refused.text, re.S)
    shown = html.unescape(box.group(1))
    answers = {f"answer-{q}": "" for q in ("respondent", "listened_to", "feel_safer", "consent", "asked_outcomes", "outcomes_met",
                                          "in_control", "understood", "respected")}
    saved = keyer.post("/staff/paper/key", {**answers, "sheet_id": sheet.sheet_id, "answer-listened_to": "a_bit",
                                            "answer-consent": "anonymous", "text-own_words": shown, "text-better": ""})
    assert saved.status_code == 303, saved.text
    with services.session_factory() as session:
        [text] = session.scalars(select(FreeText))
    assert text.text == URDU, text.text
