"""The public web pages over HTTP (falcon.testing, no JavaScript): every page in every language and mode,
form safety (CSRF, honeypot, rate limit, body limit), the error summary, and a full submission read back
through the API."""
from __future__ import annotations

import re

import falcon.testing
import pytest
from sqlalchemy import func, select

from channels.web.draft import Draft, encode
from service.app import build_services, create_app
from service.i18n import LANGUAGES
from service.storage.orm import Submission
from tests.conftest import settings_for

ALL_LANGUAGES = list(LANGUAGES)
MODES = ["standard", "easy"]

# Answers for the standard pages, by page name.
STANDARD_ANSWERS = {
    "questions": {
        "asked_outcomes": "yes_expressed", "outcomes_met": "some", "listened_to": "a_bit", "in_control": "no",
        "understood": "yes", "feel_safer": "a_bit_safer", "respected": "yes",
        "own_words": "  My social worker listened.\r\nI felt safe — mostly.  ", "better": "Call back sooner, please.",
    },
    "about": {"respondent": "family_friend", "consent": "anonymous"},
    "contact": {"contact": "email", "contact_safe": "yes", "name": "Sam", "email": "sam@example.org", "phone": "", "address": ""},
    "needs": {"needs": ["large_print", "other"], "needs_other": "Bigger buttons", "case_reference": "SG-1234"},
}


def easy_answer(step: str) -> dict:
    """The same answers, one page at a time."""
    if step.startswith("q:"):
        question = step[2:]
        return {question: STANDARD_ANSWERS["questions"][question]}
    for answers in STANDARD_ANSWERS.values():
        if step in answers:
            value = {step: answers[step]}
            if step == "needs":
                value["needs_other"] = answers["needs_other"]
            return value
    if step == "contact_details":
        return {"name": "Sam", "email": "sam@example.org"}
    return {}


def walk_to_check(web, mode: str) -> list:
    """Answer every page until check-your-answers; return the pages seen."""
    pages = [web.page]
    for _ in range(30):
        step = web.page.step
        if step == "check":
            return pages
        answers = STANDARD_ANSWERS.get(step, {}) if mode == "standard" else easy_answer(step)
        pages.append(web.submit(answers))
        assert web.page.status == 200, web.page.text[:500]
    raise AssertionError("never reached the check page")


def assert_page_basics(page, language: str, mode: str) -> None:
    assert page.lang == language
    assert page.dir == ("rtl" if language in ("ur", "ar") else "ltr")
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "no-store" in page.headers["cache-control"]
    assert 'id="exit-this-page"' in page.text and 'href="https://www.bbc.co.uk/weather"' in page.text
    assert 'class="skip-link"' in page.text
    # Every language is offered, named in its own script, with its lang attribute.
    for code, language_info in LANGUAGES.items():
        assert re.search(rf'lang="{code}"[^>]*>{re.escape(language_info.native_name)}<', page.text), code
    toggle = "Standard version" if mode == "easy" else "Easy read"
    assert ('value="mode:' in page.text) or ('?mode=' in page.text), toggle
    # No inline styles, scripts or event handlers (the CSP has no 'unsafe-inline').
    assert not re.search(r"<[^>]+\sstyle=", page.text) and "<script>" not in page.text
    assert not re.search(r"<[^>]+\son[a-z]+=", page.text)
    if mode == "easy":
        assert "Mulberry Symbols, (c) Steve Lee, CC BY-SA 4.0" in page.text


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_every_page_renders_in_every_language_and_mode(make_web, services, language, mode):
    web = make_web()
    start = web.get("/", lang=language, mode=mode)
    assert start.status == 200
    assert_page_basics(start, language, mode)
    assert "999" in start.text and "01204 337000" in start.text
    web.get("/feedback")
    pages = walk_to_check(web, mode)
    for page in pages:
        assert_page_basics(page, language, mode)
        assert not page.title.startswith("Error"), page.title
    if mode == "easy":
        # One question per page, each with its picture.
        assert len(pages) >= 15
        assert all('class="pictogram"' in page.text for page in pages)
    confirmation = web.submit(action="send")
    assert confirmation.status == 200
    assert_page_basics(confirmation, language, mode)
    assert re.search(r'id="reference"><bdi dir="ltr">MSP-[A-Z0-9-]+</bdi>', confirmation.text)
    assert "999" in confirmation.text and "01204 337000" in confirmation.text
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Submission).where(Submission.language == language)) == 1


def test_language_is_guessed_then_remembered(make_web):
    web = make_web(accept_language="ar-SA, en;q=0.5")
    page = web.get("/")
    assert (page.lang, page.dir) == ("ar", "rtl")
    page = web.get("/", lang="pl")
    assert (page.lang, page.dir) == ("pl", "ltr")
    assert web.get("/feedback").lang == "pl"          # remembered in a cookie
    assert make_web(accept_language="gu").get("/").lang == "gu"
    assert make_web(accept_language="fr, de").get("/").lang == "en"


