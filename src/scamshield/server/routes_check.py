"""Public endpoints: check a message or transcript, explain a number, screen a call, live calls."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Path, Request, Response, UploadFile, WebSocket

from .. import __version__
from ..jsonsafe import fast_dumps
from ..models import Message
from . import features
from .common import ERRORS, to_message
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

router = APIRouter(prefix="/v1", responses=ERRORS)


def _json(body: dict) -> Response:
    """The answer written directly (orjson where installed: a few microseconds, where FastAPI's own path -
    checking it against the response model, then json - takes about 0.3 ms)."""
    return Response(fast_dumps(body), media_type="application/json")


def _features(request: Request) -> dict:
    store = request.app.state.store
    return {
        "store": store.dialect if store is not None else None,
        "callerid": True,  # always part of scamshield; kept in the answer for clients that read it
        "live_calls": True,
        "transcription": features.has_transcription(),
    }


# Health and config are async: they answer on the event loop itself, never queued behind busy worker
# threads, so a monitor sees the server alive however loaded it is.
@router.get("/health", response_model=HealthOut, tags=["service"])
async def health(request: Request) -> dict:
    return {"status": "ok", "version": __version__, "features": _features(request)}


@router.get("/config", response_model=PageConfigOut, tags=["service"],
            summary="What the web page needs: features, and a report key when the server lends one")
async def page_config(request: Request) -> dict:
    settings = request.app.state.settings
    return {"features": _features(request), "report_key": settings.page_key,
            "intel_needs_key": settings.intel_needs_key}


@router.post("/check", response_model=VerdictOut, tags=["check"],
             summary="Verdict on a text message or a call transcript")
async def check(body: MessageIn, request: Request) -> dict:
    check_rate(request, "read")
    message = to_message(body, request.app.state.settings)
    # One analysis thread per worker process, first come first served: many threads would only take
    # turns at the interpreter lock and stretch every request's latency (the event loop stays free).
    loop = asyncio.get_running_loop()
    verdict = await loop.run_in_executor(request.app.state.check_pool, request.app.state.analyzer.analyze, message)
    # VerdictOut still documents the answer (the schema tests check every response against it)
    return _json(verdict.to_dict())


@router.get("/numbers/{number}", response_model=NumberOut, tags=["check"],
            summary="Explain a phone number: what kind it is and how often it was reported")
def explain_number(request: Request, number: Annotated[str, Path(min_length=3, max_length=32)]) -> dict:
    check_rate(request, "read")
    from ..callerid.explain import explain_number as explain
    from ..callerid.numbers import parse_number
    from ..reports.extract import e164

    num = e164(number)
    if num is None:
        raise HTTPException(422, "that is not a phone number")
    info = parse_number(num)
    store = request.app.state.store
    return {
        "number": num,
        "valid": info.valid,
        "region": info.region,
        "kind": info.number_type,
        "reputation": store.reputation(num) if store is not None else None,
        "callerid": explain(num),
    }


def _screen(request: Request, body: ScreenIn) -> dict:
    """The one screening policy (callerid.screening.screen), with this server's reports when it has them."""
    from ..callerid.screening import screen

    store = request.app.state.store
    return screen(body.from_, body.to, body.identity, body.verstat,
                  reputation=store.reputation if store is not None else None).to_dict()


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
    """Limits (settings): the upload size (413, before the body is read), the duration (413, from the
    file's header before any decoding, and again while decoding), the work time (422), and the number
    of recordings at once (429). Work stops when the client disconnects. The speech engine serves
    live calls first."""
    check_rate(request, "write")
    if not features.has_transcription():
        raise HTTPException(501, "speech-to-text is not installed on this server (pip install 'scamshield[audio]')")
    from .speech import Budget

    app = request.app
    settings = app.state.settings
    upload = file.file
    info = await asyncio.to_thread(_probe, upload, settings)
    budget = Budget(settings.recording_work_seconds)
    job = app.state.recordings.submit(_transcribe, app, upload, info, budget)
    if job is None:
        raise HTTPException(429, "the server is busy with other recordings: try again in a minute",
                            headers={"Retry-After": "60"})
    return await _finish(request, asyncio.wrap_future(job), budget)


async def _finish(request: Request, job: asyncio.Future, budget) -> dict:
    """The job's result; when the client disconnects first, cancel the job (and wait for it to stop,
    since it reads the uploaded file)."""
    from .speech import Cancelled

    while True:
        done, _ = await asyncio.wait({job}, timeout=0.5)
        if done:
            break
        if await request.is_disconnected():
            budget.cancel()
            await asyncio.wait({job})
            break
    try:
        return job.result()
    except Cancelled:
        raise HTTPException(400, "the client disconnected before the recording was processed") from None


LABEL = "the recording"  # what errors call the upload: never the server's temporary file


def _probe(upload, settings):
    """Check the upload from its header alone: readable audio, a usable format, not too long."""
    from ..calls.audio import AudioTooLong, probe

    try:
        return probe(upload, label=LABEL, max_seconds=settings.max_recording_seconds)
    except AudioTooLong as exc:
        raise HTTPException(413, str(exc)) from None


def _transcribe(app, upload, info, budget) -> dict:
    """Run a recording through the live-call pipeline: the alert lands where it would on a real call.
    Runs on a recording worker thread."""
    from ..calls.audio import AudioTooLong, read_blocks
    from ..calls.pipeline import CallTranscriber, listen
    from ..calls.session import CallSession
    from .speech import UPLOAD, GatedEngine, shared_engine

    settings = app.state.settings
    budget.check()
    engine = GatedEngine(shared_engine(app), app.state.speech_gate, UPLOAD, budget)
    session = CallSession(Message(channel="call"), analyzer=app.state.analyzer)
    transcriber = CallTranscriber(engine, info.channels)
    turns, alerts, final = [], [], None
    blocks = budget.watch(read_blocks(upload, label=LABEL, max_seconds=settings.max_recording_seconds))
    try:
        for event in listen(blocks, transcriber, session):
            if event.kind == "transcript" and event.final:
                turns.append({"speaker": event.speaker, "text": event.text, "start": event.start, "end": event.end})
            elif event.kind == "alert":
                alerts.append(event.to_dict())
            elif event.kind == "final":
                final = event
    except AudioTooLong as exc:
        raise HTTPException(413, str(exc)) from None
    alert = next((a for a in alerts if a["level"] == "scam"), alerts[0] if alerts else None)
    return {"turns": turns, "alert": alert, "verdict": final.verdict.to_dict()}


@router.websocket("/calls/live")
async def live_call(ws: WebSocket) -> None:
    """A live call over WebSocket: transcribed turns or raw audio in, updates and alerts out
    (protocol in ``server/live.py`` and docs/api.md)."""
    from .live import serve

    await serve(ws)
