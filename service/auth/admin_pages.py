"""Staff pages for the audit log and privacy requests (erasure, subject-access export, consent withdrawal).

The same work as the JSON API (service.audit.api, service.privacy.api), for staff in a browser.
"""
from __future__ import annotations

import json
from urllib.parse import urlencode

import falcon
from sqlalchemy import select

from service.api.forms import first
from service.audit.api import event_out, filtered_query
from service.audit.log import AUDIT_SEARCH, actor_from_principal, record_request
from service.audit.models import AuditEvent
from service.auth.permissions import Permission, role_allows
from service.auth.staff_pages import FormErrors, _Page
from service.privacy.consent import withdraw_consent
from service.privacy.erasure import erase_person
from service.privacy.person import PersonQuery, PersonQueryError
from service.privacy.subject_access import subject_access_export

PAGE_SIZE = 100


class AuditPage(_Page):
    permissions = {"GET": Permission.AUDIT_READ}
    sign_in_redirect = True

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            query, filters = filtered_query(req)
        except falcon.HTTPError as error:
            query, filters = select(AuditEvent), {}
            errors = [("action", error.description or "Check the search.")]
        else:
            errors = None
        with self._services.uow() as uow:
            events = [event_out(e) for e in uow.session.scalars(query.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE))]
            record_request(uow.session, req, AUDIT_SEARCH, target_type="audit", detail={"filters": filters, "count": len(events), "page": True})
            uow.commit()
        raw = {name: req.get_param(name) for name in ("action", "actor_id", "actor_type", "target_type", "target_id", "from", "to")}
        self.render(req, resp, "audit.html", title="Audit log", events=events, filters=raw, error_summary=errors,
                    query=urlencode({k: v for k, v in raw.items() if v}),
                    can_export=role_allows(req.context.principal.role, Permission.AUDIT_EXPORT))


def _person(form) -> PersonQuery:
    return PersonQuery.parse(phone=first(form, "phone").strip() or None, email=first(form, "email").strip() or None,
                             reference=first(form, "reference").strip() or None)


class _PrivacyBase(_Page):
    def show(self, req, resp, *, result: str = "", errors: FormErrors | None = None, sent: tuple[str, dict] = ("", {}),
             status=falcon.HTTP_200) -> None:
        """``errors``: by field id (``erase-email``...), shown in the summary and beside the field; ``sent``: the
        form a refused request came from (its prefix) and what was typed in it, shown again to correct."""
        role = req.context.principal.role
        errors = errors or FormErrors()
        self.render(req, resp, "privacy.html", title="Privacy requests", result=result, error_summary=errors.summary or None,
                    errors=errors, sent_prefix=sent[0], sent=sent[1], status=status,
                    can_export=role_allows(role, Permission.PRIVACY_EXPORT), can_erase=role_allows(role, Permission.PRIVACY_ERASE))

    def context(self, req: falcon.Request) -> dict:
        return {"actor": actor_from_principal(req.context.principal), "client_address": req.context.get("client_address") or "",
                "request_id": req.context.get("request_id") or "", "secret_key": self._services.settings.secret_key,
                "previous_keys": self._services.settings.secret_key_previous}


class PrivacyPage(_PrivacyBase):
    permissions = {"GET": Permission.CONSENT_WITHDRAW}
    sign_in_redirect = True

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.show(req, resp)


class _PrivacyAction(_PrivacyBase):
    sign_in_redirect = True
    prefix: str            # the ids of this action's form fields on the page: withdraw-phone, erase-email...

    def refuse(self, req, resp, form, field: str, message: str) -> None:
        """Show the page again with the problem on this action's own field, and what was typed kept."""
        errors = FormErrors()
        errors.add(f"{self.prefix}-{field}", message)
        typed = {name: first(form, name) for name in ("phone", "email", "reference", "reason")}
        self.show(req, resp, errors=errors, sent=(self.prefix, typed), status=falcon.HTTP_422)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = self.form(req)
        try:
            query = _person(form)
        except PersonQueryError as error:
            self.refuse(req, resp, form, error.field or "phone", str(error))   # none or several: the first box
            return
        self.act(req, resp, form, query)


class ConsentWithdrawalPage(_PrivacyAction):
    permissions = {"POST": Permission.CONSENT_WITHDRAW}
    prefix = "withdraw"

    def act(self, req, resp, form, query) -> None:
        with self._services.uow() as uow:
            report = withdraw_consent(uow.session, query, **self.context(req))
            uow.commit()
        self.show(req, resp, result=f"Consent withdrawn: {len(report.submissions)} piece(s) of feedback found, "
                                    f"{report.changed} changed, {report.outbox_cancelled} message(s) to providers cancelled.")


class SubjectAccessPage(_PrivacyAction):
    permissions = {"POST": Permission.PRIVACY_EXPORT}
    prefix = "export"

    def act(self, req, resp, form, query) -> None:
        if query.reference:
            # A feedback reference is too weak an identifier to hand over everything held about a person.
            self.refuse(req, resp, form, "reference", "Give the person's phone number or email address for an export, not a feedback reference.")
            return
        with self._services.uow() as uow:
            document = subject_access_export(uow.session, query, **self.context(req))
            uow.commit()
        resp.content_type = "application/json; charset=utf-8"
        resp.set_header("Content-Disposition", 'attachment; filename="subject-access-export.json"')
        resp.text = json.dumps(document, indent=2, ensure_ascii=False)


class ErasurePage(_PrivacyAction):
    permissions = {"POST": Permission.PRIVACY_ERASE}
    prefix = "erase"

    def act(self, req, resp, form, query) -> None:
        if first(form, "confirm") != "yes":
            self.refuse(req, resp, form, "confirm", "Tick the box to confirm the erasure.")
            return
        with self._services.uow() as uow:
            report = erase_person(uow.session, query, reason=first(form, "reason")[:200], **self.context(req))
            uow.commit()
        self.show(req, resp, result=f"Erased: {len(report.submissions)} piece(s) of feedback, {report.contacts} contact record(s), "
                                    f"{report.free_texts} free-text answer(s), {report.outbox_messages} message(s); "
                                    f"{report.twilio_copies} text(s) queued for deletion at Twilio. "
                                    f"Audit event {report.audit_event_id}.")
