"""training/uk_calls.jsonl: team-written UK call transcripts used only as extra TRAINING data.

Checks that the file loads through the real loader, is labelled and shaped as promised, holds no duplicate
or near-duplicate calls, and shares no near-copy turn with the regression corpus (which must stay an
independent check on the engine, so nothing in training may be lifted from it).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

from scamshield.learn.data import load

ROOT = Path(__file__).resolve().parent.parent
CALLS_FILE = ROOT / "training" / "uk_calls.jsonl"
CORPUS = Path(__file__).resolve().parent / "corpus"
SOURCES = {"scam": "team_uk_call_scam", "legit": "team_uk_call_genuine"}
NEAR_COPY = 0.5  # word 3-gram Jaccard at or above this counts as a copy
# Turns under six words ("what do you need?") are stock phrases any two dialogues share; Jaccard on one or
# two trigrams says nothing about copying, so the corpus check starts at four trigrams.
MIN_TRIGRAMS = 4
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _trigrams(text: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.lower().replace("’", "'"))
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@pytest.fixture(scope="module")
def raw() -> list[dict]:
    lines = CALLS_FILE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def examples():
    return load(CALLS_FILE)


def _corpus_texts() -> list[str]:
    """Every 'text' value in the corpus YAML files: message bodies and call turn texts."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for name in ("calls.yaml", "messages.yaml"):
        walk(yaml.safe_load((CORPUS / name).read_text(encoding="utf-8")))
    return found


def test_loads_with_the_training_loader(examples, raw):
    assert len(examples) == len(raw) >= 250
    assert {ex.label for ex in examples} == {"scam", "legit"}
    assert all(ex.message.channel == "call" for ex in examples)
    assert all(ex.source == SOURCES[ex.label] for ex in examples)


def test_labels_are_roughly_balanced(examples):
    counts = Counter(ex.label for ex in examples)
    assert abs(counts["scam"] - counts["legit"]) <= 0.2 * len(examples), counts


def test_rows_are_well_formed(raw):
    ids = [row["id"] for row in raw]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for row in raw:
        assert re.fullmatch(r"ukc-\d{4}", row["id"]), row["id"]
        assert row["channel"] == "call" and row["label"] in SOURCES, row["id"]
        turns = row["turns"]
        # A speech recogniser without diarisation gives one merged turn; otherwise 4-16 turns.
        assert len(turns) == 1 or 4 <= len(turns) <= 16, (row["id"], len(turns))
        assert all(t["speaker"] in ("caller", "callee") and t["text"].strip() for t in turns), row["id"]


def test_both_styles_present_for_each_label(raw):
    """About half of each label is speech-recogniser style: no capitals, no punctuation."""
    for label in SOURCES:
        rows = [r for r in raw if r["label"] == label]
        asr = [r for r in rows if not re.search(r"[A-Z.,?!]", " ".join(t["text"] for t in r["turns"]))]
        assert 0.3 <= len(asr) / len(rows) <= 0.7, (label, len(asr), len(rows))


def test_no_duplicate_or_near_duplicate_calls(raw):
    grams = [(row["id"], _trigrams(" ".join(t["text"] for t in row["turns"]))) for row in raw]
    index: dict[tuple, list[int]] = defaultdict(list)
    for i, (_, g) in enumerate(grams):
        for tri in g:
            index[tri].append(i)
    for i, (rid, g) in enumerate(grams):
        others = {j for tri in g for j in index[tri] if j > i}
        for j in others:
            score = _jaccard(g, grams[j][1])
            assert score < NEAR_COPY, f"{rid} and {grams[j][0]} are near-identical (3-gram Jaccard {score:.2f})"


def test_no_turn_is_a_near_copy_of_the_regression_corpus(raw):
    corpus = [(text, _trigrams(text)) for text in _corpus_texts()]
    corpus = [(text, g) for text, g in corpus if g]
    assert len(corpus) > 50, "the regression corpus should have been read"
    index: dict[tuple, list[int]] = defaultdict(list)
    for k, (_, g) in enumerate(corpus):
        for tri in g:
            index[tri].append(k)
    for row in raw:
        for turn in row["turns"]:
            g = _trigrams(turn["text"])
            if len(g) < MIN_TRIGRAMS:
                continue
            for k in {k for tri in g for k in index[tri]}:
                score = _jaccard(g, corpus[k][1])
                assert score < NEAR_COPY, f"{row['id']}: a turn is a near-copy of a corpus text ({score:.2f})"
