"""DISCOUNT_TOO_GOOD_TO_BE_TRUE: a product at four-fifths or more off, from a shop the text links to.

Why code: the cut is a ratio of two prices ("RRP £150 now £19.99", "was £399, only £59") or a percentage
("85% off"), which a regex can find but not weigh. The share of the old price still charged that counts as
too good is data (the flag's ``max_price_share`` in rules/flags/red_flags.yaml). "Up to 80% off" is a
shop's sale banner, not one item's price, and does not count; a link on the brand's own website cancels
the flag (rules/scores.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .. import rules
from ..mentions import links_in
from ..models import Finding
from ..preprocess import TextUnit

FLAG = "DISCOUNT_TOO_GOOD_TO_BE_TRUE"
_PRICE = r"£\s?(\d{1,5}(?:,\d{3})*(?:\.\d{1,2})?)"
# An old price, then within a few words the price now: "rrp £150 now £19.99", "was £399, only £59"
_WAS_NOW = re.compile(
    r"\b(?:rrp|was|were|worth|usually|normally|retails? (?:at|for)|originally|regular price|high street price)\b:?\s*"
    + _PRICE + r"[^.!?\n£]{0,25}?\b(?:now|only|just|today|for|yours for)\b:?\s*" + _PRICE)
# ... or the price now first: "now just £24.99 (RRP £160)"
_NOW_WAS = re.compile(
    r"\b(?:now|only|just)\b:?\s*(?:just |only )?" + _PRICE + r"[^.!?\n£]{0,12}?\b(?:rrp|was|were|worth|usually|normally)\b:?\s*" + _PRICE
    + r"(?:(?<=\d)\))?")  # the bracket that opened before "RRP", so the evidence reads whole
# A percentage off: "85% off", "90 % off" (not "up to 80% off")
_PERCENT_OFF = re.compile(r"(?<!up to )(?<!upto )\b(\d{2})\s?% off\b")


def _amount(text: str) -> float:
    return float(text.replace(",", ""))


class PriceDetector:
    name = "prices"

    def __init__(self, max_price_share: float) -> None:
        self.max_price_share = max_price_share

    @classmethod
    def from_rules(cls) -> PriceDetector:
        return cls(float(rules.flag_defs()[FLAG].spec["max_price_share"]))

    def analyze(self, unit: TextUnit) -> Iterable[Finding]:
        norm = unit.norm
        if "%" not in norm and "£" not in norm:
            return ()
        for m in (*_WAS_NOW.finditer(norm), *_NOW_WAS.finditer(norm)):
            was, now = _amount(m.group(1)), _amount(m.group(2))
            if m.re is _NOW_WAS:
                was, now = now, was
            if was >= 20 and 0 < now <= was * self.max_price_share and links_in(unit):
                return (Finding(FLAG, 1.0, (unit.span(*m.span()),), f"{100 - round(100 * now / was)}% off"),)
        for m in _PERCENT_OFF.finditer(norm):
            if int(m.group(1)) >= 100 * (1 - self.max_price_share) and links_in(unit):
                return (Finding(FLAG, 1.0, (unit.span(*m.span()),), f"{m.group(1)}% off"),)
        return ()
