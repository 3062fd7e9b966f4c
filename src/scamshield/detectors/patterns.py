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
    act:        request             # what a match must be doing in its sentence (intent.py):
                                    #   request     - asked of the reader; a mere mention does not fire,
                                    #                 a denied one ("we never ask for your PIN") becomes
                                    #                 the reassurance named in rules/intent.yaml
                                    #   claim       - an organisation the sender speaks as; a merchant or a
                                    #                 body the reader is pointed to does not fire, and
                                    #                 speaking as it ("HMRC:", "this is") is full confidence
                                    #   statement   - (default) fires unless denied ("not required to attend")
                                    #   phrase      - fires as matched: the phrase is the act itself, even
                                    #                 with a negation in it ("don't tell your bank")
    whole_words: true               # (default) a match may not start or end inside a word
    speaker:    other               # only count what this party says (calls): other | user
    needs_link: true                # fire only when the text holds a web address
    request_verbs: [read, tell]     # act request: the verbs that ask for this (default: rules/intent.yaml)

Patterns are compiled once, when the rules load; matching is linear (patterns are fuzzed in tests). Each
pattern is split into its top-level alternatives; one scan (``multimatch.py``: Hyperscan via pyperscan, else
each regex searched) says which alternatives may match a text, and only those run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import contractions, intent, rules
from ..errors import RulesError
from ..mentions import links_in
from ..models import Finding, Span
from ..preprocess import TextUnit, spelt_as_normalised
from .multimatch import MultiMatcher
from .wordmatch import is_word_char, unspaced, whole_word_matches

ACTS = ("request", "claim", "statement", "phrase")
MAX_TRIED = 64  # matches of one flag weighed per text unit
_DENIED = -1.0  # _confidence's answer for a match denied by a negation, a warning or a story (not counted)


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
    words = sorted(dict.fromkeys(spelt_as_normalised(w) for w in spec["words"]), key=len, reverse=True)
    window = int(spec.get("window", default_window))
    if spec.get("regex"):
        return _Near(re.compile(rf"(?<!\w)(?:{'|'.join(map(contractions.in_regex, words))})(?!\w)"), window)
    # whole words, but a word that starts or ends with a symbol ("£") is bounded only on its letters' side:
    # "£" must match in "£50". (The plain words share one bounded group: bounding each alternative
    # separately makes a miss ~30x slower.)
    def word_char(c: str) -> bool:  # (a Chinese word is bounded by nothing: its neighbours are characters too)
        return is_word_char(c) and not unspaced(c)

    plain = [contractions.in_word(re.escape(w)) for w in words if word_char(w[:1]) and word_char(w[-1:])]
    odd = [("(?<!\\w)" if word_char(w[:1]) else "") + contractions.in_word(re.escape(w)) + ("(?!\\w)" if word_char(w[-1:]) else "")
           for w in words if not (word_char(w[:1]) and word_char(w[-1:]))]
    parts = ([f"(?<!\\w)(?:{'|'.join(plain)})(?!\\w)"] if plain else []) + odd
    return _Near(re.compile("|".join(parts)), window)


@dataclass(frozen=True, slots=True)
class PatternRule:
    flag: str
    regex: re.Pattern  # the whole pattern (for inspection); matching uses ``alternatives``
    alternatives: tuple[tuple[re.Pattern, str], ...]  # each top-level alternative with its act
    confidence: float
    context: _Near | None
    boost: float
    requires: _Near | None
    unless: _Near | None
    speaker: str | None
    whole_words: bool = True
    request_verbs: tuple[str, ...] | None = None  # the flag's own request verbs (intent.request)
    needs_link: bool = False  # fires only when the text holds a web address
    max_hits: int = 3


def pattern_entries(spec: dict, act: str = "statement") -> list[tuple[str, str]]:
    """A flag's patterns as (regex, act): a pattern is a regex, or {pattern: regex, act: ...} when it is a
    different act from the flag's own (a wa.me/ link is itself the invitation to move to a chat app)."""
    return [(p, act) if isinstance(p, str) else (p["pattern"], p.get("act", act)) for p in spec.get("patterns", ())]


