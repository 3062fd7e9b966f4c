"""A message passed on in quotation marks to warn about it.

"Mum got this 'HMRC: you are due a tax refund, claim here: hmrc-refund-claim.co.uk' - I told her not to click"
asks nothing of its reader: the scam's words are inside the quotation marks, and the words around them say
someone received it and that it is not to be trusted. Judged on the quoted words, the sender would look like
HMRC with a fake link; a fraud officer judges the request the sender makes, and there is none.

So when a quotation is framed both ways - received ("had a text saying", "got this", "keeps sending me")
and warned about ("it's a scam", "don't click", "forward it to 7726") - the detectors read the text with the
quotation blanked out (same length, so every other offset stands) and the QUOTES_A_MESSAGE flag says why,
with the framing words as its evidence. Anything outside the quotation marks - a link, a number, a request -
still counts. A question alone ("I got this, is it real?") is not set aside: whoever asks wants the quoted
message judged, and the verdict does that. The cue words are data: rules/intent.yaml, ``quoted_message``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import rules
from .errors import RulesError


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # the quotation, quotation marks included, in the text's own offsets
    end: int
    cues: tuple[tuple[int, int], ...]  # where the text says it was received and how it is judged


@dataclass(frozen=True, slots=True)
class _Cues:
    opening: re.Pattern
    received: re.Pattern
    warned: re.Pattern
    received_window: int
    min_chars: int
    max_chars: int


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    data = rules.load_yaml(rules.RULES_DIR / "intent.yaml").get("quoted_message") or {}
    try:
        return _Cues(
            # an opening mark after a space, a colon or the start; a closing one before a space,
            # punctuation or the end ("it's" and "don't" are neither)
            opening=re.compile(r"(?:^|(?<=[\s:(]))(['\"‘“])(?=\S)"),
            received=re.compile(data["received"], re.IGNORECASE),
            warned=re.compile(data["warned"], re.IGNORECASE),
            received_window=int(data["received_window"]),
            min_chars=int(data["min_chars"]),
            max_chars=int(data["max_chars"]),
        )
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise RulesError(f"intent.yaml: quoted_message is incomplete or invalid: {exc}") from exc


# A closing mark: after a non-space, before a space, punctuation or the end ("it's" and "don't" are neither).
_CLOSING = {
    "'": re.compile(r"(?<=\S)['’](?=$|[\s.,!?;:)])"), "‘": re.compile(r"(?<=\S)['’](?=$|[\s.,!?;:)])"),
    '"': re.compile(r'(?<=\S)["”](?=$|[\s.,!?;:)])'), "“": re.compile(r'(?<=\S)["”](?=$|[\s.,!?;:)])'),
}


def _closing(text: str, mark: str, start: int, limit: int) -> int | None:
    """The index just past the mark that closes a quotation opened at ``start``, or None."""
    m = _CLOSING[mark].search(text, start + 1, limit)
    return m.end() if m else None


def _received(text: str):
    """Each quotation in ``text`` framed as a message someone received: (start, end, the "got this" match)."""
    if not any(m in text for m in "'\"‘“"):
        return
    c = _cues()
    for m in c.opening.finditer(text):
        start = m.start(1)
        # the cheap test first: most quotation marks have no "got this" / "a text saying" before them
        before = text[max(0, start - c.received_window) : start]
        received = None
        for r in c.received.finditer(before):
            received = r  # the one nearest the quotation
        if received is None:
            continue
        end = _closing(text, m.group(1), start, min(len(text), start + c.max_chars + 2))
        if end is None or end - start < c.min_chars + 2:
            continue
        yield start, end, received


def received_quotes(text: str) -> list[tuple[int, int]]:
    """Where ``text`` quotes a message someone received, warned about or only asked about ("I got this,
    is it real?"): the quoted words are that message's, not the sender's."""
    return [(start, end) for start, end, _ in _received(text)]


def forwarded_quote(text: str) -> Quote | None:
    """The first quotation in ``text`` framed as a message someone received and warns about, or None."""
    c = _cues()
    for start, end, received in _received(text):
        outside = text[:start] + " " * (end - start) + text[end:]
        warned = c.warned.search(outside)
        if warned is None:
            continue
        offset = max(0, start - c.received_window)
        (a, b), (c2, d) = sorted(((received.start() + offset, received.end() + offset), warned.span()))
        # one piece of evidence where the two cues overlap ("got one of those")
        cues = ((a, max(b, d)),) if c2 < b else ((a, b), (c2, d))
        return Quote(start, end, cues)
    return None


def blank(text: str, quote: Quote) -> str:
    """``text`` with the quotation's characters replaced by spaces: same length, same offsets."""
    return text[: quote.start] + " " * (quote.end - quote.start) + text[quote.end :]
