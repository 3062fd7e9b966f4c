"""Contractions without their apostrophe ("dont", "wasnt", "youre"): rules written with one match both."""

from __future__ import annotations

import re

import pytest

from scamshield import Analyzer, contractions
from scamshield.models import Message


@pytest.mark.parametrize(("source", "expected"), [
    ("(?:don.t|do not) hang up", "(?:don.?t|do not) hang up"),
    (r"\bi.m calling", r"\bi.?m calling"),
    ("you.re|they.ve|that.s|wasn.t|won.t|can.t", "you.?re|they.?ve|that.?s|wasn.?t|won.?t|can.?t"),
    # spellings that are other words keep their apostrophe: were, well, ill, its, lets
    ("we.re|we.ll|i.ll|it.s|let.s", "we.re|we.ll|i.ll|it.s|let.s"),
    ("hi.m|don.?t", "hi.m|don.?t"),  # not inside another word; not twice
    # a look-behind must keep a fixed width
    ("(?<!don.t )pay|don.t pay", "(?<!don.t )pay|don.?t pay"),
])
def test_regex_sources(source: str, expected: str) -> None:
    assert contractions.in_regex(source) == expected
    re.compile(contractions.in_regex(source))


def test_plain_words() -> None:
    assert contractions.in_word(re.escape("if this wasn't you")) == r"if\ this\ wasn'?t\ you"
    assert contractions.in_word(re.escape("we'll pay")) == r"we'll\ pay"


@pytest.mark.parametrize("text", ["please don't hang up, this is serious", "please dont hang up this is serious"])
def test_a_flag_reads_both_spellings(text: str) -> None:
    verdict = Analyzer.default().analyze(Message(channel="sms", text=text))
    assert "SECRECY_REQUEST" in {f.id for f in verdict.flags}