def split_alternatives(pattern: str) -> list[str]:
    """Split a regex at its top-level ``|`` (outside groups, classes and escapes)."""
    parts, depth, in_class, start, i = [], 0, False, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]" or pattern[i + 1 : i + 3] == "^]":
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def compile_rule(fdef: rules.FlagDef) -> PatternRule:
    spec = fdef.spec
    act = spec.get("act", "statement")
    if act not in ACTS:
        raise RulesError(f"{fdef.source_file}: flag {fdef.id} has act {act!r}; use one of {', '.join(ACTS)}")
    whole_words = bool(spec.get("whole_words", True))
    patterns = [(contractions.in_regex(spelt_as_normalised(p)), pact) for p, pact in pattern_entries(spec, act)]
    for _, pact in patterns:
        if pact not in ACTS:
            raise RulesError(f"{fdef.source_file}: flag {fdef.id} has act {pact!r}; use one of {', '.join(ACTS)}")
    try:
        regex = re.compile("|".join(f"(?:{p})" for p, _ in patterns))
        alternatives = tuple((re.compile(alt), pact) for p, pact in patterns for alt in split_alternatives(p))
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
        whole_words=whole_words,
        request_verbs=tuple(spec["request_verbs"]) if spec.get("request_verbs") else None,
        needs_link=bool(spec.get("needs_link", False)),
    )


def _all_matches(regex: re.Pattern, text: str):
    return (m.span() for m in regex.finditer(text))


def _word_bounds(norm: str, s: int, e: int) -> tuple[int, int]:
    while s > 0 and norm[s - 1].isalnum():
        s -= 1
    while e < len(norm) and norm[e].isalnum():
        e += 1
    return s, e


def _token_end(norm: str, e: int) -> int:
    while e < len(norm) and not norm[e].isspace():
        e += 1
    return e


