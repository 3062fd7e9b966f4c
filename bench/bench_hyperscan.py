"""Prototype for issue 11 part 1 (not wired into the engine): Hyperscan as the pattern detector's
candidate finder, against ``detectors/prefilter.py``'s literal prefilter.

    .venv/bin/python bench/bench_hyperscan.py          # writes bench/results/hyperscan_prefilter.json

Every top-level alternative of every red-flag pattern (``PatternDetector.rules[i].alternatives``) goes
into one Hyperscan database, each in prefilter mode (HS_FLAG_PREFILTER: Hyperscan may report a match
the Python regex would not make, never the reverse), UTF-8 with Unicode properties (as Python's ``\\w``
and ``\\b``), one report per alternative per text. A text is scanned once; the alternatives reported
are the candidates the Python regexes then confirm, exactly as the prefilter's are today. The database
takes tens of seconds to compile, so it is built once and kept in ~/.cache/scamshield (or
$XDG_CACHE_HOME/scamshield) under a hash of the Hyperscan version, the flags and the patterns.

Checked here on every sms_test.csv text (a workload only): no alternative whose Python regex matches
the normalised text is missing from Hyperscan's candidates (the property that keeps findings exact),
and the time per text of each candidate finder.
"""

from __future__ import annotations

import csv
import hashlib
import os
import sys
import time
from pathlib import Path

from _common import machine, split, write


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "scamshield"


def build(patterns: list[str]):
    """The compiled database for ``patterns`` (id = index), from the cache when it is there."""
    import hyperscan

    flags = (hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_UTF8
             | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_ALLOWEMPTY)
    version = getattr(hyperscan, "__version__", "?")
    key = hashlib.sha256(repr((version, flags, patterns)).encode()).hexdigest()[:24]
    path = cache_dir() / f"hyperscan-{key}.db"
    t = time.perf_counter()
    if path.is_file():
        db = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        built = False
    else:
        db = hyperscan.Database()
        db.compile(expressions=[p.encode() for p in patterns], ids=list(range(len(patterns))),
                   elements=len(patterns), flags=[flags] * len(patterns))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(hyperscan.dumpb(db))
        tmp.replace(path)  # atomic: a concurrent reader sees the old file or the whole new one
        built = True
    db.scratch = hyperscan.Scratch(db)
    return db, {"compiled": built, "seconds": round(time.perf_counter() - t, 3),
                "bytes": path.stat().st_size, "cache_file": str(path)}


def main() -> int:
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        print("needs the hyperscan package (pip install hyperscan)", file=sys.stderr)
        return 1
    from scamshield.detectors.patterns import PatternDetector
    from scamshield.preprocess import make_unit

    det = PatternDetector.from_rules()
    keys, patterns, regexes = [], [], []
    for ri, rule in enumerate(det.rules):
        for ai, (rx, _) in enumerate(rule.alternatives):
            keys.append((ri, ai))
            patterns.append(rx.pattern)
            regexes.append(rx)
    db, info = build(patterns)
    with open(split("sms_test"), encoding="utf-8", newline="") as fh:
        norms = [make_unit(r["text"]).norm for r in csv.DictReader(fh)]

    def hs_candidates(text: str) -> set:
        found: set = set()

        def on_match(i, _from, _to, _flags, _ctx):
            found.add(keys[i])

        db.scan(text.encode(), match_event_handler=on_match)
        return found

    for s in norms[:200]:
        hs_candidates(s)
        det.prefilter.candidates(s)
    t = time.perf_counter()
    hs = [hs_candidates(s) for s in norms]
    hs_us = (time.perf_counter() - t) / len(norms) * 1e6
    t = time.perf_counter()
    pf = [det.prefilter.candidates(s) for s in norms]
    pf_us = (time.perf_counter() - t) / len(norms) * 1e6
    missed = [(keys[k], s[:80]) for s, cands in zip(norms, hs, strict=True)
              for k, rx in enumerate(regexes) if keys[k] not in cands and rx.search(s)]
    payload = {
        "what": "candidate finding for the pattern detector: Hyperscan (prefilter mode, one database) vs "
                "detectors/prefilter.py; prototype, not used by the engine",
        "machine": machine(), "load_average": [round(x, 2) for x in os.getloadavg()],
        "alternatives": len(patterns), "database": info, "texts": len(norms),
        "hyperscan_us_per_text": round(hs_us, 2), "prefilter_us_per_text": round(pf_us, 2),
        "mean_candidates_hyperscan": round(sum(map(len, hs)) / len(hs), 3),
        "mean_candidates_prefilter": round(sum(map(len, pf)) / len(pf), 3),
        "matching_alternatives_missed_by_hyperscan": len(missed), "first_missed": missed[:5],
    }
    write("hyperscan_prefilter", payload)
    print(f"{len(patterns)} alternatives; database {'compiled' if info['compiled'] else 'loaded'} in "
          f"{info['seconds']} s; Hyperscan {hs_us:.1f} us/text vs prefilter {pf_us:.1f}; candidates "
          f"{payload['mean_candidates_hyperscan']} vs {payload['mean_candidates_prefilter']}; missed {len(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
