"""QUOTES_A_MESSAGE: the text passes on a message it received, in quotation marks, to ask or warn about it
(quoted.py finds it and blanks the quotation out for every other detector; this says so in the verdict)."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Finding, Span
from ..preprocess import TextUnit


class QuotedMessageDetector:
    name = "quoted"

    def analyze(self, unit: TextUnit) -> Iterable[Finding]:
        quote = unit.quote
        if quote is None:
            return ()
        spans = tuple(Span(unit.text[a:b], a, b, unit.turn) for a, b in quote.cues)
        return (Finding("QUOTES_A_MESSAGE", 1.0, spans),)
