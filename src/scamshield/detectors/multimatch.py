"""Which of many regexes may match a text, found in one scan: the pattern detector's candidate finder.

``MultiMatcher.open(regexes).candidates(text)`` gives, in ascending order, the indexes of the regexes
that may match ``text``; the caller runs only those. Two engines give the same answer up to a superset:

* **Hyperscan** (the ``hyperscan`` package, in the ``scale`` extra): all the regexes in one database
  compiled in prefilter mode (``HS_FLAG_PREFILTER``), in which Hyperscan may report a regex that the
  Python one then rejects but never misses one it accepts. A text is scanned once, in time linear in
  its length whatever it holds, and each regex is reported at most once (``HS_FLAG_SINGLEMATCH``).
  Before compiling, each regex is widened (``widen.py``) - every change only lets more text through - so
  that the whole database compiles in about a second instead of 20-50 s.
* **Plain** (``re``), when Hyperscan is not installed, its database is not built yet, or a text is not
  valid UTF-8 (a lone surrogate): every regex is searched, so the candidates are exactly the regexes
  that match. Correct and simple, and about 10x slower than the scan plus the re-checks.

The compiled database is kept in the cache directory (``settings.cache_dir``: ``SCAMSHIELD_CACHE_DIR``, else
``$XDG_CACHE_HOME/scamshield``, else ``~/.cache/scamshield``) under a hash of the widened regexes, the
compile flags, the Hyperscan version and the machine type, and loaded from there (a few ms). Nothing ever
waits for a compile: ``scripts/setup`` builds the shipped rules' database (``python -m
scamshield.detectors.patterns``); where it is missing, a detached background process builds it, the
plain engine answers meanwhile, and the matcher picks the database up once the file is there. Files are
written to a temporary name and renamed into place, so processes building at once never leave a torn file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import atomicfile
from ..settings import cache_dir
from .widen import INLINE_FLAGS, widen

FORMAT = 1  # bump when ``widen`` or the compile flags change what a database holds for the same regexes
ENGINES = ("auto", "hyperscan", "re")
BUILDS = ("background", "now", "never")
_LOOK_EVERY_S = 1.0  # while plain: how often to look whether the database has appeared in the cache

log = logging.getLogger(__name__)

_loaded: dict[str, Any] = {}  # database key -> hyperscan.Database, loaded or built in this process
_builders: dict[str, subprocess.Popen] = {}  # database key -> background build started by this process
_lock = threading.Lock()


# ---------------------------------------------------------------------------------------------- databases

def _hyperscan():
    try:
        import hyperscan
    except ImportError:
        return None
    return hyperscan


def _flags(hs) -> int:
    return hs.HS_FLAG_PREFILTER | hs.HS_FLAG_SINGLEMATCH | hs.HS_FLAG_UTF8 | hs.HS_FLAG_ALLOWEMPTY


def database_path(widened: Sequence[str], root: Path | None = None) -> Path:
    """Where the database for these (already widened) regexes is cached."""
    hs = _hyperscan()
    ident = {"format": FORMAT, "hyperscan": getattr(hs, "__version__", None), "machine": platform.machine(),
             "flags": _flags(hs) if hs else None, "patterns": list(widened)}
    key = hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:24]
    return (root or cache_dir()) / f"hyperscan-{key}.db"


def compile_database(widened: Sequence[str]):
    """A Hyperscan block-mode database of ``widened`` (id = index). A regex Hyperscan refuses is compiled
    as the empty pattern, so it is a candidate for every text (and checked by ``re``)."""
    hs = _hyperscan()
    flags = _flags(hs)
    exprs = list(widened)

    def build(exprs: list[str]):
        db = hs.Database(mode=hs.HS_MODE_BLOCK)
        db.compile(expressions=[p.encode() for p in exprs], ids=list(range(len(exprs))), elements=len(exprs),
                   flags=[flags] * len(exprs))
        return db

    try:
        return build(exprs)
    except hs.error:
        for i, p in enumerate(exprs):
            try:
                build([p])
            except hs.error as exc:
                log.warning("Hyperscan refuses regex %d (%s): it will be tried on every text", i, exc)
                exprs[i] = ""
        return build(exprs)


def build_database(widened: Sequence[str], path: Path) -> Any:
    """Compile ``widened`` and write it to ``path`` (temporary file, then an atomic rename)."""
    hs = _hyperscan()
    db = compile_database(widened)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomicfile.write_bytes(path, hs.dumpb(db))
    return db


def load_database(path: Path) -> Any | None:
    """The database cached at ``path``; None when there is none or it cannot be used here (another
    Hyperscan version or CPU, a damaged file): it is then built again."""
    hs = _hyperscan()
    key = str(path)
    db = _loaded.get(key)
    if db is not None or hs is None:
        return db
    try:
        data = path.read_bytes()
        db = hs.loadb(data, hs.HS_MODE_BLOCK)
        hs.Scratch(db)  # a database for another CPU fails here or in loadb
    except (OSError, hs.error) as exc:
        if not isinstance(exc, FileNotFoundError):
            log.info("cannot use the cached Hyperscan database %s (%s); rebuilding it", path, exc)
        return None
    _loaded[key] = db
    return db


_CHILD = "import sys; sys.path.insert(0, sys.argv[1]); from scamshield.detectors.multimatch import main; " \
         "sys.exit(main(sys.argv[2:]))"


def _build_in_background(widened: Sequence[str], path: Path) -> None:
    """Start a detached process that builds the database at ``path`` (at most one per process at a time);
    it outlives a short-lived command, so the next one finds the database ready."""
    key = str(path)
    with _lock:
        running = _builders.get(key)
        if running is not None and running.poll() is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, spec = tempfile.mkstemp(dir=path.parent, prefix=".build-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({"patterns": list(widened), "path": os.path.abspath(path)}, f)
            src = str(Path(__file__).resolve().parents[2])  # so the child imports this same scamshield
            _builders[key] = subprocess.Popen(
                [sys.executable, "-c", _CHILD, src, "--spec", os.path.abspath(spec)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True, close_fds=True,
            )
        except OSError as exc:  # a read-only cache, no interpreter to start: stay plain
            log.info("cannot build the Hyperscan database in the background: %s", exc)


# ---------------------------------------------------------------------------------------------- matcher

def _collect(i: int, _start: int, _end: int, _flags: int, found: list[int]) -> None:
    found.append(i)


class MultiMatcher:
    """The regexes' candidates for a text; build one with ``MultiMatcher.open``."""

    def __init__(self, regexes: Sequence[re.Pattern], path: Path | None, database: Any = None) -> None:
        self.regexes = tuple(regexes)
        self.path = path  # where the Hyperscan database is cached; None: plain only
        self._db = database
        self._local = threading.local()  # each thread scans with its own scratch space
        self._next_look = 0.0

    @classmethod
    def open(cls, regexes: Sequence[re.Pattern], *, engine: str = "auto", build: str = "background",
             root: Path | None = None) -> MultiMatcher:
        """A matcher for ``regexes`` (compiled without flags; inline ones are fine).

        ``engine``: ``auto`` uses Hyperscan when it is installed, ``re`` never does (the plain path),
        ``hyperscan`` requires it. ``build``, when the database is not cached yet: ``background`` (start a
        detached build, answer plainly until it is ready), ``now`` (compile here and wait: setup, tests,
        benchmarks) or ``never``. ``root``: the cache directory (default ``cache_dir()``).
        """
        if engine not in ENGINES or build not in BUILDS:
            raise ValueError(f"engine must be one of {ENGINES} and build one of {BUILDS}")
        regexes = tuple(regexes)
        for rx in regexes:
            if rx.flags & ~re.UNICODE and not INLINE_FLAGS.search(rx.pattern):
                raise ValueError(f"compile {rx.pattern!r} without flags (or write them inline)")
        if engine == "re" or _hyperscan() is None:
            if engine == "hyperscan":
                raise ImportError("the hyperscan package is not installed: pip install 'scamshield[scale]'")
            return cls(regexes, None)
        widened = [widen(rx.pattern) for rx in regexes]
        path = database_path(widened, root)
        db = load_database(path)
        if db is None and build == "now":
            db = _loaded[str(path)] = build_database(widened, path)
        elif db is None and build == "background":
            _build_in_background(widened, path)
        return cls(regexes, path, db)

    @staticmethod
    def available() -> bool:
        """Whether Hyperscan is installed (else every matcher is plain)."""
        return _hyperscan() is not None

    @property
    def engine(self) -> str:
        """``hyperscan`` once its database is loaded, else ``re``."""
        return "re" if self._database() is None else "hyperscan"

    def _database(self) -> Any | None:
        db = self._db
        if db is None and self.path is not None:
            now = time.monotonic()
            if now >= self._next_look:
                self._next_look = now + _LOOK_EVERY_S
                db = self._db = load_database(self.path)
        return db

    def searched(self, text: str) -> list[int]:
        """The plain answer: the indexes of the regexes that match ``text``."""
        return [i for i, rx in enumerate(self.regexes) if rx.search(text)]

    def candidates(self, text: str) -> list[int]:
        """Ascending indexes of the regexes that may match ``text``: every one that matches, perhaps more."""
        db = self._db
        if db is None and (db := self._database()) is None:
            return self.searched(text)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: not UTF-8, which the database reads
            return self.searched(text)
        held = getattr(self._local, "scratch", None)  # (database, its scratch space) of this thread
        if held is None or held[0] is not db:
            held = self._local.scratch = (db, _hyperscan().Scratch(db))
        scratch = held[1]
        found: list[int] = []
        db.scan(data, match_event_handler=_collect, context=found, scratch=scratch)
        if len(found) > 1:
            found.sort()
        return found

    def __getstate__(self) -> dict:  # a database and scratch space do not pickle: the copy loads its own
        return {"regexes": self.regexes, "path": self.path}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["regexes"], state["path"])


def main(argv: list[str] | None = None) -> int:
    """Build the database a background build was asked for (``_build_in_background``: a spec file naming
    the widened regexes and the cache path). The shipped rules' database: ``python -m
    scamshield.detectors.patterns``."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m scamshield.detectors.multimatch", description=main.__doc__)
    ap.add_argument("--spec", required=True, help="JSON file: {patterns: [widened regex...], path: database file}")
    args = ap.parse_args(argv)
    spec_file = Path(args.spec)
    try:
        spec = json.loads(spec_file.read_text(encoding="utf-8"))
    finally:
        spec_file.unlink(missing_ok=True)
    if _hyperscan() is None:
        return 1
    path = Path(spec["path"])
    if load_database(path) is None:
        build_database(spec["patterns"], path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
