"""Time-ordered identifiers (UUID version 7, RFC 9562).

Random UUIDv4 keys scatter inserts across the primary-key index; v7 keys start with the time in
milliseconds, so new rows land at the index's right edge. On SQLite this halves the cost of an intake
insert (benchmarks/intake.py). The 74 random bits keep ids unguessable.
"""
from __future__ import annotations

import os
import time
import uuid


def uuid7() -> str:
    millis = time.time_ns() // 1_000_000
    random_bits = int.from_bytes(os.urandom(10), "big")  # 80 bits; 6 are replaced by version and variant
    value = (millis & ((1 << 48) - 1)) << 80 | random_bits
    value = (value & ~(0xF << 76)) | (0x7 << 76)      # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)      # RFC 4122 variant
    return str(uuid.UUID(int=value))
