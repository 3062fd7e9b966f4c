"""The synthetic voices bench/bench_stt.py speaks with (calls/synth.py): espeak-ng's, named as before, and
more natural ones from other engines, which the benchmark skips with an install hint when they are missing.
The tests themselves need none of the extra engines."""

from __future__ import annotations

import numpy as np
import pytest

from scamshield.calls import speech_eval, synth


def test_voice_names_pick_an_engine_and_a_bare_name_is_espeak():
    assert synth.voice_engine("en-gb-x-rp") == ("espeak-ng", "en-gb-x-rp")
    assert synth.voice_engine("espeak-ng:en-us") == ("espeak-ng", "en-us")
    assert synth.voice_engine("flite:slt") == ("flite", "slt")
    assert synth.voice_engine("festival:cmu_us_slt_arctic_hts") == ("festival", "cmu_us_slt_arctic_hts")
    for bad in ("nosuch:voice", "flite:"):
        with pytest.raises(ValueError, match="unknown voice"):
            synth.voice_engine(bad)
    for voice in speech_eval.NATURAL_VOICES:
        synth.voice_engine(voice)  # every benchmark voice has a known engine


def test_a_missing_voice_says_what_to_install(monkeypatch):
    monkeypatch.setattr(synth.shutil, "which", lambda name: None)
    assert "apt-get install flite" in synth.voice_missing("flite:slt")
    assert "apt-get install festival" in synth.voice_missing("festival:kal_diphone")
    assert "apt-get install espeak-ng" in synth.voice_missing("en-us")
    assert "no such piper voice" in synth.voice_missing("piper:nobody")


@pytest.mark.parametrize("voice", ["flite:kal16", "festival:kal_diphone", "piper:joe"])
def test_other_engines_speak_a_sentence_at_16khz_when_installed(voice):
    missing = synth.voice_missing(voice)
    if missing:
        pytest.skip(missing)
    y = synth.speak("Please press one.", voice)
    assert y.dtype == np.float32 and 0.4 < len(y) / synth.SAMPLE_RATE < 3.0
    assert 0.5 < float(np.abs(y).max()) <= 0.61  # brought to espeak-ng's level
