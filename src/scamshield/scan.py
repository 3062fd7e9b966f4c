"""Batch scanning: many messages from JSON Lines, CSV or Parquet to verdicts, on every core.

    scamshield scan messages.jsonl --out verdicts.jsonl            # every core, verdicts only
    scamshield scan messages.parquet --out verdicts.parquet --explain --workers 2

Records are read and written in batches (orjson for JSON when installed, pyarrow for Parquet), handed
to worker processes that each load the engine once, and written back in input order. A record that
cannot be read or analysed is reported with its line (JSON Lines, CSV) or row (Parquet) number, on
standard error and as an error record in the output at its place, so no input is ever lost silently.

Output records: without ``explain`` the verdict alone (``Verdict.to_dict(explain=False)``: id, verdict,
risk, spam score, scam type and the ids of the warning signs) - what a firewall needs, at full speed;
with it the whole explained verdict (flags with their words, advice), as ``scamshield check --json``.
An error record is ``{"line": N, "id": ..., "error": "..."}``.

This module imports no web or CLI library; ``scan_ray`` runs the same ``Scanner`` on a Ray cluster.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError
from .inputs import MAX_LINE_BYTES, message_from_dict
from .jsonsafe import JSON_ERRORS as _JSON_ERRORS
from .jsonsafe import fast_dumps as _dumps
from .jsonsafe import fast_loads as _loads

FORMATS = ("jsonl", "csv", "parquet")
BATCH = 512  # records per unit of work handed to a worker
CSV_FIELDS = ("id", "channel", "text", "sender", "recipient", "direction", "dialled", "identity", "verstat")


def format_of(path: str, given: str | None = None) -> str:
    """The format named by ``given``, or by the file's extension (JSON Lines for standard input)."""
    if given:
        if given not in FORMATS:
            raise InputError(f"unknown format {given!r}; use one of: {', '.join(FORMATS)}")
        return given
    name = path.lower()
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    return "jsonl"


# ------------------------------------------------------------------------------------------ reading
# A raw record is (number, payload): payload a dict from CSV or Parquet, bytes of one JSON line, or an
# InputError already. Parsing JSON and building Messages happens in the workers, in parallel.

RawRecord = tuple[int, Any]


def _jsonl_records(stream: BinaryIO) -> Iterator[RawRecord]:
    for lineno, raw in enumerate(stream, 1):
        if len(raw) > MAX_LINE_BYTES:
            yield lineno, InputError(f"line {lineno}: line is {len(raw):,} bytes; the limit is {MAX_LINE_BYTES:,}")
        elif raw.strip():
            yield lineno, raw


def _csv_records(stream: BinaryIO) -> Iterator[RawRecord]:
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", errors="strict")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        return
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"line 1: cannot read the CSV header: {exc}") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    if "text" not in header and "turns" not in header:
        raise InputError("CSV needs a 'text' column (and optionally id, channel, sender, recipient, direction, "
                         "dialled, identity, verstat, turns as JSON)")
    while True:
        lineno = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as exc:
            yield lineno, InputError(f"line {lineno}: {exc}")
            return  # the reader cannot go on past bytes it cannot decode
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield lineno, InputError(f"line {lineno}: {len(row)} fields, the header has {len(header)}")
            continue
        rec = {k: v for k, v in zip(header, row, strict=True) if v != "" and k}
        yield lineno, rec


def _parquet_records(path: str, batch_rows: int = 8192) -> Iterator[RawRecord]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("reading Parquet needs pyarrow: pip install 'scamshield[scale]'") from None
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None
    names = set(pf.schema_arrow.names)
    if "text" not in names and "turns" not in names:
        raise InputError(f"{path}: Parquet needs a 'text' (or 'turns') column")
    row = 0
    for batch in pf.iter_batches(batch_size=batch_rows):
        for rec in batch.to_pylist():
            row += 1
            yield row, {k: v for k, v in rec.items() if v is not None}


def read_records(path: str, fmt: str) -> Iterator[RawRecord]:
    """(line or row number, raw record) for every record of the input; ``-`` is standard input."""
    if fmt == "parquet":
        if path == "-":
            raise InputError("Parquet cannot be read from standard input: give a file")
        yield from _parquet_records(path)
        return
    if path == "-":
        stream: BinaryIO = sys.stdin.buffer
    else:
        if not Path(path).is_file():
            raise InputError(f"{path}: no such file")
        stream = open(path, "rb")
    try:
        if path.lower().endswith(".gz"):
            import gzip

            stream = gzip.GzipFile(fileobj=stream)
        yield from (_csv_records if fmt == "csv" else _jsonl_records)(stream)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def chunks(records: Iterable[RawRecord], size: int = BATCH) -> Iterator[list[RawRecord]]:
    batch: list[RawRecord] = []
    for rec in records:
        batch.append(rec)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# ------------------------------------------------------------------------------------------ analysing


