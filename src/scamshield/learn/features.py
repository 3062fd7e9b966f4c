"""The training messages as the model sees them: every turn's word and character n-gram features (the
same ones ``detectors.model`` computes at inference), speech-recogniser copies of every call, the
cross-validation groups, and the sparse matrix the heads are fitted on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..detectors.model import char_grams, tokens, word_features
from ..preprocess import normalise
from .augment import recogniser_forms
from .data import Example


def unit_texts(ex: Example) -> list[str]:
    m = ex.message
    return [t.text for t in m.turns] if m.turns else [m.text]


def doc_features(texts: list[str]) -> tuple[list[str], int]:
    """Word features and prefixed char n-grams of a message (all its turns), and its token count."""
    feats: list[str] = []
    n = 0
    for text in texts:
        norm = normalise(text)[0]
        toks = tokens(norm)
        n += len(toks)
        feats += word_features(toks)
        for chunk in norm.split():
            feats += ["\x01" + g for g in char_grams(chunk)]
    return feats, n


_DIGITS = re.compile(r"\d+")


def with_asr_copies(examples: list[Example]) -> tuple[list[Example], list[str]]:
    """Every training call also in the forms a speech recogniser gives (learn/augment.py), since calls
    reach the engine through one and the training calls are tidy dialogues. Returns the examples and
    their CV groups (a call and its copies share one; texts group by template, digits masked)."""
    out: list[Example] = []
    groups: list[str] = []
    for i, ex in enumerate(examples):
        out.append(ex)
        if ex.message.channel == "call":
            groups.append(f"call{i}")
            for copy in recogniser_forms(ex.message):
                out.append(Example(copy, ex.label, ex.source + "_asr", ex.weight))
                groups.append(f"call{i}")
        else:
            groups.append(_DIGITS.sub("0", normalise(ex.message.text)[0])[:60])
    return out, groups


@dataclass
class Matrix:
    X: Any  # scipy CSR, rows scaled by 1/sqrt(tokens + 1)
    names: list[str]
    df: Any


def build_matrix(examples: list[Example]):
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    docs = [doc_features(unit_texts(e)) for e in examples]
    ntok = np.array([n for _, n in docs], dtype=float)
    cv = CountVectorizer(analyzer=_identity, min_df=2, dtype=np.float64)
    X = cv.fit_transform(f for f, _ in docs)
    X = (sparse.diags(1.0 / np.sqrt(ntok + 1.0)) @ X).tocsr()
    df = np.asarray((X > 0).sum(axis=0)).ravel()
    return Matrix(X, list(cv.get_feature_names_out()), df)


def _identity(x):
    return x
