"""Access removed from a member of staff does not live on in the API tokens they made (and saw once)."""
from __future__ import annotations

import re

from sqlalchemy import select

from service.audit.models import AuditEvent
from service.auth.permissions import Role
from service.auth.tokens import create_token
from tests.support.staff import add_user, signed_in


def _make_token_on_the_page(browser, label: str) -> str:
    browser.get("/staff/tokens")
    page = browser.post("/staff/tokens", {"label": label, "role": "data_entry", "provider_ids": ""})
    return re.search(r"<code>([^<]+)</code>", page.text).group(1)


def _works(client, token: str) -> bool:
    return client.simulate_get("/api/v1/providers", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_deactivating_an_admin_revokes_the_tokens_they_made_and_no_others(client, services, admin_headers):
    leaving = signed_in(client, services, "leaving@example.org", Role.ADMIN)
    theirs = _make_token_on_the_page(leaving, "paper scanner app")
    with services.session_factory.begin() as session:
        _, from_the_command_line = create_token(session, Role.DATA_ENTRY, label="made at the command line")
    staying = signed_in(client, services, "staying@example.org", Role.ADMIN)
    other_admins = _make_token_on_the_page(staying, "meetings app")
    assert all(_works(client, t) for t in (theirs, from_the_command_line, other_admins))

    with services.session_factory() as session:
        from service.auth.models import StaffUser
        leaving_id = session.scalar(select(StaffUser.id).where(StaffUser.email == "leaving@example.org"))
    staying.get(f"/staff/accounts/{leaving_id}")
    assert staying.post(f"/staff/accounts/{leaving_id}", {"action": "deactivate"}).status_code in (200, 303)
    assert not _works(client, theirs)
    assert _works(client, from_the_command_line) and _works(client, other_admins)
    with services.session_factory() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.deactivate")).one()
        assert "api_tokens_revoked" in event.detail["changed"]


def test_an_admin_moved_to_another_role_loses_the_tokens_they_made(client, services, admin_headers):
    moved = signed_in(client, services, "moved@example.org", Role.ADMIN)
    theirs = _make_token_on_the_page(moved, "integration")
    made = client.simulate_get("/api/v1/tokens", headers=admin_headers).json
    listed = made["items"] if isinstance(made, dict) else made
    assert any(t["created_by_user_id"] is not None for t in listed)
    user_id = next(t["created_by_user_id"] for t in listed if t["created_by_user_id"] is not None)
    changed = client.simulate_patch(f"/api/v1/users/{user_id}", json={"role": "duty_team"}, headers=admin_headers)
    assert changed.status_code == 200
    assert not _works(client, theirs)


def test_a_change_that_keeps_their_access_keeps_their_tokens(client, services, admin_headers):
    add_user(services, "other@example.org", Role.ADMIN)
    kept = signed_in(client, services, "kept@example.org", Role.ADMIN)
    theirs = _make_token_on_the_page(kept, "integration")
    listed = client.simulate_get("/api/v1/tokens", headers=admin_headers).json
    listed = listed["items"] if isinstance(listed, dict) else listed
    user_id = next(t["created_by_user_id"] for t in listed if t["created_by_user_id"] is not None)
    assert client.simulate_patch(f"/api/v1/users/{user_id}", json={"display_name": "Kept"}, headers=admin_headers).status_code == 200
    assert _works(client, theirs)


def test_names_and_labels_staff_type_show_direction_controls_as_marks(client, services):
    """A token label or account name with a right-to-left override would show reversed on the tokens,
    accounts and audit pages ("\u202enimda" reads "admin"): every page shows the control as a mark."""
    admin = signed_in(client, services, "labels@example.org", Role.ADMIN)
    with services.session_factory.begin() as session:
        from service.auth.models import StaffUser
        session.scalars(select(StaffUser).where(StaffUser.email == "labels@example.org")).one().display_name = "Ana \u202eX"
    _make_token_on_the_page(admin, "scanner \u202enimda")   # audited under the maker's name
    add_user(services, "tricky@example.org", Role.DATA_ENTRY)
    with services.session_factory.begin() as session:
        from service.auth.models import StaffUser
        session.scalars(select(StaffUser).where(StaffUser.email == "tricky@example.org")).one().display_name = "Sam \u2067Lee"
    with services.session_factory.begin() as session:
        token, secret = create_token(session, Role.ADMIN, label="cli \u202eetirw")
    client.simulate_get("/api/v1/providers", headers={"Authorization": f"Bearer {secret}"})   # audited under its label
    pages = [admin.get("/staff/tokens").text, admin.get("/staff/accounts").text, admin.get("/staff/audit").text]
    for page in pages:
        assert "\u202e" not in page and "\u2067" not in page
    assert "scanner [U+202E]nimda" in pages[0]
    assert "Sam [U+2067]Lee" in pages[1]
    assert "[U+202E]" in pages[2]


def test_a_staff_email_shows_direction_controls_as_marks(client, services):
    admin = signed_in(client, services, "marks-admin@example.org", Role.ADMIN)
    user_id = add_user(services, "\u202egro.elpmaxe@nimda", Role.DATA_ENTRY)
    for page in (admin.get("/staff/accounts").text, admin.get(f"/staff/accounts/{user_id}").text):
        outside_form_boxes = re.sub(r'value="[^"]*"', "", page)   # a box holds what goes back, as typed
        assert "\u202e" not in outside_form_boxes and "[U+202E]gro.elpmaxe@nimda" in page
