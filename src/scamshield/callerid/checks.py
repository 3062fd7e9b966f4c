"""The caller-ID checks as findings, shared by the message detector, call screening and the CLI.

``number_findings(raw, channel)``  what the number alone shows (numbering + inbound-only list)
``stir_findings(result)``          what a STIR/SHAKEN verification result shows
``default_verifier()``             the process-wide verifier (configured from the environment)
"""

from __future__ import annotations

import os
from functools import lru_cache

from ..models import Finding
from ..organisations import OrganisationIndex
from .inbound_only import inbound_only_findings
from .numbers import NumberInfo, numbering_findings, parse_number
from .stir_shaken import ATTESTATION, StirResult, StirVerifier, verifier_from_env
from .wording import flag_data, note


def number_findings(raw: str | None, channel: str = "call", index: OrganisationIndex | None = None
                    ) -> tuple[Finding, ...]:
    info = parse_number(raw)
    return info_findings(info, channel, index)


def info_findings(info: NumberInfo, channel: str = "call", index: OrganisationIndex | None = None
                  ) -> tuple[Finding, ...]:
    """What the number shows; ``index``: whose numbers are inbound-only (default: ``organisation_index()``)."""
    return inbound_only_findings(info, channel, index) + numbering_findings(info, channel)


# How sure a failed verification makes us that the number is fake (STIR_FAILED's ``confidence_by_reason``
# in rules/flags/callerid.yaml). Failures that only mean "we could not check" (no trust configured, extra
# not installed) are not listed and raise no flag at all.
_FAILURE_CONFIDENCE: dict[str, float] = flag_data("STIR_FAILED", "confidence_by_reason")


def stir_findings(result: StirResult | None) -> tuple[Finding, ...]:
    if result is None or result.status == "absent":
        return ()
    if result.passed:
        if result.attest == "A":
            return (Finding("STIR_VERIFIED_A", 1.0, note=note("STIR_VERIFIED_A", "signed")),)
        if result.attest == "C":
            return (Finding("STIR_ATTEST_C", 1.0, note=note("STIR_ATTEST_C", "signed", attestation=ATTESTATION["C"])),)
        return ()
    confidence = _FAILURE_CONFIDENCE.get(result.reason)
    if confidence is None:
        return ()
    return (Finding("STIR_FAILED", confidence, note=note("STIR_FAILED", "signed", detail=result.explanation)),)


@lru_cache(maxsize=1)
def default_verifier() -> StirVerifier:
    """From SCAMSHIELD_STIR_* settings when present. Unconfigured, it still catches structural
    forgeries (alg none, malformed tokens, wrong numbers, stale tokens) but cannot check signatures."""
    return verifier_from_env(os.environ) or StirVerifier()
