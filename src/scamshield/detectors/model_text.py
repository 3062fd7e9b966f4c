"""The learned model's text side: word tokens, character n-grams, what a whitespace chunk contributes, and
the optional C extension (``_ngrams.c``) that sums them. ``detectors/model.py`` holds the model itself."""

from __future__ import annotations

import re
from itertools import pairwise, repeat
from typing import Any

from ..preprocess import _OPENERS, _TRIM

CHAR_MIN, CHAR_MAX = 2, 5

try:  # the char n-gram sums in C: optional, built by setup.py where a C compiler is found
    from . import _ngrams
except ImportError:
    _ngrams = None
# The C sums add one double at a time, as CPython's sum() adds complex numbers up to 3.13. A sum() that
# compensates rounding (as 3.14's may) would differ in the last bits: then the Python sums run instead.
if _ngrams is not None and sum([1e16 + 0j, 1 + 0j, -1e16 + 0j], 0j) != 0j:
    _ngrams = None
# A text's whole sum and its evidence chunks in C too, over a chunk cache and word-pair table kept in C (an
# extension built before they were added lacks them: the Python loops then run).
_text_state = getattr(_ngrams, "text_state", None)

# Words shown as evidence must mean something to a reader: a chunk made only of these ("this", "been", "Hello")
# may weigh in the model (synthetic scam calls open with "this is ...") but explains nothing.
_FUNCTION_WORDS = frozenset(
    "a an the this that these those is are was were be been being am i you he she it we they me him her us "
    "them my your his its our their to of in on at by for with from as and or but if so not no do does did "
    "have has had will would can could shall should may might must just then there here what which who "
    "when where how all any some up out about into over than too very now against after before via per onto "
    "upon within without also only still yet even again just off down".split()
    # greetings, fillers and politeness: every call has them, and "Hello" explains no verdict
    + "hello hi hiya hey um er erm uh ah oh yeah yes yep ok okay right well please thanks thank cheers "
    "good morning afternoon evening sorry".split()
)

# Both heads' weights for one feature in one number: the scam head's in the real part, the spam head's in
# the imaginary part (``Head.weight`` takes its own back out). One dict lookup and one C-level ``sum`` then
# serve both heads; two float tables would double the lookups, which are most of the model's cost
# (measured: the feature sums take about 1.7x as long with two tables).
HeadPair = complex

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,:]\d+)*|[£$€%!?@&]")
_CHUNK = re.compile(r"\S+")


def _number_shape(tok: str) -> str:
    digits = sum(c.isdigit() for c in tok)
    return "#" + str(min(digits, 12)) + ("" if tok.isdigit() else ".")


def tokens(norm: str) -> list[str]:
    """Word tokens of normalised text; numbers become their shape ("07700900123" -> "#11")."""
    return [_number_shape(t) if "0" <= t[0] <= "9" else t for t in _TOKEN.findall(norm)]


def word_features(toks: list[str]) -> list[str]:
    """Unigrams and adjacent pairs ("tax refund")."""
    return toks + [a + " " + b for a, b in pairwise(toks)]


def char_grams(chunk: str) -> list[str]:
    s = " " + chunk + " "
    n = len(s)
    return [s[i : i + k] for k in range(CHAR_MIN, CHAR_MAX + 1) for i in range(n - k + 1)]


# What TextUnit.evidence trims off a span's ends, for the C evidence ranges: the characters, and the bracket
# pairs as one string ("()[]..."), each trimmed where its partner is not inside.
_EVIDENCE_TRIM = ("".join(sorted(_TRIM)), "".join(o + c for o, c in _OPENERS.items()))


def _entry(chunk: str, char_sum: HeadPair, word_get) -> tuple[HeadPair, list[str], bool]:
    """A chunk's entry (see ``ChannelModel.chunk_entry``) from its char n-gram sum: that sum plus its word
    unigrams' weights, its tokens, and whether it holds a word a reader can weigh (not a function word, a
    symbol or a bare number such as "0161")."""
    toks = tokens(chunk)
    z = char_sum + sum(map(word_get, toks, repeat(0j)), 0j)
    meaningful = any(t not in _FUNCTION_WORDS and t[0] not in "£$€%!?@&#" for t in toks)
    return z, toks, meaningful


def _compiled_entry(ctable: Any, words: dict[str, HeadPair]):
    """``chunk_entry`` without the Python cache, for the C chunk cache to call on a miss (a closure over the
    tables rather than a bound method: the C state holds it, and must not hold the model)."""
    chunk_sum, get = _ngrams.chunk_sum, words.get

    def entry(chunk: str) -> tuple[HeadPair, list[str], bool]:
        return _entry(chunk, chunk_sum(ctable, chunk), get)

    return entry
