"""Speech sets and line conditions for measuring recognisers on real recorded human speech.

Used by tests/test_moonshine.py and bench/bench_stt.py; all offline, from Debian packages
(``scripts/apt-packages.txt``):

* ``asterisk``: the Asterisk PBX's English IVR prompts, read by a professional voice (Allison Smith), with
  their transcripts (``asterisk-core-sounds-en``). Wideband from the G.722 files (16 kHz,
  ``asterisk-core-sounds-en-g722``, decoded with the ``G722`` wheel), narrow-band from the 8 kHz WAV files
  (``asterisk-core-sounds-en-wav``). Tones, letters, digits, silences and prompts whose transcript is not
  the words spoken (symbols, stage directions) are left out.
* ``librivox``: five read-speech clips from LibriVox with transcripts (``pocketsphinx-testdata``).
* ``synthetic``: the sentences of the seed HMRC call and the genuine call (scamshield.calls.synth), each
  spoken by two espeak-ng voices; ``synthetic_natural``: the same sentences from more natural synthetic
  voices (flite, festival, piper; ``NATURAL_VOICES``), where installed.

Line conditions, applied the same way to every set:

* ``wideband``  16 kHz as recorded (a phone's own recorder, VoIP)
* ``telephone`` 8 kHz, 300-3,400 Hz band (narrow-band PSTN)
* ``tel_noise_ulaw`` telephone + white noise at 20 dB below the speech + G.711 mu-law (8 bit) coding

Word error rate is counted after Whisper's English text normaliser (``whisper-normalizer``), as the issue
measured it.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .audio import SAMPLE_RATE, Resampler

ASTERISK_DIR = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
ASTERISK_TRANSCRIPTS = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")
LIBRIVOX_DIR = Path("/usr/share/pocketsphinx/test/data/librivox")
CONDITIONS = ("wideband", "telephone", "tel_noise_ulaw")
NOISE_SNR_DB = 20.0
_SKIP_DIRS = ("dictate/", "digits/", "letters/", "phonetic/", "silence/")
_NOT_SPOKEN = re.compile(r"[\[\]<>()*#@]")
# Misspellings in the Asterisk transcripts (the recordings say the real words).
_TRANSCRIPT_TYPOS = {"Un-indentified": "Unidentified", "witheld": "withheld", "represenatives": "representatives",
                     "umute": "unmute"}


@dataclass(frozen=True, slots=True)
class Clip:
    set: str
    name: str
    text: str
    wideband: np.ndarray  # 16 kHz float32 mono
    narrowband: np.ndarray | None = None  # the set's own 8 kHz recording, when it has one

    @property
    def seconds(self) -> float:
        return len(self.wideband) / SAMPLE_RATE


def available() -> dict[str, bool]:
    """Which real-speech sets this machine has (Debian packages, and the G722 wheel for Asterisk)."""
    from importlib.util import find_spec

    return {
        "asterisk": ASTERISK_TRANSCRIPTS.is_file() and ASTERISK_DIR.is_dir() and find_spec("G722") is not None,
        "librivox": (LIBRIVOX_DIR / "transcription").is_file(),
    }


def _resample(x: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    if rate_in == rate_out:
        return np.asarray(x, dtype=np.float32)
    r = Resampler(rate_in, rate_out, 1)
    y = np.concatenate([r.process(np.asarray(x, np.float32)[:, None]), r.flush()])
    return y[:, 0]


def _read(path: Path) -> tuple[np.ndarray, int]:
    import soundfile as sf

    x, rate = sf.read(path, dtype="float32", always_2d=True)
    return x.mean(axis=1), rate


def asterisk_prompts() -> list[tuple[str, str]]:
    """(name, transcript) of every usable prompt, sorted by name."""
    out = []
    with gzip.open(ASTERISK_TRANSCRIPTS, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(";") or ":" not in line:
                continue
            name, text = (s.strip() for s in line.split(":", 1))
            if not text or name.startswith(_SKIP_DIRS) or _NOT_SPOKEN.search(text):
                continue
            if len(text.split()) < 2:
                continue
            for typo, fixed in _TRANSCRIPT_TYPOS.items():
                text = text.replace(typo, fixed)
            if (ASTERISK_DIR / f"{name}.wav").is_file() and (ASTERISK_DIR / f"{name}.g722").is_file():
                out.append((name, text))
    return sorted(out)


def asterisk_clips(every: int = 1, limit: int | None = None) -> list[Clip]:
    """Asterisk prompts (every ``every``-th by name, at most ``limit``): G.722 wideband + 8 kHz WAV."""
    from G722 import G722

    clips = []
    for name, text in asterisk_prompts()[::every][:limit]:
        codec = G722(SAMPLE_RATE, 64000)
        pcm = np.asarray(codec.decode((ASTERISK_DIR / f"{name}.g722").read_bytes()), dtype=np.int16)
        narrow, rate = _read(ASTERISK_DIR / f"{name}.wav")
        clips.append(Clip("asterisk", name, text, pcm.astype(np.float32) / 32768.0, _resample(narrow, rate, 8000)))
    return clips


def librivox_clips() -> list[Clip]:
    clips = []
    for line in (LIBRIVOX_DIR / "transcription").read_text().splitlines():
        m = re.match(r"\s*<s>(.*)</s>\s*\((.+)\)", line)
        if not m:
            continue
        text, name = m.group(1).strip(), m.group(2).strip()
        audio, rate = _read(LIBRIVOX_DIR / f"{name}.wav")
        clips.append(Clip("librivox", name, text, _resample(audio, rate, SAMPLE_RATE)))
    return clips


ESPEAK_VOICES = ("en-gb-x-rp", "en-us")
# More natural synthetic voices (calls/synth.py says what each needs); the benchmark skips those not installed.
NATURAL_VOICES = ("flite:slt", "flite:rms", "flite:awb", "flite:kal16", "festival:cmu_us_slt_arctic_hts",
                  "festival:kal_diphone", "piper:joe")


def synthetic_clips(voices: Iterable[str] = ESPEAK_VOICES, set_name: str = "synthetic") -> list[Clip]:
    """Every sentence of the seed HMRC call and the genuine call, spoken by each voice (espeak-ng's by
    default); a clip's name starts with its voice ("flite:slt/hmrc-4.1")."""
    from . import synth

    clips = []
    for voice in voices:
        for call_name, script in (("hmrc", synth.HMRC_CALL), ("genuine", synth.GENUINE_CALL)):
            for t, (_speaker, sentences) in enumerate(script):
                for k, text in enumerate(sentences):
                    audio = synth.speak(text, voice) * 0.5
                    clips.append(Clip(set_name, f"{voice}/{call_name}-{t}.{k}", text, audio))
    return clips


