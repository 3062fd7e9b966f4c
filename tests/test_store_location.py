"""The default reports database has one home (reports/location.py): serve, report, campaigns, blocklist,
screen and ReportStore.open() with no URL all mean the same file."""

from __future__ import annotations

from pathlib import Path

from scamshield.reports.location import DB_ENV, default_db, exists, file_of, make_room
from scamshield.reports.store import normalise_url


def test_the_default_is_scamshield_db_else_a_file_in_the_data_folder(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path)}
    assert default_db(env=env) == str(tmp_path / "scamshield" / "reports.sqlite3")
    assert default_db(True, env=env) == str(tmp_path / "scamshield" / "demo.sqlite3")  # demos never mix in
    assert default_db(env={**env, DB_ENV: "postgresql://u@h/db"}) == "postgresql://u@h/db"
    assert default_db(env={}).startswith(str(Path.home() / ".local" / "share" / "scamshield"))


def test_report_store_open_without_a_url_uses_the_same_default(monkeypatch, tmp_path):
    monkeypatch.delenv(DB_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert normalise_url(None) == "sqlite:///" + str(tmp_path / "scamshield" / "reports.sqlite3")


def test_files_and_urls(tmp_path):
    path = tmp_path / "a" / "b" / "r.sqlite3"
    assert file_of(str(path)) == path and file_of(f"sqlite:///{path}") == path
    assert file_of("postgresql://u@h/db") is None and file_of("sqlite:///:memory:") is None
    assert not exists(str(path)) and exists("postgresql://u@h/db")
    make_room(str(path))
    assert path.parent.is_dir() and not path.exists()  # the folder is made, the database is not
