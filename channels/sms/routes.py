"""Routes of the SMS channel: Twilio's webhooks and the staff invitations API.

Webhooks (`/sms/twilio/inbound`, `/sms/twilio/status`) are Permission.PUBLIC: the authentication is the
`X-Twilio-Signature` header, checked with twilio's RequestValidator against PUBLIC_BASE_URL + the path
(the URL Twilio called, not the one a TLS-terminating proxy hands on). An unsigned or wrongly signed
request gets 403 and nothing is stored. Inbound texts are answered with an empty TwiML <Response/>:
every reply goes through the outbox (durable, encoding and segments stored) and is sent by the worker.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated
from urllib.parse import parse_qsl

import falcon
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from twilio.request_validator import RequestValidator

from channels.sms import flows
from channels.sms.phone import InvalidPhoneNumber, can_receive_sms, normalise
from service.api import openapi
from service.api.bodies import read_body, read_json
from service.api.problems import HTTPProblem
from service.api.schemas import RowId
from service.auth.permissions import Permission
from service.domain.model import Problem
from service.i18n import SUPPORTED_LANGUAGES, is_supported
from service.storage.orm import Provider
from service.text.pipeline import warm_up_harm_check

log = logging.getLogger("msp.sms")

INBOUND_PATH = "/sms/twilio/inbound"
STATUS_PATH = "/sms/twilio/status"
INVITATIONS_PATH = "/api/v1/sms/invitations"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
MAX_WEBHOOK_BYTES = 32 * 1024   # Body is at most 1600 characters; a form with every field is far smaller


class InvitationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(
        description="Mobile number; UK numbers may omit +44 (07700 900123). Stored in E.164.")
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] = Field(
        description="One of: " + ", ".join(SUPPORTED_LANGUAGES))
    case_reference: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    provider_id: RowId | None = Field(default=None, description="The provider the feedback is about")


class InvitationMessage(BaseModel):
    outbox_id: int
    encoding: str
    segments: int


class InvitationCreated(BaseModel):
    conversation_id: str
    status: str = "queued"
    expires_at: datetime
    messages: list[InvitationMessage]


openapi.EXTRA_MODELS.extend([InvitationIn, InvitationCreated])
openapi.EXTRA_PATHS[INVITATIONS_PATH] = {
    "post": openapi.operation(
        "Invite a person to give feedback by SMS (queues the invitation and first question)",
        permission=Permission.SMS_INVITE, request=InvitationIn, ok=(201, InvitationCreated),
        errors=(400, 401, 403, 409, 413, 415, 422),
    )
}


def signature_problem(validator: RequestValidator | None, url: str, fields: dict, signature: str | None) -> str | None:
    """None when the request is Twilio's; otherwise why not (never echoed to the caller in detail)."""
    if validator is None:
        return "Twilio is not configured (TWILIO_AUTH_TOKEN)"
    if not signature:
        return "no X-Twilio-Signature"
    if not validator.validate(url, fields, signature):
        return "bad X-Twilio-Signature"
    return None


