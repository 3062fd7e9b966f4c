"""Matching words in normalised text: a regex's matches that are whole words, and one regex for a
list of words (a trie, so the longest word at a position is found without trying each in turn)."""

from __future__ import annotations

import re
from collections.abc import Iterator


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def unspaced(ch: str) -> bool:
    """Whether ``ch`` is of a script written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
    Burmese): between two of its characters any position may be a word's edge ("妈，这是我新号码")."""
    return ("\u3040" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\u0e00" <= ch <= "\u0eff"
            or "\u1000" <= ch <= "\u109f" or "\u1780" <= ch <= "\u17ff")


def joined(a: str, b: str) -> bool:
    """Whether two neighbouring characters belong to one word."""
    return is_word_char(a) and is_word_char(b) and not (unspaced(a) and unspaced(b))


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
        if s > 0 and e > s and joined(text[s - 1], text[s]):
            pos = s + 1
            continue
        if 0 < e < n and joined(text[e - 1], text[e]):
            for tail in ("s", "es"):
                if text.startswith(tail, e) and (e + len(tail) == n or not is_word_char(text[e + len(tail)])):
                    e += len(tail)
                    break
            else:
                pos = s + 1
                continue
        yield s, e
        pos = e if e > s else e + 1


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



_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 &'\",;:!@#%=~<>/_-")
_ESCAPED = frozenset(".-&/ '\"#@:;,!%=~<>_")


def literal_gate(regex: re.Pattern, alternatives: list[str]) -> re.Pattern | None:
    """A regex that matches somewhere wherever ``regex`` does, and searches a text much faster: the literal
    text each of its top-level ``alternatives`` (``patterns.split_alternatives``) starts with, after any
    ``\\b``, as a trie. None where one starts with no literal, or ``regex`` has flags."""
    if regex.flags & ~re.UNICODE or not isinstance(regex.pattern, str):
        return None
    lits = set()
    for alt in alternatives:
        i, lit = 0, []
        while alt.startswith("\\b", i):
            i += 2
        while i < len(alt):
            c = alt[i]
            if c in _PLAIN:
                lit.append(c)
                i += 1
            elif c == "\\" and i + 1 < len(alt) and alt[i + 1] in _ESCAPED:
                lit.append(alt[i + 1])
                i += 2
            else:
                if c in "?*{" and lit:  # the character before is optional or repeated: not required
                    lit.pop()
                break
        if not lit:
            return None
        lits.add("".join(lit))
    return re.compile(trie_regex(lits))
