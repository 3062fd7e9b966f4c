"""Public endpoints: check a message or transcript, explain a number, screen a call, live calls."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Path, Request, UploadFile, WebSocket, WebSocketDisconnect

from ..errors import InputError
from ..inputs import message_from_dict
from ..models import Message, Turn
from . import features
from .app import VERSION
from .guard import check_rate
from .schemas import (
    ErrorOut,
    HealthOut,
    MessageIn,
    NumberOut,
    PageConfigOut,
    RecordingOut,
    ScreenIn,
    ScreenOut,
    VerdictOut,
)

ERRORS = {code: {"model": ErrorOut} for code in (400, 401, 403, 404, 413, 422, 429)}
router = APIRouter(prefix="/v1", responses=ERRORS)

WARN_FROM = 0.3  # screening: risk at which a call is let through with a warning


def _features(request: Request) -> dict:
    store = request.app.state.store
    return {
        "store": store.dialect if store is not None else None,
        "callerid": features.has_callerid(),
        "live_calls": features.has_live_calls(),
        "transcription": features.has_transcription(),
    }


@router.get("/health", response_model=HealthOut, tags=["service"])
def health(request: Request) -> dict:
    return {"status": "ok", "version": VERSION, "features": _features(request)}


@router.get("/config", response_model=PageConfigOut, tags=["service"],
            summary="What the web page needs: features, and a report key when the server lends one")
def page_config(request: Request) -> dict:
    settings = request.app.state.settings
    return {"features": _features(request), "report_key": settings.page_key,
            "intel_needs_key": settings.intel_needs_key}


def to_message(body: MessageIn, settings) -> Message:
    data = body.model_dump(exclude_none=True)
    if data.get("turns") and len(data["turns"]) > settings.max_turns:
        raise InputError(f"a call may have at most {settings.max_turns} turns")
    total = len(data.get("text", "")) + sum(len(t["text"]) for t in data.get("turns", []))
    if total > settings.max_text_chars:
        raise InputError(f"the message is {total:,} characters; the limit is {settings.max_text_chars:,}")
    return message_from_dict(data)


@router.post("/check", response_model=VerdictOut, tags=["check"],
             summary="Verdict on a text message or a call transcript")
def check(body: MessageIn, request: Request) -> dict:
    check_rate(request, "read")
    message = to_message(body, request.app.state.settings)
    return request.app.state.analyzer.analyze(message).to_dict()


@router.get("/numbers/{number}", response_model=NumberOut, tags=["check"],
            summary="Explain a phone number: what kind it is and how often it was reported")
def explain_number(request: Request, number: Annotated[str, Path(min_length=3, max_length=32)]) -> dict:
    check_rate(request, "read")
    import phonenumbers

    from ..reports.extract import e164

    num = e164(number)
    if num is None:
        raise HTTPException(422, "that is not a phone number")
    parsed = phonenumbers.parse(num)
    kind = phonenumbers.number_type(parsed)
    kind_name = next((k.lower() for k, v in vars(phonenumbers.PhoneNumberType).items() if v == kind
                      and not k.startswith("_")), None)
    store = request.app.state.store
    return {
        "number": num,
        "valid": phonenumbers.is_valid_number(parsed),
        "region": phonenumbers.region_code_for_number(parsed),
        "kind": kind_name,
        "reputation": store.reputation(num) if store is not None else None,
        "callerid": features.explain_number(num),
    }


def _screen(request: Request, body: ScreenIn) -> dict:
    from ..reports.extract import e164

    message = Message(channel="call", text="", sender=body.from_, recipient=body.to, identity=body.identity,
                      verstat=body.verstat)
    verdict = request.app.state.analyzer.analyze(message)
    reasons = [f.note or f.description for f in verdict.flags if f.weight > 0]
    if verdict.verdict == "scam":
        action = "block"
    elif verdict.verdict == "suspicious" or verdict.risk >= WARN_FROM:
        action = "warn"
    else:
        action = "allow"
    num = e164(body.from_)
    store = request.app.state.store
    return {
        "action": action,
        "reasons": reasons or ["Nothing about this caller ID is known to be wrong."],
        "risk": round(verdict.risk, 4),
        "flags": [f.to_dict() for f in verdict.flags],
        "number": num,
        "reputation": store.reputation(num) if (store is not None and num) else None,
    }


@router.post("/screen", response_model=ScreenOut, tags=["calls"],
             summary="Screen an incoming call from its caller ID: allow, warn or block, with reasons")
def screen(body: ScreenIn, request: Request) -> dict:
    check_rate(request, "read")
    return _screen(request, body)


@router.post("/screen/webhook", response_model=ScreenOut, tags=["calls"],
             summary="The same, for telephony webhooks posting form fields (Twilio: From, To, StirVerstat)")
def screen_webhook(
    request: Request,
    From: Annotated[str, Form(min_length=1, max_length=256)],
    To: Annotated[str | None, Form(max_length=256)] = None,
    Identity: Annotated[str | None, Form(max_length=8192)] = None,
    StirVerstat: Annotated[str | None, Form(max_length=64)] = None,
) -> dict:
    check_rate(request, "read")
    return _screen(request, ScreenIn(**{"from": From, "to": To, "identity": Identity, "verstat": StirVerstat}))


@router.post("/calls/recording", response_model=RecordingOut, tags=["calls"],
             responses={501: {"model": ErrorOut}},
             summary="Transcribe a call recording and mark the moment a scam alert would fire")
async def recording(request: Request, file: UploadFile) -> dict:
    check_rate(request, "write")
    if not features.has_transcription():
        raise HTTPException(501, "speech-to-text is not installed on this server (pip install 'scamshield[audio]')")
    data = await file.read()
    return await asyncio.to_thread(_transcribe, request.app.state.analyzer, data)


def _transcribe(analyzer, data: bytes) -> dict:
    import tempfile

    from ..calls import pipeline

    with tempfile.NamedTemporaryFile(suffix=".audio") as tmp:
        tmp.write(data)
        tmp.flush()
        result = pipeline.transcribe_recording(tmp.name, analyzer=analyzer)
    return result


@router.websocket("/calls/live")
async def live_call(ws: WebSocket) -> None:
    """A live call: send ``{"type": "start", "message": {...caller ID...}}`` (optional), then
    ``{"type": "turn", "speaker": "caller", "text": "..."}`` per turn, then ``{"type": "end"}``.
    Receive ``update`` after every turn, ``alert`` once when it tips, and ``final`` at the end."""
    await ws.accept()
    if not features.has_live_calls():
        await ws.send_json({"type": "error", "status": 501, "error": "live calls are not installed on this server"})
        await ws.close(code=1011)
        return
    from ..calls.session import CallSession

    app = ws.app
    settings = app.state.settings
    session = None
    try:
        while True:
            raw = await ws.receive_text()
            if len(raw) > settings.max_body_bytes:
                await ws.send_json({"type": "error", "error": "message too large"})
                continue
            try:
                msg = json.loads(raw)
                if not isinstance(msg, dict):
                    raise InputError("send a JSON object with a 'type'")
                kind = msg.get("type")
                if kind == "start":
                    if session is not None:
                        raise InputError("the call has already started")
                    caller = msg.get("message") or {}
                    if not isinstance(caller, dict):
                        raise InputError("'message' must be an object")
                    caller = {k: v for k, v in caller.items() if k in ("id", "sender", "recipient", "dialled",
                                                                     "identity", "verstat", "direction")}
                    message = message_from_dict({**caller, "channel": "call", "turns": [{"speaker": "caller",
                                                                                         "text": ""}]})
                    session = CallSession(Message(channel="call", **{k: getattr(message, k) for k in (
                        "id", "sender", "recipient", "dialled", "identity", "verstat", "direction")}),
                        analyzer=app.state.analyzer)
                    events = session.start()
                elif kind == "turn":
                    session = session or CallSession(analyzer=app.state.analyzer)
                    speaker, text = msg.get("speaker"), msg.get("text")
                    if not isinstance(text, str) or not isinstance(speaker, str):
                        raise InputError("a turn needs 'speaker' ('caller' or 'callee') and 'text'")
                    if len(text) > settings.max_text_chars:
                        raise InputError(f"a turn may have at most {settings.max_text_chars:,} characters")
                    if session.turns >= settings.max_turns:
                        raise InputError(f"a call may have at most {settings.max_turns} turns")
                    events = session.add_turn(Turn(speaker, text))
                elif kind == "audio":
                    raise InputError("audio over the live socket is not supported yet: send transcribed turns")
                elif kind == "end":
                    session = session or CallSession(analyzer=app.state.analyzer)
                    final = session.finish()
                    await ws.send_json({"type": "final", **final.to_dict()})
                    await ws.close()
                    return
                else:
                    raise InputError("'type' must be start, turn or end")
            except (json.JSONDecodeError, InputError) as exc:
                text = "not valid JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
                await ws.send_json({"type": "error", "error": text})
                continue
            for event in events:
                data = event.to_dict()
                kind = data.pop("event", event.kind)
                if kind == "update":
                    data["verdict_detail"] = session.verdict.to_dict()
                await ws.send_json({"type": kind, **data})
    except WebSocketDisconnect:
        return
