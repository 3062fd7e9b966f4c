"""The live-call WebSocket: transcribed turns, or raw audio through the speech recogniser.

Protocol (JSON text frames; audio as binary frames):

    -> {"type": "start", "message": {"sender": "+44..."}, "audio": {"rate": 16000, "channels": 1}}
    -> {"type": "turn", "speaker": "caller", "text": "..."}        (a transcribed turn), or
    -> binary frames of 16-bit little-endian PCM                   (after a start with "audio")
    <- {"type": "transcript", ...}  recognised speech (audio only)
    <- {"type": "update", ...}      the verdict after each turn
    <- {"type": "alert", ...}       once per level, the moment the call tips
    -> {"type": "end"}
    <- {"type": "final", ...}       the whole call's verdict; the socket closes

Limits (``Settings``, documented in docs/api.md): browser pages only from the server's own origin or
listed ones (else the handshake is refused, 403); open calls per client address and in all (an error
frame, then close 1013); text messages per client per minute (an error frame with ``status`` 429 and
``retry_after``; the message is dropped); audio at most ``live_audio_speed`` times real time after a
burst (the server simply reads more slowly); JSON nesting (an error frame); a client that does not
read its updates within ``live_send_timeout`` is disconnected (close 1008), and an idle call is closed.
"""

from __future__ import annotations

import asyncio
import json
import time

from fastapi import HTTPException, WebSocket, WebSocketDisconnect

from ..errors import InputError
from ..inputs import message_from_dict
from ..models import Message, Turn
from .guard import client_of, loads_json, log, origin_allowed

CALLER_FIELDS = ("id", "sender", "recipient", "dialled", "identity", "verstat", "direction")


class LiveCall:
    """One socket's call: a CallSession, plus a recogniser when audio is streamed."""

    def __init__(self, app) -> None:
        self.app = app
        self.settings = app.state.settings
        self.session = None
        self.feeder = None
        self.transcriber = None
        self.chars = 0
        self.bytes_per_second = 0.0  # of the PCM stream, once audio has started

    def _session(self, message: Message | None = None):
        from ..calls.session import CallSession

        if self.session is None:
            self.session = CallSession(message or Message(channel="call"), analyzer=self.app.state.analyzer)
        return self.session

    def start(self, msg: dict) -> list:
        if self.session is not None:
            raise InputError("the call has already started")
        caller = msg.get("message") or {}
        if not isinstance(caller, dict):
            raise InputError("'message' must be an object")
        caller = {k: v for k, v in caller.items() if k in CALLER_FIELDS}
        parsed = message_from_dict({**caller, "channel": "call", "turns": [{"speaker": "caller", "text": ""}]})
        session = self._session(Message(channel="call", **{k: getattr(parsed, k) for k in CALLER_FIELDS}))
        audio = msg.get("audio")
        if audio is not None:
            self._open_audio(audio)
        return session.start()

    def _open_audio(self, audio) -> None:
        from . import features
        from .speech import LIVE, GatedEngine, shared_engine

        if not isinstance(audio, dict):
            raise InputError("'audio' must be an object such as {\"rate\": 16000, \"channels\": 1}")
        if not features.has_transcription():
            raise HTTPException(501, "speech-to-text is not installed on this server")
        from ..calls.audio import PcmFeeder
        from ..calls.pipeline import CallTranscriber, partial_interval

        rate, channels = audio.get("rate", 16000), audio.get("channels", 1)
        if not isinstance(rate, int) or not isinstance(channels, int):
            raise InputError("audio 'rate' and 'channels' must be whole numbers")
        partials = audio.get("partials", True)
        if not isinstance(partials, bool):
            raise InputError("audio 'partials' must be true or false")
        self.feeder = PcmFeeder(rate, channels, "int16")
        engine = GatedEngine(shared_engine(self.app), self.app.state.speech_gate, LIVE)  # live calls go first
        # The utterance still being spoken is recognised as it grows and scored without being committed, so
        # the alert can come while the revealing words are said (pipeline.py).
        every = partial_interval(engine) if partials else None
        self.transcriber = CallTranscriber(engine, channels, partial_every=every)
        self.bytes_per_second = float(rate * channels * 2)

    def turn(self, msg: dict) -> list:
        speaker, text = msg.get("speaker"), msg.get("text")
        if not isinstance(text, str) or not isinstance(speaker, str):
            raise InputError("a turn needs 'speaker' ('caller' or 'callee') and 'text'")
        if len(text) > self.settings.max_text_chars:
            raise InputError(f"a turn may have at most {self.settings.max_text_chars:,} characters")
        session = self._session()
        if session.turns >= self.settings.max_turns:
            raise InputError(f"a call may have at most {self.settings.max_turns} turns")
        self._count(text)
        return session.add_turn(Turn(speaker, text))

    def _count(self, text: str) -> None:
        if self.chars + len(text) > self.settings.live_max_call_chars:
            raise InputError(f"a call may have at most {self.settings.live_max_call_chars:,} characters of transcript")
        self.chars += len(text)

    def audio(self, chunk: bytes) -> list:
        """Recognise what the chunk completes; each finished utterance becomes a turn at once."""
        if self.transcriber is None:
            raise InputError("send {\"type\": \"start\", \"audio\": {\"rate\": 16000, \"channels\": 1}} before audio")
        return self._route(self.transcriber.feed(self.feeder.feed(chunk)))

    def end(self) -> list:
        events = []
        if self.transcriber is not None:
            tail = self.feeder.flush()
            found = (self.transcriber.feed(tail) if len(tail) else []) + self.transcriber.finish()
            events = self._route(found)
        return [*events, self._session().finish()]

    def _route(self, transcripts: list) -> list:
        """Each transcript, then what it makes the session say (pipeline.route: a final one becomes a turn, a
        partial one is only previewed)."""
        from ..calls.pipeline import route  # the audio extra: only audio calls get here

        events = []
        for t in transcripts:
            if not t.text.strip():
                events.append(t)
                continue
            if t.final:
                self._count(t.text)
            events.extend(route(t, self._session()))
        return events


