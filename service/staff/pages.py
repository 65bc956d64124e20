"""/staff/submissions, /staff/submissions/{id}, /staff/translations, /staff/outbox."""
from __future__ import annotations

from pathlib import Path

import falcon
from sqlalchemy import select

from service.analysis import (MAX_TRANSLATION_CHARS, SEEN_UNTRANSLATED, SavedTranslation, TranslationRefused,
                              record_human_translation, translated_reading, translation_queue, translation_queue_size)
from service.api.forms import first
from service.api.texts import refusal_error, require_verbatim_role
from service.audit.log import OUTBOX_RETRY, SUBMISSION_LIST, SUBMISSION_VIEW, TEXT_TRANSLATED, record_request
from service.auth.permissions import Permission
from service.auth.staff_pages import StaffPage, staff_environment
from service.intake import ANALYSE_TEXT
from service.outbox.handlers import kept_in_outbox_log
from service.outbox.outbox import DUTY_ALERT, try_again_now, view_detail
from service.privacy.person import sms_run_links
from service.storage.orm import FreeText, OutboxMessage, Submission, TextAnnotation
from service.storage.types import MAX_ROW_ID

TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = staff_environment(TEMPLATES)
_env.filters["when"] = lambda value: value.strftime("%d %b %Y %H:%M") + " UTC" if value else ""
_env.tests["kept_in_outbox_log"] = kept_in_outbox_log


class _FeedbackPage(StaffPage):
    environment = _env
    sign_in_redirect = True

    require_verbatim = staticmethod(require_verbatim_role)


PAGE_SIZE = 100
QUEUE_PAGE_SIZE = 50      # texts with a box to type in: fewer to a page


class SubmissionsPage(_FeedbackPage):
    permissions = {"GET": Permission.SUBMISSIONS_READ}

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.require_verbatim(req)
        only_urgent = req.get_param_as_bool("urgent") or False
        page = req.get_param_as_int("page", min_value=1, max_value=100_000) or 1
        # Words the text check gave up on have not been checked for harm: they come right after the urgent
        # ones, marked, until someone reads them (or `msp-feedback reanalyse` reads them again).
        unchecked = (
            select(OutboxMessage.id).where(OutboxMessage.submission_id == Submission.id, OutboxMessage.purpose == ANALYSE_TEXT,
                                           OutboxMessage.status == "failed")
            .where(select(FreeText.id).where(FreeText.submission_id == Submission.id)
                   .where(~select(TextAnnotation.id).where(TextAnnotation.free_text_id == FreeText.id).exists()).exists())
            .exists()
        )
        query = (select(Submission, unchecked.label("unchecked"))
                 .order_by(Submission.urgent.desc(), unchecked.desc(), Submission.received_at.desc(), Submission.id.desc())
                 .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1))
        if only_urgent:
            query = query.where(Submission.urgent.is_(True) | unchecked)
        with self._services.uow() as uow:
            rows = list(uow.session.execute(query))
            more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
            items = [dict(id=r.id, reference=r.reference, urgent=r.urgent, unchecked=bool(not_read), channel=r.channel,
                          language=r.language, received_at=r.received_at, provider=r.provider.name if r.provider else "",
                          texts=len(r.texts)) for r, not_read in rows]
            record_request(uow.session, req, SUBMISSION_LIST, target_type="staff_page",
                           detail={"count": len(items), "urgent_only": only_urgent, "page": page})
            uow.commit()
        self.render(req, resp, "submissions.html", title="Feedback", items=items, only_urgent=only_urgent, page=page, more=more)


class SubmissionPage(_FeedbackPage):
    permissions = {"GET": Permission.SUBMISSIONS_READ}

    def on_get(self, req: falcon.Request, resp: falcon.Response, submission_id: str) -> None:
        self.require_verbatim(req)
        with self._services.uow() as uow:
            row = uow.session.get(Submission, submission_id) if len(submission_id) <= 36 else None
            if row is None:
                raise falcon.HTTPNotFound(title="No such feedback", description="There is no feedback with that id.")
            texts = []
            # The newest text-check task that gave up, if any: staff must know the words were never read.
            check_failed = uow.session.scalar(
                select(OutboxMessage).where(OutboxMessage.submission_id == row.id, OutboxMessage.channel == "task",
                                            OutboxMessage.purpose == ANALYSE_TEXT, OutboxMessage.status == "failed")
                .order_by(OutboxMessage.id.desc()).limit(1))
            alert = uow.session.scalar(select(OutboxMessage).where(OutboxMessage.submission_id == row.id,
                                                                   OutboxMessage.purpose == DUTY_ALERT))
            for text in row.texts:
                current = uow.session.scalar(select(TextAnnotation).where(TextAnnotation.free_text_id == text.id, TextAnnotation.current.is_(True)))
                texts.append(dict(id=text.id, question_id=text.question_id, text=text.text, annotation=current))
            links = sms_run_links(uow.session, row)
            sms_links = None if links is None else dict(
                is_reply=links.is_reply,
                record=dict(id=links.record.id, reference=links.record.reference) if links.record else None,
                replies=[dict(id=r.id, reference=r.reference, urgent=r.urgent) for r in links.replies])
            record_request(uow.session, req, SUBMISSION_VIEW, target_type="submission", target_id=row.id, detail={"view": "staff_page"})
            uow.commit()
            submission = dict(id=row.id, reference=row.reference, urgent=row.urgent, channel=row.channel, respondent=row.respondent,
                              language=row.language, consent=row.consent, answers=dict(row.answers or {}), received_at=row.received_at,
                              provider=row.provider.name if row.provider else "", case_reference=row.case_reference,
                              contact_preference=row.contact_preference, contact_safe=row.contact_safe, needs=list(row.communication_needs or []),
                              needs_other=row.communication_needs_other)
        self.render(req, resp, "submission.html", title=f"Feedback {submission['reference']}", submission=submission, texts=texts,
                    check_failed=check_failed, alert=alert, notice=NOTICES.get(req.get_param("done") or ""), sms_links=sms_links)


