"""What every speech recogniser shares: the ``SpeechEngine`` / ``Utterance`` protocols the call pipeline
talks to, the error a recogniser raises when it cannot be set up, a buffered utterance for engines that
do not stream, and the sha256 check of model files. The engines themselves live in ``transcribe``
(Whisper, PocketSphinx, and ``load_engine`` choosing one) and ``moonshine``."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import InputError


class EngineError(InputError):
    """A recogniser cannot be set up (missing extra, missing or tampered model)."""


class Utterance(Protocol):
    def feed(self, samples: np.ndarray) -> None: ...

    def partial(self) -> str: ...

    def finish(self) -> str: ...


class SpeechEngine(Protocol):
    name: str
    cheap_partials: bool  # True when partial() costs nothing extra (a streaming decoder)

    def transcribe(self, samples: np.ndarray, context: str = "") -> str: ...

    def open_utterance(self) -> Utterance: ...


class BufferedUtterance:
    """For a recogniser that is not a streaming model (Whisper, Moonshine): partials re-recognise the
    audio so far, with ``draft`` where the engine has a cheaper decode for them (Moonshine: greedy
    instead of its beam), else with ``transcribe``; ``finish`` always uses ``transcribe``."""

    def __init__(self, engine: SpeechEngine, draft: Callable[[np.ndarray], str] | None = None) -> None:
        self.engine = engine
        self.draft = draft or engine.transcribe
        self.chunks: list[np.ndarray] = []

    def feed(self, samples: np.ndarray) -> None:
        self.chunks.append(np.asarray(samples, dtype=np.float32).reshape(-1))

    def _audio(self) -> np.ndarray:
        return np.concatenate(self.chunks) if self.chunks else np.zeros(0, dtype=np.float32)

    def partial(self) -> str:
        return self.draft(self._audio())

    def finish(self) -> str:
        text = self.engine.transcribe(self._audio())
        self.chunks = []
        return text


def verify_pinned(directory: Path, pins: dict[str, str], model: str, remedy: str,
                  error: type[EngineError] = EngineError) -> None:
    """Refuse to go on unless every pinned file of ``model`` in ``directory`` is there and matches its
    sha256; ``remedy`` tells the user what to do."""
    for name, expected in pins.items():
        f = directory / name
        if not f.is_file():
            raise error(f"{model} model {directory}: {name} is missing; {remedy}")
        got = sha256_file(f)
        if got != expected:
            raise error(f"{model} model {f}: sha256 {got} does not match the pinned {expected}; refusing to load it "
                        f"({remedy})")


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()
