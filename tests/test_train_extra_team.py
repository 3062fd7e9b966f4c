"""``scamshield train --extra-team``: team-written files read from elsewhere (e.g. training/pending/) with a
weight of their own, on a tiny hand-written data folder; and the per-channel cross-validation cache."""

import csv
import json
import os
from types import SimpleNamespace

import pytest

pytest.importorskip("sklearn")

from scamshield.errors import InputError
from scamshield.learn import cli as learn_cli
from scamshield.learn import train as train_mod
from scamshield.learn.artifact import read_artifact
from scamshield.learn.config import TrainConfig

WORDS = ["alpha", "bravo", "carrot", "delta", "eagle", "fox", "golf", "hotel", "india", "juliet", "kilo", "lima"]
SCAMS = ["HMRC: you are owed a tax refund of £{n}, claim at hmrc-refund{n}.com",
         "Your bank account is locked, verify your details at secure-bank{n}.co now"]
LEGIT = ["see you at {n} for dinner, love you", "meeting moved to {n}pm, same room"]
SPAM = "SALE {n}% off everything this weekend only! Reply STOP to opt out"
CALL_SCAM = "Suspect: This is the IRS, you owe {n} dollars. Innocent: What? Suspect: Pay in gift cards today."
CALL_LEGIT = "Suspect: Hi, calling to confirm your dentist appointment at {n}. Innocent: Yes, thanks, see you then."


