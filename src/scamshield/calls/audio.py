"""Call audio in, 16 kHz float32 speech segments out, in bounded memory.

* ``probe`` / ``read_blocks`` decode WAV, FLAC, OGG and MP3 through libsndfile (the ``soundfile`` wheel
  ships libsndfile >= 1.1, which reads MP3), a block at a time, so a two-hour call never sits in memory.
* ``Resampler`` is a small streaming polyphase (windowed-sinc) resampler: telephone audio at 8 kHz and
  desktop recordings at 44.1/48 kHz all become the 16 kHz the recognisers expect.
* ``calls/vad.py``'s ``VoiceSegmenter`` then cuts each 16 kHz channel into utterances at its pauses.
* ``PcmFeeder`` turns raw PCM chunks from a live stream (bytes or arrays, any rate) into the same blocks.

A stereo recording is read as two parties: channel 0 the caller, channel 1 the callee (configurable).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from ..errors import InputError

SAMPLE_RATE = 16_000
MIN_INPUT_RATE = 8_000  # telephone band; anything lower cannot carry intelligible speech
MAX_INPUT_RATE = 192_000
TELEPHONE_RATE = 8_000  # at or below this rate a recording is a phone line's
TELEPHONE_BAND = (300.0, 3_400.0)  # Hz: what a phone line carries (ITU-T G.711's voice band)
TELEPHONE_TAPS = 256  # filter taps per phase for that band's 300 Hz edge (about 160 Hz wide)
FORMATS = ("WAV", "FLAC", "OGG", "MP3")
UNKNOWN_FRAMES = 2**62


class AudioError(InputError):
    """Audio that cannot be used: the message says which file and why."""


class AudioTooLong(AudioError):
    """A recording longer than the caller's limit (from its header, or found while decoding)."""


@dataclass(frozen=True, slots=True)
class AudioInfo:
    path: str
    format: str
    samplerate: int
    channels: int
    frames: int

    @property
    def duration(self) -> float:
        return self.frames / self.samplerate if self.samplerate else 0.0


def _soundfile():
    try:
        import soundfile
    except (ImportError, OSError) as exc:  # OSError: the wheel is there but libsndfile is not
        raise AudioError(
            f"reading audio needs the 'audio' extra (pip install 'scamshield[audio]'): {exc}"
        ) from exc
    return soundfile


def probe(
    path: str | os.PathLike | BinaryIO, *, label: str | None = None, max_seconds: float | None = None
) -> AudioInfo:
    """Check that ``path`` (a file name, or an open binary file) is audio we can use, before any work
    is done on it. ``label`` names it in messages instead of its path (a server's temporary file
    name is nobody's business). ``max_seconds``: refuse a longer recording from its header alone,
    before a sample is decoded (AudioTooLong)."""
    is_file = hasattr(path, "read")
    if is_file:
        name = label or "the recording"
        path.seek(0, os.SEEK_END)
        size = path.tell()
        path.seek(0)
        source = path
    else:
        source = os.fspath(path)
        name = label or source
        if not os.path.exists(source):
            raise AudioError(f"{name}: no such file")
        if os.path.isdir(source):
            raise AudioError(f"{name}: is a directory, not an audio file")
        size = os.path.getsize(source)
    if size == 0:
        raise AudioError(f"{name}: the file is empty (0 bytes)")
    sf = _soundfile()
    try:
        info = sf.info(source)
    except Exception as exc:  # libsndfile's messages are terse; say what we accept
        if name.lower().endswith(".mp3") and _version(sf.__libsndfile_version__) < (1, 1):
            raise AudioError(
                f"{name}: this libsndfile ({sf.__libsndfile_version__}) cannot read MP3 (1.1 or later can); "
                "convert it first, e.g. `sox in.mp3 out.wav` or `ffmpeg -i in.mp3 out.wav`"
            ) from None
        raise AudioError(
            f"{name}: not a readable audio file ({_clean(exc)}); expected {', '.join(FORMATS)}"
        ) from None
    finally:
        if is_file:
            path.seek(0)
    checked = AudioInfo(name if is_file else source, info.format, int(info.samplerate), int(info.channels),
                        int(info.frames))
    check_format(checked.samplerate, checked.channels, where=name)
    if checked.frames <= 0:
        raise AudioError(f"{name}: the file holds no audio samples")
    if checked.frames >= UNKNOWN_FRAMES:  # libsndfile's answer for a stream that does not say its length
        raise AudioError(f"{name}: the file does not say how long it is (a streamed FLAC?); "
                         "convert it to an ordinary WAV or FLAC file")
    if max_seconds is not None and checked.duration > max_seconds:
        raise AudioTooLong(
            f"{name}: the recording is {_hms(checked.duration)} long; the limit is {_hms(max_seconds)}"
        )
    return checked