def _form(raw: bytes) -> dict[str, str | list[str]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPProblem(falcon.HTTP_400, "Body is not UTF-8", "Twilio sends UTF-8 form bodies.") from None
    fields: dict[str, str | list[str]] = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        if name in fields:
            previous = fields[name]
            fields[name] = (previous if isinstance(previous, list) else [previous]) + [value]
        else:
            fields[name] = value
    return fields


class _Webhook:
    permissions = {"POST": Permission.PUBLIC}   # the Twilio signature is the authentication

    def __init__(self, services):
        self._services = services
        token = services.settings.twilio_auth_token
        self._validator = RequestValidator(token) if token else None

    def _verified_fields(self, req: falcon.Request) -> dict[str, str]:
        media_type = (req.content_type or "").split(";")[0].strip().lower()
        if media_type != "application/x-www-form-urlencoded":
            raise HTTPProblem(falcon.HTTP_415, "Unsupported media type", "Twilio webhooks are application/x-www-form-urlencoded.")
        fields = _form(read_body(req, MAX_WEBHOOK_BYTES))
        url = self._services.settings.public_base_url + req.relative_uri
        problem = signature_problem(self._validator, url, fields, req.get_header("X-Twilio-Signature"))
        if problem:
            # Most often PUBLIC_BASE_URL is not the address Twilio calls (the signature covers the whole URL):
            # then every reply, STOP included, is refused, so say so in the log.
            log.warning("sms webhook refused: bad signature, or PUBLIC_BASE_URL is not the public address Twilio calls",
                        extra={"route": req.path, "status": 403})
            raise HTTPProblem(falcon.HTTP_403, "Signature check failed",
                              "This address only accepts requests signed by Twilio (X-Twilio-Signature).")
        return {name: (value[0] if isinstance(value, list) else value) for name, value in fields.items()}

    @staticmethod
    def _twiml(resp: falcon.Response) -> None:
        resp.status = falcon.HTTP_200
        resp.content_type = "text/xml; charset=utf-8"
        resp.text = EMPTY_TWIML


class TwilioInbound(_Webhook):
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        fields = self._verified_fields(req)
        if not fields.get("MessageSid") or not fields.get("From"):
            raise HTTPProblem(falcon.HTTP_400, "Not an inbound message", "MessageSid and From are required.")
        result = flows.handle_inbound(self._services.session_factory, self._services.settings, fields)
        log.info("sms inbound", extra={"channel": "sms", "purpose": result.outcome, "count": result.replies,
                                       "submission_id": result.submission_id})
        self._twiml(resp)


class TwilioStatus(_Webhook):
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        fields = self._verified_fields(req)
        outcome = flows.handle_status(self._services.session_factory, self._services.settings, fields)
        log.info("sms status callback", extra={"channel": "sms", "purpose": outcome, "error_code": fields.get("ErrorCode") or None})
        self._twiml(resp)


class SmsInvitations:
    permissions = {"POST": Permission.SMS_INVITE}

    def __init__(self, services):
        self._services = services

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_json(req, InvitationIn)
        problems: list[Problem] = []
        phone = None
        try:
            phone = normalise(body.phone)
            if not can_receive_sms(phone):
                problems.append(Problem("phone", "this is not a mobile number (a landline?); texts need a mobile number"))
        except InvalidPhoneNumber as error:
            problems.append(Problem("phone", str(error)))
        if not is_supported(body.language):
            problems.append(Problem("language", f"unsupported language '{body.language}'; use one of: {', '.join(SUPPORTED_LANGUAGES)}"))
        if body.provider_id is not None:
            with self._services.session_factory() as session:
                if session.get(Provider, body.provider_id) is None:
                    problems.append(Problem("provider_id", f"no provider with id {body.provider_id}"))
        if problems:
            raise HTTPProblem(falcon.HTTP_422, "The invitation is not valid", "; ".join(f"{p.field}: {p.message}" for p in problems), problems)
        principal = req.context.principal
        try:
            invitation = flows.invite(
                self._services.session_factory, self._services.settings, phone=phone, language=body.language,
                case_reference=body.case_reference, provider_id=body.provider_id,
                invited_by_token_id=getattr(principal, "token_id", None),
            )
        except flows.OptedOut:
            raise HTTPProblem(falcon.HTTP_409, "The number has opted out",
                              "This number replied STOP, so we send it nothing (invitations included) until it replies START.",
                              [Problem("phone", "opted out of texts (STOP)")]) from None
        except flows.AlreadyOpen:
            raise HTTPProblem(falcon.HTTP_409, "A questionnaire is already open with this number",
                              "Wait until it is finished or has expired before inviting the number again.",
                              [Problem("phone", "a questionnaire by SMS is already open")]) from None
        resp.status = falcon.HTTP_201
        resp.media = InvitationCreated(
            conversation_id=invitation.conversation_id, expires_at=invitation.expires_at,
            messages=[InvitationMessage(outbox_id=i, encoding=e, segments=s) for i, (e, s) in zip(invitation.outbox_ids, invitation.encodings)],
        ).model_dump(mode="json")


def install(app, services) -> None:
    """Add the SMS channel's routes to the app."""
    if services.settings.twilio_enabled:
        warm_up_harm_check()
        if not services.settings.uses_https or any(host in services.settings.public_base_url for host in ("127.0.0.1", "localhost")):
            log.warning("Twilio is configured but PUBLIC_BASE_URL is %s: Twilio signs its webhooks with the public https "
                        "address it calls, so every reply (STOP included) will be refused until it is set",
                        services.settings.public_base_url)
    app.add_route(INBOUND_PATH, TwilioInbound(services))
    app.add_route(STATUS_PATH, TwilioStatus(services))
    app.add_route(INVITATIONS_PATH, SmsInvitations(services))
