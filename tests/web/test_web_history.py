"""What the browser's history can bring back (audit a11y H1, M3).

Every page of the form is the answer to a POST, and the browser keeps each of those posts in its history.
Back then Reload ("Confirm Form Resubmission") sends an old post again, with the signed draft it carried
and the fields typed on that page. Someone else at the same browser can do that after the person has
sent the form or pressed "Exit this page". These tests send such old posts again, exactly as a browser
would, and check that no answer comes back.
"""
from __future__ import annotations

import re

import pytest

from sqlalchemy import func, select

from channels.web.draft import decode, encode
from channels.web.pages import RECEIPT_SECONDS
from service.storage.orm import Submission

KEY = "test-secret-key-not-for-production-0123456789"
WORDS = "My son takes my pension and locks me in my room."
NAME, PHONE = "Mary Smith", "07700 900123"

ANSWERS = {
    "questions": {"listened_to": "no", "own_words": WORDS},
    "about": {"respondent": "person", "consent": "anonymous"},
    "contact": {"contact": "sms", "contact_safe": "yes", "name": NAME, "phone": PHONE},
    "needs": {},
}


class Recorder:
    """Fills in the standard form and keeps every post's body, as the browser's history does."""

    def __init__(self, web):
        self.web = web
        self.bodies: list[list[tuple[str, str]]] = []

    def post(self, fields: dict | None = None, action: str = "continue", **overrides):
        data = [(k, v) for k, v in {**self.web.page.hidden, **overrides}.items()]
        data += list((fields or {}).items()) + [("action", action)]
        self.bodies.append(data)
        return self.web.post_raw(data)

    def resubmit(self, body: list[tuple[str, str]]):
        return self.web.post_raw(body)

    def fill_to_check(self):
        self.web.get("/feedback", lang="en", mode="standard")
        while self.web.page.step != "check":
            self.post(ANSWERS[self.web.page.step])
        return self.web.page


def assert_no_answers(page) -> None:
    for secret in (WORDS, NAME, PHONE):
        assert secret not in page.text, f"{secret!r} is on the page ({page.status} {page.title})"
    assert 'name="draft"' not in page.text and 'value="send"' not in page.text


def test_after_send_resubmitting_any_page_shows_only_that_it_was_sent(web, services):
    form = Recorder(web)
    check = form.fill_to_check()
    assert WORDS in check.text and PHONE in check.text
    sent = form.post(action="send")
    reference = re.search(r"MSP-[A-Z0-9-]+", sent.text).group(0)
    for body in form.bodies:                       # Back, Back, ... then Reload on each of them
        page = form.resubmit(body)
        assert page.status == 200, page.title
        assert_no_answers(page)
        assert reference in page.text and 'id="reference"' in page.text
        assert "These answers have already been sent." in page.text
        assert "01204 337000" in page.text         # the "if you feel at risk again" line
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1


def test_send_answers_see_other_and_reload_reads_the_confirmation_again(web, services):
    """Post/Redirect/Get: Reload on the confirmation is a GET, never "Confirm Form Resubmission"."""
    form = Recorder(web)
    form.fill_to_check()
    sent = form.post(action="send")
    assert sent.redirected == [(303, "/feedback/sent")]
    assert sent.status == 200 and "We have your answers." in sent.text and "no-store" in sent.headers["cache-control"]
    reference = re.search(r"MSP-[A-Z0-9-]+", sent.text).group(0)
    assert_no_answers(sent)
    receipt = web.cookies["msp_receipt"]          # the cookie holds the signed reference, nothing else
    assert receipt.startswith(reference + ".") and not [s for s in (WORDS, NAME, PHONE) if s in receipt]
    # Not for the browser's session: a care home's tablet is never closed, and the next resident must not find it.
    assert web.cookie_max_age["msp_receipt"] == RECEIPT_SECONDS <= 600
    for _ in range(2):                             # Reload, Reload
        again = web.get("/feedback/sent")
        assert again.status == 200 and reference in again.text
        assert_no_answers(again)
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 1
    # Back then Reload on the check page sends its post again: See Other, to "already sent".
    page = form.resubmit(form.bodies[-1])
    assert page.redirected == [(303, "/feedback/sent?again=1")]
    assert "These answers have already been sent." in page.text and reference in page.text