def _hms(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s" if seconds % 60 else f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in text.split(".")[:2])
    except ValueError:
        return (0,)


def check_format(samplerate: int, channels: int, *, where: str = "audio") -> None:
    if samplerate < MIN_INPUT_RATE:
        raise AudioError(
            f"{where}: sample rate {samplerate} Hz is too low for speech; need at least {MIN_INPUT_RATE} Hz"
        )
    if samplerate > MAX_INPUT_RATE:
        raise AudioError(f"{where}: sample rate {samplerate} Hz is not plausible (max {MAX_INPUT_RATE} Hz)")
    if channels not in (1, 2):
        raise AudioError(
            f"{where}: {channels} channels; expected mono, or stereo with one party per channel"
        )


def _clean(exc: Exception) -> str:
    """libsndfile's complaint without the file name it quotes ("Error opening '/tmp/x': ...")."""
    text = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    if text.startswith("Error opening ") and ": " in text:
        text = text.split(": ", 1)[1]
    return text.replace("Error opening ", "").strip()


def read_blocks(
    path: str | os.PathLike | BinaryIO,
    block_seconds: float = 0.5,
    *,
    label: str | None = None,
    max_seconds: float | None = None,
) -> Iterator[np.ndarray]:
    """Yield (frames, channels) float32 blocks at 16 kHz. Memory stays at one block, however long the file.

    ``label`` and ``max_seconds`` as for ``probe``; a file whose header understates its length is
    stopped (AudioTooLong) once decoding passes ``max_seconds``."""
    info = probe(path, label=label, max_seconds=max_seconds)
    name = label or info.path
    sf = _soundfile()
    resampler = Resampler(info.samplerate, SAMPLE_RATE, info.channels)
    blocksize = max(1, int(info.samplerate * block_seconds))
    limit = None if max_seconds is None else int(max_seconds * info.samplerate) + blocksize
    read = 0
    source = path if hasattr(path, "read") else info.path
    try:
        with sf.SoundFile(source) as f:
            while True:
                try:
                    block = f.read(blocksize, dtype="float32", always_2d=True)
                except Exception as exc:
                    raise AudioError(
                        f"{name}: the audio is corrupt after {read / info.samplerate:.1f} s ({_clean(exc)})"
                    ) from None
                if not len(block):
                    break
                read += len(block)
                if limit is not None and read > limit:
                    raise AudioTooLong(f"{name}: the recording is longer than the limit of {_hms(max_seconds)}")
                if not np.isfinite(block).all():
                    raise AudioError(f"{name}: the audio holds NaN/infinite samples near {read / info.samplerate:.1f} s")
                out = resampler.process(block)
                if len(out):
                    yield out
    except AudioError:
        raise
    except Exception as exc:
        raise AudioError(f"{name}: could not be decoded ({_clean(exc)})") from None
    if read == 0:
        raise AudioError(f"{name}: the file holds no audio samples")
    tail = resampler.flush()
    if len(tail):
        yield tail


class Resampler:
    """Streaming rational resampler: polyphase FIR, Kaiser-windowed sinc, zero phase (delay compensated).

    Output sample ``n`` sits at input time ``n * src / dst``; each needs ``taps`` input samples around it.
    Blocks of any size may be fed; the result is identical to resampling the whole signal at once.
    """

    def __init__(self, src_rate: int, dst_rate: int = SAMPLE_RATE, channels: int = 1, taps: int = 24) -> None:
        g = math.gcd(int(src_rate), int(dst_rate))
        self.up, self.down = int(dst_rate) // g, int(src_rate) // g
        self.channels = channels
        self.passthrough = self.up == self.down
        if self.passthrough:
            return
        # Telephone audio (8 kHz) carries speech only between 300 and 3,400 Hz: what lies outside that band
        # on arrival is line noise and hum, which the recognisers mistake for sounds. Upsampling it, the
        # filter keeps just the band (a longer filter for the sharp edge at 300 Hz; about 16 ms of it).
        band = TELEPHONE_BAND if src_rate <= TELEPHONE_RATE < dst_rate else None
        # Enough taps per phase to cover the wider of the two filters when decimating.
        k = math.ceil(taps * max(1.0, self.down / self.up))
        if band:
            k = max(k, TELEPHONE_TAPS)
        k += k % 2  # even: the filter centre falls between input samples symmetrically
        n = k * self.up
        # Centre the filter on an integer tap (n // 2) so the delay is exact; the window is n + 1 long
        # and its last, near-zero tap is dropped to fit the polyphase reshape.
        t = np.arange(n) - n // 2
        window = np.kaiser(n + 1, 8.0)[:n]
        if band:
            rate_up = src_rate * self.up
            low, high = band[0] / rate_up, band[1] / rate_up  # cycles per upsampled sample
            h = (2 * high * np.sinc(2 * high * t) - 2 * low * np.sinc(2 * low * t)) * window
            gain = abs(np.sum(h * np.exp(-2j * np.pi * 1000.0 / rate_up * t)))
            h *= self.up / gain  # unit gain at 1 kHz, mid-band, after zero-stuffing by ``up``
        else:
            cutoff = 0.5 / max(self.up, self.down) * 0.92  # cycles per upsampled sample, below the lower Nyquist
            h = 2 * cutoff * np.sinc(2 * cutoff * t) * window
            h *= self.up / h.sum()  # unit DC gain after zero-stuffing by ``up``
        # phases[p, j] = h[p + j * up]: the taps used when the output falls at phase p.
        self.phases = h.reshape(k, self.up).T.astype(np.float32)
        self.rev_phases = np.ascontiguousarray(self.phases[:, ::-1])  # oldest input first, as windows are
        self.k = k
        self.delay = n // 2  # in upsampled samples
        self.history = np.zeros((k, channels), dtype=np.float32)  # zeros before the signal starts
        self.consumed = -k  # absolute input index of history[0]
        self.next_out = 0  # absolute index of the next output sample
        self.total_in = 0

    def _out_base_phase(self, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pos = n * self.down + self.delay  # upsampled-domain index of the filter's far end
        return pos // self.up, pos % self.up

    def process(self, block: np.ndarray, final: bool = False) -> np.ndarray:
        block = np.asarray(block, dtype=np.float32)
        if block.ndim == 1:
            block = block[:, None]
        if self.passthrough:
            return block
        self.total_in += len(block)
        buf = np.concatenate([self.history, block]) if len(block) else self.history
        last = self.consumed + len(buf) - 1  # absolute index of the newest input sample
        # Output n is computable once input index base(n) is available.
        n_max_total = math.ceil(self.total_in * self.up / self.down)  # outputs the whole signal yields
        # largest n with base(n) <= last
        limit = ((last + 1) * self.up - self.delay - 1) // self.down
        n_hi = min(limit, n_max_total - 1) if not final else n_max_total - 1
        if n_hi < self.next_out:
            out = np.zeros((0, self.channels), dtype=np.float32)
        else:
            n0, count = self.next_out, n_hi + 1 - self.next_out
            last_base = int(self._out_base_phase(np.array([n_hi]))[0][0])
            pad = max(0, last_base - self.consumed + 1 - len(buf))
            if pad:  # only at the end of the signal: zeros after it
                buf = np.concatenate([buf, np.zeros((pad, self.channels), dtype=np.float32)])
            # windows[s] = buf[s : s + k] for every start s, as a view (no copy)
            windows = np.lib.stride_tricks.sliding_window_view(buf, self.k, axis=0)  # (L-k+1, ch, k)
            out = np.empty((count, self.channels), dtype=np.float32)
            # Outputs n, n + up, n + 2 up ... share a filter phase and step ``down`` inputs apart: one
            # strided matrix product per phase instead of a gather per output sample.
            for r in range(min(self.up, count)):
                base, phase = self._out_base_phase(np.array([n0 + r]))
                start = int(base[0]) - self.k + 1 - self.consumed
                m = len(range(r, count, self.up))
                sel = windows[start : start + (m - 1) * self.down + 1 : self.down]
                out[r :: self.up] = sel @ self.rev_phases[int(phase[0])]
            self.next_out = n_hi + 1
        # Keep just what the next outputs may still need.
        next_base, _ = self._out_base_phase(np.array([self.next_out]))
        keep_from = int(next_base[0]) - self.k + 1 - self.consumed
        keep_from = max(0, min(keep_from, len(buf) - self.k))
        self.history = buf[keep_from:]
        self.consumed += keep_from
        return out

    def flush(self) -> np.ndarray:
        if self.passthrough:
            return np.zeros((0, self.channels), dtype=np.float32)
        return self.process(np.zeros((0, self.channels), dtype=np.float32), final=True)


class PcmFeeder:
    """Raw PCM chunks from a live stream -> (frames, channels) float32 blocks at 16 kHz.

    Chunks may be ``bytes`` (interleaved, ``dtype`` samples) or numpy arrays; a partial sample at the
    end of a bytes chunk is kept for the next one.
    """

    DTYPES = {"int16": (np.int16, 32768.0), "int32": (np.int32, 2147483648.0), "float32": (np.float32, 1.0)}

    def __init__(self, samplerate: int, channels: int = 1, dtype: str = "int16") -> None:
        check_format(samplerate, channels, where="live stream")
        if dtype not in self.DTYPES:
            raise AudioError(f"live stream: sample format {dtype!r} is not one of {', '.join(self.DTYPES)}")
        self.channels = channels
        self.np_dtype, self.scale = self.DTYPES[dtype]
        self.frame_bytes = np.dtype(self.np_dtype).itemsize * channels
        self.pending = b""
        self.resampler = Resampler(samplerate, SAMPLE_RATE, channels)

    def feed(self, chunk: bytes | bytearray | memoryview | np.ndarray) -> np.ndarray:
        if isinstance(chunk, np.ndarray):
            arr = chunk
            if arr.dtype.kind in "iu":
                arr = arr.astype(np.float32) / self.scale
            arr = np.asarray(arr, dtype=np.float32).reshape(-1, self.channels)
        else:
            data = self.pending + bytes(chunk)
            usable = len(data) - len(data) % self.frame_bytes
            self.pending = data[usable:]
            arr = np.frombuffer(data[:usable], dtype=self.np_dtype).astype(np.float32)
            if self.np_dtype is not np.float32:
                arr /= self.scale
            arr = arr.reshape(-1, self.channels)
        if not np.isfinite(arr).all():
            raise AudioError("live stream: the audio holds NaN/infinite samples")
        return self.resampler.process(arr)

    def flush(self) -> np.ndarray:
        return self.resampler.flush()
