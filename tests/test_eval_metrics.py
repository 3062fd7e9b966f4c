"""Evaluation metrics on a tiny hand-made labelled set whose numbers are worked out by hand, and the
eval / train CLI on bad input."""

import json
import subprocess
import sys

import pytest

from scamshield.errors import InputError
from scamshield.learn.data import load, split_turns
from scamshield.learn.metrics import Prediction, report, scores


def P(label, verdict, risk=0.5, source="a"):
    return Prediction(id=f"{label}-{verdict}-{risk}", label=label, source=source, verdict=verdict, risk=risk)


# 4 scam (2 scam, 1 suspicious, 1 safe), 2 spam (1 spam, 1 safe), 4 legit (1 suspicious, 1 spam, 2 safe)
HAND = [
    P("scam", "scam", 0.99), P("scam", "scam", 0.9), P("scam", "suspicious", 0.6), P("scam", "safe", 0.1, "b"),
    P("spam", "spam", 0.2), P("spam", "safe", 0.05, "b"),
    P("legit", "suspicious", 0.7, "b"), P("legit", "spam", 0.3), P("legit", "safe", 0.01), P("legit", "safe", 0.02),
]


def test_metrics_match_the_hand_computed_numbers():
    s = scores(HAND)
    assert s["n"] == 10
    assert s["scam_recall"] == pytest.approx(3 / 4)
    assert s["legit_fpr"] == pytest.approx(1 / 4)  # the legit "spam" verdict is not a scam alarm
    # unwanted: TP = 3 scam + 1 spam = 4, FN = 2 (the safe scam and spam), FP = 2 (legit suspicious, spam)
    assert s["unwanted_precision"] == pytest.approx(4 / 6)
    assert s["unwanted_recall"] == pytest.approx(4 / 6)
    assert s["unwanted_f1"] == pytest.approx(2 * 4 / (2 * 4 + 2 + 2))
    assert s["confusion"]["scam"] == {"scam": 2, "suspicious": 1, "spam": 0, "safe": 1}
    assert s["confusion"]["legit"] == {"scam": 0, "suspicious": 1, "spam": 1, "safe": 2}


def test_report_splits_by_source_and_lists_the_worst_cases():
    rep = report(HAND)
    assert set(rep["by_source"]) == {"a", "b"}
    assert rep["by_source"]["b"]["scam_recall"] == 0.0
    assert rep["by_source"]["a"]["legit_fpr"] == 0.0
    assert [m["risk"] for m in rep["worst_misses"]] == [0.1]
    assert rep["worst_false_alarms"][0]["verdict"] == "suspicious"  # highest risk first


def test_metrics_with_no_items_of_a_label_are_none_not_a_crash():
    s = scores([P("spam", "spam")])
    assert s["scam_recall"] is None and s["legit_fpr"] is None and s["unwanted_f1"] == 1.0


def test_speaker_labels_become_turns():
    turns = split_turns("Suspect: This is HMRC. Innocent: Who? Suspect: Pay now.")
    assert [(t.speaker, t.text) for t in turns] == [
        ("caller", "This is HMRC."), ("callee", "Who?"), ("caller", "Pay now.")]
    assert [t.speaker for t in split_turns("hello this is the tax office")] == ["caller"]


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_loader_reads_csv_and_jsonl(tmp_path):
    csv_file = write(tmp_path, "a.csv", 'id,text,label,channel,source\n1,"hi, see you at 6",legit,sms,x\n'
                     '2,"Suspect: Your SSN is suspended. Innocent: Oh no",scam,call,y\n')
    rows = load(csv_file)
    assert [r.label for r in rows] == ["legit", "scam"]
    assert rows[1].message.turns[0].speaker == "caller"
    jl = write(tmp_path, "b.jsonl", json.dumps({"text": "win a prize", "label": "spam"}) + "\n\n"
               + json.dumps({"turns": [{"speaker": "caller", "text": "HMRC here"}], "label": "scam"}) + "\n")
    rows = load(jl)
    assert [(r.label, r.message.channel) for r in rows] == [("spam", "sms"), ("scam", "call")]


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("nolabel.csv", "id,text\n1,hello\n", "missing 'label' column"),
        ("badlabel.csv", "text,label\nhello,ham\n", "unknown label 'ham'"),
        ("empty.csv", "text,label\n", "no labelled rows"),
        ("bad.jsonl", '{"text": "x", "label": "scam"}\nnot json\n', ":2: invalid JSON"),
        ("nolabel.jsonl", '{"text": "x"}\n', "missing required field 'label'"),
        ("badlabel.jsonl", '{"text": "x", "label": "fraud"}\n', "unknown label 'fraud'"),
        ("data.xlsx", "x", "unknown file type"),
    ],
)
def test_loader_rejects_bad_files_clearly(tmp_path, name, content, needle):
    with pytest.raises(InputError, match=None) as exc:
        load(write(tmp_path, name, content))
    assert needle in str(exc.value)


def test_loader_rejects_non_utf8(tmp_path):
    p = tmp_path / "latin.csv"
    p.write_bytes("text,label\ncaf\xe9,legit\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load(p)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "scamshield.cli", *args], capture_output=True, timeout=120)


def test_eval_cli_reports_the_numbers(tmp_path):
    f = write(tmp_path, "tiny.csv", "text,label,source\n"
              '"HMRC: you owe £1,284 in unpaid tax. Legal action starts today unless you call 0161 496 0188 now",scam,s1\n'
              '"are we still on for dinner at 7?",legit,s2\n')
    r = run_cli("eval", str(f), "--json", "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr.decode()
    rep = json.loads(r.stdout)
    assert rep["scam_recall"] == 1.0 and rep["legit_fpr"] == 0.0 and rep["unwanted_f1"] == 1.0
    assert set(rep["by_source"]) == {"s1", "s2"}
    assert json.loads((tmp_path / "out" / "eval_tiny.json").read_text())["n"] == 2
    text = run_cli("eval", str(f))
    assert text.returncode == 0 and b"scam recall 100.00%" in text.stdout


@pytest.mark.parametrize(
    ("content", "needle"),
    [("id,text\n1,hello\n", b"missing 'label' column"), ("text,label\nhello,ham\n", b"unknown label 'ham'")],
)
def test_eval_cli_bad_input_is_a_clear_error_not_a_traceback(tmp_path, content, needle):
    r = run_cli("eval", str(write(tmp_path, "bad.csv", content)))
    assert r.returncode == 2
    assert needle in r.stderr and b"Traceback" not in r.stderr


def test_eval_cli_missing_file(tmp_path):
    r = run_cli("eval", str(tmp_path / "nope.csv"))
    assert r.returncode == 2 and b"no such file" in r.stderr


def test_train_cli_without_data_says_where_it_looked(tmp_path):
    r = run_cli("train", "--data-dir", str(tmp_path), "--out", str(tmp_path / "m.json.gz"))
    assert r.returncode == 2
    assert b"training file not found" in r.stderr or b"scikit-learn" in r.stderr
    assert b"Traceback" not in r.stderr
