"""``scamshield serve --workers 2``: a real server, two worker processes on one port (issue 11).

* keep-alive responses do not wait for Nagle's algorithm (the listening socket is TCP, TCP_NODELAY);
* both workers take connections, and a worker that dies is started again;
* the reports store is shared: a report filed through one worker counts on every worker within a second
  (the reputation cache is short-lived with several workers), campaigns stay one across workers;
* a live call (one WebSocket) runs start to end on the worker that took it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import time
from pathlib import Path

import httpx
import pytest

from conftest_service import WRITE_KEY, ServerProcess

pytestmark = pytest.mark.slow
W = {"X-API-Key": WRITE_KEY}


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pytest.skip("needs Linux /proc")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workers")
    srv = ServerProcess(f"sqlite:///{tmp}/reports.sqlite3", tmp, extra=("--workers", "2")).start()
    deadline = time.monotonic() + 60
    while len(_children(srv.proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # workers listening
    yield srv
    srv.stop()


def test_two_workers_answer_and_keep_alive_is_not_delayed(server):
    assert len(_children(server.proc.pid)) == 2
    with httpx.Client(base_url=server.url, timeout=10) as c:
        c.post("/v1/check", json={"text": "See you at 6?"})
        took = []
        for _ in range(20):
            t = time.perf_counter()
            r = c.post("/v1/check", json={"text": "HMRC: you owe tax, pay at hmrc-pay.xyz today"})
            took.append(time.perf_counter() - t)
            assert r.status_code == 200 and r.json()["verdict"] in ("scam", "suspicious")
    took.sort()
    # Nagle's algorithm meeting delayed ACKs made every keep-alive response wait ~40 ms
    assert took[len(took) // 2] < 0.03, took


def test_a_report_through_one_worker_counts_on_every_worker(server):
    number = "+447700900777"
    text = f"Your parcel is held, pay the fee now or call {number}"
    with httpx.Client(base_url=server.url, timeout=10) as c:
        assert c.get(f"/v1/numbers/{number}").json()["reputation"]["reports"] == 0
        for _ in range(2):
            r = c.post("/v1/reports", json={"message": {"text": text, "sender": number}}, headers=W)
            assert r.status_code in (200, 201), r.text
    time.sleep(1.2)  # the workers' reputation caches last at most 1 s
    seen = set()
    for _ in range(12):  # fresh connections land on both workers
        with httpx.Client(base_url=server.url, timeout=10) as c:
            seen.add(c.get(f"/v1/numbers/{number}").json()["reputation"]["reports"])
            v = c.post("/v1/check", json={"text": "Missed delivery, call us back", "sender": number}).json()
            assert "NUMBER_REPORTED" in [f["id"] for f in v["flags"]]
    assert seen == {2}


def test_near_copies_filed_on_different_workers_share_a_campaign(server):
    texts = [f"URGENT Royal Mail: your parcel {k} is held, pay the 1.99 GBP fee at royalmail-fees{k}.com now"
             for k in range(6)]
    ids = []
    for t in texts:  # a new connection each, so both workers take some
        with httpx.Client(base_url=server.url, timeout=10) as c:
            r = c.post("/v1/reports", json={"message": {"text": t}}, headers=W)
            assert r.status_code in (200, 201), r.text
            ids.append((r.json()["campaign"] or {}).get("id"))
    assert len(set(ids)) == 1 and ids[0] is not None, ids


def test_a_live_call_runs_on_one_worker_start_to_end(server):
    from websockets.sync.client import connect

    url = server.url.replace("http://", "ws://") + "/v1/calls/live"
    for _ in range(3):
        with connect(url, open_timeout=10) as ws:
            ws.send(json.dumps({"type": "start", "message": {"sender": "+442071234567"}}))
            for text in ("This is HMRC, there is a warrant for your arrest for unpaid tax",
                         "Pay now with Google Play vouchers and tell nobody"):
                ws.send(json.dumps({"type": "turn", "speaker": "caller", "text": text}))
            ws.send(json.dumps({"type": "end"}))
            events = []
            while True:
                msg = json.loads(ws.recv(timeout=10))
                events.append(msg)
                if msg["type"] in ("final", "error"):
                    break
        assert events[-1]["type"] == "final" and events[-1]["verdict"]["verdict"] == "scam"


def test_a_worker_that_dies_is_started_again(server):
    before = _children(server.proc.pid)
    os.kill(before[0], signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = _children(server.proc.pid)
        if len(now) == 2 and before[0] not in now:
            break
        time.sleep(0.1)
    assert len(_children(server.proc.pid)) == 2
    time.sleep(1.0)
    for _ in range(6):
        with httpx.Client(base_url=server.url, timeout=10) as c:
            assert c.get("/v1/health").status_code == 200


def test_the_listening_socket_is_tcp_with_nodelay():
    from scamshield.server.cli import _bind

    sock = _bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        sock.close()
