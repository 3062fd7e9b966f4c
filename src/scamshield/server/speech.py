"""The speech engine shared by live calls and uploaded recordings, with live calls first.

One recogniser serves the whole server, loaded on first use (``shared_engine``), one utterance at a time.
``SpeechGate`` hands it out by priority: while a live call waits for it, no recording gets it, so an
hour-long upload cannot starve a call in progress of its transcripts (issue 13). Recordings run on ``RecordingPool``, a bounded pool of
worker threads: ``workers`` at once, ``queue`` more waiting, the rest refused (429). Each recording
carries a ``Budget`` - a wall-clock deadline and a cancel flag, set when its client disconnects -
checked between audio blocks and while waiting for the engine, so abandoned or endless work stops.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from fastapi import HTTPException

from ..errors import InputError

LIVE, UPLOAD = 0, 1


def shared_engine(app):
    """The server's speech engine, loaded once on first use; a missing model is a 501, not a crash."""
    with app.state.engine_lock:
        if app.state.engine is None:
            from ..calls.transcribe import load_engine

            try:
                app.state.engine = load_engine()
            except InputError as exc:
                raise HTTPException(501, f"speech-to-text cannot start on this server: {exc}") from None
    return app.state.engine


class Cancelled(Exception):
    """The client that asked for this work has gone."""


class OutOfTime(InputError):
    """A recording took longer than the server's budget for one."""


class Budget:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.cancelled = threading.Event()

    def cancel(self) -> None:
        self.cancelled.set()

    def check(self) -> None:
        if self.cancelled.is_set():
            raise Cancelled()
        if time.monotonic() > self.deadline:
            raise OutOfTime(f"the recording could not be processed within {self.seconds:g} seconds; "
                            "send a shorter one")

    def watch(self, blocks: Iterable) -> Iterator:
        """``blocks``, checking the budget before each one is decoded."""
        for block in blocks:
            self.check()
            yield block
            self.check()


class SpeechGate:
    """A lock on the speech engine that live calls always get before recordings do."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._busy = False
        self._live_waiting = 0
        self.grants = {LIVE: 0, UPLOAD: 0}  # for tests and monitoring

    @contextmanager
    def hold(self, priority: int, budget: Budget | None = None):
        with self._cond:
            live = priority == LIVE
            self._live_waiting += live
            try:
                while self._busy or (not live and self._live_waiting):
                    self._cond.wait(0.2)
                    if budget is not None:
                        budget.check()
                self._busy = True
                self.grants[priority] += 1
            finally:
                self._live_waiting -= live
        try:
            yield
        finally:
            with self._cond:
                self._busy = False
                self._cond.notify_all()


class GatedEngine:
    """A SpeechEngine whose every use of the real engine goes through the gate at one priority."""

    def __init__(self, engine, gate: SpeechGate, priority: int, budget: Budget | None = None) -> None:
        self.engine = engine
        self.gate = gate
        self.priority = priority
        self.budget = budget
        self.name = engine.name
        self.cheap_partials = engine.cheap_partials

    def _run(self, fn: Callable, *args):
        if self.budget is not None:
            self.budget.check()
        with self.gate.hold(self.priority, self.budget):
            return fn(*args)

    def transcribe(self, samples, context: str = "") -> str:
        return self._run(self.engine.transcribe, samples, context)

    def open_utterance(self):
        return _GatedUtterance(self, self._run(self.engine.open_utterance))


class _GatedUtterance:
    def __init__(self, gated: GatedEngine, inner) -> None:
        self.gated, self.inner = gated, inner

    def feed(self, samples) -> None:
        self.gated._run(self.inner.feed, samples)

    def partial(self) -> str:
        return self.gated._run(self.inner.partial)

    def finish(self) -> str:
        return self.gated._run(self.inner.finish)


class RecordingPool:
    """``workers`` threads for recordings, and room for ``queue`` more to wait."""

    def __init__(self, workers: int, queue: int) -> None:
        self.workers = max(1, workers)
        self.capacity = self.workers + max(0, queue)
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.pending = 0

    def submit(self, fn: Callable, *args) -> Future | None:
        """The running job, or None when the pool and its queue are full."""
        with self._lock:
            if self.pending >= self.capacity:
                return None
            self.pending += 1
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="scamshield-recording")
        future = self._executor.submit(fn, *args)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future) -> None:
        with self._lock:
            self.pending -= 1

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
