"""How a web address spells a name: its host squashed (dots and hyphens gone, look-alike letters and digits
read as letters), without the ending a registry sells under, and a name misspelt by one slip. The link
detector (links.py) asks these of every host it has not seen."""

from __future__ import annotations

import re
from functools import lru_cache

from ..preprocess import normalise

_PIECES = re.compile(r"[-\d]+")
# Digits standing in for letters in lookalike hosts ("amaz0n", "paypa1"): 1 may be an i or an l.
_LEET_DIGITS = (str.maketrans("013457", "oieast"), str.maketrans("013457", "oleast"))

# Typo-squats: a brand's name one slip off, as a whole part of the host ("royalmaii.co.uk", "santamder-help",
# "amazonn"): a letter added or dropped, two swapped, or one swapped for a letter that looks like it. Only
# names of six letters or more, so that short names and ordinary words ("vented", "amazing") stay apart.
TYPO_MIN = 6
_LOOKS_ALIKE = frozenset(("il", "li", "lj", "jl", "ij", "ji", "mn", "nm", "oq", "qo", "ae", "ea", "uv", "vu", "ce", "ec",
                          "gq", "qg", "yv", "vy", "oa", "ao"))


def one_slip(part: str, name: str) -> bool:
    """Whether ``part`` is ``name`` with one slip (see _LOOKS_ALIKE above), not ``name`` itself."""
    n, m = len(part), len(name)
    if part == name or abs(n - m) > 1:
        return False
    if n == m:
        diff = [i for i in range(n) if part[i] != name[i]]
        if len(diff) == 1:
            return part[diff[0]] + name[diff[0]] in _LOOKS_ALIKE
        return len(diff) == 2 and diff[1] == diff[0] + 1 and part[diff[0]] == name[diff[1]] and part[diff[1]] == name[diff[0]]
    short, long_ = (part, name) if n < m else (name, part)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


@lru_cache(maxsize=4096)
def _clean_host(host: str) -> str:
    return normalise(host)[0]


# The endings a registry sells under ("co.uk", "org.uk"), and the words of them a brand's name may end in.
_SECOND_LEVEL = frozenset(("co", "org", "gov", "ac", "net", "ltd", "plc", "me", "sch", "nhs", "com", "edu", "police", "mod"))
SUFFIX_WORDS = ("uk", "com", "org", "net", "gov")


def without_suffix(host: str) -> str:
    """``host`` without its public ending: "northgateestates.co.uk" -> "northgateestates"."""
    labels = host.split(".")
    if len(labels[-1]) > 6:  # "www.britishgaswarmhomedisc ount.com" found as far as the space: no ending to drop
        return host
    cut = 2 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL else 1
    return ".".join(labels[:-cut]) if len(labels) > cut else host


def squashed_variants(host: str) -> set[str]:
    """``host`` without dots and hyphens, as normalised and with look-alike digits read as letters."""
    squashed = _clean_host(host).replace("-", "").replace(".", "")
    raw = host.replace("-", "").replace(".", "")
    # ("rnonzo-secure-help.com": "rn" for "m", the audit of round 447)
    return {squashed, squashed.replace("rn", "m"), *(raw.translate(t) for t in _LEET_DIGITS)}


def made_of(host: str, words: frozenset[str]) -> bool:
    """Whether the name part of ``host`` (the label before its public ending) is two or more of ``words`` and
    nothing else, hyphens and digits aside: "docview-secure-share.com", "carsnaps-report.co.uk",
    "gallerydrop-uk.net" - addresses that name no business. Compound labels are split into ``words`` by the
    fewest pieces."""
    return _made_of(without_suffix(host).rsplit(".", 1)[-1], words)


@lru_cache(maxsize=4096)
def _made_of(label: str, words: frozenset[str]) -> bool:
    count = 0
    for part in filter(None, _PIECES.split(label)):
        pieces = _split(part, words)
        if pieces is None:
            return False
        count += pieces
    return count >= 2


def _split(word: str, words: frozenset[str]) -> int | None:
    """The fewest pieces of ``words`` (two letters or more) that spell ``word``, or None."""
    n = len(word)
    best: list[int | None] = [0] + [None] * n
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 2, min(n, i + 20) + 1):
            if word[i:j] in words and (best[j] is None or best[j] > best[i] + 1):
                best[j] = best[i] + 1
    return best[n]
