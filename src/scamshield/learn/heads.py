"""The model's two logistic heads per channel (scam vs legit; unwanted vs legit): out-of-fold scores by
grouped 5-fold cross-validation, the final heads on all rows, pruned to the most useful features, and
Platt scaling of the out-of-fold scores. The slow part of training; ``cache`` keeps it between runs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..errors import InputError
from .data import Example
from .features import build_matrix, unit_texts

HEADS = ("scam", "spam")
CHANNELS = ("sms", "call")
C = 3.0  # chosen out-of-fold among 3, 6, 16, 40 (see docs/model.md)
KEEP_WORDS = 60_000
KEEP_CHARS = 60_000
FOLDS = 5


def head_rows(y, head):
    import numpy as np

    if head == "scam":
        rows = np.flatnonzero(y != "spam")
        return rows, (y[rows] == "scam").astype(int)
    rows = np.arange(len(y))
    return rows, (y != "legit").astype(int)


def fit_head(X, yb, keep_words: int, keep_chars: int, is_char, sw=None):
    """Fit, keep the most useful features (|w| * sqrt(df)), refit on those. Returns (coef, bias, cols)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=C, max_iter=3000)
    lr.fit(X, yb, sample_weight=sw)
    w = lr.coef_.ravel()
    df = np.asarray((X > 0).sum(axis=0)).ravel()
    imp = np.abs(w) * np.sqrt(df)
    cols = []
    for mask, k in ((~is_char, keep_words), (is_char, keep_chars)):
        idx = np.flatnonzero(mask & (imp > 0))
        cols.append(idx[np.argsort(-imp[idx])[:k]])
    cols = np.sort(np.concatenate(cols))
    lr2 = LogisticRegression(C=C, max_iter=3000)
    lr2.fit(X[:, cols], yb, sample_weight=sw)
    return lr2.coef_.ravel(), float(lr2.intercept_[0]), cols


def platt(raw, yb):
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e4, max_iter=1000).fit(raw.reshape(-1, 1), yb)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def learn(examples: list[Example], y, strat, groups, sw, log, t0: float) -> dict[str, Any]:
    """Features, out-of-fold raw scores of both heads (5-fold CV), and the final heads on all rows.

    Folds are grouped: a message template (digits masked) or a call and its ASR-style copy never sit on
    both sides of a fold, so the out-of-fold numbers are not flattered by near-duplicates."""
    import numpy as np
    from sklearn.model_selection import StratifiedGroupKFold

    log(f"features for {len(examples):,} training messages ...")
    mat = build_matrix(examples)
    is_char = np.array([n.startswith("\x01") for n in mat.names])
    log(f"  {mat.X.shape[1]:,} features (min df 2), {time.time() - t0:.0f}s")

    skf = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=0)
    oof = {h: np.zeros(len(y)) for h in HEADS}
    for k, (tr, te) in enumerate(skf.split(np.zeros(len(y)), strat, groups)):
        for head in heads_for(y):
            rows, yb = head_rows(y[tr], head)
            coef, b, cols = fit_head(mat.X[tr[rows]], yb, KEEP_WORDS, KEEP_CHARS, is_char, sw[tr[rows]])
            oof[head][te] = b + mat.X[te][:, cols] @ coef
        log(f"  fold {k + 1}/{FOLDS} done, {time.time() - t0:.0f}s")
    if "spam" not in heads_for(y):
        oof["spam"] = oof["scam"]

    log("final fit on all training data ...")
    heads_out = {}
    for head in heads_for(y):
        rows, yb = head_rows(y, head)
        coef, b, cols = fit_head(mat.X[rows], yb, KEEP_WORDS, KEEP_CHARS, is_char, sw[rows])
        heads_out[head] = (coef, b, cols)
    heads_out.setdefault("spam", heads_out["scam"])
    return {"oof": oof, "heads": heads_out, "names": mat.names}


def heads_for(y) -> tuple[str, ...]:
    """Calls have no "spam" label: their unwanted head is their scam head."""
    return HEADS if (y == "spam").any() else ("scam",)


def cached_learn(examples: list[Example], y, strat, groups, sw, log, t0: float, cache: str | None = None
                 ) -> dict[str, Any]:
    """Both channels' heads (``learn`` per channel). ``cache`` (a file name prefix; the CLI's --cache or
    $SCAMSHIELD_TRAIN_CACHE) keeps them between runs while tuning the fit: one file per channel and exact
    training set of that channel, so a run that changes only the texts reuses the calls' heads."""
    import hashlib
    import pickle

    import numpy as np

    learned = {}
    chans = np.array([e.message.channel for e in examples])
    for ch in CHANNELS:
        idx = np.flatnonzero(chans == ch)
        for label in ("scam", "legit"):
            n_groups = len({groups[i] for i in idx if y[i] == label})
            if n_groups < FOLDS:
                raise InputError(
                    f"the training data has {n_groups} distinct {ch} messages labelled {label}; at least "
                    f"{FOLDS} are needed (is the 'channel' column of the call file set to 'call'?)")
        path = None
        if cache:  # the channel's exact training set (ids, labels, weights, texts, groups) names its file
            rows = [(examples[i].message.id, y[i], ch, unit_texts(examples[i]), sw[i], groups[i]) for i in idx]
            key = hashlib.sha256(repr((rows, C, KEEP_WORDS, KEEP_CHARS, FOLDS)).encode()).hexdigest()[:16]
            path = Path(f"{cache}.{ch}.{key}")
        if path is not None and path.is_file():
            log(f"{ch} model: reusing cross-validation results from {path}")
            with open(path, "rb") as fh:
                part = pickle.load(fh)
        else:
            log(f"{ch} model:")
            part = learn([examples[i] for i in idx], y[idx], strat[idx], [groups[i] for i in idx], sw[idx], log, t0)
            if path is not None:
                with open(path, "wb") as fh:
                    pickle.dump(part, fh)
        learned[ch] = {**part, "rows": idx}
    return learned


def calibrate(learned: dict[str, Any], y, is_team):
    """Platt scaling per channel and head on the out-of-fold scores, and the calibrated out-of-fold
    probabilities of every row. Calls are calibrated on the team-written UK calls where there are any: the
    synthetic training calls separate perfectly, so calibrating on them would make the call model
    overconfident on real calls."""
    import numpy as np
    from scipy.special import expit

    scaling: dict[str, dict[str, tuple[float, float]]] = {}
    p_oof = {h: np.zeros(len(y)) for h in HEADS}
    for ch, part in learned.items():
        idx = part["rows"]
        scaling[ch] = {}
        for head in HEADS:
            rows, yb = head_rows(y[idx], head if (y[idx] == "spam").any() else "scam")
            if ch == "call":
                team_rows = is_team[idx][rows]
                if team_rows.sum() >= 20 and len(set(yb[team_rows])) == 2:
                    rows, yb = rows[team_rows], yb[team_rows]
            scaling[ch][head] = platt(part["oof"][head][rows], yb)
            p_oof[head][idx] = expit(scaling[ch][head][0] * part["oof"][head] + scaling[ch][head][1])
    return scaling, p_oof
