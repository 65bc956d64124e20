"""What the text pipeline made of people's words, the human translation queue, and the outbox for staff.

Only staff who may read people's words verbatim use these routes (admin, duty team, engagement group);
provider responders, whose view is redacted and consent-scoped, are refused here. Every view of verbatim
text is audited in the same transaction.
"""
from __future__ import annotations

import base64
import binascii
from typing import Annotated

import falcon
from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy import select

from service.analysis import (MAX_TRANSLATION_CHARS, PipelineHolder, QueuePlace, TranslationRefused, record_human_translation,
                              translation_queue, translation_queue_size)
from service.api.bodies import read_json
from service.api.openapi import EXTRA_MODELS, EXTRA_PATHS, operation
from service.api.params import int_param, reject_bad_query
from service.api.problems import HTTPProblem
from service.api.schemas import RowId, Strict
from service.api.submissions import BAD_CURSOR
from service.domain.model import Problem
from service.audit.log import SUBMISSION_LIST, SUBMISSION_VIEW, TEXT_TRANSLATED, record_request
from service.auth.permissions import VERBATIM_ROLES, Permission
from service.outbox.outbox import view_detail
from service.storage.orm import OutboxMessage, Submission, TextAnnotation
from service.storage.types import MAX_ROW_ID



def reads_feedback(req: falcon.Request) -> bool:
    """Is the caller one of the roles that work with people's words verbatim?"""
    principal = req.context.get("principal")
    return principal is not None and principal.role in VERBATIM_ROLES


def require_verbatim_role(req: falcon.Request) -> None:
    if not reads_feedback(req):
        raise falcon.HTTPForbidden(title="Not allowed", description="Only the duty team, the engagement group and admins work with people's words verbatim here.")


class AnnotationOut(BaseModel):
    id: int = Field(description="this reading; send it back as current_annotation_id with a translation")
    model_version: str
    language: str
    language_confidence: float
    language_uncertain: bool
    translation: str | None
    translation_status: str = Field(description="not_needed | machine | queued | human")
    translation_source: str | None
    redacted: str
    themes: list[str]
    sentiment: str | None
    disclosure: bool
    disclosure_category: str | None
    disclosure_evidence: list[str] = Field(description="the words that raised the flag, as the check read them (in Unicode NFKC: full-width letters as ASCII, Arabic presentation forms as letters)")
    created_at: str


class TextAnalysisOut(BaseModel):
    free_text_id: int
    question_id: str
    text: str = Field(description="verbatim")
    current: AnnotationOut | None = Field(description="null while the text is waiting for the pipeline")
    earlier_readings: int


class SubmissionAnalysisOut(BaseModel):
    submission_id: str
    reference: str
    urgent: bool
    texts: list[TextAnalysisOut]


class TranslationQueueItem(BaseModel):
    free_text_id: int
    submission_id: str
    reference: str
    question_id: str
    language: str = Field(description="the language of the form the person used")
    detected_language: str = Field(description='what the text check found; "und": a script or language it cannot read, so the words '
                                               "have not been checked for harm (listed right after urgent texts)")
    text: str
    annotation_id: int = Field(description="the text's current reading; send it back as current_annotation_id with "
                                           "the translation, so that one made by someone else meanwhile is not replaced unseen")


class TranslationQueue(BaseModel):
    items: list[TranslationQueueItem]
    next_cursor: str | None = Field(default=None, description="send as `cursor` for the texts after these, in the "
                                    "queue's order; null when there are no more")
    waiting: int = Field(description="how many texts wait for a translation in all (on every page)")
    not_checked_for_harm: int = Field(description='of them, how many are in a script or language the check cannot read '
                                                  '(detected_language "und"): not checked for harm until someone reads them')


class TranslationIn(Strict):
    translation: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TRANSLATION_CHARS)] = Field(
        description="the English; blanks around it are dropped, and it needs at least one letter")
    current_annotation_id: RowId | None = Field(
        default=None, description="the reading you translated (annotation_id in the queue, current.id in the analysis): "
        "if the text has been translated since, the answer is 409 and nothing is changed; send the id the 409 names to "
        "replace that translation. Left out, the translation replaces whatever is there")


class OutboxItem(BaseModel):
    id: int
    channel: str
    purpose: str
    status: str
    attempts: int
    recipient: str | None
    subject: str | None
    body: str
    encoding: str | None
    segments: int | None
    last_error: str | None
    delivery_status: str | None
    created_at: str
    sent_at: str | None


class OutboxPage(BaseModel):
    items: list[OutboxItem]


def _annotation_out(row: TextAnnotation) -> AnnotationOut:
    return AnnotationOut(
        id=row.id, model_version=row.model_version, language=row.language, language_confidence=row.language_confidence,
        language_uncertain=row.language_uncertain, translation=row.translation, translation_status=row.translation_status,
        translation_source=row.translation_source, redacted=row.redacted, themes=list(row.themes or []), sentiment=row.sentiment,
        disclosure=row.disclosure, disclosure_category=row.disclosure_category, disclosure_evidence=list(row.disclosure_evidence or []),
        created_at=row.created_at.isoformat(),
    )


