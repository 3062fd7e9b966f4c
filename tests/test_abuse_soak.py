"""Issue 13 acceptance: the attacks from the issue, all at once, against a real ``scamshield serve``
process on loopback with its default limits, while ordinary clients use it.

Each attacker and the ordinary clients come from their own loopback address (127.0.0.x), as separate
machines would, so per-client limits apply to each. Bounded: about 20 s of attack. Asserts that every
request is answered within a bound, /v1/health p99 stays under 1 s, memory stays bounded, nothing is
answered 5xx, the server log has no traceback, and every report acknowledged (201) is stored.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from abuse_helpers import bursts, flac_of_silence, nested, nested_passport
from conftest_service import ADMIN_KEY, KEYS_ENV, WRITE_KEY

httpx = pytest.importorskip("httpx")
pytest.importorskip("websockets")

pytestmark = pytest.mark.slow

SOAK_SECONDS = 20.0
ORDINARY_BOUND = 5.0  # seconds: every ordinary request answered within this
ATTACK_BOUND = 15.0  # seconds: every attacking request answered (or refused) within this
HEALTH_P99 = 1.0
MEMORY_GROWTH_MB = 300  # RSS growth over the warmed-up server's size (speech engine loaded: ~700 MB of it)
W = {"X-API-Key": WRITE_KEY}
A = {"X-API-Key": ADMIN_KEY}
ORDINARY = "127.0.0.1"
SCAM = "HMRC: you owe £1,200 in unpaid tax. Pay today with Google Play vouchers or you will be arrested."
CALL = ["Hello, this is HMRC about your unpaid tax", "A warrant has been issued for your arrest",
        "Buy iTunes vouchers today and read me the codes", "Do not tell your bank about this call"]


@dataclass
class Hit:
    who: str
    what: str
    status: int  # HTTP status, or 0 for a client-side error (timeout, reset)
    seconds: float
    note: str = ""


class Soak:
    def __init__(self, url: str) -> None:
        self.url = url
        self.port = int(url.rsplit(":", 1)[1])
        self.hits: list[Hit] = []
        self.acknowledged: dict[int, str] = {}  # report id -> text
        self.facts: dict[str, object] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.errors: list[str] = []

    def client(self, address: str, timeout: float = ATTACK_BOUND):
        return httpx.Client(base_url=self.url, timeout=timeout,
                            transport=httpx.HTTPTransport(local_address=address))

    def call(self, who: str, what: str, fn, *args, **kw):
        t0 = time.perf_counter()
        try:
            r = fn(*args, **kw)
        except httpx.HTTPError as exc:
            self.add(Hit(who, what, 0, time.perf_counter() - t0, type(exc).__name__))
            return None
        self.add(Hit(who, what, r.status_code, time.perf_counter() - t0))
        return r

    def add(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)

    def fact(self, key: str, value) -> None:
        with self.lock:
            self.facts[key] = value

    def run(self, fn, *args) -> threading.Thread:
        def guarded() -> None:
            try:
                fn(*args)
            except Exception as exc:  # a bug in the test itself: report it, do not hang
                self.errors.append(f"{fn.__name__}: {type(exc).__name__}: {exc}")

        t = threading.Thread(target=guarded, name=fn.__name__, daemon=True)
        t.start()
        return t

    def ws(self, address: str, **kw):
        from websockets.sync.client import connect

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((address, 0))
        sock.settimeout(10)
        sock.connect(("127.0.0.1", self.port))
        sock.settimeout(None)
        return connect(f"ws://127.0.0.1:{self.port}/v1/calls/live", sock=sock, open_timeout=10, close_timeout=2,
                       ping_interval=None, **kw)


# ----------------------------------------------------------------------------- ordinary clients

def health(s: Soak) -> None:
    with s.client(ORDINARY, ORDINARY_BOUND) as c:
        while not s.stop.is_set():
            s.call("ordinary", "health", c.get, "/v1/health")
            time.sleep(0.1)


def checks(s: Soak) -> None:
    with s.client(ORDINARY, ORDINARY_BOUND) as c:
        while not s.stop.is_set():
            s.call("ordinary", "check", c.post, "/v1/check", json={"text": SCAM})
            time.sleep(0.6)  # 100 a minute: under the 120 a minute a client may make


def reports(s: Soak) -> None:
    with s.client(ORDINARY, ORDINARY_BOUND) as c:
        i = 0
        while not s.stop.is_set():
            text = f"Royal Mail: your parcel {i} is held. Pay £1.45 at https://rm-fee{i}.top/pay"
            r = s.call("ordinary", "report", c.post, "/v1/reports", json={"message": {"text": text}},
                       headers={**W, "Idempotency-Key": uuid.uuid4().hex})
            if r is not None and r.status_code == 201:
                with s.lock:
                    s.acknowledged[r.json()["id"]] = text
            i += 1
            time.sleep(2.5)  # 24 a minute: under the 30 a minute for writes


def live_calls(s: Soak) -> None:
    done = 0
    while not s.stop.is_set():
        t0 = time.perf_counter()
        try:
            with s.ws(ORDINARY) as ws:
                ws.send(json.dumps({"type": "start", "message": {"sender": "+442079460321"}}))
                kinds = []
                for text in CALL:
                    ws.send(json.dumps({"type": "turn", "speaker": "caller", "text": text}))
                    while (msg := json.loads(ws.recv(timeout=ORDINARY_BOUND)))["type"] != "update":
                        kinds.append(msg["type"])
                    kinds.append("update")
                ws.send(json.dumps({"type": "end"}))
                while (msg := json.loads(ws.recv(timeout=ORDINARY_BOUND)))["type"] != "final":
                    kinds.append(msg["type"])
                status = 200 if msg["verdict"]["verdict"] == "scam" and "error" not in kinds else 500
        except Exception as exc:
            s.add(Hit("ordinary", "live call", 0, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}"))
        else:
            s.add(Hit("ordinary", "live call", status, time.perf_counter() - t0, ",".join(kinds)))
            done += 1
        time.sleep(3.0)  # 5 messages a call: well under 120 messages a minute
    s.fact("live calls completed", done)


# ----------------------------------------------------------------------------- attackers

def redos_reports(s: Soak) -> None:
    """Issue 13.1: 12,000 characters of "ab." repeated, as fast as the server will take them."""
    with s.client("127.0.0.2") as c:
        i = 0
        while not s.stop.is_set():
            text = "ab." * 4_000 + f" {i}"
            r = s.call("redos", "report", c.post, "/v1/reports", json={"message": {"text": text}}, headers=W)
            if r is not None and r.status_code == 201:
                with s.lock:
                    s.acknowledged[r.json()["id"]] = text
            elif r is not None and r.status_code == 429:
                time.sleep(0.2)
            i += 1


def long_recordings(s: Soak, flac: bytes) -> None:
    """Issue 13.2: ten hours of silence in 917 KB, again and again."""
    with s.client("127.0.0.3") as c:
        while not s.stop.is_set():
            r = s.call("recording", "10 h flac", c.post, "/v1/calls/recording",
                       files={"file": ("call.flac", flac, "audio/flac")})
            if r is not None and r.status_code == 429:
                time.sleep(0.5)


def corrupt_and_real_recordings(s: Soak) -> None:
    """A damaged file (the error must not show a server path) and one real recording to process."""
    with s.client("127.0.0.11", 120) as c:
        r = s.call("recording", "corrupt", c.post, "/v1/calls/recording",
                   files={"file": ("call.wav", b"RIFF\x00\x00\x00\x00WAVEjunk" * 50, "audio/wav")})
        if r is not None:
            s.fact("corrupt error", r.json().get("error", ""))
        r = s.call("recording", "30 s of speech-like noise", c.post, "/v1/calls/recording",
                   files={"file": ("call.wav", bursts(30, on=1.0, off=1.0), "audio/wav")})


def nested_screens(s: Soak) -> None:
    """Issue 13.3: a PASSporT nested 1,000 deep, on the JSON and the webhook endpoints."""
    identity = nested_passport(1_000)
    with s.client("127.0.0.4") as c:
        while not s.stop.is_set():
            r = s.call("nested", "screen", c.post, "/v1/screen",
                       json={"from": "+442071234567", "to": "+447700900001", "identity": identity})
            if r is not None and r.status_code == 200:
                s.fact("nested reason", " ".join(r.json()["reasons"]))
            s.call("nested", "webhook", c.post, "/v1/screen/webhook",
                   data={"From": "+442071234567", "To": "+447700900001", "Identity": identity})
            if r is not None and r.status_code == 429:
                time.sleep(0.5)


def websocket_flood(s: Soak) -> None:
    """Issue 13.4: many sockets from one client, a flood of turns, nested frames, Origin: null."""
    from websockets.exceptions import InvalidStatus

    try:
        with s.ws("127.0.0.5", origin="null"):
            s.fact("origin null", "accepted")
    except InvalidStatus as exc:
        s.fact("origin null", exc.response.status_code)
    with contextlib.ExitStack() as stack:
        opened = [stack.enter_context(s.ws("127.0.0.5")) for _ in range(6)]
        refused = sum(json.loads(ws.recv(timeout=10)).get("status") == 429 for ws in opened[4:])
        s.fact("connections refused over the cap", refused)
        flood = opened[0]
        flood.send('{"type": "turn", "speaker": "caller", "text": ' + nested(1_000) + "}")
        s.fact("nested frame", json.loads(flood.recv(timeout=10)))
        sent = 0
        t0 = time.perf_counter()
        for _ in range(2_000):
            flood.send(json.dumps({"type": "turn", "speaker": "caller", "text": "Pay now in vouchers"}))
            sent += 1
        counts = {"update": 0, "429": 0, "other": 0}
        while sum(counts.values()) < sent and time.perf_counter() - t0 < ATTACK_BOUND:
            msg = json.loads(flood.recv(timeout=ATTACK_BOUND))
            if msg["type"] == "update":
                counts["update"] += 1
            elif msg.get("status") == 429:
                counts["429"] += 1
            elif msg["type"] != "alert":
                counts["other"] += 1
        s.fact("flood", counts)
        s.fact("flood seconds", time.perf_counter() - t0)
        for ws in opened:
            with contextlib.suppress(Exception):
                ws.close()


def slow_reader(s: Soak) -> None:
    """Issue 13.4: a client that sends and never reads."""
    from websockets.exceptions import ConnectionClosed

    sock_opts = []
    t0 = time.perf_counter()
    try:
        with s.ws("127.0.0.6") as ws:
            sock_opts.append(ws.socket)
            ws.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            while not s.stop.is_set():
                ws.send(json.dumps({"type": "turn", "speaker": "caller", "text": SCAM * 3}))
    except (ConnectionClosed, OSError):
        s.fact("slow reader closed after", round(time.perf_counter() - t0, 1))


def slowloris(s: Soak) -> None:
    """Issue 13.5: connections that never finish their request head."""
    socks = []
    for _ in range(50):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.7", 0))
        sock.connect(("127.0.0.1", s.port))
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        socks.append(sock)
    opened = time.monotonic()
    while not s.stop.is_set() and time.monotonic() - opened < 16:
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.sendall(b"X")  # a byte at a time, for ever
        time.sleep(1.0)
    closed = 0
    for sock in socks:
        sock.settimeout(0.5)
        try:
            closed += sock.recv(100) == b""
        except (ConnectionResetError, BrokenPipeError):
            closed += 1
        except TimeoutError:
            pass
        sock.close()
    s.fact("half-open connections closed", closed)


def key_guessing(s: Soak) -> None:
    """Issue 13.5: wrong API keys, as fast as possible."""
    with s.client("127.0.0.8") as c:
        i = 0
        while not s.stop.is_set():
            key = {"X-API-Key": f"guess-{i:024d}"}
            if i % 2:
                s.call("keys", "guess", c.get, "/v1/reports/1", headers=key)
            else:
                s.call("keys", "guess", c.post, "/v1/reports", json={"message": {"text": "x"}}, headers=key)
            i += 1


def report_reads(s: Soak) -> None:
    """Issue 13.5: GET /v1/reports/{id} had no rate limit."""
    with s.client("127.0.0.9") as c:
        i = 1
        while not s.stop.is_set():
            r = s.call("reads", "report", c.get, f"/v1/reports/{i % 50 + 1}", headers=A)
            if r is not None and r.status_code == 429:
                time.sleep(0.1)
            i += 1


def big_checks(s: Soak) -> None:
    """The largest texts the API takes, made of hostile patterns."""
    texts = ["ab." * 16_600, "1," * 24_900, "h m r c " * 6_200, "0 1-2(3)4.5 " * 4_100]
    with s.client("127.0.0.10") as c:
        i = 0
        while not s.stop.is_set():
            r = s.call("big", "check", c.post, "/v1/check", json={"text": texts[i % len(texts)]})
            if r is not None and r.status_code == 429:
                time.sleep(0.5)
            i += 1


# ----------------------------------------------------------------------------- the server

def _rss_mb(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024


@pytest.fixture
def server(tmp_path):
    log = tmp_path / "server.log"
    env = dict(os.environ, SCAMSHIELD_API_KEYS=KEYS_ENV, XDG_DATA_HOME=str(tmp_path / "xdg"), PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "scamshield.server", "--host", "127.0.0.1", "--port", "0",
           "--db", f"sqlite:///{tmp_path}/soak.sqlite3"]  # the default limits
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=str(tmp_path))
    try:
        deadline = time.monotonic() + 60
        while not (m := re.search(r"running at (http://\S+?)/?\s", log.read_text())):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start: " + log.read_text())
            time.sleep(0.1)
        yield m.group(1).replace("localhost", "127.0.0.1"), proc, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_soak_attacks_and_ordinary_traffic_together(server):
    from scamshield.server.features import has_transcription

    url, proc, log = server
    s = Soak(url)
    flac = flac_of_silence(10)
    with s.client(ORDINARY, 120) as c:  # warm up: the first verdict and recording load their models
        assert c.post("/v1/check", json={"text": SCAM}).status_code == 200
        if has_transcription():
            r = c.post("/v1/calls/recording", files={"file": ("warm.wav", bursts(3), "audio/wav")})
            assert r.status_code in (200, 422), r.text
    resting = _rss_mb(proc.pid)
    rss = [resting]

    def sample_memory(s: Soak) -> None:
        while not s.stop.is_set():
            rss.append(_rss_mb(proc.pid))
            time.sleep(0.25)

    threads = [s.run(f, s) for f in (sample_memory, health, checks, reports, live_calls, redos_reports,
                                  nested_screens, websocket_flood, slow_reader, slowloris, key_guessing,
                                  report_reads, big_checks)]
    threads.append(s.run(long_recordings, s, flac))
    if has_transcription():
        threads.append(s.run(corrupt_and_real_recordings, s))
    time.sleep(SOAK_SECONDS)
    s.stop.set()
    for t in threads:
        t.join(timeout=ATTACK_BOUND + 30)
    hung = [t.name for t in threads if t.is_alive()]
    assert not hung, f"clients still waiting for an answer: {hung}"
    assert not s.errors, s.errors

    # -- every request answered, in time, and never with a 5xx
    by = {}
    for h in s.hits:
        by.setdefault((h.who, h.what), []).append(h)
    summary = {f"{who}/{what}": {str(st): sum(h.status == st for h in hs) for st in sorted({h.status for h in hs})}
               | {"max_s": round(max(h.seconds for h in hs), 2)} for (who, what), hs in by.items()}
    print("\nsoak:", json.dumps(summary), json.dumps({k: str(v) for k, v in s.facts.items()}))
    assert not [h for h in s.hits if h.status >= 500], [h for h in s.hits if h.status >= 500][:5]
    ordinary = [h for h in s.hits if h.who == "ordinary"]
    late = [h for h in ordinary if h.status == 0 or h.seconds > ORDINARY_BOUND]
    assert not late, late[:5]
    assert not [h for h in s.hits if h.status == 0 or h.seconds > ATTACK_BOUND][:5]
    assert {h.status for h in ordinary if h.what == "check"} == {200}
    assert {h.status for h in ordinary if h.what == "report"} == {201}
    assert {h.status for h in ordinary if h.what == "live call"} == {200}
    assert s.facts["live calls completed"] >= 3

    # -- /v1/health p99 under a second
    lat = sorted(h.seconds for h in ordinary if h.what == "health")
    assert len(lat) >= 50
    p99 = lat[int(0.99 * (len(lat) - 1))]
    print(f"health: {len(lat)} requests, p50 {lat[len(lat) // 2] * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
          f"max {lat[-1] * 1000:.0f} ms; RSS resting {resting:.0f} MB, peak {max(rss):.0f} MB")
    assert p99 < HEALTH_P99

    # -- each attack met its limit
    redos = [h for h in s.hits if h.who == "redos"]
    assert any(h.status == 201 for h in redos) and {h.status for h in redos} <= {201, 429}
    assert max(h.seconds for h in redos if h.status == 201) < 3.0  # was 30-45 s each
    flac_hits = [h for h in s.hits if h.what == "10 h flac"]
    assert flac_hits and {h.status for h in flac_hits} <= {413, 429}
    assert max(h.seconds for h in flac_hits) < 3.0  # was 257 s
    assert {h.status for h in s.hits if h.who == "nested"} <= {200, 429}
    assert "nested more than" in s.facts["nested reason"]
    assert s.facts["origin null"] == 403
    assert s.facts["connections refused over the cap"] == 2
    assert s.facts["nested frame"]["type"] == "error"
    flood = s.facts["flood"]  # was 10,000 verdicts in 37 s; now 120 at once, then 2 a second
    assert flood["update"] <= 120 + 2 * s.facts["flood seconds"] + 5 and flood["429"] >= 1, flood
    assert s.facts["half-open connections closed"] == 50
    keys = [h.status for h in s.hits if h.who == "keys"]
    assert keys.count(401) <= 10 + SOAK_SECONDS / 6 and keys.count(429) > 10  # 10 wrong keys a minute
    reads = [h.status for h in s.hits if h.who == "reads"]
    assert len([r for r in reads if r != 429]) <= 120 + 2 * SOAK_SECONDS + 5  # 120 a minute, refilled
    if "corrupt error" in s.facts:
        assert "tmp" not in str(s.facts["corrupt error"]).lower()

    # -- memory stayed bounded
    assert max(rss) - resting < MEMORY_GROWTH_MB, (resting, max(rss))

    # -- every acknowledged report is stored, whole
    with s.client("127.0.0.20", 30) as c:
        r = c.get("/v1/reports", params={"limit": 200}, headers=A)
        assert r.status_code == 200
        stored = {item["id"]: item for item in r.json()["items"]}
    missing = [i for i in s.acknowledged if i not in stored]
    assert not missing, missing
    for i, text in s.acknowledged.items():
        assert stored[i]["text"] == text

    # -- and the server said nothing alarming
    out = log.read_text()
    assert "Traceback" not in out and "Exception in ASGI" not in out, out[-4000:]
    assert proc.poll() is None
