"""Accuracy on every test split, four engines side by side:

* combined  - the default engine (red-flag rules + caller ID + the learned model, fitted weights);
* rules     - the same engine without the learned model;
* model     - the learned model alone (its calibrated probabilities against the scorer's thresholds);
* baseline  - the textbook TF-IDF + multinomial naive Bayes (scikit-learn defaults), trained on the
              same channel's train split (sms_train for SMS, call_train for calls).

    .venv/bin/python bench/bench_accuracy.py     # writes bench/results/accuracy.json and
                                                 # bench/results/eval_<split>.json (full reports)

Only the *_train.csv files are ever fitted on; *_test.csv and call_real_scams_eval.csv are read here
for reporting only.

The real scam-call file has no genuine calls, so recall there cannot tell a model that recognises scams
from one that calls everything unfamiliar a scam. As a check on that, the baseline (trained on the shared
splits only) is also run on the team-written genuine UK texts and calls in training/ (out of its
training data; our own model trains on them, so it is not scored there).
"""

from __future__ import annotations

import json
import re
import sys
import time

from _common import RESULTS, ROOT, split, write

TEST_FILES = {"sms_test": "sms_train", "call_test": "call_train", "call_real_scams_eval": "call_train"}
HEADLINE = ("n", "scam_recall", "legit_fpr", "unwanted_f1", "unwanted_precision", "unwanted_recall")
TARGETS = {
    "sms_test": {"unwanted_f1": ">= 0.98", "scam_recall": ">= 0.97", "legit_fpr": "<= 0.005"},
    "call_test": {"unwanted_f1": ">= 0.99"},
    "call_real_scams_eval": {"scam_recall": ">= 0.90"},
}

TEAM_FILES = {"sms_train": ROOT / "training" / "uk_sms.csv", "call_train": ROOT / "training" / "uk_calls.jsonl"}


def _plain(ex) -> str:
    m = ex.message
    return m.text if not m.turns else "\n".join(t.text for t in m.turns)


def baseline_predictions(train, test):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline

    from scamshield.learn.metrics import Prediction

    pipe = make_pipeline(TfidfVectorizer(), MultinomialNB())
    pipe.fit([_plain(e) for e in train], [e.label for e in train])
    classes = list(pipe.classes_)
    proba = pipe.predict_proba([_plain(e) for e in test])
    out = []
    for ex, p in zip(test, proba, strict=True):
        label = classes[int(p.argmax())]
        verdict = {"scam": "scam", "spam": "spam", "legit": "safe"}[label]
        risk = float(p[classes.index("scam")]) if "scam" in classes else 0.0
        out.append(Prediction(ex.message.id, ex.label, ex.source, verdict, risk, text=_plain(ex)[:300]))
    return out


def recall_at_k(preds, k: int) -> float | None:
    """Scam recall when the engine's risk is cut so that at most ``k`` legit items are flagged: compares
    engines at the same number of false alarms, whatever their thresholds (a count, not a rounded rate;
    scams tied with the cut are not counted as caught)."""
    legit = sorted((p.risk for p in preds if p.label == "legit"), reverse=True)
    scams = [p.risk for p in preds if p.label == "scam"]
    if not legit or not scams:
        return None
    thr = legit[k] if k < len(legit) else -1.0
    return round(sum(r > thr for r in scams) / len(scams), 6)


_WORDS = re.compile(r"\w+")


def _masked(ex) -> str:
    from scamshield.preprocess import normalise

    return " ".join(re.sub(r"\d+", "0", normalise(_plain(ex))[0]).split())


def novel_ids(train, test) -> set:
    """Ids of test rows that are not near-copies of a training row (same text with digits masked, or word
    4-gram Jaccard >= 0.8): the splits are de-duplicated on exact normalised text only, so templated bulk
    texts with different numbers or names sit on both sides."""
    def grams(text):
        w = _WORDS.findall(text)
        return frozenset(zip(w, w[1:], w[2:], w[3:], strict=False))

    exact = {_masked(e) for e in train}
    train_grams = [grams(_masked(e)) for e in train]
    index: dict = {}
    for i, g in enumerate(train_grams):
        for gram in g:
            index.setdefault(gram, []).append(i)
    out = set()
    for ex in test:
        m = _masked(ex)
        if m in exact:
            continue
        mine = grams(m)
        hits: dict = {}
        for gram in mine:
            for i in index.get(gram, ()):
                hits[i] = hits.get(i, 0) + 1
        if not any(n / len(mine | train_grams[i]) >= 0.8 for i, n in hits.items()):
            out.add(ex.message.id)
    return out


