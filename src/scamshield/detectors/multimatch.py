"""Which of many regexes may match a text, found in one scan: the pattern detector's candidate finder.

``MultiMatcher.open(regexes).candidates(text)`` gives, in ascending order, the indexes of the regexes
that may match ``text``; the caller runs only those. Two engines give the same answer up to a superset:

* **Hyperscan** (the ``pyperscan`` package, a binding of Vectorscan, the portable Hyperscan fork; in the
  ``scale`` extra): all the regexes in one database compiled in prefilter mode, in which it may report a
  regex that the Python one then rejects but never misses one it accepts. A text is scanned once, in time
  linear in its length whatever it holds, and each regex is reported at most once (single-match). Before
  compiling, each regex is widened (``widen.py``) - every change only lets more text through, and
  non-ASCII characters become ``\\x{..}`` escapes - so the whole database compiles in ~2 s, not ~75 s.
  (The ``hyperscan`` package, used until 2026-12, missed real matches: docs/performance.md.)
* **Plain** (``re``), when pyperscan is not installed, the database is not compiled (yet), or a text is
  not valid UTF-8 (a lone surrogate): every regex is searched, so the candidates are exactly the regexes
  that match. Correct and simple, and ~300x slower than the scan (1.4 ms a text against 4 µs; the whole
  pattern detector ~50x slower).

A database cannot be saved, and compiling one holds the GIL for ~2 s, so when to compile is a policy
(``build``): ``now`` compiles at ``open`` (benchmarks, tests, ``python -m scamshield.detectors.patterns``);
``auto`` (the default) answers plainly until this matcher has spent as long searching plainly as a compile
costs (``COMPILE_AFTER_S``: ~1,500 texts), then compiles in the calling thread - so a one-message ``scamshield
check`` never pays for a compile, and a long run pays at most twice what it would have with the better
choice made up front; ``never`` stays plain until ``compile()``. ``compile_at_start()`` tells a process it
will scan many texts (``scamshield serve``, ``scamshield scan``, a Ray worker): every ``auto`` matcher, open
or opened later, compiles at once. A compiled database is kept per process (by its widened regexes), so
matchers over the same rules share it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import weakref
from collections.abc import Iterable, Sequence
from typing import Any

from .widen import INLINE_FLAGS, widen

ENGINES = ("auto", "hyperscan", "re")
BUILDS = ("auto", "now", "never")
# ``auto``: the plain search time (s) after which a matcher compiles: about what the compile costs (the
# ski-rental rule: stop renting when the rent paid equals the price of buying)
COMPILE_AFTER_S = 2.0
_KEEP = 4  # compiled databases kept per process (one per rules edit seen)

log = logging.getLogger(__name__)

_compiled: dict[tuple[str, ...], Any] = {}  # widened regexes -> database compiled in this process
_lock = threading.Lock()
_auto: weakref.WeakSet[MultiMatcher] = weakref.WeakSet()  # open ``auto`` matchers not yet compiled
_eager = False  # compile_at_start() was called: ``auto`` means ``now``


# ---------------------------------------------------------------------------------------------- databases

def _pyperscan():
    try:
        import pyperscan
    except ImportError:
        return None
    return pyperscan


def compile_database(widened: Sequence[str]) -> Any:
    """A block-mode database of ``widened`` (tag = index), each regex in prefilter, single-match, UTF-8
    mode. A regex the compiler refuses is compiled as the empty pattern, so it is a candidate for every
    text (and checked by ``re``). Holds the GIL while it compiles."""
    global _CONTINUE
    ps = _pyperscan()
    _CONTINUE = ps.Scan.Continue
    flags = (ps.Flag.PREFILTER, ps.Flag.SINGLEMATCH, ps.Flag.UTF8, ps.Flag.ALLOWEMPTY)
    exprs = list(widened)
    while True:
        try:
            return ps.BlockDatabase(*(ps.Pattern(p.encode(), *flags, tag=i) for i, p in enumerate(exprs)))
        except Exception as exc:  # pyperscan's HyperscanCompileError: (message, index of the regex)
            args = getattr(exc, "args", ())
            bad = args[1] if len(args) == 2 and isinstance(args[1], int) else None
            if bad is None or not 0 <= bad < len(exprs) or exprs[bad] == "":
                raise
            log.warning("Hyperscan refuses regex %d (%s): it will be tried on every text", bad, args[0])
            exprs[bad] = ""


def _database(widened: tuple[str, ...]) -> Any:
    """The database of ``widened``, compiled once per process (callers hold ``_lock``)."""
    db = _compiled.get(widened)
    if db is None:
        t = time.perf_counter()
        db = compile_database(widened)
        log.info("compiled the Hyperscan database of %d regexes in %.2f s", len(widened), time.perf_counter() - t)
        while len(_compiled) >= _KEEP:
            del _compiled[next(iter(_compiled))]
        _compiled[widened] = db
    return db


def compile_at_start() -> None:
    """This process is going to scan many texts (a server, a batch scan, a Ray worker): compile the
    database of every ``auto`` matcher now, those already open and those opened from now on, so that
    none compiles mid-stream."""
    global _eager
    _eager = True
    for m in list(_auto):
        m.compile()


# ---------------------------------------------------------------------------------------------- matcher

def _collect(found: list[int], tag: int, _start: int, _end: int) -> Any:
    found.append(tag)
    return _CONTINUE


_CONTINUE: Any = None  # pyperscan.Scan.Continue, once pyperscan is imported


class MultiMatcher:
    """The regexes' candidates for a text; build one with ``MultiMatcher.open``."""

    def __init__(self, regexes: Sequence[re.Pattern], widened: tuple[str, ...] | None, build: str = "never",
                 database: Any = None, *, required: bool = False) -> None:
        self.regexes = tuple(regexes)
        self.widened = widened  # what the database is compiled from; None: plain only
        self.build = build
        self.required = required  # engine="hyperscan": a failed compile is an error, not the plain path
        self._db = database
        self._plain_s = 0.0  # ``auto``: time spent searching plainly so far
        self._local = threading.local()  # each thread scans with its own scanner (scratch space)

    @classmethod
    def open(cls, regexes: Sequence[re.Pattern], *, engine: str = "auto", build: str = "auto") -> MultiMatcher:
        """A matcher for ``regexes`` (compiled without flags; inline ones are fine).

        ``engine``: ``auto`` uses Hyperscan when pyperscan is installed, ``re`` never does (the plain
        path), ``hyperscan`` requires it. ``build``: when to compile the database (see the module's
        docstring): ``auto`` (once plain searching has cost as much as a compile; at once after
        ``compile_at_start()``), ``now`` or ``never`` (until ``compile()``).
        """
        if engine not in ENGINES or build not in BUILDS:
            raise ValueError(f"engine must be one of {ENGINES} and build one of {BUILDS}")
        regexes = tuple(regexes)
        for rx in regexes:
            if rx.flags & ~re.UNICODE and not INLINE_FLAGS.search(rx.pattern):
                raise ValueError(f"compile {rx.pattern!r} without flags (or write them inline)")
        ps = _pyperscan() if engine != "re" else None
        if ps is None:
            if engine == "hyperscan":
                raise ImportError("the pyperscan package is not installed: pip install 'scamshield[scale]'")
            return cls(regexes, None)
        widened = tuple(widen(rx.pattern) for rx in regexes)
        with _lock:
            db = _compiled.get(widened)
        m = cls(regexes, widened, build, db, required=engine == "hyperscan")
        if db is None and (build == "now" or (build == "auto" and _eager)):
            m.compile()
        elif db is None and build == "auto":
            _auto.add(m)
        return m

    @staticmethod
    def available() -> bool:
        """Whether pyperscan is installed (else every matcher is plain)."""
        return _pyperscan() is not None

    @property
    def engine(self) -> str:
        """``hyperscan`` once the database is compiled, else ``re``."""
        return "re" if self._db is None else "hyperscan"

    def compile(self) -> MultiMatcher:
        """Compile the database now (~2 s for the red-flag rules, holding the GIL), unless this process has
        already compiled it; a no-op for a plain matcher."""
        if self._db is None and self.widened is not None:
            with _lock:
                try:
                    if self._db is None:
                        self._db = _database(self.widened)
                except Exception as exc:  # e.g. a CPU the library cannot run on: stay plain, once and for all
                    if self.required:
                        raise
                    log.warning("cannot compile the Hyperscan database (%s): every regex is searched", exc)
                    self.widened = None
            _auto.discard(self)
        return self

    def searched(self, text: str) -> list[int]:
        """The plain answer: the indexes of the regexes that match ``text``."""
        return [i for i, rx in enumerate(self.regexes) if rx.search(text)]

    def _plain(self, text: str) -> list[int]:
        if self.build != "auto" or self.widened is None:
            return self.searched(text)
        t = time.perf_counter()
        found = self.searched(text)
        self._plain_s += time.perf_counter() - t
        if self._plain_s >= COMPILE_AFTER_S and not _lock.locked():  # another thread compiling: go on plainly
            self.compile()
        return found

    def prefetch(self, texts: Iterable[str]) -> None:
        """Find the candidates of many texts now, one scan after another, and answer ``candidates`` for them from
        memory (in this thread) until the next ``prefetch``; ``prefetch(())`` forgets them. A batch scan does this
        for each slice of its texts: scanned back to back, the database stays in the CPU's caches (in the middle
        of a verdict's other work a scan cost ~13-20 us a text, ~4 us in a row). The answers are the same."""
        local = self._local
        local.memo = None
        if self._db is None:  # plain search: nothing to gain
            return
        memo: dict[str, list[int]] = {}
        for text in texts:
            if text not in memo:
                memo[text] = self.candidates(text)
        local.memo = memo or None

    def candidates(self, text: str) -> list[int]:
        """Ascending indexes of the regexes that may match ``text``: every one that matches, perhaps more."""
        memo = getattr(self._local, "memo", None)
        if memo is not None:
            found = memo.get(text)
            if found is not None:
                return list(found)
        db = self._db
        if db is None:
            return self._plain(text)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: not UTF-8, which the database reads
            return self.searched(text)
        held = getattr(self._local, "scanner", None)  # (database, its scanner, the list it fills)
        if held is None or held[0] is not db:
            found: list[int] = []
            held = self._local.scanner = (db, db.build(found, _collect), found)
        found = held[2]
        found.clear()
        held[1].scan(data)
        return sorted(found)

    def __getstate__(self) -> dict:  # a database and its scanners do not pickle: the copy compiles its own
        return {"regexes": self.regexes, "widened": self.widened, "build": self.build,
                "compiled": self._db is not None, "required": self.required}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["regexes"], state["widened"], state["build"], required=state["required"])
        if self.widened is not None and _pyperscan() is None:  # unpickled where pyperscan is missing
            self.widened = None
        elif state["compiled"] or state["build"] == "now" or (state["build"] == "auto" and _eager):
            self.compile()  # a copy sent to a worker: the sender found it worth compiling
        elif state["build"] == "auto":
            _auto.add(self)

