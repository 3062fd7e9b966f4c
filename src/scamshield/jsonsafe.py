"""JSON from strangers (a signed token, a request body): nesting too deep for ``json.loads`` is refused
before parsing, by a linear scan, so it is a ``ValueError`` and never a ``RecursionError``."""

from __future__ import annotations

import json
import re
from typing import Any

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
