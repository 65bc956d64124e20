"""A worker whose one task kills the process, as the OOM killer or a crash in a native library would
(tests/integration/test_delivery.py runs it in a subprocess)."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from service.config import Settings  # noqa: E402
from service.outbox.handlers import Outcome  # noqa: E402
from service.runtime import session_factory  # noqa: E402
from service.tasks import TaskHandler  # noqa: E402
from service.worker import Worker  # noqa: E402


class Mail:
    def handle(self, message):
        with open(os.environ["SENT_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{message.id}\n")
        return Outcome()

    def reconcile(self, message):
        return None


def poison(_message):
    os._exit(9)


settings = Settings.from_environ()
Worker(session_factory(settings), {"task": TaskHandler({"poison": poison}), "email": Mail()},
       max_attempts=settings.outbox_max_attempts).run_until_idle()
