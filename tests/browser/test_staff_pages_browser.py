"""Staff pages in a real headless Chromium: reflow at 320 CSS px (WCAG 1.4.10) of the keyed-entry form's
sheet details and of the tables with buttons in them (tokens, outbox), and an error page a browser gets
on a staff address (staff pages audit F8, F10)."""
from __future__ import annotations

import pytest

from channels.paper.store import DatabasePaperStore
from easy_read.paper.layout import build_layout
from easy_read.paper.render import new_sheet_id
from easy_read.paper.store import SheetRecord
from service.auth.permissions import Role
from service.auth.tokens import create_token
from service.auth.users import create_user
from service.outbox.outbox import enqueue
from service.storage.orm import Provider
from tests.browser.conftest import run_axe
from tests.browser.test_web_reflow import WIDTH, too_wide

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def seeded(live_services) -> dict:
    with live_services.session_factory.begin() as session:
        home = Provider(name="Alder Court residential and nursing care home, Chorley New Road", type="care_home", area="Bolton")
        session.add(home)
        create_user(session, email="admin@example.org", role=Role.ADMIN.value, display_name="Admin", password=PASSWORD)
        create_user(session, email="keyer@example.org", role=Role.DATA_ENTRY.value, display_name="Keyer", password=PASSWORD)
        session.flush()
        for n in range(3):
            create_token(session, Role.PROVIDER_RESPONDER, label=f"Alder Court responders' reporting script {n}", provider_ids=(home.id,))
        enqueue(session, channel="email", purpose="duty_alert", recipient="safeguarding.duty.team@bolton.example.gov.uk",
                subject="URGENT: possible safeguarding disclosure", body="Feedback MSP-7KQ2-9HX4 may disclose harm: read it now.")
        enqueue(session, channel="sms", purpose="hear_back", recipient="+447700900123", body="Thank you for telling us.")
        provider_id = home.id
    layout = build_layout("msp", 1, "en")
    sheet = SheetRecord(sheet_id=new_sheet_id(), form_id="msp", form_version=1, language="en", pages=len(layout.pages),
                        case_ref="SAB-2026-0142-ADULT-SOCIAL-CARE", provider_id=str(provider_id), layout_fingerprint=layout.fingerprint())
    DatabasePaperStore(live_services.session_factory).register_sheet(sheet)
    return {"sheet_id": sheet.sheet_id}


def sign_in(page, email: str) -> None:
    page.goto("/staff/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_staff_pages_with_sheet_details_and_wide_tables_reflow_at_320_css_pixels(new_context, seeded):
    failures = []
    page = new_context().new_page()
    page.set_viewport_size({"width": WIDTH, "height": 800})
    sign_in(page, "keyer@example.org")
    page.goto(f"/staff/paper/key?sheet={seeded['sheet_id']}")
    assert "SAB-2026-0142-ADULT-SOCIAL-CARE" in page.content()
    failures += too_wide(page)
    sheet_right = page.evaluate("Math.max(...Array.from(document.querySelectorAll('.paper-sheet dd'), e => e.getBoundingClientRect().right))")
    assert sheet_right <= WIDTH, sheet_right

    page = new_context().new_page()
    page.set_viewport_size({"width": WIDTH, "height": 800})
    sign_in(page, "admin@example.org")
    for path in ("/staff/tokens", "/staff/outbox"):
        page.goto(path)
        failures += too_wide(page)
        # The table scrolls inside its region, which the keyboard can reach to scroll it.
        region = page.locator(".table-region")
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
    assert not failures, failures


def test_an_error_on_a_staff_page_is_a_page_with_a_title_a_language_and_a_way_back(new_context, seeded):
    page = new_context(bypass_csp=True).new_page()     # CSP bypassed only to inject axe
    sign_in(page, "keyer@example.org")
    response = page.goto("/staff/submissions")            # data entry staff do not read feedback
    assert response.status == 403 and response.headers["content-type"].startswith("text/html")
    assert page.title() == "Not allowed – MSP feedback staff"
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    assert run_axe(page) == []
    with page.expect_navigation():
        page.get_by_role("link", name="Go to the staff home page").click()
    assert page.url.endswith("/staff")
