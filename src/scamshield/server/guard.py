"""What stands between the network and the engine: body size and time, rate limits, API keys, JSON
nesting, browser origins, and an access log that records route templates only - never a phone number, a
message or a key."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from fastapi.security import APIKeyHeader
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import InputError
from ..jsonsafe import too_deep
from .settings import ApiKey, Settings

log = logging.getLogger("scamshield.server")
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key (write or admin role).")

_DIGITS = re.compile(r"\+?\d[\d \-()]{6,}\d")


class RedactNumbers(logging.Filter):
    """Belt and braces: mask anything that looks like a phone number in a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        masked = _DIGITS.sub("[number]", msg)
        if masked != msg:
            record.msg, record.args = masked, ()
        return True


class BodyLimit:
    """ASGI middleware: refuse a request body over ``limit`` bytes with 413, before any handler runs.
    Reads at most ``limit + 1`` bytes, so a huge or endless upload costs nothing. A body that does not
    arrive within ``timeout`` seconds is answered 408 and the connection closed, so a client that sends
    its body slowly (or never) does not hold a request open. ``uploads`` gives some paths a larger limit
    and at most ``upload_slots`` such bodies in memory at once (more are answered 429)."""

    def __init__(self, app: ASGIApp, limit: int, uploads: dict[str, int] | None = None, timeout: float = 60.0,
                 upload_slots: int = 4) -> None:
        self.app = app
        self.default = limit
        self.uploads = uploads or {}  # path -> a larger limit (recordings)
        self.timeout = timeout
        self.upload_slots = upload_slots
        self.uploading = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = self.uploads.get(path, self.default)
        declared = dict(scope.get("headers") or {}).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _error(send, 413, f"request body too large: the limit is {limit} bytes")
            return
        upload = path in self.uploads
        if upload and self.uploading >= self.upload_slots:
            await _error(send, 429, "the server is busy with other uploads: try again in a minute",
                         [(b"retry-after", b"60")])
            return
        self.uploading += upload
        try:
            await self._read_then_run(scope, receive, send, limit)
        finally:
            self.uploading -= upload

    async def _read_then_run(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        chunks: list[bytes] = []
        size = 0
        more = True
        deadline = time.monotonic() + self.timeout
        while more:
            try:
                message = await asyncio.wait_for(receive(), max(0.0, deadline - time.monotonic()))
            except TimeoutError:
                await _error(send, 408, f"the request body did not arrive within {self.timeout:g} seconds",
                             [(b"connection", b"close")])
                return
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > limit:
                await _error(send, 413, f"request body too large: the limit is {limit} bytes")
                return
            chunks.append(body)
            more = message.get("more_body", False)
        replay = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]
        del chunks

        async def replay_receive():
            if replay:
                return replay.pop()
            return await receive()

        await self.app(scope, replay_receive, send)


async def _error(send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"error": text, "detail": None}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """Token buckets per (client, kind): ``per_minute`` requests, refilled continuously."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, kind: str, per_minute: float, cost: float = 1.0, consume: bool = True) -> float:
        """0.0 when allowed (and, with ``consume``, ``cost`` tokens taken), else the seconds to wait."""
        if per_minute <= 0:
            return 0.0
        now = time.monotonic()
        rate = per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get((client, kind), (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - last) * rate)
            if tokens >= cost:
                self._buckets[(client, kind)] = (tokens - cost if consume else tokens, now)
                if len(self._buckets) > 100_000:  # forget idle clients rather than grow without bound
                    self._buckets.clear()
                return 0.0
            self._buckets[(client, kind)] = (tokens, now)
            return (cost - tokens) / rate


def too_many(wait: float, what: str = "requests") -> HTTPException:
    return HTTPException(429, f"too many {what}: try again in {int(wait) + 1} seconds",
                         headers={"Retry-After": str(int(wait) + 1)})


def client_of(request) -> str:
    """The client's address (a Request or a WebSocket); the rate limits and caps are per address."""
    return request.client.host if request.client else "unknown"


def check_rate(request: Request, kind: str) -> None:
    """Count a request against its client's bucket; 429 when empty. Called before anything else a
    route does, API key checks included, so guessing keys is slowed like everything else."""
    settings: Settings = request.app.state.settings
    per_minute = settings.write_rate_per_minute if kind == "write" else settings.rate_per_minute
    wait = request.app.state.limiter.allow(client_of(request), kind, per_minute)
    if wait:
        raise too_many(wait)


def find_key(settings: Settings, presented: str | None) -> ApiKey | None:
    if not presented:
        return None
    found = None
    for key, info in settings.api_keys.items():  # compare with every key in constant time
        if hmac.compare_digest(key.encode(), presented.encode()):
            found = info
    return found


def require_role(request: Request, presented: str | None, role: str) -> ApiKey:
    """The presented key's name and role, or 401/403. A client that has sent
    ``auth_failures_per_minute`` wrong keys gets 429 for every key, right or wrong, until its bucket
    refills: a key cannot be guessed at more than that rate."""
    settings: Settings = request.app.state.settings
    if not presented:
        raise HTTPException(401, f"this needs an API key with the '{role}' role in the X-API-Key header",
                            headers={"WWW-Authenticate": "ApiKey"})
    limiter: RateLimiter = request.app.state.limiter
    client = client_of(request)
    wait = limiter.allow(client, "auth-failure", settings.auth_failures_per_minute, consume=False)
    if wait:
        raise too_many(wait, "wrong API keys")
    info = find_key(settings, presented)
    if info is None:
        limiter.allow(client, "auth-failure", settings.auth_failures_per_minute)
        raise HTTPException(401, "the API key is not valid", headers={"WWW-Authenticate": "ApiKey"})
    if role == "admin" and info.role != "admin":
        raise HTTPException(403, "this needs an API key with the 'admin' role")
    return info


# ----------------------------------------------------------------------------- JSON nesting

def loads_json(text: str, max_depth: int) -> Any:
    """``json.loads`` that answers deep nesting with an InputError (the scan is ``jsonsafe.too_deep``);
    invalid JSON raises ValueError."""
    if too_deep(text, max_depth):
        raise InputError(f"the JSON is nested more than {max_depth} levels deep")
    return json.loads(text)


# ----------------------------------------------------------------------------- browser origins

def _origin_of(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", "ws", "wss") or not parts.hostname:
        return None
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return scheme, parts.hostname.lower(), port or (443 if scheme == "https" else 80)


def origin_allowed(origin: str | None, host: str | None, scheme: str, settings: Settings) -> bool:
    """May a browser page from ``origin`` open a live call? Clients that are not browsers send no
    Origin and may. A page may when it is the server's own - its origin names the host the request was
    sent to (the Host header), on that port, or on its scheme's default port when the Host header names
    none, as behind a TLS proxy - or is listed in ``live_origins`` or ``cors_origins``. The opaque
    origin "null" (sandboxed frames, local files) never may."""
    if origin is None:
        return True
    origin = origin.strip()
    if not origin or origin.lower() == "null":
        return False
    got = _origin_of(origin)
    if got is None:
        return False
    for listed in (*settings.live_origins, *settings.cors_origins):
        if listed == "*" or _origin_of(listed) == got:
            return True
    if not host:
        return False
    try:
        parts = urlsplit(f"//{host}")
        host_name, host_port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return False
    _scheme, name, port = got
    if name != host_name:
        return False
    if host_port is not None:
        return port == host_port
    return port == (443 if _scheme == "https" else 80)
