"""Audio plumbing without a recogniser: decoding, resampling, voice activity, live PCM chunks, bad files.
Test audio is made here (numpy, espeak-ng, sox) into tmp_path; nothing is committed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import soundfile as sf

from scamshield.calls.audio import (
    SAMPLE_RATE,
    AudioError,
    PcmFeeder,
    Resampler,
    probe,
    read_blocks,
)
from scamshield.calls.vad import VoiceSegmenter
from scamshield.errors import InputError


def _tone(freq, seconds, rate, amp=0.5):
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _resample_all(x, src, channels=1):
    r = Resampler(src, SAMPLE_RATE, channels)
    return np.concatenate([r.process(x), r.flush()])


@pytest.mark.parametrize("rate", [8000, 11025, 22050, 44100, 48000, 16000])
def test_resampler_keeps_a_tone_and_the_length(rate):
    x = _tone(1000, 2.0, rate)
    y = _resample_all(x, rate)[:, 0]
    assert len(y) == 2 * SAMPLE_RATE
    want = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(len(y)) / SAMPLE_RATE)
    mid = slice(800, -800)  # the filter's edges
    assert np.abs(y[mid] - want[mid]).max() < 1e-3


def test_resampler_removes_what_16k_cannot_hold():
    y = _resample_all(_tone(12000, 1.0, 44100), 44100)[:, 0]  # above the new 8 kHz Nyquist
    assert np.sqrt(np.mean(y[800:-800] ** 2)) < 1e-3


def test_resampler_streams_exactly_like_one_shot():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((44100 * 2, 2)).astype(np.float32) * 0.1
    whole = _resample_all(x, 44100, 2)
    r = Resampler(44100, SAMPLE_RATE, 2)
    parts, i = [], 0
    while i < len(x):
        n = int(rng.integers(1, 3000))
        parts.append(r.process(x[i : i + n]))
        i += n
    parts.append(r.flush())
    streamed = np.concatenate(parts)
    assert streamed.shape == whole.shape
    assert np.abs(streamed - whole).max() < 1e-6


def _bursts(spec, rate=SAMPLE_RATE, noise=0.0, seed=0):
    """spec: [(seconds, loud?)...] -> signal of tone bursts and quiet, with optional background noise."""
    rng = np.random.default_rng(seed)
    parts = [(_tone(300, s, rate, 0.3) if loud else np.zeros(int(s * rate), np.float32)) for s, loud in spec]
    x = np.concatenate(parts)
    if noise:
        x = x + rng.standard_normal(len(x)).astype(np.float32) * noise
    return x


def _segments(x, **kw):
    v = VoiceSegmenter(**kw)
    out = []
    for i in range(0, len(x), 1600):  # 0.1 s chunks, as a stream would deliver them
        out += v.feed(x[i : i + 1600])
    return out + v.flush()


def test_vad_finds_each_utterance_and_its_times():
    x = _bursts([(0.5, False), (1.0, True), (1.0, False), (2.0, True), (1.0, False)])
    segs = _segments(x)
    assert len(segs) == 2
    assert segs[0].start == pytest.approx(0.5, abs=0.2) and segs[0].end == pytest.approx(1.5, abs=0.2)
    assert segs[1].start == pytest.approx(2.5, abs=0.2) and segs[1].end == pytest.approx(4.5, abs=0.2)
    for s in segs:
        assert len(s.samples) == pytest.approx((s.end - s.start) * SAMPLE_RATE, abs=1)


def test_vad_ignores_silence_and_steady_noise():
    assert _segments(np.zeros(SAMPLE_RATE * 5, np.float32)) == []
    assert _segments(_bursts([(6.0, False)], noise=0.02)) == []


def test_vad_adapts_to_background_noise():
    x = _bursts([(2.0, False), (1.0, True), (1.0, False), (1.0, True), (1.0, False)], noise=0.01)
    assert len(_segments(x)) == 2


def _syllables(seconds, rate=SAMPLE_RATE, harmonics=1):
    """Speech-like: a voice whose loudness rises and falls four times a second, never pausing long. A phone
    line carries a voice's harmonics, not its 220 Hz fundamental (its band starts at 300 Hz): ``harmonics``
    adds them."""
    t = np.arange(int(seconds * rate)) / rate
    envelope = 0.05 + 0.95 * np.sin(np.pi * 4 * t) ** 2
    voice = sum(np.sin(2 * np.pi * 220 * h * t) / h for h in range(1, harmonics + 1))
    return (0.3 * envelope * voice).astype(np.float32)


def test_vad_cuts_long_speech_so_memory_stays_bounded():
    x = np.concatenate([np.zeros(3200, np.float32), _syllables(30.0), np.zeros(8000, np.float32)])
    segs = _segments(x, max_segment_s=8.0)
    assert len(segs) >= 4
    assert max(len(s.samples) for s in segs) <= 8.0 * SAMPLE_RATE + 1
    # No audio lost or duplicated at the cuts.
    for a, b in itertools.pairwise(segs):
        assert b.start == pytest.approx(a.end, abs=1e-6)


def test_pending_exposes_the_open_utterance():
    v = VoiceSegmenter()
    v.feed(_bursts([(0.3, False), (1.0, True)]))
    start, audio = v.pending()
    assert start == pytest.approx(0.3, abs=0.2) and len(audio) > 0.8 * SAMPLE_RATE


def test_telephone_audio_keeps_only_the_phone_band():
    """8 kHz audio is a phone line's: hum below 300 Hz and hiss above 3,400 Hz are line noise, not speech."""
    rate = 8000
    y = _resample_all(_tone(1000, 1.0, rate) + _tone(100, 1.0, rate) + _tone(3800, 1.0, rate), rate)[:, 0]
    spectrum = np.abs(np.fft.rfft(y[1000:1000 + SAMPLE_RATE // 2]))  # 2 Hz a bin
    assert spectrum[500] > 1000 * spectrum[50] and spectrum[500] > 1000 * spectrum[1900]
    # wider recordings keep their low voices
    y = _resample_all(_tone(100, 1.0, 22050), 22050)[:, 0]
    want = 0.5 * np.sin(2 * np.pi * 100 * np.arange(len(y)) / SAMPLE_RATE)
    assert np.abs(y[800:-800] - want[800:-800]).max() < 1e-3


def test_pcm_feeder_handles_odd_chunks_and_8k():
    x = _tone(500, 1.0, 8000)
    pcm = (x * 32767).astype("<i2").tobytes()
    f = PcmFeeder(8000, 1, "int16")
    out = [f.feed(pcm[i : i + 333]) for i in range(0, len(pcm), 333)]  # splits samples in half
    out.append(f.flush())
    y = np.concatenate(out)[:, 0]
    assert len(y) == SAMPLE_RATE
    want = 0.5 * np.sin(2 * np.pi * 500 * np.arange(len(y)) / SAMPLE_RATE)
    assert np.abs(y[400:-400] - want[400:-400]).max() < 2e-3


def test_pcm_feeder_rejects_bad_formats():
    with pytest.raises(AudioError, match="too low"):
        PcmFeeder(4000)
    with pytest.raises(AudioError, match="channels"):
        PcmFeeder(16000, 6)
    with pytest.raises(AudioError, match="sample format"):
        PcmFeeder(16000, 1, "int8")


@pytest.mark.parametrize("suffix", [".wav", ".flac", ".ogg", ".mp3"])
def test_reads_every_supported_format_in_blocks(tmp_path, suffix):
    x = np.stack([_tone(440, 3.0, 22050), _tone(660, 3.0, 22050)], axis=1)
    path = tmp_path / f"call{suffix}"
    sf.write(path, x, 22050)
    info = probe(path)
    assert info.channels == 2 and info.samplerate == 22050
    blocks = list(read_blocks(path, block_seconds=0.25))
    assert all(b.shape[1] == 2 for b in blocks)
    assert max(len(b) for b in blocks) <= 0.25 * SAMPLE_RATE + 64  # bounded, however long the file
    total = sum(len(b) for b in blocks) / SAMPLE_RATE
    assert total == pytest.approx(3.0, abs=0.1)  # MP3 adds a little encoder padding


def _bad(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_bad_files_are_clear_errors(tmp_path):
    cases = {
        "missing": (tmp_path / "nope.wav", "no such file"),
        "empty": (_bad(tmp_path, "empty.wav", b""), "empty"),
        "text": (_bad(tmp_path, "notes.wav", b"this is not audio, it is a shopping list\n" * 20), "not a readable audio"),
        "corrupt": (_bad(tmp_path, "corrupt.wav", b"RIFF\x24\x08\x00\x00WAVEfmt " + bytes(range(256)) * 4), "not a readable audio"),
        "dir": (tmp_path, "directory"),
    }
    for name, (path, message) in cases.items():
        with pytest.raises(AudioError, match=message) as info:
            list(read_blocks(path))
        assert isinstance(info.value, InputError), name
        assert str(path) in str(info.value) or name == "dir"


def test_wrong_sample_rate_is_a_clear_error(tmp_path):
    path = tmp_path / "low.wav"
    sf.write(path, _tone(300, 1.0, 4000), 4000)
    with pytest.raises(AudioError, match="4000 Hz is too low"):
        probe(path)


def test_too_many_channels_is_a_clear_error(tmp_path):
    path = tmp_path / "surround.wav"
    sf.write(path, np.zeros((16000, 6), np.float32), 16000)
    with pytest.raises(AudioError, match="6 channels"):
        probe(path)


def test_truncated_file_reads_what_is_there(tmp_path):
    path = tmp_path / "cut.wav"
    sf.write(path, _tone(440, 2.0, 16000), 16000)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a recording cut off mid-call
    total = sum(len(b) for b in read_blocks(path)) / SAMPLE_RATE
    assert 0.8 < total < 1.2


@pytest.mark.slow
def test_a_long_call_is_processed_in_bounded_memory(tmp_path):
    """10 minutes of 8 kHz stereo (a 19 MB file) through decoding, resampling and VAD: the memory
    peak is a few blocks and one utterance, not the recording."""
    import tracemalloc

    path = tmp_path / "long.wav"
    rate, minutes = 8000, 10
    rng = np.random.default_rng(0)
    speech = _syllables(4.0, rate, harmonics=6)
    with sf.SoundFile(path, "w", rate, 2, "PCM_16") as f:
        for ten in range(minutes * 6):  # 4 s of speech every 10 s, the parties taking turns
            block = rng.standard_normal((rate * 10, 2)).astype(np.float32) * 0.003
            block[: len(speech), ten % 2] += speech
            f.write(block)
    assert path.stat().st_size > 19_000_000
    segmenters = [VoiceSegmenter(0), VoiceSegmenter(1)]
    count = 0
    tracemalloc.start()
    for block in read_blocks(path):
        for c, v in enumerate(segmenters):
            count += len(v.feed(block[:, c]))
    count += sum(len(v.flush()) for v in segmenters)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == minutes * 6  # every utterance found
    assert peak < 8_000_000, f"peak {peak / 1e6:.1f} MB"