class SubmissionAnalysis:
    permissions = {"GET": Permission.SUBMISSIONS_READ}

    def __init__(self, uow_factory):
        self._uow_factory = uow_factory

    def on_get(self, req: falcon.Request, resp: falcon.Response, submission_id: str) -> None:
        require_verbatim_role(req)
        with self._uow_factory() as uow:
            submission = uow.session.get(Submission, submission_id) if len(submission_id) <= 36 else None
            if submission is None:
                raise falcon.HTTPNotFound(title="No such submission", description=f"There is no submission with id '{submission_id[:40]}'.")
            texts = []
            for free_text in submission.texts:
                annotations = list(uow.session.scalars(select(TextAnnotation).where(TextAnnotation.free_text_id == free_text.id).order_by(TextAnnotation.id)))
                current = next((a for a in annotations if a.current), None)
                texts.append(TextAnalysisOut(free_text_id=free_text.id, question_id=free_text.question_id, text=free_text.text,
                                             current=_annotation_out(current) if current else None,
                                             earlier_readings=len([a for a in annotations if not a.current])))
            record_request(uow.session, req, SUBMISSION_VIEW, target_type="submission", target_id=submission.id, detail={"view": "analysis"})
            uow.commit()
            resp.media = SubmissionAnalysisOut(submission_id=submission.id, reference=submission.reference, urgent=submission.urgent, texts=texts).model_dump(mode="json")


class TranslationQueueResource:
    permissions = {"GET": Permission.SUBMISSIONS_READ}

    def __init__(self, uow_factory):
        self._uow_factory = uow_factory

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        require_verbatim_role(req)
        problems: list[Problem] = []
        limit = int_param(req, "limit", problems)
        if limit is None:
            limit = QUEUE_PAGE
        elif not 1 <= limit <= QUEUE_PAGE:
            problems.append(Problem("limit", f"must be between 1 and {QUEUE_PAGE}"))
        after = _read_queue_cursor(req.get_param("cursor"), problems)
        reject_bad_query(problems)
        with self._uow_factory() as uow:
            queued = translation_queue(uow.session, limit + 1, after=after)
            size = translation_queue_size(uow.session)
            items = [
                TranslationQueueItem(free_text_id=q.free_text.id, submission_id=q.free_text.submission_id, reference=q.reference,
                                     question_id=q.free_text.question_id, language=q.free_text.language,
                                     detected_language=q.detected_language, text=q.free_text.text,
                                     annotation_id=q.annotation_id)
                for q in queued[:limit]
            ]
            record_request(uow.session, req, SUBMISSION_LIST, target_type="translation_queue",
                           detail={"count": len(items), "submission_ids": sorted({item.submission_id for item in items})})
            uow.commit()
        next_cursor = _queue_cursor(queued[limit - 1].place) if len(queued) > limit else None
        resp.media = TranslationQueue(items=items, next_cursor=next_cursor, waiting=size.waiting,
                                      not_checked_for_harm=size.not_read_for_harm).model_dump(mode="json")


# The queue's page: as many as it gave before it had pages (callers that read only the first page see as much).
QUEUE_PAGE = 100


def _queue_cursor(place: QueuePlace) -> str:
    raw = f"{int(place.urgent)}|{int(place.unread)}|{place.free_text_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_queue_cursor(value: str | None, problems: list[Problem]) -> QueuePlace | None:
    if not value:
        return None
    try:
        urgent, unread, free_text_id = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("ascii").split("|")
        if urgent not in ("0", "1") or unread not in ("0", "1") or not (free_text_id.isdigit() and len(free_text_id) <= 19
                                                                        and int(free_text_id) <= MAX_ROW_ID):
            raise ValueError
        return QueuePlace(urgent == "1", unread == "1", int(free_text_id))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        problems.append(Problem("cursor", BAD_CURSOR))
        return None


def refusal_error(refused: TranslationRefused, free_text_id: int) -> falcon.HTTPError:
    """The answer to a translation that cannot be taken (the staff page shows "blank", "too_long" and
    "changed" on the form instead)."""
    if refused.reason == "not_needed":
        return falcon.HTTPConflict(title="No translation needed", description=f"Text {free_text_id} is already in English.")
    if refused.reason in ("blank", "too_long"):
        message = ("the translation has no letters: type what the text says in English" if refused.reason == "blank"
                   else f"the translation is longer than {MAX_TRANSLATION_CHARS} characters")
        return HTTPProblem(falcon.HTTP_422, "The request is not valid", f"translation: {message}", [Problem("translation", message)])
    if refused.reason == "changed" and refused.saved is not None:
        saved = refused.saved
        # The words are not put in the problem (clients and proxies log errors): the analysis shows them.
        message = (f"text {free_text_id} was given a {saved.status} translation ({saved.source}) since you read it; "
                   f"read it at /api/v1/submissions/{saved.submission_id}/analysis, and to replace it send yours "
                   f"again with current_annotation_id {saved.annotation_id}")
        return HTTPProblem(falcon.HTTP_409, "Translated meanwhile", message, [Problem("current_annotation_id", message)])
    return falcon.HTTPNotFound(title="No such text", description=f"There is no free-text answer with id {free_text_id}"
                               " (or its words were erased at the person's request).")