def baseline_on_team_genuine() -> dict:
    """False-alarm rate of the baseline on the team-written genuine UK messages (not in its training)."""
    from scamshield.learn.data import load

    out = {}
    for train_name, path in TEAM_FILES.items():
        if not path.is_file():
            continue
        genuine = [e for e in load(path) if e.label == "legit"]
        try:
            preds = baseline_predictions(load(split(train_name)), genuine)
        except ImportError:
            return {"skipped": "install the 'train' extra (scikit-learn)"}
        flagged = sum(p.verdict == "scam" for p in preds)
        out[path.name] = {"n_genuine": len(genuine), "flagged_scam": flagged,
                          "legit_fpr": round(flagged / len(genuine), 6), "trained_on": f"{train_name}.csv"}
        print(f"baseline on team genuine {path.name}: {out[path.name]}")
    return out


def main() -> int:
    from scamshield.learn.data import load
    from scamshield.learn.evaluate import predict
    from scamshield.learn.metrics import report

    summary: dict = {}
    for test_name, train_name in TEST_FILES.items():
        test = load(split(test_name))
        train = load(split(train_name))
        per_engine = {}
        preds_by_engine = {}
        for engine in ("combined", "rules", "model"):
            t = time.perf_counter()
            preds = predict(test, engine)
            preds_by_engine[engine] = preds
            rep = report(preds)
            secs = time.perf_counter() - t
            per_engine[engine] = {k: rep[k] for k in HEADLINE} | {"seconds": round(secs, 2)}
            per_engine[engine]["by_source"] = {
                s: {k: v[k] for k in HEADLINE} for s, v in rep["by_source"].items()
            }
            if engine == "combined":
                full = {"file": f"splits/{test_name}.csv", "engine": engine, **rep}
                RESULTS.mkdir(parents=True, exist_ok=True)
                (RESULTS / f"eval_{test_name}.json").write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8")
            print(f"{test_name:22s} {engine:9s} " + "  ".join(f"{k}={per_engine[engine][k]}" for k in HEADLINE[1:4]))
        try:
            rep = report(baseline_predictions(train, test))
            per_engine["baseline_tfidf_nb"] = {k: rep[k] for k in HEADLINE} | {"trained_on": f"{train_name}.csv"}
            print(f"{test_name:22s} {'baseline':9s} "
                  + "  ".join(f"{k}={per_engine['baseline_tfidf_nb'][k]}" for k in HEADLINE[1:4]))
        except ImportError:
            per_engine["baseline_tfidf_nb"] = {"skipped": "install the 'train' extra (scikit-learn)"}
        novel = novel_ids(train, test)
        per_engine["novel_rows"] = {
            "what": "the same engines on test rows that are not near-copies of a training row",
            "n": len(novel),
            **{e: {k: report([p for p in ps if p.id in novel])[k] for k in HEADLINE}
               for e, ps in preds_by_engine.items()},
        }
        print(f"{test_name:22s} novel rows ({len(novel)}): " + "  ".join(
            f"{e} {per_engine['novel_rows'][e]['scam_recall']}/{per_engine['novel_rows'][e]['legit_fpr']}"
            for e in preds_by_engine))
        fpr = per_engine["combined"]["legit_fpr"]
        if fpr is not None:
            k = sum(p.label == "legit" and p.verdict in ("scam", "suspicious") for p in preds_by_engine["combined"])
            per_engine["recall_at_combined_fpr"] = {
                "legit_fpr": fpr,
                "legit_flagged": k,
                **{e: recall_at_k(ps, k) for e, ps in preds_by_engine.items()},
            }
            print(f"{test_name:22s} scam recall at legit FPR {fpr}: {per_engine['recall_at_combined_fpr']}")
        summary[test_name] = {"targets": TARGETS.get(test_name, {}), **per_engine}
    summary["baseline_on_team_genuine"] = baseline_on_team_genuine()
    write("accuracy", {"what": "scam recall, legit FPR, unwanted F1 per test split and engine", "files": summary})
    return 0


if __name__ == "__main__":
    sys.exit(main())
