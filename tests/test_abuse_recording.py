"""Issue 13, recordings: a 917 KB FLAC holding 10 h of silence kept the server busy 257 s, held the speech
engine so live calls got no transcript, and went on after its client disconnected; the corrupt-audio
error showed the server's temporary path. Now the duration is read from the header and refused before
decoding, decoding is bounded in audio time and in wall time, work stops when the client goes, and live
calls get the speech engine before any recording does."""

from __future__ import annotations

import io
import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient

from abuse_helpers import FakeEngine, bursts, flac_of_silence, live_server, pcm_bursts
from conftest_service import settings
from scamshield.server import create_app
from scamshield.server.features import has_transcription
from scamshield.server.speech import LIVE, UPLOAD, Budget, Cancelled, OutOfTime, RecordingPool, SpeechGate

sf = pytest.importorskip("soundfile")
needs_audio = pytest.mark.skipif(not has_transcription(), reason="speech-to-text is not installed")


@pytest.fixture(scope="module")
def ten_hours() -> bytes:
    return flac_of_silence(10)


def _post(client, data: bytes, name: str = "call.flac"):
    return client.post("/v1/calls/recording", files={"file": (name, data, "audio/flac")})


@needs_audio
def test_ten_hours_of_silence_is_refused_from_its_header_at_once(ten_hours):
    assert len(ten_hours) < 1_000_000  # the 917 KB file from the issue
    app = create_app(settings(None))
    with TestClient(app) as c:
        t0 = time.perf_counter()
        r = _post(c, ten_hours)
        took = time.perf_counter() - t0
    assert r.status_code == 413, r.text
    assert "10 h 0 min long" in r.json()["error"] and "30 min" in r.json()["error"]
    assert took < 2.0, f"{took:.2f} s"  # was 257 s
    assert app.state.engine is None  # refused before any decoding, and before the engine loaded


@needs_audio
def test_the_duration_limit_is_a_setting():
    app = create_app(settings(None, max_recording_seconds=5))
    with TestClient(app) as c:
        r = _post(c, bursts(8), "call.wav")
        assert r.status_code == 413 and "8 s long; the limit is 5 s" in r.json()["error"]


def test_a_header_that_hides_the_length_is_refused():
    buf = io.BytesIO(flac_of_silence(20 / 3600, rate=16_000))
    data = bytearray(buf.getvalue())
    i = 8 + 13  # STREAMINFO's total-samples field: 0 means "not known"
    data[i] &= 0xF0
    data[i + 1 : i + 5] = b"\0\0\0\0"
    from scamshield.calls.audio import AudioError, probe

    with pytest.raises(AudioError, match="does not say how long"):
        probe(io.BytesIO(bytes(data)), label="the recording", max_seconds=60)


def test_decoding_stops_at_the_limit_whatever_the_header_said(monkeypatch):
    from scamshield.calls import audio

    real = audio.probe

    def understating(path, **kw):  # a header claiming a short file
        info = real(path, **{**kw, "max_seconds": None})
        return audio.AudioInfo(info.path, info.format, info.samplerate, info.channels, info.samplerate * 2)

    monkeypatch.setattr(audio, "probe", understating)
    with pytest.raises(audio.AudioTooLong):
        for _ in audio.read_blocks(io.BytesIO(bursts(20)), label="the recording", max_seconds=5):
            pass


@needs_audio
def test_recording_work_is_bounded_in_time():
    app = create_app(settings(None, recording_work_seconds=1.0))
    app.state.engine = FakeEngine(delay=0.4)
    with TestClient(app) as c:
        t0 = time.perf_counter()
        r = _post(c, bursts(30), "call.wav")
        took = time.perf_counter() - t0
    assert r.status_code == 422 and "within 1 seconds" in r.json()["error"], r.text
    assert took < 4


