"""REST /v1/check under load: ``scamshield serve --workers N``, keep-alive clients at several concurrencies.

    .venv/bin/python bench/bench_rest.py                       # writes bench/results/rest.json
    .venv/bin/python bench/bench_rest.py --workers 2 --concurrency 1 8 32 --seconds 20

The load generator is in this script (asyncio, uvloop when installed, raw HTTP/1.1 over keep-alive
connections, one request in flight per connection), so nothing else needs installing; it runs on the
same machine as the server and its CPU use is recorded beside the figures. Bodies are sms_test.csv
texts (a workload only, every text of the split), sent in turn. The server runs with a SQLite reports database, as
``scamshield serve`` does by default, and rate limits raised out of the way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, machine, percentile, split, write


def _bodies(limit: int = 100_000) -> list[bytes]:
    import csv

    with open(split("sms_test"), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    col = "text" if "text" in rows[0] else next(iter(rows[0]))
    return [json.dumps({"channel": "sms", "text": r[col]}).encode() for r in rows[:limit]]


def _request(body: bytes) -> bytes:
    return (b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


async def _client(port: int, reqs: list[bytes], start: int, stop_at: float, lat: list[float],
                  errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = start
    pc = time.perf_counter
    try:
        while pc() < stop_at:
            req = reqs[i % len(reqs)]
            i += 1
            t = pc()
            writer.write(req)
            head = await reader.readuntil(b"\r\n\r\n")
            m = re.search(rb"content-length: *(\d+)", head, re.I)
            body = await reader.readexactly(int(m.group(1))) if m else b""
            lat.append((pc() - t) * 1000)
            if not head.startswith(b"HTTP/1.1 200"):
                errors.append(head.split(b"\r\n", 1)[0].decode() + " " + body[:80].decode(errors="replace"))
    finally:
        writer.close()


async def _run(port: int, reqs: list[bytes], conc: int, seconds: float) -> dict:
    lat: list[float] = []
    errors: list[str] = []
    # warm-up: every connection's first request, not timed
    await asyncio.gather(*(_client(port, reqs, k * 97, time.perf_counter() + 0.5, [], []) for k in range(conc)))
    cpu0 = os.times()
    t0 = time.perf_counter()
    await asyncio.gather(*(_client(port, reqs, k * 97, t0 + seconds, lat, errors) for k in range(conc)))
    wall = time.perf_counter() - t0
    cpu1 = os.times()
    lat.sort()
    return {"concurrency": conc, "requests": len(lat), "seconds": round(wall, 2),
            "req_per_s": round(len(lat) / wall, 1), "p50_ms": round(percentile(lat, 0.5), 2),
            "p90_ms": round(percentile(lat, 0.9), 2), "p99_ms": round(percentile(lat, 0.99), 2),
            "max_ms": round(lat[-1], 2), "errors": len(errors), "first_errors": errors[:3],
            "load_generator_cpu_s": round((cpu1.user - cpu0.user) + (cpu1.system - cpu0.system), 2)}


def _tree_rss_mb(pid: int) -> float:
    """RSS of a process and its children (the workers), from /proc."""
    total = 0
    pids = [pid]
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(k) for k in kids]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process and its children: pages the forked workers share with the
    parent count once, split between them (RSS would count them in every process)."""
    total = 0
    pids = [pid]
    try:
        pids += [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total / 1024


def _peak_tree_rss_mb(pid: int) -> float:
    """Sum over the processes of each one's peak RSS (VmHWM): an upper bound on the tree's peak."""
    total = 0
    pids = [pid]
    try:
        pids += [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--out", default="rest")
    args = ap.parse_args()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    reqs = [_request(b) for b in _bodies()]
    tmp = Path(tempfile.mkdtemp(prefix="scamshield-rest-"))
    env = dict(os.environ, XDG_DATA_HOME=str(tmp), PYTHONUNBUFFERED="1", SCAMSHIELD_API_KEYS="")
    cmd = [sys.executable, "-m", "scamshield.server", "--port", "0", "--workers", str(args.workers),
           "--db", str(tmp / "reports.sqlite3"), "--rate", "100000000", "--limit", "max_connections=10000"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp)
    port = None
    out = []
    for line in proc.stdout:
        out.append(line)
        m = re.search(r"running at http://[^:]+:(\d+)", line)
        if m:
            port = int(m.group(1))
        if "worker processes" in line or (port and args.workers == 1):
            break
    if port is None:
        print("".join(out), file=sys.stderr)
        return 1
    time.sleep(2.0)  # workers forked and listening
    payload = {"what": f"POST /v1/check, scamshield serve --workers {args.workers}, SQLite reports store, "
                       "keep-alive connections, one request in flight each; load generator on the same machine",
               "command": " ".join(["bench/bench_rest.py", *sys.argv[1:]]),
               "machine": machine(), "load_average_before": [round(x, 2) for x in os.getloadavg()],
               "targets": {"c32_req_per_s": 1000, "c32_p99_ms": 50}, "runs": []}
    try:
        for conc in args.concurrency:
            r = asyncio.run(_run(port, reqs, conc, args.seconds))
            r["server_rss_mb_now"] = round(_tree_rss_mb(proc.pid), 1)
            r["server_pss_mb_now"] = round(_tree_pss_mb(proc.pid), 1)
            payload["runs"].append(r)
            print(f"c={conc}: {r['req_per_s']:,.0f} req/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
                  f"errors {r['errors']}", flush=True)
        payload["server_peak_rss_mb_sum_of_processes"] = round(_peak_tree_rss_mb(proc.pid), 1)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    payload["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    write(args.out, payload)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