class TextTranslation:
    permissions = {"POST": Permission.SUBMISSIONS_READ}

    def __init__(self, services, pipelines: PipelineHolder):
        self._services = services
        self._pipelines = pipelines

    def on_post(self, req: falcon.Request, resp: falcon.Response, free_text_id: int) -> None:
        require_verbatim_role(req)
        body = read_json(req, TranslationIn)
        principal = req.context.principal
        who = principal.label or f"{principal.role.value}"

        def audit(session, submission_id, replaced):
            record_request(session, req, TEXT_TRANSLATED, target_type="submission", target_id=submission_id,
                           detail={"free_text_id": free_text_id, "via": "api", **replaced})
        try:
            row = record_human_translation(self._services.session_factory, self._services.settings, self._pipelines,
                                           free_text_id, body.translation, who[:80], audit=audit,
                                           replacing=body.current_annotation_id)
        except TranslationRefused as refused:
            raise refusal_error(refused, free_text_id) from None
        resp.status = falcon.HTTP_201
        resp.media = _annotation_out(row).model_dump(mode="json")


class OutboxList:
    """Everything the service has sent or will send: staff read it here when no Twilio/SMTP is set."""

    permissions = {"GET": Permission.OUTBOX_READ}

    def __init__(self, uow_factory):
        self._uow_factory = uow_factory

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        query = select(OutboxMessage).where(OutboxMessage.channel != "task").order_by(OutboxMessage.id.desc()).limit(200)
        if (status := req.get_param("status")) is not None:
            query = query.where(OutboxMessage.status == status)
        if (channel := req.get_param("channel")) is not None:
            query = query.where(OutboxMessage.channel == channel)
        if req.get_param_as_bool("failed_tasks"):
            query = select(OutboxMessage).where(OutboxMessage.channel == "task", OutboxMessage.status == "failed").order_by(OutboxMessage.id.desc()).limit(200)
        with self._uow_factory() as uow:
            items = [
                OutboxItem(id=m.id, channel=m.channel, purpose=m.purpose, status=m.status, attempts=m.attempts, recipient=m.recipient,
                           subject=m.subject, body=m.body, encoding=m.encoding, segments=m.segments, last_error=m.last_error,
                           delivery_status=m.delivery_status, created_at=m.created_at.isoformat(), sent_at=m.sent_at.isoformat() if m.sent_at else None)
                for m in uow.session.scalars(query)
            ]
            record_request(uow.session, req, "outbox.view", target_type="outbox", detail=view_detail([item.id for item in items]))
            uow.commit()
        resp.media = OutboxPage(items=items).model_dump(mode="json")


def install(app, services, pipelines: PipelineHolder) -> None:
    app.add_route("/api/v1/submissions/{submission_id}/analysis", SubmissionAnalysis(services.uow))
    app.add_route("/api/v1/translations", TranslationQueueResource(services.uow))
    app.add_route("/api/v1/texts/{free_text_id:int}/translation", TextTranslation(services, pipelines))
    app.add_route("/api/v1/outbox", OutboxList(services.uow))


EXTRA_MODELS.extend([SubmissionAnalysisOut, TranslationQueue, TranslationIn, AnnotationOut, OutboxPage])
_id = {"name": "submission_id", "in": "path", "required": True, "schema": {"type": "string"}}
EXTRA_PATHS.update({
    "/api/v1/submissions/{submission_id}/analysis": {"get": operation("What the text pipeline made of a submission's words (with history)", permission=Permission.SUBMISSIONS_READ, ok=(200, SubmissionAnalysisOut), errors=(401, 403, 404), parameters=[_id])},
    "/api/v1/translations": {"get": operation("Texts waiting for a person to translate them", permission=Permission.SUBMISSIONS_READ, ok=(200, TranslationQueue), errors=(400, 401, 403),
                                              parameters=[{"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": QUEUE_PAGE}, "description": f"page size (default {QUEUE_PAGE})"},
                                                          {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"}, "description": "next_cursor from the previous page"}])},
    "/api/v1/texts/{free_text_id}/translation": {"post": operation("Give the English translation of a queued text", permission=Permission.SUBMISSIONS_READ, request=TranslationIn, ok=(201, AnnotationOut), errors=(400, 401, 403, 404, 409, 413, 415, 422), parameters=[{"name": "free_text_id", "in": "path", "required": True, "schema": {"type": "integer"}}])},
    "/api/v1/outbox": {"get": operation("Messages sent or waiting (kept here when no Twilio or SMTP is configured)", permission=Permission.OUTBOX_READ, ok=(200, OutboxPage), errors=(400, 401, 403),
                                        parameters=[{"name": "status", "in": "query", "required": False, "schema": {"type": "string"}}, {"name": "channel", "in": "query", "required": False, "schema": {"type": "string"}}, {"name": "failed_tasks", "in": "query", "required": False, "schema": {"type": "boolean"}}])},
})
