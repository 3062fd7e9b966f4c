"""Skip regexes that cannot match: a literal every match must contain is looked up first.

Python's ``re`` tries each alternative at each position, so 40 flags x 150 characters adds up. Each
pattern is split into its top-level alternatives; for each we derive the literal strings one of
which any match must contain (from the parsed regex, so it can never be wrong). One scan of
a message finds which literals occur and so which alternatives are worth running; the rest are
skipped without being tried.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

try:  # Python 3.11+
    import re._parser as sre_parse
    from re._constants import (
        BRANCH,
        IN,
        LITERAL,
        MAX_REPEAT,
        MAXREPEAT,
        MIN_REPEAT,
        RANGE,
        SUBPATTERN,
    )
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse  # type: ignore[no-redef]
    from sre_constants import (  # type: ignore[no-redef]
        BRANCH,
        IN,
        LITERAL,
        MAX_REPEAT,
        MAXREPEAT,
        MIN_REPEAT,
        RANGE,
        SUBPATTERN,
    )


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


def _words(op, av, optional: bool = False) -> list[str] | None:
    """The strings an element matches, when it is only literals ("a", "(?:order|action)"); with
    ``optional``, also short repeats of literals ("(?: now)?", "\\.?")."""
    if op == LITERAL:
        return [chr(av)]
    if op == BRANCH:
        out: list[str] = []
        for alt in av[1]:
            w = _seq_words(alt, optional)
            if w is None:
                return None
            out.extend(w)
        return out
    if op == SUBPATTERN:
        return _seq_words(av[-1], optional)
    if optional and op in (MAX_REPEAT, MIN_REPEAT) and av[1] <= 2:
        lo, hi, sub = av
        w = _seq_words(sub, optional)
        if w is None:
            return None
        out, power = [], [""]
        for k in range(hi + 1):
            if k >= lo:
                out.extend(power)
            if k < hi:
                power = [x + y for x in power for y in w]
                if len(power) > 64:
                    return None
        return out
    return None


def _seq_words(items, optional: bool = False) -> list[str] | None:
    words = [""]
    for op, av in items:
        w = _words(op, av, optional)
        if w is None or len(words) * len(w) > 64:
            return None
        words = [x + y for x in words for y in w]
    return words


def _required_sets(items, optional: bool = False) -> list[frozenset[str]]:
    """Sets of strings such that every match contains at least one string of each set."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []  # the strings the literal elements seen so far can spell (a product)

    def flush() -> None:
        if run and all(run):
            candidates.append(frozenset(run))
        run.clear()

    for op, av in items:
        words = _words(op, av, optional)
        if words is not None and len(run or [""]) * len(words) <= 64:
            run[:] = [x + w for x in (run or [""]) for w in words]
            continue
        flush()
        if optional and words is not None:  # too many spellings to join the run: start a new one
            run[:] = words
            continue
        if op == SUBPATTERN:
            sub = _required_sets(av[-1], optional)
            candidates.extend(sub if optional else [s for s in [_best(sub)] if s])
        elif op == BRANCH:
            alts = [_best(_required_sets(a, optional)) for a in av[1]]
            if all(alts):
                candidates.append(frozenset().union(*alts))
        elif op in (MAX_REPEAT, MIN_REPEAT):
            lo, _hi, sub = av
            if lo >= 1:
                found = _required_sets(sub, optional)
                candidates.extend(found if optional else [s for s in [_best(found)] if s])
    flush()
    return candidates


def _selectivity(s: frozenset[str]) -> tuple:
    # The longest shortest literal is the most selective; among equals, the rarest characters.
    return (min(len(x) for x in s), -len(s), -min(_rarity(x) for x in s))


def _best(sets: list[frozenset[str]]) -> frozenset[str] | None:
    return max(sets, key=_selectivity) if sets else None


def _required(items) -> frozenset[str] | None:
    """Strings of which every match contains at least one; None if no such literal can be derived."""
    return _best(_required_sets(items))


def _prune(s: frozenset[str]) -> frozenset[str]:
    """Drop strings that contain another string of the set: finding the shorter one is enough."""
    return frozenset(x for x in s if not any(y != x and y in x for y in s))


def literal_conditions(pattern: str) -> tuple[frozenset[str], ...] | None:
    """Every condition (a set of strings, one of which occurs in any match) derivable from
    ``pattern``, most selective first; None when there is none. Optional literal pieces are
    spelled out ("d\\.?o\\.?b" needs one of "dob", "d.ob", "do.b", "d.o.b"), which is sharper than
    ``required_literals``."""
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & re.IGNORECASE or "(?i" in pattern:  # literals would need every casing
        return None
    sets = {_prune(s) for s in _required_sets(list(parsed), optional=True)}
    if not sets:
        return None
    return tuple(sorted(sets, key=lambda s: (_selectivity(s), sorted(s)), reverse=True))


def required_literals(pattern: str) -> frozenset[str] | None:
    return _required(list(sre_parse.parse(pattern)))


def _rarity(s: str) -> int:
    return sum(_COMMON.get(c, 0) for c in s)


def _implied(cond: frozenset[str], by: frozenset[str]) -> bool:
    """Whether any text holding a string of ``by`` also holds a string of ``cond``."""
    return all(any(c in b for c in cond) for b in by)


