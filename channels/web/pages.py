"""The public web pages: start, the form's pages, check your answers, confirmation.

Every page works without JavaScript. The form's pages are the responses to form posts that carry the
answers so far in a signed hidden field (see draft.py); nothing is stored before "Send".

"Send" follows Post/Redirect/Get: the post that stores the feedback answers 303 See Other to
GET /feedback/sent, which shows the confirmation from a cookie holding only the signed reference. So
Reload on the confirmation reads it again instead of sending the form again, and the confirmation never
has the person's words, name or contact details in it or in the post behind it. The pages before it are
still answers to posts (see the README, "Known limit: the browser's Back button").
"""
from __future__ import annotations

import functools
import logging
import time

import falcon
from sqlalchemy import select

from channels.web import draft as drafts
from channels.web import flow, revocation, wording
from channels.web.flow import CHECK, EASY, MODES, N_, STANDARD, FieldError
from channels.web.rendering import render
from service.api.forms import CSRF_FIELD, browser_tag, check_csrf, csrf_token, posted_from_another_site, read_form
from service.auth.permissions import Permission
from service.domain.model import (
    Channel,
    CommunicationNeed,
    Consent,
    ContactDetails,
    ContactPreference,
    DomainError,
    Respondent,
    SubmitFeedback,
)
from service.domain.references import new_reference
from service.i18n import LANGUAGES, match_accept_language
from service.intake import submit_feedback
from service.ratelimit import RateLimiter, retry_after_header
from service.signing import same_mac
from service.storage.orm import Submission

log = logging.getLogger("msp.web")

LANG_COOKIE = "msp_lang"
MODE_COOKIE = "msp_mode"
# The signed reference of the feedback this browser sent last, for the confirmation page (GET SENT_PATH).
RECEIPT_COOKIE = "msp_receipt"
# Ten minutes (in the cookie and in its signature), not the browser's session: a shared tablet (a care
# home's, a library's) is never closed, and the next person to open the confirmation page from the history
# must not learn that safeguarding feedback was given here. A new form and "Exit this page" forget it sooner.
RECEIPT_SECONDS = 600
SENT_PATH = "/feedback/sent"
HONEYPOT_FIELD = "website"
# Free text in any script, percent-encoded, can be 9 bytes a character: room for two full answers.
MAX_FORM_BYTES = 256 * 1024

# Pages allow only their own styles, scripts and images: no inline code (no 'unsafe-inline').
# connect-src 'self': "Exit this page" tells the server the form was left (navigator.sendBeacon).
PAGE_CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# The exit token is a form's key (a UUID) and a MAC: a few hundred bytes are plenty.
MAX_EXIT_BYTES = 1024


class Preferences:
    """The language and mode of this request: from a link (?lang=, ?mode=), the form, a cookie, or a guess."""

    def __init__(self, req: falcon.Request, resp: falcon.Response, secure: bool, form: dict | None = None):
        self._resp = resp
        self._secure = secure
        form = form or {}
        self.language = self._pick(
            [req.get_param("lang"), _first(form, "lang"), req.cookies.get(LANG_COOKIE)], LANGUAGES,
        ) or match_accept_language(req.get_header("Accept-Language"))
        self.mode = self._pick([req.get_param("mode"), _first(form, "mode"), req.cookies.get(MODE_COOKIE)], MODES) or STANDARD
        if req.get_param("lang") in LANGUAGES or _first(form, "lang") in LANGUAGES:
            self.remember(LANG_COOKIE, self.language)
        if req.get_param("mode") in MODES or _first(form, "mode") in MODES:
            self.remember(MODE_COOKIE, self.mode)

    @staticmethod
    def _pick(candidates, allowed) -> str | None:
        return next((value for value in candidates if value in allowed), None)

    def remember(self, name: str, value: str) -> None:
        # A session cookie: remembered while the browser is open, not left on a shared device after.
        self._resp.set_cookie(name, value, path="/", secure=self._secure, http_only=True, same_site="Lax")

    def switch(self, action: str) -> bool:
        kind, _, value = action.partition(":")
        if kind == "lang" and value in LANGUAGES:
            self.language = value
            self.remember(LANG_COOKIE, value)
            return True
        if kind == "mode" and value in MODES:
            self.mode = value
            self.remember(MODE_COOKIE, value)
            return True
        return False


