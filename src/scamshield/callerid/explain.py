"""Explain one number in plain words: what it is, who publishes it, and what it proves (the words are
``explain`` in rules/callerid.yaml)."""

from __future__ import annotations

from typing import Any

from ..organisations import OrganisationIndex, organisation_index
from .checks import info_findings
from .numbers import parse_number, range_holder
from .wording import tables

_WORDS = tables()["explain"]
REMINDER = _WORDS["reminder"]


def _with_article(country: str) -> str:
    the = _WORDS["the_countries"]
    if country.startswith(tuple(the["starting"])) or country in the["named"]:
        return "the " + country
    return country


def explain_number(raw: str | None, channel: str = "call", organisations: OrganisationIndex | None = None
                   ) -> dict[str, Any]:
    """A JSON-ready explanation: ``summary`` lines, ``warnings`` (findings with notes), ``owners``.
    ``organisations``: who publishes which numbers (default: ``organisation_index()``)."""
    index = organisations or organisation_index()
    info = parse_number(raw)
    lines: list[str] = []
    if info.kind == "withheld":
        lines.append(_WORDS["withheld"])
    elif info.kind == "alphanumeric":
        lines.append(_WORDS["alphanumeric"].format(name=info.sender_name))
    elif info.kind == "short_code":
        lines.append(_WORDS["short_code"].format(code=info.short_code))
    elif info.kind == "unparseable":
        lines.append(_WORDS["unparseable"].format(raw=info.raw, why=info.parse_error))
    else:
        status = _WORDS["valid"] if info.valid else _WORDS["not_valid"]
        where = _with_article(info.region_name) if info.region_name else _WORDS["unknown_country"]
        lines.append(_WORDS["number"].format(shown=info.display, e164=info.e164, status=status, where=where))
        if info.valid:
            lines.append(_WORDS["type"].format(type=info.type_label))
            detail = range_holder(info.e164) if info.e164 else None
            if detail:
                lines.append(_WORDS["range"].format(detail=detail))
        if info.region in ("GG", "JE", "IM"):
            lines.append(_WORDS["crown_dependency"].format(region=info.region_name))
    owners = [
        {
            "organisation": org.name,
            "label": entry.label,
            "inbound_only": entry.inbound_only,
            "source": entry.source,
            "checked": entry.checked,
            "confidence": entry.confidence,
        }
        for org, entry in index.owners(info.e164 or info.short_code)
    ]
    for o in owners:
        if o["inbound_only"]:
            extra = _WORDS["owner_inbound_only"]
        elif channel == "call":
            extra = _WORDS["owner_on_call"].format(org=o["organisation"])
        else:
            extra = ""
        lines.append(_WORDS["owner"].format(org=o["organisation"], label=o["label"], extra=extra))
    warnings = [{"flag": f.flag, "confidence": f.confidence, "explanation": f.note} for f in info_findings(info, channel, index)]
    return {
        "input": info.raw,
        "channel": channel,
        "number": info.to_dict(),
        "summary": lines,
        "owners": owners,
        "warnings": warnings,
        "reminder": REMINDER,
    }


def format_explanation(data: dict[str, Any]) -> str:
    out = [*data["summary"]]
    if data["warnings"]:
        out.append("")
        out.append(_WORDS["warnings"])
        out.extend(f"  ! {w['explanation']}" for w in data["warnings"])
    else:
        out.append("")
        out.append(_WORDS["no_warnings"])
    out.append("")
    out.append(data["reminder"])
    return "\n".join(out)
