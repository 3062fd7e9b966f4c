"""Explain one number in plain words: what it is, who publishes it, and what it proves."""

from __future__ import annotations

from typing import Any

from ..organisations import organisation_index
from .checks import info_findings
from .numbers import parse_number

REMINDER = (
    "Remember: the number on your screen proves nothing on its own - criminals can make any number "
    "appear. If a call or message worries you, hang up and contact the organisation on a number you "
    "find yourself (its website, your card or a letter), ideally from a different phone."
)


def _range_holder(e164: str) -> str | None:
    import phonenumbers
    from phonenumbers import carrier, geocoder  # large tables: loaded only when a person asks

    num = phonenumbers.parse(e164, None)
    place = geocoder.description_for_number(num, "en")
    holder = carrier.name_for_number(num, "en")
    parts = (place.rstrip("."), f"range first given to {holder}" if holder else "")
    return ", ".join(p for p in parts if p) or None


def _with_article(country: str) -> str:
    if country.startswith(("United ", "Isle of ")) or country in ("Netherlands", "Philippines", "Bahamas"):
        return "the " + country
    return country


def explain_number(raw: str | None, channel: str = "call") -> dict[str, Any]:
    """A JSON-ready explanation: ``summary`` lines, ``warnings`` (findings with notes), ``owners``."""
    info = parse_number(raw)
    lines: list[str] = []
    if info.kind == "withheld":
        lines.append("No number was shown: the caller withheld it.")
    elif info.kind == "alphanumeric":
        lines.append(
            f'"{info.sender_name}" is a sender name, not a number. Anyone sending texts in bulk can choose the '
            "name that appears, so it proves nothing about who sent the message."
        )
    elif info.kind == "short_code":
        lines.append(f"{info.short_code} is a short code: a number you can dial, not a full phone number.")
    elif info.kind == "unparseable":
        lines.append(f"{info.raw!r} is not a phone number: {info.parse_error}.")
    else:
        status = "a valid" if info.valid else "not a valid"
        where = _with_article(info.region_name) if info.region_name else "an unknown country"
        lines.append(f"{info.display} ({info.e164}) is {status} number from {where}.")
        if info.valid:
            lines.append(f"It is {info.type_label}.")
            detail = _range_holder(info.e164) if info.e164 else None
            if detail:
                lines.append(f"Area and range: {detail}. Numbers move between networks, so this is only a hint.")
        if info.region in ("GG", "JE", "IM"):
            lines.append(f"+44 numbers also cover {info.region_name}, which is not part of the UK.")
    owners = [
        {
            "organisation": org.name,
            "label": entry.label,
            "inbound_only": entry.inbound_only,
            "source": entry.source,
            "checked": entry.checked,
            "confidence": entry.confidence,
        }
        for org, entry in organisation_index().owners(info.e164 or info.short_code)
    ]
    for o in owners:
        if o["inbound_only"]:
            extra = " It only takes calls: a call or text from it is fake."
        elif channel == "call":
            extra = f" Seeing it on your screen does not prove the call is from {o['organisation']}: it can be copied."
        else:
            extra = ""
        lines.append(f"Published by {o['organisation']} ({o['label']}).{extra}")
    warnings = [{"flag": f.flag, "confidence": f.confidence, "explanation": f.note} for f in info_findings(info, channel)]
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
        out.append("Warning signs:")
        out.extend(f"  ! {w['explanation']}" for w in data["warnings"])
    else:
        out.append("")
        out.append("Nothing about the number itself is suspicious.")
    out.append("")
    out.append(data["reminder"])
    return "\n".join(out)