@needs_audio
def test_corrupt_audio_errors_never_show_a_server_path():
    buf = io.BytesIO(bursts(20, fmt="FLAC"))
    data = bytearray(buf.getvalue())
    for k in range(len(data) // 3, len(data), 97):  # damage the second half of the frames
        data[k] ^= 0xFF
    app = create_app(settings(None))
    app.state.engine = FakeEngine(delay=0.0)
    with TestClient(app) as c:
        for blob in (bytes(data), b"RIFF not really audio", bytes(data[:2000])):
            r = _post(c, blob)
            assert r.status_code in (200, 422), r.text
            if r.status_code == 422:
                err = r.json()["error"]
                assert "/tmp" not in err and "tmp" not in err.lower() and "<" not in err and "0x" not in err, err
                assert err.startswith("the recording")


@needs_audio
def test_recordings_beyond_the_pool_and_queue_are_429():
    app = create_app(settings(None, recording_workers=1, recording_queue=0))
    app.state.engine = FakeEngine(delay=0.5)
    results = []
    with TestClient(app) as c:
        slow = threading.Thread(target=lambda: results.append(_post(c, bursts(6), "call.wav").status_code))
        slow.start()
        time.sleep(0.5)
        r = _post(c, bursts(2), "call.wav")
        slow.join()
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert results == [200]


def test_the_speech_gate_serves_live_calls_first():
    gate = SpeechGate()
    order = []
    with gate.hold(UPLOAD):
        waiters = [threading.Thread(target=lambda p=p: _take(gate, p, order)) for p in (UPLOAD, LIVE, UPLOAD, LIVE)]
        for w in waiters:
            w.start()
            time.sleep(0.05)
    for w in waiters:
        w.join(5)
    assert order[:2] == [LIVE, LIVE] and sorted(order[2:]) == [UPLOAD, UPLOAD]


def _take(gate: SpeechGate, priority: int, order: list) -> None:
    with gate.hold(priority):
        order.append(priority)
        time.sleep(0.02)


def test_budgets_cancel_and_expire():
    b = Budget(60)
    b.check()
    b.cancel()
    with pytest.raises(Cancelled):
        b.check()
    with pytest.raises(OutOfTime):
        Budget(-1).check()
    gate = SpeechGate()
    cancelled = Budget(60)
    cancelled.cancel()
    with gate.hold(LIVE), pytest.raises(Cancelled):  # a waiting recording whose client went away
        with gate.hold(UPLOAD, cancelled):
            pass


def test_the_pool_refuses_beyond_its_queue():
    pool = RecordingPool(1, 1)
    release = threading.Event()
    jobs = [pool.submit(release.wait, 5) for _ in range(3)]
    assert jobs[0] is not None and jobs[1] is not None and jobs[2] is None
    release.set()
    for job in jobs[:2]:
        job.result(timeout=5)
    assert pool.submit(lambda: 1).result(timeout=5) == 1
    pool.shutdown()


@needs_audio
def test_live_calls_get_transcripts_while_a_long_recording_is_processed():
    """The upload keeps the engine busy utterance after utterance; a live call's utterances go first."""
    app = create_app(settings(None))
    engine = FakeEngine(delay=0.2)
    app.state.engine = engine
    done = {}
    with TestClient(app) as c:
        upload = threading.Thread(target=lambda: done.setdefault("r", _post(c, bursts(60, on=0.6, off=0.6),
                                                                            "call.wav")))
        upload.start()
        time.sleep(1.0)  # the recording is under way
        t0 = time.perf_counter()
        with c.websocket_connect("/v1/calls/live") as ws:
            ws.send_json({"type": "start", "audio": {"rate": 16_000, "channels": 1}})
            ws.send_bytes(pcm_bursts(6))
            ws.send_json({"type": "end"})
            live = []
            while (msg := ws.receive_json())["type"] != "final":
                live.append(msg)
        live_took = time.perf_counter() - t0
        recording_running = upload.is_alive()
        upload.join(120)
    assert [m for m in live if m["type"] == "transcript"], live
    assert not [m for m in live if m["type"] == "error"], live
    # ~50 upload utterances x 0.2 s = 10 s of engine time; the live call does not wait for them
    assert recording_running and live_took < 5, f"live call took {live_took:.1f} s"
    assert app.state.speech_gate.grants[LIVE] >= 2
    assert done["r"].status_code == 200


@needs_audio
def test_work_stops_when_the_client_disconnects():
    with live_server(settings(None)) as (url, log, app):
        engine = FakeEngine(delay=0.2)
        app.state.engine = engine
        body = bursts(120, on=0.6, off=0.6)
        boundary = "xyzzy"
        payload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.wav\"\r\n"
                   f"Content-Type: audio/wav\r\n\r\n").encode() + body + f"\r\n--{boundary}--\r\n".encode()
        sock = socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])))
        sock.sendall(f"POST /v1/calls/recording HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                     f"boundary={boundary}\r\nContent-Length: {len(payload)}\r\n\r\n".encode() + payload)
        deadline = time.monotonic() + 20
        while len(engine.calls) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(engine.calls) >= 3, "the recording never started"
        sock.close()  # the client goes
        time.sleep(1.5)
        after_close = len(engine.calls)
        time.sleep(2.0)
        assert len(engine.calls) <= after_close + 1, "work went on after the client left"
        assert app.state.recordings.pending == 0
        assert len(engine.calls) < 40  # all 100 utterances would be ~100 calls
        assert "Traceback" not in log.text
