"""Issue 13, the live-call WebSocket: it had no rate limit (10,000 verdicts in 37 s from one client), no
cap on connections per client, accepted any Origin (even "null"), and closed slow readers with 1011 and
a traceback in the log. Now: an origin allow-list (same origin by default), per-client message rate and
connection caps, an idle timeout, a bound on a call's transcript, and slow readers closed cleanly."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from abuse_helpers import live_server
from conftest_service import settings
from scamshield.server import create_app
from scamshield.server.guard import origin_allowed
from scamshield.server.settings import Settings

TURN = {"type": "turn", "speaker": "caller", "text": "Hello, lovely weather today"}


def _client(**kw):
    return TestClient(create_app(settings(None, **kw)))


@pytest.mark.parametrize(("origin", "ok"), [
    (None, True),  # not a browser
    ("http://testserver", True),  # the page the server itself serves
    ("null", False),
    ("NULL", False),
    ("https://evil.example", False),
    ("http://testserver.evil.example", False),
    ("http://testserver:8080", False),
    ("file://", False),
    ("", False),
])
def test_only_the_servers_own_pages_may_open_a_live_call(origin, ok):
    with _client() as c:
        headers = {"origin": origin} if origin is not None else {}
        if ok:
            with c.websocket_connect("/v1/calls/live", headers=headers) as ws:
                ws.send_json(TURN)
                assert ws.receive_json()["type"] == "update"
        else:
            with pytest.raises(WebSocketDisconnect) as refused, \
                    c.websocket_connect("/v1/calls/live", headers=headers) as ws:
                ws.receive_json()
            assert refused.value.code == 1008


def test_listed_origins_may_open_a_live_call():
    with _client(live_origins=("https://bank.example",)) as c:
        with c.websocket_connect("/v1/calls/live", headers={"origin": "https://bank.example"}) as ws:
            ws.send_json(TURN)
            assert ws.receive_json()["type"] == "update"
    s = Settings(cors_origins=("https://partner.example:8443",))
    assert origin_allowed("https://partner.example:8443", "api.example", "ws", s)
    assert not origin_allowed("https://partner.example", "api.example", "ws", s)
    own = Settings()
    assert origin_allowed("https://api.example", "api.example", "ws", own)  # behind a TLS proxy
    assert origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000", "ws", own)
    assert origin_allowed("http://[::1]:8000", "[::1]:8000", "ws", own)
    assert not origin_allowed("http://127.0.0.1:8001", "127.0.0.1:8000", "ws", own)
    assert not origin_allowed("https://api.example:8443", "api.example", "ws", own)
    assert not origin_allowed("https://api.example.evil.example", "api.example", "ws", own)
    assert not origin_allowed("https://evil.example", None, "ws", own)


def test_one_client_cannot_have_ten_thousand_verdicts():
    """The flood from the issue: turns as fast as possible. Over the per-client rate each gets a 429
    error frame and no verdict is computed."""
    with _client(live_messages_per_minute=30) as c, c.websocket_connect("/v1/calls/live") as ws:
        for _ in range(100):
            ws.send_json(TURN)
        kinds = []
        while len([m for m in kinds if m["type"] != "alert"]) < 100:  # an alert may come with an update
            kinds.append(ws.receive_json())
    updates = [m for m in kinds if m["type"] == "update"]
    limited = [m for m in kinds if m.get("status") == 429]
    assert 30 <= len(updates) <= 32 and len(limited) == 100 - len(updates)
    assert limited[0]["retry_after"] >= 1 and "too many messages" in limited[0]["error"]


def test_live_calls_per_client_are_capped():
    with _client(live_per_client=2) as c:
        with c.websocket_connect("/v1/calls/live") as a, c.websocket_connect("/v1/calls/live") as b:
            with c.websocket_connect("/v1/calls/live") as third:
                msg = third.receive_json()
                assert msg["type"] == "error" and msg["status"] == 429 and "at most 2" in msg["error"]
                with pytest.raises(WebSocketDisconnect) as closed:
                    third.receive_json()
                assert closed.value.code == 1013
            for ws in (a, b):
                ws.send_json(TURN)
                assert ws.receive_json()["type"] == "update"
        with c.websocket_connect("/v1/calls/live") as again:  # the slots are free again
            again.send_json(TURN)
            assert again.receive_json()["type"] == "update"


def test_an_idle_call_is_closed():
    with _client(live_idle_seconds=0.5) as c, c.websocket_connect("/v1/calls/live") as ws:
        msg = ws.receive_json()
        assert msg["type"] == "error" and "no message for" in msg["error"]
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 1000


def test_a_calls_transcript_is_bounded():
    with _client(live_max_call_chars=100) as c, c.websocket_connect("/v1/calls/live") as ws:
        ws.send_json({**TURN, "text": "x" * 90})
        assert ws.receive_json()["type"] == "update"
        ws.send_json({**TURN, "text": "x" * 20})
        msg = ws.receive_json()
        assert msg["type"] == "error" and "at most 100 characters" in msg["error"]


SCAM_TURN = ("This is HMRC. You owe unpaid tax and a warrant for your arrest has been issued. Pay now with "
             "iTunes vouchers, read me the codes, don't tell your bank, call 020 7946 0321 or visit hmrc-tax.top")


def test_a_slow_reader_is_closed_cleanly_without_a_traceback():
    """A client that sends and never reads: its updates pile up; after live_send_timeout the server
    closes it (1008) and logs one line, no 1011 and no traceback; the server stays healthy."""
    import httpx
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    s = settings(None, live_messages_per_minute=1_000_000, max_turns=100_000, live_send_timeout=1.0,
                 live_max_call_chars=100_000_000)
    with live_server(s) as (url, log, _app):
        raw = socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])))
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sent = [0]
        with connect(url.replace("http", "ws") + "/v1/calls/live", sock=raw, open_timeout=10,
                     close_timeout=1) as ws:

            def flood() -> None:
                with contextlib.suppress(ConnectionClosed, OSError):
                    while sent[0] < 1_000_000:
                        ws.send('{"type": "turn", "speaker": "caller", "text": "' + SCAM_TURN + '"}')
                        sent[0] += 1

            t0 = time.monotonic()
            sender = threading.Thread(target=flood, daemon=True)
            sender.start()
            sender.join(timeout=60)
            took = time.monotonic() - t0
            assert not sender.is_alive(), "the server never closed the slow reader"
        assert took < 30, f"{took:.0f} s"  # live_send_timeout 1 s + filling the buffers; was 40 s, then 1011
        assert sent[0] > 10
        assert httpx.get(url + "/v1/health", timeout=5).status_code == 200
        time.sleep(0.3)
        assert "did not read its updates" in log.text, log.text[-2000:]
        assert "Traceback" not in log.text and "Exception in ASGI" not in log.text, log.text[-4000:]
