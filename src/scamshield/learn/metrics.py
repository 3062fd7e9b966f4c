"""Evaluation metrics, pure Python: what ``scamshield eval`` and the accuracy benchmark report.

* scam recall      = scam-labelled items whose verdict is scam or suspicious / scam-labelled items
* legit FPR        = legit items whose verdict is scam or suspicious / legit items
* unwanted F1      = F1 of "scam or spam" against "legit", any verdict other than safe counting positive
* confusion matrix = label x verdict counts
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

LABELS = ("scam", "spam", "legit")
VERDICTS = ("scam", "suspicious", "spam", "safe")
FLAGGED = frozenset({"scam", "suspicious"})
WORST = 5


@dataclass(frozen=True, slots=True)
class Prediction:
    id: str | None
    label: str
    source: str
    verdict: str
    risk: float
    spam_score: float = 0.0
    flags: tuple[str, ...] = ()
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 6) if den else None


def scores(preds: list[Prediction]) -> dict[str, Any]:
    """The headline numbers and the confusion matrix for one group of predictions."""
    cm: Counter = Counter((p.label, p.verdict) for p in preds)
    n_label = Counter(p.label for p in preds)
    scam_hit = sum(cm[("scam", v)] for v in FLAGGED)
    legit_fp = sum(cm[("legit", v)] for v in FLAGGED)
    tp = sum(cm[(lab, v)] for lab in ("scam", "spam") for v in VERDICTS if v != "safe")
    fn = cm[("scam", "safe")] + cm[("spam", "safe")]
    fp = sum(cm[("legit", v)] for v in VERDICTS if v != "safe")
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = round(2 * tp / (2 * tp + fp + fn), 6) if (tp + fp + fn) else None
    return {
        "n": len(preds),
        "labels": {lab: n_label[lab] for lab in LABELS if n_label[lab]},
        "scam_recall": _ratio(scam_hit, n_label["scam"]),
        "legit_fpr": _ratio(legit_fp, n_label["legit"]),
        "unwanted_precision": precision,
        "unwanted_recall": recall,
        "unwanted_f1": f1,
        "confusion": {lab: {v: cm[(lab, v)] for v in VERDICTS} for lab in LABELS if n_label[lab]},
    }


def _example(p: Prediction) -> dict[str, Any]:
    text = p.text if len(p.text) <= 240 else p.text[:237] + "..."
    return {"id": p.id, "source": p.source, "label": p.label, "verdict": p.verdict,
            "risk": round(p.risk, 4), "flags": list(p.flags), "text": text}


def report(preds: list[Prediction], worst: int = WORST) -> dict[str, Any]:
    """Scores overall and per source, plus the worst misses and false alarms with their flags."""
    by_source: dict[str, list[Prediction]] = defaultdict(list)
    for p in preds:
        by_source[p.source].append(p)
    misses = sorted((p for p in preds if p.label == "scam" and p.verdict not in FLAGGED), key=lambda p: p.risk)
    alarms = sorted((p for p in preds if p.label == "legit" and p.verdict != "safe"), key=lambda p: -p.risk)
    return {
        **scores(preds),
        "by_source": {src: scores(ps) for src, ps in sorted(by_source.items())},
        "worst_misses": [_example(p) for p in misses[:worst]],
        "worst_false_alarms": [_example(p) for p in alarms[:worst]],
    }


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.2f}%"


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.4f}"


def format_report(name: str, rep: dict[str, Any]) -> str:
    """A plain-text rendering of ``report()`` for the terminal."""
    lines = [f"== {name}: {rep['n']:,} items {rep['labels']}"]
    lines.append(f"   scam recall {_pct(rep['scam_recall'])}   legit FPR {_pct(rep['legit_fpr'])}   "
                 f"unwanted F1 {_num(rep['unwanted_f1'])} (P {_num(rep['unwanted_precision'])}, "
                 f"R {_num(rep['unwanted_recall'])})")
    lines.append("   confusion (label -> " + " / ".join(VERDICTS) + "):")
    for lab, row in rep["confusion"].items():
        lines.append(f"     {lab:6s} " + " ".join(f"{row[v]:>7,}" for v in VERDICTS))
    if len(rep.get("by_source", {})) > 1:
        lines.append("   per source:")
        for src, s in rep["by_source"].items():
            lines.append(f"     {src:28s} n={s['n']:>6,}  scam recall {_pct(s['scam_recall']):>8}  "
                         f"legit FPR {_pct(s['legit_fpr']):>7}  unwanted F1 {_num(s['unwanted_f1'])}")
    for key, title in (("worst_misses", "worst misses"), ("worst_false_alarms", "worst false alarms")):
        if rep.get(key):
            lines.append(f"   {title}:")
            for ex in rep[key]:
                text = ex["text"].replace("\n", " ")[:110]
                lines.append(f"     [{ex['verdict']} {ex['risk']:.3f}] {ex['id']}: {text!r}")
                lines.append(f"        flags: {', '.join(ex['flags']) or '-'}")
    return "\n".join(lines)