def _csrf_ok(req: falcon.Request, form: dict, secret_key: str) -> bool:
    try:
        check_csrf(req, form, secret_key)
    except falcon.HTTPForbidden:
        return False
    return True


def _first(form: dict, name: str) -> str:
    values = form.get(name)
    return values[0] if values else ""


def html_page(resp: falcon.Response, body: str, status: str = falcon.HTTP_200) -> None:
    resp.status = status
    resp.content_type = "text/html; charset=utf-8"
    resp.set_header("Content-Security-Policy", PAGE_CSP)
    resp.set_header("Cache-Control", "no-store, max-age=0")
    resp.set_header("Vary", "Cookie, Accept-Language")
    resp.text = body


def _error_messages(status: str) -> tuple[str, str]:
    code = int(status.split()[0])
    if code == 403:
        return N_("This form has expired"), N_("For your safety, forms stop working after a while. Please start again. Cookies must be allowed for this site.")
    if code == 404:
        return N_("Page not found"), N_("There is nothing at this address.")
    if code == 413:
        return N_("Your answers are too long"), N_("Please make your answers shorter and try again.")
    if code in (400, 415):
        return N_("Something went wrong"), N_("We could not read the form. Please start again.")
    return N_("Sorry, there is a problem with the service"), N_("Please try again later. If you need help now, call the numbers below.")


def html_errors(method):
    """Errors on the public pages are HTML pages in the person's language, never problem+json."""

    @functools.wraps(method)
    def wrapper(self, req: falcon.Request, resp: falcon.Response, *args, **kwargs):
        headers: dict = {}
        try:
            return method(self, req, resp, *args, **kwargs)
        except falcon.HTTPError as error:
            status = error.status if isinstance(error.status, str) else falcon.code_to_http_status(error.status)
            headers = error.headers or {}
        except Exception:
            log.exception("error on a public page", extra={"route": req.uri_template or "<no route>"})
            status = falcon.HTTP_500
        prefs = Preferences(req, resp, self.secure)
        title, detail = _error_messages(status)
        html_page(resp, render(prefs.language, "error.html", **self.common(prefs, "/", title=title, detail=detail)), status)
        if "Retry-After" in headers:
            resp.set_header("Retry-After", headers["Retry-After"])

    return wrapper


class _Page:
    permissions = {"GET": Permission.PUBLIC}

    def __init__(self, services):
        self.services = services
        self.settings = services.settings
        self.secure = services.settings.uses_https

    def common(self, prefs: Preferences, path: str, **context) -> dict:
        values = dict(mode=prefs.mode, phone=self.settings.safeguarding_phone, path=path, flow_form=None, errors=[], page_error=None,
                      exit_token=None)
        values.update(context)
        return values


def forget_receipt(req: falcon.Request, resp: falcon.Response) -> None:
    """The next person at this browser starts here: the reference of the last feedback sent is forgotten.
    Always: the browser sends the cookie only to SENT_PATH, so the request cannot say whether it has one."""
    resp.unset_cookie(RECEIPT_COOKIE, path=SENT_PATH)


class StartPage(_Page):
    @html_errors
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        forget_receipt(req, resp)
        prefs = Preferences(req, resp, self.secure)
        html_page(resp, render(prefs.language, "start.html", **self.common(prefs, "/", title=wording.say(
            prefs.language, wording.questionnaire().title.key, wording.questionnaire().title.text))))


