"""The generic red-flag detector: every flag in rules/flags/*.yaml that has ``patterns`` is run here.

A flag entry may carry, besides id/group/weight/description:

    patterns:   [regex, ...]        # on the normalised (lower-case, de-obfuscated) text; any match fires
    confidence: 0.7                 # base confidence of a match (default 1.0)
    context:    {words: [...], window: 60, boost: 0.3}
                                    # a supporting word nearby raises confidence (Presidio-style)
    requires:   {words: [...], window: 80}
                                    # fire only if one of these words is nearby
    unless:     {words: [...], window: 60}
                                    # a near-miss word nearby cancels the match ("birthday" gift card)
    speaker:    caller              # only count turns by this speaker (calls)

Patterns are compiled once, when the rules load; matching is linear (patterns are fuzzed in tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import rules
from ..errors import RulesError
from ..models import Finding
from ..preprocess import TextUnit
from .prefilter import Prefilter, compile_alternatives


@dataclass(frozen=True, slots=True)
class _Near:
    regex: re.Pattern
    window: int

    def near(self, norm: str, start: int, end: int) -> re.Match | None:
        lo = max(0, start - self.window)
        return self.regex.search(norm, lo, min(len(norm), end + self.window))


def _near(spec: dict | None, default_window: int) -> _Near | None:
    if not spec:
        return None
    words = spec["words"]
    alternation = "|".join(sorted((w if spec.get("regex") else re.escape(w) for w in words), key=len, reverse=True))
    return _Near(re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), int(spec.get("window", default_window)))


@dataclass(frozen=True, slots=True)
class PatternRule:
    flag: str
    regex: re.Pattern  # the whole pattern (for inspection); matching uses ``alternatives``
    alternatives: tuple[tuple[re.Pattern, frozenset[str] | None], ...]
    confidence: float
    context: _Near | None
    boost: float
    requires: _Near | None
    unless: _Near | None
    speaker: str | None
    max_hits: int = 3


def compile_rule(fdef: rules.FlagDef) -> PatternRule:
    spec = fdef.spec
    try:
        regex = re.compile("|".join(f"(?:{p})" for p in spec["patterns"]))
        alternatives = tuple(alt for p in spec["patterns"] for alt in compile_alternatives(p))
    except re.error as exc:
        raise RulesError(f"{fdef.source_file}: flag {fdef.id} has a bad pattern: {exc}") from exc
    ctx = spec.get("context")
    return PatternRule(
        flag=fdef.id,
        regex=regex,
        alternatives=alternatives,
        confidence=float(spec.get("confidence", 1.0)),
        context=_near(ctx, 60),
        boost=float((ctx or {}).get("boost", 0.3)),
        requires=_near(spec.get("requires"), 80),
        unless=_near(spec.get("unless"), 60),
        speaker=spec.get("speaker"),
    )


class PatternDetector:
    name = "patterns"

    def __init__(self, rule_list: list[PatternRule]) -> None:
        self.rules = rule_list
        self.prefilter = Prefilter(
            [((ri, ai), lits) for ri, r in enumerate(rule_list) for ai, (_, lits) in enumerate(r.alternatives)]
        )

    @classmethod
    def from_rules(cls) -> PatternDetector:
        return cls([compile_rule(d) for d in rules.flag_defs().values() if "patterns" in d.spec])

    def analyze(self, unit: TextUnit) -> list[Finding]:
        norm = unit.norm
        cands = self.prefilter.candidates(norm)
        if not cands:
            return []
        by_rule: dict[int, list[int]] = {}
        for ri, ai in cands:
            alts = by_rule.get(ri)
            if alts is None:
                by_rule[ri] = [ai]
            else:
                alts.append(ai)
        out: list[Finding] = []
        for ri in sorted(by_rule) if len(by_rule) > 1 else by_rule:
            rule = self.rules[ri]
            if rule.speaker and unit.speaker and unit.speaker != rule.speaker:
                continue
            alts = by_rule[ri]
            if len(alts) == 1:
                # One regex: finditer already yields leftmost, non-overlapping matches in order.
                matches = (m.span() for m in rule.alternatives[alts[0]][0].finditer(norm))
            else:
                matches = sorted(  # leftmost first; at the same start the longest, most telling, match
                    (m.span() for ai in alts for m in rule.alternatives[ai][0].finditer(norm)),
                    key=lambda se: (se[0], -se[1]),
                )
            best = 0.0
            spans = []
            last_end = -1
            unless, requires, context = rule.unless, rule.requires, rule.context
            for s, e in matches:
                if e == s or s < last_end:  # empty, or overlapping a match already taken
                    continue
                if unless and unless.near(norm, s, e):
                    continue
                if requires and not requires.near(norm, s, e):
                    continue
                conf = rule.confidence
                if context and conf < 1.0 and context.near(norm, s, e):
                    conf = min(1.0, conf + rule.boost)
                if conf > best:
                    best = conf
                spans.append(unit.span(s, e))
                last_end = e
                if len(spans) >= rule.max_hits:
                    break
            if spans:
                out.append(Finding(rule.flag, best, tuple(spans)))
        return out
