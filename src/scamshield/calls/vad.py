"""Cutting one 16 kHz channel into utterances at its pauses (``VoiceSegmenter``: an energy VAD with an
adaptive noise floor, and the Silero VAD deciding when a noisy utterance has ended), so each can be
recognised and scored as soon as the speaker stops."""

from __future__ import annotations

import logging
import os
from collections import deque
from dataclasses import dataclass

import numpy as np

from .audio import SAMPLE_RATE

VAD_ENV = "SCAMSHIELD_VAD"
VADS = ("auto", "silero", "energy")
log = logging.getLogger(__name__)
_warned: set[str] = set()


def choose_vad(vad: str | None = None) -> str:
    """``silero`` or ``energy``: ``vad`` if given, else ``$SCAMSHIELD_VAD``, else ``auto``, which is
    ``silero`` where onnxruntime and faster-whisper's pinned Silero model load, ``energy`` otherwise (with
    a warning, once). An explicit ``silero`` that cannot load raises ``SileroError`` in ``VoiceSegmenter``."""
    vad = (vad or os.environ.get(VAD_ENV) or "auto").strip().lower()
    if vad not in VADS:
        raise ValueError(f"unknown voice-activity detector {vad!r} (choose from {', '.join(VADS)})")
    if vad != "auto":
        return vad
    from .silero import available

    why = available()
    if why is None:
        return "silero"
    if why not in _warned:
        _warned.add(why)
        log.warning("voice activity: the energy detector alone, without the Silero VAD (%s)", why)
    return "energy"


@dataclass(frozen=True, slots=True)
class Segment:
    """One utterance of one channel: times in seconds from the start of the call."""

    channel: int
    start: float
    end: float
    samples: np.ndarray


