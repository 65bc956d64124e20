"""Boxes where people type words follow the direction of what is typed (audit a11y L1): the pages say
"You can write in any language", so English on the Urdu page must be laid out left-to-right, and Urdu on
the English page right-to-left. Inputs for numbers and e-mail addresses are left alone."""
from __future__ import annotations

import re

import pytest

from tests.web.test_web_pages import walk_to_check


def tags(html: str, tag: str) -> dict[str, str]:
    found = ((re.search(r'\sid="([^"]+)"', t), t) for t in re.findall(rf"<{tag}\b[^>]*>", html))
    return {match.group(1): t for match, t in found if match}


@pytest.mark.parametrize("language", ["en", "ur", "ar"])
def test_every_box_for_words_has_dir_auto(web, language):
    web.get("/feedback", lang=language, mode="standard")
    seen: dict[str, str] = {}
    for page in walk_to_check(web, "standard"):
        seen.update(tags(page.text, "textarea"))
        seen.update({k: v for k, v in tags(page.text, "input").items() if 'type="text"' in v and k != "website"})
    assert {"own_words", "better", "address", "name", "needs_other", "case_reference"} <= set(seen)
    missing = [k for k, t in seen.items() if 'dir="auto"' not in t]
    assert not missing, missing
    phone = tags(web.page.text, "input").get("phone") or ""
    assert 'dir="auto"' not in phone


@pytest.mark.parametrize("language", ["en", "ur"])
def test_the_check_page_shows_every_answer_typed_in_its_own_direction(web, language):
    # The "other needs" words were drawn in the page's direction (intake audit #13).
    web.get("/feedback", lang=language, mode="standard")
    check = walk_to_check(web, "standard")[-1]
    typed = ["My social worker listened.", "Call back sooner, please.", "Bigger buttons", "SG-1234", "Sam"]
    for words in typed:
        tag = re.search(rf"<p[^>]*>\s*{re.escape(words)}", check.text).group(0)
        assert 'dir="auto"' in tag, tag
