"""CLI: ``scamshield number NUMBER`` explains one number; ``scamshield screen`` screens a call by the same
policy as ``POST /v1/screen`` (``screening.screen``), with the reports database ``scamshield serve`` uses."""

from __future__ import annotations

import json
import sys
from typing import Any

from ..errors import InputError

MAX_ARG = 8192


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "number",
        help="explain what a phone number or caller ID is, and what it does (not) prove",
        description="Explain one phone number, caller ID or text sender, e.g. scamshield number +443002003300",
    )
    p.add_argument("number", help='the number as shown ("0300 200 3300", "+443002003300", "HMRC", "withheld")')
    p.add_argument("--sms", action="store_true", help="it is the sender of a text, not a caller")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.set_defaults(func=cmd_number)

    s = subparsers.add_parser(
        "screen",
        help="decide allow / warn / block for an incoming call (From, To, Identity, verstat)",
        description="Screen an incoming call the way a telephony integration would.",
    )
    s.add_argument("--from", dest="from_", required=True, help="the caller ID (From / P-Asserted-Identity)")
    s.add_argument("--to", help="the number called")
    s.add_argument("--identity", help="the SIP Identity header value (STIR/SHAKEN)")
    s.add_argument("--verstat", help="a carrier verdict such as TN-Validation-Passed-A")
    s.add_argument("--db", metavar="URL", help="reports database whose reports count against the number, as "
                   "scamshield serve's do (default: the one serve uses, when it exists: "
                   "~/.local/share/scamshield/reports.sqlite3, or env SCAMSHIELD_DB)")
    s.add_argument("--no-db", action="store_true", help="screen by caller ID alone, without reports")
    s.add_argument("--json", action="store_true", help="print machine-readable JSON (as POST /v1/screen answers)")
    s.set_defaults(func=cmd_screen)

    sip = subparsers.add_parser(
        "sip-screen",
        help="run a SIP redirect server that screens every INVITE (603 to block, 302 to continue)",
        description="Screen incoming SIP calls over UDP; see scamshield.callerid.sip.",
    )
    sip.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    sip.add_argument("--port", type=int, default=5070, help="UDP port (default 5070)")
    sip.set_defaults(func=cmd_sip_screen)


def _check(value: str, what: str) -> str:
    if len(value) > MAX_ARG:
        raise InputError(f"{what} is {len(value):,} characters; the limit is {MAX_ARG:,}")
    return value


def cmd_number(args: Any, out=None) -> int:
    from .explain import explain_number, format_explanation

    out = out or sys.stdout
    raw = _check(args.number, "the number")
    if not raw.strip():
        raise InputError('give a number to explain, e.g. scamshield number "0300 200 3300"')
    data = explain_number(raw, "sms" if args.sms else "call")
    if args.json:
        json.dump(data, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(format_explanation(data) + "\n")
    return 0


def cmd_screen(args: Any, out=None) -> int:
    from .screening import screen

    out = out or sys.stdout
    from_ = _check(args.from_, "--from")
    to = _check(args.to, "--to") if args.to else None
    identity = _check(args.identity, "--identity") if args.identity else None
    verstat = _check(args.verstat, "--verstat") if args.verstat else None
    store = None if getattr(args, "no_db", False) else _reports(getattr(args, "db", None))
    try:
        result = screen(from_, to, identity, verstat, reputation=store.reputation if store is not None else None)
    finally:
        if store is not None:
            store.close()
    if args.json:
        json.dump(result.to_dict(), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(f"{result.action.upper()}\n")
        for reason in result.reasons:
            out.write(f"  - {reason}\n")
        stir = result.callerid.stir
        if stir is not None:
            out.write(f"  signature: {stir.status} ({stir.explanation})\n")
    return 0


def _reports(db: str | None):
    """The reports store whose reports count against a caller: ``db``, else the default database when it
    exists (reports.location; nothing is created) and the ``server`` extra is installed; else None."""
    from ..reports.location import default_db, exists

    url = db or default_db()
    if not exists(url):
        if db:
            raise InputError(f"--db {db}: no such database")
        return None
    try:
        from ..reports.store import ReportStore
    except ImportError as exc:
        if db:
            raise InputError(f"reports need the 'server' extra: pip install 'scamshield[server]' ({exc.name} "
                             "missing)") from None
        return None
    try:
        return ReportStore.open(url)
    except Exception as exc:
        raise InputError(f"cannot open the reports database: {type(exc).__name__}: {str(exc).splitlines()[0]}") \
            from None


def cmd_sip_screen(args: Any, out=None) -> int:
    from .sip import SipScreeningServer

    out = out or sys.stdout
    if not 0 < args.port < 65536:
        raise InputError(f"--port must be between 1 and 65535 (got {args.port})")
    try:
        server = SipScreeningServer(args.host, args.port)
    except OSError as exc:
        raise InputError(f"cannot listen on {args.host}:{args.port} (UDP): {exc.strerror or exc}") from exc
    out.write(f"scamshield SIP screening on udp://{args.host}:{args.port} (Ctrl-C to stop)\n")
    out.flush()
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
