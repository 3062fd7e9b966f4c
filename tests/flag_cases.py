"""Shared machinery for the table-driven red-flag tests (tests/test_flags_*.py, tests/test_links.py).

A row is ``row(text, flag, expect, span=None, at=None, turn/speaker...)``:

* ``expect=FIRES``: the flag fires on ``text``; when ``span`` is given, one evidence span has exactly that
  text, and when ``at`` is also given it starts at that offset (and ``text[start:end] == span``).
* ``expect=SILENT``: the flag does not fire at all.
* ``expect=WEAK``: a near miss on which the flag may fire, but only with low confidence (<= ``WEAK_MAX``).

Verdict rows (``verdict_row``) run the whole default analyzer and check the verdict is one of a set.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from scamshield import Analyzer, Message
from scamshield.detectors.links import LinkDetector
from scamshield.detectors.patterns import PatternDetector
from scamshield.models import Finding
from scamshield.preprocess import make_unit

FIRES = "fires"
SILENT = "silent"
WEAK = "weak"
WEAK_MAX = 0.5
NOT_ALARMING = ("safe", "spam")


@lru_cache(maxsize=1)
def patterns() -> PatternDetector:
    return PatternDetector.from_rules()


@lru_cache(maxsize=1)
def links() -> LinkDetector:
    return LinkDetector.from_rules()


def row(text: str, flag: str, expect: str, span: str | None = None, at: int | None = None, *, id: str):
    return pytest.param(text, flag, expect, span, at, id=id)


def verdict_row(text: str, verdicts: tuple[str, ...] | str, *, id: str):
    if isinstance(verdicts, str):
        verdicts = (verdicts,)
    return pytest.param(text, verdicts, id=id)


def _describe(findings: list[Finding]) -> str:
    if not findings:
        return "no flags fired"
    return "; ".join(
        f"{f.flag}@{f.confidence:.2f} [{', '.join(repr(s.text) for s in f.evidence)}]" for f in findings
    )


def check_row(detector, text: str, flag: str, expect: str, span: str | None, at: int | None) -> None:
    findings = detector.analyze(make_unit(text))
    hit = next((f for f in findings if f.flag == flag), None)
    fired = _describe(findings)
    if expect == SILENT:
        assert hit is None, f"{flag} must not fire on {text!r}; fired: {fired}"
        return
    if expect == WEAK:
        assert hit is None or hit.confidence <= WEAK_MAX, (
            f"{flag} may fire on the near miss {text!r} only at confidence <= {WEAK_MAX}; fired: {fired}"
        )
        return
    assert expect == FIRES, expect
    assert hit is not None, f"{flag} should fire on {text!r}; fired: {fired}"
    assert 0.0 < hit.confidence <= 1.0
    for s in hit.evidence:  # every evidence span indexes the original text
        assert text[s.start : s.end] == s.text, f"span {s} does not index {text!r}"
    if span is not None:
        texts = [s.text for s in hit.evidence]
        assert span in texts, f"{flag} evidence should include {span!r}; got {texts}"
        if at is not None:
            starts = [s.start for s in hit.evidence if s.text == span]
            assert at in starts, f"{flag} evidence {span!r} should start at {at}; got {starts}"
            assert text[at : at + len(span)] == span


class _Both:
    """The link detector plus the pattern flags of the links group (LINK_CALL_TO_ACTION)."""

    def analyze(self, unit):
        return [*links().analyze(unit), *patterns().analyze(unit)]


def links_and_patterns() -> _Both:
    return _Both()


@lru_cache(maxsize=1)
def analyzer() -> Analyzer:
    # The flag tables pin what each red flag does to a verdict, so the learned model is left out here;
    # the whole engine is pinned by tests/test_corpus.py, the seed case and the accuracy benchmark.
    from scamshield.learn.train import rules_only_analyzer

    return rules_only_analyzer()


def check_verdict(text: str, verdicts: tuple[str, ...]) -> None:
    v = analyzer().analyze(Message(text=text))
    flags = "; ".join(f"{f.id}@{f.confidence:.2f} {[s.text for s in f.evidence]}" for f in v.flags) or "none"
    assert v.verdict in verdicts, f"{text!r}: verdict {v.verdict} (risk {v.risk:.3f}), want {verdicts}; flags: {flags}"