def test_the_next_person_at_the_browser_does_not_find_the_confirmation(web, services):
    """Second review: the receipt outlived "Exit this page" and a new form, and its signature never expired:
    the next person at a shared tablet opening /feedback/sent from the history learnt that safeguarding
    feedback was given there."""
    import time

    from channels.web.draft import sign_receipt

    for start_again in ("/", "/feedback"):
        form = Recorder(web)
        form.fill_to_check()
        form.post(action="send")
        assert web.get("/feedback/sent").status == 200
        web.get(start_again)                                   # the next person starts
        gone = web.get("/feedback/sent")
        assert gone.status == 303 and gone.headers["location"] == "/", start_again
    form = Recorder(web)
    form.fill_to_check()
    form.post(action="send")
    left = web.client.simulate_post("/feedback/abandon", body="exit=", headers={    # "Exit this page" on it
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", "Cookie": f"msp_receipt={web.cookies['msp_receipt']}"})
    assert left.status_code == 204 and left.cookies["msp_receipt"].value == ""
    # A receipt older than RECEIPT_SECONDS opens nothing, whatever the cookie's own expiry says.
    web.cookies["msp_receipt"] = sign_receipt("MSP-AAAA-AAAA", services.settings.secret_key,
                                              now=time.time() - RECEIPT_SECONDS - 5)
    old = web.get("/feedback/sent")
    assert old.status == 303 and "MSP-AAAA-AAAA" not in old.text


def test_the_confirmation_is_only_for_the_browser_that_sent_the_form(make_web, web):
    form = Recorder(web)
    form.fill_to_check()
    form.post(action="send")
    other = make_web()
    page = other.get("/feedback/sent")
    assert page.status == 303 and page.headers["location"] == "/"
    assert "MSP-" not in page.text


def test_a_sent_form_is_recognised_whatever_its_age(web):
    form = Recorder(web)
    form.fill_to_check()
    first_page_body = form.bodies[0]
    form.post(action="send")
    draft_field = dict(first_page_body)["draft"]
    draft = decode(draft_field, KEY)
    old = encode(draft, KEY, now=draft.stamp - 3 * 60 * 60)     # resubmitted three hours later
    page = form.resubmit([(k, old if k == "draft" else v) for k, v in first_page_body])
    assert_no_answers(page)
    assert "These answers have already been sent." in page.text


def test_the_already_sent_page_is_in_the_persons_language(web):
    form = Recorder(web)
    form.fill_to_check()
    form.post(action="send")
    body = [(k, "ur" if k == "lang" else v) for k, v in form.bodies[1]]
    page = form.resubmit(body)
    assert page.lang == "ur" and page.dir == "rtl"
    assert_no_answers(page)


def test_a_new_form_after_sending_works(web):
    form = Recorder(web)
    form.fill_to_check()
    form.post(action="send")
    page = web.get("/feedback")
    assert page.status == 200 and page.step == "questions" and WORDS not in page.text


def exit_token(page) -> str:
    return re.search(r'data-exit-token="([^"]+)"', page.text).group(1)


def abandon(web, token: str):
    return web.client.simulate_post("/feedback/abandon", body=f"exit={token}", headers={
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"}, remote_addr=web.remote_addr)


def test_after_exit_resubmitting_any_page_shows_the_expired_page(web, services):
    form = Recorder(web)
    web.get("/feedback", lang="en", mode="standard")
    form.post(ANSWERS["questions"])
    page = form.post(ANSWERS["about"])                   # on page 3 the person presses "Exit this page"
    assert abandon(web, exit_token(page)).status_code == 204
    for body in form.bodies:                             # Back, then Reload (and the form's own Back)
        page = form.resubmit(body)
        assert page.status == 403 and "This form has expired" in page.text
        assert_no_answers(page)
    back = form.resubmit([(k, "back" if k == "action" else v) for k, v in form.bodies[-1]])
    assert back.status == 403 and WORDS not in back.text
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0


def test_every_form_page_carries_its_own_exit_token(web):
    first = web.get("/feedback")
    second = web.submit({"listened_to": "yes"})
    assert exit_token(first) == exit_token(second)       # one form, one token (its key never changes)
    other = web.get("/feedback")
    assert exit_token(other) != exit_token(first)
    assert "data-exit-token" not in web.get("/").text    # nothing to close on the start page


def test_exit_closes_only_its_own_form(web):
    left = web.get("/feedback")
    kept = type(web)(web.client)
    kept.cookies = web.cookies
    kept.get("/feedback")
    assert abandon(web, exit_token(left)).status_code == 204
    page = kept.submit({"own_words": WORDS})
    assert page.status == 200 and page.step == "about"


def test_a_forged_exit_token_closes_nothing(web, services):
    from channels.web.models import RevokedDraft

    page = web.get("/feedback")
    token = exit_token(page)
    key, _, mac = token.rpartition(".")
    assert abandon(web, f"{key}.{mac[:-2]}xx").status_code == 400
    assert abandon(web, "").status_code == 204         # no form to close: only a receipt to forget
    assert web.submit({"own_words": WORDS}).status == 200
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(RevokedDraft)) == 0


def test_the_exit_mark_holds_no_answer_and_is_deleted_when_no_longer_needed(web, services):
    from datetime import timedelta

    from channels.web import revocation
    from channels.web.draft import SHOWN_FOR_SECONDS
    from channels.web.models import RevokedDraft
    from service.storage.types import utcnow

    page = web.get("/feedback")
    key = decode(page.hidden["draft"], KEY).key
    long_ago = utcnow() - revocation.KEEP - timedelta(minutes=1)
    revocation.revoke(services.uow(), KEY, "an-old-form", now=long_ago)
    assert abandon(web, exit_token(page)).status_code == 204
    with services.session_factory() as session:
        rows = session.scalars(select(RevokedDraft)).all()
    assert len(rows) == 1, "the mark left long ago should have been deleted by the next exit"
    assert rows[0].key_hash == revocation.key_hash(KEY, key) and key not in rows[0].key_hash
    assert timedelta(seconds=SHOWN_FOR_SECONDS) < rows[0].expires_at - utcnow() <= revocation.KEEP
    assert abandon(web, exit_token(page)).status_code == 204     # pressed twice: still one mark
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(RevokedDraft)) == 1


def test_the_page_policy_lets_the_exit_reach_the_server(client):
    policy = client.simulate_get("/feedback").headers["content-security-policy"]
    assert "connect-src 'self'" in policy and "unsafe-inline" not in policy


# The time limit and a lost CSRF cookie (audit a11y M3, WCAG 2.2.1) -------------------------------------

def _aged(web, seconds: float) -> str:
    draft = decode(web.page.hidden["draft"], KEY)
    return encode(draft, KEY, now=draft.stamp - seconds)


def test_the_first_page_says_how_long_the_form_can_be_left_in_every_language(make_web):
    from service.i18n import LANGUAGES

    for language in LANGUAGES:
        for mode in ("standard", "easy"):
            web = make_web()
            page = web.get("/feedback", lang=language, mode=mode)
            assert 'class="hint time-limit"' in page.text and "2" in re.search(
                r'class="hint time-limit">([^<]+)<', page.text).group(1), (language, mode)
    page = make_web().get("/feedback", lang="en", mode="standard")
    assert "2 hours" in page.text and "Nothing is saved until you press Send" in page.text


def test_an_expired_form_keeps_the_words_typed_on_its_page_but_not_earlier_answers(web, services):
    form = Recorder(web)
    web.get("/feedback", lang="en", mode="standard")
    form.post({"listened_to": "no", "own_words": WORDS})
    page = form.post({"respondent": "person"}, action="continue", draft=_aged(web, 2 * 60 * 60 + 60))
    assert page.status == 200, page.title
    assert page.step == "about" and 'value="person" checked' in page.text   # what was typed on this page
    assert "more than 2 hours" in page.text and 'class="notice"' in page.text
    assert WORDS not in page.text and WORDS not in decode(page.hidden["draft"], KEY).texts.values()
    assert decode(page.hidden["draft"], KEY).answers == {}                  # earlier pages' answers are gone
    assert form.post({"respondent": "person"}).step == "contact"            # a fresh token and stamp: it goes on


def test_a_page_from_a_web_machine_whose_clock_is_a_little_ahead_goes_on(web):
    # Several web machines: the one that drew this page is two minutes ahead. The draft was refused as
    # "stamped in the future" and the person got "This form has expired" (intake audit #4).
    web.get("/feedback", lang="en", mode="standard")
    page = web.submit({"own_words": WORDS}, draft=_aged(web, -2 * 60))
    assert page.status == 200 and page.step == "about", f"{page.status} {page.title}"
    assert WORDS in decode(page.hidden["draft"], KEY).texts.values()


def test_a_draft_stamped_far_in_the_future_is_refused(web):
    web.get("/feedback", lang="en", mode="standard")
    assert web.submit({"own_words": WORDS}, draft=_aged(web, -10 * 60)).status == 403


def test_an_expired_form_keeps_the_words_the_person_typed(web):
    """The audit's reproduction: the person paused for 2 h 01 min on page 1, then pressed Continue."""
    web.get("/feedback")
    page = web.submit({"own_words": WORDS, "listened_to": "no"}, draft=_aged(web, 2 * 60 * 60 + 60))
    assert page.status == 200, f"{page.status} {page.title}"
    assert WORDS in page.text and page.step == "questions"
    assert 'value="no" checked' in page.text


def test_an_expired_easy_read_page_is_drawn_again_in_easy_read_wording(web):
    web.get("/feedback", lang="en", mode="easy")
    page = web.submit({"own_words": "x"} if web.page.step == "q:own_words" else {}, draft=_aged(web, 3 * 60 * 60))
    assert page.status == 200 and "You stopped for more than 2 hours." in page.text


def test_a_day_old_form_is_refused_as_before(web):
    web.get("/feedback")
    page = web.submit({"own_words": WORDS}, draft=_aged(web, 25 * 60 * 60))
    assert page.status == 403 and "This form has expired" in page.text and WORDS not in page.text


def test_an_expired_form_that_was_left_or_sent_shows_nothing_typed(web):
    form = Recorder(web)
    page = web.get("/feedback", lang="en", mode="standard")
    assert abandon(web, exit_token(page)).status_code == 204
    page = form.post({"own_words": WORDS}, draft=_aged(web, 3 * 60 * 60))
    assert page.status == 403 and WORDS not in page.text


def test_pressing_send_on_an_expired_check_page_sends_nothing_and_restarts(web, services):
    form = Recorder(web)
    form.fill_to_check()
    page = form.post(action="send", draft=_aged(web, 3 * 60 * 60))
    assert page.status == 200 and page.step == "questions" and 'class="notice"' in page.text
    assert_no_answers_but_the_form(page)
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0


def assert_no_answers_but_the_form(page) -> None:
    for secret in (WORDS, NAME, PHONE):
        assert secret not in page.text


def test_a_lost_csrf_cookie_does_not_throw_away_the_typed_words(web, services):
    """Cookies blocked, or the browser restarted (session cookie gone) mid-form."""
    form = Recorder(web)
    web.get("/feedback", lang="en", mode="standard")
    form.post({"listened_to": "no", "own_words": "earlier words"})
    web.cookies.pop("msp_csrf")
    page = form.post({"respondent": "advocate"})
    # The page again, its choices to be made again: without the cookie this may be someone else's page's post,
    # and only the person's own words are kept (a choice is not: see the tests of posts from another site).
    assert page.status == 200 and page.step == "about" and 'value="advocate" checked' not in page.text
    assert "This form lost its cookie" in page.text and "earlier words" not in page.text
    assert "msp_csrf" in web.cookies                              # a new cookie, and a token for it
    assert form.post({"respondent": "advocate"}).step == "contact"
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0


def test_exits_have_their_own_limit_and_leave_the_send_budget_alone(database_url, engine, tmp_path, monkeypatch):
    """Each exit stores a row, so exits are limited per client; but a refused exit is never seen and leaves the
    form open, so exits never meet the intake limit (people at one care home share an address) nor use it up."""
    import falcon.testing

    import channels.web.pages as pages
    from service.app import build_services, create_app
    from tests.conftest import empty_all_tables, settings_for
    from tests.web.conftest import WebClient

    monkeypatch.setattr(pages, "EXITS_PER_MINUTE", 4)
    services = build_services(settings_for(database_url, tmp_path, INTAKE_RATE_LIMIT_PER_MINUTE="2"), engine=engine)
    try:
        web = WebClient(falcon.testing.TestClient(create_app(services=services)))
        statuses = [abandon(web, exit_token(web.get("/feedback"))).status_code for _ in range(6)]
        assert statuses == [204, 204, 204, 204, 429, 429]          # past the intake limit of 2, up to the exits' own
        web.get("/feedback")
        while web.page.step != "check":
            web.submit()
        assert web.submit(action="send").status == 200            # the exits used none of the budget for "Send"
    finally:
        empty_all_tables(engine)


def test_easy_read_contact_safe_page_is_drawn_again_after_the_time_limit(web):
    """The "is it safe to contact you?" page exists only for a way of being contacted chosen before it: after
    the limit it comes back with the answer given, not page 1 without it (found by a second review)."""
    web.get("/feedback", lang="en", mode="easy")
    for _ in range(30):
        if web.page.step == "contact_safe":
            break
        web.submit({"contact": "sms"} if web.page.step == "contact" else {})
    assert web.page.step == "contact_safe"
    page = web.submit({"contact_safe": "no"}, draft=_aged(web, 3 * 60 * 60))
    assert page.status == 200 and page.step == "contact_safe"
    assert re.search(r'value="no"[^>]*checked', page.text)


# Form fixation (intake audit #1) --------------------------------------------------------------------------

def test_a_page_posted_from_another_browser_becomes_a_new_form(make_web):
    """Someone keeps a page of a form he opened, and has the person's browser post it (a link to his page
    that posts it to /feedback: cross-site, so without her CSRF cookie). The form she then fills in and sends
    must not be his: re-posting his page must not tell him that she sent feedback, nor its reference, and
    his page's exit token must not close her form."""
    abuser, person = make_web(remote_addr="10.0.0.66"), make_web(remote_addr="10.0.0.7")
    kept = abuser.get("/feedback", lang="en", mode="standard")
    posted = {name: value for name, value in kept.hidden.items() if name != "csrf_token"}
    page = person.post_raw({**posted, "own_words": WORDS, "action": "continue"})
    assert page.status == 200 and page.step == "questions" and WORDS in page.text     # what she typed is kept
    assert decode(page.hidden["draft"], KEY).key != decode(kept.hidden["draft"], KEY).key
    assert exit_token(page) != exit_token(kept)

    assert abandon(abuser, exit_token(kept)).status_code == 204            # he closes his form, not hers
    person.submit({"own_words": WORDS})
    while person.page.step != "check":
        assert person.submit(ANSWERS.get(person.page.step)).status == 200
    reference = re.search(r"MSP-[A-Z0-9]{4}-[A-Z0-9]{4}", person.submit(action="send").text).group(0)

    abuser.page = kept
    again = abuser.submit({"own_words": "anything"})
    assert reference not in again.text and "already been sent" not in again.text
    assert again.status == 403 and 'name="draft"' not in again.text      # his own form, closed by his exit


def test_a_form_sent_is_confirmed_only_to_the_browser_it_was_filled_in(web, make_web):
    form = Recorder(web)
    check = form.fill_to_check()
    form.post(action="send")
    other = make_web(remote_addr="10.0.0.8")
    token = other.get("/feedback").hidden["csrf_token"]      # a CSRF cookie of its own, and a good token for it
    other.page = check
    page = other.submit(action="send", csrf_token=token)
    assert page.status == 403 and "already been sent" not in page.text and "MSP-" not in page.text
    web.page = check
    assert "These answers have already been sent." in web.submit(action="send").text


def test_a_form_whose_time_ran_out_in_the_same_browser_keeps_its_key(web):
    page = web.get("/feedback", lang="en", mode="standard")
    key = decode(page.hidden["draft"], KEY).key
    page = web.submit({"own_words": WORDS}, draft=_aged(web, 2 * 60 * 60 + 60))
    assert "more than 2 hours" in page.text and decode(page.hidden["draft"], KEY).key == key


def test_a_form_drawn_before_drafts_named_their_browser_goes_on_in_the_same_browser(web):
    page = web.get("/feedback", lang="en", mode="standard")
    draft = decode(page.hidden["draft"], KEY)
    draft.browser = ""                                 # in the middle of a form when this was deployed
    page = web.submit({"own_words": WORDS}, draft=encode(draft, KEY, now=draft.stamp))
    assert page.step == "about" and decode(page.hidden["draft"], KEY).key == draft.key
    assert decode(page.hidden["draft"], KEY).browser                # bound to this browser from now on


def _fill_and_send(person) -> str:
    while person.page.step != "check":
        assert person.submit(ANSWERS.get(person.page.step)).status == 200
    return re.search(r"MSP-[A-Z0-9]{4}-[A-Z0-9]{4}", person.submit(action="send").text).group(0)


def test_a_page_of_another_site_cannot_make_the_persons_form_send_nothing(make_web, services):
    """His page posted a form he kept, with the robot trap filled in, from her browser: her new form inherited
    the robot flag, she was thanked with a reference, and nothing was stored (second review of this session).
    Here the post carries no Fetch Metadata (an older browser): the trap is not carried into her form."""
    abuser, person = make_web(remote_addr="10.0.0.66"), make_web(remote_addr="10.0.0.7")
    kept = abuser.get("/feedback", lang="en", mode="standard")
    posted = {name: value for name, value in kept.hidden.items() if name != "csrf_token"}
    page = person.post_raw({**posted, "website": "x", "action": "continue"})
    assert page.status == 200 and page.step == "questions"
    reference = _fill_and_send(person)
    with services.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Submission).where(Submission.reference == reference)) == 1


