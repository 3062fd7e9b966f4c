"""Call screening for telephony integrations: allow, warn or block an incoming call.

Give it what a Twilio-style webhook or a SIP server passes (From, To, and optionally the SIP
``Identity`` header and a carrier ``verstat`` such as Twilio's ``StirVerstat``)::

    decision = screen_call("+443002003300", "+447700900123")
    decision.action    # "block"
    decision.reasons   # ("HMRC never rings from 0300 200 3300 - it only takes calls on it. ...",)

Policy (``DEFAULT_POLICY``, from rules/callerid.yaml, overridable per call): numbers that cannot be a genuine caller ID
(inbound-only, short codes, impossible or drama numbers, 09 premium rate) are blocked; weaker
signs (withheld, 070, 084/087, a failed or gateway-only signature) warn. A call that is fine is
allowed. This only looks at the number: the words of the call are the engine's job.

``screen(..., reputation=lookup)`` is the whole policy that ``scamshield screen`` and ``POST /v1/screen``
both apply: the caller-ID decision first, then reports against the number can only make it stricter
(``REPORTS_POLICY``: reported once, warn; three times, block), never for a genuine number scammers spoof.
``lookup`` is where the reports are (``ReportStore.reputation``); this module never opens a database.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..models import Finding
from ..organisations import OrganisationIndex
from .checks import default_verifier, info_findings, stir_findings
from .numbers import NumberInfo, parse_number, uri_param
from .stir_shaken import StirResult, StirVerifier
from .verstat import Verstat, parse_verstat, verstat_findings
from .wording import note, tables

DEFAULT_POLICY: Mapping[str, str] = tables()["screening_policy"]  # flag -> block | warn (rules/callerid.yaml)
REPORTS_POLICY: Mapping[str, int] = tables()["screening_reports"]  # warn | block -> reports at least
ALLOWED = tables()["screening_allowed"]  # the reason given when nothing counts against a call
REPORTED = "NUMBER_REPORTED"
_RANK = {"allow": 0, "warn": 1, "block": 2}

# A number's record in the reports (``ReportStore.reputation``): E.164 in; out a mapping with at least
# "reports" (how often reported as a scam), "summary" (a sentence) and "protected" (a genuine number
# scammers spoof), or None when nothing is known.
Reputation = Callable[[str], Mapping[str, Any] | None]


@dataclass(frozen=True, slots=True)
class ScreeningDecision:
    action: str  # "allow" | "warn" | "block"
    reasons: tuple[str, ...]
    findings: tuple[Finding, ...]
    number: NumberInfo
    stir: StirResult | None = None
    verstat: Verstat | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "reasons": list(self.reasons),
            "flags": [{"id": f.flag, "confidence": f.confidence, "note": f.note} for f in self.findings],
            "number": {
                "raw": self.number.raw,
                "kind": self.number.kind,
                "e164": self.number.e164,
                "national": self.number.national,
                "valid": self.number.valid,
                "type": self.number.number_type,
                "region": self.number.region,
            },
            "stir": self.stir.to_dict() if self.stir else None,
            "verstat": self.verstat.to_dict() if self.verstat else None,
        }


def screen_call(
    from_: str | None,
    to: str | None = None,
    identity: str | None = None,
    verstat: str | None = None,
    *,
    now: float | None = None,
    verifier: StirVerifier | None = None,
    policy: Mapping[str, str] | None = None,
    organisations: OrganisationIndex | None = None,
) -> ScreeningDecision:
    """Decide what to do with an incoming call from ``from_`` to ``to``. Never raises on bad input:
    a malformed number or token is itself a reason. ``organisations``: whose numbers are inbound-only
    (default: ``organisation_index()``)."""
    policy = DEFAULT_POLICY if policy is None else policy
    info = parse_number(from_)
    findings: list[Finding] = list(info_findings(info, "call", organisations))
    if info.kind == "alphanumeric":  # a network caller ID is digits; letters here were made up
        findings.append(Finding("CLI_INVALID", 0.9, note=note("CLI_INVALID", "letters", raw=info.raw[:40])))

    stir: StirResult | None = None
    if identity:
        v = verifier or default_verifier()
        stir = v.verify(identity, orig=from_, dest=to, now=time.time() if now is None else now)
        findings.extend(stir_findings(stir))
    vs = parse_verstat(verstat or (uri_param(from_, "verstat") if isinstance(from_, str) else None))
    if vs is not None and (stir is None or stir.status == "absent"):
        findings.extend(verstat_findings(vs))

    action = "allow"
    reasons: list[str] = []
    for f in findings:
        step = policy.get(f.flag, "allow")
        if step != "allow" and f.note:
            reasons.append(f.note)
        if _RANK.get(step, 0) > _RANK[action]:
            action = step
    return ScreeningDecision(action, tuple(reasons), tuple(findings), info, stir, vs)


def reported_confidence(reports: int) -> float:
    """NUMBER_REPORTED's confidence: one report is a hint, three are evidence (0.6, 0.8, then 1.0)."""
    return min(1.0, 0.4 + 0.2 * reports)


