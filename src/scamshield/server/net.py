"""How ``scamshield serve`` runs uvicorn: connection limits that an ASGI app cannot set by itself.

uvicorn closes idle keep-alive connections, but a connection that has not finished sending a request's
headers - opened and left silent, or fed a byte every few seconds ("slowloris") - is held for ever
(issue 13). ``GuardedH11Protocol`` gives every request head a deadline: ``header_timeout`` seconds from
the moment the connection opens or the previous response ends; a head not complete by then closes the
connection. Slow bodies are answered 408 by ``guard.BodyLimit``; ``max_connections`` caps open
connections (beyond it uvicorn answers 503).
"""

from __future__ import annotations

import asyncio

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .settings import Settings


class GuardedH11Protocol(H11Protocol):
    header_timeout: float = 10.0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        if self._head_timer is None and self.header_timeout > 0:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_late)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _waiting_for_head(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _head_late(self) -> None:
        self._head_timer = None
        if self._waiting_for_head() and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        before = self.cycle
        super().data_received(data)
        if self.cycle is not before and self.cycle is not None:  # a request head arrived
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self._waiting_for_head():
            self._arm()  # the next request's head has the same deadline

    def handle_websocket_upgrade(self, event) -> None:
        self._disarm()
        super().handle_websocket_upgrade(event)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def protocol_for(settings: Settings) -> type[GuardedH11Protocol]:
    return type("ScamshieldHTTP", (GuardedH11Protocol,), {"header_timeout": settings.header_timeout})


def uvicorn_config(app, settings: Settings) -> uvicorn.Config:
    """The uvicorn configuration ``scamshield serve`` (and the tests that run a real server) use."""
    return uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        ws_max_size=settings.max_body_bytes,
        proxy_headers=False,
        server_header=False,
        http=protocol_for(settings),
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=5,
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
    )