@pytest.mark.parametrize("headers, clean", [
    ({"Sec-Fetch-Site": "cross-site"}, True),
    ({"Sec-Fetch-Site": "same-site", "Origin": "https://news.council.example"}, True),   # another host of the domain
    ({"Origin": "https://attacker.example"}, True),
    ({"Origin": "null"}, False),   # says nothing (the service's own pages send it); no choice is kept all the same
    ({}, False),                   # an older browser that says nothing
])
def test_a_post_that_may_be_another_sites_keeps_no_choice_nor_contact_detail(make_web, headers, clean):
    """His page could open her form on 'Hearing back from us' with his phone number and 'safe to contact' filled
    in (or a consent): if she did not notice, his number was how the service reached her. A post the browser
    says another origin made starts her form again, clean; any other post from a browser that is not the
    form's keeps only words typed in the person's own words, never a choice or a contact detail."""
    abuser, person = make_web(remote_addr="10.0.0.66"), make_web(remote_addr="10.0.0.7")
    abuser.get("/feedback", lang="en", mode="standard")
    while abuser.page.step != "contact":
        abuser.submit(ANSWERS.get(abuser.page.step))
    posted = {name: value for name, value in abuser.page.hidden.items() if name != "csrf_token"}
    page = person.post_raw({**posted, "contact": "sms", "contact_safe": "yes", "phone": "07700 900666", "website": "x",
                            "action": "continue"}, headers=headers)
    assert page.status == 200 and (page.step == "questions") == clean
    assert "07700 900666" not in page.text
    draft = decode(page.hidden["draft"], KEY)
    assert not draft.bot and draft.key != decode(posted["draft"], KEY).key
    assert not draft.contact and not draft.phone and not draft.contact_safe