# --- line conditions ---------------------------------------------------------------------------------


def _bandpass(x: np.ndarray, rate: int, low: float = 300.0, high: float = 3400.0, taps: int = 255) -> np.ndarray:
    """Linear-phase windowed-sinc band-pass (what ``sox ... sinc 300-3400`` does), zero delay."""
    n = np.arange(taps) - (taps - 1) / 2
    def lowpass(fc: float) -> np.ndarray:
        return 2 * fc / rate * np.sinc(2 * fc / rate * n)
    h = (lowpass(high) - lowpass(low)) * np.blackman(taps)
    return np.convolve(x, h, mode="same").astype(np.float32)


def ulaw(x: np.ndarray) -> np.ndarray:
    """G.711 mu-law: encode 16-bit PCM to 8-bit codes and decode back (the segmented ITU companding)."""
    pcm = np.clip(np.round(np.asarray(x, np.float64) * 32768.0), -32768, 32767).astype(np.int32)
    sign = pcm < 0
    mag = np.minimum(np.abs(pcm), 32635) + 0x84
    exponent = np.floor(np.log2(mag)).astype(np.int32) - 7
    mantissa = (mag >> (exponent + 3)) & 0x0F
    decoded = (((mantissa << 3) + 0x84) << exponent) - 0x84
    return (np.where(sign, -decoded, decoded) / 32768.0).astype(np.float32)


