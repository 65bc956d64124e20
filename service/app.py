"""The app factory: the only place that wires the core, the API and the channels together."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import falcon
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from service.analysis import PipelineHolder
from service.api import texts
from service.api.health import Health, Ready
from service.api.middleware import Authorisation, RequestContext, SecurityHeaders, SignedOutPost
from service.api.openapi import OpenApiDocument
from service.api.problems import handle_domain_error, handle_unexpected, serialize_problem
from service.api.providers import ProviderCollection, ProviderItem
from service.api.submissions import SubmissionCollection, SubmissionItem
from service.auth.routes import install as install_staff
from service.auth.staff_pages import error_serializer, signed_out_page
from service.config import Settings
from service.staff.pages import install as install_feedback_pages
from service.domain.model import DomainError
from service.ratelimit import RateLimiter
from service.storage.database import make_engine, make_session_factory
from service.storage.types import MAX_ROW_ID
from service.storage.unit_of_work import UnitOfWork


@dataclass
class Services:
    """Collaborators shared by resources; tests pass their own (e.g. a different database)."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    intake_limiter: RateLimiter
    pipelines: PipelineHolder

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)


def build_services(settings: Settings, engine: Engine | None = None) -> Services:
    engine = engine or make_engine(settings.database_url)
    return Services(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        intake_limiter=RateLimiter(settings.intake_rate_limit_per_minute),
        pipelines=PipelineHolder(settings),
    )


class RowIdConverter(falcon.routing.IntConverter):
    def __init__(self, num_digits=None, min=1, max=MAX_ROW_ID):
        super().__init__(num_digits, min, max)


class MspApp(falcon.App):
    """falcon.App with a place for the shared collaborators (falcon.App uses __slots__), where every route
    that answers GET also answers HEAD."""

    __slots__ = ("services",)

    def add_route(self, uri_template: str, resource: object, **kwargs) -> None:
        answer_head_like_get(resource, kwargs.get("suffix"))
        super().add_route(uri_template, resource, **kwargs)


def answer_head_like_get(resource: object, suffix: str | None = None) -> None:
    """Give a resource that has GET and no HEAD a HEAD responder: its own GET responder.

    Falcon 4 answers HEAD with 405 unless the resource has `on_head`, and uptime checks and load balancers
    send HEAD. Running the GET responder gives the same status and headers (Content-Length included);
    Falcon drops the body of every HEAD response. The permission check is GET's too (the Authorisation
    middleware checks HEAD as GET), and a HEAD that reads someone's words is audited as a read, since
    it ran the same query.
    """
    name = f"on_{{}}_{suffix}" if suffix else "on_{}"
    get, head = getattr(resource, name.format("get"), None), name.format("head")
    if get is not None and not hasattr(resource, head):
        setattr(resource, head, get)


# Channels register routes here (channel packages depend on the core, never the other way round).
ChannelInstaller = Callable[[falcon.App, Services], None]


def _channel_installers() -> list[ChannelInstaller]:
    from channels.meetings.routes import install as install_meetings
    from channels.paper.routes import install as install_paper
    from channels.sms.routes import install as install_sms
    from channels.web.routes import install as install_web

    return [install_sms, install_web, install_meetings, install_paper]


def load_models() -> None:
    """Import every part's models (through the same wiring the app uses): for migrations and schema checks."""
    _channel_installers()


def create_app(settings: Settings | None = None, services: Services | None = None) -> MspApp:
    if services is None:
        settings = settings or Settings.from_environ()
        services = build_services(settings)
    settings = services.settings
    app = MspApp(
        middleware=[RequestContext(), SecurityHeaders(https=settings.uses_https), Authorisation(services.uow, services.settings)],
        cors_enable=False,
    )
    app.req_options.strip_url_path_trailing_slash = True
    # Every "{x:int}" in a route is a row id: one too large for the database column is "not found", not a
    # 500 from the driver's overflow.
    app.router_options.converters["int"] = RowIdConverter
    app.req_options.auto_parse_form_urlencoded = False
    app.resp_options.secure_cookies_by_default = settings.uses_https
    app.set_error_serializer(error_serializer(services, fallback=serialize_problem))   # problem+json, but pages for staff in a browser
    app.add_error_handler(Exception, handle_unexpected)
    app.add_error_handler(DomainError, handle_domain_error)
    app.add_error_handler(SignedOutPost, signed_out_page(settings.secret_key))
    app.services = services

    app.add_route("/healthz", Health())
    app.add_route("/readyz", Ready(services.engine))
    app.add_route("/api/v1/openapi.json", OpenApiDocument(settings.public_base_url))
    app.add_route("/api/v1/submissions", SubmissionCollection(services.uow, services.intake_limiter, services.settings.secret_keys))
    app.add_route("/api/v1/submissions/{submission_id}", SubmissionItem(services.uow, services.settings.secret_keys))
    app.add_route("/api/v1/providers", ProviderCollection(services.uow))
    app.add_route("/api/v1/providers/{provider_id:int}", ProviderItem(services.uow))

    texts.install(app, services, services.pipelines)
    install_staff(app, services)
    install_feedback_pages(app, services)

    for install in _channel_installers():
        install(app, services)
    return app
