"""Regexes rewritten for Hyperscan (``widen``): each matches at least every text Python's ``re`` matches
with the original, reads no Unicode table, is written in ASCII, and compiles fast (all of the red-flag
rules' ~830 regexes in ~2 s, against ~75 s as written).

``multimatch.py`` compiles the widened regexes (with pyperscan, a binding of Vectorscan, the portable
Hyperscan fork) in prefilter mode to find which of the pattern
detector's regexes may match a text; Python's ``re`` then confirms. A widened regex only has to let through
every text the original matches, so anything Hyperscan might read otherwise than Python is made wider.
The pattern is read as text (escapes and character classes skipped over), never parsed with ``re``'s
private internals.
"""

from __future__ import annotations

import re

_BOUNDED = re.compile(r"\{(\d*),(\d+)\}")
INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]+[:)]")
_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")
_NON_ASCII = r"\x{80}-\x{10ffff}"
_ANY = r"[\x00-\x{10ffff}]"
# Python's class shorthands, read without Unicode tables: (within a class, within a negated class), the
# first a superset (the ASCII members and every non-ASCII character), the second a subset (the ASCII
# members), so that a negated class only grows; None: no such set (the class becomes any character).
_SHORTHANDS = {
    "d": ("0-9" + _NON_ASCII, "0-9"),
    "w": ("0-9A-Za-z_" + _NON_ASCII, "0-9A-Za-z_"),
    "s": (r"\t-\r\x1c-\x20" + _NON_ASCII, r"\t-\r\x1c-\x20"),
    "D": (None, None),
    "W": (None, None),
    "S": (None, None),
}
_OUTSIDE = {"d": "[0-9" + _NON_ASCII + "]", "w": "[0-9A-Za-z_" + _NON_ASCII + "]",
            "s": r"[\t-\r\x1c-\x20" + _NON_ASCII + "]", "D": "[^0-9]", "W": "[^0-9A-Za-z_]", "S": r"[^\t-\r\x1c-\x20]"}


class _Unportable(Exception):
    """A construct Hyperscan might read differently from Python."""


def widen(pattern: str) -> str:
    """``pattern`` rewritten for Hyperscan so that it matches at least every text Python's ``re`` matches
    with it, whatever Unicode version either knows, and compiles fast:

    * ``\\d``, ``\\w``, ``\\s`` become their ASCII members plus every non-ASCII character; ``\\D``,
      ``\\W``, ``\\S`` everything but the ASCII non-members (within a negated class, the other way
      round); so no Unicode table is consulted (Hyperscan's are older than Python's: it calls U+180E a
      space and knows no Hanifi Rohingya digits), and a repeated Unicode ``\\w`` no longer makes an
      automaton that takes 20 s to compile;
    * look-arounds (``(?=...)``, ``(?<!...)``...) and ``\\B`` are dropped: only more text matches; so is
      ``\\b``, unless it stands beside a literal ASCII word character ("\\bbt\\b"): there Hyperscan's ASCII
      word boundary is one wherever Python's Unicode one is (the other side is then not even an ASCII
      word character);
    * a bounded repeat ``{m,n}`` becomes ``{m,}`` (and Python's ``{,n}``, which Hyperscan would read as
      text, ``{0,}``);
    * a non-ASCII character is written as an escape (``£`` -> ``\\x{a3}``): pyperscan refuses any
      non-ASCII byte in a UTF-8 expression ("Expression is not valid UTF-8");
    * a pattern with inline flags (``(?i)``) or a POSIX-looking class (``[[:alpha:]]``) becomes the empty
      pattern, which every text matches.

    The pattern is read as text (escapes and character classes skipped over), never parsed by ``re``'s
    internals.
    """
    if INLINE_FLAGS.search(pattern):
        return ""
    try:
        return _widen(pattern)
    except _Unportable:
        return ""


def _class_end(p: str, i: int) -> int:
    """The index just past the character class opening at ``p[i]``."""
    j = i + 1
    if p[j : j + 1] == "^":
        j += 1
    if p[j : j + 1] == "]":  # a "]" first in a class is a literal
        j += 1
    while j < len(p) and p[j] != "]":
        if p[j] == "[" and p[j + 1 : j + 2] in (":", ".", "="):
            raise _Unportable
        j += 2 if p[j] == "\\" else 1
    return j + 1


def _group_end(p: str, i: int) -> int:
    """The index just past the group opening at ``p[i]``."""
    depth, j = 0, i
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(p, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return j


def _lit(c: str) -> str:
    """A literal character as Hyperscan reads it in ASCII: non-ASCII ones as ``\\x{hex}``."""
    return c if c.isascii() else f"\\x{{{ord(c):x}}}"


def _widen_class(body: str, negated: bool) -> str:
    out, j = [], 0
    while j < len(body):
        if body[j] == "\\":
            esc = body[j + 1 : j + 2]
            if esc in _SHORTHANDS:
                members = _SHORTHANDS[esc][negated]
                if members is None:
                    return _ANY
                out.append(members)
            else:
                out.append(body[j : j + 2] if esc.isascii() else _lit(esc))
            j += 2
        else:
            out.append(_lit(body[j]))
            j += 1
    return ("[^" if negated else "[") + "".join(out) + "]"


def _ascii_word(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")


def _widen(p: str) -> str:
    out: list[str] = []
    i, n = 0, len(p)
    word_before = False  # the last thing read was a literal ASCII word character, exactly once
    while i < n:
        c = p[i]
        if c == "\\":
            esc = p[i + 1 : i + 2]
            if esc == "b":  # kept only beside a literal ASCII word character (see ``widen``)
                after = p[i + 2 : i + 3]
                word_after = _ascii_word(after) and p[i + 3 : i + 4] not in ("?", "*", "{")
                out.append("\\b" if word_before or word_after else "")
            elif not esc.isascii():  # an escaped non-ASCII character is that character
                out.append(_lit(esc))
            else:
                out.append(_OUTSIDE.get(esc, "" if esc == "B" else p[i : i + 2]))
            word_before = False
            i += 2
            continue
        word_before = _ascii_word(c) and p[i + 1 : i + 2] not in ("?", "*", "{")
        if c == "[":
            end = _class_end(p, i)
            negated = p[i + 1 : i + 2] == "^"
            out.append(_widen_class(p[i + (2 if negated else 1) : end - 1], negated))
            i = end
        elif c == "(" and p.startswith(_LOOKAROUND, i):
            i = _group_end(p, i)
        elif c == "{" and (m := _BOUNDED.match(p, i)):
            out.append("{%s,}" % (m.group(1) or "0"))
            i = m.end()
        else:
            out.append(_lit(c))
            i += 1
    return "".join(out)
