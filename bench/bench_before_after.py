"""Speed of two versions of the engine, measured alternately on the same machine at the same time.

    .venv/bin/python bench/bench_before_after.py BEFORE_DIR AFTER_DIR [--rounds 3] [--note TEXT]
        # writes bench/results/before_after.json

Each DIR is a checkout of the repository (for example `git archive <commit> | tar -x -C DIR`). Runs
alternate before/after in fresh processes, so a busy machine slows both alike; each run reports the
batch rate (best of 3 passes of analyze_batch over sms_test.csv texts) and single-message p50/p99, for
the engine without the learned model ("rules") and the whole engine ("full"). Compare like with like:
give both checkouts the same rules and model files when only the engine code is meant to differ.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from _common import ROOT, write

_RUN = r"""
import gc, json, sys, time
root, mode = sys.argv[1], sys.argv[2]
sys.path.insert(0, {bench!r})
from _common import percentile, split  # puts this checkout's src first: the other one goes before it
sys.path.insert(0, root + "/src")
import scamshield
assert scamshield.__file__.startswith(root), scamshield.__file__
from scamshield import Analyzer
from scamshield.advice import Advisor
from scamshield.detectors.model import ModelDetector
from scamshield.detectors.registry import default_detectors
from scamshield.learn.data import load
from scamshield.scoring import Scorer
msgs = [e.message for e in load(split("sms_test"))]
dets = [d for d in default_detectors() if mode == "full" or not isinstance(d, ModelDetector)]
an = Analyzer(dets, Scorer.from_rules(), Advisor.from_rules())
an.analyze_batch(msgs[:1000]); gc.collect()
best = 1e9
for _ in range(3):
    t0 = time.perf_counter(); an.analyze_batch(msgs); best = min(best, time.perf_counter() - t0)
lat = []
for m in msgs:
    t = time.perf_counter_ns(); an.analyze(m); lat.append((time.perf_counter_ns() - t) / 1e6)
lat.sort()
print(json.dumps({{"batch_msgs_per_s": round(len(msgs) / best, 1), "p50_ms": round(percentile(lat, 0.5), 4),
                  "p99_ms": round(percentile(lat, 0.99), 4)}}))
"""


def _one(root: Path, mode: str) -> dict:
    code = _RUN.format(bench=str(ROOT / "bench"))
    out = subprocess.run([sys.executable, "-c", code, str(root), mode], capture_output=True, text=True,
                         check=True, timeout=900)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--modes", default="rules,full")
    ap.add_argument("--note", default="")
    args = ap.parse_args()
    for d in (args.before, args.after):
        if not (d / "src" / "scamshield").is_dir():
            sys.exit(f"error: {d} is not a checkout of this repository (no src/scamshield)")
    payload: dict = {"what": "before/after, alternating fresh processes, sms_test.csv texts", "note": args.note,
                     "before": str(args.before), "after": str(args.after),
                     "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    for mode in args.modes.split(","):
        runs: dict[str, list[dict]] = {"before": [], "after": []}
        for _ in range(args.rounds):
            for name in ("before", "after"):
                runs[name].append(_one(getattr(args, name), mode))
        summary = {}
        for name, rs in runs.items():
            summary[name] = {k: round(statistics.median(r[k] for r in rs), 4) for k in rs[0]}
        summary["runs"] = runs
        payload[mode] = summary
        b, a = summary["before"], summary["after"]
        print(f"{mode}: batch {b['batch_msgs_per_s']:,.0f} -> {a['batch_msgs_per_s']:,.0f} SMS/s, "
              f"p50 {b['p50_ms']} -> {a['p50_ms']} ms, p99 {b['p99_ms']} -> {a['p99_ms']} ms (medians)")
    payload["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    write("before_after", payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