class FeedbackForm(_Page):
    permissions = {"GET": Permission.PUBLIC, "POST": Permission.PUBLIC}

    @html_errors
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """A new, empty form (the idempotency key is made now), on its first page."""
        forget_receipt(req, resp)
        prefs = Preferences(req, resp, self.secure)
        draft = drafts.Draft()
        self.show_step(req, resp, prefs, draft, 0)

    @html_errors
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req, MAX_FORM_BYTES)
        csrf_ok = _csrf_ok(req, form, self.settings.secret_key)
        prefs = Preferences(req, resp, self.secure, form)
        if _first(form, "receipt"):
            # A language or mode button of a confirmation page drawn before the confirmation was a page of
            # its own (GET SENT_PATH, whose language links are plain links).
            if not csrf_ok:
                raise falcon.HTTPForbidden()
            try:
                reference = drafts.verify_receipt(_first(form, "receipt"), self.settings.secret_key)
            except drafts.DraftError:
                raise falcon.HTTPForbidden() from None
            prefs.switch(_first(form, "action"))
            return self.see_confirmation(resp, reference)
        try:
            draft = drafts.decode(_first(form, "draft"), self.settings.secret_key)
            expired = False
        except drafts.DraftExpired as error:
            draft, expired = error.draft, True
        except drafts.DraftError:
            raise falcon.HTTPForbidden() from None
        if revocation.is_revoked(self.services.uow(), self.settings.secret_key, draft.key):
            # The person left this form with "Exit this page": someone pressing Back then Reload gets the
            # "expired" page, never their answers.
            raise falcon.HTTPForbidden()
        # The form is this browser's: the CSRF token is good and the draft was drawn for this browser's nonce.
        # A post without the cookie (any cross-site post) or from another browser is not, even with a good
        # token of its own: otherwise whoever kept a page of a form could have it posted from the person's
        # browser, have her fill in *his* form, and later learn from that page that she sent feedback, and
        # its reference, or close her form with its exit token. (A draft drawn before drafts named their
        # browser has only the CSRF check, as before; such drafts are refused a day later.)
        same_browser = csrf_ok and (not draft.browser or same_mac(draft.browser, browser_tag(req, self.settings.secret_key)))
        reference = self.sent_reference(draft)
        if reference is not None:
            # This form was sent already: a second "Send", or someone pressing Back and then Reload
            # ("Confirm Form Resubmission") on any of its pages, whatever its age. Only the confirmation,
            # never the form with the person's words and contact details, and only to the browser the form
            # was filled in.
            if not same_browser or not draft.browser:
                raise falcon.HTTPForbidden()
            prefs.switch(_first(form, "action"))
            return self.see_confirmation(resp, reference, already_sent=True)
        if expired or not same_browser:
            if time.time() - draft.stamp > drafts.KEEP_TYPED_SECONDS:
                raise falcon.HTTPForbidden()
            return self.keep_what_was_typed(req, resp, prefs, form, draft, "expired" if expired else "cookie", same_browser)
        if _first(form, HONEYPOT_FIELD):
            draft.bot = True
        all_steps = flow.steps(prefs.mode, draft)
        posted = _first(form, "step")
        index = flow.step_index(all_steps, posted)
        step = all_steps[index]
        action = _first(form, "action") or "continue"

        if step.name != CHECK and posted == step.name:
            flow.read_items(step.items, form, draft)
        all_steps = flow.steps(prefs.mode, draft)   # the answer to "contact" decides which pages follow
        index = flow.step_index(all_steps, step.name)

        if prefs.switch(action):
            all_steps = flow.steps(prefs.mode, draft)
            return self.show_step(req, resp, prefs, draft, flow.step_index(all_steps, step.name))
        if action == "back":
            return self.show_step(req, resp, prefs, draft, max(0, index - 1))
        if action.startswith("change:"):
            draft.checking = True
            return self.show_step(req, resp, prefs, draft, flow.step_index(all_steps, action.partition(":")[2]))
        if action == "send" and step.name == CHECK:
            return self.send(req, resp, prefs, draft)

        errors = flow.validate(step.items, draft)
        if errors:
            return self.show_step(req, resp, prefs, draft, index, errors)
        next_index = min(index + 1, len(all_steps) - 1)
        if draft.checking:
            # Back to the check page, unless a change made a later page needed (e.g. contact details).
            next_index = next((later for later in range(index + 1, len(all_steps))
                               if flow.validate(all_steps[later].items, draft)), len(all_steps) - 1)
        return self.show_step(req, resp, prefs, draft, next_index)

    def keep_what_was_typed(self, req, resp, prefs: Preferences, form: dict, old: drafts.Draft, notice: str,
                            same_browser: bool) -> None:
        """The draft is too old, or the CSRF cookie is gone (browser restarted, cookies blocked, or a post from
        another site): draw the page the person was on again, with what they typed on it (it is in this post),
        a fresh token and stamp, and a notice. The answers of earlier pages are not shown: the reason for the
        time limit holds for them, and without the cookie we cannot tell that this is the browser they were
        given in. Nothing is sent from here.

        From the same browser (only the time ran out) the form keeps its key, so "Exit this page" and "Send"
        still close every page of it. From another browser it becomes a new form with a key of its own: the
        key in the post may be someone else's, who kept a page of it (form fixation), and must learn nothing
        of this form, nor be able to close it.

        A post a page of another site made keeps nothing of what it brought: that page could open the person's
        form with a phone number, a consent or words of its choosing, or with the robot trap sprung, so that
        her whole form was thanked and thrown away. Her form starts again, clean."""
        if not same_browser and posted_from_another_site(req, self.settings.public_base_url):
            log.info("web form posted from another site: a new form is drawn, keeping nothing of the post")
            self.show_step(req, resp, prefs, drafts.Draft(), 0, notice=notice)
            return
        # The robot flag only from this browser's own form: one set by another browser's page (a form kept by
        # someone else, the trap field filled in) would make hers send nothing.
        draft = drafts.Draft(bot=same_browser and (old.bot or bool(_first(form, HONEYPOT_FIELD))))
        if same_browser:
            draft.key = old.key
        posted = _first(form, "step")
        if posted in ("contact_safe", "contact_details") and same_browser:
            # Easy read shows these pages only for a way of being contacted chosen on the page before.
            draft.contact = old.contact
        all_steps = flow.steps(prefs.mode, draft)
        # The check page has nothing typed on it: start again from the first page.
        index = next((i for i, step in enumerate(all_steps) if step.name == posted and posted != CHECK), 0)
        step = all_steps[index]
        if step.name == posted:
            # From another browser (or one whose cookie went) only the person's own words are kept, never a
            # choice or a contact detail: the post may have been made by someone else's page (another host of the
            # council's domain; an older browser that says nothing of where a post came from), and a phone number
            # or a consent in her form that she did not give is worse than a page to fill in again.
            (flow.read_items if same_browser else flow.read_words)(step.items, form, draft)
        if prefs.switch(_first(form, "action")):
            index = flow.step_index(flow.steps(prefs.mode, draft), step.name)
        log.info("web form drawn again without earlier answers (%s)", notice)
        self.show_step(req, resp, prefs, draft, index, notice=notice)

    def show_step(self, req, resp, prefs: Preferences, draft: drafts.Draft, index: int,
                  errors: list[FieldError] | None = None, status: str = falcon.HTTP_200,
                  page_error: str | None = None, notice: str | None = None) -> None:
        all_steps = flow.steps(prefs.mode, draft)
        index = max(0, min(index, len(all_steps) - 1))
        step = all_steps[index]
        draft.reached = max(draft.reached, index)
        token = csrf_token(req, resp, self.settings.secret_key, secure=self.secure)
        draft.browser = browser_tag(req, self.settings.secret_key)   # the nonce the token was just made for
        context = self.common(
            prefs, "/feedback", flow_form="flow",
            step=step, index=index, total=len(all_steps), draft=draft, errors=errors or [],
            page_error=page_error, notice=notice,
            error_items={error.item for error in errors or []},
            hidden={CSRF_FIELD: token, "draft": drafts.encode(draft, self.settings.secret_key),
                    "step": step.name, "lang": prefs.language, "mode": prefs.mode},
            exit_token=drafts.sign_exit(draft.key, self.settings.secret_key),
            questionnaire=wording.questionnaire(), flow=flow, pictograms=flow.PICTOGRAMS,
            detail_fields=flow.detail_fields(prefs.mode, draft),
            rows=summary_rows(prefs, draft) if step.name == CHECK else [],
            honeypot=HONEYPOT_FIELD,
        )
        template = "check.html" if step.name == CHECK else "step.html"
        html_page(resp, render(prefs.language, template, **context), status)

    def send(self, req, resp, prefs: Preferences, draft: drafts.Draft) -> None:
        all_steps = flow.steps(prefs.mode, draft)
        check_index = len(all_steps) - 1
        if req.context.get("principal") is None:
            wait = self.services.intake_limiter.check(req.context.client_address)
            if wait:
                resp.set_header("Retry-After", retry_after_header(wait))
                return self.show_step(req, resp, prefs, draft, check_index, status=falcon.HTTP_429,
                                      page_error=N_("You have sent a lot of forms from this device. Please wait a minute, then press Send again."))
        errors = flow.validate(tuple(item for step in all_steps for item in step.items), draft)
        if errors:
            first_bad = flow.step_index(all_steps, errors[0].item)
            return self.show_step(req, resp, prefs, draft, first_bad, errors)
        if draft.bot:
            # The honeypot was filled in: looks like a robot. Show the same page a person sees, store nothing.
            log.info("web form honeypot filled; nothing stored")
            return self.see_confirmation(resp, new_reference())
        try:
            receipt = submit_feedback(build_command(prefs, draft), self.services.uow())
        except DomainError as error:
            log.warning("web form refused by intake: %s", "; ".join(f"{p.field}: {p.message}" for p in error.problems))
            return self.show_step(req, resp, prefs, draft, check_index, status=falcon.HTTP_422,
                                  page_error=N_("We could not send your answers. Please check them and try again."))
        return self.see_confirmation(resp, receipt.reference)

    def sent_reference(self, draft: drafts.Draft) -> str | None:
        """The reference of the feedback this form was sent as, or None while it has not been sent."""
        with self.services.uow().late_lock() as reading:   # reads only: no write lock is taken
            return reading.session.scalar(select(Submission.reference).where(
                Submission.idempotency_key == idempotency_key(draft)))

    def see_confirmation(self, resp, reference: str, already_sent: bool = False) -> None:
        """Post/Redirect/Get: "See Other" the confirmation page, with the signed reference in a cookie.

        The cookie holds the reference only (never an answer), is sent back only to SENT_PATH, and lasts
        RECEIPT_SECONDS: only the browser the form was sent from, and only that long, sees the reference
        again (a new form and "Exit this page" forget it: `forget_receipt`). The address says whether this was an earlier post of the form sent again
        (Back then Reload on one of its pages, a second "Send"), which is not private either."""
        resp.set_cookie(RECEIPT_COOKIE, drafts.sign_receipt(reference, self.settings.secret_key), path=SENT_PATH,
                        max_age=RECEIPT_SECONDS, secure=self.secure, http_only=True, same_site="Lax")
        resp.status = falcon.HTTP_303
        resp.location = SENT_PATH + ("?again=1" if already_sent else "")
        resp.set_header("Cache-Control", "no-store, max-age=0")

    @html_errors
    def on_get_sent(self, req: falcon.Request, resp: falcon.Response) -> None:
        """GET /feedback/sent: the reference and the "if you feel at risk again" line. Reload reads it again
        (nothing is sent); its language and mode links are plain links to itself."""
        prefs = Preferences(req, resp, self.secure)
        try:
            reference = drafts.verify_receipt(req.cookies.get(RECEIPT_COOKIE, ""), self.settings.secret_key,
                                              max_age=RECEIPT_SECONDS)
        except drafts.DraftError:
            # Nothing was sent from this browser since it was opened (or the cookie was forged): the start page.
            resp.status = falcon.HTTP_303
            resp.location = "/"
            resp.set_header("Cache-Control", "no-store, max-age=0")
            return
        html_page(resp, render(prefs.language, "confirmation.html", **self.common(
            prefs, SENT_PATH, title=N_("Thank you"), reference=reference, already_sent=req.get_param("again") == "1",
        )))