def test_switching_language_or_mode_mid_form_keeps_the_answers(web):
    web.get("/feedback")
    page = web.submit({"listened_to": "a_bit", "own_words": "Kept as typed"}, action="lang:ur")
    assert (page.lang, page.dir, page.step) == ("ur", "rtl", "questions")
    assert 'value="a_bit" checked' in page.text and "Kept as typed</textarea>" in page.text
    page = web.submit(action="mode:easy")
    assert page.step == "q:asked_outcomes" and 'class="pictogram"' in page.text


def test_error_summary_links_to_the_field_and_keeps_what_was_typed(web):
    web.get("/feedback", lang="ur")
    web.submit(STANDARD_ANSWERS["questions"])
    web.submit(STANDARD_ANSWERS["about"])
    page = web.submit({"contact": "email", "contact_safe": "yes", "name": "سلمیٰ", "email": "not-an-email"})
    assert page.step == "contact"
    assert page.title.startswith("غلطی:")                       # "Error:" in Urdu, first in the title
    summary = re.search(r'<div class="error-summary" role="alert".*?</div>', page.text, re.DOTALL).group(0)
    assert 'href="#email"' in summary and "ای میل ایڈریس لکھیں" in summary
    assert re.search(r'<input[^>]*id="email"[^>]*value="not-an-email"[^>]*aria-describedby="email-error"', page.text)
    assert 'id="email-error"' in page.text
    assert 'value="سلمیٰ"' in page.text


def test_too_long_free_text_is_kept_and_explained(web):
    web.get("/feedback")
    text = "word " * 1001
    page = web.submit({"own_words": text})
    assert page.step == "questions" and page.title.startswith("Error: ")
    assert 'href="#own_words"' in page.text and "5005 characters" in page.text
    assert text in page.text


def test_contact_details_needed_for_the_way_chosen(web):
    web.get("/feedback")
    web.submit()
    web.submit()
    page = web.submit({"contact": "sms"})
    assert 'href="#phone"' in page.text and "Enter a phone number" in page.text
    page = web.submit({"contact": "sms", "phone": "07700 900982"})
    assert page.step == "needs"


def test_easy_read_never_shows_an_error_on_a_box_that_is_not_on_its_page(web):
    # A too-long e-mail address left from an earlier choice failed the page that asks for a phone number,
    # and the error linked to a box easy read does not show: the person could not go on (intake audit #6).
    web.get("/feedback", lang="en", mode="easy")
    while web.page.step != "contact":
        web.submit()
    web.submit({"contact": "email"})
    web.submit({"contact_safe": "yes"})
    page = web.submit({"name": "", "email": "a" * 195 + "@x.org"})
    assert page.step == "contact_details" and 'href="#email"' in page.text
    web.submit(action="back")
    web.submit(action="back")
    web.submit({"contact": "sms"})
    web.submit({"contact_safe": "yes"})
    page = web.submit({"name": "", "phone": "07700 900123"})
    assert page.step == "needs", re.findall(r'<a href="#([^"]+)"', page.text)
    while web.page.step != "check":
        page = web.submit()
    assert "a" * 195 not in page.text and 'id="reference"' in web.submit(action="send").text    # sent, without the address


def test_csrf_token_is_required(web, services):
    # Without a valid token nothing is sent and no earlier answer is shown; the page the person was on is
    # drawn again with what they typed on it and a new token (audit a11y M3; tests/web/test_web_history.py).
    form_page = web.get("/feedback")
    fields = dict(form_page.hidden)
    fields.pop("csrf_token")
    page = web.post_raw({**fields, "own_words": "typed", "action": "send"})
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert "This form lost its cookie" in page.text and page.lang == "en" and page.step == "questions"
    other = type(web)(web.client)            # a different browser: no CSRF cookie
    other.page = form_page
    assert "This form lost its cookie" in other.submit(action="continue").text
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0


def test_tampered_or_stale_draft_is_refused(web):
    form_page = web.get("/feedback")
    payload, _, mac = form_page.hidden["draft"].partition(".")
    assert web.submit(draft=payload + "x." + mac).status == 403
    web.page = form_page
    old = encode(Draft(), "test-secret-key-not-for-production-0123456789", now=1_000_000.0)
    assert web.submit(draft=old).status == 403


def test_honeypot_shows_the_confirmation_but_stores_nothing(web, services):
    web.get("/feedback")
    web.submit({"listened_to": "yes", "website": "http://spam.example"})
    while web.page.step != "check":
        web.submit()
    page = web.submit(action="send")
    assert page.status == 200 and 'id="reference"' in page.text
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0


