"""Issue 13, reports: hostile report text is ingested in linear time; keys cannot be guessed quickly;
every admin read is rate-limited; a money_lost of nan/inf is a clear error, not a traceback."""

from __future__ import annotations

import json
import time

import pytest
from fastapi.testclient import TestClient

from conftest_service import ADMIN_KEY, WRITE_KEY, settings
from scamshield.cli import main
from scamshield.models import Message
from scamshield.reports.extract import MAX_LINKS, links_in, numbers_in, script_words
from scamshield.reports.ingest import prepare
from scamshield.server import create_app

W = {"X-API-Key": WRITE_KEY}
A = {"X-API-Key": ADMIN_KEY}


@pytest.fixture
def fresh(tmp_path):
    with TestClient(create_app(settings(f"sqlite:///{tmp_path}/r.sqlite3"))) as c:
        yield c


def _cpu(fn, *args):
    t0 = time.thread_time()
    out = fn(*args)
    return time.thread_time() - t0, out


def test_the_12000_character_report_from_the_issue_is_stored_in_well_under_a_second(fresh):
    """Was 30-45 s (9 s on the 2-core CI machine): the old URL pattern backtracked on "ab." repeated."""
    text = "ab." * 4_000
    t0 = time.perf_counter()
    r = fresh.post("/v1/reports", json={"message": {"text": text}}, headers=W)
    took = time.perf_counter() - t0
    assert r.status_code == 201, r.text
    assert took < 3.0, f"{took:.1f} s"  # measured ~0.05 s
    spent, _ = _cpu(prepare, Message(text="ab." * 8_334))  # 25,000 characters: was 104 s in the issue
    assert spent < 1.0


HOSTILE = {
    "ab.": "ab." * 16_000,
    "a.": "a." * 25_000,
    "digit_commas": "1," * 25_000,
    "pound_commas": "£" + "1," * 25_000,
    "digits_spaces": "0 1-2(3)4.5 " * 4_000,
    "www": "www." * 12_000,
    "http": "http://" + "a." * 20_000 + "!",
    "emails": "a@b.co " * 7_000,
    "links": "x.top/a " * 6_000,
    "phones": "07700 900123 " * 3_800,
    "spaces": " " * 49_999 + "x",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_every_extraction_step_is_fast_on_hostile_text(name):
    text = HOSTILE[name]
    for fn in (links_in, numbers_in, script_words):
        spent, _ = _cpu(fn, text)
        assert spent < 2.0, f"{fn.__name__} on {name!r}: {spent:.1f} s CPU"
    assert len(links_in(text)) <= MAX_LINKS


def test_links_come_from_the_engines_link_finder():
    text = "Pay at https://rm-fee.top/x, or www.fake-bank.top. Mail help@bank.com. Visit hmrc-refund.co.uk today."
    assert links_in(text) == ["https://rm-fee.top/x", "www.fake-bank.top", "hmrc-refund.co.uk"]
    assert script_words("Pay £1,200.50 or 300 pounds at https://a.top now") == [
        "pay", "<money>", "or", "<money>", "at", "<link>", "now"]


def test_wrong_api_keys_are_rate_limited_before_they_are_checked(tmp_path):
    app = create_app(settings(f"sqlite:///{tmp_path}/r.sqlite3", auth_failures_per_minute=5))
    body = {"message": {"text": "Royal Mail: pay £1.45 at https://rm-fee.top"}}
    with TestClient(app) as c:
        codes = [c.post("/v1/reports", json=body, headers={"X-API-Key": f"guess-{i:020d}"}).status_code
                 for i in range(8)]
        assert codes == [401] * 5 + [429] * 3
        r = c.post("/v1/reports", json=body, headers=W)  # even the right key waits: guesses are not free
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
        assert c.get("/v1/reports/1", headers={"X-API-Key": "x" * 30}).status_code == 429


def test_the_write_rate_counts_before_the_key_is_looked_at(tmp_path):
    app = create_app(settings(f"sqlite:///{tmp_path}/r.sqlite3", write_rate_per_minute=3,
                              auth_failures_per_minute=1_000))
    with TestClient(app) as c:
        codes = [c.post("/v1/reports", json={"message": {"text": "x"}}, headers={"X-API-Key": "w" * 30}).status_code
                 for _ in range(5)]
        assert codes == [401, 401, 401, 429, 429]


def test_reading_one_report_is_rate_limited(tmp_path):
    app = create_app(settings(f"sqlite:///{tmp_path}/r.sqlite3", rate_per_minute=4))
    with TestClient(app) as c:
        codes = [c.get("/v1/reports/1", headers=A).status_code for _ in range(6)]
        assert codes == [404] * 4 + [429] * 2


@pytest.mark.parametrize("amount", ["nan", "inf", "-inf", "NaN", "1e400"])
def test_money_lost_nan_or_inf_on_the_command_line_is_a_clear_error(tmp_path, capsys, amount):
    code = main(["report", "HMRC: pay now", f"--money-lost={amount}", "--db", str(tmp_path / "r.sqlite3")])
    out, err = capsys.readouterr()
    assert code == 2 and err.startswith("error:") and "money_lost" in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize("amount", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
def test_money_lost_nan_or_inf_in_the_api_is_422(fresh, amount):
    body = b'{"message": {"text": "HMRC: pay now"}, "money_lost": ' + amount + b"}"
    r = fresh.post("/v1/reports", content=body, headers={**W, "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert fresh.get("/v1/reports", headers=A).json()["total"] == 0


def test_a_report_with_thousands_of_links_and_numbers_keeps_a_bounded_number(fresh):
    text = " ".join(f"site{i}.top 07700 9{i:05d}" for i in range(2_000))
    r = fresh.post("/v1/reports", json={"message": {"text": text[:49_000]}}, headers=W)
    assert r.status_code == 201
    got = fresh.get(f"/v1/reports/{r.json()['id']}", headers=A).json()
    assert len(json.dumps(got)) < 200_000
