"""Every route declares the permission each of its methods needs, and the role x route matrix holds.

The app is the real one from create_app, so routes that other parts add (web, SMS, ...) are walked too.
"Allowed" means the request got past authorisation: anything but 401, or 403 from the authorisation
middleware (title "Not allowed"). A 404 or 422 behind the check is still "allowed".
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Iterator

import pytest

from service.auth.permissions import ROLE_PERMISSIONS, Permission, Role, role_allows
from service.auth.tokens import create_token
from service.auth.users import create_user

from tests.conftest import shown_to_provider

from .conftest import bearer

A, D, E, B, P, X = Role.ADMIN, Role.DUTY_TEAM, Role.ENGAGEMENT, Role.BOARD, Role.PROVIDER_RESPONDER, Role.DATA_ENTRY
ALL_STAFF = frozenset(Role)
PUBLIC = "public"

# The expected decisions, written out by hand (not derived from the declarations they check).
EXPECTED: dict[tuple[str, str], frozenset[Role] | str] = {
    ("/healthz", "GET"): PUBLIC,
    ("/readyz", "GET"): PUBLIC,
    ("/api/v1/openapi.json", "GET"): PUBLIC,
    ("/api/v1/submissions", "POST"): PUBLIC,
    ("/api/v1/submissions", "GET"): frozenset({A, D, E, P}),
    ("/api/v1/submissions/{submission_id}", "GET"): frozenset({A, D, E, P}),
    ("/api/v1/submissions/{submission_id}/contact", "GET"): frozenset({A, D, E, P}),
    ("/api/v1/providers", "GET"): ALL_STAFF,
    ("/api/v1/providers", "POST"): frozenset({A, E}),
    ("/api/v1/providers/{provider_id:int}", "GET"): ALL_STAFF,
    ("/api/v1/providers/{provider_id:int}", "PATCH"): frozenset({A, E}),
    ("/api/v1/users", "GET"): frozenset({A}),
    ("/api/v1/users", "POST"): frozenset({A}),
    ("/api/v1/users/{user_id:int}", "GET"): frozenset({A}),
    ("/api/v1/users/{user_id:int}", "PATCH"): frozenset({A}),
    ("/api/v1/users/{user_id:int}/password-reset", "POST"): frozenset({A}),
    ("/api/v1/users/{user_id:int}/unlock", "POST"): frozenset({A}),
    ("/api/v1/tokens", "GET"): frozenset({A}),
    ("/api/v1/tokens", "POST"): frozenset({A}),
    ("/api/v1/tokens/{token_id:int}", "DELETE"): frozenset({A}),
    ("/api/v1/audit", "GET"): frozenset({A}),
    ("/api/v1/audit/export", "GET"): frozenset({A}),
    ("/api/v1/privacy/erasures", "POST"): frozenset({A}),
    ("/api/v1/privacy/subject-access", "POST"): frozenset({A}),
    ("/api/v1/privacy/consent-withdrawals", "POST"): frozenset({A, D, E}),
    ("/api/v1/privacy/retention", "POST"): frozenset({A}),
    ("/staff", "GET"): ALL_STAFF,
    ("/staff/sign-in", "GET"): PUBLIC,
    ("/staff/sign-in", "POST"): PUBLIC,
    ("/staff/sign-in/code", "GET"): PUBLIC,
    ("/staff/sign-in/code", "POST"): PUBLIC,
    ("/staff/sign-out", "POST"): PUBLIC,
    ("/staff/set-password/{token}", "GET"): PUBLIC,
    ("/staff/set-password/{token}", "POST"): PUBLIC,
    ("/staff/account/two-factor", "GET"): ALL_STAFF,
    ("/staff/account/two-factor", "POST"): ALL_STAFF,
    ("/staff/accounts", "GET"): frozenset({A}),
    ("/staff/accounts", "POST"): frozenset({A}),
    ("/staff/accounts/{user_id:int}", "GET"): frozenset({A}),
    ("/staff/accounts/{user_id:int}", "POST"): frozenset({A}),
    ("/staff/tokens", "GET"): frozenset({A}),
    ("/staff/tokens", "POST"): frozenset({A}),
    ("/staff/tokens/{token_id:int}/revoke", "POST"): frozenset({A}),
    ("/staff/audit", "GET"): frozenset({A}),
    ("/staff/privacy", "GET"): frozenset({A, D, E}),
    ("/staff/privacy/consent-withdrawal", "POST"): frozenset({A, D, E}),
    ("/staff/privacy/subject-access", "POST"): frozenset({A}),
    ("/staff/privacy/erasure", "POST"): frozenset({A}),
}
OWN_AND_CORE = set(EXPECTED)

# Routes of other parts, as they stood when this matrix was written (checked when present).
EXPECTED.update({
    ("/", "GET"): PUBLIC,
    ("/feedback", "GET"): PUBLIC,
    ("/feedback", "POST"): PUBLIC,
    ("/feedback/sent", "GET"): PUBLIC,
    ("/static/{name}", "GET"): PUBLIC,
    ("/pictograms/{name}", "GET"): PUBLIC,
    ("/sms/twilio/inbound", "POST"): PUBLIC,
    ("/sms/twilio/status", "POST"): PUBLIC,
    ("/api/v1/sms/invitations", "POST"): frozenset({A, E}),
    # People's words verbatim: duty team, engagement group and admins only (not providers, not the board).
    ("/api/v1/submissions/{submission_id}/analysis", "GET"): frozenset({A, D, E}),
    ("/api/v1/translations", "GET"): frozenset({A, D, E}),
    ("/api/v1/texts/{free_text_id:int}/translation", "POST"): frozenset({A, D, E}),
    ("/api/v1/outbox", "GET"): frozenset({A, D}),
    ("/staff/submissions", "GET"): frozenset({A, D, E}),
    ("/staff/submissions/{submission_id}", "GET"): frozenset({A, D, E}),
    ("/staff/translations", "GET"): frozenset({A, D, E}),
    ("/staff/translations", "POST"): frozenset({A, D, E}),
    ("/staff/outbox", "GET"): frozenset({A, D}),
    ("/staff/outbox/{message_id:int}/retry", "POST"): frozenset({A, D}),
    # Paper returns: keyed entry, review, typing and unreadable pages show handwriting: data entry and admins.
    ("/staff/paper", "GET"): frozenset({A, X}),
    ("/staff/paper/key", "GET"): frozenset({A, X}),
    ("/staff/paper/key", "POST"): frozenset({A, X}),
    ("/staff/paper/review", "GET"): frozenset({A, X}),
    ("/staff/paper/review/{item_id:int}", "POST"): frozenset({A, X}),
    ("/staff/paper/review/{item_id:int}/crop.png", "GET"): frozenset({A, X}),
    ("/staff/paper/texts", "GET"): frozenset({A, X}),
    ("/staff/paper/texts/{item_id:int}", "POST"): frozenset({A, X}),
    ("/staff/paper/texts/{item_id:int}/crop.png", "GET"): frozenset({A, X}),
    ("/staff/paper/unreadable", "GET"): frozenset({A, X}),
    ("/staff/paper/unreadable/{item_id:int}", "POST"): frozenset({A, X}),
    ("/staff/paper/unreadable/{item_id:int}/image.png", "GET"): frozenset({A, X}),
    ("/staff/paper/paper.css", "GET"): PUBLIC,
    ("/staff/paper/paper.js", "GET"): PUBLIC,
    ("/staff/static/staff.css", "GET"): PUBLIC,
    # "Exit this page": the signed exit token is the only key (it can close nothing but its own form).
    ("/feedback/abandon", "POST"): PUBLIC,
    # Residents' meetings hold residents' words: data entry and the engagement group log them, the duty team
    # reads them; never the board nor a provider (README "Residents' meetings").
    ("/staff/meetings", "GET"): frozenset({A, D, E, X}),
    ("/staff/meetings/new", "GET"): frozenset({A, E, X}),
    ("/staff/meetings/new", "POST"): frozenset({A, E, X}),
    ("/staff/meetings/{meeting_id:int}", "GET"): frozenset({A, D, E, X}),
    ("/staff/meetings/{meeting_id:int}/issues", "POST"): frozenset({A, E, X}),
    ("/api/v1/meetings", "GET"): frozenset({A, D, E, X}),
    ("/api/v1/meetings", "POST"): frozenset({A, E, X}),
    ("/api/v1/meetings/open-actions", "GET"): frozenset({A, D, E, X}),
    ("/api/v1/meetings/{meeting_id:int}", "GET"): frozenset({A, D, E, X}),
    ("/api/v1/meetings/{meeting_id:int}/issues", "POST"): frozenset({A, E, X}),
})

# Permissions that show one person's words or details, or change who can see them: never the board's.
SINGLE_PERSON = {Permission.SUBMISSIONS_READ, Permission.SUBMISSIONS_READ_REDACTED, Permission.CONTACT_READ,
                 Permission.PRIVACY_EXPORT, Permission.PRIVACY_ERASE, Permission.AUDIT_READ, Permission.AUDIT_EXPORT,
                 Permission.OUTBOX_READ, Permission.PAPER_ENTRY, Permission.MEETINGS_READ, Permission.MEETINGS_WRITE}


@dataclass(frozen=True)
class Route:
    template: str
    method: str
    resource: object


def walk_routes(app) -> Iterator[Route]:
    """Every (route, method) the app answers with a responder of the resource (not falcon's defaults)."""
    stack = list(app._router._roots)
    seen = set()
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.resource is None:
            continue
        for method, responder in (node.method_map or {}).items():
            if method == "OPTIONS" or getattr(responder, "__self__", None) is not node.resource:
                continue
            key = (node.uri_template, method)
            if key not in seen:
                seen.add(key)
                yield Route(node.uri_template, method, node.resource)


def declared(route: Route) -> Permission | None:
    permissions = getattr(route.resource, "permissions", None) or {}
    method = "GET" if route.method == "HEAD" and "HEAD" not in permissions else route.method
    return permissions.get(method)


def test_the_walk_finds_the_core_routes(app):
    found = {(r.template, r.method) for r in walk_routes(app)}
    for key in [("/api/v1/submissions", "GET"), ("/api/v1/submissions/{submission_id}", "GET"), ("/staff/sign-in", "POST"),
                ("/api/v1/audit", "GET"), ("/api/v1/privacy/erasures", "POST")]:
        assert key in found


def test_every_route_declares_a_permission_for_every_method(app):
    missing = [f"{r.method} {r.template} ({type(r.resource).__name__})" for r in walk_routes(app) if not isinstance(declared(r), Permission)]
    assert not missing, "routes without a declared permission:\n" + "\n".join(sorted(missing))


def test_declarations_name_only_methods_the_resource_has(app):
    stale = []
    for route in walk_routes(app):
        for method in getattr(route.resource, "permissions", {}):
            if not any(name.startswith(f"on_{method.lower()}") for name in dir(route.resource)):
                stale.append(f"{method} {route.template}")
    assert not stale, stale


def test_an_undeclared_method_is_refused(client, admin_headers):
    class Sneaky:
        permissions = {"GET": Permission.PUBLIC}

        def on_get(self, req, resp):
            resp.media = {}

        def on_delete(self, req, resp):  # implemented, but not declared
            resp.media = {"deleted": True}

    client.app.add_route("/test/sneaky", Sneaky())
    assert client.simulate_get("/test/sneaky").status_code == 200
    assert client.simulate_delete("/test/sneaky", headers=admin_headers).status_code == 405


def test_the_board_has_no_single_person_permission():
    assert not (ROLE_PERMISSIONS[Role.BOARD] & SINGLE_PERSON)
    assert Permission.REPORTS_AGGREGATE in ROLE_PERMISSIONS[Role.BOARD]


def test_only_admins_manage_accounts_tokens_audit_and_erasure():
    for role in Role:
        for permission in (Permission.USERS_MANAGE, Permission.TOKENS_MANAGE, Permission.AUDIT_READ, Permission.AUDIT_EXPORT,
                           Permission.PRIVACY_ERASE, Permission.PRIVACY_EXPORT, Permission.ADMIN):
            assert role_allows(role, permission) == (role is Role.ADMIN), (role, permission)


# --- the matrix --------------------------------------------------------------------------------

def expected_roles(route: Route) -> frozenset[Role] | str:
    """Hand-written where listed; for routes other parts add later, what their declaration grants."""
    key = (route.template, route.method)
    if key in EXPECTED:
        return EXPECTED[key]
    permission = declared(route)
    if permission is Permission.PUBLIC:
        return PUBLIC
    return frozenset(role for role in Role if role_allows(role, permission))


def is_denied(result) -> bool:
    if result.status_code == 401:
        return True
    if result.status_code == 403:
        try:
            return json.loads(result.text).get("title") == "Not allowed"
        except ValueError:
            return False
    return False


@pytest.fixture
def matrix_targets(services, seed):
    """Path values for the matrix: objects it may safely act on (a spare user, a spare token)."""
    with services.session_factory.begin() as session:
        spare_user = create_user(session, email="spare@example.org", role="engagement", password=None)
        spare_token, _ = create_token(session, Role.BOARD, label="spare")
        ids = {"user_id": spare_user.id, "token_id": spare_token.id}
    return {
        "submission_id": seed.sub_a_named, "provider_id": seed.provider_a, "user_id": ids["user_id"],
        "token_id": ids["token_id"], "token": "not-a-real-token", "name": "not-there.txt",
    }


def fill(template: str, values: dict) -> str:
    return re.sub(r"\{(\w+)(?::[^}]*)?\}", lambda m: str(values.get(m.group(1), "1")), template)


def test_every_route_is_written_out_by_hand(app):
    """A route missing from EXPECTED would be checked against its own declaration, which a wrong permission
    passes (audit staffpages F5: the meetings routes were missing). HEAD answers as GET does."""
    unlisted = {(r.template, r.method) for r in walk_routes(app) if r.method != "HEAD"} - set(EXPECTED)
    assert not unlisted, sorted(unlisted)


def test_every_listed_route_exists(app):
    """The hand-written matrix names no route the app does not have (so it cannot silently rot)."""
    found = {(r.template, r.method) for r in walk_routes(app)}
    assert not (OWN_AND_CORE - found), sorted(OWN_AND_CORE - found)


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: "anonymous" if r is None else r.value)
def test_role_route_matrix(app, client, role_tokens, matrix_targets, role):
    """For this role (or no sign-in at all) and every route and method: allowed exactly when expected."""
    name = "anonymous" if role is None else role.value
    auth = {} if role is None else bearer(role_tokens[role])
    mismatches = []
    checked = 0
    get_status = {}
    for route in sorted(walk_routes(app), key=lambda r: (r.template, r.method)):   # GET before HEAD
        expected = expected_roles(route)
        should_allow = expected == PUBLIC or (role is not None and role in expected)
        headers, body = dict(auth), None
        if route.method in ("POST", "PUT", "PATCH"):
            headers["Content-Type"] = "application/json"
            body = "{}"
        result = client.simulate_request(route.method, fill(route.template, matrix_targets), headers=headers, body=body)
        checked += 1
        if route.method == "GET":
            get_status[route.template] = result.status_code
        if route.method == "HEAD":
            # HEAD is GET without the body (no problem document to read the title from): the same answer.
            if result.status_code != get_status.get(route.template) or result.content:
                mismatches.append(f"HEAD {route.template} as {name}: got {result.status_code} with {len(result.content)} bytes, "
                                  f"GET got {get_status.get(route.template)}")
            continue
        if route.method == "GET" and result.status_code == 303 and role is None and not should_allow:
            continue  # a page sends a browser that is not signed in to the sign-in page: a deny
        if is_denied(result) == should_allow:
            mismatches.append(f"{route.method} {route.template} as {name}: got {result.status_code}, "
                              f"expected {'allow' if should_allow else 'deny'}")
    assert checked > 40
    assert not mismatches, "\n".join(mismatches)


