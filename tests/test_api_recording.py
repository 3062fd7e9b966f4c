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
    assert 0 <= alert["turn"] < len(out["turns"]) and out["turns"][alert["turn"]]["speaker"] == "caller"
    # the alert fires during the call, not at the end
    assert alert["time"] < recording.duration - 2
    assert out["verdict"]["verdict"] == "scam"
