"""Where the reports database is when nobody names one: the one home of that default, and the one reader
of ``SCAMSHIELD_DB``. ``scamshield serve``, ``report``, ``campaigns``, ``blocklist`` and ``screen``, and
``ReportStore.open()`` with no URL, all use it.

    SCAMSHIELD_DB   a SQLite file path or a SQLAlchemy URL (postgresql://...)
    otherwise       $XDG_DATA_HOME/scamshield/reports.sqlite3 (~/.local/share/scamshield/ when unset);
                    a demo (``serve --demo``) gets demo.sqlite3 there instead, so demo reports never mix
                    with real ones

Imports nothing of the database libraries: the CLI asks here before it knows the ``server`` extra is in.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DB_ENV = "SCAMSHIELD_DB"


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """scamshield's folder for data it keeps: ``$XDG_DATA_HOME/scamshield``."""
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "scamshield"


def default_db(demo: bool = False, env: Mapping[str, str] | None = None) -> str:
    """The database to use when none is given: ``SCAMSHIELD_DB``, else a file in ``data_dir()``."""
    env = os.environ if env is None else env
    return env.get(DB_ENV) or str(data_dir(env) / ("demo.sqlite3" if demo else "reports.sqlite3"))


def file_of(url: str) -> Path | None:
    """The file a SQLite database lives in (a plain path or ``sqlite:///path``); None for other URLs."""
    if "://" not in url:
        return Path(url).expanduser()
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url[len("sqlite:///"):])
    return None


def make_room(url: str) -> None:
    """Create the folder a database file is to go in (a database server's URL is left alone)."""
    if "://" not in url:
        Path(url).expanduser().parent.mkdir(parents=True, exist_ok=True)


def exists(url: str) -> bool:
    """Whether there is a database at ``url`` to read: a SQLite file that is there, or any other URL (a
    database server's; opening it says if not)."""
    path = file_of(url)
    return path is None or path.is_file()
