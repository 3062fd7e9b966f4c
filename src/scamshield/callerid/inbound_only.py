"""Numbers their owners only use to *receive* calls: a call or text showing one was faked.

Ofcom's Do Not Originate (DNO) list does this for UK networks, but it is private. We keep our own
curated stand-in: the numbers marked ``inbound_only: true`` in ``rules/organisations.yaml``, each
with the organisation, where it is published and when we checked. It starts with HMRC's helpline
0300 200 3300, the number shown in the HMRC phone scam. This is *not* Ofcom's list.
"""

from __future__ import annotations

from functools import lru_cache

from ..models import Finding
from ..organisations import OfficialNumber, Organisation, OrganisationIndex, organisation_index
from .numbers import NumberInfo
from .wording import note


def inbound_only_owner(e164: str | None, index: OrganisationIndex | None = None
                       ) -> tuple[Organisation, OfficialNumber] | None:
    """(organisation, entry) when ``e164`` is on our inbound-only list, else None."""
    return (index or organisation_index()).inbound_only(e164)


def spoof_explanation(org: Organisation, entry: OfficialNumber, channel: str = "call") -> str:
    return note("CLI_INBOUND_ONLY", "sms" if channel == "sms" else "call", org=org.name, number=entry.national)


@lru_cache(maxsize=4096)
def inbound_only_findings(info: NumberInfo, channel: str = "call", index: OrganisationIndex | None = None
                          ) -> tuple[Finding, ...]:
    hit = inbound_only_owner(info.e164, index) if info.kind == "number" else None
    if hit is None:
        return ()
    org, entry = hit
    confidence = 1.0 if entry.confidence == "high" else 0.8
    return (Finding("CLI_INBOUND_ONLY", confidence, note=spoof_explanation(org, entry, channel)),)
