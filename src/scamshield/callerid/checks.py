"""The caller-ID checks as findings, shared by the message detector, call screening and the CLI.

``number_findings(raw, channel)``  what the number alone shows (numbering + inbound-only list)
``stir_findings(result)``          what a STIR/SHAKEN verification result shows
``default_verifier()``             the process-wide verifier (configured from the environment)
"""

from __future__ import annotations

import os
from functools import lru_cache

from ..models import Finding
from .inbound_only import inbound_only_findings
from .numbers import NumberInfo, numbering_findings, parse_number
from .stir_shaken import ATTESTATION, StirResult, StirVerifier, verifier_from_env


def number_findings(raw: str | None, channel: str = "call") -> tuple[Finding, ...]:
    info = parse_number(raw)
    return info_findings(info, channel)


def info_findings(info: NumberInfo, channel: str = "call") -> tuple[Finding, ...]:
    return inbound_only_findings(info, channel) + numbering_findings(info, channel)


# How sure a failed verification makes us that the number is fake. Failures that only mean "we
# could not check" (no trust configured, extra not installed) raise no flag at all.
_FAILURE_CONFIDENCE: dict[str, float] = {
    "bad_signature": 1.0,
    "alg_none": 1.0,
    "orig_mismatch": 1.0,
    "unknown_ca": 1.0,
    "chain_invalid": 1.0,
    "tn_not_authorised": 1.0,
    "wrong_alg": 1.0,
    "malformed_base64": 1.0,
    "malformed_json": 1.0,
    "malformed_header": 0.9,
    "compact_form": 0.6,
    "x5u_mismatch": 1.0,
    "wrong_ppt": 0.9,
    "wrong_typ": 0.9,
    "missing_x5u": 0.9,
    "missing_claim": 0.9,
    "bad_claim": 0.9,
    "bad_attest": 0.9,
    "wrong_key_type": 0.9,
    "no_tnauthlist": 0.8,
    "bad_tnauthlist": 0.8,
    "cert_expired": 0.8,
    "cert_not_yet_valid": 0.8,
    "x5u_not_https": 0.8,
    "x5u_bad_url": 0.8,
    "stale": 0.7,
    "future_iat": 0.7,
    "dest_mismatch": 0.6,  # forwarded calls legitimately change the destination
    "cert_fetch_failed": 0.3,
}


def stir_findings(result: StirResult | None) -> tuple[Finding, ...]:
    if result is None or result.status == "absent":
        return ()
    if result.passed:
        if result.attest == "A":
            return (
                Finding(
                    "STIR_VERIFIED_A",
                    1.0,
                    note=(
                        "The caller's phone network signed this call and vouched that the caller may use "
                        "this number. That shows where the call came from, not who is speaking."
                    ),
                ),
            )
        if result.attest == "C":
            return (Finding("STIR_ATTEST_C", 1.0, note=f"The call was signed with {ATTESTATION['C']}."),)
        return ()
    confidence = _FAILURE_CONFIDENCE.get(result.reason)
    if confidence is None:
        return ()
    return (
        Finding(
            "STIR_FAILED",
            confidence,
            note=(
                "The digital check on this caller's number failed, so the number shown is probably not "
                f"the real one. (Technical detail: {result.explanation})"
            ),
        ),
    )


@lru_cache(maxsize=1)
def default_verifier() -> StirVerifier:
    """From SCAMSHIELD_STIR_* settings when present. Unconfigured, it still catches structural
    forgeries (alg none, malformed tokens, wrong numbers, stale tokens) but cannot check signatures."""
    return verifier_from_env(os.environ) or StirVerifier()
