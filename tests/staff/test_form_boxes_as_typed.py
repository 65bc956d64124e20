"""Staff pages print every value with direction controls as marks, except what a form box holds: that goes
back to the server when the form is sent, and the marks would be stored in place of the controls (a second
review found Urdu pasted with embedding controls stored as "[U+202B]..." after "Add another issue")."""
from __future__ import annotations

import re
from pathlib import Path

from service.auth.staff_pages import _shown, as_typed

ROOT = Path(__file__).resolve().parents[2]
STAFF_TEMPLATES = [*ROOT.glob("service/*/templates/*.html"), *ROOT.glob("channels/meetings/templates/*.html"),
                   *ROOT.glob("channels/paper/templates/*.html")]


def test_every_form_box_of_a_staff_template_prints_its_value_as_typed():
    unguarded = []
    for path in STAFF_TEMPLATES:
        text = path.read_text(encoding="utf-8")
        boxes = re.findall(r'value="(\{\{.*?\}\})"', text) + re.findall(r"<textarea[^>]*>(.*?)</textarea>", text, re.S)
        unguarded += [f"{path.relative_to(ROOT)}: {box}" for box in boxes if "{{" in box and "|as_typed }}" not in box]
    assert len(STAFF_TEMPLATES) >= 30 and not unguarded, unguarded


def test_values_are_marked_but_form_boxes_are_not():
    assert _shown("SAB\u202eFED-1234") == "SAB[U+202E]FED-1234"
    assert _shown(as_typed("\u202bکھانا\u202c")) == "\u202bکھانا\u202c"
    assert _shown(5) == 5 and _shown(None) is None