def test_a_signed_in_session_gets_the_same_decisions_as_a_token(browser, make_user, seed):
    """Spot check through the session cookie: the board is refused single submissions, an admin is not."""
    make_user("board@example.org", Role.BOARD)
    assert browser.sign_in("board@example.org").status_code == 303
    assert browser.get(f"/api/v1/submissions/{seed.sub_a_named}").status_code == 403
    assert browser.get("/api/v1/providers").status_code == 200
    assert browser.get("/staff/accounts").status_code == 403
    browser.cookies.clear()
    make_user("admin@example.org", Role.ADMIN)
    assert browser.sign_in("admin@example.org").status_code == 303
    assert browser.get(f"/api/v1/submissions/{seed.sub_a_named}").status_code == 200
    assert browser.get("/staff/accounts").status_code == 200


# --- row rules: provider isolation and the board's aggregates-only rule ---------------------------

def test_provider_responder_sees_only_their_providers_consented_items(client, services, seed, role_tokens):
    p = functools.partial(shown_to_provider, services)
    headers = bearer(role_tokens[Role.PROVIDER_RESPONDER])  # scoped to provider A
    assert client.simulate_get(f"/api/v1/submissions/{p(seed.sub_b_named)}", headers=headers).status_code == 404
    assert client.simulate_get(f"/api/v1/submissions/{p(seed.sub_a_none)}", headers=headers).status_code == 404
    assert client.simulate_get(f"/api/v1/submissions/{p(seed.sub_a_named)}", headers=headers).status_code == 200
    listed = client.simulate_get("/api/v1/submissions", headers=headers).json["items"]
    assert {item["id"] for item in listed} == {p(seed.sub_a_anonymous), p(seed.sub_a_named)}
    other = client.simulate_get("/api/v1/submissions", params={"provider_id": seed.provider_b}, headers=headers).json["items"]
    assert other == []
    assert client.simulate_get(f"/api/v1/providers/{seed.provider_b}", headers=headers).status_code == 404


