"""Building the long-lived pieces from settings: sessions, the worker and its handlers."""
from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from channels.sms.sending import build_sms_handler
from service.config import Settings
from service.outbox.handlers import Handler, OutboxLogSender
from service.storage.database import make_engine, make_session_factory
from service.tasks import TaskHandler
from service.worker import Worker


def session_factory(settings: Settings) -> sessionmaker[Session]:
    return make_session_factory(make_engine(settings.database_url))


def build_handlers(settings: Settings, factory: sessionmaker[Session]) -> dict[str, Handler]:
    """Without Twilio or SMTP settings, messages stay in the outbox log, where staff can read them."""
    handlers: dict[str, Handler] = {
        "sms": build_sms_handler(settings),
        "email": OutboxLogSender(),
        "task": TaskHandler(build_tasks(settings, factory)),
    }
    return handlers


def build_tasks(settings: Settings, factory: sessionmaker[Session]) -> dict:
    return {}


def build_worker(settings: Settings) -> Worker:
    factory = session_factory(settings)
    return Worker(factory, build_handlers(settings, factory), max_attempts=settings.outbox_max_attempts)
