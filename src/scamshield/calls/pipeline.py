"""Audio -> utterances -> text -> turns -> verdicts, as the audio arrives.

``CallTranscriber`` runs one ``VoiceSegmenter`` per channel and recognises each utterance the moment
its speaker pauses; ``listen`` feeds those utterances, one by one, to a ``CallSession``, so an alert
fires about a second after the words are said rather than at the end of the recording.

With ``partial_every`` the utterance still being spoken is also recognised as it grows (a cheap decode:
Moonshine greedy, PocketSphinx's own stream) and ``listen`` has the session score each partial without
committing it (``CallSession.preview``): an alert can fire while the sentence that tips it is still going
on, with the partial's words as its evidence. When the speaker pauses, the whole utterance is recognised
once more in full (Moonshine's beam, exactly as without partials) and that transcript is the turn.
Re-recognising a growing utterance costs more the longer it gets, so partials keep to a share of real
time: the next one waits until the utterance has grown by ``PARTIAL_COST_FACTOR`` times what the last
one took (and by ``partial_every`` at least); utterances are cut at 12 s anyway (``VoiceSegmenter``).

Channels map to parties: stereo channel 0 is the caller and channel 1 the callee (``roles`` swaps
them); a mono recording cannot be split, so every utterance is attributed to ``roles[0]``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from ..errors import InputError
from ..models import SPEAKERS, Turn
from .audio import SAMPLE_RATE
from .session import CallSession, Event, TranscriptEvent
from .transcribe import SpeechEngine, Utterance
from .vad import Segment, VoiceSegmenter

DEFAULT_ROLES = ("caller", "callee")
# A partial waits until the open utterance has grown by this many times the compute the last partial
# took, so re-recognising the growing utterance stays within about half of one core (measured in
# bench/bench_stt.py); short utterances still get one every ``partial_every`` seconds.
PARTIAL_COST_FACTOR = 2.0


@dataclass(slots=True)
class _Channel:
    segmenter: VoiceSegmenter
    speaker: str
    utterance: Utterance | None = None
    fed: int = 0  # samples of the open utterance already given to ``utterance``
    last_partial: float = 0.0  # length (s) of the open utterance at the last partial
    partial_cost: float = 0.0  # seconds the last partial of the open utterance took to recognise
    partial_text: str = ""  # the last partial sent, so an unchanged one is not sent again


class CallTranscriber:
    """(frames, channels) float32 blocks at 16 kHz in; TranscriptEvents out (final, and partial if asked).

    ``partial_every`` (seconds) emits a preview of the utterance still being spoken: free with a
    streaming engine (pocketsphinx), a re-recognition of the audio so far otherwise (the utterance's
    ``partial()``: greedy with Moonshine, Whisper's own greedy decode). Final transcripts are the same
    with and without partials.
    """

    def __init__(
        self,
        engine: SpeechEngine,
        channels: int = 1,
        roles: tuple[str, str] = DEFAULT_ROLES,
        partial_every: float | None = None,
        **segmenter_options: float | str | None,
    ) -> None:
        if channels not in (1, 2):
            raise InputError(f"expected mono or stereo audio (got {channels} channels)")
        if len(roles) != 2 or any(r not in SPEAKERS for r in roles) or roles[0] == roles[1]:
            raise InputError(f"channel roles must be 'caller,callee' or 'callee,caller' (got {','.join(roles)})")
        self.engine = engine
        self.partial_every = partial_every
        self.channels = [
            _Channel(VoiceSegmenter(c, **segmenter_options), roles[c]) for c in range(channels)  # type: ignore[arg-type]
        ]
        self.samples = 0
        self.utterances = 0
        self.partials = 0
        self.recognise_seconds = 0.0  # compute spent in the recogniser (for the real-time factor)
        self.partial_seconds = 0.0  # of which on partials

    @property
    def time(self) -> float:
        return self.samples / SAMPLE_RATE

    @property
    def peak_dbfs(self) -> float:
        return max(ch.segmenter.peak_dbfs for ch in self.channels)

    def feed(self, block: np.ndarray) -> list[TranscriptEvent]:
        block = np.asarray(block, dtype=np.float32)
        if block.ndim == 1:
            block = block[:, None]
        if block.shape[1] != len(self.channels):
            raise InputError(f"audio block has {block.shape[1]} channels; this call has {len(self.channels)}")
        self.samples += len(block)
        events: list[TranscriptEvent] = []
        for c, ch in enumerate(self.channels):
            for seg in ch.segmenter.feed(block[:, c]):
                events.extend(self._final(ch, seg))
            if self.partial_every is not None:
                events.extend(self._partial(ch))
        # Two parties can finish utterances in the same block: keep the transcript in spoken order.
        events.sort(key=lambda e: (not e.final, e.start or 0.0))
        return events

    def finish(self) -> list[TranscriptEvent]:
        events: list[TranscriptEvent] = []
        for ch in self.channels:
            for seg in ch.segmenter.flush():
                events.extend(self._final(ch, seg))
        events.sort(key=lambda e: e.start or 0.0)
        return events

    def _recognise(self, fn, *args) -> str:
        t0 = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.recognise_seconds += time.perf_counter() - t0

    def _final(self, ch: _Channel, seg: Segment) -> list[TranscriptEvent]:
        utt, ch.utterance = ch.utterance, None
        if utt is not None and self.engine.cheap_partials:  # a streaming decoder: finish what it was fed
            if ch.fed < len(seg.samples):
                utt.feed(seg.samples[ch.fed :])
            # Audio fed beyond this utterance's cut belongs to it now; don't feed it again next time.
            ch.fed = max(0, ch.fed - len(seg.samples))
            text = self._recognise(utt.finish)
        else:  # recognise the utterance whole, exactly as without partials (Moonshine: its beam)
            ch.fed = 0
            text = self._recognise(self.engine.transcribe, seg.samples)
        ch.last_partial, ch.partial_cost, ch.partial_text = 0.0, 0.0, ""
        text = " ".join(text.split())
        if not text:
            return []
        self.utterances += 1
        return [TranscriptEvent(ch.speaker, text, seg.start, seg.end, True)]

    def _partial(self, ch: _Channel) -> list[TranscriptEvent]:
        pending = ch.segmenter.pending()
        if pending is None:
            return []
        start, audio = pending
        length = len(audio) / SAMPLE_RATE
        # (less one VAD frame: 0.5 s blocks of audio grow an utterance by 16 or 17 frames of 30 ms)
        wait = max(self.partial_every or 0.0, PARTIAL_COST_FACTOR * ch.partial_cost) - ch.segmenter.frame_s
        if length - ch.last_partial < wait:
            return []
        if length - ch.last_partial <= ch.segmenter.trailing_quiet_s:
            return []  # nothing said since the last partial: it already heard all there is
        ch.last_partial = length
        if ch.utterance is None:
            ch.utterance = self.engine.open_utterance()
        if ch.fed < len(audio):
            ch.utterance.feed(audio[ch.fed :])
            ch.fed = len(audio)
        t0 = time.perf_counter()
        text = self._recognise(ch.utterance.partial)
        ch.partial_cost = time.perf_counter() - t0
        self.partial_seconds += ch.partial_cost
        text = " ".join(text.split())
        if not text or text == ch.partial_text:
            return []
        ch.partial_text = text
        self.partials += 1
        return [TranscriptEvent(ch.speaker, text, start, start + length, False)]


def listen(
    blocks: Iterable[np.ndarray],
    transcriber: CallTranscriber,
    session: CallSession,
) -> Iterator[Event]:
    """Run a call: yields transcript events, the session's update/alert events, then the final event.

    Each final utterance goes to the session as soon as it is recognised, so the alert is raised
    while later audio is still to come; each partial one (if the transcriber makes them) is scored
    without being committed, so the alert can come before the speaker has even paused.
    """
    yield from session.start()
    for block in blocks:
        for event in transcriber.feed(block):
            yield from route(event, session)
    for event in transcriber.finish():
        yield from route(event, session)
    if transcriber.utterances == 0:
        seconds = transcriber.time
        raise InputError(
            f"no speech found in {seconds:.1f} s of audio (loudest level {transcriber.peak_dbfs:.0f} dBFS); "
            "is it silent, or the wrong recording?"
        )
    yield session.finish()


def partial_interval(engine: SpeechEngine) -> float:
    """How often (seconds) to preview the utterance still being spoken: Moonshine re-recognises it cheaply
    enough for every 0.5 s, and a streaming decoder has it for free; Whisper pays its 30 s window each time."""
    return 0.5 if engine.name == "moonshine" or engine.cheap_partials else 1.5


def route(event: TranscriptEvent, session: CallSession) -> Iterator[Event]:
    """One transcript event, then what it makes the session say: a final one is committed as a turn
    (its update, and an alert if it tips the call); a partial one is only previewed (an alert if its
    words tip the call, nothing otherwise)."""
    yield event
    turn = Turn(event.speaker, event.text, event.start, event.end)
    if event.final:
        yield from session.add_turn(turn)
    else:
        yield from session.preview(turn)
