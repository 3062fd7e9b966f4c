"""JSON in one place. From strangers (a signed token, a request body): nesting too deep for ``json.loads``
is refused before parsing, by a linear scan, so it is a ``ValueError`` and never a ``RecursionError``.
Fast: ``fast_dumps``/``fast_loads`` use orjson (5-10x faster) where it is installed, else the json module."""

from __future__ import annotations

import json
import re
from typing import Any

try:  # optional: in the server and scale extras
    import orjson

    def fast_loads(raw: bytes | str) -> Any:
        """One JSON value (a scan's record, whose size the caller bounds), parsed as fast as the libraries allow."""
        return orjson.loads(raw)

    def fast_dumps(obj: Any) -> bytes:
        """``obj`` as UTF-8 JSON bytes."""
        return orjson.dumps(obj)

    JSON_ERRORS: tuple[type[Exception], ...] = (orjson.JSONDecodeError, RecursionError)
except ImportError:  # pragma: no cover - orjson is in the server and scale extras
    def fast_loads(raw: bytes | str) -> Any:
        """One JSON value (a scan's record, whose size the caller bounds), parsed as fast as the libraries allow."""
        return json.loads(raw)

    def fast_dumps(obj: Any) -> bytes:
        """``obj`` as UTF-8 JSON bytes."""
        return json.dumps(obj, ensure_ascii=False).encode()

    JSON_ERRORS = (json.JSONDecodeError, RecursionError)

_JSON_SPECIAL = re.compile(r'[\[\]{}"\\]')


def too_deep(text: str, max_depth: int) -> bool:
    """Whether JSON ``text`` nests objects/arrays deeper than ``max_depth`` (linear, no recursion):
    Python's json module recurses once per level, so 1,000 levels are a RecursionError."""
    depth, in_string, escaped_at = 0, False, -1
    for m in _JSON_SPECIAL.finditer(text):
        i, ch = m.start(), m.group()
        if i == escaped_at:
            continue
        if in_string:
            if ch == "\\":
                escaped_at = i + 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def loads(text: str, max_depth: int) -> Any:
    """``json.loads`` that raises ValueError (never RecursionError) for what is not usable JSON, deep
    nesting included (``json.JSONDecodeError`` is a ValueError)."""
    if too_deep(text, max_depth):
        raise ValueError(f"nested more than {max_depth} levels deep")
    try:
        return json.loads(text)
    except RecursionError:  # belt and braces: the scan above should have refused it
        raise ValueError("nested too deeply") from None
