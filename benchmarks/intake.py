"""Intake benchmark: the service's POST /api/v1/submissions against a bare Falcon app doing one insert.

Both run under gunicorn with the same number of workers on the same kind of database, in this run; the
same load (a separate process: benchmarks/load.py) drives each. Prints requests/s and p50/p99 latency
for each, and the ratio service/bare.

    .venv/bin/python benchmarks/intake.py [--requests 3000] [--concurrency 8] [--database-url URL]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.storage.database import make_engine  # noqa: E402
from tests.conftest import free_port  # noqa: E402  (one helper, shared with the tests)

EXAMPLE = {
    "channel": "web", "respondent": "person", "language": "en",
    "answers": {"asked_outcomes": "yes_expressed", "feel_safer": "a_bit_safer"},
    "texts": {"own_words": "They listened to me."}, "consent": "anonymous",
    "provider_id": None, "contact": {"preference": "none"},
}


def start(command: list[str], env: dict[str, str], ready_url: str, timeout: float = 120.0) -> subprocess.Popen:
    """Start a server and wait until it answers (the service may load its models at start: allow time)."""
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited at start-up: {' '.join(command)}")
        try:
            requests.get(ready_url, timeout=1)
            return process
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"server did not start within {timeout:.0f} s: {' '.join(command)}")


def report(name: str, service_result: dict, bare_result: dict, *, database_url: str, workers: int, concurrency: int, aim: str = "") -> None:
    """Print both runs, the ratio service/bare, and one JSON line with everything."""
    ratio = service_result["requests_per_second"] / bare_result["requests_per_second"] if bare_result["requests_per_second"] else 0
    print(f"{'':30}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}  statuses")
    for label, result in ((name, service_result), ("bare Falcon + 1 insert", bare_result)):
        print(f"{label:30}{result['requests_per_second']:>10}{result['p50_ms']:>10}{result['p99_ms']:>10}  {result['statuses']}")
    print(f"ratio service/bare throughput: {ratio:.2f}{aim}")
    print(json.dumps({"service": service_result, "bare": bare_result, "ratio": round(ratio, 3),
                      "database": "postgresql" if database_url.startswith("postgres") else "sqlite",
                      "workers": workers, "concurrency": concurrency}))


def run_load(url: str, body: bytes, concurrency: int, total: int, headers: list[str] | None = None) -> dict:
    with tempfile.NamedTemporaryFile(delete=False) as handle:
        handle.write(body)
    command = [sys.executable, str(ROOT / "benchmarks" / "load.py"), url, "--body-file", handle.name,
               "--concurrency", str(concurrency), "--requests", str(total), "--header", "Content-Type: application/json"]
    for header in headers or []:
        command += ["--header", header]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    os.unlink(handle.name)
    return json.loads(result.stdout)


def measure_bare(database_url: str, workers: int, concurrency: int, total: int) -> dict:
    from benchmarks.bare_falcon import metadata  # noqa: PLC0415  (imports need DATABASE_URL)

    metadata.create_all(make_engine(database_url))  # once, before the workers start (they would race)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    process = start([sys.executable, "-m", "gunicorn", "benchmarks.bare_falcon:app", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
                    env, f"http://127.0.0.1:{port}/")
    try:
        run_load(f"http://127.0.0.1:{port}/rows", json.dumps(EXAMPLE).encode(), concurrency, min(200, total))  # warm-up
        return run_load(f"http://127.0.0.1:{port}/rows", json.dumps(EXAMPLE).encode(), concurrency, total)
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="default: a fresh SQLite file; pass a PostgreSQL URL of an empty database to measure that")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        service_db = args.database_url or f"sqlite:///{scratch}/service.sqlite3"
        bare_db = args.database_url or f"sqlite:///{scratch}/bare.sqlite3"
        env = {**os.environ, "DATABASE_URL": service_db, "VAR_DIR": scratch, "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdef",
               "INTAKE_RATE_LIMIT_PER_MINUTE": "100000", "LOG_LEVEL": "WARNING"}
        subprocess.run([sys.executable, "-m", "service.cli", "db", "upgrade"], env=env, cwd=ROOT, check=True)
        port = free_port()
        service = start([sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--workers", str(args.workers)], env, f"http://127.0.0.1:{port}/healthz")
        try:
            url = f"http://127.0.0.1:{port}/api/v1/submissions"
            run_load(url, json.dumps(EXAMPLE).encode(), args.concurrency, min(200, args.requests))  # warm-up
            service_result = run_load(url, json.dumps(EXAMPLE).encode(), args.concurrency, args.requests)
        finally:
            service.terminate()
            service.wait()
        bare_result = measure_bare(bare_db, args.workers, args.concurrency, args.requests)
    report("service POST /submissions", service_result, bare_result, database_url=service_db, workers=args.workers,
           concurrency=args.concurrency, aim=" (aim: 0.50 or more)")


if __name__ == "__main__":
    main()