class VoiceSegmenter:
    """Voice-activity detection for one 16 kHz channel: an energy detector with an adaptive noise floor,
    and (the default where it loads) the Silero VAD keeping an utterance open.

    A frame is loud when its level is ``threshold_db`` above the noise floor (the 10th percentile of the
    last few seconds' frame levels) and above an absolute gate. An utterance opens after
    ``min_speech_ms`` of loud frames. It goes on while frames stay ``keep_db`` above the floor or, with
    Silero, while Silero's speech probability stays at ``speech_keep`` or more; it closes after
    ``end_silence_ms`` with neither. On a noisy line the ends of words and short pauses sink under the
    floor + ``keep_db`` and the energy detector alone cuts sentences in two; Silero still hears speech
    there (0.15-0.6) while the noise between turns stays under 0.05. An utterance is cut at its quietest
    frame when it reaches ``max_segment_s`` so memory and recognition latency stay bounded.

    ``vad``: ``"auto"`` (the default, or ``$SCAMSHIELD_VAD``: Silero where it loads, else the energy
    detector alone), ``"silero"`` or ``"energy"`` (see ``choose_vad``). Silero needs onnxruntime and
    faster-whisper's pinned model file (``calls/silero.py``); without them ``vad="silero"`` raises
    ``SileroError``.
    """

    def __init__(
        self,
        channel: int = 0,
        *,
        vad: str | None = None,
        speech_keep: float = 0.1,
        frame_ms: int = 30,
        threshold_db: float = 10.0,
        keep_db: float = 6.0,
        gate_dbfs: float = -50.0,
        min_speech_ms: int = 90,
        end_silence_ms: int = 450,
        pad_ms: int = 150,
        max_segment_s: float = 12.0,
        floor_window_s: float = 4.0,
    ) -> None:
        self.channel = channel
        self.vad = choose_vad(vad)
        self.silero = None
        if self.vad == "silero":
            from .silero import SileroVAD

            self.silero = SileroVAD()
        self.speech_keep = speech_keep
        self.silero_left = np.zeros(0, dtype=np.float32)  # samples not yet in a whole Silero window
        self.silero_probs = np.zeros(0, dtype=np.float32)  # speech probabilities of windows not yet used
        self.silero_base = 0  # the window index of silero_probs[0]
        self.frame = SAMPLE_RATE * frame_ms // 1000
        self.frame_s = self.frame / SAMPLE_RATE
        self.threshold_db, self.keep_db, self.gate_dbfs = threshold_db, keep_db, gate_dbfs
        self.min_speech = max(1, round(min_speech_ms / frame_ms))
        self.end_silence = max(1, round(end_silence_ms / frame_ms))
        self.pad = round(pad_ms / frame_ms)
        self.max_frames = max(self.min_speech + 1, round(max_segment_s * 1000 / frame_ms))
        self.levels: deque[float] = deque(maxlen=max(10, round(floor_window_s * 1000 / frame_ms)))
        self.leftover = np.zeros(0, dtype=np.float32)
        self.frame_index = 0  # frames seen so far
        self.preroll: deque[np.ndarray] = deque(maxlen=self.pad + self.min_speech)
        self.active: list[np.ndarray] | None = None  # frames of the open utterance
        self.active_levels: list[float] = []
        self.active_start = 0  # frame index where the open utterance starts
        self.run = 0  # consecutive speech frames (while closed) / quiet frames (while open)
        self.peak_dbfs = -120.0
        self._floor_cache: float | None = None

    @property
    def time(self) -> float:
        return self.frame_index * self.frame_s

    @property
    def trailing_quiet_s(self) -> float:
        """How long the open utterance has been quiet for (0 when none is open)."""
        return self.run * self.frame_s if self.active else 0.0

    def pending(self) -> tuple[float, np.ndarray] | None:
        """The open utterance so far (for partial transcripts), or None."""
        if not self.active:
            return None
        return self.active_start * self.frame_s, np.concatenate(self.active)

    def feed(self, samples: np.ndarray) -> list[Segment]:
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        if self.silero is not None:
            self._silero_feed(samples)
        data = np.concatenate([self.leftover, samples]) if len(self.leftover) else samples
        n = len(data) // self.frame
        self.leftover = data[n * self.frame :].copy()
        if not n:
            return []
        frames = data[: n * self.frame].reshape(n, self.frame)
        levels = 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-12)
        probs = self._speech_probs(n) if self.silero is not None else np.full(n, -1.0, np.float32)
        out: list[Segment] = []
        for frame, level, prob in zip(frames, levels, probs, strict=True):
            seg = self._frame(frame, float(level), float(prob))
            if seg is not None:
                out.append(seg)
        return out

    def _silero_feed(self, samples: np.ndarray) -> None:
        """Run Silero on every whole 32 ms window of the stream so far (its own buffer, same stream)."""
        from .silero import WINDOW

        assert self.silero is not None
        data = np.concatenate([self.silero_left, samples]) if len(self.silero_left) else samples
        m = len(data) // WINDOW
        self.silero_left = data[m * WINDOW :].copy()
        if m:
            self.silero_probs = np.concatenate([self.silero_probs, self.silero(data[: m * WINDOW])])

    def _speech_probs(self, n: int) -> np.ndarray:
        """Silero's speech probability for each of the ``n`` frames about to be judged: that of the last
        whole 32 ms window to end within the frame (so at most 32 ms old, and the same however the audio
        is chunked); 0 before the first window ends."""
        from .silero import WINDOW

        ends = (self.frame_index + 1 + np.arange(n)) * self.frame  # each frame's end, in samples
        index = ends // WINDOW - 1 - self.silero_base
        out = np.zeros(n, dtype=np.float32)
        out[index >= 0] = self.silero_probs[index[index >= 0]]
        drop = max(0, int(index[-1]))  # later frames need this window or later ones
        self.silero_probs = self.silero_probs[drop:]
        self.silero_base += drop
        return out

    def _floor(self) -> float:
        # Nothing heard yet: no frame can be judged loud against nothing (steady noise from the
        # first frame must not open an utterance). A short history: its quietest frame.
        if not self.levels:
            return float("inf")
        if len(self.levels) < 10:
            return min(self.levels)
        # The floor moves slowly: refresh it every 10 frames (0.3 s) rather than sort every frame.
        if self._floor_cache is None or self.frame_index % 10 == 0:
            self._floor_cache = float(np.percentile(np.fromiter(self.levels, float), 10))
        return self._floor_cache

    def _frame(self, frame: np.ndarray, level: float, prob: float) -> Segment | None:
        floor = self._floor()
        self.levels.append(level)
        self.peak_dbfs = max(self.peak_dbfs, level)
        self.frame_index += 1
        loud = level > self.gate_dbfs
        if self.active is None:
            self.preroll.append(frame)
            self.run = self.run + 1 if (loud and level > floor + self.threshold_db) else 0
            if self.run >= self.min_speech:
                frames = list(self.preroll)
                self.active = frames
                self.active_levels = [level] * len(frames)
                self.active_start = self.frame_index - len(frames)
                self.preroll.clear()
                self.run = 0
            return None
        self.active.append(frame)
        self.active_levels.append(level)
        speech = loud and (level > floor + self.keep_db or prob >= self.speech_keep)
        self.run = 0 if speech else self.run + 1
        if self.run >= self.end_silence:
            keep = len(self.active) - self.run + self.pad  # trailing quiet beyond the pad is dropped
            return self._close(keep)
        if len(self.active) >= self.max_frames:
            # Cut at the quietest frame of the last quarter, to avoid splitting a word.
            tail = max(1, len(self.active) // 4)
            lv = self.active_levels[-tail:]
            cut = len(self.active) - tail + int(np.argmin(lv)) + 1
            return self._close(cut, carry_rest=True)
        return None

    def _close(self, keep: int, carry_rest: bool = False) -> Segment:
        assert self.active is not None
        frames, levels = self.active, self.active_levels
        keep = max(1, min(keep, len(frames)))
        start = self.active_start
        seg = Segment(
            self.channel,
            start * self.frame_s,
            (start + keep) * self.frame_s,
            np.concatenate(frames[:keep]),
        )
        if carry_rest and keep < len(frames):
            self.active = frames[keep:]
            self.active_levels = levels[keep:]
            self.active_start = start + keep
        else:
            self.active = None
            self.active_levels = []
            self.run = 0
        return seg

    def flush(self) -> list[Segment]:
        """End of audio: close the open utterance, if any."""
        if self.active is None:
            return []
        keep = len(self.active) - self.run + self.pad if self.run else len(self.active)
        return [self._close(keep)]
