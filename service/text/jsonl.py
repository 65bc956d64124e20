"""JSON lines as the text commands read and write them.

Written: one record per line, UTF-8 bytes whatever the console's encoding (JSON lines are UTF-8 by
definition; a Windows console in cp1252 made `analyse` stop with a traceback and lose the lines after
it), with the line breaks JSON leaves unescaped (U+0085, U+2028, U+2029) escaped, so a reader that
splits on every Unicode line break (Python's str.splitlines) still finds one line per record.
Read: NaN and Infinity are refused (Python's json accepts them; they are not JSON, and written back
they made a line other readers reject).
"""

from __future__ import annotations

import json
import math
from typing import Any, BinaryIO

_LINE_BREAKS_JSON_LEAVES = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(record: Any) -> bytes:
    """`record` as one line of JSON in UTF-8, ending in a newline."""
    try:
        text = json.dumps(record, ensure_ascii=False, allow_nan=False)
        encoded = (text.translate(_LINE_BREAKS_JSON_LEAVES) + "\n").encode("utf-8")
    except UnicodeEncodeError:      # a lone surrogate from the input: escape everything rather than crash
        encoded = (json.dumps(record, allow_nan=False) + "\n").encode("ascii")
    return encoded


def write_line(out: BinaryIO, record: Any) -> None:
    out.write(json_line(record))
    out.flush()


def _not_json(constant: str) -> float:
    raise ValueError(f"{constant} is not a JSON value")


def _finite(number: str) -> float:
    value = float(number)
    if not math.isfinite(value):    # 1e999 reads as infinity
        raise ValueError(f"{number[:20]} is too large a number")
    return value


def loads(line: str) -> Any:
    """json.loads, refusing NaN, Infinity and numbers too large to be finite (ValueError)."""
    return json.loads(line, parse_constant=_not_json, parse_float=_finite)
