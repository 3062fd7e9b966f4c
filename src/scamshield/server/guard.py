"""What stands between the network and the engine: body size, rate limits, API keys, and an access
log that records route templates only - never a phone number, a message or a key."""

from __future__ import annotations

import hmac
import json
import logging
import re
import threading
import time

from fastapi import HTTPException, Request
from fastapi.security import APIKeyHeader
from starlette.types import ASGIApp, Receive, Scope, Send

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
    Reads at most ``limit + 1`` bytes, so a huge or endless upload costs nothing."""

    def __init__(self, app: ASGIApp, limit: int, uploads: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = limit
        self.uploads = uploads or {}  # path -> a larger limit (recordings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.uploads.get(scope.get("path", ""), self.default)
        declared = dict(scope.get("headers") or {}).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > limit:
                await _too_large(send, limit)
                return
            chunks.append(body)
            more = message.get("more_body", False)
        replay = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def replay_receive():
            if replay:
                return replay.pop()
            return await receive()

        await self.app(scope, replay_receive, send)


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"error": f"request body too large: the limit is {limit} bytes", "detail": None}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """Token buckets per (client, kind): ``per_minute`` requests, refilled continuously."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, kind: str, per_minute: int) -> float:
        """0.0 when allowed, else the seconds to wait."""
        if per_minute <= 0:
            return 0.0
        now = time.monotonic()
        rate = per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get((client, kind), (float(per_minute), now))
            tokens = min(float(per_minute), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[(client, kind)] = (tokens - 1.0, now)
                if len(self._buckets) > 100_000:  # forget idle clients rather than grow without bound
                    self._buckets.clear()
                return 0.0
            self._buckets[(client, kind)] = (tokens, now)
            return (1.0 - tokens) / rate


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_rate(request: Request, kind: str) -> None:
    settings: Settings = request.app.state.settings
    per_minute = settings.write_rate_per_minute if kind == "write" else settings.rate_per_minute
    wait = request.app.state.limiter.allow(client_of(request), kind, per_minute)
    if wait:
        raise HTTPException(429, f"too many requests: try again in {int(wait) + 1} seconds",
                            headers={"Retry-After": str(int(wait) + 1)})


def find_key(settings: Settings, presented: str | None) -> ApiKey | None:
    if not presented:
        return None
    found = None
    for key, info in settings.api_keys.items():  # compare with every key in constant time
        if hmac.compare_digest(key.encode(), presented.encode()):
            found = info
    return found


def require_role(request: Request, presented: str | None, role: str) -> ApiKey:
    settings: Settings = request.app.state.settings
    if not presented:
        raise HTTPException(401, f"this needs an API key with the '{role}' role in the X-API-Key header",
                            headers={"WWW-Authenticate": "ApiKey"})
    info = find_key(settings, presented)
    if info is None:
        raise HTTPException(401, "the API key is not valid", headers={"WWW-Authenticate": "ApiKey"})
    if role == "admin" and info.role != "admin":
        raise HTTPException(403, "this needs an API key with the 'admin' role")
    return info
