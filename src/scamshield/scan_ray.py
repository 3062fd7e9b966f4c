"""``scamshield scan --ray ADDRESS``: the same scan as ``scan.py``, on a Ray cluster (Ray Data).

The driver (the machine running the command) plans the work and writes the output; the cluster's
workers read the input themselves from storage every node can see (NFS, a shared disk, the same path
on every node) and analyse it:

* JSON Lines: the driver splits the file into byte ranges on line boundaries (one sequential pass
  that also counts lines, so every error names its true line number); each task reads its range.
* Parquet: one task per slice of a row group; each task reads its slice.
* CSV: quoted fields may span lines, so the driver reads the records and ships them in batches.

Tasks go through ``Dataset.map_batches`` to ``RayScanner``, a class whose constructor loads the
engine once per worker process (``concurrency`` = the number of workers), and come back in input order
(``preserve_order``), so the output is byte for byte what the local scan writes: same verdicts, same
order, the same error records. Every node needs scamshield installed (the same version as the driver).
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from typing import Any

from .errors import InputError
from .scan import BATCH, Scanner, Summary, Writer, format_of, read_records

LINES_PER_TASK = 2_000  # small enough to spread a modest file over the workers, big enough that
ROWS_PER_TASK = 2_000  # Ray's per-task cost (a few ms) stays small beside the analysis (~0.5 s)


def _plan_jsonl(path: str, lines_per_task: int) -> list[dict]:
    """Byte ranges of ``lines_per_task`` lines each, cut after a newline, with the number of the first
    line in each (one sequential pass over the file)."""
    tasks = []
    start = pos = lines_here = line = 0
    with open(path, "rb") as fh:
        for raw in fh:
            line += 1
            lines_here += 1
            pos += len(raw)
            if lines_here >= lines_per_task:
                tasks.append(_range_task(path, start, pos, line - lines_here + 1))
                start, lines_here = pos, 0
    if pos > start:
        tasks.append(_range_task(path, start, pos, line - lines_here + 1))
    return tasks


def _range_task(path: str, start: int, end: int, first: int) -> dict:
    return {"kind": "jsonl", "path": path, "start": start, "end": end, "first": first, "group": -1, "records": ""}


def _plan_parquet(path: str, rows_per_task: int) -> list[dict]:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    tasks, row = [], 1
    for g in range(meta.num_row_groups):
        n = meta.row_group(g).num_rows
        for a in range(0, n, rows_per_task):
            b = min(n, a + rows_per_task)
            tasks.append({"kind": "parquet", "path": path, "start": a, "end": b, "first": row + a, "group": g,
                          "records": ""})
        row += n
    return tasks


def _plan_records(path: str, fmt: str, per_task: int) -> list[dict]:
    """Records read on the driver (CSV, standard input), shipped in batches."""
    from .scan import _dumps, chunks

    tasks = []
    for batch in chunks(read_records(path, fmt), per_task):
        payload = [[n, p if isinstance(p, dict) else {"__error__": str(p)} if isinstance(p, InputError)
                    else {"__raw__": p.decode("utf-8", "replace")}] for n, p in batch]
        tasks.append({"kind": "records", "path": "", "start": 0, "end": 0, "first": batch[0][0], "group": -1,
                      "records": _dumps(payload).decode()})
    return tasks


def plan(path: str, fmt: str, per_task: int | None = None) -> list[dict]:
    if path == "-" and fmt != "csv":
        fmt_plan = "records"
    else:
        fmt_plan = {"jsonl": "jsonl", "parquet": "parquet", "csv": "records"}[fmt]
    if fmt_plan != "records" and not os.path.isfile(path):
        raise InputError(f"{path}: no such file")
    if fmt_plan == "jsonl":
        return _plan_jsonl(path, per_task or LINES_PER_TASK)
    if fmt_plan == "parquet":
        return _plan_parquet(path, per_task or ROWS_PER_TASK)
    return _plan_records(path, fmt, per_task or LINES_PER_TASK)


def task_records(task: dict) -> list[tuple[int, Any]]:
    """The raw records of one task, read from shared storage (or carried in the task)."""
    from .inputs import MAX_LINE_BYTES
    from .scan import _loads

    kind = task["kind"]
    if kind == "jsonl":
        out = []
        with open(task["path"], "rb") as fh:
            fh.seek(task["start"])
            data = fh.read(task["end"] - task["start"])
        for k, raw in enumerate(io.BytesIO(data)):  # lines exactly as the local reader splits them
            n = task["first"] + k
            if len(raw) > MAX_LINE_BYTES:
                out.append((n, InputError(f"line {n}: line is {len(raw):,} bytes; the limit is {MAX_LINE_BYTES:,}")))
            elif raw.strip():
                out.append((n, raw))
        return out
    if kind == "parquet":
        import pyarrow.parquet as pq

        table = pq.ParquetFile(task["path"]).read_row_group(task["group"])
        rows = table.slice(task["start"], task["end"] - task["start"]).to_pylist()
        return [(task["first"] + k, {c: v for c, v in r.items() if v is not None}) for k, r in enumerate(rows)]
    out = []
    for n, p in _loads(task["records"]):
        if "__error__" in p:
            out.append((n, InputError(p["__error__"])))
        elif "__raw__" in p:
            out.append((n, p["__raw__"].encode()))
        else:
            out.append((n, p))
    return out


class RayScanner:
    """The Ray Data UDF: built once per worker process (the engine loads once), then called per batch of
    tasks; returns each task's JSON Lines output, error messages and counts."""

    def __init__(self, explain: bool, unit: str) -> None:
        self.scanner = Scanner(explain=explain, unit=unit)
        self.scanner._analyzer()

    def __call__(self, batch: dict) -> dict:
        import json

        import numpy as np

        data, errors, counts = [], [], []
        n = len(batch["kind"])
        for i in range(n):
            task = {k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in batch.items()}
            records = task_records(task)
            out, errs, cnt = b"", [], {}
            for k in range(0, len(records), BATCH):
                o, e, c = self.scanner.jsonl(records[k : k + BATCH])
                out += o
                errs += e
                for key, v in c.items():
                    cnt[key] = cnt.get(key, 0) + v
            data.append(out)
            errors.append(json.dumps(errs))
            counts.append(json.dumps(cnt))
        return {"data": np.array(data, dtype=object), "errors": np.array(errors, dtype=object),
                "counts": np.array(counts, dtype=object)}


