"""``scamshield serve --workers N``: N processes answering on one listening socket.

The parent builds the application once (rules, model, reports database opened and migrated, demo
reports loaded), closes its database connections and forks N workers that inherit the application and
the listening socket; the kernel hands each new connection to one worker. The parent only supervises:
it restarts a worker that dies and stops them all on Ctrl+C or SIGTERM.

What this means for state (docs/api.md, "Several worker processes"):

* Reports live in the database, shared by every worker: SQLite in WAL mode (one file, this machine)
  or PostgreSQL. Writes that place a report in a campaign take a lock shared by all processes
  (``ReportStore._writing``), and each worker's wording index catches up with the others' reports and
  feedback before it writes. A worker's number-reputation cache lasts at most ``SHARED_TTL`` seconds,
  so a report filed through one worker counts on every worker within that time.
* Each worker listens on its own socket bound to the same port (SO_REUSEPORT), so the kernel spreads
  new connections evenly (one shared socket lets the first worker to wake take most of a burst).
* A live call is one WebSocket, so one connection, so one worker: its state never leaves that process.
* Rate limits, connection limits, live-call limits and the recording queue are per worker: with N
  workers a client may get up to N times the per-minute rate if its connections land on different
  workers (a single keep-alive connection stays on one worker).
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import sys
import time

SHARED_TTL = 1.0  # seconds a worker may answer from its reputation cache without seeing others' writes
MAX_RESTARTS = 10  # restarts within RESTART_WINDOW before the supervisor gives up
RESTART_WINDOW = 60.0


def _run_worker(app, settings, sock: socket.socket) -> None:
    import uvicorn

    from .net import uvicorn_config

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.unfreeze()
    uvicorn.Server(uvicorn_config(app, settings)).run(sockets=[sock])


def _same_port(sock: socket.socket) -> socket.socket:
    """Another listening socket on ``sock``'s address and port (both carry SO_REUSEPORT)."""
    other = socket.socket(sock.family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    other.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    other.bind(sock.getsockname()[:2])
    other.listen(1024)
    return other


def serve_workers(app, settings, sock: socket.socket, count: int) -> int:
    """Fork ``count`` workers serving ``app`` (``sock`` carries SO_REUSEPORT); return when they stop."""
    socks = [sock] + [_same_port(sock) for _ in range(count - 1)]
    store = app.state.store
    if store is not None:
        store.shared_ttl = SHARED_TTL
        store.engine.dispose()  # no database connection crosses a fork
    sys.stdout.flush()
    sys.stderr.flush()
    gc.collect()
    gc.freeze()  # the loaded engine's objects stay shared, page for page, until a worker writes them

    children: dict[int, int] = {}
    stopping = False
    restarts: list[float] = []

    def spawn(slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker: its own socket only (the parent keeps them all, for restarts)
            code = 0
            try:
                for k, other in enumerate(socks):
                    if k != slot:
                        other.close()
                _run_worker(app, settings, socks[slot])
            except KeyboardInterrupt:
                pass
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children[pid] = slot

    def stop(signum, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    old = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for slot in range(count):
            spawn(slot)
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            slot = children.pop(pid, None)
            if slot is None or stopping:
                continue
            now = time.monotonic()
            restarts = [t for t in restarts if now - t < RESTART_WINDOW] + [now]
            code = os.waitstatus_to_exitcode(status)
            if len(restarts) > MAX_RESTARTS:
                print(f"error: worker {slot} exited ({code}) and workers keep failing: stopping",
                      file=sys.stderr, flush=True)
                stop(signal.SIGTERM, None)
                continue
            print(f"worker {slot} exited ({code}); starting it again", file=sys.stderr, flush=True)
            spawn(slot)
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        for s in socks:
            s.close()
    return 0 if stopping else 1