def test_honeypot_field_is_hidden_from_people():
    from channels.web.rendering import STATIC_DIR
    css = (STATIC_DIR / "app.css").read_text()
    assert ".honeypot" in css


def test_double_submit_stores_once(web, services, admin_headers):
    web.get("/feedback")
    web.submit({"listened_to": "yes"})
    while web.page.step != "check":
        web.submit()
    check = web.page
    first = web.submit(action="send")
    web.page = check
    second = web.submit(action="send")
    reference = re.search(r'(MSP-[A-Z0-9-]+)', first.text).group(1)
    assert reference in second.text
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1


def test_rate_limit_gives_a_429_page_and_keeps_the_answers(database_url, engine, tmp_path):
    services = build_services(settings_for(database_url, tmp_path, INTAKE_RATE_LIMIT_PER_MINUTE="1"), engine=engine)
    from tests.web.conftest import WebClient
    try:
        client = falcon.testing.TestClient(create_app(services=services))
        web = WebClient(client)
        for attempt in range(2):
            web.get("/feedback")
            web.submit({"own_words": f"attempt {attempt}"})
            while web.page.step != "check":
                web.submit()
            page = web.submit(action="send")
        assert page.status == 429 and page.headers.get("retry-after")
        assert page.title.startswith("Error: ") and 'role="alert"' in page.text
        assert "wait a minute" in page.text and "attempt 1" in page.text and page.step == "check"
        other = WebClient(client, remote_addr="10.0.0.2")      # another client is not limited
        other.get("/feedback")
        while other.page.step != "check":
            other.submit()
        assert other.submit(action="send").status == 200
    finally:
        from tests.conftest import empty_all_tables
        empty_all_tables(engine)


def test_a_retired_key_signs_nothing_the_service_accepts(web, database_url, engine, tmp_path):
    # SECRET_KEY_PREVIOUS is for finding SMS numbers hashed under an old key, never for accepting
    # signatures: a key retired because it leaked must stop working at once. A form in progress at
    # the rotation is refused with the "expired" page, and a fresh one works.
    web.get("/feedback")
    web.submit({"own_words": "Typed before the key changed"})
    assert web.page.status == 200
    rotated = build_services(settings_for(database_url, tmp_path, SECRET_KEY="rotated-key-" + "z" * 40,
                                          SECRET_KEY_PREVIOUS="test-secret-key-not-for-production-0123456789"),
                             engine=engine)
    web.client = falcon.testing.TestClient(create_app(services=rotated))   # the same browser, the new key
    page = web.submit()
    assert page.status == 403 and "This form has expired" in page.text
    web.get("/feedback")
    assert web.submit({"own_words": "Typed again"}).status == 200


@pytest.mark.parametrize("field", ["csrf_token", "draft", "receipt"])
def test_a_non_ascii_token_is_refused_like_any_forged_one(web, field):
    web.get("/feedback")
    value = {"csrf_token": "é" * 64, "draft": "abc.é", "receipt": "MSP-1234.é"}[field]
    page = web.submit(**{field: value})
    # not a server error: a forged draft or receipt is refused; a forged CSRF token gets the page again
    assert page.status == (200 if field == "csrf_token" else 403)


def test_body_limit(web):
    web.get("/feedback")
    page = web.submit({"own_words": "x" * (300 * 1024)})
    assert page.status == 413 and page.headers["content-type"].startswith("text/html")


def test_unknown_form_content_type_is_an_html_error(client):
    result = client.simulate_post("/feedback", body="{}", headers={"Content-Type": "application/json"})
    assert result.status_code == 415 and result.headers["content-type"].startswith("text/html")


def test_full_submission_without_javascript_is_stored_verbatim(web, admin_headers, services):
    web.get("/feedback", lang="en", mode="standard")
    walk_to_check(web, "standard")
    check = web.page
    assert "My social worker listened." in check.text and "Bigger buttons" in check.text
    page = web.submit(action="send")
    reference = re.search(r'(MSP-[A-Z0-9-]+)', page.text).group(1)
    items = web.client.simulate_get("/api/v1/submissions", params={"channel": "web"}, headers=admin_headers).json["items"]
    item = next(i for i in items if i["reference"] == reference)
    assert item["answers"] == {k: v for k, v in STANDARD_ANSWERS["questions"].items() if k not in ("own_words", "better")}
    assert item["texts"] == {"own_words": STANDARD_ANSWERS["questions"]["own_words"], "better": "Call back sooner, please."}
    assert item["respondent"] == "family_friend" and item["consent"] == "anonymous"
    assert item["contact"] == {"preference": "email", "safe_to_contact": True, "has_details": True}
    assert item["communication_needs"] == ["large_print", "other"] and item["case_reference"] == "SG-1234"
    assert item["channel"] == "web" and item["language"] == "en"
    # The address finds the contact row for a privacy request (service/privacy/contact_match.py).
    with services.session_factory() as session:
        contact = session.scalar(select(Submission).where(Submission.reference == reference)).contact
        assert contact.email_match == "sam@example.org"