class PatternDetector:
    name = "patterns"

    def __init__(self, rule_list: list[PatternRule], *, engine: str = "auto", build: str = "auto") -> None:
        """``engine`` and ``build``: how the candidate alternatives are found (``MultiMatcher.open``)."""
        self.rules = rule_list
        self._keys = [(ri, ai) for ri, r in enumerate(rule_list) for ai in range(len(r.alternatives))]
        self.matcher = MultiMatcher.open([rx for r in rule_list for rx, _ in r.alternatives], engine=engine,
                                         build=build)

    @classmethod
    def from_rules(cls, *, engine: str = "auto", build: str = "auto") -> PatternDetector:
        return cls([compile_rule(d) for d in rules.flag_defs().values() if "patterns" in d.spec],
                   engine=engine, build=build)

    def analyze(self, unit: TextUnit) -> list[Finding]:
        norm = unit.norm
        cands = self.matcher.candidates(norm)
        if not cands:
            return []
        by_rule: dict[int, list[int]] = {}  # rule -> its candidate alternatives, both ascending
        keys = self._keys
        for i in cands:
            ri, ai = keys[i]
            alts = by_rule.get(ri)
            if alts is None:
                by_rule[ri] = [ai]
            else:
                alts.append(ai)
        out: list[Finding] = []
        denied: list[Span] = []
        for ri, alts in by_rule.items():
            rule = self.rules[ri]
            if rule.speaker and unit.role and unit.role != rule.speaker:
                continue
            if rule.needs_link and not links_in(unit):
                continue
            find = whole_word_matches if rule.whole_words else _all_matches
            if len(alts) == 1:
                # One regex: its matches come leftmost first, not overlapping, in order.
                ai = alts[0]
                matches = ((s, e, ai) for s, e in find(rule.alternatives[ai][0], norm))
            else:
                matches = sorted(  # leftmost first; at the same start the longest, most telling, match
                    ((s, e, ai) for ai in alts for s, e in find(rule.alternatives[ai][0], norm)),
                    key=lambda se: (se[0], -se[1]),
                )
            best = 0.0
            spans = []
            last_end = -1
            denied_end, denied_act = -1, None  # a match denied (or a story) denies the shorter ones of its act inside it
            for tried, (s, e, ai) in enumerate(matches):
                if tried >= MAX_TRIED:  # a text repeating one phrase thousands of times: enough seen
                    break
                act = rule.alternatives[ai][1]
                if e == s or s < last_end or (e <= denied_end and act == denied_act):  # empty, overlapping, denied within
                    continue
                conf = self._confidence(rule, act, unit, s, e, denied)
                if conf == _DENIED:
                    denied_end, denied_act = e, act
                    continue
                if conf is None:
                    continue
                if not rule.whole_words:  # matched inside run-together words: show the whole words
                    s, e = _word_bounds(norm, s, e)
                elif e < len(norm) and not norm[e].isspace() and intent.in_link(norm, e - 1, e):
                    e = _token_end(norm, e)  # a match that stops inside a web address shows all of it
                span = unit.evidence(s, e)
                if span is None:
                    continue
                best = max(best, conf)
                spans.append(span)
                last_end = e
                if len(spans) >= rule.max_hits:
                    break
            if spans:
                out.append(Finding(rule.flag, best, tuple(spans)))
        if denied:
            out.append(Finding(intent.cues().negated_request_flag, 1.0, tuple(denied[:3])))
        return out

    @staticmethod
    def _confidence(rule: PatternRule, act: str, unit: TextUnit, s: int, e: int, denied: list[Span]) -> float | None:
        """The confidence of one match, or None when it does not count: a near-miss word, a missing
        required word, or (intent.py) a denied statement, a request never made, or an organisation that
        is only a merchant or a contact; ``_DENIED`` when a negation, a warning or a story denies it. A denied
        request is added to ``denied``."""
        norm = unit.norm
        if act != "phrase" and intent.in_link(norm, s, s + 1):
            return None  # words inside a web address ("energy-rebate-gov.co.uk") are the link detector's
        if rule.unless and rule.unless.near(norm, s, e):
            return None
        if rule.requires and not rule.requires.near(norm, s, e) and not (
                unit.before and rule.requires.regex.search(unit.before)):
            return None  # (on a call the words may have come in the turns just before)
        if act == "phrase" and intent.warned_of(unit, s, e):
            return None  # "if anyone has told you to keep this secret, stop": the warning's words
        conf = rule.confidence
        if act == "claim":
            role = intent.organisation_role(norm, s, e)
            if role in (intent.MERCHANT, intent.REFERRAL):
                return None
            if role == intent.SPEAKER:
                return 1.0
        elif act != "phrase":
            neg = intent.negation(unit, s, e, of_request=act == "request")
            if neg is not None:
                # the user refusing, or a story of what someone else asked, is not a reassurance
                if act == "request" and unit.role != "user" and not intent.cues().reported.match(norm, neg[0]):
                    span = unit.evidence(*neg)
                    if span is not None and span not in denied:
                        denied.append(span)
                return _DENIED
            if act == "request":
                if intent.request(unit, s, e, rule.request_verbs) is None:
                    return None
                return min(1.0, conf + rule.boost) if rule.context else conf  # the request is the context
        if rule.context and conf < 1.0 and rule.context.near(norm, s, e):
            conf = min(1.0, conf + rule.boost)
        return conf


def main() -> int:
    """Say which engine finds the shipped red-flag rules' candidates here, and how long its database takes
    to compile (nothing is kept: each process that scans many texts compiles its own, ``multimatch.py``)."""
    import time

    if not MultiMatcher.available():
        print("pyperscan is not installed: the pattern detector searches each regex with re "
              "(pip install 'scamshield[scale]' for the one-scan candidate finder)")
        return 0
    t = time.perf_counter()
    matcher = PatternDetector.from_rules(engine="hyperscan", build="now").matcher
    print(f"red-flag patterns: Hyperscan (pyperscan) database of {len(matcher.regexes)} regexes compiled in "
          f"{time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
