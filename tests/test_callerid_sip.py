"""The SIP screening redirect server: parsing, replies, and a real SIPp call over loopback."""

import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from scamshield.callerid.sip import SipScreeningServer, caller_of, handle_datagram, parse_request

VECTORS = Path(__file__).resolve().parents[1] / ".." / "shared" / "testvectors" / "stir-shaken"


def invite(from_="sip:+443002003300@gw.example", extra="", compact=False):
    f, t, v, i = ("f", "t", "v", "i") if compact else ("From", "To", "Via", "Call-ID")
    return (
        "INVITE sip:+447700123456@screen.example SIP/2.0\r\n"
        f"{v}: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1\r\n"
        f"{f}: <{from_}>;tag=abc\r\n"
        f"{t}: <sip:+447700123456@screen.example>\r\n"
        f"{i}: call-1@127.0.0.1\r\n"
        "CSeq: 1 INVITE\r\n"
        f"{extra}"
        "Content-Length: 0\r\n\r\n"
    ).encode()


def status(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


CASES = [
    (invite(), 603, b"X-Scamshield-Flag: CLI_INBOUND_ONLY"),
    (invite(compact=True), 603, b"HMRC never rings"),
    (invite("sip:+12025550123@gw.example"), 302, b"X-Scamshield-Action: allow"),
    (invite("sip:+12025550123@gw.example", "P-Asserted-Identity: <sip:999@gw.example>\r\n"), 603, b"CLI_SHORT_CODE"),
    (invite("sip:+12025550123@gw.example", "Privacy: id\r\n"), 302, b"X-Scamshield-Action: warn"),
    (invite("sip:anonymous@anonymous.invalid"), 302, b"CLI_WITHHELD"),
    (invite("sip:+12025550123@gw.example;verstat=TN-Validation-Failed"), 302, b"STIR_FAILED"),
    (invite("sip:+12025550123@gw.example", "Identity: abc.def\r\n"), 302, b"STIR_FAILED"),
    (invite("sip:+447700900123@gw.example"), 603, b"drama"),
]


@pytest.mark.parametrize(("data", "code", "words"), CASES)
def test_handle_invite(data, code, words):
    reply = handle_datagram(data)
    assert status(reply) == code
    assert words in reply
    assert b"Call-ID: call-1@127.0.0.1" in reply and b"CSeq: 1 INVITE" in reply
    assert b";tag=scamshield" in reply
    if code == 302:
        assert b"Contact: <sip:+447700123456@screen.example>" in reply


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", None),
        (b"\xff\xfe\x00garbage", None),
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", None),
        (b"ACK sip:x@y SIP/2.0\r\nVia: x\r\n\r\n", None),
        (b"OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP a\r\nCall-ID: 1\r\nCSeq: 1 OPTIONS\r\n\r\n", 200),
        (b"BYE sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP a\r\nCall-ID: 1\r\nCSeq: 2 BYE\r\n\r\n", 501),
        (b"INVITE sip:x@y SIP/2.0\r\nFrom: <sip:+443002003300@x>\r\n\r\n", 400),
        (b"INVITE sip:x@y SIP/2.0\r\n" + b"X-Long: " + b"a" * 70_000 + b"\r\n\r\n", None),
    ],
)
def test_other_and_malformed_datagrams(data, expected):
    reply = handle_datagram(data)
    assert (status(reply) if reply else None) == expected


def test_caller_prefers_the_network_asserted_identity():
    req = parse_request(invite("sip:+12025550123@x", "P-Asserted-Identity: <sip:+443002003300@x>\r\n"))
    assert "+443002003300" in caller_of(req)


def _serve():
    server = SipScreeningServer("127.0.0.1", 0)
    server.start_background()
    return server, server.server_address[1]


def test_over_udp_loopback():
    server, port = _serve()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(5)
            s.sendto(invite(), ("127.0.0.1", port))
            reply, _ = s.recvfrom(65535)
        assert status(reply) == 603
    finally:
        server.shutdown()
        server.server_close()


SCENARIO = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="scamshield screening">
  <send>
    <![CDATA[
      INVITE sip:447700123456@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:{caller}@[local_ip]>;tag=[call_number]
      To: <sip:447700123456@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:{caller}@[local_ip]:[local_port]>
      P-Asserted-Identity: <sip:{caller}@[local_ip]>
      {identity}
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <recv response="{code}">
    <action>
      <ereg regexp="X-Scamshield-Action: {action}" search_in="msg" check_it="true" assign_to="1"/>
    </action>
  </recv>
  <Reference variables="1" />
  <send>
    <![CDATA[
      ACK sip:447700123456@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:{caller}@[local_ip]>;tag=[call_number]
      To: <sip:447700123456@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Content-Length: 0

    ]]>
  </send>
</scenario>
"""


def _own_identity():
    path = VECTORS / "own" / "identity_attestC_iat1735689600.txt"
    if not path.exists():
        pytest.skip(f"shared STIR/SHAKEN vectors not found at {VECTORS}")
    return "Identity: " + path.read_text().strip()


@pytest.mark.skipif(shutil.which("sipp") is None, reason="SIPp (Debian package sip-tester) is not installed")
@pytest.mark.parametrize(
    ("caller", "identity", "code", "action"),
    [
        ("+443002003300", "", 603, "block"),  # the seed spoof, from a real SIP stack
        ("+12025550123", "", 302, "allow"),
        ("+443002003300", "IDENTITY", 603, "block"),  # a (stale) signed token does not rescue it
        ("+12025550123", "IDENTITY", 302, "warn"),  # token is stale and for another number
    ],
)
def test_real_sipp_call(tmp_path, caller, identity, code, action):
    ident = _own_identity() if identity else ""
    scenario = tmp_path / "uac.xml"
    scenario.write_text(SCENARIO.format(caller=caller, identity=ident, code=code, action=action))
    server, port = _serve()
    try:
        r = subprocess.run(
            ["sipp", "-sf", str(scenario), "-m", "1", "-i", "127.0.0.1", "-p", "0", "-timeout", "10s",
             "-timeout_error", "-nostdin", "-trace_err", "-error_file", str(tmp_path / "err.log"),
             f"127.0.0.1:{port}"],
            capture_output=True, timeout=30, cwd=tmp_path,
        )
        err = (tmp_path / "err.log").read_text() if (tmp_path / "err.log").exists() else ""
        assert r.returncode == 0, (r.returncode, err[-2000:], r.stdout[-2000:])
    finally:
        server.shutdown()
        server.server_close()