EXITS_PER_MINUTE = 600


class AbandonForm(_Page):
    """POST /feedback/abandon: "Exit this page" was pressed; refuse this form's drafts from now on.

    app.js sends it with navigator.sendBeacon just before it leaves (see revocation.py). The body is the
    signed exit token only; no CSRF token is needed, because the exit token cannot be made without
    SECRET_KEY and can do nothing but close the one form it was made for.
    """

    permissions = {"POST": Permission.PUBLIC}

    def __init__(self, services):
        super().__init__(services)
        self._exits = RateLimiter(EXITS_PER_MINUTE)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req, MAX_EXIT_BYTES)
        forget_receipt(req, resp)
        resp.set_header("Cache-Control", "no-store")
        if not _first(form, "exit"):
            resp.status = falcon.HTTP_204     # from the confirmation page: no form to close, the receipt forgotten
            return
        try:
            draft_key = drafts.verify_exit(_first(form, "exit"), self.settings.secret_key)
        except drafts.DraftError:
            raise falcon.HTTPBadRequest(title="Not a form of this service", description="The exit token is missing or was changed.") from None
        # Each exit stores one small row: a limit per client keeps someone who mints forms in a loop from
        # filling the table. Its own limit, far above the intake one: a refused exit is never seen (the person
        # is on another site by then) and leaves the form open, so people sharing an address (a care home, a
        # library) must never meet it; and an exit must not use up anyone's budget for "Send".
        wait = self._exits.check(req.context.client_address)
        if wait:
            raise falcon.HTTPTooManyRequests(title="Too many", description="Please wait a minute.",
                                             headers={"Retry-After": retry_after_header(wait)})
        revocation.revoke(self.services.uow(), self.settings.secret_key, draft_key)
        resp.status = falcon.HTTP_204
        resp.set_header("Cache-Control", "no-store")


