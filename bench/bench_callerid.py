"""Caller-ID benchmark: call-screening latency with and without STIR/SHAKEN verification.

    .venv/bin/python bench/bench_callerid.py            # writes bench/results/callerid.json

Targets from the issue: screen_call <= 1 ms without STIR, <= 5 ms with it (p99, one core).
Scenarios:
  * screen_no_stir_warm   From numbers already seen (parse cache warm): the common case in a busy
                          deployment, where the same numbers call again and again
  * screen_no_stir_cold   every From is new (parse caches cleared before each call)
  * screen_stir_warm_cert Identity verified, the signer's certificate chain already validated
                          (ATIS says certificates are cached for 24 h): distinct fresh tokens
  * screen_stir_cold_cert each call presents a certificate not seen before (chain validated each time)
  * detector_sms          the CallerIdDetector + CallbackNumberDetector on a scam text with a number
"""

from __future__ import annotations

import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from scamshield.callerid import numbers  # noqa: E402
from scamshield.callerid.detector import CallbackNumberDetector, CallerIdDetector  # noqa: E402
from scamshield.callerid.screening import screen_call  # noqa: E402
from scamshield.models import Message  # noqa: E402
from scamshield.preprocess import make_unit  # noqa: E402

NOW = 1_800_000_000
X5U = "https://cert.example.org/sp.pem"


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(q * len(s)))]


ROUNDS = 5  # each scenario is measured in rounds; on a shared machine, other load shows up as outliers


class Timer:
    """Wall-clock and this thread's CPU time for one call. On a shared machine the wall p99 includes
    waiting for a CPU (a scheduler time slice is a few ms); the CPU time is what the code costs."""

    __slots__ = ("_c", "_w", "cpu", "wall")

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self):
        self._w = time.perf_counter()
        self._c = time.thread_time()
        return self

    def __exit__(self, *exc):
        self.cpu.append(time.thread_time() - self._c)
        self.wall.append(time.perf_counter() - self._w)


def summary(timer: Timer) -> dict:
    """Percentiles over all samples, plus the p99 of each round (samples are split into ROUNDS in
    time order) so a burst of load from other processes is visible rather than hidden."""
    out = _summary(timer.wall)
    out["p99_ms_quietest_round"] = min(out["p99_ms_per_round"])
    cpu = _summary(timer.cpu)
    out["cpu_p50_ms"], out["cpu_p99_ms"] = cpu["p50_ms"], cpu["p99_ms"]
    return out