def _message(number: int, payload: Any, unit: str):
    where = f"{unit} {number}: "
    if isinstance(payload, InputError):
        raise payload
    if isinstance(payload, bytes | str):
        try:
            payload = _loads(payload)
        except _JSON_ERRORS as exc:
            msg = getattr(exc, "msg", None) or str(exc).split(":")[0]
            raise InputError(f"{where}invalid JSON: {msg}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{where}not valid UTF-8 (byte {exc.start})") from None
    elif isinstance(payload, dict) and isinstance(payload.get("turns"), str):  # CSV: turns as JSON
        try:
            payload = {**payload, "turns": _loads(payload["turns"])}
        except _JSON_ERRORS:
            raise InputError(f"{where}field 'turns' is not valid JSON") from None
    if isinstance(payload, dict) and isinstance(payload.get("id"), int | float) and not isinstance(
            payload.get("id"), bool):
        payload = {**payload, "id": str(payload["id"])}
    return message_from_dict(payload, where=where)


@dataclass
class Result:
    """One output record: ``verdict`` (a dict) or ``error`` with the record's number."""

    number: int
    verdict: dict | None = None
    error: str | None = None
    id: str | None = None

    def to_dict(self, unit: str = "line") -> dict:
        if self.verdict is not None:
            return self.verdict
        return {unit: self.number, "id": self.id, "error": self.error}


@dataclass
class Scanner:
    """Turns raw records into results with one analyser; built once per worker process."""

    explain: bool = False
    unit: str = "line"  # what record numbers count: "line" (JSON Lines, CSV) or "row" (Parquet)
    analyzer: Any = field(default=None, repr=False)

    def _analyzer(self):
        if self.analyzer is None:
            from .analyzer import Analyzer
            from .detectors.multimatch import compile_at_start

            compile_at_start()  # a batch: the red-flag patterns' database compiles now, not mid-stream
            self.analyzer = Analyzer.default()
        return self.analyzer

    def results(self, batch: list[RawRecord]) -> list[Result]:
        an = self._analyzer()
        out: list[Result | None] = [None] * len(batch)
        good: list[tuple[int, Any]] = []
        for i, (number, payload) in enumerate(batch):
            try:
                good.append((i, _message(number, payload, self.unit)))
            except InputError as exc:
                out[i] = Result(number, error=str(exc))
        try:
            verdicts = an.analyze_batch([m for _, m in good], explain=self.explain)
        except InputError:  # one message too long or too many turns: analyse one by one
            verdicts = []
            for i, m in good:
                try:
                    verdicts.append(an.analyze(m, explain=self.explain))
                except InputError as exc:
                    verdicts.append(InputError(f"{self.unit} {batch[i][0]}: {exc}"))
        for (i, m), v in zip(good, verdicts, strict=True):
            if isinstance(v, InputError):
                out[i] = Result(batch[i][0], error=str(v), id=m.id)
            else:
                out[i] = Result(batch[i][0], verdict=v.to_dict(explain=self.explain))
        return out  # type: ignore[return-value]

    def jsonl(self, batch: list[RawRecord]) -> tuple[bytes, list[str], dict]:
        """The batch's output as JSON Lines bytes, its error messages, and its counts by verdict."""
        res = self.results(batch)
        return (b"".join(_dumps(r.to_dict(self.unit)) + b"\n" for r in res),
                [r.error for r in res if r.error], _counts(res))


def _counts(results: list[Result]) -> dict:
    counts: dict[str, int] = {}
    for r in results:
        key = r.verdict["verdict"] if r.verdict is not None else "error"
        counts[key] = counts.get(key, 0) + 1
    return counts


# ------------------------------------------------------------------------------------------ writing