def build_command(prefs: Preferences, draft: drafts.Draft) -> SubmitFeedback:
    contact = ContactDetails()
    if flow.contact_chosen(draft):
        needed = {"sms": "phone", "phone": "phone", "email": "email", "letter": "address"}[draft.contact]
        contact = ContactDetails(
            preference=ContactPreference(draft.contact),
            safe_to_contact={"yes": True, "no": False}.get(draft.contact_safe),
            name=draft.name.strip() or None,
            phone=draft.phone.strip() if needed == "phone" else None,
            email=draft.email.strip() if needed == "email" else None,
            postal_address=draft.address.strip() if needed == "address" else None,
        )
    return SubmitFeedback(
        channel=Channel.WEB,
        language=prefs.language,
        answers=dict(draft.answers),
        texts={question_id: text for question_id, text in draft.texts.items() if text.strip()},
        respondent=Respondent(draft.respondent) if draft.respondent else None,
        consent=Consent(draft.consent) if draft.consent else Consent.NONE,
        contact=contact,
        communication_needs=tuple(CommunicationNeed(n) for n in draft.needs),
        communication_needs_other=draft.needs_other.strip() or None,
        case_reference=draft.case_reference.strip() or None,
        questionnaire_id=wording.questionnaire().id,
        questionnaire_version=wording.questionnaire().version,
        idempotency_key=idempotency_key(draft),
    )


