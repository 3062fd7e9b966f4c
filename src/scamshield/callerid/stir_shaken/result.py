"""The outcome of verifying a call's signature: ``StirResult``, with a reason code and its meaning for a
person (``stir_reasons`` and ``stir_attestation`` in rules/callerid.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..wording import tables

# reason code -> what it means, for a person; attestation level -> what it vouches for
REASONS: dict[str, str] = tables()["stir_reasons"]
ATTESTATION: dict[str, str] = tables()["stir_attestation"]


@dataclass(frozen=True, slots=True)
class StirResult:
    status: str  # "passed" | "failed" | "absent"
    reason: str  # "ok" or a key of REASONS
    detail: str = ""
    attest: str | None = None
    orig_tn: str | None = None
    dest_tns: tuple[str, ...] = ()
    origid: str | None = None
    iat: int | None = None
    x5u: str | None = None
    trust: str | None = None  # "chain" (to a trust anchor) | "pinned" (a configured key)

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def explanation(self) -> str:
        base = REASONS.get(self.reason, self.reason)
        return f"{base} ({self.detail})" if self.detail else base

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reason": self.reason,
            "explanation": self.explanation,
            "attest": self.attest,
            "orig_tn": self.orig_tn,
            "dest_tns": list(self.dest_tns),
            "origid": self.origid,
            "iat": self.iat,
            "x5u": self.x5u,
            "trust": self.trust,
        }


def fail(reason: str, detail: str = "", **kw: Any) -> StirResult:
    """A failed verification for ``reason`` (a key of REASONS)."""
    return StirResult("failed", reason, detail, **kw)
