"""``scamshield scan --ray``: a real two-node Ray cluster on this machine's loopback (a head and a worker
node, one CPU each, started by this test with ``ray start --block``), scanning files on shared storage
(here: the same disk), must give byte for byte the local scan's output - same verdicts, same order, the
same error records with the same line numbers.

Loopback address: Ray rewrites 127.0.0.1 and localhost in a cluster address to this machine's outward
IP address (``resolve_ip_for_localhost``), so the cluster listens on 127.0.0.2, which is loopback too
and which Ray leaves alone; nothing leaves the machine. Bounded: the cluster has 90 s to come up and
every step a timeout; the processes are stopped by their process group.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sample_texts import MIXED_TEXTS

ray = pytest.importorskip("ray")
pytest.importorskip("pyarrow")
pytestmark = pytest.mark.slow

HOST = "127.0.0.2"
TEXTS = MIXED_TEXTS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """Stop a ``ray start --block`` and every process it started (its own process group)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    try:
        with socket.socket() as s:
            s.bind((HOST, 0))
    except OSError:
        pytest.skip(f"{HOST} is not a loopback address here")
    ray_cli = shutil.which("ray", path=str(Path(sys.executable).parent))
    if ray_cli is None:
        pytest.skip("the ray command is not installed")
    tmp = tmp_path_factory.mktemp("ray")
    port = _free_port()
    env = dict(os.environ, RAY_AUTH_MODE="disabled", RAY_USAGE_STATS_ENABLED="0")
    os.environ["RAY_AUTH_MODE"] = "disabled"  # the driver: a loopback test cluster needs no tokens
    common = ["--node-ip-address", HOST, "--num-cpus", "1", "--disable-usage-stats", "--block"]
    logs = [open(tmp / f"{name}.log", "w") for name in ("head", "worker")]
    procs = [subprocess.Popen([ray_cli, "start", "--head", "--port", str(port), "--include-dashboard", "false",
                               "--temp-dir", str(tmp / "r"), *common], env=env, stdout=logs[0],
                              stderr=subprocess.STDOUT, start_new_session=True)]
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                ray.init(address=f"{HOST}:{port}", _node_ip_address=HOST, include_dashboard=False,
                         log_to_driver=False)
                break
            except Exception:
                if time.monotonic() > deadline or procs[0].poll() is not None:
                    raise RuntimeError("the Ray head did not start: " + (tmp / "head.log").read_text()[-2000:]) \
                        from None
                time.sleep(1)
        procs.append(subprocess.Popen([ray_cli, "start", "--address", f"{HOST}:{port}", *common], env=env,
                                      stdout=logs[1], stderr=subprocess.STDOUT, start_new_session=True))
        while len([n for n in ray.nodes() if n["Alive"]]) < 2:
            if time.monotonic() > deadline:
                raise RuntimeError("the Ray worker node did not join: " + (tmp / "worker.log").read_text()[-2000:])
            time.sleep(0.5)
        yield f"{HOST}:{port}"
    finally:
        if ray.is_initialized():
            ray.shutdown()
        for proc in reversed(procs):
            _stop(proc)
        for fh in logs:
            fh.close()
        os.environ.pop("RAY_AUTH_MODE", None)


def _inputs(tmp: Path) -> Path:
    lines = [json.dumps({"id": f"m{i}", "text": t}) for i, t in enumerate(TEXTS * 70)]
    lines.insert(5, "{not json")
    lines.insert(250, json.dumps({"id": "blank", "text": " "}))
    lines.insert(300, "")
    src = tmp / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


def test_ray_scan_gives_the_local_scan_output(cluster, tmp_path):
    from scamshield.scan import Writer, read_records, scan
    from scamshield.scan_ray import scan_on_ray

    src = _inputs(tmp_path)
    local, remote = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    scan(read_records(str(src), "jsonl"), Writer(str(local), "jsonl", False), workers=1)
    errors: list[str] = []
    summary = scan_on_ray(str(src), str(remote), address=cluster, workers=2, per_task=60, on_error=errors.append)
    assert remote.read_bytes() == local.read_bytes()
    assert summary.records == len(TEXTS) * 70 + 2 and summary.errors == 2
    assert errors[0].startswith("line 6: invalid JSON") and errors[1].startswith("line 251: ")
    # both nodes did work: the scanner actors ran on two raylets
    assert len([n for n in ray.nodes() if n["Alive"]]) == 2


def test_ray_scan_explained_parquet_in_and_out(cluster, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from scamshield.scan import Writer, read_records, scan
    from scamshield.scan_ray import scan_on_ray

    src = tmp_path / "in.parquet"
    texts = TEXTS * 40
    pq.write_table(pa.table({"id": [f"p{i}" for i in range(len(texts))], "text": texts}), src,
                   row_group_size=100)
    local, remote = tmp_path / "local.parquet", tmp_path / "ray.parquet"
    scan(read_records(str(src), "parquet"), Writer(str(local), "parquet", True), workers=1, explain=True,
         unit="row")
    scan_on_ray(str(src), str(remote), address=cluster, workers=2, explain=True, per_task=50)
    assert pq.read_table(remote).to_pylist() == pq.read_table(local).to_pylist()
