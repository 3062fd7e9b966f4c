"""``create_app(settings)``: the FastAPI application. Routes live in ``routes_*.py`` under /v1."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import InputError
from .guard import BodyLimit, RateLimiter, RedactNumbers, log
from .settings import Settings
from .speech import RecordingPool, SpeechGate

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="scamshield",
        version=__version__,
        description=(
            "Explained scam verdicts for texts, call transcripts and caller ID; scam reports grouped into "
            "campaigns; number reputation and blocklists. Reading a verdict needs no key; writing reports "
            "needs a 'write' key and the admin views an 'admin' key, both in the X-API-Key header."
        ),
        docs_url=None,  # /docs is served offline by routes_page
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.limiter = RateLimiter()
    app.state.store = _open_store(settings)
    from ..detectors.multimatch import compile_at_start

    compile_at_start()  # the red-flag patterns' database compiles at start (before workers fork), not mid-request
    app.state.analyzer = _analyzer(app.state.store)
    app.state.engine = None  # the speech recogniser, loaded on the first recording or audio call
    app.state.engine_lock = threading.Lock()  # held while the engine loads
    app.state.speech_gate = SpeechGate()  # one utterance at a time, live calls first
    app.state.recordings = RecordingPool(settings.recording_workers, settings.recording_queue)
    app.state.live_calls = {}  # client address -> open live calls
    # checks run here, in order (threads start on first use, so a forked worker starts its own)
    app.state.check_pool = ThreadPoolExecutor(1, thread_name_prefix="scamshield-check")
    _setup_logging()

    from . import routes_check, routes_page, routes_reports

    app.include_router(routes_check.router)
    app.include_router(routes_reports.router)
    routes_page.install(app)  # the page's data and the offline /docs

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse({"error": "the body is not valid JSON", "detail": None}, status_code=400)
        parts = []
        for e in errors[:5]:
            where = ".".join(str(p) for p in e.get("loc", ()) if p != "body")
            parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        detail = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg")), "type": str(e.get("type"))}
                  for e in errors[:20]]
        return JSONResponse({"error": "invalid request: " + "; ".join(parts), "detail": detail}, status_code=422)

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"error": str(exc), "detail": None}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:  # list every method of the path, not just the first route's
            methods = set()
            for route in app.routes:
                regex = getattr(route, "path_regex", None)
                if regex is not None and regex.match(request.url.path):
                    methods |= set(getattr(route, "methods", None) or ())
            headers["Allow"] = ", ".join(sorted(methods - {"HEAD"}))
        return JSONResponse({"error": str(exc.detail), "detail": None}, status_code=exc.status_code,
                            headers=headers or None)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled %s on %s", type(exc).__name__, _route(request))
        return JSONResponse({"error": "internal error", "detail": None}, status_code=500)

    @app.get("/", include_in_schema=False)
    async def _index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/v1", include_in_schema=False)
    async def _v1() -> RedirectResponse:
        return RedirectResponse("/docs")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.openapi = lambda: _openapi(app)
    app.add_middleware(AccessLog)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Content-Type", "X-API-Key"])
    if settings.allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes,
                       uploads={"/v1/calls/recording": settings.max_upload_bytes}, timeout=settings.body_timeout,
                       upload_slots=settings.recording_workers + settings.recording_queue)
    return app


CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
       "frame-ancestors 'none'")


class AccessLog:
    """ASGI middleware: security headers on every response, and one log line per request with the
    route template, status and time (a plain ASGI middleware, so a client's disconnect reaches the
    route, which stops work for it)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        path = scope.get("path", "")

        async def send_with_headers(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                if path.startswith("/v1/") or path == "/":
                    headers.setdefault("Content-Security-Policy", CSP)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            log.info("%s %s %d %.1fms", scope.get("method"), _route_of(scope), status,
                     (time.perf_counter() - started) * 1000)


# Intelligence views take a key only when the server is set to require one: say so in the schema.
OPTIONAL_KEY = ("/v1/campaigns", "/v1/campaigns/{campaign_id}", "/v1/blocklist", "/v1/stats")


def _openapi(app: FastAPI) -> dict:
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        if not app.state.settings.intel_needs_key:
            for path in OPTIONAL_KEY:
                for op in spec["paths"].get(path, {}).values():
                    op["security"] = [{}, *op.get("security", [])]
        app.openapi_schema = spec
    return app.openapi_schema


def _route(request: Request) -> str:
    return _route_of(request.scope)


def _route_of(scope) -> str:
    """The route template (/v1/numbers/{number}), never the concrete path with a number in it."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path:
        return path
    return "/static/*" if scope.get("path", "").startswith("/static/") else "(unmatched)"


def _open_store(settings: Settings):
    if not settings.db_url:
        return None
    from ..reports.store import ReportStore

    store = ReportStore.open(settings.db_url)
    if settings.demo and store.count(status=None) == 0:
        from ..reports.demo import load_demo

        load_demo(store)
    return store


def _analyzer(store):
    from ..analyzer import Analyzer

    if store is None:
        return Analyzer.default()
    from ..reports.reputation import ReputationDetector

    return Analyzer.build(extra_detectors=[ReputationDetector(store)])


def _setup_logging() -> None:
    for name in ("scamshield.server", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactNumbers) for f in logger.filters):
            logger.addFilter(RedactNumbers())
