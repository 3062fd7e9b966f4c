"""``scamshield number`` and ``scamshield screen`` as a user runs them (in process, through main())."""

import json

import pytest

from scamshield.cli import main


@pytest.fixture(autouse=True)
def no_default_db(monkeypatch, tmp_path):
    """``scamshield screen`` reads the default reports database when there is one: not the tester's."""
    monkeypatch.delenv("SCAMSHIELD_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_number_explains_the_seed_spoof(capsys):
    code, out, _ = run(capsys, "number", "+443002003300")
    assert code == 0
    assert "0300 200 3300" in out and "Published by HMRC" in out
    assert "HMRC never rings from 0300 200 3300 - it only takes calls on it." in out
    assert "proves nothing on its own" in out


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("07700 900123", "drama"),
        ("999", "emergency number"),
        ("07911 123456", "Guernsey"),
        ("HMRC", "sender name"),
        ("withheld", "withheld"),
        ("0909 123 4567", "premium-rate"),
        ("+1 202 555 0123", "the United States"),
        ("++44", "not a phone number"),
        ("0" * 1000, "far too long"),
    ],
)
def test_number_shapes(capsys, number, words):
    code, out, _ = run(capsys, "number", number)
    assert code == 0 and words in out


def test_number_json(capsys):
    code, out, _ = run(capsys, "number", "0300 200 3300", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["number"]["e164"] == "+443002003300" and data["number"]["number_type"] == "uan"
    assert data["warnings"][0]["flag"] == "CLI_INBOUND_ONLY"
    assert data["owners"][0]["inbound_only"] is True


def test_sms_sender_short_code_is_normal(capsys):
    code, out, _ = run(capsys, "number", "61234", "--sms")
    assert code == 0 and "Nothing about the number itself is suspicious" in out


@pytest.mark.parametrize("bad", ["", "   ", "x" * 9000])
def test_bad_input_is_a_clear_error(capsys, bad):
    code, _out, err = run(capsys, "number", bad)
    assert code == 2 and err.startswith("error:") and "Traceback" not in err


def test_screen(capsys):
    code, out, _ = run(capsys, "screen", "--from", "+443002003300", "--to", "+447700123456")
    assert code == 0 and out.startswith("BLOCK")
    code, out, _ = run(capsys, "screen", "--from", "+12025550123", "--verstat", "TN-Validation-Passed-A", "--json")
    assert json.loads(out)["action"] == "allow"
    code, out, _ = run(capsys, "screen", "--from", "+12025550123", "--identity", "garbage")
    assert code == 0 and out.startswith("WARN") and "signature: failed" in out


def test_sip_screen_bad_port_and_port_in_use(capsys):
    import socket

    code, _out, err = run(capsys, "sip-screen", "--port", "70000")
    assert code == 2 and "--port" in err
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        code, _out, err = run(capsys, "sip-screen", "--port", str(s.getsockname()[1]))
    assert code == 2 and "cannot listen" in err
