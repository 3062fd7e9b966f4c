"""The CLI end to end, as a user runs it (a real subprocess): verdicts, batch, and bad input."""

import json
import subprocess
import sys

import pytest

SEED_TEXT = "HMRC: you owe £1,284 in unpaid tax. Legal action starts today unless you call 0161 496 0188 now"


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "scamshield.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
    )


def test_check_text_human_output_highlights_words_and_advice():
    r = run("check", SEED_TEXT)
    out = r.stdout.decode()
    assert r.returncode == 0, r.stderr
    assert "SCAM" in out and "HMRC / tax scam" in out
    assert "[[HMRC]]" in out and "[[Legal action]]" in out
    assert "What to do:" in out and "source: https://" in out


def test_check_json_output_is_the_stable_shape():
    r = run("check", "--json", "--id", "m1", SEED_TEXT)
    v = json.loads(r.stdout)
    assert set(v) >= {"id", "verdict", "risk", "scam_type", "flags", "advice", "contributions"}
    assert v["id"] == "m1" and v["verdict"] == "scam" and 0 <= v["risk"] <= 1
    for f in v["flags"]:
        assert set(f) >= {"id", "description", "weight", "confidence", "evidence"}
        for e in f["evidence"]:
            assert SEED_TEXT[e["start"]:e["end"]] == e["text"]
    assert all(set(a) == {"text", "source"} for a in v["advice"])


def test_safe_message_exits_zero():
    r = run("check", "--json", "See you at the station at 6, love Mum")
    assert r.returncode == 0 and json.loads(r.stdout)["verdict"] == "safe"


def test_call_transcript_file(tmp_path):
    call = {"id": "c1", "channel": "call", "turns": [
        {"speaker": "caller", "text": "This is HMRC. You owe unpaid tax and a court order has been issued."},
        {"speaker": "callee", "text": "Oh no, what do I do?"},
        {"speaker": "caller", "text": "Buy iTunes vouchers today and read me the codes when I call you back."},
    ]}
    p = tmp_path / "call.json"
    p.write_text(json.dumps(call))
    r = run("check", "--call", str(p), "--json")
    assert r.returncode == 0, r.stderr
    v = json.loads(r.stdout)
    assert v["verdict"] == "scam" and v["scam_type"] == "hmrc_tax"
    turns = {e["turn"] for f in v["flags"] for e in f["evidence"]}
    assert turns >= {0, 2}


def test_batch_jsonl_processes_good_lines_and_reports_bad_ones(tmp_path):
    p = tmp_path / "batch.jsonl"
    p.write_bytes(
        b'{"id": "a", "text": "HMRC: pay in iTunes vouchers today or be arrested"}\n'
        b'{"id": "b", "text": \n'
        b'{"id": "c", "text": "tea later?", "channel": "carrier-pigeon"}\n'
        b'\xff\xfe not utf8\n'
        b'{"id": "d", "channel": "call", "turns": [{"speaker": "caller", "text": "hello it is the GP surgery"}]}\n'
    )
    r = run("check", "--file", str(p), "--json")
    assert r.returncode == 1
    rows = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [row.get("id") for row in rows if "verdict" in row] == ["a", "d"]
    errors = [row for row in rows if "error" in row]
    assert [e["line"] for e in errors] == [2, 3, 4]
    err = r.stderr.decode()
    assert "line 2: invalid JSON" in err and "unknown channel" in err and "not valid UTF-8" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args,stdin,needle",
    [
        (["check", ""], None, "empty"),
        (["check", "-"], b"\xff\xfe\xfd", "not valid UTF-8"),
        (["check", "--call", "/nonexistent/call.json"], None, "no such file"),
        (["check", "--file", "/nonexistent/x.jsonl"], None, "no such file"),
        (["check"], None, "give a message"),
    ],
)
def test_bad_input_is_a_clear_error_exit_2(args, stdin, needle):
    r = run(*args, stdin=stdin)
    assert r.returncode == 2
    err = r.stderr.decode()
    assert needle in err and "Traceback" not in err


def test_one_megabyte_text_is_a_clear_error():
    r = run("check", "-", stdin=("a" * 1_000_000).encode())
    assert r.returncode == 2
    assert "limit" in r.stderr.decode() and "Traceback" not in r.stderr.decode()


def test_call_file_without_turns(tmp_path):
    p = tmp_path / "c.json"
    p.write_text('{"text": "hello"}')
    r = run("check", "--call", str(p))
    assert r.returncode == 2 and "turns" in r.stderr.decode()


def test_unknown_option_is_usage_error():
    r = run("check", "--bogus")
    assert r.returncode == 2 and "usage" in r.stderr.decode()


def test_plain_text_call_transcript(tmp_path):
    """A transcript pasted as "caller: ..." lines is read as turns; the user's side and the number they
    rang come from the options."""
    p = tmp_path / "call.txt"
    p.write_text("caller: This is HMRC. You owe unpaid tax and a court order has been issued.\n"
                 "callee: Oh no, what do I do?\n"
                 "caller: Buy iTunes vouchers today and read me the codes\n"
                 "when I call you back.\n")
    r = run("check", "--call", str(p), "--json")
    assert r.returncode == 0, r.stderr.decode()
    v = json.loads(r.stdout)
    assert v["verdict"] == "scam"
    assert {e["turn"] for f in v["flags"] for e in f["evidence"] if "voucher" in e["text"].lower()} == {2}


def test_plain_transcript_read_as_turns():
    from scamshield.inputs import turns_from_text

    turns = turns_from_text("Callee: eBay customer service.\nCALLER: hi, my account\nis suspended\nnote: x\n")
    assert [(t.speaker, t.text) for t in turns] == [
        ("callee", "eBay customer service."), ("caller", "hi, my account is suspended note: x")]
    assert [(t.speaker, t.text) for t in turns_from_text("hello this is your bank")] == [
        ("unknown", "hello this is your bank")]


def test_plain_transcript_bad_bytes_and_empty(tmp_path):
    bad, empty = tmp_path / "bad.txt", tmp_path / "empty.txt"
    bad.write_bytes(b"\xff\xfe caller: hi")
    empty.write_text("  \n\n")
    for p, why in ((bad, "UTF-8"), (empty, "empty")):
        r = run("check", "--call", str(p))
        assert r.returncode == 2 and why in r.stderr.decode() and "Traceback" not in r.stderr.decode()