def test_words_typed_in_other_needs_count_as_ticking_other(web, admin_headers):
    # Typed without ticking "Other", the words were dropped with no message and missing from the check page
    # (intake audit #5): they are the person's own words, and the rule is the API's too.
    words = "I need a Tigrinya interpreter, he reads my post"
    web.get("/feedback", lang="en", mode="standard")
    while web.page.step != "needs":
        web.submit()
    page = web.submit({"needs": ["large_print"], "needs_other": words})
    assert page.step == "check" and words in page.text and "Something else" in page.text
    page = web.submit(action="change:needs")
    assert 'id="needs-other" name="needs" value="other" checked' in page.text
    page = web.submit({"needs": ["large_print"], "needs_other": words})
    page = web.submit(action="send")
    reference = re.search(r'(MSP-[A-Z0-9-]+)', page.text).group(1)
    item = next(i for i in web.client.simulate_get("/api/v1/submissions", headers=admin_headers).json["items"]
                if i["reference"] == reference)
    assert item["communication_needs"] == ["large_print", "other"] and item["communication_needs_other"] == words


def test_change_link_returns_to_check_page(web):
    web.get("/feedback")
    while web.page.step != "check":
        web.submit()
    page = web.submit(action="change:about")
    assert page.step == "about"
    page = web.submit({"respondent": "advocate"})
    assert page.step == "check" and "An advocate" in page.text
    page = web.submit(action="change:contact")
    page = web.submit({"contact": "letter"})              # now an address is needed
    assert page.step == "contact" and 'href="#address"' in page.text


def test_do_not_contact_stores_no_details(web, admin_headers):
    web.get("/feedback")
    web.submit()
    web.submit()
    web.submit({"contact": "none", "email": "x@example.org"})
    while web.page.step != "check":
        web.submit()
    page = web.submit(action="send")
    reference = re.search(r'(MSP-[A-Z0-9-]+)', page.text).group(1)
    items = web.client.simulate_get("/api/v1/submissions", headers=admin_headers).json["items"]
    item = next(i for i in items if i["reference"] == reference)
    assert item["contact"]["preference"] == "none" and item["contact"]["has_details"] is False


def test_static_files_are_cached_and_pages_are_not(client):
    from channels.web.rendering import static_url
    css = client.simulate_get(static_url("app.css").split("?")[0])
    assert css.status_code == 200 and "max-age=31536000" in css.headers["cache-control"]
    assert css.headers["content-type"].startswith("text/css")
    js = client.simulate_get("/static/app.js")
    assert js.status_code == 200 and "Shift" in js.text and "location.replace" in js.text
    svg = client.simulate_get("/pictograms/listen.svg")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert client.simulate_get("/pictograms/LICENSE.txt").status_code == 200
    assert client.simulate_get("/static/../service/config.py").status_code == 404
    assert client.simulate_get("/pictograms/nope.svg").status_code == 404
    page = client.simulate_get("/")
    assert "no-store" in page.headers["cache-control"]



def test_confirmation_can_be_shown_in_another_language_without_losing_the_reference(web, services):
    from channels.web.draft import _mac

    web.get("/feedback")
    while web.page.step != "check":
        web.submit()
    check = web.page
    page = web.submit(action="send")
    reference = re.search(r'(MSP-[A-Z0-9]{4}-[A-Z0-9]{4})', page.text).group(1)
    assert 'href="/feedback/sent?lang=bn"' in page.text    # plain links: the reference is in the cookie
    page = web.get("/feedback/sent", lang="bn")
    assert page.lang == "bn" and reference in page.text and "ধন্যবাদ" in page.text
    page = web.get("/feedback/sent", mode="easy")
    assert reference in page.text and 'class="pictogram"' in page.text
    # A language button of a confirmation page drawn before it was a page of its own still works.
    web.page = check
    legacy = f"{reference}.{_mac(services.settings.secret_key, b'receipt:' + reference.encode())}"   # no time in it
    page = web.submit(receipt=legacy, action="lang:ar")
    assert page.lang == "ar" and reference in page.text
    web.page = check
    forged = web.submit(receipt="MSP-AAAA-AAAA.forged")
    assert forged.status == 403
    web.cookies["msp_receipt"] = "MSP-AAAA-AAAA.forged"
    page = web.get("/feedback/sent")
    assert page.status == 303 and page.headers["location"] == "/" and "MSP-AAAA-AAAA" not in page.text
