"""How ``scamshield serve`` runs uvicorn: connection limits that an ASGI app cannot set by itself.

uvicorn closes idle keep-alive connections, but a connection that has not finished sending a request's
headers - opened and left silent, or fed a byte every few seconds ("slowloris") - is held for ever
(issue 13), and so is one whose client stops reading a response (uvicorn waits for the socket to drain).

* The guarded protocols (h11 or httptools) give every request head a deadline: ``header_timeout`` seconds from the
  moment the connection opens or the previous response ends; a head not complete by then drops the
  connection. Writing a response waits at most ``send_timeout`` seconds for a client that does not read.
* ``guarded_websocket_protocol`` drops a WebSocket a few seconds after its handler has finished, even
  when the client reads nothing (asyncio would otherwise wait for ever to flush what is buffered).
* Slow bodies are answered 408 by ``guard.BodyLimit``; ``max_connections`` caps open connections and
  requests (beyond it uvicorn answers 503).

Speed: the HTTP parser is httptools and the event loop uvloop when they are installed (the ``server``
extra installs both; h11 and asyncio's own loop otherwise), with the same guards on either parser.
Every limit here is per worker process when ``scamshield serve --workers N`` runs several.
"""

from __future__ import annotations

import asyncio
import socket
import struct

import uvicorn
from uvicorn.protocols.http.flow_control import FlowControl
from uvicorn.protocols.http.h11_impl import H11Protocol

from .settings import Settings


def drop(transport: asyncio.BaseTransport) -> None:
    """Drop a connection now: a reset, and whatever is still queued for the client thrown away (a plain
    close would leave the kernel trying to deliver it to a client that is not reading)."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except (OSError, ValueError):  # already closed (uvloop's stand-in socket then has no descriptor)
            pass
    transport.abort()


class _TimedFlowControl(FlowControl):
    """uvicorn's write flow control, but a client that reads nothing for ``timeout`` seconds is dropped."""

    def __init__(self, transport: asyncio.Transport, timeout: float, protocol=None) -> None:
        super().__init__(transport)
        self.timeout = timeout
        self.protocol = protocol

    async def drain(self) -> None:
        try:
            await asyncio.wait_for(self._is_writable_event.wait(), self.timeout)
        except TimeoutError:
            drop(self._transport)  # connection_lost follows: the response is abandoned quietly
            # Mark the request disconnected now, so the response's next write is skipped (connection_lost
            # does it too, but later; uvloop, unlike asyncio, raises on a write to a closed transport).
            proto = self.protocol
            cycles = [getattr(proto, "cycle", None), getattr(proto, "running_cycle", None),
                      *(c for c, _ in getattr(proto, "pipeline", ()))]
            for cycle in cycles:
                if cycle is not None:
                    cycle.disconnected = True


class _Guarded:
    """The request-head deadline and write timeout, on top of either of uvicorn's HTTP protocols."""

    header_timeout: float = 10.0
    send_timeout: float = 30.0

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
        if self._waiting_for_head():
            # drop, not close: close() would wait for ever for a client that reads nothing
            drop(self.transport)

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.flow = _TimedFlowControl(transport, self.send_timeout, self)
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

    def handle_websocket_upgrade(self, *args) -> None:
        self._disarm()
        super().handle_websocket_upgrade(*args)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


class GuardedH11Protocol(_Guarded, H11Protocol):
    pass


def _httptools_protocol() -> type | None:
    try:
        import httptools  # noqa: F401
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return None

    class GuardedHttpToolsProtocol(_Guarded, HttpToolsProtocol):
        running_cycle = None  # the pipelined request being answered (``cycle`` is the newest one read)

        def _start_asgi_task(self, cycle, app) -> None:
            self.running_cycle = cycle
            super()._start_asgi_task(cycle, app)

    return GuardedHttpToolsProtocol


def protocol_for(settings: Settings, parser: str = "auto") -> type:
    """The guarded HTTP protocol: httptools when installed (``parser="auto"``), else h11."""
    base = _httptools_protocol() if parser in ("auto", "httptools") else None
    if base is None:
        if parser == "httptools":
            raise RuntimeError("httptools is not installed")
        base = GuardedH11Protocol
    return type("ScamshieldHTTP", (base,),
                {"header_timeout": settings.header_timeout, "send_timeout": settings.send_timeout})


def event_loop() -> str:
    """uvloop when installed, else asyncio's own loop."""
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


def guarded_websocket_protocol(linger: float = 2.0):
    """uvicorn's WebSocket protocol, dropping the connection ``linger`` seconds after the handler ends
    (after a normal close handshake the connection is long gone by then)."""
    from uvicorn.protocols.websockets.auto import AutoWebSocketsProtocol

    if AutoWebSocketsProtocol is None:  # no WebSocket library: uvicorn refuses upgrades itself
        return "none"

    class GuardedWebSocketProtocol(AutoWebSocketsProtocol):  # type: ignore[misc, valid-type]
        async def run_asgi(self) -> None:
            try:
                await super().run_asgi()
            finally:
                self.loop.call_later(linger, drop, self.transport)

    return GuardedWebSocketProtocol


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
        loop=event_loop(),
        ws=guarded_websocket_protocol(),
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=5,
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
    )
