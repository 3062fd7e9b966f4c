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


def _masked(text: str) -> str:
    from scamshield.preprocess import normalise

    return " ".join(re.sub(r"\d+", "0", normalise(text)[0]).split())


def _fourgrams(text: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(_masked(text))
    return frozenset(zip(words, words[1:], words[2:], words[3:], strict=False))


def _evaluation_texts() -> list[str]:
    from scamshield.learn.data import data_dir

    texts = []
    for name in ("sms_test.csv", "call_test.csv", "call_real_scams_eval.csv"):
        path = data_dir() / "splits" / name
        if not path.is_file():
            pytest.skip(f"evaluation split {path} not available")
        for ex in load(path):
            m = ex.message
            texts.append(" ".join(t.text for t in m.turns) if m.turns else m.text)
    return texts


def test_no_team_text_copies_an_evaluation_row():
    """Team texts are training data: none may be a near-copy of an evaluation row (digits masked, or word
    4-gram Jaccard >= 0.8), or it would carry an evaluation message into training. The evaluation texts
    are only read here, for this check."""
    team = [(e.message.id, e.message.text) for e in load(DATA)]
    calls = ROOT / "training" / "uk_calls.jsonl"
    if calls.is_file():
        team += [(e.message.id, " ".join(t.text for t in e.message.turns)) for e in load(calls)]
    evaluation = _evaluation_texts()
    exact = {_masked(t) for t in evaluation}
    index: dict[tuple[str, ...], list[int]] = {}
    grams = [_fourgrams(t) for t in evaluation]
    for i, g in enumerate(grams):
        for gram in g:
            index.setdefault(gram, []).append(i)
    clashes = []
    for tid, text in team:
        if len(_masked(text).split()) >= 6 and _masked(text) in exact:  # "Okay, thanks." may recur
            clashes.append(tid)
            continue
        mine = _fourgrams(text)
        hits: dict[int, int] = {}
        for gram in mine:
            for i in index.get(gram, ()):
                hits[i] = hits.get(i, 0) + 1
        if any(n / len(mine | grams[i]) >= 0.8 for i, n in hits.items()):
            clashes.append(tid)
    assert not clashes, f"team rows that copy an evaluation row (rewrite or drop them): {clashes}"
