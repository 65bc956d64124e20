"""Staff pages for people who cannot see the screen the usual way, or whose session ended mid-work."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from service.auth.models import StaffSession
from service.auth.permissions import Role
from service.domain.model import Channel, Consent, SubmitFeedback
from service.intake import submit_feedback
from service.storage.orm import FreeText, TextAnnotation
from tests.support.staff import signed_in

URDU = "میری بات سنی گئی۔"


def _urdu_feedback(services):
    return submit_feedback(SubmitFeedback(channel=Channel.WEB, language="ur", texts={"own_words": URDU}, consent=Consent.ANONYMOUS),
                           services.uow())


def test_a_translation_saved_after_the_session_ended_comes_back_as_a_page_with_the_words(client, services):
    """30 minutes idle, then Save: an HTML page (not problem+json) saying nothing was saved, the typed
    translation in a box to copy, and a way to sign in again."""
    staff = signed_in(client, services, "duty@example.org", Role.DUTY_TEAM)
    _urdu_feedback(services)
    assert staff.get("/staff/translations").status_code == 200
    with services.session_factory.begin() as session:
        for row in session.scalars(select(StaffSession)):
            row.last_seen_at = row.last_seen_at - timedelta(minutes=31)
        text_id = session.scalar(select(FreeText.id))
    result = staff.post("/staff/translations", {"free_text_id": str(text_id), "translation": "I was listened to <b>at last</b>."})
    assert result.status_code == 401 and result.headers["content-type"].startswith("text/html")
    assert "<title>You were signed out" in result.text and 'href="/staff/sign-in"' in result.text
    assert "I was listened to &lt;b&gt;at last&lt;/b&gt;." in result.text          # given back, escaped
    assert "csrf_token" not in result.text
    with services.session_factory() as session:
        assert session.scalar(select(TextAnnotation.translation).where(TextAnnotation.translation.is_not(None))) is None
    api = client.simulate_post(f"/api/v1/texts/{text_id}/translation", json={"translation": "x"})
    assert api.status_code == 401 and api.headers["content-type"].startswith("application/problem+json")   # the API is unchanged


def test_the_item_page_marks_the_language_of_the_persons_words(client, services):
    """WCAG 3.1.2: a screen reader reads Urdu words with an Urdu voice, not the page's English one."""
    staff = signed_in(client, services, "duty@example.org", Role.DUTY_TEAM)
    receipt = _urdu_feedback(services)
    page = staff.get(f"/staff/submissions/{receipt.submission_id}")
    tag = re.search(r"<[^>]+>" + re.escape(URDU), page.text).group(0)
    assert 'lang="ur"' in tag, tag


def test_a_post_from_another_site_gets_no_words_of_its_own_on_the_signed_out_page(client, services):
    """A cross-site form never carries the session cookie: without the page's own CSRF token the signed-out
    page shows nothing it was sent (no "the duty line has moved, ring 0900..." on the service's address)."""
    result = client.simulate_post("/staff/translations", body="free_text_id=1&translation=The+duty+line+has+moved%2C+ring+0900+000",
                                  headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"})
    assert result.status_code == 401 and "You were signed out" in result.text
    assert "duty line has moved" not in result.text and "translation" not in result.text.split("<main", 1)[1]