class _Gone(Exception):
    """The socket is closed, or its client stopped reading: stop serving it."""


class _Socket:
    """Sends and receives with the limits applied; every way a socket can die becomes ``_Gone``."""

    def __init__(self, ws: WebSocket, settings) -> None:
        self.ws = ws
        self.settings = settings

    async def send(self, data: dict) -> None:
        try:
            await asyncio.wait_for(self.ws.send_json(data), self.settings.live_send_timeout)
        except TimeoutError:
            log.info("live call closed: the client did not read its updates")
            await self.close(1008, "too slow reading updates")
            raise _Gone() from None
        except (WebSocketDisconnect, OSError, RuntimeError):
            raise _Gone() from None

    async def receive(self) -> dict:
        try:
            frame = await asyncio.wait_for(self.ws.receive(), self.settings.live_idle_seconds)
        except TimeoutError:
            await self.send({"type": "error", "error": f"no message for {self.settings.live_idle_seconds:g} "
                             "seconds: the call is closed"})
            await self.close(1000, "idle")
            raise _Gone() from None
        except (WebSocketDisconnect, OSError, RuntimeError):
            raise _Gone() from None
        if frame["type"] == "websocket.disconnect":
            raise _Gone()
        return frame

    async def close(self, code: int, reason: str = "") -> None:
        try:
            await asyncio.wait_for(self.ws.close(code=code, reason=reason), 1.0)
        except Exception:  # closing a socket that is already gone or stuck: nothing more to do
            pass


