"""Contractions written without their apostrophe, as speech recognisers and quick texters write them
("dont hang up", "if this wasnt you", "youre fine"): every rule written with one also matches without it.

The rules spell a contraction's apostrophe as any character ("don.t" in a regex, "don't" in a word list);
this makes that character optional where the spelling without it is no other word. The text itself is left
as written, so the learned model reads exactly what it was trained on. Not "we.re" (were), "we.ll" (well),
"i.ll" (ill), "it.s" (its), "let.s" (lets), "i.d" (id), "we.d" (wed), "he.ll" (hell), "she.ll" (shell)."""

from __future__ import annotations

import re

_STEMS = r"(?:do|did|does|is|was|were|are|ca|could|would|should|have|has|had|wo|must|need)n(?={a}t\b)" \
         r"|(?:you|they)(?={a}(?:re|ve|ll)\b)|(?:that|there|what|he|she)(?={a}s\b)|i(?={a}(?:m|ve)\b)"
# in a regex source the apostrophe is written "." ("don.t"); in a list of plain words, as itself
_IN_REGEX = re.compile(r"(?:(?<![\w\\])|(?<=\\b))(?:" + _STEMS.format(a=r"\.") + r")\.(?!\?)")
_IN_WORDS = re.compile(r"(?<!\w)(?:" + _STEMS.format(a="'") + r")'")


def in_regex(pattern: str) -> str:
    """``pattern`` with each contraction's "." made optional: "don.t" -> "don.?t" (not inside a look-behind,
    which must keep a fixed width)."""
    if _IN_REGEX.search(pattern) is None:
        return pattern
    fixed = _lookbehinds(pattern)
    return _IN_REGEX.sub(lambda m: m.group(0) if any(a <= m.start() < b for a, b in fixed) else m.group(0) + "?",
                         pattern)


def _lookbehinds(pattern: str) -> list[tuple[int, int]]:
    """The [start, end) ranges of the look-behind groups in a regex source."""
    found, stack, i, in_class = [], [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            stack.append((i, pattern.startswith(("(?<=", "(?<!"), i)))
        elif c == ")" and stack:
            start, behind = stack.pop()
            if behind:
                found.append((start, i + 1))
        i += 1
    return found


def in_word(escaped: str) -> str:
    """A ``re.escape``d word with each contraction's apostrophe made optional: "don't" -> "don'?t"."""
    return _IN_WORDS.sub(lambda m: m.group(0) + "?", escaped)
