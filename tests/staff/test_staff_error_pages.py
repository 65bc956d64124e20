"""Errors on the staff pages, in a browser, are pages in the staff layout (staff pages audit F8): a 403, a
404 and an expired form came back as bare application/problem+json, which a browser shows with no title,
no language and no way back. The API, and any client that does not ask for HTML, still gets problem+json."""
from __future__ import annotations

import json
import re

from service.auth.permissions import Role
from tests.support.staff import signed_in

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
HTML = {"Accept": BROWSER_ACCEPT}


def assert_staff_error_page(result, status: int, title: str, detail: str) -> None:
    assert result.status_code == status, result.text[:300]
    assert result.headers["content-type"].startswith("text/html")
    assert re.search(r'<html lang="en-GB">', result.text)
    assert f"<title>{title} – MSP feedback staff</title>" in result.text and f"<h1>{title}</h1>" in result.text
    assert detail in result.text
    assert '<a href="/staff">Go to the staff home page</a>' in result.text
    csp = result.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp and result.headers["cache-control"] == "no-store"


def assert_problem(result, status: int, title: str) -> None:
    assert result.status_code == status
    assert result.headers["content-type"] == "application/problem+json"
    assert json.loads(result.text)["title"] == title


def test_a_role_without_the_permission_gets_a_page_with_its_own_navigation(client, services):
    board = signed_in(client, services, "board@example.org", Role.BOARD)
    refused = board.get("/staff/submissions", headers=HTML)
    assert_staff_error_page(refused, 403, "Not allowed", "does not have the permission")
    assert '<nav aria-label="Staff">' in refused.text and 'href="/staff/submissions"' not in refused.text  # links it may use
    assert_problem(board.get("/staff/submissions"), 403, "Not allowed")                       # no Accept header
    assert_problem(board.get("/staff/submissions", headers={"Accept": "application/json"}), 403, "Not allowed")
    assert_problem(board.get("/staff/submissions", headers={"Accept": "application/json, text/html;q=0.5"}), 403, "Not allowed")


def test_not_found_and_an_expired_form_are_pages_too(client, services):
    admin = signed_in(client, services, "admin@example.org", Role.ADMIN)
    assert_staff_error_page(admin.get("/staff/submissions/nope", headers=HTML), 404, "No such feedback",
                            "There is no feedback with that id.")
    assert_staff_error_page(admin.get("/staff/no-such-page", headers=HTML), 404, "Page not found", "There is no page at this address")
    expired = admin.post("/staff/privacy/consent-withdrawal", {"csrf_token": "from-a-lost-cookie", "phone": "07700 900123"},
                         headers=HTML)
    assert_staff_error_page(expired, 403, "This form has expired", "reload the page and send it again")
    assert_problem(admin.get("/staff/submissions/nope"), 404, "No such feedback")
    assert_problem(admin.post("/staff/privacy/consent-withdrawal", {"csrf_token": "x"}), 403, "This form has expired")


def test_the_api_and_images_stay_problem_json_whatever_they_accept(client, services):
    admin = signed_in(client, services, "admin@example.org", Role.ADMIN)
    assert_problem(admin.get("/api/v1/no-such-thing", headers=HTML), 404, "Not found")
    assert_problem(client.simulate_get("/api/v1/audit", headers=HTML), 401, "Sign-in needed")
    image_accept = {"Accept": "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"}
    assert_problem(admin.get("/staff/paper/texts/999999/crop.png", headers=image_accept), 404, "No such image")
