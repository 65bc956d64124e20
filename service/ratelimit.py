"""A per-client token bucket for public intake (in memory, per process).

Per process is enough to stop a flood from one client at each web process; the limit applies to each
gunicorn worker separately (see README, operations).
"""
from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict


def client_bucket(client: str) -> str:
    """The bucket a client address counts against. An IPv6 address by its /64: one subscriber (a home, a
    phone, a rented server) is given a whole /64 and can send from any of its 2^64 addresses, so a bucket
    per address let one client flood intake at will. An IPv4 address (an IPv4-mapped IPv6 one too), or
    anything that is not an address, as it is."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(address) >> 64 << 64, 64)))
    return client


WIDE_SCALE = 16   # a /48 may send 16 times what one client may


def wide_bucket(client: str) -> str | None:
    """The /48 of an IPv6 client (not an IPv4-mapped one), or None."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return None
    if not isinstance(address, ipaddress.IPv6Address) or address.ipv4_mapped is not None:
        return None
    return str(ipaddress.IPv6Network((int(address) >> 80 << 80, 48)))


class RateLimiter:
    def __init__(self, per_minute: int, *, burst: int | None = None, max_clients: int = 50_000, clock=time.monotonic):
        self.rate = per_minute / 60.0
        self.capacity = float(burst or per_minute)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._max_clients = max_clients
        self._clock = clock

    def check(self, client: str) -> float:
        """0 when the request may go ahead (and it is counted); otherwise seconds until it may. An IPv6
        client counts against its /64 and against its /48 at WIDE_SCALE times the limit: many ISPs give a
        home a /56 or a /48, whose 256 or 65,536 /64s each had a whole limit of their own."""
        buckets = [(client_bucket(client), 1)]
        wide = wide_bucket(client)
        if wide is not None:
            buckets.append((wide, WIDE_SCALE))
        now = self._clock()
        with self._lock:
            states = []
            for key, scale in buckets:
                capacity, rate = self.capacity * scale, self.rate * scale
                tokens, updated = self._buckets.pop(key, (capacity, now))
                states.append((key, min(capacity, tokens + (now - updated) * rate), rate))
            allowed = all(tokens >= 1 for _, tokens, _ in states)
            for key, tokens, _ in states:
                self._buckets[key] = (tokens - 1 if allowed else tokens, now)
            wait = 0.0 if allowed else max((1 - tokens) / rate for _, tokens, rate in states if tokens < 1)
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
        return wait


def retry_after_header(wait_seconds: float) -> str:
    return str(max(1, math.ceil(wait_seconds)))