class TranslationsPage(_FeedbackPage):
    """The human translation queue: the words as written, and a box to type the English."""

    permissions = {"GET": Permission.SUBMISSIONS_READ, "POST": Permission.SUBMISSIONS_READ}

    @staticmethod
    def _queue(uow, page: int) -> list[dict]:
        return [dict(id=q.free_text.id, submission_id=q.free_text.submission_id, reference=q.reference, urgent=q.urgent,
                     language=q.free_text.language if q.unread else q.detected_language, unread=q.unread, text=q.free_text.text,
                     annotation_id=q.annotation_id)
                for q in translation_queue(uow.session, QUEUE_PAGE_SIZE, offset=(page - 1) * QUEUE_PAGE_SIZE)]

    def on_get(self, req: falcon.Request, resp: falcon.Response, errors=None, typed=None, notice=None, status=falcon.HTTP_200,
               conflict: tuple[int, str, SavedTranslation] | None = None) -> None:
        """The queue, a page at a time (?page=), saying how many texts wait in all and how many of them are not
        checked for harm; with `conflict` (text id, the translation typed, the one saved meanwhile), first a form
        that shows the saved translation and keeps what was typed, to save it in its place."""
        self.require_verbatim(req)
        page = req.get_param_as_int("page", min_value=1, max_value=100_000) or 1
        with self._services.uow() as uow:
            items = self._queue(uow, page)
            size = translation_queue_size(uow.session)
            translated_meanwhile = self._translated_meanwhile(uow, *conflict) if conflict else None
            shown = {item["submission_id"] for item in items} | ({conflict[2].submission_id} if conflict else set())
            record_request(uow.session, req, SUBMISSION_LIST, target_type="translation_queue",
                           detail={"count": len(items), "page": page, "submission_ids": sorted(shown)})
            uow.commit()
        error_summary = [(f"translation-{k}", v) for k, v in (errors or {}).items()]
        if translated_meanwhile:
            error_summary.append((f"translation-{translated_meanwhile['id']}", "This text was translated while you were "
                                  "typing, so yours was not saved: read that translation, then keep it or save yours"))
        first_shown = (page - 1) * QUEUE_PAGE_SIZE + 1
        self.render(req, resp, "translations.html", title="Translation queue", items=items, errors=errors or {},
                    typed=typed or {}, notice=notice, status=status, conflict=translated_meanwhile,
                    error_summary=error_summary or None, page=page, size=size, first_shown=first_shown,
                    more=size.waiting >= first_shown + QUEUE_PAGE_SIZE)

    @staticmethod
    def _translated_meanwhile(uow, free_text_id: int, typed: str, saved: SavedTranslation) -> dict:
        text = uow.session.get(FreeText, free_text_id)
        reference = uow.session.scalar(select(Submission.reference).where(Submission.id == saved.submission_id))
        by_person = saved.status == "human"
        return dict(id=free_text_id, reference=reference, text=text.text if text else "", typed=typed, translation=saved.translation,
                    annotation_id=saved.annotation_id, saved_at=saved.saved_at,
                    by=(saved.source or "").removeprefix("human:") if by_person else None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.require_verbatim(req)
        form = self.form(req)
        text_id, typed, seen = first(form, "free_text_id"), first(form, "translation"), first(form, "annotation_id")
        if not (text_id.isascii() and text_id.isdigit()):
            raise falcon.HTTPBadRequest(title="Which text?", description="Go back to the queue and try again.")
        principal = req.context.principal
        who = (principal.label or principal.role.value)[:80]
        free_text_id = int(text_id)
        if free_text_id > MAX_ROW_ID:
            raise falcon.HTTPNotFound(title="No such text", description="That text is no longer there.")
        # The reading the page showed: a translation saved by someone else since then is not replaced unseen.
        # Without it (a page loaded before the form carried it), the queue showed the text untranslated all the same.
        replacing = int(seen) if seen.isascii() and seen.isdigit() and int(seen) <= MAX_ROW_ID else SEEN_UNTRANSLATED

        def audit(session, submission_id, replaced):
            record_request(session, req, TEXT_TRANSLATED, target_type="submission", target_id=submission_id,
                           detail={"free_text_id": free_text_id, "via": "staff_page", **replaced})
        try:
            record_human_translation(self._services.session_factory, self._services.settings, self._services.pipelines,
                                     free_text_id, typed, who, audit=audit, replacing=replacing)
        except TranslationRefused as refused:
            if refused.reason in FORM_ERRORS:
                # Translated meanwhile, the text is no longer in the queue to show the typed words again: the
                # form beside the saved translation keeps them (second review: they were lost).
                with self._services.session_factory() as session:
                    saved = translated_reading(session, free_text_id)
                return self.on_get(req, resp, errors={text_id: FORM_ERRORS[refused.reason]}, typed={text_id: typed},
                                   status=falcon.HTTP_422, conflict=(free_text_id, typed, saved) if saved else None)
            if refused.reason == "changed" and refused.saved is not None:
                return self.on_get(req, resp, conflict=(free_text_id, typed, refused.saved), status=falcon.HTTP_409)
            raise refusal_error(refused, free_text_id) from None
        self.on_get(req, resp, notice="Translation saved. The text has been read again with it.")


FORM_ERRORS = {"blank": "Type the English translation (it has no letters)",
               "too_long": f"The translation is longer than {MAX_TRANSLATION_CHARS} characters"}


class OutboxPage(_FeedbackPage):
    """Messages the service sent or holds. Without Twilio or SMTP settings this is where they stay."""

    permissions = {"GET": Permission.OUTBOX_READ}

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        status = req.get_param("status")
        query = select(OutboxMessage).where(OutboxMessage.channel != "task").order_by(OutboxMessage.id.desc()).limit(100)
        if status:
            query = query.where(OutboxMessage.status == status)
        failed_tasks = select(OutboxMessage).where(OutboxMessage.channel == "task", OutboxMessage.status == "failed").order_by(OutboxMessage.id.desc()).limit(50)
        with self._services.uow() as uow:
            messages = list(uow.session.scalars(query))
            failed = list(uow.session.scalars(failed_tasks))
            record_request(uow.session, req, "outbox.view", target_type="staff_page",
                           detail=view_detail([m.id for m in messages] + [t.id for t in failed]))
            uow.commit()
        self.render(req, resp, "outbox.html", title="Outbox", messages=messages, failed=failed, shown=status or "",
                    notice=NOTICES.get(req.get_param("done") or ""))


NOTICES = {"retry": "It will be tried again within seconds.", "not-waiting": "That message is not waiting: it was sent, "
           "is being sent, or was cancelled. Nothing was changed."}


class OutboxRetry(_FeedbackPage):
    """"Try again now" for a message that is waiting or was given up (an alert after the mail server was
    put right). From the outbox or from the item's page; back to where the button was."""

    permissions = {"POST": Permission.OUTBOX_RETRY}

    def on_post(self, req: falcon.Request, resp: falcon.Response, message_id: int) -> None:
        form = self.form(req)
        if message_id > MAX_ROW_ID:
            raise falcon.HTTPNotFound(title="No such message", description="That message is not in the outbox.")
        with self._services.uow() as uow:
            retried = try_again_now(uow.session, message_id)
            message = retried or uow.session.get(OutboxMessage, message_id)
            if message is None:
                raise falcon.HTTPNotFound(title="No such message", description="That message is not in the outbox.")
            submission_id = message.submission_id
            if retried is not None:
                record_request(uow.session, req, OUTBOX_RETRY, target_type="outbox_message", target_id=str(message_id),
                               detail={"purpose": message.purpose, "submission_id": submission_id})
            uow.commit()
        done = "retry" if retried is not None else "not-waiting"
        if first(form, "back") == "submission" and submission_id:
            self.redirect(f"/staff/submissions/{submission_id}?done={done}")
        self.redirect(f"/staff/outbox?done={done}")


def install(app, services) -> None:
    app.add_route("/staff/submissions", SubmissionsPage(services))
    app.add_route("/staff/submissions/{submission_id}", SubmissionPage(services))
    app.add_route("/staff/translations", TranslationsPage(services))
    app.add_route("/staff/outbox", OutboxPage(services))
    app.add_route("/staff/outbox/{message_id:int}/retry", OutboxRetry(services))
