"""Exact evidence: over the training splits and the team data, no highlighted span of any verdict cuts a
word, carries surrounding punctuation or is punctuation alone (learn/evidence_check.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scamshield import Analyzer, Message, Span
from scamshield.callerid.numbers import set_fictional_numbers
from scamshield.learn.data import data_dir, load
from scamshield.learn.evidence_check import span_problem, verdict_problems

ROOT = Path(__file__).resolve().parent.parent


def _files():
    shared = [data_dir() / "splits" / n for n in ("sms_train.csv", "call_train.csv")]
    team = [ROOT / "training" / "uk_sms.csv", *sorted((ROOT / "training").glob("sms/*.jsonl")),
            *sorted((ROOT / "training").glob("calls/*.jsonl"))]
    return [p for p in shared + team if p.is_file()]


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.name)
def test_no_evidence_span_cuts_a_word(path):
    analyzer = Analyzer.default()
    set_fictional_numbers(path.parent.name in ("sms", "calls", "training"))
    try:
        bad = []
        for ex in load(path):
            bad += [(ex.message.id, flag, span.text, why) for flag, span, why in
                    verdict_problems(ex.message, analyzer.analyze(ex.message))]
    finally:
        set_fictional_numbers(False)
    assert not bad, f"{len(bad)} inexact evidence spans, e.g. {bad[:8]}"


@pytest.mark.parametrize(
    ("text", "start", "end", "problem"),
    [
        ("a purchase at the shop", 5, 10, "starts inside a word"),
        ("the revolution", 4, 11, "ends inside a word"),
        ("see this.", 8, 9, "has no letter or digit"),
        ("read the codes.", 9, 15, "starts or ends with a space or punctuation"),
        ("read the codes.", 9, 14, None),
    ],
)
def test_span_problem(text, start, end, problem):
    assert span_problem(text, Span(text[start:end], start, end)) == problem


def test_purchase_is_not_read_as_the_bank_chase():
    msg = Message(text="You made a purchase of £4.50 at the cafe. If this wasn't you, call us on 0161 496 0000")
    v = Analyzer.default().analyze(msg)
    assert "CLAIMS_BANK" not in v.flag_ids()
    assert list(verdict_problems(msg, v)) == []
