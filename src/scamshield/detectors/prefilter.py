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
    sets = {_prune(s) for s in _required_sets(list(sre_parse.parse(pattern)), optional=True)}
    if not sets:
        return None
    return tuple(sorted(sets, key=lambda s: (_selectivity(s), sorted(s)), reverse=True))


def required_literals(pattern: str) -> frozenset[str] | None:
    return _required(list(sre_parse.parse(pattern)))


def _rarity(s: str) -> int:
    return sum(_COMMON.get(c, 0) for c in s)


# The 400 commonest trigrams of texts and call turns, commonest first (document frequency in the
# normalised training splits; the commonest is in 55% of texts, the last in 7%). A literal is indexed
# by its least common trigram, so few texts wake it; any choice is correct, this one is cheap.
_TEXT_TRIGRAMS = (
    'you| yo| th| to|to |ou |ing| ca|ur |ng |the|our| an|re |an |nd | co|er | re| in|and|for|at |he |'
    'or | be|hat| a |on |ve |ll |e a|is |e t|me | i | me| se|thi|tha| fo|ed | ha|ion| so|ent|can| wi|'
    ' no|all|tio| of| is|e i|ver|com|nt | do| on| pr| de| we|in |e c| it|t t|ati|se |st |it |e s|. i|'
    "con|ut |s a|te |be | i'|al |'s |of |e y|pro|en |s t|ust|d t| ma|et |his| su|ome|ber|, i| pa| wh|"
    "r a|th |ith| di|ly |n y|ave|ate|n t|wit|ess|e p|ter| li| ne|ere|e. | fr|'m |r s|ple|e o|hav|i'm|"
    'e w|s i|t a|hin|t i|ive| xx| ac|cal| pl|und|ase| wa|r c|ke |lin| te|mbe| bu|inf|are| nu|htt|e b|'
    "ttp|oun|t's|e m|ow |le | ht|r t|lea|nfo|eas|nk |rea|her|eri| mo|om |men|ce | go|t c|ell|t s|n't|"
    "'t |my |sta| ho|tp |t w| //|num|res| my|rom|umb|t m|mat|out|e n|ot |as |xx |de |one|xxx|p /|es |"
    'e d|we |sur| ou|nce|. w| he|g t| da| st|ers|tel|ck |n a|ure|any|e r|s. |rec|wha|now|d i|han|omp|'
    "eed|ill|not| ba|ank| le|do |t y|but| ju|ake| or|u t|ou'|ay |est|rma|cou|orm|unt|d y| ve|ne |don|"
    "acc|ard|e f|ss | un|y, |per|der|'re|d a| wo|act|fro| ge|car| al|app|o c|ect|jus|s o|. c|ice|if |"
    "ces|ar |ity|hel|e h| lo|on'|y t|day| ab|, t| sa| ta|t o|let|t. | if| mi|ty |end|ear|y a|ran| tr|"
    "nee|'ll| ap| at|ore|ble|ink|get|onf|r p|a s| as|fir|e, |ide|ant|l s|tim|r i|ste|ld | ch|r y|ial|"
    'ove|ser| pe|sto|cur|y s|nde|ry |o a|t h|, a|che|min|o s|son|us | cu|nfi|d w|tan|rd | ad|lik|cia|'
    'ine|abo|s s|i c|n. |irm|ted| en|n i|how|e l|kin|i d|s, |.co|o t|mor|id |y n| gi|rat| la|anc|ack|'
    'ail| up| si|eve|so |r. |cti|nte| po|oin|rif|wil|int|som|l b|bou|tin|age| vi|ge |n s|sec|it.|mer|'
    ". t|d o|ee |t, | ar|tra|on.|o r| cl|u'r|ist|ind|y. |erv|f y|edi"
).split("|")
_TRIGRAM_RANK = {t: len(_TEXT_TRIGRAMS) - i for i, t in enumerate(_TEXT_TRIGRAMS)}


def _key_trigram(lit: str, load: dict[str, int] | None = None) -> str:
    """The trigram to index ``lit`` by: the least common in texts, then the least loaded bucket."""
    load = load or {}
    return min(
        (lit[i : i + 3] for i in range(len(lit) - 2)),
        key=lambda t: (_TRIGRAM_RANK.get(t, 0), load.get(t, 0), _rarity(t)),
    )


MAX_INDEXED = 12


def _implied(cond: frozenset[str], by: frozenset[str]) -> bool:
    """Whether any text holding a string of ``by`` also holds a string of ``cond``."""
    return all(any(c in b for c in cond) for b in by)


class Prefilter:
    """Index of (key, conditions) pairs by one rare trigram of each literal of the first condition.

    A condition is a set of strings one of which must occur; an entry's conditions are a frozenset
    (one condition) or a tuple of them, the most selective first. ``candidates(text)`` returns the
    keys all of whose conditions hold in ``text``; keys without a condition always."""

    def __init__(self, entries: list[tuple[object, frozenset[str] | tuple[frozenset[str], ...] | None]]) -> None:
        self.always: list[object] = []
        self.short: list[tuple[object, str]] = []
        self.by_trigram: dict[str, list[tuple[object, tuple[str, ...]]]] = {}
        self.extra: dict[object, tuple[tuple[str, ...], ...]] = {}  # further conditions, checked last
        indexed: list[tuple[object, str]] = []
        for key, conds in entries:
            if not conds:
                self.always.append(key)
                continue
            if isinstance(conds, frozenset):
                conds = (conds,)
            # Index by the sharpest condition that is not a long list of spellings (every spelling
            # costs a lookup on every text holding its trigram); the others are checked after it.
            lits = next((c for c in conds if len(c) <= MAX_INDEXED and min(map(len, c)) >= 3), conds[0])
            extra = [c for c in conds if c is not lits and not _implied(c, lits)][:3]
            if extra:
                self.extra[key] = tuple(tuple(sorted(c, key=len)) for c in extra)
            for lit in sorted(lits, key=lambda x: (len(x), x)):
                if len(lit) < 3:
                    self.short.append((key, lit))
                else:
                    indexed.append((key, lit))
        # Short literals (few trigrams to choose from) pick first; the rest spread over light buckets.
        load: dict[str, int] = {}
        grouped: dict[str, dict[object, list[str]]] = {}
        for key, lit in sorted(indexed, key=lambda kl: len(kl[1])):
            tri = _key_trigram(lit, load)
            load[tri] = load.get(tri, 0) + 1
            grouped.setdefault(tri, {}).setdefault(key, []).append(lit)
        self.by_trigram = {
            tri: [(key, tuple(lits)) for key, lits in by_key.items()] for tri, by_key in grouped.items()
        }
        self._keys = frozenset(self.by_trigram)

    def candidates(self, text: str) -> set:
        out = set(self.always)
        for key, lit in self.short:
            if key not in out and lit in text:
                out.add(key)
        index = self.by_trigram
        # every trigram of the text (zip/map run in C: faster than slicing in a loop)
        for tri in self._keys.intersection(map("".join, zip(text, text[1:], text[2:], strict=False))):
            for key, lits in index[tri]:
                if key not in out:
                    for lit in lits:
                        if lit in text:
                            out.add(key)
                            break
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


def compile_alternatives(
    pattern: str,
) -> list[tuple[re.Pattern, tuple[frozenset[str], ...] | None]]:
    return [(re.compile(alt), literal_conditions(alt)) for alt in split_alternatives(pattern)]
