"""A carrier's own STIR/SHAKEN verdict, passed on with the call.

Networks that verify calls say so in a ``verstat`` parameter on From/P-Asserted-Identity
(3GPP TS 24.229: ``TN-Validation-Passed``, ``TN-Validation-Failed``, ``No-TN-Validation``), and
webhooks relay it: Twilio's ``StirVerstat`` adds the attestation (``TN-Validation-Passed-A``),
Android reports ``VERIFICATION_STATUS_PASSED``/``_FAILED``/``_NOT_VERIFIED``. ``parse_verstat``
reads all of these, or a whole SIP URI carrying ``;verstat=``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..models import Finding
from .numbers import uri_param
from .wording import note

_TN_VALIDATION = re.compile(r"^tn-validation-(passed|failed)(?:-([abc]))?$")
_SIMPLE = {
    "no-tn-validation": "not_verified",
    "passed": "passed",
    "failed": "failed",
    "verification_status_passed": "passed",
    "verification_status_failed": "failed",
    "verification_status_not_verified": "not_verified",
    "not_verified": "not_verified",
    "none": "not_verified",
}


@dataclass(frozen=True, slots=True)
class Verstat:
    raw: str
    status: str  # "passed" | "failed" | "not_verified" | "unrecognised"
    attest: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"raw": self.raw, "status": self.status, "attest": self.attest}


@lru_cache(maxsize=256)
def parse_verstat(value: str | None) -> Verstat | None:
    """None when nothing was given; otherwise a Verstat (status "unrecognised" for anything else)."""
    if value is None or not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()[:200]
    text = raw
    if ";verstat=" in text.lower():
        text = uri_param(text, "verstat") or ""
    key = text.strip().strip('"').lower()
    m = _TN_VALIDATION.match(key)
    if m:
        return Verstat(raw, m.group(1), m.group(2).upper() if m.group(2) else None)
    return Verstat(raw, _SIMPLE.get(key, "unrecognised"))


def verstat_findings(v: Verstat | None) -> tuple[Finding, ...]:
    if v is None:
        return ()
    if v.status == "failed":
        return (Finding("STIR_FAILED", 0.9, note=note("STIR_FAILED", "carrier")),)
    if v.status == "passed" and v.attest == "A":
        return (Finding("STIR_VERIFIED_A", 1.0, note=note("STIR_VERIFIED_A", "carrier")),)
    if v.status == "passed" and v.attest == "C":
        return (Finding("STIR_ATTEST_C", 1.0, note=note("STIR_ATTEST_C", "carrier")),)
    return ()
