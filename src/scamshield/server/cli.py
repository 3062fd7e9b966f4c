"""``scamshield serve``: the REST API and web page on one local port. Imports web libraries only when run."""

from __future__ import annotations

import argparse
import os
import socket

from ..errors import InputError
from ..reports.location import default_db, make_room

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="run the REST API and web page",
                              description="Run the REST API (/v1, /docs) and the web page on one port.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--db", metavar="URL", help="reports database: a SQLite file path or a SQLAlchemy URL such as "
                   "postgresql://user@host/db (default: ~/.local/share/scamshield/reports.sqlite3, or env SCAMSHIELD_DB)")
    p.add_argument("--no-db", action="store_true", help="run without a reports database (checking only)")
    p.add_argument("--demo", action="store_true", help="load demo reports into an empty database (its own file by default)")
    p.add_argument("--cors", metavar="ORIGIN", action="append", default=[],
                   help="allow browser pages from this origin to call the API (off by default; repeatable)")
    p.add_argument("--rate", type=int, default=120, metavar="N",
                   help="requests per minute per client address for checks and reads (default 120)")
    p.add_argument("--write-rate", type=int, default=30, metavar="N",
                   help="reports and feedback per minute per client address (default 30)")
    p.add_argument("--intel-needs-key", action="store_true",
                   help="campaigns, statistics and the blocklist need an admin key too")
    p.add_argument("--live-origin", metavar="ORIGIN", action="append", default=[],
                   help="let browser pages from ORIGIN open live calls (the server's own origin always may; "
                        "repeatable)")
    p.add_argument("--limit", metavar="NAME=VALUE", action="append", default=[],
                   help="set one of the limits listed in docs/api.md, e.g. max_recording_seconds=600 (repeatable)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="worker processes sharing the port (default 1; 0: one per core). Each worker keeps its "
                        "own rate limits, connection and live-call limits; a live call stays on one worker")
    p.set_defaults(func=cmd_serve)


def parse_limits(items: list[str]) -> dict[str, int | float]:
    """``--limit name=value`` pairs: numeric Settings fields only, checked and converted."""
    from dataclasses import fields

    from .settings import Settings

    numeric = {f.name: f.type for f in fields(Settings) if f.type in ("int", "float", int, float)}
    out: dict[str, int | float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in numeric:
            raise InputError(f"--limit {item!r}: write NAME=VALUE with NAME one of {', '.join(sorted(numeric))}")
        kind = int if numeric[name] in ("int", int) else float
        try:
            number = kind(value.strip())
        except ValueError:
            raise InputError(f"--limit {name}: {value.strip()!r} is not a {'whole ' if kind is int else ''}number") \
                from None
        if not number >= 0 or number in (float("inf"),):
            raise InputError(f"--limit {name}: must be a finite number, 0 or more")
        out[name] = number
    return out


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from . import create_app
    except ImportError as exc:
        raise InputError(f"the server needs the 'server' extra: pip install 'scamshield[server]' ({exc.name} missing)") \
            from None
    from .settings import ApiKey, Settings, new_key

    if not 0 <= args.port <= 65535:
        raise InputError("--port must be between 0 and 65535")
    workers = args.workers or (os.cpu_count() or 1)
    if not 1 <= workers <= 256:
        raise InputError("--workers must be between 0 (one per core) and 256")
    if workers > 1 and not hasattr(os, "fork"):
        raise InputError("--workers needs a system with fork(); run one server per port instead")
    db = None if args.no_db else (args.db or default_db(args.demo))
    if db:
        make_room(db)
    keys = Settings.keys_from_env()
    page_key = None
    notes = []
    if not keys:
        admin = new_key()
        keys[admin] = ApiKey("admin", "admin")
        notes.append(f"admin key for this run (reports list, feedback): {admin}")
        if args.host in LOOPBACK:
            page_key = new_key()
            keys[page_key] = ApiKey("web-page", "write")
            notes.append("the web page may submit reports (this computer only)")
        else:
            notes.append("set SCAMSHIELD_API_KEYS=name:write:KEY to let others submit reports")
    # On loopback, only accept requests addressed to this computer: a web page elsewhere that points
    # its own domain name at 127.0.0.1 (DNS rebinding) cannot read the lent report key.
    hosts = ("localhost", "127.0.0.1", "::1", "[::1]") if args.host in LOOPBACK else ()
    limits = {"rate_per_minute": args.rate, "write_rate_per_minute": args.write_rate, **parse_limits(args.limit)}
    settings = Settings(db_url=db, api_keys=keys, page_key=page_key, cors_origins=tuple(args.cors),
                        allowed_hosts=hosts, intel_needs_key=args.intel_needs_key, demo=args.demo,
                        live_origins=tuple(args.live_origin), **limits)
    sock = _bind(args.host, args.port, reuse_port=workers > 1)
    try:
        app = create_app(settings)
    except Exception as exc:  # a bad URL or an unreachable database: say so, no traceback
        sock.close()
        raise InputError(f"cannot open the reports database: {type(exc).__name__}: {str(exc).splitlines()[0]}") \
            from None
    host, port = sock.getsockname()[:2]
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    print(f"scamshield is running at http://{shown}:{port}/  (API docs: http://{shown}:{port}/docs; Ctrl+C to stop)", flush=True)
    if db:
        store = app.state.store
        print(f"reports database: {_safe_url(db)} ({store.count()} reports)", flush=True)
    for note in notes:
        print(note, flush=True)
    from .net import uvicorn_config

    if workers == 1:
        uvicorn.Server(uvicorn_config(app, settings)).run(sockets=[sock])
        return 0
    print(f"{workers} worker processes", flush=True)
    from .workers import serve_workers

    return serve_workers(app, settings, sock, workers)


def _bind(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets whose protocol says TCP, and
    # accepted sockets inherit the listening socket's. With protocol 0 every keep-alive response
    # waited ~40 ms (Nagle's algorithm meeting the client's delayed ACK).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if reuse_port:  # one listening socket per worker on the same port: the kernel spreads connections evenly
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if port:
            raise InputError(f"cannot listen on {host}:{port} ({exc.strerror}): is something else using it? "
                             "Try --port 0 for a free port") from None
        raise InputError(f"cannot listen on {host} ({exc.strerror})") from None
    sock.listen(1024)
    return sock


def _safe_url(url: str) -> str:
    """A database URL without its password."""
    if "://" in url and "@" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url
