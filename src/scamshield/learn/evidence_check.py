"""Is a verdict's evidence exact? Every highlighted span should be whole words a person can check: it
never starts or ends inside a word, never carries the spaces or punctuation around it, and is never
punctuation alone. Used by the test over the training splits and by bench/bench_evidence.py."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..detectors.wordmatch import unspaced
from ..models import Message, Span, Verdict

_SCHEME = re.compile(r"(?i)https?://|www\.")
_EDGE = frozenset(" \t\r\n.,;:!?\"'`*_~-|\\")  # a web address may end with "/"


def _joined(a: str, b: str) -> bool:
    """Whether two neighbouring characters are in one word (in Chinese or Japanese, written without spaces, a
    word may end between any two characters)."""
    return a.isalnum() and b.isalnum() and not (unspaced(a) and unspaced(b))


def span_problem(text: str, span: Span, link: bool = False) -> str | None:
    """What is wrong with one evidence span of ``text`` (the message, or its turn), or None. A web
    address (``link``) is shown exactly as written, whatever characters it ends with."""
    s, e = span.start, span.end
    if text[s:e] != span.text:
        return "does not index the text"
    if not any(c.isalnum() for c in span.text):
        return "has no letter or digit"
    if s > 0 and _joined(text[s - 1], text[s]) and not (link and _SCHEME.match(span.text)):
        return "starts inside a word"  # (a web address written straight after a word still starts at http)
    if e < len(text) and _joined(text[e - 1], text[e]):
        return "ends inside a word"
    if not link and (span.text[0] in _EDGE or span.text[0] == "/" or span.text[-1] in _EDGE):
        return "starts or ends with a space or punctuation"
    return None


def verdict_problems(message: Message, verdict: Verdict) -> Iterable[tuple[str, Span, str]]:
    """(flag id, span, problem) for every inexact evidence span of a verdict."""
    for flag in verdict.flags:
        for span in flag.evidence:
            text = message.turns[span.turn].text if span.turn is not None and message.turns else message.text
            problem = span_problem(text, span, link=flag.group == "links" and "." in span.text)
            if problem:
                yield flag.id, span, problem
