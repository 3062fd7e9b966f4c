"""Issue 13, connections: half-open HTTP connections were held with no timeout. A real server
(uvicorn, configured as ``scamshield serve`` configures it) on loopback now drops a connection whose
request head is not complete in ``header_timeout`` seconds, answers a body that does not arrive in
``body_timeout`` seconds with 408, and drops a client that does not read its response."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from abuse_helpers import closed_within, live_server
from conftest_service import settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server():
    s = settings(None, header_timeout=1.0, body_timeout=1.0, send_timeout=1.0)
    with live_server(s) as (url, log, app):
        yield url, log, app


def _connect(url: str) -> socket.socket:
    return socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=5)


@pytest.mark.parametrize("sent", [b"", b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"])
def test_a_connection_without_a_whole_request_head_is_dropped(server, sent):
    url, _log, _app = server
    sock = _connect(url)
    sock.sendall(sent)
    took = closed_within(sock, 10)
    assert took is not None and took < 4, took  # header_timeout is 1 s here (10 s by default)
    sock.close()


def test_slowloris_a_byte_at_a_time_is_dropped_too(server):
    url, _log, _app = server
    sock = _connect(url)
    head = b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 1000
    t0 = time.monotonic()
    try:
        for byte in head:
            sock.sendall(bytes([byte]))
            time.sleep(0.05)
            if time.monotonic() - t0 > 8:
                break
    except OSError:
        pass
    took = time.monotonic() - t0
    assert took < 4 or closed_within(sock, 1) is not None
    sock.close()


def test_a_body_that_does_not_arrive_is_408(server):
    url, _log, _app = server
    sock = _connect(url)
    sock.sendall(b"POST /v1/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 100\r\n\r\n{\"text\": ")
    sock.settimeout(6)
    t0 = time.monotonic()
    answer = b""
    while chunk := sock.recv(4096):  # until the server closes the connection
        answer += chunk
    assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
    assert b"did not arrive within" in answer and time.monotonic() - t0 < 4
    sock.close()


def test_a_client_that_does_not_read_its_response_is_dropped(server):
    url, _log, _app = server
    sock = _connect(url)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    # pipelined requests for the schema (~100 KB each) whose answers are never read
    request = b"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    sock.settimeout(0.5)
    try:
        for _ in range(200):
            sock.sendall(request)
    except OSError:
        pass
    time.sleep(4)  # send_timeout is 1 s here
    assert _state_after_reading(sock) in ("reset", "closed")
    sock.close()


def _state_after_reading(sock: socket.socket) -> str:
    sock.settimeout(2)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        return "reset"
    except TimeoutError:
        return "open"
    return "closed"


def test_ordinary_keep_alive_requests_are_unaffected(server):
    url, log, _app = server
    with httpx.Client(base_url=url, timeout=5) as c:
        for _ in range(3):
            assert c.get("/v1/health").status_code == 200
            time.sleep(0.3)
        assert c.post("/v1/check", json={"text": "See you at 6 for dinner?"}).json()["verdict"] == "safe"
    assert "Traceback" not in log.text
