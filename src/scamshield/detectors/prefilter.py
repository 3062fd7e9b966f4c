"""Skip regexes that cannot match: a literal every match must contain is looked up first.

Python's ``re`` tries each alternative at each position, so 40 flags x 150 characters adds up. Each
pattern is split into its top-level alternatives; for each we derive the literal strings one of
which any match must contain (from the parsed regex, so it can never be wrong). A message's
trigrams select the alternatives worth running; the rest are skipped without being tried.
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    import re._parser as sre_parse
    from re._constants import BRANCH, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse  # type: ignore[no-redef]
    from sre_constants import BRANCH, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN  # type: ignore[no-redef]


# Rough commonness of characters in English text: rarer characters make more selective literals.
_COMMON = {c: i for i, c in enumerate(reversed(" etaoinshrdlucmfwypvbgkjqxz"))}


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


def _words(op, av) -> list[str] | None:
    """The strings an element matches, when it is only literals ("a", "(?:order|action)")."""
    if op == LITERAL:
        return [chr(av)]
    if op == BRANCH:
        out: list[str] = []
        for alt in av[1]:
            w = _seq_words(alt)
            if w is None:
                return None
            out.extend(w)
        return out
    if op == SUBPATTERN:
        return _seq_words(av[-1])
    return None


def _seq_words(items) -> list[str] | None:
    words = [""]
    for op, av in items:
        w = _words(op, av)
        if w is None or len(words) * len(w) > 64:
            return None
        words = [x + y for x in words for y in w]
    return words


def _required(items) -> frozenset[str] | None:
    """Strings of which every match contains at least one; None if no such literal can be derived."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []  # the strings the literal elements seen so far can spell (a product)

    def flush() -> None:
        if run and all(run):
            candidates.append(frozenset(run))
        run.clear()

    for op, av in items:
        words = _words(op, av)
        if words is not None and len(run or [""]) * len(words) <= 64:
            run[:] = [x + w for x in (run or [""]) for w in words]
            continue
        flush()
        if op == SUBPATTERN:
            r = _required(av[-1])
            if r:
                candidates.append(r)
        elif op == BRANCH:
            alts = [_required(a) for a in av[1]]
            if all(alts):
                candidates.append(frozenset().union(*alts))
        elif op in (MAX_REPEAT, MIN_REPEAT):
            lo, _hi, sub = av
            if lo >= 1:
                r = _required(sub)
                if r:
                    candidates.append(r)
    flush()
    if not candidates:
        return None
    # The longest shortest literal is the most selective; among equals, the rarest characters.
    return max(candidates, key=lambda s: (min(len(x) for x in s), -len(s), -min(_rarity(x) for x in s)))


def required_literals(pattern: str) -> frozenset[str] | None:
    return _required(list(sre_parse.parse(pattern)))


def _rarity(s: str) -> int:
    return sum(_COMMON.get(c, 0) for c in s)


# The commonest trigrams of English (and of texts): never index by these when there is a choice.
_FREQUENT_TRIGRAMS = frozenset(
    "the and ing ion tio ent ati for her ter hat tha ere ate his con res ver all ons nce men ith ted "
    "ers pro thi wit are ess not ive was ect rea com eve per int est sta cti ica ist ear ain one our "
    "iti rat you ill day now ome can out ave get have".split()
)


def _key_trigram(lit: str) -> str:
    return min(
        (lit[i : i + 3] for i in range(len(lit) - 2)),
        key=lambda t: (t in _FREQUENT_TRIGRAMS or " " in t, _rarity(t)),
    )


class Prefilter:
    """Index of (key, literals) pairs by one rare trigram of each literal. ``candidates(text)``
    returns the keys one of whose literals occurs in ``text``; keys without a literal always."""

    def __init__(self, entries: list[tuple[object, frozenset[str] | None]]) -> None:
        self.always: list[object] = []
        self.short: list[tuple[object, str]] = []
        self.by_trigram: dict[str, list[tuple[object, str]]] = {}
        for key, lits in entries:
            if not lits:
                self.always.append(key)
                continue
            for lit in lits:
                if len(lit) < 3:
                    self.short.append((key, lit))
                else:
                    self.by_trigram.setdefault(_key_trigram(lit), []).append((key, lit))

    def candidates(self, text: str) -> set:
        out = set(self.always)
        for key, lit in self.short:
            if key not in out and lit in text:
                out.add(key)
        index = self.by_trigram
        for tri in {text[i : i + 3] for i in range(len(text) - 2)} & index.keys():
            for key, lit in index[tri]:
                if key not in out and lit in text:
                    out.add(key)
        return out


def compile_alternatives(pattern: str) -> list[tuple[re.Pattern, frozenset[str] | None]]:
    return [(re.compile(alt), required_literals(alt)) for alt in split_alternatives(pattern)]
