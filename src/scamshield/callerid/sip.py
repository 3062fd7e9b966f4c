"""A SIP screening redirect server: every INVITE gets a caller-ID decision, over UDP.

Point a SIP proxy (Kamailio, OpenSIPS, Asterisk...) at it as a redirect server for incoming calls:

* **block** -> ``603 Decline`` with a ``Reason`` header: the proxy rejects the call;
* **allow** / **warn** -> ``302 Moved Temporarily`` back to the original Request-URI, so the proxy
  carries on routing. ``X-Scamshield-Action`` and ``X-Scamshield-Reason`` headers say what we
  found, so the proxy can, for example, put "Suspected scam" in front of the caller's name.

The caller is P-Asserted-Identity when present (the network's number), else From; ``Privacy: id``
or an anonymous URI means withheld. ``Identity`` (STIR/SHAKEN) and ``;verstat=`` are checked by
``screen_call``. This is deliberately minimal: a redirect server keeps no dialogs, so one UDP
datagram in gives one datagram out. Malformed datagrams are answered ``400`` when they have a request
line, and dropped otherwise.

    scamshield sip-screen --host 127.0.0.1 --port 5070
"""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from typing import Any

from .numbers import strip_uri
from .screening import ScreeningDecision, screen_call

MAX_DATAGRAM = 65_535
_COMPACT = {"f": "from", "t": "to", "v": "via", "i": "call-id", "m": "contact", "l": "content-length", "y": "identity"}
_COPY_TO_RESPONSE = {"via": "Via", "from": "From", "to": "To", "call-id": "Call-ID", "cseq": "CSeq"}
_LINE_LIMIT = 8192


@dataclass
class SipRequest:
    method: str
    uri: str
    headers: dict[str, list[str]] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None


def parse_request(data: bytes) -> SipRequest | None:
    """Parse a SIP request's start line and headers; None when it is not a SIP request at all."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    head = text.split("\r\n\r\n", 1)[0].split("\n\n", 1)[0]
    lines = head.replace("\r\n", "\n").split("\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("SIP/2.0") or not parts[0].isalpha():
        return None
    req = SipRequest(parts[0].upper(), parts[1])
    last: str | None = None
    for line in lines[1:]:
        if len(line) > _LINE_LIMIT:
            continue
        if line[:1] in (" ", "\t") and last:  # folded continuation line
            req.headers[last][-1] += " " + line.strip()
            continue
        name, sep, value = line.partition(":")
        if not sep:
            continue
        key = name.strip().lower()
        key = _COMPACT.get(key, key)
        req.headers.setdefault(key, []).append(value.strip())
        last = key
    return req


def caller_of(req: SipRequest) -> str | None:
    """The calling number as the network asserts it, or "withheld"."""
    privacy = (req.header("privacy") or "").lower()
    if "id" in [p.strip() for p in privacy.replace(",", ";").split(";")]:
        return "withheld"
    pai = req.header("p-asserted-identity")
    source = pai or req.header("from")
    if source is None:
        return None
    return source  # screen_call reads SIP URIs, name-addrs and ;verstat= itself


def _callee_of(req: SipRequest) -> str | None:
    to = req.header("to")
    return strip_uri(to) if to else strip_uri(req.uri)


def response_for(req: SipRequest, decision: ScreeningDecision | None, code: int, reason: str) -> bytes:
    lines = [f"SIP/2.0 {code} {reason}"]
    for name, label in _COPY_TO_RESPONSE.items():
        for value in req.headers.get(name, []):
            if name == "to" and ";tag=" not in value and code >= 200:
                value += ";tag=scamshield"
            lines.append(f"{label}: {value}")
    if decision is not None:
        lines.append(f"X-Scamshield-Action: {decision.action}")
        for flag in decision.findings:
            lines.append(f"X-Scamshield-Flag: {flag.flag}")
        for text in decision.reasons[:3]:
            lines.append(f"X-Scamshield-Reason: {_header_safe(text)}")
        if code == 603:
            first = _header_safe(decision.reasons[0]) if decision.reasons else "caller ID cannot be genuine"
            lines.append(f'Reason: SIP;cause=603;text="{first[:200]}"')
        if code == 302:
            lines.append(f"Contact: <{req.uri}>")
    lines.append("Server: scamshield")
    lines.append("Content-Length: 0")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def _header_safe(text: str) -> str:
    return " ".join(text.replace('"', "'").split())


def handle_datagram(data: bytes, *, screen: Any = screen_call) -> bytes | None:
    """The reply to one datagram, or None when there is nothing to say (ACK, junk)."""
    if len(data) > MAX_DATAGRAM:
        return None
    req = parse_request(data)
    if req is None:
        return None
    if req.method == "ACK":
        return None
    if req.method == "OPTIONS":
        return response_for(req, None, 200, "OK")
    if req.method != "INVITE":
        return response_for(req, None, 501, "Not Implemented")
    if not req.header("via") or not req.header("call-id") or not req.header("cseq"):
        return response_for(req, None, 400, "Bad Request")
    decision = screen(caller_of(req), _callee_of(req), req.header("identity"))
    if decision.action == "block":
        return response_for(req, decision, 603, "Decline")
    return response_for(req, decision, 302, "Moved Temporarily")


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        data, sock = self.request
        reply = handle_datagram(data)
        if reply is not None:
            sock.sendto(reply, self.client_address)


class SipScreeningServer(socketserver.ThreadingUDPServer):
    daemon_threads = True
    max_packet_size = MAX_DATAGRAM

    def __init__(self, host: str = "127.0.0.1", port: int = 5070) -> None:
        super().__init__((host, port), _Handler)

    def start_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="scamshield-sip", daemon=True)
        thread.start()
        return thread
