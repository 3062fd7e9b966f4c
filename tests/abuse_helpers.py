"""Helpers for the abuse tests (issue 13): a real uvicorn server in a thread, configured exactly as
``scamshield serve`` configures it, with its log captured; test audio; nested JSON."""

from __future__ import annotations

import base64
import contextlib
import io
import logging
import socket
import threading
import time

import numpy as np

LOGGERS = ("uvicorn", "uvicorn.error", "scamshield.server")  # not uvicorn.access: serve turns it off


class LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))  # format() appends the traceback when there is one

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@contextlib.contextmanager
def live_server(settings):
    """Serve ``create_app(settings)`` on a free loopback port with the serve command's uvicorn config.
    Yields (base URL, log capture, app)."""
    import uvicorn

    from scamshield.server import create_app
    from scamshield.server.net import uvicorn_config

    app = create_app(settings)
    config = uvicorn_config(app, settings)
    capture = LogCapture()
    loggers = [logging.getLogger(name) for name in LOGGERS]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(capture)
        lg.setLevel(logging.INFO)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", capture, app
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(capture)
            lg.setLevel(level)


def closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed ``sock`` (reading EOF or a reset), or None if it stayed open."""
    start = time.monotonic()
    sock.settimeout(0.2)
    while time.monotonic() - start < seconds:
        try:
            data = sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - start
        if not data:
            return time.monotonic() - start
    return None


# ----------------------------------------------------------------------------- audio

def flac_of_silence(hours: float, rate: int = 8_000) -> bytes:
    """A FLAC of ``hours`` of silence: ten hours is about 917 KB (the file from issue 13)."""
    import soundfile as sf

    buf = io.BytesIO()
    block = np.zeros(rate * 600, dtype=np.int16)
    total = int(hours * 3600 * rate)
    with sf.SoundFile(buf, "w", samplerate=rate, channels=1, format="FLAC", subtype="PCM_16") as f:
        while total > 0:
            f.write(block[: min(total, len(block))])
            total -= len(block)
    return buf.getvalue()


def bursts(seconds: float, rate: int = 16_000, on: float = 1.0, off: float = 1.0, seed: int = 1,
           fmt: str = "WAV") -> bytes:
    """Loud noise bursts ``on`` seconds long, ``off`` seconds apart: utterances to the VAD."""
    import soundfile as sf

    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    loud = (t % (on + off)) < on
    x = (rng.standard_normal(len(t)) * 0.3 * loud + rng.standard_normal(len(t)) * 0.001).astype(np.float32)
    buf = io.BytesIO()
    sf.write(buf, x, rate, format=fmt, subtype="PCM_16")
    return buf.getvalue()


def pcm_bursts(seconds: float, rate: int = 16_000) -> bytes:
    """The same as raw 16-bit mono PCM, for a live call's audio frames."""
    import soundfile as sf

    data, _ = sf.read(io.BytesIO(bursts(seconds, rate)), dtype="int16")
    return data.tobytes()


class FakeEngine:
    """A speech engine that takes ``delay`` seconds per utterance and hears "hello"; records who used it."""

    name = "fake"
    cheap_partials = False

    def __init__(self, delay: float = 0.05, text: str = "hello there") -> None:
        self.delay = delay
        self.text = text
        self.calls: list[tuple[float, str]] = []

    def transcribe(self, samples, context: str = "") -> str:
        time.sleep(self.delay)
        self.calls.append((time.monotonic(), threading.current_thread().name))
        return self.text

    def open_utterance(self):  # pragma: no cover - the server never asks for partials
        raise NotImplementedError


# ----------------------------------------------------------------------------- JSON

def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def nested_passport(depth: int = 1_000) -> str:
    """A PASSporT (SIP Identity header) whose payload nests ``depth`` levels deep."""
    header = b64(b'{"alg":"ES256","ppt":"shaken","typ":"passport","x5u":"https://cert.example.org/sp.pem"}')
    payload = b64(('{"attest":"A","orig":{"tn":"443002003300"},"x":' + nested(depth) + "}").encode())
    return f"{header}.{payload}.AAAA;info=<https://cert.example.org/sp.pem>;alg=ES256;ppt=shaken"