def test_provider_responder_never_sees_an_urgent_item(client, services, seed, role_tokens):
    """A possible disclosure is for the duty team: the provider it may concern must not read it first."""
    p = functools.partial(shown_to_provider, services)
    from sqlalchemy import update

    from service.storage.orm import Submission

    with services.session_factory.begin() as session:
        session.execute(update(Submission).where(Submission.id == seed.sub_a_named).values(urgent=True))
    headers = bearer(role_tokens[Role.PROVIDER_RESPONDER])
    assert client.simulate_get(f"/api/v1/submissions/{p(seed.sub_a_named)}", headers=headers).status_code == 404
    assert client.simulate_get(f"/api/v1/submissions/{p(seed.sub_a_named)}/contact", headers=headers).status_code == 404
    listed = client.simulate_get("/api/v1/submissions", headers=headers).json["items"]
    assert {item["id"] for item in listed} == {p(seed.sub_a_anonymous)}
    duty = client.simulate_get(f"/api/v1/submissions/{seed.sub_a_named}", headers=bearer(role_tokens[Role.DUTY_TEAM]))
    assert duty.status_code == 200 and duty.json["urgent"] is True


def test_provider_responder_sees_nothing_the_text_check_has_not_read(client, services, seed, role_tokens):
    """Until the worker has read the words (seconds; for good if the check gave up), they may disclose harm."""
    p = functools.partial(shown_to_provider, services)
    from service.domain.model import Channel, Consent
    from service.runtime import build_worker

    from .conftest import submit

    fresh = submit(services, provider_id=seed.provider_a, consent=Consent.NAMED, text="The staff were kind to me.").submission_id
    headers = bearer(role_tokens[Role.PROVIDER_RESPONDER])
    assert client.simulate_get(f"/api/v1/submissions/{p(fresh)}", headers=headers).status_code == 404
    assert p(fresh) not in {item["id"] for item in client.simulate_get("/api/v1/submissions", headers=headers).json["items"]}
    # Words in a script the check cannot read stay unread until a person translates them.
    ukrainian = submit(services, provider_id=seed.provider_a, consent=Consent.NAMED, text="Все було добре, дякую").submission_id
    # A blank "other need" box is no answer: nothing waits for a check of it.
    from service.domain.model import SubmitFeedback
    from service.intake import submit_feedback

    blank_need = submit_feedback(SubmitFeedback(channel=Channel.WEB, language="en", texts={"own_words": "All good."},
                                                consent=Consent.NAMED, provider_id=seed.provider_a,
                                                communication_needs_other="   "), services.uow()).submission_id
    build_worker(services.settings, services.pipelines).run_until_idle()     # the real text check
    listed = {item["id"] for item in client.simulate_get("/api/v1/submissions", headers=headers).json["items"]}
    assert client.simulate_get(f"/api/v1/submissions/{p(fresh)}", headers=headers).status_code == 200
    assert p(fresh) in listed and p(blank_need) in listed and p(ukrainian) not in listed
    assert client.simulate_get(f"/api/v1/submissions/{p(ukrainian)}", headers=headers).status_code == 404
    from sqlalchemy import select

    from service.storage.orm import FreeText

    with services.session_factory() as session:
        text_id = session.scalar(select(FreeText.id).where(FreeText.submission_id == ukrainian))
    typed = client.simulate_post(f"/api/v1/texts/{text_id}/translation", json={"translation": "All was good, thank you."},
                                 headers=bearer(role_tokens[Role.DUTY_TEAM]))
    assert typed.status_code in (200, 201), typed.text
    assert client.simulate_get(f"/api/v1/submissions/{p(ukrainian)}", headers=headers).status_code == 200


