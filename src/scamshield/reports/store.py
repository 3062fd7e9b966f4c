"""The reports store: SQLite by default (one file, nothing to install), PostgreSQL by URL. The schema is
created and upgraded by the Alembic migrations shipped in ``migrations/``, run when a store is opened.

``ReportStore`` is the one object callers use; its jobs live in their own modules: ``writes`` (reports
and feedback, each in one transaction), ``merging`` (campaigns as reports arrive), ``views`` (search,
campaigns, reputation, blocklist, dashboard) and ``sentences`` (what it says to a person). This module
opens the database and keeps one writer at a time, across threads and processes.

A report is acknowledged only after its transaction commits, and one transaction holds the report,
its numbers and links, and any campaign merge it causes: a crash leaves either all or none of it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import sessionmaker

from . import campaigns as camp
from .common import now
from .location import default_db
from .merging import CampaignMerging
from .sentences import known_scam_types, money_to_pence, reputation_sentence, type_label
from .views import MAX_PAGE, ReportViews
from .writes import ReportWrites, Stored

__all__ = ["MAX_PAGE", "ReportStore", "Stored", "known_scam_types", "money_to_pence", "normalise_url",
           "now", "reputation_sentence", "type_label"]

def normalise_url(url: str | None) -> str:
    """Accept a path, ``sqlite:///...`` or ``postgresql://...``; use the psycopg 3 driver for PostgreSQL.
    None is the default database (``location.default_db()``)."""
    url = (url or default_db()).strip()
    if "://" not in url:
        url = "sqlite:///" + str(Path(url).expanduser())
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class ReportStore(ReportWrites, CampaignMerging, ReportViews):
    """Reports, campaigns and what they show; see the module docstring."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session = sessionmaker(engine, expire_on_commit=False)
        self.index = camp.WordingIndex()
        self._lock = threading.Lock()  # one writer at a time keeps campaign merges consistent
        self._writes = 0  # bumped on every write of this process; readers use ``version`` to drop caches
        self._feedback_seen: int | None = None  # the newest feedback row the wording index reflects
        # Several processes on one database (``scamshield serve --workers N``): set to a number of
        # seconds, and ``version`` also changes that often, so caches see other processes' writes.
        self.shared_ttl: float | None = None

    @property
    def version(self):
        """Changes whenever this process writes (and every ``shared_ttl`` seconds when set)."""
        if self.shared_ttl:
            return (self._writes, int(time.monotonic() / self.shared_ttl))
        return self._writes

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One writer at a time, across threads and across processes: a file database is locked with
        flock on ``<file>.lock`` beside it, PostgreSQL with a session advisory lock, so that campaign
        merges read and write a consistent picture whichever worker process takes the report."""
        with self._lock:
            if self.dialect == "sqlite":
                path = self.engine.url.database
                if not path or path == ":memory:" or path.startswith("file:"):
                    yield
                    return
                import fcntl

                fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    yield
                finally:
                    os.close(fd)  # closing releases the lock
                return
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT pg_advisory_lock(7245816)")
                conn.commit()
                try:
                    yield
                finally:
                    conn.exec_driver_sql("SELECT pg_advisory_unlock(7245816)")
                    conn.commit()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> ReportStore:
        url = normalise_url(url)
        kwargs: dict = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs["pool_pre_ping"] = True
        engine = create_engine(url, **kwargs)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        if migrate:
            store.migrate()
        return store

    def migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # an acknowledged report survives a power cut, not just a crash
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
