"""SMS webhook benchmark: signed Twilio inbound requests against the service, and the bare-Falcon baseline.

The service runs under gunicorn (as `msp-feedback serve`), with Twilio settings so that signatures are
checked. Conversations are started first (invitations, as staff would), then every request is a signed
inbound answer, in the order people would answer (so the run includes finished questionnaires becoming
submissions through the intake path). The load runs in its own process (benchmarks/load.py's driver) at a
fixed concurrency; signatures are computed before the clock starts. The baseline is benchmarks/intake.py's
bare Falcon app doing one insert per request, measured in the same run.

    .venv/bin/python benchmarks/sms_webhook.py [--requests 2000] [--concurrency 8] [--workers 2] [--database-url URL]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.intake import measure_bare, report, start  # noqa: E402  (the same baseline as the intake benchmark)
from tests.conftest import free_port  # noqa: E402

AUTH_TOKEN = "benchmark-twilio-auth-token"
ACCOUNT_SID = "AC" + "0" * 32
OUR_NUMBER = "+441204555000"
PUBLIC_BASE_URL = "https://feedback.example.org"
ANSWERS = ["1", "2", "yes", "a bit", "3", "1", "2", "They listened to me and helped me feel safe.", "Call back sooner.", "2"]


def signed_requests(total: int) -> list[dict]:
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(AUTH_TOKEN)
    people = max(1, total // len(ANSWERS))
    requests = []
    for round_ in range(len(ANSWERS)):
        for person in range(people):
            if len(requests) >= total:
                break
            sid = f"SM{round_:04d}{person:028x}"
            fields = {"MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid, "AccountSid": ACCOUNT_SID, "From": phone(person),
                      "To": OUR_NUMBER, "Body": ANSWERS[round_], "NumMedia": "0", "NumSegments": "1", "SmsStatus": "received",
                      "ApiVersion": "2010-04-01", "FromCountry": "GB", "ToCountry": "GB"}
            signature = validator.compute_signature(PUBLIC_BASE_URL + "/sms/twilio/inbound", fields)
            requests.append({"body": urlencode(fields), "signature": signature})
    return requests


def phone(person: int) -> str:
    return f"+4479{11000000 + person:08d}"


def drive_signed(url: str, requests_file: str, concurrency: int) -> None:
    from benchmarks.load import drive

    with open(requests_file) as handle:
        prepared = json.load(handle)

    def headers_for(index: int) -> dict:
        item = prepared[index]
        return {"X-Twilio-Signature": item["signature"], "__body__": item["body"].encode()}

    result = drive(url, b"", {"Content-Type": "application/x-www-form-urlencoded"}, concurrency, len(prepared), 300.0, headers_for)
    json.dump(result, sys.stdout)


def start_conversations(env: dict[str, str], people: int) -> None:
    code = (
        "from service.config import Settings; from service.runtime import session_factory; from channels.sms import flows;"
        "from benchmarks.sms_webhook import phone;"
        "s = Settings.from_environ(); f = session_factory(s);"
        f"[flows.invite(f, s, phone=phone(i), language='en') for i in range({people})]"
    )
    subprocess.run([sys.executable, "-c", code], env={**env, "PYTHONPATH": str(ROOT)}, cwd=ROOT, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="default: a fresh SQLite file; or an empty PostgreSQL database")
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    parser.add_argument("--requests-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive_signed(args.drive, args.requests_file, args.concurrency)
        return

    with tempfile.TemporaryDirectory() as scratch:
        service_db = args.database_url or f"sqlite:///{scratch}/service.sqlite3"
        bare_db = args.database_url or f"sqlite:///{scratch}/bare.sqlite3"
        env = {**os.environ, "DATABASE_URL": service_db, "VAR_DIR": scratch, "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdef",
               "LOG_LEVEL": "WARNING", "PUBLIC_BASE_URL": PUBLIC_BASE_URL, "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
               "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_FROM_NUMBER": OUR_NUMBER}
        subprocess.run([sys.executable, "-m", "service.cli", "db", "upgrade"], env=env, cwd=ROOT, check=True)
        prepared = signed_requests(args.requests)
        start_conversations(env, max(1, args.requests // len(ANSWERS)))
        requests_file = Path(scratch) / "requests.json"
        requests_file.write_text(json.dumps(prepared))
        port = free_port()
        service = start([sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--workers", str(args.workers)], env,
                        f"http://127.0.0.1:{port}/healthz")
        try:
            url = f"http://127.0.0.1:{port}/sms/twilio/inbound"
            command = [sys.executable, str(Path(__file__).resolve()), "--drive", url, "--requests-file", str(requests_file),
                       "--concurrency", str(args.concurrency)]
            result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
            service_result = json.loads(result.stdout)
        finally:
            service.terminate()
            service.wait()
        bare_result = measure_bare(bare_db, args.workers, args.concurrency, args.requests)
    report("service signed SMS inbound", service_result, bare_result, database_url=service_db, workers=args.workers,
           concurrency=args.concurrency)


if __name__ == "__main__":
    main()