def test_provider_responder_gets_redacted_words_without_consent_to_name(client, services, seed, role_tokens):
    p = functools.partial(shown_to_provider, services)
    headers = bearer(role_tokens[Role.PROVIDER_RESPONDER])
    item = client.simulate_get(f"/api/v1/submissions/{p(seed.sub_a_anonymous)}", headers=headers).json
    assert "07700 900123" not in item["texts"]["own_words"] and "[PHONE]" in item["texts"]["own_words"]
    assert "Jones" not in item["texts"]["own_words"]
    assert item["case_reference"] is None
    full = client.simulate_get(f"/api/v1/submissions/{seed.sub_a_anonymous}", headers=bearer(role_tokens[Role.DUTY_TEAM])).json
    assert "07700 900123" in full["texts"]["own_words"] and full["case_reference"] == "S42-1001"


def test_only_the_name_with_named_consent_for_providers(client, services, seed, role_tokens):
    p = functools.partial(shown_to_provider, services)
    headers = bearer(role_tokens[Role.PROVIDER_RESPONDER])
    assert client.simulate_get(f"/api/v1/submissions/{p(seed.sub_a_anonymous)}/contact", headers=headers).status_code == 403
    assert client.simulate_get(f"/api/v1/submissions/{p(seed.sub_b_named)}/contact", headers=headers).status_code == 404
    named = client.simulate_get(f"/api/v1/submissions/{p(seed.sub_a_named)}/contact", headers=headers)
    # "Yes, with my name" shares the name; every channel promises "we never share your contact details with the service".
    assert named.status_code == 200 and named.json["name"] and named.json["email"] is None
    assert (named.json["phone"], named.json["postal_address"], named.json["preference"], named.json["safe_to_contact"]) == (None, None, "none", None)
    staff = client.simulate_get(f"/api/v1/submissions/{seed.sub_a_named}/contact", headers=bearer(role_tokens[Role.DUTY_TEAM]))
    assert staff.json["email"] == "pat@example.org"
    duty = client.simulate_get(f"/api/v1/submissions/{seed.sub_a_anonymous}/contact", headers=bearer(role_tokens[Role.DUTY_TEAM]))
    assert duty.json["phone"] == "07700 900123"