async def serve(ws: WebSocket) -> None:
    app = ws.app
    settings = app.state.settings
    if not origin_allowed(ws.headers.get("origin"), ws.headers.get("host"), ws.url.scheme, settings):
        log.info("live call refused: a web page from another origin")
        await ws.close(code=1008)  # before accepting: the handshake is answered 403
        return
    client = client_of(ws)
    calls: dict[str, int] = app.state.live_calls
    sock = _Socket(ws, settings)
    try:
        await ws.accept()
    except (WebSocketDisconnect, OSError, RuntimeError):
        return
    if calls.get(client, 0) >= settings.live_per_client or sum(calls.values()) >= settings.live_max_calls:
        busy = calls.get(client, 0) >= settings.live_per_client
        try:
            await sock.send({"type": "error", "status": 429, "error": (
                f"too many live calls from this address: at most {settings.live_per_client} at once" if busy
                else "the server has as many live calls as it can take: try again later")})
        except _Gone:
            return
        await sock.close(1013, "too many calls")
        return
    calls[client] = calls.get(client, 0) + 1
    try:
        await _serve_call(sock, LiveCall(app), app, client)
    except _Gone:
        pass
    finally:
        calls[client] -= 1
        if calls[client] <= 0:
            del calls[client]


async def _serve_call(sock: _Socket, call: LiveCall, app, client: str) -> None:
    settings = app.state.settings
    limiter = app.state.limiter
    limit = settings.max_body_bytes
    audio_tokens = settings.live_audio_burst_seconds  # seconds of audio that may come at once
    audio_clock = time.monotonic()
    while True:
        frame = await sock.receive()
        try:
            if frame.get("bytes") is not None:
                chunk = frame["bytes"]
                if len(chunk) > limit:
                    raise InputError("audio frame too large: send it in smaller chunks")
                if call.transcriber is None:
                    _count_message(limiter, client, settings)
                    raise InputError("send {\"type\": \"start\", \"audio\": {\"rate\": 16000, \"channels\": 1}} "
                                     "before audio")
                # Pace audio to live_audio_speed x real time after the first burst: when over, read more
                # slowly (the client's sends wait) rather than refuse speech from a call.
                now = time.monotonic()
                speed = settings.live_audio_speed
                audio_tokens = min(settings.live_audio_burst_seconds, audio_tokens + (now - audio_clock) * speed)
                audio_clock = now
                audio_tokens -= len(chunk) / call.bytes_per_second
                if audio_tokens < 0 and speed > 0:
                    await asyncio.sleep(-audio_tokens / speed)
                events = await asyncio.to_thread(call.audio, chunk)
            else:
                raw = frame.get("text") or ""
                _count_message(limiter, client, settings)
                if len(raw) > limit:
                    raise InputError("message too large")
                msg = loads_json(raw, settings.max_json_depth)
                if not isinstance(msg, dict):
                    raise InputError("send a JSON object with a 'type'")
                kind = msg.get("type")
                if kind == "start":
                    events = await asyncio.to_thread(call.start, msg)
                elif kind == "turn":
                    events = await asyncio.to_thread(call.turn, msg)
                elif kind == "end":
                    events = await asyncio.to_thread(call.end)
                else:
                    raise InputError("'type' must be start, turn or end")
        except _TooMany as exc:
            await sock.send({"type": "error", "status": 429, "retry_after": exc.wait,
                             "error": f"too many messages: at most {settings.live_messages_per_minute} a minute; "
                                      f"try again in {exc.wait} seconds"})
            continue
        except (json.JSONDecodeError, UnicodeDecodeError):
            await sock.send({"type": "error", "error": "not valid JSON"})
            continue
        except InputError as exc:
            await sock.send({"type": "error", "error": str(exc)})
            continue
        except HTTPException as exc:
            await sock.send({"type": "error", "status": exc.status_code, "error": str(exc.detail)})
            continue
        except Exception as exc:  # a bug: say so, once, without taking the server's log down with a traceback
            log.error("unhandled %s in a live call", type(exc).__name__)
            await sock.send({"type": "error", "status": 500, "error": "internal error"})
            await sock.close(1011)
            return
        for event in events:
            data = event.to_dict()
            kind = data.pop("event", event.kind)
            if kind == "update":
                data["verdict_detail"] = call.session.verdict.to_dict()
            await sock.send({"type": kind, **data})
            if kind == "final":
                await sock.close(1000)
                return


class _TooMany(Exception):
    def __init__(self, wait: int) -> None:
        self.wait = wait


def _count_message(limiter, client: str, settings) -> None:
    wait = limiter.allow(client, "live", settings.live_messages_per_minute)
    if wait:
        raise _TooMany(int(wait) + 1)
