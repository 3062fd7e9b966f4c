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
"""

from __future__ import annotations

import asyncio
import json

from fastapi import HTTPException, WebSocket, WebSocketDisconnect

from ..errors import InputError
from ..inputs import message_from_dict
from ..models import Message, Turn

CALLER_FIELDS = ("id", "sender", "recipient", "dialled", "identity", "verstat", "direction")


class LiveCall:
    """One socket's call: a CallSession, plus a recogniser when audio is streamed."""

    def __init__(self, app) -> None:
        self.app = app
        self.settings = app.state.settings
        self.session = None
        self.feeder = None
        self.transcriber = None

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
        from .routes_check import _engine

        if not isinstance(audio, dict):
            raise InputError("'audio' must be an object such as {\"rate\": 16000, \"channels\": 1}")
        if not features.has_transcription():
            raise HTTPException(501, "speech-to-text is not installed on this server")
        from ..calls.audio import PcmFeeder
        from ..calls.pipeline import CallTranscriber

        rate, channels = audio.get("rate", 16000), audio.get("channels", 1)
        if not isinstance(rate, int) or not isinstance(channels, int):
            raise InputError("audio 'rate' and 'channels' must be whole numbers")
        self.feeder = PcmFeeder(rate, channels, "int16")
        self.transcriber = CallTranscriber(_engine(self.app), channels)

    def turn(self, msg: dict) -> list:
        speaker, text = msg.get("speaker"), msg.get("text")
        if not isinstance(text, str) or not isinstance(speaker, str):
            raise InputError("a turn needs 'speaker' ('caller' or 'callee') and 'text'")
        if len(text) > self.settings.max_text_chars:
            raise InputError(f"a turn may have at most {self.settings.max_text_chars:,} characters")
        session = self._session()
        if session.turns >= self.settings.max_turns:
            raise InputError(f"a call may have at most {self.settings.max_turns} turns")
        return session.add_turn(Turn(speaker, text))

    def audio(self, chunk: bytes) -> list:
        """Recognise what the chunk completes; each finished utterance becomes a turn at once."""
        if self.transcriber is None:
            raise InputError("send {\"type\": \"start\", \"audio\": {\"rate\": 16000, \"channels\": 1}} before audio")
        with self.app.state.engine_lock:
            found = self.transcriber.feed(self.feeder.feed(chunk))
        return self._route(found)

    def end(self) -> list:
        events = []
        if self.transcriber is not None:
            with self.app.state.engine_lock:
                tail = self.feeder.flush()
                found = (self.transcriber.feed(tail) if len(tail) else []) + self.transcriber.finish()
            events = self._route(found)
        return [*events, self._session().finish()]

    def _route(self, transcripts: list) -> list:
        events = []
        for t in transcripts:
            events.append(t)
            if t.final and t.text.strip():
                events.extend(self._session().add_turn(Turn(t.speaker, t.text, t.start, t.end)))
        return events


async def serve(ws: WebSocket) -> None:
    from . import features

    await ws.accept()
    if not features.has_live_calls():
        await ws.send_json({"type": "error", "status": 501, "error": "live calls are not installed on this server"})
        await ws.close(code=1011)
        return
    call = LiveCall(ws.app)
    limit = ws.app.state.settings.max_body_bytes
    try:
        while True:
            frame = await ws.receive()
            if frame["type"] == "websocket.disconnect":
                return
            try:
                if frame.get("bytes") is not None:
                    if len(frame["bytes"]) > limit:
                        raise InputError("audio frame too large: send it in smaller chunks")
                    events = await asyncio.to_thread(call.audio, frame["bytes"])
                else:
                    raw = frame.get("text") or ""
                    if len(raw) > limit:
                        raise InputError("message too large")
                    msg = json.loads(raw)
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
            except json.JSONDecodeError:
                await ws.send_json({"type": "error", "error": "not valid JSON"})
                continue
            except InputError as exc:
                await ws.send_json({"type": "error", "error": str(exc)})
                continue
            except HTTPException as exc:
                await ws.send_json({"type": "error", "status": exc.status_code, "error": str(exc.detail)})
                continue
            for event in events:
                data = event.to_dict()
                kind = data.pop("event", event.kind)
                if kind == "update":
                    data["verdict_detail"] = call.session.verdict.to_dict()
                await ws.send_json({"type": kind, **data})
                if kind == "final":
                    await ws.close()
                    return
    except WebSocketDisconnect:
        return
