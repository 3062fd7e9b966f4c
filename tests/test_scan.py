"""``scamshield scan``: JSON Lines, CSV and Parquet in; verdicts out in input order on any number of
workers; bad records reported with their line numbers and kept in the output; verdicts only unless
``--explain``, and then exactly what ``check --json`` gives."""

from __future__ import annotations

import csv
import json

import pytest

from sample_texts import MIXED_TEXTS
from scamshield import Analyzer, Message
from scamshield.cli import main

TEXTS = MIXED_TEXTS * 30


def _write_jsonl(path, bad: bool = True) -> list[str]:
    lines = [json.dumps({"id": f"m{i}", "text": t}) for i, t in enumerate(TEXTS)]
    if bad:
        lines.insert(3, "{not json")
        lines.insert(10, json.dumps({"id": "empty", "text": "  "}))
        lines.insert(20, "")  # a blank line is skipped, not an error
        lines.insert(40, json.dumps({"id": "long", "text": "x" * 100_001}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def _read(path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_jsonl_in_order_with_bad_lines_numbered_and_kept(tmp_path, capsys, workers):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_jsonl(src)
    assert main(["scan", str(src), "--out", str(out), "--workers", workers]) == 1
    rows = _read(out)
    assert len(rows) == len(TEXTS) + 3
    errors = [r for r in rows if "error" in r]
    assert [r["line"] for r in errors] == [4, 11, 41]
    assert "invalid JSON" in errors[0]["error"] and errors[0]["error"].startswith("line 4: ")
    assert errors[1]["id"] is None and "empty" in errors[1]["error"]
    assert errors[2]["id"] == "long" and "100,000" in errors[2]["error"]
    good = [r for r in rows if "error" not in r]
    assert [r["id"] for r in good] == [f"m{i}" for i in range(len(TEXTS))]
    an = Analyzer.default()
    for r, t in zip(good[:6], TEXTS, strict=False):
        assert r == an.analyze(Message(text=t, id=r["id"])).to_dict(explain=False)
    err = capsys.readouterr().err
    assert "error: line 4: invalid JSON" in err and "3 bad" in err


def test_workers_give_the_same_output_as_one_process(tmp_path):
    src = tmp_path / "in.jsonl"
    _write_jsonl(src)
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.jsonl"
        main(["scan", str(src), "--out", str(out), "--workers", workers, "--quiet", "--explain"])
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_explain_gives_what_check_json_gives(tmp_path, capsys):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_jsonl(src, bad=False)
    assert main(["scan", str(src), "--out", str(out), "--explain", "--workers", "1", "--quiet"]) == 0
    scanned = _read(out)
    assert main(["check", "--file", str(src), "--json"]) == 0
    checked = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert scanned == checked


def test_verdicts_only_are_the_explained_verdicts_less_the_explanations():
    an = Analyzer.default()
    msgs = [Message(text=t, id=str(i)) for i, t in enumerate(TEXTS[:6])]
    msgs.append(Message(channel="call", turns=(), text="This is HMRC, there is a warrant for your arrest"))
    full = an.analyze_batch(msgs)
    quick = an.analyze_batch(msgs, explain=False)
    for a, b in zip(full, quick, strict=True):
        assert a.to_dict(explain=False) == b.to_dict(explain=False)
        assert (a.risk, a.spam_score, a.contributions) == (b.risk, b.spam_score, b.contributions)
        assert [(f.id, f.status, f.confidence) for f in a.flags] == [(f.id, f.status, f.confidence) for f in b.flags]
        assert b.advice == ()
    assert any(f.id.startswith("MODEL_") and f.evidence for v in full for f in v.flags)


def test_csv_in_with_a_bad_row(tmp_path):
    src, out = tmp_path / "in.csv", tmp_path / "out.jsonl"
    with open(src, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "sender"])
        w.writerow(["a", "HMRC: you owe tax, pay now at hmrc-pay.xyz", "HMRC"])
        w.writerow(["b", "multi\nline text, see you at 6", ""])
        w.writerow(["c", "too", "many", "fields"])
        w.writerow(["d", "Your parcel is held, pay the fee at royalmail-fee.com", "+447700900123"])
    assert main(["scan", str(src), "--out", str(out), "--workers", "1", "--quiet"]) == 1
    rows = _read(out)
    assert [r.get("id") for r in rows] == ["a", "b", None, "d"]
    assert rows[2]["line"] == 5 and "fields" in rows[2]["error"]
    an = Analyzer.default()
    assert rows[0] == an.analyze(Message(text="HMRC: you owe tax, pay now at hmrc-pay.xyz", sender="HMRC",
                                         id="a")).to_dict(explain=False)


def test_parquet_in_and_out(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(pa.table({"id": [f"m{i}" for i in range(len(TEXTS))] + ["blank"], "text": [*TEXTS, " "]}), src)
    assert main(["scan", str(src), "--out", str(out), "--workers", "2", "--quiet", "--explain"]) == 1
    table = pq.read_table(out).to_pylist()
    assert len(table) == len(TEXTS) + 1
    assert table[-1]["line"] == len(TEXTS) + 1 and "empty" in table[-1]["error"]
    an = Analyzer.default()
    first = an.analyze(Message(text=TEXTS[0], id="m0"))
    assert table[0]["verdict"] == first.verdict and table[0]["id"] == "m0"
    assert json.loads(table[0]["explained"]) == json.loads(json.dumps(first.to_dict()))
    assert table[0]["flags"] == [f.id for f in first.flags if f.status == "warning"]


def test_missing_file_and_bad_format_are_usage_errors(tmp_path, capsys):
    assert main(["scan", str(tmp_path / "nope.jsonl")]) == 2
    (tmp_path / "x.csv").write_text("foo,bar\n1,2\n")
    assert main(["scan", str(tmp_path / "x.csv"), "--workers", "1"]) == 2
    assert "text" in capsys.readouterr().err
