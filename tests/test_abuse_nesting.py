"""Issue 13, nesting: a PASSporT nested 1,000 deep was a 500 on /v1/screen and /v1/screen/webhook and a
traceback in ``scamshield screen --identity``; a deeply nested live-call frame dropped the socket with no
close frame. Each is now a clear answer: the token is malformed (a reason to warn, like any damaged
token), and the live call gets an error frame and goes on."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from abuse_helpers import nested, nested_passport
from conftest_service import settings
from scamshield.cli import main
from scamshield.jsonsafe import too_deep as json_too_deep
from scamshield.server import create_app
from scamshield.server.guard import loads_json

pytest.importorskip("jwt", reason="the 'stir' extra (pyjwt) is not installed")


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(settings(None)), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("depth", [100, 1_000, 2_500])
def test_nested_passport_on_screen_is_a_clear_answer_not_a_500(client, depth):
    r = client.post("/v1/screen", json={"from": "+442071234567", "to": "+447700900001",
                                        "identity": nested_passport(depth)})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["action"] in ("warn", "block") and "nested more than" in " ".join(out["reasons"])
    assert out["callerid"]["stir"]["reason"] == "malformed_json"


def test_nested_passport_on_the_webhook_is_a_clear_answer_not_a_500(client):
    r = client.post("/v1/screen/webhook", data={"From": "+442071234567", "To": "+447700900001",
                                                "Identity": nested_passport(1_000)})
    assert r.status_code == 200, r.text
    assert "nested more than" in " ".join(r.json()["reasons"])


def test_nested_passport_on_the_command_line_is_no_traceback(capsys):
    code = main(["screen", "--from", "+442071234567", "--identity", nested_passport(1_000), "--no-db"])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in out + err
    assert "WARN" in out or "BLOCK" in out
    assert "nested more than" in out


def test_deeply_nested_live_frame_gets_an_error_frame_and_the_call_goes_on(client):
    with client.websocket_connect("/v1/calls/live") as ws:
        ws.send_text('{"type": "turn", "speaker": "caller", "text": ' + nested(1_000) + "}")
        err = ws.receive_json()
        assert err["type"] == "error" and "nested more than" in err["error"]
        ws.send_text(nested(100_000))
        assert ws.receive_json()["type"] == "error"
        ws.send_json({"type": "turn", "speaker": "caller", "text": "Hello, lovely weather today"})
        assert ws.receive_json()["type"] == "update"


def test_nested_json_bodies_on_http_are_400(client):
    r = client.post("/v1/check", content=("[" * 200_000).encode(), headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    body = '{"text": "hi", "id": ' + nested(5_000) + "}"
    assert client.post("/v1/check", content=body.encode(), headers={"Content-Type": "application/json"}
                       ).status_code in (400, 422)


def test_depth_scan_counts_only_structure():
    assert not json_too_deep('{"a": "[[[[[[[[[[ {{{{{{{{{ \\" [[[[[["}', 2)
    assert json_too_deep(nested(33), 32) and not json_too_deep(nested(32), 32)
    assert loads_json('{"a": [1, {"b": "]]]}"}]}', 3) == {"a": [1, {"b": "]]]}"}]}
