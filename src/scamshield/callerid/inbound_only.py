"""Numbers their owners only use to *receive* calls: a call or text showing one was faked.

Ofcom's Do Not Originate (DNO) list does this for UK networks, but it is private. We keep our own
curated stand-in: the numbers marked ``inbound_only: true`` in ``rules/organisations.yaml``, each
with the organisation, where it is published and when we checked. It starts with HMRC's helpline
0300 200 3300, the number shown in the HMRC phone scam. This is *not* Ofcom's list.
"""

from __future__ import annotations

from functools import lru_cache

from ..models import Finding
from ..organisations import OfficialNumber, Organisation, organisation_index
from .numbers import NumberInfo


def inbound_only_owner(e164: str | None) -> tuple[Organisation, OfficialNumber] | None:
    """(organisation, entry) when ``e164`` is on our inbound-only list, else None."""
    return organisation_index().inbound_only(e164)


def spoof_explanation(org: Organisation, entry: OfficialNumber, channel: str = "call") -> str:
    if channel == "sms":
        return (
            f"{org.name} never sends texts from {entry.national} - it is a helpline people ring. "
            "Criminals fake this number to look genuine."
        )
    return (
        f"{org.name} never rings from {entry.national} - it only takes calls on it. "
        "Criminals fake this number to look genuine. Hang up, and if you are worried, call "
        f"{org.name} yourself on a number from its official website."
    )


@lru_cache(maxsize=4096)
def inbound_only_findings(info: NumberInfo, channel: str = "call") -> tuple[Finding, ...]:
    hit = inbound_only_owner(info.e164) if info.kind == "number" else None
    if hit is None:
        return ()
    org, entry = hit
    confidence = 1.0 if entry.confidence == "high" else 0.8
    return (Finding("CLI_INBOUND_ONLY", confidence, note=spoof_explanation(org, entry, channel)),)
