"""Upload a call recording: real speech (espeak-ng + sox) through the real recogniser (Whisper tiny),
and the transcript comes back with the alert moment marked - through the API and on the page."""

from __future__ import annotations

import pytest

from conftest_service import settings

pytestmark = pytest.mark.slow

synth = pytest.importorskip("scamshield.calls.synth")
if not synth.tools_available():
    pytest.skip("espeak-ng and sox are needed to make a test recording", allow_module_level=True)


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    path = tmp_path_factory.mktemp("rec") / "hmrc-call.wav"
    return synth.synthesize(synth.HMRC_CALL, path, stereo=True)


@pytest.fixture(scope="module")
def app():
    from scamshield.server import create_app
    from scamshield.server.features import has_transcription

    if not has_transcription():
        pytest.skip("speech-to-text is not installed")
    return create_app(settings(None))


def test_recording_gives_a_transcript_with_the_alert_moment(app, recording):
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        with recording.path.open("rb") as fh:
            r = client.post("/v1/calls/recording", files={"file": ("call.wav", fh, "audio/wav")})
    if r.status_code == 501:
        pytest.skip(r.json()["error"])
    assert r.status_code == 200, r.text
    out = r.json()
    assert len(out["turns"]) >= 6
    assert {t["speaker"] for t in out["turns"]} == {"caller", "callee"}
    assert "hmrc" in " ".join(t["text"].lower() for t in out["turns"])
    alert = out["alert"]
    assert alert is not None and alert["level"] == "scam"
    assert 0 <= alert["turn"] < len(out["turns"])
    # the alert fires during the call, not at the end
    assert alert["time"] < recording.duration - 2
    assert out["verdict"]["verdict"] == "scam"


def _live_events(app, recording, audio_extra: dict) -> list[dict]:
    import soundfile as sf
    from fastapi.testclient import TestClient

    pcm, rate = sf.read(str(recording.path), dtype="int16", always_2d=True)
    events = []
    with TestClient(app) as client, client.websocket_connect("/v1/calls/live") as ws:
        ws.send_json({"type": "start", "message": {},
                      "audio": {"rate": rate, "channels": pcm.shape[1], **audio_extra}})
        for i in range(0, len(pcm), rate):
            ws.send_bytes(pcm[i : i + rate].tobytes())
        ws.send_json({"type": "end"})
        while True:
            msg = ws.receive_json()
            events.append(msg)
            if msg["type"] == "error" and msg.get("status") == 501:
                pytest.skip(msg["error"])
            if msg["type"] == "final":
                return events


def test_live_audio_over_the_websocket_alerts_mid_call_with_or_without_partials(app, recording):
    """Each utterance becomes a turn as soon as it is recognised, and the scam alert comes during the call.
    By default the utterance still being spoken is also recognised and scored without being committed
    (partial transcripts); the committed turns are the same with partials off, and then none is sent."""
    with_partials = _live_events(app, recording, {})
    without = _live_events(app, recording, {"partials": False})
    transcripts = [e for e in with_partials if e["type"] == "transcript" and e["final"]]
    assert len(transcripts) >= 6 and {t["speaker"] for t in transcripts} == {"caller", "callee"}
    partial = [e for e in with_partials if e["type"] == "transcript" and not e["final"]]
    assert partial, "no partial transcript was sent"
    assert not [e for e in without if e["type"] == "transcript" and not e["final"]]
    finals = [[(e["speaker"], e["text"]) for e in ev if e["type"] == "transcript" and e["final"]]
              for ev in (with_partials, without)]
    assert finals[0] == finals[1]
    alerts = [next(e["time"] for e in ev if e["type"] == "alert" and e["level"] == "scam")
              for ev in (with_partials, without)]
    assert alerts[0] <= alerts[1] < recording.duration - 2
    assert with_partials[-1]["verdict"]["verdict"] == without[-1]["verdict"]["verdict"] == "scam"


def test_audio_before_start_is_a_clear_error(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as client, client.websocket_connect("/v1/calls/live") as ws:
        ws.send_bytes(b"\x00\x01" * 100)
        msg = ws.receive_json()
        assert msg["type"] == "error" and "before audio" in msg["error"]
        ws.send_json({"type": "start", "audio": {"rate": 3, "channels": 9}})
        assert ws.receive_json()["type"] == "error"
    with TestClient(app) as client, client.websocket_connect("/v1/calls/live") as ws:
        ws.send_json({"type": "start", "audio": {"rate": 16000, "channels": 1, "partials": "yes"}})
        msg = ws.receive_json()
        assert msg["type"] == "error" and ("partials" in msg["error"] or msg.get("status") == 501)