@dataclass(frozen=True, slots=True)
class CallScreening:
    """The answer for an incoming call: the caller-ID decision, made stricter by reports."""

    action: str  # "allow" | "warn" | "block"
    reasons: tuple[str, ...]  # never empty: ALLOWED when nothing counts against the call
    findings: tuple[Finding, ...]  # the caller-ID flags, then NUMBER_REPORTED when reports counted
    number: str | None  # the caller ID in E.164, when it is a number
    reputation: Mapping[str, Any] | None  # the number's record in the reports, when they were asked
    callerid: ScreeningDecision  # the caller-ID checks alone

    def to_dict(self) -> dict[str, Any]:
        """The document ``scamshield screen --json`` prints and ``POST /v1/screen`` answers."""
        return {
            "action": self.action,
            "reasons": list(self.reasons),
            "flags": [{"id": f.flag, "confidence": round(f.confidence, 4), "note": f.note} for f in self.findings],
            "number": self.number,
            "reputation": dict(self.reputation) if self.reputation is not None else None,
            "callerid": self.callerid.to_dict(),
        }


def screen(
    from_: str | None,
    to: str | None = None,
    identity: str | None = None,
    verstat: str | None = None,
    *,
    reputation: Reputation | None = None,
    **kwargs: Any,
) -> CallScreening:
    """Screen an incoming call by the one policy: ``screen_call`` (caller ID, STIR/SHAKEN, verstat;
    ``kwargs`` go to it) decides first; reports against the number (``reputation``, see ``Reputation``;
    None: no reports) can only make the answer stricter, never for a protected number. Never raises
    on bad input."""
    return with_reports(screen_call(from_, to, identity, verstat, **kwargs), reputation)


def with_reports(decision: ScreeningDecision, reputation: Reputation | None) -> CallScreening:
    """A caller-ID decision made stricter by the reports against its number (``REPORTS_POLICY``)."""
    action, reasons, findings = decision.action, list(decision.reasons), list(decision.findings)
    number = decision.number.e164
    rep = reputation(number) if (reputation is not None and number) else None
    count = int(rep.get("reports") or 0) if rep else 0
    if rep and count and count >= REPORTS_POLICY["warn"] and not rep.get("protected"):
        reasons.append(rep["summary"])
        findings.append(Finding(REPORTED, reported_confidence(count), note=rep["summary"]))
        wanted = "block" if count >= REPORTS_POLICY["block"] else "warn"
        if _RANK[wanted] > _RANK[action]:
            action = wanted
    return CallScreening(action, tuple(reasons) or (ALLOWED,), tuple(findings), number, rep, decision)


def screen_webhook(form: Mapping[str, str], **kwargs: Any) -> ScreeningDecision:
    """Screen a Twilio-style voice webhook (fields From, To, StirVerstat; a SIP deployment may add
    Identity)."""
    return screen_call(
        form.get("From"), form.get("To"), form.get("Identity"), form.get("StirVerstat"), **kwargs
    )
