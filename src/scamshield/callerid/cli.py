"""CLI: ``scamshield number NUMBER`` explains one number; ``scamshield screen`` screens a call."""

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
    s.add_argument("--json", action="store_true", help="print machine-readable JSON")
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
    from .screening import screen_call

    out = out or sys.stdout
    decision = screen_call(
        _check(args.from_, "--from"),
        _check(args.to, "--to") if args.to else None,
        _check(args.identity, "--identity") if args.identity else None,
        _check(args.verstat, "--verstat") if args.verstat else None,
    )
    if args.json:
        json.dump(decision.to_dict(), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(f"{decision.action.upper()}\n")
        for reason in decision.reasons:
            out.write(f"  - {reason}\n")
        if decision.stir is not None:
            out.write(f"  signature: {decision.stir.status} ({decision.stir.explanation})\n")
    return 0


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
