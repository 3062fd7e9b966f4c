"""Normalise a text once, for every detector, keeping a map back to the original offsets.

Scammers dodge filters with lookalike Unicode, zero-width characters, spaced-out or dotted letters
("H.M.R.C", "i T u n e s"), leetspeak ("v0uch3rs") and "GBP" for "£". Detectors match against
``TextUnit.norm`` (lower-case, de-obfuscated) and report spans in the original text via ``span()``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import chain, repeat

from .models import Span

# Characters that render as nothing or as a plain space.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"), "")

# Lookalikes NFKC leaves alone: Cyrillic/Greek letters that look Latin, fancy punctuation.
_CONFUSABLES = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ɑ": "a",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Υ": "Y",
    "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X",
    # small capitals (NFKC leaves them): "ʜᴍʀᴄ"
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ғ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j",
    "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u",
    "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z",
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
    "–": "-", "—": "-", "−": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
}
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"}

_ASCII_SAFE = re.compile(r"[^\x20-\x7e\n\r\t]")
# A word that starts with a letter and hides leet digits, e.g. "v0uch3r", "g1ft", "P1N".
_LEET_WORD = re.compile(r"(?<!\w)[a-z][a-z0-9]*[013457][a-z0-9]*")
# The first leet digit of every _LEET_WORD match follows a letter or another digit (it is the first):
# where none does, no word hides leet digits, and a match starts no earlier than the run of letters and
# digits around the first that does.
_LEET_GATE = re.compile(r"[013457](?<=[a-z2689].)")
_WORD_RUN = "abcdefghijklmnopqrstuvwxyz0123456789"  # what a _LEET_WORD match is made of
_LEET_TABLE = str.maketrans(_LEET)
_NO_DIGITS = str.maketrans("", "", "0123456789")
# Three or more single letters separated by the same separator: "h.m.r.c", "i t u n e s".
_SPACED = re.compile(r"(?<![\w])([a-z])((?:[ .\-_*]+)[a-z])((?:[ .\-_*]+[a-z])+)(?![\w])")
# Part of every _SPACED match (a lone letter between separators, then another lone letter): cheap to
# look for, since it starts with a separator, and rare in ordinary text.
_SPACED_GATE = re.compile(r"[ .\-_*][a-z][ .\-_*]+[a-z](?![a-z0-9])")
_GBP = re.compile(r"(?<![a-z])gbp\s?(?=\d)|(?<=\d)\s?gbp(?![a-z])")


_MARKS = frozenset({"Mn", "Mc", "Me"})  # Unicode's combining marks, which belong to the letter before them
# Evidence never starts or ends with these; a bracket is trimmed only when its partner is not inside.
_TRIM = frozenset(" \t\r\n.,;:!?\"'`*_~-|/\\")
_OPENERS = {"(": ")", "[": "]", "{": "}", "<": ">"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}


@dataclass(slots=True)
class TextUnit:
    """One piece of text to analyse: a whole message, or one turn of a call."""

    text: str
    norm: str
    # offsets[i] is the index in ``text`` of norm[i]; None when norm maps 1:1 onto text.
    offsets: list[int] | None = None
    turn: int | None = None
    speaker: str | None = None  # as the input labelled the turn ("caller", "callee", "user", "other")
    # Who said it, whatever the call's direction: "other" (the party who may be a scammer), "user" (the
    # person scamshield protects), or None when unknown (a text message, an unlabelled transcript).
    role: str | None = None
    channel: str = "sms"
    # Found once per unit, when first asked for, and shared by every detector:
    breaks: tuple[list[int], list[int]] | None = None  # clause breaks in norm (intent.clause)
    links: list | None = None  # web addresses (mentions.links_in)
    phones: list | None = None  # phone numbers (mentions.phone_numbers_in)
    organisations: list | None = None  # organisation names and whether each is claimed (callerid)
    model_chunks: tuple | None = None  # the learned model's per-chunk scores (detectors/model.py)
    model_evidence: dict | None = None  # and its evidence spans per head
    # A quotation passed on to ask about it or warn about it, blanked out of text and norm (quoted.py)
    quote: object | None = None
    # On a call, the end of the conversation before this turn (normalised): where a flag's required words
    # may have been said ("we need a cash deposit" one turn, "I'll run you to the bank" the next)
    before: str | None = None

    def span(self, start: int, end: int) -> Span:
        """Map a [start, end) range of ``norm`` back to a Span of the original text."""
        if self.offsets is None:
            return Span(self.text[start:end], start, end, self.turn)
        offs = self.offsets
        if not offs:
            return Span("", 0, 0, self.turn)
        o_start = offs[min(start, len(offs) - 1)]
        o_end = offs[min(end, len(offs)) - 1] + 1 if end > start else o_start
        text = self.text
        # a combining mark after the last letter (a Tamil virama normalising drops, an accent typed as its own
        # character) belongs to that letter
        while o_end < len(text) and not text[o_end].isascii() and unicodedata.category(text[o_end]) in _MARKS:
            o_end += 1
        return Span(text[o_start:o_end], o_start, o_end, self.turn)

    def evidence(self, start: int, end: int) -> Span | None:
        """``span()`` of norm[start:end] without the spaces and punctuation around it (a bracket stays when
        its partner is inside); None when no letter or digit is left."""
        norm = self.norm
        while start < end and (norm[start] in _TRIM or (norm[start] in _OPENERS and _OPENERS[norm[start]] not in norm[start:end])):
            start += 1
        while end > start and (norm[end - 1] in _TRIM or (norm[end - 1] in _CLOSERS and _CLOSERS[norm[end - 1]] not in norm[start : end - 1])):
            end -= 1
        if not any(ch.isalnum() for ch in norm[start:end]):
            return None
        return self.span(start, end)


def _spell(ch: str) -> str:
    """The normalised, lower-case spelling of one character ("" for a zero-width one)."""
    if ord(ch) < 128:
        return ch.lower()
    rep = _CONFUSABLES.get(ch)
    if rep is None:
        rep = ch.translate(_ZERO_WIDTH)
        if rep:
            rep = unicodedata.normalize("NFKC", rep)
            # strip accents so "HMRC" with combining marks still matches
            rep = "".join(c for c in unicodedata.normalize("NFKD", rep) if not unicodedata.combining(c))
    return rep.lower()


def spelt_as_normalised(source: str) -> str:
    """``source`` (a rule's pattern or word) with each non-ASCII character spelt as normalisation spells it in a
    text, so a rule written as people write ("новий номер", "tėti", "நம்பர்") meets the normalised text, where
    Cyrillic letters that look Latin, accents and vowel signs have been mapped. ASCII is left alone: it may be regex
    syntax (``\\W``), and normalisation only lower-cases it, as rules are written."""
    return source if source.isascii() else "".join(c if ord(c) < 128 else _spell(c) for c in source)


# Spellings of the characters met so far, so a text is mapped in C (map + join) rather than a loop:
# (char -> spelling, chars not spelt as one character). Replaced whole, never cleared in place, so a
# thread mapping a text sees one consistent pair.
_SPELLINGS: tuple[dict[str, str], set[str]] = ({}, set())
_MAX_SPELLINGS = 20_000


def _map_chars(text: str) -> tuple[str, list[int]]:
    """Per-character Unicode clean-up: NFKC, confusables, zero-width removal, lower-case."""
    global _SPELLINGS
    spelling, odd = _SPELLINGS
    new = set(text).difference(spelling)
    if new:
        if len(spelling) + len(new) > _MAX_SPELLINGS:  # hostile input cycling through Unicode
            spelling, odd = _SPELLINGS = ({}, set())
            new = set(text)
        for ch in new:
            rep = spelling[ch] = _spell(ch)
            if len(rep) != 1:
                odd.add(ch)
    norm = "".join(map(spelling.__getitem__, text))
    if odd.isdisjoint(text):  # one character for one: offsets are the identity
        return norm, list(range(len(text)))
    lengths = map(len, map(spelling.__getitem__, text))
    return norm, list(chain.from_iterable(map(repeat, range(len(text)), lengths)))


def _rewrite(norm: str, offsets: list[int], pattern: re.Pattern, repl) -> tuple[str, list[int]]:
    """Apply a regex rewrite to ``norm`` while keeping ``offsets`` aligned."""
    pieces: list[str] = []
    new_offsets: list[int] = []
    last = 0
    for m in pattern.finditer(norm):
        pieces.append(norm[last : m.start()])
        new_offsets.extend(offsets[last : m.start()])
        replacement, src_idx = repl(m)
        pieces.append(replacement)
        new_offsets.extend(offsets[m.start() + k] for k in src_idx)
        last = m.end()
    if last == 0 and not pieces:
        return norm, offsets
    pieces.append(norm[last:])
    new_offsets.extend(offsets[last:])
    return "".join(pieces), new_offsets


def _despace(m: re.Match) -> tuple[str, list[int]]:
    s = m.group(0)
    idx = [k for k, c in enumerate(s) if c.isalpha()]
    return "".join(s[k] for k in idx), idx


def _deleet(s: str) -> str:
    """A _LEET_WORD match (letters a-z and digits only) with its leet digits read as letters."""
    letters = len(s.translate(_NO_DIGITS))
    if letters < 2 or letters <= len(s) - letters:  # "abc123", "b4": codes and slang, not leet
        return s
    return s.translate(_LEET_TABLE)


def _leet_words(norm: str) -> list[re.Match]:
    """``list(_LEET_WORD.finditer(norm))``, starting where a match can (see _LEET_GATE)."""
    gate = _LEET_GATE.search(norm)
    if gate is None:
        return []
    return list(_LEET_WORD.finditer(norm, len(norm[: gate.start()].rstrip(_WORD_RUN))))


def _gbp(m: re.Match) -> tuple[str, list[int]]:
    s = m.group(0)
    return "£", [s.index("g")]


def normalise(text: str) -> tuple[str, list[int] | None]:
    """Return (norm, offsets); offsets is None when norm is simply ``text.lower()``."""
    if (text.isascii() and text.isprintable()) or not _ASCII_SAFE.search(text):
        norm = text.lower()
        offsets = None
    else:
        norm, offsets = _map_chars(text)
    # The rewrites below are rare; test cheaply before paying for offset bookkeeping.
    needs_spaced = _SPACED_GATE.search(norm) is not None and _SPACED.search(norm) is not None
    leet = _leet_words(norm)
    needs_gbp = "gbp" in norm
    if not (needs_spaced or leet or needs_gbp):
        return norm, offsets
    if offsets is None:
        offsets = list(range(len(norm)))
    if needs_spaced:
        norm, offsets = _rewrite(norm, offsets, _SPACED, _despace)
    # "GBP" before leetspeak, or "GBP5" would become the word "gbps".
    if needs_gbp:
        norm, offsets = _rewrite(norm, offsets, _GBP, _gbp)
    # Leetspeak maps one character to one, so the offsets stay as they are; most words with such digits
    # are codes, prices or slang ("b4", "abc123") that _deleet leaves alone.
    if leet:
        if needs_spaced or needs_gbp:  # the text has changed: find the words again
            leet = _leet_words(norm)
        pieces: list[str] = []
        last = 0
        for m in leet:
            word = _deleet(m.group(0))
            if word != m.group(0):
                pieces += (norm[last : m.start()], word)
                last = m.end()
        if pieces:
            norm = "".join(pieces) + norm[last:]
    return norm, offsets


def make_unit(
    text: str, *, turn: int | None = None, speaker: str | None = None, role: str | None = None, channel: str = "sms"
) -> TextUnit:
    norm, offsets = normalise(text)
    return TextUnit(text=text, norm=norm, offsets=offsets, turn=turn, speaker=speaker, role=role, channel=channel)
