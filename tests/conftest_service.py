"""Fixtures and helpers for the service tests (API, store, campaigns, browser).

Imported explicitly by those test modules. PostgreSQL comes from SCAMSHIELD_TEST_PG_URL (scripts/test
starts a throwaway cluster with scripts/postgres); without it these fixtures start one themselves when
Debian's postgresql is installed, and skip otherwise - unless SCAMSHIELD_REQUIRE_PG=1, when a missing
database fails the run instead of hiding it.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WRITE_KEY = "test-write-key-0123456789"
ADMIN_KEY = "test-admin-key-0123456789"
KEYS_ENV = f"tester:write:{WRITE_KEY},boss:admin:{ADMIN_KEY}"


def settings(db_url: str | None, **kw):
    from scamshield.server.settings import ApiKey, Settings

    keys = {WRITE_KEY: ApiKey("tester", "write"), ADMIN_KEY: ApiKey("boss", "admin")}
    kw.setdefault("rate_per_minute", 100_000)
    kw.setdefault("write_rate_per_minute", 100_000)
    return Settings(db_url=db_url, api_keys=keys, **kw)


@pytest.fixture(scope="session")
def pg_server_url():
    url = os.environ.get("SCAMSHIELD_TEST_PG_URL")
    started = None
    if not url and list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        out = subprocess.run([str(REPO / "scripts" / "postgres"), "start"], capture_output=True, text=True, timeout=120)
        if out.returncode == 0:
            env = dict(re.findall(r"export (\w+)=(\S+)", out.stdout))
            url, started = env.get("SCAMSHIELD_TEST_PG_URL"), env.get("SCAMSHIELD_TEST_PG_DIR")
    if not url:
        if os.environ.get("SCAMSHIELD_REQUIRE_PG") == "1":
            pytest.fail("PostgreSQL is required (SCAMSHIELD_REQUIRE_PG=1) but none could be started")
        pytest.skip("PostgreSQL is not available: run scripts/postgres start")
    yield url
    if started:
        subprocess.run([str(REPO / "scripts" / "postgres"), "stop", started], timeout=60, check=False)


@pytest.fixture
def pg_url(pg_server_url):
    """A fresh, empty database on the test cluster, dropped afterwards."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    base = pg_server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/reports.sqlite3"
    return request.getfixturevalue("pg_url")


class ServerProcess:
    """``python -m scamshield.server`` on a free loopback port, as a real process we can kill."""

    def __init__(self, db: str, tmp: Path, *, demo: bool = False, keys: bool = True,
                 extra: tuple[str, ...] = ()) -> None:
        self.db, self.tmp, self.demo, self.keys, self.extra = db, tmp, demo, keys, extra
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self.output: list[str] = []

    def start(self, timeout: float = 60) -> ServerProcess:
        env = dict(os.environ, SCAMSHIELD_API_KEYS=KEYS_ENV if self.keys else "",
                   XDG_DATA_HOME=str(self.tmp / "xdg"), PYTHONUNBUFFERED="1")
        cmd = [sys.executable, "-m", "scamshield.server", "--host", "127.0.0.1", "--port", "0", "--db", self.db,
               "--rate", "100000", "--write-rate", "100000", *(["--demo"] if self.demo else []), *self.extra]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                     cwd=str(self.tmp))
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in self.proc.stdout], daemon=True).start()
        while True:
            try:
                line = lines.get(timeout=timeout)
            except queue.Empty:
                self.kill()
                raise RuntimeError("server did not start: " + "".join(self.output)) from None
            self.output.append(line)
            m = re.search(r"running at (http://\S+?)/?\s", line)
            if m:
                self.url = m.group(1).replace("localhost", "127.0.0.1")
                return self
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + "".join(self.output))

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
