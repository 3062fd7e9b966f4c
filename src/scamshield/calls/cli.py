"""`scamshield call`: listen to a call recording, a raw PCM stream or the microphone, and warn mid-call.

Audio libraries are imported only when the command runs, so the rest of the CLI works without the
``audio`` extra.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
import time
from collections.abc import Iterator
from typing import TextIO

from ..errors import InputError
from ..models import Message
from .session import AlertEvent, Event, FinalEvent, TranscriptEvent, UpdateEvent

LIVE_RATE = 16_000


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "call",
        help="listen to call audio (file, raw PCM on stdin, or microphone) and alert mid-call",
        description=(
            "Transcribe a call offline and score it turn by turn; an alert is printed the moment the "
            "verdict first reaches suspicious (warning) or scam. Stereo files are read as caller on the "
            "left channel and callee on the right. FILE '-' reads raw 16-bit PCM from standard input."
        ),
    )
    p.add_argument("file", nargs="?", metavar="FILE", help="WAV, FLAC, OGG or MP3 recording; '-' for raw PCM")
    p.add_argument("--live", action="store_true", help="listen to the microphone (Ctrl-C ends the call)")
    p.add_argument("--json", action="store_true", help="one JSON event per line: transcript, update, alert, final")
    p.add_argument(
        "--engine", choices=["auto", "moonshine", "whisper", "pocketsphinx"], default="auto",
        help="speech recogniser (default auto: Moonshine base-en, else Whisper tiny.en)",
    )
    p.add_argument("--model", metavar="PATH",
                   help="another model directory: CTranslate2 Whisper (model.bin) or Moonshine ONNX files")
    p.add_argument("--threads", type=int, default=0, help="CPU threads for the recogniser (default: up to 4)")
    p.add_argument(
        "--vad", choices=["auto", "silero", "energy"], default=None,
        help="voice-activity detection: energy + the Silero VAD deciding when an utterance ends (auto, the default, "
             "where onnxruntime and faster-whisper are installed; also SCAMSHIELD_VAD), or the energy detector alone",
    )
    p.add_argument(
        "--channels", default="caller,callee", metavar="ROLES",
        help="who is on the left,right channel of a stereo file (default caller,callee); mono is roles[0]",
    )
    p.add_argument("--no-prompt", action="store_true",
                   help="don't prime the recogniser with scam vocabulary (HMRC, iTunes vouchers, gift cards): "
                        "Whisper's prompt, Moonshine's decoder priming")
    p.add_argument("--sender", help="the caller ID shown for this call, if known")
    p.add_argument("--partials", action="store_true", help="also show partial transcripts (default with --live)")
    p.add_argument("--rate", type=int, default=16_000, help="sample rate of raw PCM on stdin (FILE '-')")
    p.add_argument("--stdin-channels", type=int, default=1, help="channels of raw PCM on stdin (FILE '-')")
    p.add_argument("--seconds", type=float, default=0, help="stop listening after this long (--live)")
    p.set_defaults(func=cmd_call)


def _roles(text: str) -> tuple[str, str]:
    parts = tuple(p.strip() for p in text.split(","))
    if parts not in (("caller", "callee"), ("callee", "caller")):
        raise InputError(f"--channels must be 'caller,callee' or 'callee,caller' (got {text!r})")
    return parts  # type: ignore[return-value]


def cmd_call(args: argparse.Namespace) -> int:
    if bool(args.live) == bool(args.file):
        raise InputError("give a recording to analyse (scamshield call FILE), or --live for the microphone")
    if args.threads < 0:
        raise InputError("--threads must be 0 (automatic) or more")
    roles = _roles(args.channels)
    from .audio import PcmFeeder, probe, read_blocks
    from .pipeline import CallTranscriber, listen, partial_interval
    from .session import CallSession
    from .transcribe import load_engine

    if args.live:
        blocks, channels = _microphone(args.seconds), 1
        partials = True
    elif args.file == "-":
        feeder = PcmFeeder(args.rate, args.stdin_channels, "int16")
        blocks, channels = _stdin_blocks(feeder), args.stdin_channels
        partials = args.partials
    else:
        info = probe(args.file)  # fail on a bad file before loading the model
        blocks, channels = read_blocks(info.path), info.channels
        partials = args.partials
    from .transcribe import DEFAULT_PROMPT

    engine = load_engine(args.engine, args.model, args.threads, None if args.no_prompt else DEFAULT_PROMPT)
    transcriber = CallTranscriber(engine, channels, roles, partial_every=partial_interval(engine) if partials else None,
                                  vad=args.vad)
    session = CallSession(Message(channel="call", sender=args.sender, id=args.file if args.file != "-" else None))
    out = sys.stdout
    try:
        for event in listen(blocks, transcriber, session):
            _print(event, args.json, out)
            out.flush()
    except KeyboardInterrupt:  # the user hung up: report on what was heard
        if session.turns:
            _print(session.finish(), args.json, out)
        return 130
    return 0


def _stdin_blocks(feeder) -> Iterator:
    stream = sys.stdin.buffer
    while chunk := stream.read(LIVE_RATE // 5 * 2 * feeder.channels):  # ~0.2 s of 16 kHz audio
        block = feeder.feed(chunk)
        if len(block):
            yield block
    tail = feeder.flush()
    if len(tail):
        yield tail


def _microphone(seconds: float) -> Iterator:
    """Blocks from the default microphone; a clear error where there is no PortAudio or no input."""
    try:
        import sounddevice as sd
    except (ImportError, OSError) as exc:
        raise InputError(
            f"cannot listen to a microphone here ({exc}). Install PortAudio (Debian: apt-get install "
            "libportaudio2) and the audio extra, or record the call and run: scamshield call FILE"
        ) from None
    try:
        device = sd.query_devices(kind="input")
    except Exception as exc:
        raise InputError(f"no microphone found ({exc}); record the call and run: scamshield call FILE") from None
    from .audio import PcmFeeder

    rate = int(device.get("default_samplerate") or LIVE_RATE)
    feeder = PcmFeeder(rate, 1, "int16")
    chunks: queue.Queue[bytes] = queue.Queue()

    def callback(indata, frames, time_info, status) -> None:
        chunks.put(bytes(indata))

    print(f"listening on {device['name']} at {rate} Hz; Ctrl-C ends the call", file=sys.stderr)
    deadline = time.monotonic() + seconds if seconds > 0 else None
    try:
        with sd.RawInputStream(samplerate=rate, channels=1, dtype="int16", blocksize=rate // 5, callback=callback):
            warned = False
            while deadline is None or time.monotonic() < deadline:
                try:
                    chunk = chunks.get(timeout=0.5)
                except queue.Empty:
                    continue
                if not warned and chunks.qsize() > 50:  # 10 s of audio waiting: alerts will come late
                    warned = True
                    print("warning: speech recognition is falling behind the call on this machine; "
                          "try --engine pocketsphinx or more --threads", file=sys.stderr)
                block = feeder.feed(chunk)
                if len(block):
                    yield block
    except sd.PortAudioError as exc:
        raise InputError(f"the microphone could not be opened ({exc})") from None


def _clock(t: float | None) -> str:
    if t is None:
        return "--:--"
    m, s = divmod(t, 60)
    return f"{int(m):02d}:{s:04.1f}"


def _print(event: Event, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
        return
    if isinstance(event, TranscriptEvent):
        mark = "" if event.final else " (partial)"
        out.write(f"[{_clock(event.start)}-{_clock(event.end)}] {event.speaker:>6}{mark}: {event.text}\n")
    elif isinstance(event, UpdateEvent):
        return  # the verdict so far is visible through alerts; --json shows every update
    elif isinstance(event, AlertEvent):
        bar = "!" * 3 if event.level == "scam" else "!"
        where = f"turn {event.turn + 1}" if event.turn is not None else "caller ID"
        out.write(f"{bar} {event.level.upper()} at {_clock(event.time)} ({where}): {event.message}\n")
        out.write(f"    flags: {', '.join(event.flags)}\n")
        for line in event.advice[:1]:
            out.write(f"    {line}\n")
    elif isinstance(event, FinalEvent):
        from ..cli import render

        out.write("\n" + f"Call over: {event.turns} turns, {_clock(event.duration)}.\n")
        lines = render(Message(channel="call", id=event.verdict.id), event.verdict).splitlines()
        out.write("\n".join(line for i, line in enumerate(lines) if i != 1 or line.strip()) + "\n")
