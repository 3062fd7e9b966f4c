"""Precision sanity check for the hand-written red flags, on the TRAIN splits only (sms_train.csv and
call_train.csv; the synthetic calls mark speakers "Suspect:" (taken as caller) and "Innocent:" (callee)).

The red-flag rules (rules/flags/red_flags.yaml, scores.yaml combos) are tuned by reading train messages,
never test ones. This counts, for the rules alone (pattern + link detectors, no learned model):

* legit_fp_rate: legit messages that get "scam" or "suspicious";
* scam_recall:   scam messages that get "scam" or "suspicious";
* how spam-labelled messages are spread over the four verdicts;
* which flags the false positives carry.

    .venv/bin/python bench/bench_red_flags_train.py   # writes bench/results/red_flags_train.json

To compare with an older rule set, run this script from a checkout of that commit (with
SCAMSHIELD_DATA_DIR set): it always measures the src/ beside it.
"""

from __future__ import annotations

import csv
import re
import subprocess
import time
from collections import Counter

from _common import ROOT, split, write

ALARMING = ("scam", "suspicious")


def rules_analyzer():
    from scamshield.advice import Advisor
    from scamshield.analyzer import Analyzer
    from scamshield.detectors.links import LinkDetector
    from scamshield.detectors.patterns import PatternDetector
    from scamshield.scoring import Scorer

    return Analyzer([PatternDetector.from_rules(), LinkDetector.from_rules()], Scorer.from_rules(),
                    Advisor.from_rules())


SPEAKER = re.compile(r"(Suspect|Innocent):")


def to_message(row: dict):
    from scamshield import Message, Turn

    if row["channel"] != "call":
        return Message(text=row["text"][:100_000])
    parts = SPEAKER.split(row["text"])
    turns = tuple(
        Turn("caller" if parts[i] == "Suspect" else "callee", parts[i + 1].strip()[:100_000])
        for i in range(1, len(parts) - 1, 2)
        if parts[i + 1].strip()
    )
    return Message(channel="call", turns=turns) if turns else Message(text=row["text"][:100_000])


def measure(an, name: str) -> dict:
    with split(name).open(encoding="utf-8", errors="replace", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counts: Counter = Counter()
    fp_flags: Counter = Counter()
    fp_examples = []
    t0 = time.perf_counter()
    for r in rows:
        v = an.analyze(to_message(r))
        counts[(r["label"], v.verdict)] += 1
        if r["label"] == "legit" and v.verdict in ALARMING:
            fp_flags.update(f.id for f in v.flags)
            fp_examples.append({"id": r["id"], "verdict": v.verdict, "risk": round(v.risk, 3),
                                "flags": [f.id for f in v.flags]})
    seconds = time.perf_counter() - t0
    totals = Counter(r["label"] for r in rows)
    legit_fp = sum(counts[("legit", v)] for v in ALARMING)
    scam_hit = sum(counts[("scam", v)] for v in ALARMING)
    out = {
        "n": len(rows),
        "legit": totals["legit"],
        "legit_fp": legit_fp,
        "legit_fp_rate": round(legit_fp / totals["legit"], 5),
        "scam": totals["scam"],
        "scam_recall": round(scam_hit / totals["scam"], 4),
        "scam_recall_scam_verdict_only": round(counts[("scam", "scam")] / totals["scam"], 4),
        "verdicts_by_label": {lab: {v: counts[(lab, v)] for v in ("scam", "suspicious", "spam", "safe")}
                              for lab in sorted(totals)},
        "fp_flags": dict(fp_flags.most_common()),
        "fp_examples": fp_examples[:20],
        "seconds": round(seconds, 1),
    }
    print(f"{name}: legit FP {legit_fp}/{totals['legit']} ({out['legit_fp_rate']:.4%}), "
          f"scam recall {out['scam_recall']:.2%} ({seconds:.0f}s)")
    return out


def main() -> None:
    import scamshield

    an = rules_analyzer()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    write("red_flags_train", {
        "engine": "red-flag rules only (PatternDetector + LinkDetector, rules/scores.yaml; no caller ID, no model)",
        "scamshield_from": str(scamshield.__file__),
        "commit": commit.stdout.strip(),
        "sms_train": measure(an, "sms_train"),
        "call_train": measure(an, "call_train"),
    })


if __name__ == "__main__":
    main()