def _splits(root):
    (root / "splits").mkdir(parents=True)
    with open(root / "splits" / "sms_train.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "label", "channel", "source"])
        for n, word in enumerate(WORDS):
            for i, t in enumerate(SCAMS):
                w.writerow([f"s{n}-{i}", t.format(n=word), "scam", "sms", "tiny"])
            for i, t in enumerate(LEGIT):
                w.writerow([f"l{n}-{i}", t.format(n=word), "legit", "sms", "tiny"])
            w.writerow([f"p{n}", SPAM.format(n=word), "spam", "sms", "tiny"])
    with open(root / "splits" / "call_train.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "label", "channel", "source"])
        for n, word in enumerate(WORDS[:10]):
            w.writerow([f"c{n}", CALL_SCAM.format(n=word), "scam", "call", "tiny"])
            w.writerow([f"d{n}", CALL_LEGIT.format(n=word), "legit", "call", "tiny"])


def _pending(folder, texts=True, calls=True):
    """A pending folder as the team writes it: JSON Lines, texts and calls in their own files."""
    folder.mkdir(parents=True, exist_ok=True)
    if texts:
        rows = [{"id": f"pt{n}", "channel": "sms", "text": f"Barclays: card payment of £{n}0 to TESCO. Not you? "
                 "Use the app.", "label": "legit"} for n in range(4)]
        rows += [{"id": f"ps{n}", "channel": "sms", "text": f"Barclays: card {n} blocked, verify at barclays-"
                  f"secure{n}.info", "label": "scam"} for n in range(4)]
        (folder / "sms_round.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    if calls:
        rows = [{"id": f"pc{n}", "channel": "call", "label": "scam", "turns": [
            {"speaker": "caller", "text": f"This is your bank's fraud team, read me the code we sent, ref {n}."},
            {"speaker": "callee", "text": "Er, okay."}]} for n in range(3)]
        (folder / "calls_round.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


def test_extra_rows_count_their_own_weight_per_channel_and_the_rest_keep_theirs(tmp_path):
    _splits(tmp_path)
    pending = _pending(tmp_path / "pending")
    config = TrainConfig(extra_team=(os.fspath(pending / "*.jsonl"),), extra_team_weight_sms=0.5)
    assert config.extra_weights() == {"sms": 0.5, "call": 3.0}  # calls: the team weight by default
    extra = train_mod.extra_team_files(config.extra_team)
    assert [p.name for p in extra] == ["calls_round.jsonl", "sms_round.jsonl"]
    ts = train_mod.read_training_set(tmp_path, False, lambda *_: None, extra, config.extra_weights())
    train_mod._row_arrays(ts, config)
    texts = {e.message.id: float(w) for e, w in zip(ts.examples, ts.sw, strict=True) if e.message.channel == "sms"}
    assert all(texts[f"p{kind}{n}"] == 0.5 for kind in "ts" for n in range(4))
    # in the rates the switch points are chosen on, an extra row counts its weight over its channel's team weight
    rate = {e.message.id: float(r) for e, r in zip(ts.examples, ts.rw, strict=True) if e.message.channel == "sms"}
    assert rate["pt0"] == pytest.approx(0.5 / 1.5) and rate["l0-0"] == 1.0
    assert {float(w) for e, w in zip(ts.examples, ts.sw, strict=True) if e.source.startswith("tiny")} == {1.0}
    extra_calls = [(e, w) for e, w in zip(ts.examples, ts.sw, strict=True) if e.source.startswith("team_calls_round")]
    assert len(extra_calls) == 3 * 4  # each call and its three recogniser forms, all at the call weight
    assert {float(w) for _, w in extra_calls} == {3.0}
    assert {float(r) for e, r in zip(ts.examples, ts.rw, strict=True) if e.message.channel == "call"} == {1.0}
    assert bool(ts.is_team[next(i for i, e in enumerate(ts.examples) if e.message.id == "pt0")])


def test_defaults_train_as_before_and_an_extra_file_is_named_in_the_artifact(tmp_path):
    assert TrainConfig().extra_team == () and TrainConfig().extra_weights() == {"sms": 1.5, "call": 3.0}
    _splits(tmp_path)
    pending = _pending(tmp_path / "pending", calls=False)
    plain = train_mod.train(tmp_path, tmp_path / "plain.json.gz", log=lambda *_: None, team=False)
    assert "extra_team" not in read_artifact(plain["artifact"])["meta"]
    config = TrainConfig(extra_team=(os.fspath(pending / "sms_*.jsonl"),), extra_team_weight_sms=0.75)
    made = train_mod.train(tmp_path, tmp_path / "extra.json.gz", log=lambda *_: None, team=False, config=config)
    meta = read_artifact(made["artifact"])["meta"]
    assert meta["extra_team"] == {"files": ["sms_round.jsonl"], "weight": {"sms": 0.75, "call": 3.0}}
    assert meta["training_files"][-1] == "sms_round.jsonl"
    assert meta["training_rows"] == read_artifact(plain["artifact"])["meta"]["training_rows"] + 8


def test_bad_extra_files_and_weights_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        train_mod.extra_team_files([os.fspath(tmp_path / "nothing*.jsonl")])
    dev = train_mod.TEAM_DIR / "dev" / "sms.jsonl"
    if dev.is_file():  # the held-out dev sets are never trained on
        with pytest.raises(InputError, match="held-out"):
            train_mod.extra_team_files([os.fspath(dev)])
    pending = _pending(tmp_path / "pending")
    with pytest.raises(InputError, match="count twice"):
        train_mod.extra_team_files([os.fspath(pending / "*.jsonl"), os.fspath(pending / "sms_round.jsonl")])
    _splits(tmp_path)
    with pytest.raises(InputError, match="above 0"):
        train_mod.fit(tmp_path, log=lambda *_: None, team=False,
                      config=TrainConfig(extra_team=(os.fspath(pending / "*.jsonl"),), extra_team_weight=0.0))


def test_the_command_line_passes_the_weights_per_channel(monkeypatch):
    seen = {}

    def fake_train(data, out, log, team, config):
        seen["config"] = config
        return {}

    monkeypatch.setattr(train_mod, "train", fake_train)
    args = dict(data_dir=None, out=None, no_team_data=False, team_weight=3.0, team_weight_sms=1.5,
                max_model_points=16.0, max_reassurance=float("-inf"), fit_cap=False, cache=None,
                call_model_from=None, sms_model_from=None, extra_team=["training/pending/*.jsonl"], extra_team_weight=0.5,
                extra_team_weight_sms=None, extra_team_weight_call=2.0)
    learn_cli.cmd_train(SimpleNamespace(**args))
    assert seen["config"].extra_team == ("training/pending/*.jsonl",)
    assert seen["config"].extra_weights() == {"sms": 0.5, "call": 2.0}
    with pytest.raises(InputError, match="needs --extra-team"):
        learn_cli.cmd_train(SimpleNamespace(**{**args, "extra_team": []}))


def test_the_cache_is_kept_per_channel(tmp_path):
    """A run that adds only texts reuses the call model's cross-validation (and vice versa)."""
    _splits(tmp_path)
    pending = _pending(tmp_path / "pending", calls=False)
    cache = os.fspath(tmp_path / "cache" / "cv")
    os.makedirs(os.path.dirname(cache))
    logs: list[str] = []
    train_mod.fit(tmp_path, log=logs.append, team=False, config=TrainConfig(cache=cache))
    assert not any("reusing" in m for m in logs)
    logs.clear()
    train_mod.fit(tmp_path, log=logs.append, team=False,
                  config=TrainConfig(cache=cache, extra_team=(os.fspath(pending / "*.jsonl"),)))
    assert any(m.startswith("call model: reusing") for m in logs)
    assert not any(m.startswith("sms model: reusing") for m in logs)
    assert len(os.listdir(tmp_path / "cache")) == 3  # sms twice, calls once


def test_weighted_rates_are_plain_shares_when_every_row_counts_once():
    np = pytest.importorskip("numpy")
    from scamshield.learn.weights import _rate

    hit = np.array([True, False, True, True])
    assert _rate(hit, np.ones(4)) == hit.mean()
    assert _rate(hit, np.array([1.0, 1.0, 0.0, 0.0])) == 0.5
