"""The pattern detector's candidate finder (``detectors/multimatch.py``): Hyperscan against the plain
``re`` path the engine takes when the hyperscan package is not installed.

    .venv/bin/python bench/bench_hyperscan.py          # writes bench/results/hyperscan.json

Every top-level alternative of every red-flag pattern is one regex of the detector's ``MultiMatcher``.
With Hyperscan, one scan of a text over a database of the widened regexes (prefilter mode) gives the
candidates, which Python's ``re`` then confirms; plain, every regex is searched. Measured on every
sms_test.csv text (a workload only; labels unused), normalised as the engine does:

* candidate finding, microseconds per text, for each engine, and the mean number of candidates;
* the whole pattern detector (``PatternDetector.analyze``: candidates, confirming matches, weighing
  them), microseconds per text, for each engine;
* the database: compile time from scratch (into a temporary cache directory), size, and load time
  from the cache in a fresh process;
* exactness: no regex that matches a text is missing from Hyperscan's candidates, and both engines give
  the same findings on every text (the run fails otherwise).
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine, split, write

_LOAD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from scamshield.detectors.patterns import PatternDetector
t = time.perf_counter()
det = PatternDetector.from_rules(build="never")
assert det.matcher.engine == "hyperscan", det.matcher.engine
print(round(time.perf_counter() - t, 4))
"""


def _per_text_us(fn, items, repeat: int = 3) -> float:
    """The best of ``repeat`` passes over ``items``, microseconds per item."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for it in items:
            fn(it)
        best = min(best, time.perf_counter() - t)
    return best / len(items) * 1e6


def _database(regexes) -> dict:
    """Compile the database from scratch into a temporary cache, then time a fresh process loading it."""
    from scamshield.detectors import multimatch
    from scamshield.detectors.multimatch import MultiMatcher

    with tempfile.TemporaryDirectory() as tmp:
        multimatch._loaded.clear()
        t = time.perf_counter()
        m = MultiMatcher.open(regexes, build="now", root=Path(tmp))
        compile_s = time.perf_counter() - t
        env = {**os.environ, "SCAMSHIELD_CACHE_DIR": tmp}
        out = subprocess.run([sys.executable, "-c", _LOAD, str(ROOT / "src")], env=env, capture_output=True,
                             text=True, check=True, timeout=120)
        return {"regexes": len(regexes), "compile_s": round(compile_s, 3), "bytes": m.path.stat().st_size,
                "fresh_process_detector_load_s": float(out.stdout.split()[-1])}


def main() -> int:
    from scamshield.detectors.multimatch import MultiMatcher
    from scamshield.detectors.patterns import PatternDetector
    from scamshield.preprocess import make_unit

    if not MultiMatcher.available():
        print("needs the hyperscan package (pip install 'scamshield[scale]')", file=sys.stderr)
        return 1
    fast = PatternDetector.from_rules(build="now")
    plain = PatternDetector.from_rules(engine="re")
    assert fast.matcher.engine == "hyperscan"
    regexes = fast.matcher.regexes
    with open(split("sms_test"), encoding="utf-8", newline="") as fh:
        units = [make_unit(r["text"]) for r in csv.DictReader(fh)]
    norms = [u.norm for u in units]

    for s in norms[:300]:  # warm-up: scratch space, re's caches
        fast.matcher.candidates(s)
        plain.matcher.candidates(s)
    load_before = [round(x, 2) for x in os.getloadavg()]
    hs_us = _per_text_us(fast.matcher.candidates, norms)
    re_us = _per_text_us(plain.matcher.candidates, norms)
    hs_det_us = _per_text_us(fast.analyze, units)
    re_det_us = _per_text_us(plain.analyze, units)
    load_after = [round(x, 2) for x in os.getloadavg()]

    hs = [fast.matcher.candidates(s) for s in norms]
    exact = [plain.matcher.candidates(s) for s in norms]
    missed = [(i, s[:80]) for s, got, want in zip(norms, hs, exact, strict=True) for i in set(want) - set(got)]
    differ = [u.text[:80] for u in units if fast.analyze(u) != plain.analyze(u)]
    payload = {
        "what": "the pattern detector's candidate finder (detectors/multimatch.py): Hyperscan (one scan, "
                "prefilter mode, widened regexes) vs plain re (every regex searched, as without hyperscan)",
        "machine": machine(), "load_average_before": load_before, "load_average_after": load_after,
        "texts": f"sms_test.csv ({len(norms):,}), normalised",
        "database": _database(regexes),
        "candidates_us_per_text": {"hyperscan": round(hs_us, 2), "re": round(re_us, 2)},
        "pattern_detector_us_per_text": {"hyperscan": round(hs_det_us, 2), "re": round(re_det_us, 2)},
        "mean_candidates": {"hyperscan": round(sum(map(len, hs)) / len(hs), 3),
                            "re_matching": round(sum(map(len, exact)) / len(exact), 3)},
        "texts_with_no_candidate_hyperscan": sum(not c for c in hs),
        "matching_regexes_missed_by_hyperscan": len(missed), "first_missed": missed[:5],
        "texts_with_different_findings": len(differ), "first_different": differ[:5],
    }
    write("hyperscan", payload)
    db = payload["database"]
    print(f"{len(regexes)} regexes; database compiled in {db['compile_s']} s ({db['bytes']:,} bytes), loaded in a "
          f"fresh process in {db['fresh_process_detector_load_s']} s")
    print(f"candidates: Hyperscan {hs_us:.1f} us/text vs re {re_us:.1f}; pattern detector {hs_det_us:.1f} vs "
          f"{re_det_us:.1f} us/text; mean candidates {payload['mean_candidates']}; missed {len(missed)}, "
          f"texts with different findings {len(differ)}")
    return 1 if missed or differ else 0


if __name__ == "__main__":
    sys.exit(main())
