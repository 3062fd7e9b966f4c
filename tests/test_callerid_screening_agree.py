"""``scamshield screen`` and ``POST /v1/screen`` screen a call by one policy (issue 14: they used to weigh
reports differently): for the same caller ID and the same reports database they give the same document,
action, reasons, flags and all. Also the policy itself (callerid.screening.screen) with a table of reports."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from conftest_service import settings
from scamshield.callerid.screening import ALLOWED, REPORTS_POLICY, screen
from scamshield.cli import main
from scamshield.models import Message
from scamshield.reports.ingest import prepare
from scamshield.reports.store import ReportStore
from scamshield.server import create_app

CLEAN = "+442071234567"
ONCE = "+442071234568"
TWICE = "+442071234569"
THRICE = "+441612345678"
PROTECTED = "+443001232040"  # Report Fraud: a genuine number, never counted against
INBOUND_ONLY = "+443002003300"  # HMRC's helpline: it never rings anyone
REPORTED = {ONCE: 1, TWICE: 2, THRICE: 3, PROTECTED: 3}

# (caller ID, identity, verstat, action)
CASES = [
    (CLEAN, None, None, "allow"),
    (ONCE, None, None, "warn"),
    (TWICE, None, None, "warn"),
    (THRICE, None, None, "block"),
    (PROTECTED, None, None, "allow"),
    (INBOUND_ONLY, None, None, "block"),
    (CLEAN, "garbage", None, "warn"),  # a STIR/SHAKEN signature that fails
    (THRICE, "garbage", None, "block"),
    (ONCE, None, "TN-Validation-Failed", "warn"),
    (CLEAN, None, "TN-Validation-Passed-A", "allow"),
    ("withheld", None, None, "warn"),
    (f"sip:{THRICE}@carrier.example;user=phone", None, None, "block"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('screen')}/reports.sqlite3"
    store = ReportStore.open(url)
    for number, times in REPORTED.items():
        for i in range(times):
            store.add(prepare(Message(text=f"Your bank account is locked ({i}): ring us back now", sender=number)))
    store.close()
    return url


@pytest.fixture(scope="module")
def api(db):
    with TestClient(create_app(settings(db))) as c:
        yield c


@pytest.fixture(scope="module")
def api_no_db():
    with TestClient(create_app(settings(None))) as c:
        yield c


@pytest.fixture(autouse=True)
def no_default_db(monkeypatch, tmp_path):
    """Nothing here may read the default reports database of whoever runs the tests."""
    monkeypatch.delenv("SCAMSHIELD_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def cli(capsys, *args: str) -> dict:
    code = main(["screen", *args, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def cli_args(from_, identity, verstat) -> list[str]:
    args = ["--from", from_, "--to", "+447700900001"]
    if identity:
        args += ["--identity", identity]
    if verstat:
        args += ["--verstat", verstat]
    return args


@pytest.mark.parametrize(("from_", "identity", "verstat", "action"), CASES)
def test_the_cli_and_the_api_give_the_same_decision(capsys, api, db, from_, identity, verstat, action):
    body = {"from": from_, "to": "+447700900001", "identity": identity, "verstat": verstat}
    by_api = api.post("/v1/screen", json={k: v for k, v in body.items() if v is not None}).json()
    form = {"From": from_, "To": "+447700900001", "Identity": identity, "StirVerstat": verstat}
    by_webhook = api.post("/v1/screen/webhook", data={k: v for k, v in form.items() if v is not None}).json()
    by_cli = cli(capsys, *cli_args(from_, identity, verstat), "--db", db)
    assert by_api["action"] == action, by_api
    assert by_cli == by_api == by_webhook


@pytest.mark.parametrize(("from_", "identity", "verstat", "action"), CASES)
def test_without_reports_both_screen_by_caller_id_alone(capsys, api_no_db, from_, identity, verstat, action):
    body = {"from": from_, "to": "+447700900001", "identity": identity, "verstat": verstat}
    by_api = api_no_db.post("/v1/screen", json={k: v for k, v in body.items() if v is not None}).json()
    by_cli = cli(capsys, *cli_args(from_, identity, verstat), "--no-db")
    assert by_cli == by_api and by_api["reputation"] is None
    assert by_cli == cli(capsys, *cli_args(from_, identity, verstat))  # no default database: none is made
    assert by_api["action"] == screen(from_, "+447700900001", identity, verstat).callerid.action


def test_the_cli_reads_the_default_database_as_serve_does(capsys, db, monkeypatch):
    monkeypatch.setenv("SCAMSHIELD_DB", db)
    assert cli(capsys, "--from", THRICE)["action"] == "block"
    assert cli(capsys, "--from", THRICE, "--no-db")["action"] == "allow"


def test_a_missing_database_named_on_the_command_line_is_an_error(capsys, tmp_path):
    code = main(["screen", "--from", CLEAN, "--db", str(tmp_path / "nothing.sqlite3")])
    _out, err = capsys.readouterr()
    assert code == 2 and "no such database" in err
    assert not (tmp_path / "nothing.sqlite3").exists()


# ------------------------------------------------------------------------------- the policy itself

def table(counts: dict[str, int], protected: frozenset[str] = frozenset()):
    """A reputation lookup from a table, as ReportStore.reputation answers."""
    def lookup(number: str) -> dict:
        n = counts.get(number, 0)
        return {"number": number, "reports": n, "summary": f"Reported {n} times.", "protected": number in protected}
    return lookup


@pytest.mark.parametrize(("reports", "action"), [(0, "allow"), (1, "warn"), (2, "warn"), (3, "block"), (9, "block")])
def test_reports_make_a_clean_number_stricter(reports, action):
    result = screen(CLEAN, reputation=table({CLEAN: reports}))
    assert result.action == action
    assert (result.action == "allow") == (result.reasons == (ALLOWED,))
    assert [f.flag for f in result.findings] == (["NUMBER_REPORTED"] if reports else [])
    assert REPORTS_POLICY == {"warn": 1, "block": 3}


def test_reports_never_make_a_call_less_strict_nor_count_against_a_protected_number():
    assert screen(INBOUND_ONLY, reputation=table({INBOUND_ONLY: 1})).action == "block"
    assert screen("withheld", reputation=table({})).action == "warn"
    assert screen(PROTECTED, reputation=table({PROTECTED: 5}, frozenset({PROTECTED}))).action == "allow"


def test_without_a_lookup_the_answer_is_the_caller_id_decision():
    result = screen(ONCE)
    assert result.action == result.callerid.action == "allow" and result.reputation is None
    assert result.to_dict()["callerid"] == result.callerid.to_dict()
