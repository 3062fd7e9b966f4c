"""The team-written UK SMS training set (training/uk_sms.csv): it loads, it is clean, and it stays
independent of the regression corpus, which is the evaluation of the hand-written rules."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest
import yaml

from scamshield.learn.data import load

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "training" / "uk_sms.csv"
CORPUS = Path(__file__).resolve().parent / "corpus"
NEAR_COPY = 0.5
_WORD = re.compile(r"\w+")
# UK numbers (10-11 digits, optionally +44) in the text; they must sit in Ofcom's drama/fiction ranges.
_PHONE = re.compile(r"(?<![\w/])(?:\+?44\s?|0)\d(?:[\s-]?\d){8,9}(?!\d)")
_DRAMA_PREFIXES = (
    "07700900", "02079460", "01134960", "01144960", "01154960", "01164960", "01174960", "01184960",
    "01214960", "01314960", "01414960", "01514960", "01614960", "01914980", "02890180", "02920180",
    "01632960", "08081570", "03069990", "09098790",
)


@pytest.fixture(scope="module")
def examples():
    return load(DATA)


def _trigrams(text: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _corpus_texts() -> list[str]:
    messages = yaml.safe_load((CORPUS / "messages.yaml").read_text(encoding="utf-8"))["messages"]
    calls = yaml.safe_load((CORPUS / "calls.yaml").read_text(encoding="utf-8"))["calls"]
    texts = []
    for entry in [*messages, *calls]:
        if entry.get("text"):
            texts.append(entry["text"])
        texts.extend(t["text"] for t in entry.get("turns", ()) if t.get("text"))
    return texts


def test_loads_with_known_labels_and_channel(examples):
    assert len(examples) >= 300
    assert {e.label for e in examples} == {"legit", "scam"}
    assert {e.message.channel for e in examples} == {"sms"}
    assert {e.source for e in examples} == {"team_uk_genuine", "team_uk_scam"}
    for e in examples:
        want = "team_uk_genuine" if e.label == "legit" else "team_uk_scam"
        assert e.source == want, e.message.id


def test_ids_unique_and_texts_not_duplicated(examples):
    ids = [e.message.id for e in examples]
    assert len(ids) == len(set(ids))
    texts = [" ".join(e.message.text.casefold().split()) for e in examples]
    assert len(texts) == len(set(texts))


def test_rows_are_not_templated_near_duplicates_of_each_other(examples):
    grams = [(e.message.id, _trigrams(e.message.text)) for e in examples]
    close = [(a, b) for (a, ga), (b, gb) in combinations(grams, 2) if _jaccard(ga, gb) >= NEAR_COPY]
    assert not close, f"near-duplicate rows: {close[:10]}"


def test_no_row_is_a_near_copy_of_the_regression_corpus(examples):
    corpus = [_trigrams(t) for t in _corpus_texts()]
    assert len(corpus) > 50  # guards against silently comparing with nothing
    copies = []
    for e in examples:
        mine = _trigrams(e.message.text)
        for index, theirs in enumerate(corpus):
            if _jaccard(mine, theirs) >= NEAR_COPY:
                copies.append((e.message.id, f"corpus text #{index}"))
    # Only positions are reported, so fixing a failure never means reading the corpus.
    assert not copies, f"rows too close to corpus texts: {copies[:10]}"


def test_phone_numbers_are_fictional(examples):
    real = []
    for e in examples:
        for m in _PHONE.finditer(e.message.text):
            digits = re.sub(r"\D", "", m.group())
            digits = "0" + digits[2:] if digits.startswith("44") else digits
            if not digits.startswith(_DRAMA_PREFIXES):
                real.append((e.message.id, m.group()))
    assert not real, f"numbers outside Ofcom's drama ranges: {real}"