def test_board_gets_aggregates_only(client, seed, role_tokens):
    headers = bearer(role_tokens[Role.BOARD])
    for path in ("/api/v1/submissions", f"/api/v1/submissions/{seed.sub_a_named}", f"/api/v1/submissions/{seed.sub_a_named}/contact", "/api/v1/audit"):
        result = client.simulate_get(path, headers=headers)
        assert result.status_code == 403, path
        assert "Mary" not in result.text and "kind" not in result.text
    sar = client.simulate_post("/api/v1/privacy/subject-access", json={"email": "pat@example.org"}, headers=headers)
    assert sar.status_code == 403


def test_every_single_person_route_refuses_the_board(app, client, role_tokens, matrix_targets):
    """Whatever routes other parts add: a route needing a single-person permission refuses the board."""
    headers = bearer(role_tokens[Role.BOARD])
    for route in walk_routes(app):
        if declared(route) in SINGLE_PERSON and route.method != "HEAD":   # HEAD answers as GET (the matrix checks it)
            body = "{}" if route.method in ("POST", "PUT", "PATCH") else None
            result = client.simulate_request(route.method, fill(route.template, matrix_targets),
                                             headers={**headers, "Content-Type": "application/json"}, body=body)
            assert is_denied(result), f"{route.method} {route.template}"