def _pad(x: np.ndarray, rate: int, lead: float = 0.3, tail: float = 0.6) -> np.ndarray:
    return np.concatenate([np.zeros(round(lead * rate), np.float32), x, np.zeros(round(tail * rate), np.float32)])


def line(clip: Clip, condition: str, seed: int = 0) -> tuple[np.ndarray, int]:
    """(audio, rate) of a clip as it arrives over ``condition``, with a little quiet before and after it
    (as between turns of a call); 8 kHz conditions stay at 8 kHz."""
    if condition == "wideband":
        return _pad(clip.wideband, SAMPLE_RATE), SAMPLE_RATE
    if condition not in CONDITIONS:
        raise ValueError(f"unknown line condition {condition!r}")
    x = clip.narrowband if clip.narrowband is not None else _resample(clip.wideband, SAMPLE_RATE, 8000)
    x = _bandpass(_pad(x, 8000), 8000)
    if condition == "tel_noise_ulaw":
        rms = float(np.sqrt(np.mean(x.astype(np.float64) ** 2))) or 1e-4
        rng = np.random.default_rng(seed)
        x = x + rng.normal(0.0, rms * 10 ** (-NOISE_SNR_DB / 20), len(x)).astype(np.float32)
        x = ulaw(x)
    return x, 8000


def at_16k(audio: np.ndarray, rate: int) -> np.ndarray:
    """What the pipeline gives a recogniser: the line audio resampled to 16 kHz."""
    return _resample(audio, rate, SAMPLE_RATE)


def transcribe(engine, audio: np.ndarray, vad: str | None = None) -> str:
    """What the call pipeline hears: 16 kHz audio cut into utterances by its voice-activity detector
    (``calls.vad.VoiceSegmenter``, at most 12 s each; ``vad`` as there), each recognised on its own, joined."""
    from .vad import VoiceSegmenter

    seg = VoiceSegmenter(0, vad=vad)
    parts = [s.samples for s in seg.feed(audio)] + [s.samples for s in seg.flush()]
    if not parts:  # the detector heard nothing: give the recogniser the whole clip
        parts = [audio]
    return " ".join(t for t in (engine.transcribe(p).strip() for p in parts) if t)


# --- word error rate -----------------------------------------------------------------------------------


_normaliser = None


def normalise(text: str) -> list[str]:
    """Words after Whisper's English normaliser (numbers, spellings, punctuation, fillers). It turns
    "two" into "2" but leaves "one" (a pronoun as often as a number), so "press one" and "press 1" would
    differ; here "one" counts as "1" on both sides."""
    global _normaliser
    if _normaliser is None:
        try:
            from whisper_normalizer.english import EnglishTextNormalizer
        except ImportError as exc:
            raise ImportError(f"WER needs whisper-normalizer: pip install 'scamshield[audio]' ({exc})") from None
        _normaliser = EnglishTextNormalizer()
    return ["1" if w == "one" else w for w in _normaliser(text).split()]


def edit_distance(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i in range(1, len(ref) + 1):
        prev, row[0] = row[0], i
        for j in range(1, len(hyp) + 1):
            cur = min(row[j] + 1, row[j - 1] + 1, prev + (ref[i - 1] != hyp[j - 1]))
            prev, row[j] = row[j], cur
    return row[len(hyp)]


def wer(pairs: Iterable[tuple[str, str]]) -> tuple[float, int, int]:
    """(word error rate, errors, reference words) over (reference, hypothesis) pairs."""
    errors = words = 0
    for ref, hyp in pairs:
        r, h = normalise(ref), normalise(hyp)
        errors += edit_distance(r, h)
        words += len(r)
    return (errors / words if words else 0.0), errors, words
