"""A small HTTP load driver, run in its own process so it does not share the server's GIL.

Keeps `concurrency` requests in flight with one keep-alive connection per thread, for `requests`
requests in all (bounded in count and time), and prints JSON: requests/s, p50/p99 latency, status counts.
"""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlparse


def drive(url: str, body: bytes, headers: dict[str, str], concurrency: int, total: int, time_limit: float, header_factory=None) -> dict:
    parsed = urlparse(url)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + time_limit

    def worker() -> None:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            extra = header_factory(index) if header_factory else {}
            request_body = extra.pop("__body__", body)
            started = time.perf_counter()
            try:
                connection.request("POST", parsed.path, body=request_body, headers={**headers, **extra})
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": round(wall, 3),
        "requests_per_second": round(len(latencies) / wall, 1) if wall else 0.0,
        "p50_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 2) if latencies else None,
        "statuses": dict(statuses),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--body-file", required=True)
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    with open(args.body_file, "rb") as handle:
        body = handle.read()
    json.dump(drive(args.url, body, headers, args.concurrency, args.requests, args.time_limit), sys.stdout)


if __name__ == "__main__":
    main()
