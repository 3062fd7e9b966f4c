"""What caller-ID checks say and the tables they read, from the rule files (loaded once): each flag's
``notes`` in rules/flags/callerid.yaml, and the tables and sentences of rules/callerid.yaml.

Sentences are Python format strings: ``note("CLI_DRAMA_RANGE", shown="01632 960 123", range="...")``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..errors import RulesError
from ..rules import FLAGS_DIR, RULES_DIR, load_yaml


@lru_cache(maxsize=1)
def tables() -> dict[str, Any]:
    """rules/callerid.yaml: short codes, number types, drama ranges, screening policy, STIR reasons..."""
    return load_yaml(RULES_DIR / "callerid.yaml")


@lru_cache(maxsize=1)
def _flags() -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in load_yaml(FLAGS_DIR / "callerid.yaml").get("flags") or ()}


def flag_data(flag: str, key: str) -> Any:
    """A table kept with a caller-ID flag in rules/flags/callerid.yaml (such as STIR_FAILED's
    ``confidence_by_reason``)."""
    try:
        return _flags()[flag][key]
    except KeyError:
        raise RulesError(f"rules/flags/callerid.yaml: flag {flag} has no {key!r}") from None


def note(flag: str, key: str = "note", **fields: Any) -> str:
    """The sentence ``key`` of a flag's ``notes``, with ``fields`` filled in."""
    try:
        template = _flags()[flag]["notes"][key]
    except KeyError:
        raise RulesError(f"rules/flags/callerid.yaml: flag {flag} has no note {key!r}") from None
    return template.format(**fields)
