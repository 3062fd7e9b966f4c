"""Speed at scale (issue 11): verdicts only vs explained on one core, a million texts on every core,
and the Ray scan against the local scan.

    .venv/bin/python bench/bench_scale.py                 # writes bench/results/scale.json
    .venv/bin/python bench/bench_scale.py --million 1000000 --ray-texts 100000

* ``one_core``: in one process, every sms_test.csv text through ``Analyzer.analyze`` one at a time
  (latency per text: p50/p99) and through ``analyze_batch`` (texts per second), verdicts only
  (``explain=False``) and explained (the default), plus the JSON each gives (orjson).
* ``million``: ``scamshield scan`` over N texts made by repeating the sms_test texts with a perturbation
  each time (a number and a word appended, so no two lines are the same text and the batch memo cannot
  answer from an earlier verdict), ``--workers 2``, JSON Lines in and out; wall time, CPU time and the
  peak memory of the whole process tree (sampled every 0.2 s: the sum of each process's proportional
  set size, so pages the workers share with the parent count once).
* ``ray``: the same scan of ``--ray-texts`` texts locally and on a local Ray instance, with 1 and 2
  workers each: Ray's overhead and its scaling from 1 to 2 workers, start-up included.

sms_test.csv is evaluation-only data; here it is a corpus of texts for timing, nothing is tuned on it.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import ROOT, machine, percentile, rss_mb, split, write


def _texts() -> list[str]:
    import csv

    with open(split("sms_test"), encoding="utf-8", newline="") as fh:
        return [r["text"] for r in csv.DictReader(fh)]


def one_core(texts: list[str]) -> dict:
    import orjson

    from scamshield import Analyzer, Message

    an = Analyzer.default()
    msgs = [Message(text=t, id=str(i)) for i, t in enumerate(texts)]
    an.analyze_batch(msgs)  # warm: every text once (caches that fill on first sight), both modes
    an.analyze_batch(msgs, explain=False)
    out = {}
    modes = (("verdicts_only", False), ("explained", True))
    lats: dict[str, list[float]] = {name: [] for name, _ in modes}
    rates: dict[str, list[float]] = {name: [] for name, _ in modes}
    cpu_rates: dict[str, list[float]] = {name: [] for name, _ in modes}
    pc = time.perf_counter_ns
    for name, explain in modes:  # one message at a time
        gc.collect()
        for m in msgs:
            t = pc()
            an.analyze(m, explain=explain).to_dict(explain=explain)
            lats[name].append((pc() - t) / 1e6)
    for _ in range(3):  # batches, the two modes alternating (a shared machine's load drifts)
        for name, explain in modes:
            gc.collect()
            t, c = time.perf_counter(), time.process_time()
            for v in an.analyze_batch(msgs, explain=explain):
                orjson.dumps(v.to_dict(explain=explain))
            rates[name].append(len(msgs) / (time.perf_counter() - t))
            cpu_rates[name].append(len(msgs) / (time.process_time() - c))
    for name, _ in modes:
        lat = sorted(lats[name])
        out[name] = {
            "single_p50_ms": round(percentile(lat, 0.5), 4), "single_p99_ms": round(percentile(lat, 0.99), 4),
            "single_max_ms": round(lat[-1], 3), "single_msgs_per_s": round(len(lat) / (sum(lat) / 1000), 1),
            "batch_msgs_per_s": round(max(rates[name]), 1),
            "batch_msgs_per_s_runs": [round(r, 1) for r in rates[name]],
            "batch_msgs_per_cpu_s": round(max(cpu_rates[name]), 1),
        }
        print(f"{name}: batch {max(rates[name]):,.0f}/s ({max(cpu_rates[name]):,.0f} per CPU s), single p50 "
              f"{percentile(lat, 0.5):.3f} ms p99 {percentile(lat, 0.99):.3f} ms", flush=True)
    out["rss_mb_after"] = round(rss_mb(), 1)
    return out


def make_corpus(texts: list[str], n: int, path: Path) -> None:
    rng = random.Random(11)
    words = ("today", "now", "thanks", "ok", "pls", "x", "asap", "cheers", "ta", "soon")
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            t = texts[i % len(texts)]
            if i >= len(texts):  # perturbed copies: a distinct text every line
                t = f"{t} {rng.choice(words)} {i}"
            fh.write(json.dumps({"id": f"t{i}", "text": t}) + "\n")


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{t}/children").read_text().split()]
        except OSError:
            pass
    return out


def _pss_mb(pids: list[int]) -> float:
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total / 1024


def run_measured(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd``; wall time, CPU time of it and its children, and peak memory of its process tree."""
    t = time.perf_counter()
    before = os.times()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0.0, 0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            pids = _tree(proc.pid)
            peak[0] = max(peak[0], _pss_mb(pids))
            peak[1] = max(peak[1], len(pids))
            stop.wait(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    stop.set()
    th.join()
    after = os.times()
    wall = time.perf_counter() - t
    summary = [ln for ln in err.splitlines() if " records in " in ln]
    return {"command": " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd)), "exit": proc.returncode,
            "wall_s": round(wall, 2),
            "cpu_s": round((after.children_user - before.children_user) + (after.children_system - before.children_system), 2),
            "peak_pss_mb_process_tree": round(peak[0], 1), "max_processes": peak[1],
            "summary": summary[-1] if summary else err[-500:]}


def scan_cmd(src: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "scamshield.cli", "scan", str(src), "--out", str(out), "--quiet", *extra]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--million", type=int, default=1_000_000, help="texts in the big scan (0: skip)")
    ap.add_argument("--ray-texts", type=int, default=100_000, help="texts in the Ray comparison (0: skip)")
    ap.add_argument("--skip-one-core", action="store_true")
    ap.add_argument("--out", default="scale")
    args = ap.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    texts = _texts()
    payload: dict = {"machine": machine(), "command": " ".join(["bench/bench_scale.py", *sys.argv[1:]]),
                     "load_average_before": [round(x, 2) for x in os.getloadavg()],
                     "targets": {"verdicts_only_one_core_msgs_per_s": 20000, "p99_ms": 1.0,
                                 "explained_one_core_msgs_per_s": 5000, "million_workers_2_s": 120}}
    if not args.skip_one_core:
        payload["one_core"] = one_core(texts)
        payload["one_core"]["texts"] = f"sms_test.csv, {len(texts):,} texts"
    tmp = Path(tempfile.mkdtemp(prefix="scamshield-scale-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    try:
        if args.million:
            src = tmp / "million.jsonl"
            make_corpus(texts, args.million, src)
            r = run_measured(scan_cmd(src, tmp / "out.jsonl", "--workers", "2"), env)
            r["texts"] = args.million
            r["msgs_per_s"] = round(args.million / r["wall_s"], 1)
            payload["million_workers_2"] = r
            print(f"{args.million:,} texts, --workers 2: {r['wall_s']} s wall, {r['cpu_s']} CPU s, peak "
                  f"{r['peak_pss_mb_process_tree']} MB ({r['summary']})", flush=True)
            (tmp / "out.jsonl").unlink(missing_ok=True)
            src.unlink()
        if args.ray_texts:
            src = tmp / "ray.jsonl"
            make_corpus(texts, args.ray_texts, src)
            runs = {}
            for name, extra in (("local_workers_1", ("--workers", "1")), ("local_workers_2", ("--workers", "2")),
                                ("ray_local_workers_1", ("--workers", "1", "--ray", "local")),
                                ("ray_local_workers_2", ("--workers", "2", "--ray", "local"))):
                out = tmp / f"{name}.jsonl"
                r = run_measured(scan_cmd(src, out, *extra), dict(env, RAY_USAGE_STATS_ENABLED="0"))
                r["msgs_per_s"] = round(args.ray_texts / r["wall_s"], 1)
                runs[name] = r
                print(f"{name}: {r['wall_s']} s, peak {r['peak_pss_mb_process_tree']} MB", flush=True)
            same = (tmp / "local_workers_1.jsonl").read_bytes() == (tmp / "ray_local_workers_2.jsonl").read_bytes()
            payload["ray"] = {
                "texts": args.ray_texts, "runs": runs, "ray_output_identical_to_local": same,
                "ray_overhead_s_workers_2": round(runs["ray_local_workers_2"]["wall_s"]
                                                  - runs["local_workers_2"]["wall_s"], 2),
                "ray_scaling_1_to_2": round(runs["ray_local_workers_1"]["wall_s"]
                                            / runs["ray_local_workers_2"]["wall_s"], 2),
                "local_scaling_1_to_2": round(runs["local_workers_1"]["wall_s"] / runs["local_workers_2"]["wall_s"], 2),
            }
    finally:
        for p in tmp.glob("*"):
            p.unlink()
        tmp.rmdir()
    payload["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    write(args.out, payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