def idempotency_key(draft: drafts.Draft) -> str:
    """The key the feedback of this form is stored under: one submission per form, however often it is sent."""
    return f"web:{draft.key}"


def summary_rows(prefs: Preferences, draft: drafts.Draft) -> list[dict]:
    """The check-your-answers list: (item, question, answer lines, the page to change it on). `verbatim`: the
    lines are the person's own words; `typed_lines`: words of theirs drawn after the page's own lines."""
    language, easy = prefs.language, prefs.mode == EASY
    rows = []
    for step in flow.steps(prefs.mode, draft):
        for item in step.items:
            if item.startswith("q:"):
                question = wording.questionnaire().question(item[2:])
                message = question.easy_read if easy else question.text
                label = wording.say(language, message.key, message.text)
                if question.kind == "single":
                    answer = question.answer(draft.answers.get(question.id, ""))
                    lines = [wording.say(language, answer.key, answer.text)] if answer else []
                else:
                    lines = [draft.texts[question.id]] if draft.texts.get(question.id) else []
                rows.append(dict(item=item, step=step.name, label=label, lines=lines, verbatim=question.kind == "free_text"))
            elif item in ("respondent", "consent", "contact", "contact_safe"):
                value = getattr(draft, item)
                rows.append(dict(item=item, step=step.name, label=wording.group_text(language, item, easy),
                                 lines=[wording.choice_text(language, item, value)] if value else [], verbatim=False))
            elif item == "contact_details":
                if not flow.contact_chosen(draft):
                    continue
                lines = [value for value in (draft.name, *(getattr(draft, f) for f in flow.detail_fields(prefs.mode, draft) if f != "name")) if value.strip()]
                if prefs.mode == STANDARD:
                    needed = {"sms": "phone", "phone": "phone", "email": "email", "letter": "address"}[draft.contact]
                    lines = [value for value in (draft.name, getattr(draft, needed)) if value.strip()]
                rows.append(dict(item=item, step=step.name, label=N_("Your contact details"), lines=lines, verbatim=True, translate_label=True))
            elif item == "needs":
                lines = [wording.choice_text(language, "needs", need) for need in draft.needs]
                # The needs chosen are the page's wording; the words in the "other" box are the person's,
                # drawn as typed, in their own direction (dir="auto"), like every other answer typed.
                typed = [draft.needs_other] if draft.needs_other.strip() else []
                rows.append(dict(item=item, step=step.name, label=wording.group_text(language, "needs", easy), lines=lines, verbatim=False,
                                 typed_lines=typed))
            elif item == "case_reference":
                rows.append(dict(item=item, step=step.name, label=wording.group_text(language, "case_reference"),
                                 lines=[draft.case_reference] if draft.case_reference.strip() else [], verbatim=True))
    return rows