def connect(address: str, workers: int | None) -> None:
    import ray

    if ray.is_initialized():
        return
    kwargs: dict = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
    if address in ("local", "local://"):
        if workers:
            kwargs["num_cpus"] = workers
        ray.init(address="local", **kwargs)  # a new instance on this machine, never one found running
        return
    host = address.split("://")[-1].rsplit(":", 1)[0]
    if host.startswith("127."):
        # A cluster on this machine's loopback (tests): say so, or Ray takes this machine's outward
        # address for the driver. Ray rewrites 127.0.0.1 itself to that address, so such clusters
        # listen on another loopback address, e.g. 127.0.0.2 (docs/performance.md).
        kwargs["_node_ip_address"] = host
    ray.init(address=address, **kwargs)


def scan_on_ray(path: str, out: str | None, *, address: str, fmt: str | None = None, explain: bool = False,
                workers: int | None = None, on_error: Callable[[str], None] | None = None,
                per_task: int | None = None) -> Summary:
    """Scan ``path`` on the Ray cluster at ``address`` into ``out`` (JSON Lines or Parquet, written by
    the driver in input order). ``workers``: analyser processes (default: one per CPU of the cluster)."""
    try:
        import ray
    except ImportError:
        raise InputError("--ray needs Ray: pip install 'scamshield[scale]'") from None
    fmt = format_of(path, fmt)
    unit = "row" if fmt == "parquet" else "line"
    out_fmt = "parquet" if out and format_of(out) == "parquet" else "jsonl"
    writer = Writer(out, out_fmt, explain)
    t0 = time.perf_counter()
    tasks = plan(path, fmt, per_task)
    connect(address, workers)
    if not workers:
        workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
    summary = Summary(workers=workers)
    if tasks:
        import json
        import logging

        logging.getLogger("ray.data").setLevel(logging.WARNING)
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = False
        ctx.print_on_execution_start = False
        ds = ray.data.from_items(tasks, override_num_blocks=len(tasks))
        ds = ds.map_batches(RayScanner, fn_constructor_kwargs={"explain": explain, "unit": unit},
                            batch_size=1, batch_format="numpy",
                            compute=ray.data.ActorPoolStrategy(size=min(workers, len(tasks))), num_cpus=1)
        for batch in ds.iter_batches(batch_size=None, batch_format="numpy", prefetch_batches=2):
            for data, errs, cnt in zip(batch["data"], batch["errors"], batch["counts"], strict=True):
                writer.write_jsonl(bytes(data))
                for e in json.loads(errs):
                    if on_error:
                        on_error(e)
                summary.add(json.loads(cnt))
    writer.close()
    summary.seconds = time.perf_counter() - t0
    return summary
