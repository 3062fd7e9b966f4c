"""What the reports store says to a person: scam-type labels, a number's reputation in one sentence,
and the money a reporter lost read from what they typed."""

from __future__ import annotations

import math
from datetime import datetime

from ..errors import InputError
from .common import utc


def type_label(scam_type: str | None) -> str | None:
    if not scam_type:
        return None
    return _type_labels().get(scam_type) or scam_type.replace("_", " ").capitalize()


_LABELS: dict[str, str] | None = None


def _type_labels() -> dict[str, str]:
    global _LABELS
    if _LABELS is None:
        try:
            from .. import rules

            _LABELS = {tid: spec.get("label", tid) for tid, spec in (rules.scam_types().get("types") or {}).items()}
        except Exception:  # rules not shipped yet in a partial checkout: fall back to the ids
            _LABELS = {}
    return _LABELS


def known_scam_types() -> set[str]:
    return set(_type_labels())


def reputation_sentence(rep: dict) -> str:
    """ "Reported 14 times as an HMRC tax scam since 3 Nov 2026." """
    n = rep["reports"]
    if rep.get("protected"):
        return ("This is a genuine organisation's number that scammers copy as a fake caller ID; "
                "a call showing it may still be a scam.")
    if n == 0:
        return "Not reported." if not rep["not_scam"] else "Reported, but marked not a scam."
    times = "once" if n == 1 else "twice" if n == 2 else f"{n} times"
    what = ""
    if rep["scam_types"]:
        label = rep["scam_types"][0]["label"]
        what = f" as {'an' if label[:1].lower() in 'aeiou' or label.startswith('HMRC') else 'a'} {label}"
    first = utc(datetime.fromisoformat(rep["first_seen"].replace("Z", "+00:00")))
    since = f" since {first.day} {first:%b %Y}" if n > 1 else f" on {first.day} {first:%b %Y}"
    extra = ""
    if rep["as_callback"]:
        extra = f"; given as the number to call back in {rep['as_callback']} report{'s' if rep['as_callback'] > 1 else ''}"
    return f"Reported {times}{what}{since}{extra}."


def money_to_pence(amount: float | None) -> int | None:
    if amount is None:
        return None
    if not math.isfinite(amount):  # float("nan") and float("inf") parse; round() would raise on them
        raise InputError("money_lost must be an amount in pounds, such as 250 or 19.99")
    if amount < 0:
        raise InputError("money_lost cannot be negative")
    return round(amount * 100)
