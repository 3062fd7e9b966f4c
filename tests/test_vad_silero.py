"""The Silero VAD (faster-whisper's pinned silero_vad_v6.onnx, run by onnxruntime) and the voice-activity
detector that uses it: the real model on real recorded speech (Asterisk's 8 kHz prompts, as bench_stt uses
them), digital silence and line noise; the pin; the streaming wrapper; choosing it (the default where it loads; the
energy detector alone otherwise, or on request). No network, no GPU; a few seconds."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import time

import numpy as np
import pytest

from scamshield.calls import silero, speech_eval
from scamshield.calls.audio import SAMPLE_RATE
from scamshield.calls.vad import VAD_ENV, VoiceSegmenter, choose_vad

needs_model = pytest.mark.skipif(silero.available() is not None, reason=f"Silero VAD: {silero.available()}")
needs_asterisk = pytest.mark.skipif(
    not speech_eval.ASTERISK_DIR.is_dir(), reason="asterisk-core-sounds-en-wav is not installed"
)


def _prompt(name: str, condition: str = "telephone", seed: int = 0) -> np.ndarray:
    """An Asterisk prompt's own 8 kHz recording over a line condition (bench_stt's lines), at 16 kHz."""
    narrow, rate = speech_eval._read(speech_eval.ASTERISK_DIR / f"{name}.wav")
    narrow = speech_eval._resample(narrow, rate, 8000)
    clip = speech_eval.Clip("asterisk", name, "", speech_eval._resample(narrow, 8000, SAMPLE_RATE), narrow)
    return speech_eval.at_16k(*speech_eval.line(clip, condition, seed=seed))


def _line_noise(seconds: float, rms: float, seed: int = 0) -> np.ndarray:
    """What a noisy line carries between turns: white noise, telephone band, mu-law, at 16 kHz."""
    rng = np.random.default_rng(seed)
    x = speech_eval._bandpass(rng.normal(0.0, rms, int(seconds * 8000)).astype(np.float32), 8000)
    return speech_eval.at_16k(speech_eval.ulaw(x), 8000)


def _probs(x: np.ndarray) -> np.ndarray:
    n = len(x) // silero.WINDOW
    return silero.SileroVAD()(x[: n * silero.WINDOW].reshape(n, silero.WINDOW))


def _segments(x: np.ndarray, chunk: int = 8000, **kw):
    v = VoiceSegmenter(0, **kw)
    out = []
    for i in range(0, len(x), chunk):
        out += v.feed(x[i : i + chunk])
    return out + v.flush()


@needs_model
def test_the_model_file_is_the_pinned_one():
    path = silero.model_path()
    assert path.name == "silero_vad_v6.onnx"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == silero.MODEL_SHA256


@needs_model
def test_an_altered_or_missing_model_is_refused(tmp_path):
    bad = tmp_path / "silero_vad_v6.onnx"
    data = bytearray(silero.model_path().read_bytes())
    data[-1] ^= 1
    bad.write_bytes(bytes(data))
    with pytest.raises(silero.SileroError, match="does not match the pinned"):
        silero.SileroVAD(bad)
    with pytest.raises(silero.SileroError, match="missing"):
        silero.SileroVAD(tmp_path / "nowhere.onnx")
    good = tmp_path / "good.onnx"
    shutil.copy(silero.model_path(), good)
    assert silero.available(good) is None
    assert "does not match" in silero.available(bad)


@needs_model
@needs_asterisk
def test_speech_silence_and_line_noise():
    """Real speech scores high, clean or noisy; digital silence and line noise stay far under the 0.1 that
    keeps an utterance open, at any level."""
    speech = _prompt("vm-options")
    p = _probs(speech)
    levels = 10 * np.log10(np.mean(speech[: len(p) * 512].reshape(-1, 512) ** 2, axis=1) + 1e-12)
    voiced = levels > levels.max() - 20
    assert np.median(p[voiced]) > 0.7
    noisy = _prompt("vm-options", "tel_noise_ulaw")
    assert np.median(_probs(noisy)[voiced]) > 0.3  # lower in noise, yet far above the noise alone
    assert _probs(np.zeros(SAMPLE_RATE * 3, np.float32)).max() < 0.05
    for rms in (0.001, 0.003, 0.01, 0.03, 0.1):
        assert _probs(_line_noise(4.0, rms)).max() < 0.1, rms


@needs_model
@needs_asterisk
def test_streaming_gives_the_same_probabilities_and_segments_however_chunked():
    x = _prompt("vm-options", "tel_noise_ulaw")[: SAMPLE_RATE * 6]
    n = len(x) // 512
    whole = _probs(x)
    v = silero.SileroVAD()
    one_by_one = np.concatenate([v(x[i * 512 : (i + 1) * 512]) for i in range(n)])
    assert np.allclose(whole, one_by_one, atol=1e-5)
    want = [(s.start, s.end) for s in _segments(x, len(x), vad="silero")]
    assert want
    for chunk in (8000, 1600, 333):
        assert [(s.start, s.end) for s in _segments(x, chunk, vad="silero")] == want


@needs_model
@needs_asterisk
def test_a_noisy_line_no_longer_cuts_sentences_but_pauses_still_end_utterances():
    """vm-options ("Press 1 to record your unavailable message, press 2 ...", 17 s) with noise and mu-law:
    the energy detector alone cuts it into 3 pieces, mid-list (4 before the phone-band filter took out the
    noise outside 300-3,400 Hz); with Silero keeping utterances open it is 2 (one cut by the 12 s limit). Two prompts 1.5 s apart are still two utterances, and line noise alone
    opens none."""
    noisy = _prompt("vm-options", "tel_noise_ulaw")
    energy, neural = _segments(noisy, vad="energy"), _segments(noisy, vad="silero")
    assert len(energy) >= 3
    assert len(neural) <= 2
    assert all(s.end - s.start <= 12.0 + 1e-6 for s in neural)

    a, b = _prompt("vm-goodbye", "tel_noise_ulaw"), _prompt("vm-saved", "tel_noise_ulaw", seed=1)
    rms = float(np.sqrt(np.mean(a**2)))
    gap = _line_noise(1.5, rms * 0.1, seed=2)
    segs = _segments(np.concatenate([a, gap, b]), vad="silero")
    assert len(segs) == 2
    assert segs[0].end < len(a) / SAMPLE_RATE + 0.5 < segs[1].start

    assert _segments(_line_noise(6.0, 0.01), vad="silero") == []


@needs_model
def test_silero_costs_little():
    x = _line_noise(10.0, 0.01)
    v = silero.SileroVAD()
    v(x[:5120].reshape(-1, 512))  # warm up
    t0 = time.process_time()
    n = len(x) // 512
    for i in range(0, n, 16):  # 0.5 s blocks, as a live stream gives them
        v(x[i * 512 : min(n, i + 16) * 512].reshape(-1, 512))
    per_window = (time.process_time() - t0) / n
    assert per_window < 0.002, f"{per_window * 1e3:.2f} ms per 32 ms window"


def test_choosing_the_detector(monkeypatch):
    monkeypatch.delenv(VAD_ENV, raising=False)
    assert choose_vad("energy") == "energy"
    assert VoiceSegmenter(0, vad="energy").silero is None
    assert choose_vad("Silero") == "silero"
    monkeypatch.setenv(VAD_ENV, "energy")
    assert choose_vad() == "energy"
    assert VoiceSegmenter(0).silero is None
    assert choose_vad("silero") == "silero"  # the option wins over the environment
    with pytest.raises(ValueError, match="unknown voice-activity detector"):
        choose_vad("neural")
    monkeypatch.delenv(VAD_ENV)
    # auto, the default: Silero where it loads, else the energy detector alone (logged once)
    monkeypatch.setattr(silero, "available", lambda path=None: "onnxruntime is not installed")
    assert choose_vad() == "energy"
    assert VoiceSegmenter(0).silero is None


@needs_model
def test_silero_is_the_default_where_it_loads(monkeypatch):
    monkeypatch.delenv(VAD_ENV, raising=False)
    assert choose_vad() == "silero"
    assert VoiceSegmenter(0).vad == "silero" and VoiceSegmenter(0).silero is not None


def test_without_its_model_auto_falls_back_and_silero_is_a_clear_error(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "faster_whisper" else real(name, *a))
    monkeypatch.setattr(silero, "_sessions", {})
    monkeypatch.delenv(VAD_ENV, raising=False)
    assert "faster-whisper" in silero.available()
    assert VoiceSegmenter(0).vad == "energy"
    with pytest.raises(silero.SileroError, match="faster-whisper"):
        VoiceSegmenter(0, vad="silero")