def trie_regex(words: set[str]) -> str:
    """A regex matching, at a position, the longest of ``words`` that starts there (a trie: branches
    by first character, a word's end as the last, empty, branch so longer words are tried first)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        return "(?:" + "|".join(alts) + ("|" if "" in node else "") + ")"

    return build(trie)


class Prefilter:
    """Which keys' literal conditions hold in a text, found in one pass.

    A condition is a set of strings one of which must occur; an entry's conditions are a frozenset
    (one condition) or a tuple of them, the most selective first. ``candidates(text)`` returns the
    keys all of whose conditions hold in ``text``; keys without a condition always.

    The first condition of every key goes into one trie-shaped regex run (in C) at every position of
    the text, which yields the longest literal starting there. Every literal occurring at a position
    is a prefix of that longest one, so ``_woken[longest]`` (the keys of all its prefixes) is exact.
    Further conditions are checked only for keys the first one let through.
    """

    def __init__(self, entries: list[tuple[object, frozenset[str] | tuple[frozenset[str], ...] | None]]) -> None:
        self.always: list[object] = []
        self.extra: dict[object, tuple[tuple[str, ...], ...]] = {}  # further conditions, checked last
        keys_of: dict[str, list[object]] = {}
        for key, conds in entries:
            if not conds:
                self.always.append(key)
                continue
            if isinstance(conds, frozenset):
                conds = (conds,)
            first = conds[0]
            extra = [c for c in conds[1:] if not _implied(c, first)][:3]
            if extra:
                self.extra[key] = tuple(tuple(sorted(c, key=len)) for c in extra)
            for lit in first:
                keys_of.setdefault(lit, []).append(key)
        self._woken: dict[str, tuple[object, ...]] = {
            lit: tuple(dict.fromkeys(k for i in range(1, len(lit) + 1) for k in keys_of.get(lit[:i], ())))
            for lit in keys_of
        }
        body = trie_regex(set(keys_of)) or r"(?!x)x"
        self._scan = re.compile(f"(?=({body}))", re.DOTALL)

    def candidates(self, text: str) -> set:
        out = set(self.always)
        woken = self._woken
        for lit in set(self._scan.findall(text)):
            out.update(woken[lit])
        extra = self.extra
        if extra:
            for key in [k for k in out if k in extra]:
                for cond in extra[key]:
                    for lit in cond:
                        if lit in text:
                            break
                    else:
                        out.discard(key)
                        break
        return out


def _prefix_chars(items) -> set[int] | None:
    """The characters a run of parsed items can match, when they are only literals, ranges and
    repeats or groups of them; else None."""
    out: set[int] = set()
    for op, av in items:
        if op == LITERAL:
            out.add(av)
        elif op == IN:
            for kind, val in av:
                if kind == LITERAL:
                    out.add(val)
                elif kind == RANGE and val[1] - val[0] < 256:
                    out.update(range(val[0], val[1] + 1))
                else:
                    return None
        elif op in (MAX_REPEAT, MIN_REPEAT):
            sub = _prefix_chars(av[2])
            if sub is None:
                return None
            out |= sub
        elif op == SUBPATTERN:
            sub = _prefix_chars(av[-1])
            if sub is None:
                return None
            out |= sub
        else:
            return None
    return out


def guarded(regex: re.Pattern) -> re.Pattern:
    """``regex`` with a look-ahead it already implies, so most start positions fail at once.

    For a regex that opens with a bounded run of characters from a set C and then a literal whose
    first character is not in C ("(?:[a-z0-9]{1,20} ){0,2}[a-z0-9]{1,20} ?:"), every match starts with
    C{m,n} then that literal, and since the literal ends the C-run, a possessive C{m,n}+ finds it
    without backtracking. Prefixing ``(?=C{m,n}+literal)`` therefore changes no match and no span; it
    only lets each start position fail after one scan of its run instead of a backtracking search.
    Other regexes are returned as they are.
    """
    pattern = regex.pattern
    if regex.flags & ~re.UNICODE or "(?" in pattern.replace("(?:", ""):
        return regex
    parsed = sre_parse.parse(pattern)
    items = list(parsed)
    lead = 0
    while lead < len(items) and items[lead][0] != LITERAL:
        lead += 1
    if lead == 0 or lead == len(items):
        return regex
    end = lead
    while end < len(items) and items[end][0] == LITERAL:
        end += 1
    chars = _prefix_chars(items[:lead])
    literal = "".join(chr(av) for _, av in items[lead:end])
    lo, hi = sre_parse.SubPattern(parsed.state, items[:lead]).getwidth()
    if not chars or ord(literal[0]) in chars or hi >= MAXREPEAT or hi > 200:
        return regex
    cls = "".join(re.escape(chr(c)) for c in sorted(chars))
    return re.compile(f"(?=[{cls}]{{{lo},{hi}}}+{re.escape(literal)})(?:{pattern})")


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def whole_word_matches(regex: re.Pattern, text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of ``regex``'s matches in ``text`` that neither start nor end inside a word. A match
    that would cut a word is skipped and the search goes on from its next character; one followed by a
    plural ending is taken with it ("code" matches "codes", never "codec"). Filtering after the match,
    not with look-arounds in the pattern, keeps re's fast scan for a pattern's leading literal."""
    pos, n = 0, len(text)
    while pos <= n:
        m = regex.search(text, pos)
        if m is None:
            return
        s, e = m.span()
        if s > 0 and e > s and _word(text[s - 1]) and _word(text[s]):
            pos = s + 1
            continue
        if 0 < e < n and _word(text[e - 1]) and _word(text[e]):
            for tail in ("s", "es"):
                if text.startswith(tail, e) and (e + len(tail) == n or not _word(text[e + len(tail)])):
                    e += len(tail)
                    break
            else:
                pos = s + 1
                continue
        yield s, e
        pos = e if e > s else e + 1


def compile_alternatives(pattern: str) -> list[tuple[re.Pattern, tuple[frozenset[str], ...] | None]]:
    return [(guarded(re.compile(alt)), literal_conditions(alt)) for alt in split_alternatives(pattern)]