def test_words_typed_are_kept_when_the_browser_says_nothing_of_where_the_post_came_from(make_web):
    """The service's own pages are sent with no referrer, so a browser without Fetch Metadata (Safari before
    16.4) posts them with `Origin: null`: read as another site, a person whose cookie went lost the page she
    had just typed (third review of this session)."""
    person = make_web(remote_addr="10.0.0.7")
    kept = person.get("/feedback", lang="en", mode="standard")
    posted = {name: value for name, value in kept.hidden.items() if name != "csrf_token"}
    person.cookies.clear()
    page = person.post_raw({**posted, **ANSWERS["questions"], "own_words": WORDS, "action": "continue"}, headers={"Origin": "null"})
    assert page.status == 200 and WORDS in page.text


def test_a_post_from_this_site_without_the_cookie_still_keeps_what_was_typed(make_web):
    """The same post from the service's own page (the browser was restarted): the person's typing is kept."""
    person = make_web(remote_addr="10.0.0.7")
    kept = person.get("/feedback", lang="en", mode="standard")
    posted = {name: value for name, value in kept.hidden.items() if name != "csrf_token"}
    person.cookies.clear()
    page = person.post_raw({**posted, "own_words": WORDS, "action": "continue"},
                           headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://falconframework.org"})
    assert page.status == 200 and WORDS in page.text


def test_a_lost_cookie_keeps_the_words_typed_about_communication_needs(web):
    """The 'other needs' box is the person's own words too (fourth review of this session: it was cleared)."""
    needs = "I am Deaf: please use a BSL interpreter, never a phone call"
    form = Recorder(web)
    web.get("/feedback", lang="en", mode="standard")
    while web.page.step != "needs":
        form.post(ANSWERS[web.page.step])
    web.cookies.pop("msp_csrf")
    page = form.post({"needs_other": needs, "needs": ["large_print"]})
    assert page.status == 200 and page.step == "needs" and "This form lost its cookie" in page.text
    assert needs in page.text and 'value="large_print" checked' not in page.text   # words, not ticks
