"""Building the long-lived pieces from settings: sessions, the worker and its handlers."""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from channels.sms.flows import expire_due
from channels.sms.sending import build_sms_handler
from channels.sms.twilio_copies import build_twilio_deletion
from service.analysis import AnalyseTextTask, PipelineHolder
from service.config import Settings
from service.intake import ANALYSE_TEXT
from service.privacy.erasure import DELETE_AT_TWILIO
from service.privacy.retention import RETENTION_TASK, enqueue_daily_retention, retention_task
from service.outbox.email import SmtpSender
from service.outbox.handlers import Handler, OutboxLogSender
from service.storage.database import make_engine, make_session_factory
from service.tasks import TaskHandler
from service.worker import Worker


def session_factory(settings: Settings) -> sessionmaker[Session]:
    return make_session_factory(make_engine(settings.database_url))


def build_handlers(settings: Settings, factory: sessionmaker[Session], pipelines: PipelineHolder | None = None) -> dict[str, Handler]:
    """Without Twilio or SMTP settings, messages stay in the outbox log, where staff can read them."""
    handlers: dict[str, Handler] = {
        "sms": build_sms_handler(settings, factory),
        "email": SmtpSender(settings.smtp_url, settings.mail_from, duty_team_email=settings.duty_team_email) if settings.smtp_url and settings.mail_from else OutboxLogSender(),
        "task": TaskHandler(build_tasks(settings, factory, pipelines)),
    }
    return handlers


def build_tasks(settings: Settings, factory: sessionmaker[Session], pipelines: PipelineHolder | None = None) -> dict:
    return {
        ANALYSE_TEXT: AnalyseTextTask(factory, settings, pipelines),
        RETENTION_TASK: retention_task(factory, settings),
        DELETE_AT_TWILIO: build_twilio_deletion(settings, factory),
    }


NO_MAIL_WARNING = ("no SMTP_URL: alerts to the safeguarding duty team are kept in the outbox (/staff/outbox) and "
                   "nobody is emailed; set SMTP_URL, MAIL_FROM and DUTY_TEAM_EMAIL")


def build_worker(settings: Settings, pipelines: PipelineHolder | None = None) -> Worker:
    if not settings.smtp_enabled:
        logging.getLogger("msp.worker").warning(NO_MAIL_WARNING)
    factory = session_factory(settings)
    # Every minute: the words of an SMS run past its time are submitted and read within a minute, not an
    # hour. Both jobs are one indexed query when there is nothing to do.
    return Worker(factory, build_handlers(settings, factory, pipelines), max_attempts=settings.outbox_max_attempts,
                  schedules=[enqueue_daily_retention, lambda _session: expire_due(factory, settings)], schedule_seconds=60.0)
