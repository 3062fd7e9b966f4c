"""The pattern detector's candidate finder (``detectors/multimatch.py``): Hyperscan by pyperscan (Vectorscan)
against the plain ``re`` path, and against the ``hyperscan`` package it replaced, where that is installed.

    .venv/bin/python bench/bench_hyperscan.py              # writes bench/results/hyperscan.json
    .venv/bin/python bench/bench_hyperscan.py --unwidened  # also times compiling the regexes as written (~75 s)
    .venv/bin/python bench/bench_hyperscan.py --training   # exactness also on training/**/*.jsonl (~10 min)

Every top-level alternative of every red-flag pattern is one regex of the detector's ``MultiMatcher``.
With Hyperscan, one scan of a text over a database of the widened regexes (prefilter mode) gives the
candidates, which Python's ``re`` then confirms; plain, every regex is searched. Measured on every
sms_test.csv text (a workload only; labels unused), normalised as the engine does:

* candidate finding, microseconds per text, for each engine, and the mean number of candidates;
* the whole pattern detector (``PatternDetector.analyze``), microseconds per text, pyperscan and re;
* the database: compile time (best of 2; pyperscan cannot save one, so every process that scans many
  texts pays it), and the break-even: how many texts' plain search cost as much as one compile;
* exactness, on every text as given and again after two lead-ins (12 and 60 characters): regexes that
  match a text but are missing from the candidates, for pyperscan (the run fails on any) and for the old
  hyperscan package (which loses matches that begin past ~10 bytes); with ``--training`` also on every
  text and call turn of training/**/*.jsonl; and both engines give the same findings on every sms_test text
  (the run fails otherwise);
* the reproduction of the hyperscan package's bug: one regex, its match after 0-59 characters of padding.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time

from _common import machine, split, write

LEAD_INS = ("", "so anyway, ", "hello there, sorry to bother you again about the thing earlier. ")
BANK_CODE = ("(?:a|the) (?:one[- ]time |security |verification |authori[sz]ation |confirmation )?(?:pass ?code|code|otp) "
             "(?:from|sent by) (?:your |the )?(?:bank|banking app|card (?:provider|issuer))")


def _training_texts() -> list[str]:
    import glob
    import json

    from _common import ROOT

    texts: list[str] = []
    for f in sorted(glob.glob(str(ROOT / "training" / "**" / "*.jsonl"), recursive=True)):
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    texts += [r["text"]] if isinstance(r.get("text"), str) else []
                    texts += [t["text"] for t in r.get("turns") or () if isinstance(t, dict) and isinstance(t.get("text"), str)]
    return list(dict.fromkeys(texts))


def _padding_repro(old) -> dict:
    """How many of 60 paddings (0-59 x's) before "a code from your bank" each engine finds BANK_CODE after."""
    import re

    from scamshield.detectors.multimatch import MultiMatcher

    new = MultiMatcher.open([re.compile(BANK_CODE)], engine="hyperscan", build="now")
    texts = ["x" * n + " and a code from your bank" for n in range(60)]
    out = {"pyperscan": sum(new.candidates(t) == [0] for t in texts)}
    if old:
        candidates, _ = _old_hyperscan([BANK_CODE], flags_off=True)
        out["hyperscan_0_9_1"] = sum(candidates(t) == [0] for t in texts)
    return out


def _per_text_us(fn, items, repeat: int = 3) -> float:
    """The best of ``repeat`` passes over ``items``, microseconds per item."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        for it in items:
            fn(it)
        best = min(best, time.perf_counter() - t)
    return best / len(items) * 1e6


def _compile_s(widened, repeat: int = 2) -> float:
    from scamshield.detectors.multimatch import compile_database

    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        compile_database(widened)
        best = min(best, time.perf_counter() - t)
    return best


def _old_hyperscan(widened, flags_off: bool = False):
    """The ``hyperscan`` package's candidates function over ``widened``, compiled as multimatch.py did until
    2026-12 (prefilter, single-match, UTF-8, allow-empty; ``flags_off``: none), and its compile time; None
    where the package is not installed."""
    try:
        import hyperscan as hs
    except ImportError:
        return None, None
    flags = 0 if flags_off else hs.HS_FLAG_PREFILTER | hs.HS_FLAG_SINGLEMATCH | hs.HS_FLAG_UTF8 | hs.HS_FLAG_ALLOWEMPTY
    t = time.perf_counter()
    db = hs.Database(mode=hs.HS_MODE_BLOCK)
    db.compile(expressions=[p.encode() for p in widened], ids=list(range(len(widened))), elements=len(widened),
               flags=[flags] * len(widened))
    compile_s = time.perf_counter() - t
    scratch = hs.Scratch(db)

    def collect(i, _s, _e, _f, found):
        found.append(i)

    def candidates(text: str) -> list[int]:
        found: list[int] = []
        db.scan(text.encode("utf-8", "surrogatepass"), match_event_handler=collect, context=found, scratch=scratch)
        return sorted(found)

    return candidates, compile_s


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--unwidened", action="store_true", help="also time compiling the regexes as written (~75 s)")
    ap.add_argument("--training", action="store_true", help="exactness also on training/**/*.jsonl (~10 min)")
    args = ap.parse_args()
    from scamshield.detectors.multimatch import MultiMatcher
    from scamshield.detectors.patterns import PatternDetector
    from scamshield.detectors.widen import _lit, widen
    from scamshield.preprocess import make_unit

    if not MultiMatcher.available():
        print("needs the pyperscan package (pip install 'scamshield[scale]')", file=sys.stderr)
        return 1
    load_before = [round(x, 2) for x in os.getloadavg()]
    plain = PatternDetector.from_rules(engine="re")
    regexes = plain.matcher.regexes
    widened = [widen(rx.pattern) for rx in regexes]
    compile_s = _compile_s(widened)
    fast = PatternDetector.from_rules(engine="hyperscan", build="now")
    assert fast.matcher.engine == "hyperscan"
    old, old_compile_s = _old_hyperscan(widened)
    unwidened_s = None
    if args.unwidened:
        unwidened_s = _compile_s(["".join(map(_lit, rx.pattern)) for rx in regexes], repeat=1)

    with open(split("sms_test"), encoding="utf-8", newline="") as fh:
        units = [make_unit(r["text"]) for r in csv.DictReader(fh)]
    norms = [u.norm for u in units]
    for s in norms[:300]:  # warm-up: scanners, re's caches
        fast.matcher.candidates(s)
        plain.matcher.candidates(s)
    hs_us = _per_text_us(fast.matcher.candidates, norms)
    re_us = _per_text_us(plain.matcher.candidates, norms)
    old_us = _per_text_us(old, norms) if old else None
    hs_det_us = _per_text_us(fast.analyze, units)
    re_det_us = _per_text_us(plain.analyze, units)
    load_after = [round(x, 2) for x in os.getloadavg()]

    missed = {"pyperscan": [], "hyperscan_0_9_1": []}
    texts_missed = {"pyperscan": 0, "hyperscan_0_9_1": 0}
    n = 0
    exactness = norms + ([make_unit(t).norm for t in _training_texts()] if args.training else [])
    for lead in LEAD_INS:
        for s in exactness:
            text = make_unit(lead + s).norm if lead else s
            n += 1
            exact = set(plain.matcher.candidates(text))
            for name, fn in (("pyperscan", fast.matcher.candidates), ("hyperscan_0_9_1", old)):
                if fn is None:
                    continue
                lost = exact - set(fn(text))
                if lost:
                    texts_missed[name] += 1
                    missed[name] += [(i, text[:80]) for i in sorted(lost)][: 5 - len(missed[name])]
    hs = [fast.matcher.candidates(s) for s in norms]
    exact = [plain.matcher.candidates(s) for s in norms]
    differ = [u.text[:80] for u in units if fast.analyze(u) != plain.analyze(u)]
    payload = {
        "what": "the pattern detector's candidate finder (detectors/multimatch.py): Hyperscan by pyperscan "
                "(one scan, prefilter mode, widened regexes) vs plain re (every regex searched) vs the "
                "hyperscan 0.9.1 package it replaced",
        "machine": machine(), "load_average_before": load_before, "load_average_after": load_after,
        "texts": f"sms_test.csv ({len(norms):,}), normalised",
        "regexes": len(regexes),
        "compile_s": {"pyperscan_widened": round(compile_s, 3),
                      "hyperscan_0_9_1_widened": round(old_compile_s, 3) if old_compile_s else None,
                      "pyperscan_as_written": round(unwidened_s, 1) if unwidened_s else None},
        "break_even_texts": round(compile_s / ((re_us - hs_us) * 1e-6)),
        "candidates_us_per_text": {"pyperscan": round(hs_us, 2), "re": round(re_us, 2),
                                   "hyperscan_0_9_1": round(old_us, 2) if old_us else None},
        "pattern_detector_us_per_text": {"pyperscan": round(hs_det_us, 2), "re": round(re_det_us, 2)},
        "mean_candidates": {"pyperscan": round(sum(map(len, hs)) / len(hs), 3),
                            "re_matching": round(sum(map(len, exact)) / len(exact), 3)},
        "exactness_texts": f"{n:,}: sms_test{' and training/**/*.jsonl' if args.training else ''}, each text "
                           f"as given and after {len(LEAD_INS) - 1} lead-ins",
        "padding_repro_found_of_60": _padding_repro(old),
        "texts_with_a_matching_regex_missed": texts_missed, "first_missed": missed,
        "texts_with_different_findings": len(differ), "first_different": differ[:5],
    }
    write("hyperscan", payload)
    print(f"{len(regexes)} regexes; pyperscan compiles them in {compile_s:.2f} s"
          + (f" (hyperscan 0.9.1: {old_compile_s:.2f} s)" if old_compile_s else "")
          + (f", {unwidened_s:.0f} s unwidened" if unwidened_s else "")
          + f"; break-even after {payload['break_even_texts']:,} texts")
    print(f"candidates: pyperscan {hs_us:.1f} us/text vs re {re_us:.1f}"
          + (f" vs hyperscan 0.9.1 {old_us:.1f}" if old_us else "")
          + f"; pattern detector {hs_det_us:.1f} vs {re_det_us:.1f} us/text; mean candidates "
          f"{payload['mean_candidates']}")
    print(f"padding reproduction, found of 60: {payload['padding_repro_found_of_60']}")
    print(f"texts with a matching regex missed (of {n:,}): {texts_missed}; texts with different findings "
          f"{len(differ)}; load {load_before} -> {load_after}")
    return 1 if texts_missed["pyperscan"] or differ else 0


if __name__ == "__main__":
    sys.exit(main())