def _summary(samples_s: list[float]) -> dict:
    ms = [x * 1000 for x in samples_s]
    size = max(1, len(ms) // ROUNDS)
    rounds = [ms[i : i + size] for i in range(0, size * ROUNDS, size) if ms[i : i + size]]
    return {
        "n": len(ms),
        "p50_ms": round(pct(ms, 0.50), 4),
        "p99_ms": round(pct(ms, 0.99), 4),
        "max_ms": round(max(ms), 4),
        "mean_ms": round(statistics.fmean(ms), 4),
        "p99_ms_per_round": [round(pct(r, 0.99), 4) for r in rounds],
    }


def random_numbers(rng: random.Random, n: int) -> list[str]:
    prefixes = ["07700 1", "020 7", "0161 4", "0300 2", "0845 1", "0700 1", "0909 1", "+1 202 5", "+33 1 4", "0800 0"]
    out = []
    for _ in range(n):
        p = rng.choice(prefixes)
        digits = 11 - sum(ch.isdigit() for ch in p) if not p.startswith("+") else 6
        out.append(p + "".join(rng.choice("0123456789") for _ in range(max(digits, 1))))
    out += ["+443002003300", "999", "withheld", "07700 900123", "HMRC"]
    return out


def clear_parse_caches() -> None:
    numbers._parse.cache_clear()
    numbers.numbering_findings.cache_clear()
    from scamshield.callerid import inbound_only

    inbound_only.inbound_only_findings.cache_clear()


def bench_no_stir(rng: random.Random) -> tuple[dict, dict]:
    pool = random_numbers(rng, 200)
    for n in pool:  # warm
        screen_call(n, "+447700123456")
    warm = Timer()
    for _ in range(20_000):
        n = rng.choice(pool)
        with warm:
            screen_call(n, "+447700123456")
    cold = Timer()
    fresh = random_numbers(rng, 3000)
    for n in fresh:
        clear_parse_caches()
        with cold:
            screen_call(n, "+447700123456")
    return summary(warm), summary(cold)


def bench_stir(rng: random.Random) -> tuple[dict, dict] | None:
    try:
        from scamshield.callerid.signing import (
            identity_header,
            issue_sp_cert,
            make_test_pki,
            passport_claims,
            sign_passport,
        )
        from scamshield.callerid.stir_shaken import StirVerifier
    except ImportError:
        return None
    from cryptography.hazmat.primitives import serialization

    pki = make_test_pki()

    class Certs:
        def __init__(self):
            self.by_url = {X5U: pki.sp_pem}

        def fetch(self, url):
            return self.by_url[url]

    certs = Certs()
    verifier = StirVerifier(trust_anchors=[pki.ca_pem], resolver=certs, clock=lambda: NOW)
    origins = [f"4420712{i:05d}" for i in range(500)]
    tokens = [
        (identity_header(sign_passport(passport_claims(o, ["447700123456"], NOW - rng.randint(0, 30)), pki.sp_key, X5U), X5U), o)
        for o in origins
    ]
    screen_call("+" + origins[0], "+447700123456", tokens[0][0], now=NOW, verifier=verifier)  # warm chain cache
    warm = Timer()
    for _ in range(5):
        for ident, o in tokens:
            with warm:
                d = screen_call("+" + o, "+447700123456", ident, now=NOW, verifier=verifier)
            assert d.stir is not None and d.stir.passed, d.stir
    cold = Timer()
    for i in range(200):
        key, cert = issue_sp_cert(pki.ca_key, pki.ca_cert, cn=f"sp {i}")
        url = f"https://cert.example.org/sp{i}.pem"
        certs.by_url[url] = cert.public_bytes(serialization.Encoding.PEM)
        ident = identity_header(sign_passport(passport_claims(origins[i], ["447700123456"], NOW), key, url), url)
        with cold:
            d = screen_call("+" + origins[i], "+447700123456", ident, now=NOW, verifier=verifier)
        assert d.stir is not None and d.stir.passed, d.stir
    return summary(warm), summary(cold)


def bench_detector() -> dict:
    msg = Message(channel="sms", sender="+447700123456", text=(
        "HMRC: you are due a tax refund of £312.40. To claim before it expires call 0300 200 3819 "
        "or visit hmrc-refunds.example today."
    ))
    cid, cb = CallerIdDetector(), CallbackNumberDetector()
    samples = Timer()
    for _ in range(3000):
        with samples:
            units = [make_unit(msg.text, channel="sms")]
            cid.analyze_message(msg, units)
            st = cb.new_state()
            cb.feed(st, units[0])
            cb.findings(st)
    return summary(samples)


def bench_engine_overhead() -> dict | str:
    """What the two caller-ID detectors add to a whole analysis: the default engine with and without
    them over 2,000 training SMS (sms_train.csv; never the test split), each given a phone sender."""
    import csv

    from scamshield.advice import Advisor
    from scamshield.analyzer import Analyzer
    from scamshield.detectors.registry import default_detectors
    from scamshield.scoring import Scorer

    data_dir = Path(os.environ.get("SCAMSHIELD_DATA_DIR", ROOT / ".." / "shared" / "data"))
    path = data_dir / "splits" / "sms_train.csv"
    if not path.exists():
        return f"skipped: {path} not found"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = [r["text"] for _, r in zip(range(2000), csv.DictReader(fh), strict=False)]
    senders = ["+447700123456", "+443002003300", "HMRC", "+12025550123", "withheld"]
    msgs = [Message(channel="sms", text=t, sender=senders[i % len(senders)]) for i, t in enumerate(rows)]
    full = default_detectors()
    without = [d for d in full if not isinstance(d, CallerIdDetector | CallbackNumberDetector)]
    out = {}
    for name, dets in (("with_callerid", full), ("without_callerid", without)):
        engine = Analyzer(dets, Scorer.from_rules(), Advisor.from_rules())
        for m in msgs[:200]:
            engine.analyze(m)  # warm caches
        best = float("inf")
        for _ in range(3):
            t = time.thread_time()
            for m in msgs:
                engine.analyze(m)
            best = min(best, time.thread_time() - t)
        out[name + "_cpu_ms_per_message"] = round(best / len(msgs) * 1000, 4)
    out["messages"] = len(msgs)
    out["added_cpu_ms_per_message"] = round(out["with_callerid_cpu_ms_per_message"] - out["without_callerid_cpu_ms_per_message"], 4)
    return out


def main() -> int:
    rng = random.Random(7)
    results: dict = {
        "benchmark": "callerid",
        "command": "python bench/bench_callerid.py",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "niceness": os.nice(0),  # negative when run with `nice -n -10` to stand out from other jobs
        },
        "targets_ms": {"screen_no_stir_p99": 1.0, "screen_stir_p99": 5.0},
    }
    results["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    gc.disable()  # as timeit does: collector pauses are not the code under test
    warm, cold = bench_no_stir(rng)
    results["screen_no_stir_warm"] = warm
    results["screen_no_stir_cold"] = cold
    stir = bench_stir(rng)
    if stir is None:
        results["screen_stir"] = "skipped: install the 'stir' extra (pyjwt, cryptography)"
    else:
        results["screen_stir_warm_cert"], results["screen_stir_cold_cert"] = stir
    results["detector_sms"] = bench_detector()
    results["engine_overhead"] = bench_engine_overhead()
    gc.enable()
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    out = ROOT / "bench" / "results" / "callerid.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