class Writer:
    """Writes output records in order: JSON Lines (any stream) or Parquet (a file)."""

    def __init__(self, path: str | None, fmt: str, explain: bool) -> None:
        self.fmt, self.explain, self.path = fmt, explain, path
        self._pq = None
        if fmt == "parquet":
            if not path or path == "-":
                raise InputError("Parquet output needs a file: --out FILE.parquet")
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise InputError("writing Parquet needs pyarrow: pip install 'scamshield[scale]'") from None
            self._rows: list[dict] = []
        elif fmt == "jsonl":
            self._out = sys.stdout.buffer if not path or path == "-" else open(path, "wb")
        else:
            raise InputError("output is JSON Lines (.jsonl) or Parquet (.parquet)")

    def write_jsonl(self, data: bytes) -> None:
        if self.fmt == "jsonl":
            self._out.write(data)
        else:
            self.write_records([_loads(line) for line in data.splitlines()])

    def write_records(self, records: list[dict]) -> None:
        if self.fmt == "jsonl":
            self._out.write(b"".join(_dumps(r) + b"\n" for r in records))
            return
        self._rows.extend(parquet_row(r) for r in records)
        if len(self._rows) >= 50_000:
            self._flush_parquet()

    def _flush_parquet(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._rows:
            return
        table = pa.Table.from_pylist(self._rows, schema=parquet_schema())
        if self._pq is None:
            self._pq = pq.ParquetWriter(self.path, table.schema)
        self._pq.write_table(table)
        self._rows = []

    def close(self) -> None:
        if self.fmt == "parquet":
            self._flush_parquet()
            if self._pq is None:  # no records at all: still a valid, empty file
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table(pa.Table.from_pylist([], schema=parquet_schema()), self.path)
            else:
                self._pq.close()
        elif self._out is not sys.stdout.buffer:
            self._out.close()
        else:
            self._out.flush()


def parquet_schema():
    import pyarrow as pa

    return pa.schema([
        ("line", pa.int64()), ("id", pa.string()), ("verdict", pa.string()), ("risk", pa.float64()),
        ("spam_score", pa.float64()), ("scam_type", pa.string()), ("flags", pa.list_(pa.string())),
        ("error", pa.string()), ("explained", pa.string()),
    ])


def parquet_row(record: dict) -> dict:
    """A flat Parquet row for an output record; the whole explained verdict, when there is one, as JSON
    in ``explained`` (nested verdicts vary too much for one columnar schema)."""
    if "error" in record:
        return {"line": record.get("line", record.get("row")), "id": record.get("id"), "error": record["error"]}
    flags = record.get("flags") or []
    ids = [f if isinstance(f, str) else f["id"] for f in flags
           if isinstance(f, str) or f.get("status", "warning") == "warning"]
    row = {"id": record.get("id"), "verdict": record["verdict"], "risk": record["risk"],
           "spam_score": record["spam_score"], "scam_type": record.get("scam_type"), "flags": ids}
    if (flags and not isinstance(flags[0], str)) or "advice" in record:
        row["explained"] = _dumps(record).decode()
    return row


# ------------------------------------------------------------------------------------------ the scan

_WORKER: Scanner | None = None


def _init_worker(explain: bool, unit: str) -> None:
    global _WORKER
    _WORKER = Scanner(explain=explain, unit=unit)
    _WORKER._analyzer()


def _work(batch: list[RawRecord]) -> tuple[bytes, list[str], dict]:
    assert _WORKER is not None
    return _WORKER.jsonl(batch)


@dataclass
class Summary:
    records: int = 0
    errors: int = 0
    by_verdict: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    workers: int = 1

    def add(self, counts: dict) -> None:
        for k, n in counts.items():
            self.records += n
            if k == "error":
                self.errors += n
            else:
                self.by_verdict[k] = self.by_verdict.get(k, 0) + n

    def text(self) -> str:
        rate = self.records / self.seconds if self.seconds else 0.0
        parts = ", ".join(f"{k} {self.by_verdict.get(k, 0):,}" for k in ("scam", "suspicious", "spam", "safe"))
        return (f"{self.records:,} records in {self.seconds:.1f} s ({rate:,.0f}/s, {self.workers} "
                f"worker{'s' if self.workers != 1 else ''}): {parts}; {self.errors:,} bad")


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def scan(records: Iterable[RawRecord], writer: Writer, *, workers: int | None = None, explain: bool = False,
         unit: str = "line", on_error: Callable[[str], None] | None = None,
         on_progress: Callable[[int], None] | None = None, batch: int = BATCH) -> Summary:
    """Scan ``records`` into ``writer`` in input order with ``workers`` processes (default: every core;
    1 runs in this process). Returns the summary."""
    import time

    workers = workers or default_workers()
    summary = Summary(workers=workers)
    t0 = time.perf_counter()

    def take(result: tuple[bytes, list[str], dict]) -> None:
        data, errors, counts = result
        writer.write_jsonl(data)
        for e in errors:
            if on_error:
                on_error(e)
        summary.add(counts)
        if on_progress:
            on_progress(sum(counts.values()))

    if workers == 1:
        scanner = Scanner(explain=explain, unit=unit)
        for b in chunks(records, batch):
            take(scanner.jsonl(b))
    else:
        import multiprocessing as mp

        # fork where there is one: workers start with the engine already loaded (shared pages)
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        if method == "fork":
            from .analyzer import Analyzer
            from .detectors.multimatch import compile_at_start

            compile_at_start()  # the patterns' database too, compiled once here and shared
            Analyzer.default()
        ctx = mp.get_context(method)
        with ctx.Pool(workers, initializer=_init_worker, initargs=(explain, unit)) as pool:
            # imap keeps input order; a bounded window keeps memory flat on any input size
            for result in _bounded_imap(pool, chunks(records, batch), window=workers * 4):
                take(result)
    writer.close()
    summary.seconds = time.perf_counter() - t0
    return summary


def _bounded_imap(pool, batches: Iterator[list[RawRecord]], window: int) -> Iterator:
    """``pool.imap`` in order, with at most ``window`` batches read ahead (imap alone reads all input)."""
    from collections import deque

    pending: deque = deque()
    for b in batches:
        pending.append(pool.apply_async(_work, (b,)))
        if len(pending) >= window:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()
