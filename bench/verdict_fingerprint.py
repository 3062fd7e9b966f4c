"""A fingerprint of every verdict the engine gives, to prove a speed change changed no verdict.

    .venv/bin/python bench/verdict_fingerprint.py --out /tmp/fp-before.jsonl          # reference
    .venv/bin/python bench/verdict_fingerprint.py --compare /tmp/fp-before.jsonl      # after a change
    ... --no-model     # the engine without the learned model (stable while the model is retrained)
    ... --engine re    # the red-flag candidates by plain re (or: hyperscan), to show both give the same

Inputs: sms_train.csv texts (as sent, and again with a sender from a fixed list, and again disguised
with lookalike letters, zero-width characters, spaced or dotted letters, leetspeak and "GBP"),
call_train.csv transcripts (whole, and a share fed turn by turn as a live call), the regression corpus
(tests/corpus) and every text in the table-driven flag tests. Each line holds one Verdict.to_dict()
with risk and spam score to 1e-9, plus the normalised text and its offset map. Verdicts come from
analyze_batch (in batches that repeat texts, as bulk SMS does), and a sample is checked against
analyze() one message at a time. The header line names the model artifact, so fingerprints are only
compared within one artifact version (or with --no-model).

Verdicts on demand: every message and call is analysed again with ``explain=False`` (verdicts only, no
evidence words or advice) and its ``to_dict(explain=False)`` must equal that of the explained verdict,
risk and spam score to 1e-9: the run fails otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import random
import sys
import time
from pathlib import Path

from _common import ROOT, split

sys.path.insert(0, str(ROOT / "tests"))

SENDERS = (
    "+447700900123", "HMRC", "withheld", "+12025550143", "03002003300", "Amazon", "07700 900 456",
    "+44 20 7946 0321", "", "anonymous", "+4490 0000 0000", "08712345678", "NatWest", "+234 803 123 4567",
    "01632 960 001", "Royal Mail", "0800 123 4567", "+447911123456",
)
_LOOKALIKE = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "H": "Н", "M": "М", "C": "С", "i": "і"}
_LEET = {"o": "0", "i": "1", "e": "3", "a": "4", "s": "5"}


def disguise(text: str, rng: random.Random) -> str:
    """One of the evasions scammers use, picked at random (seeded, so the same every run)."""
    kind = rng.randrange(6)
    if kind == 0:
        return "".join(_LOOKALIKE.get(c, c) if rng.random() < 0.3 else c for c in text)
    if kind == 1:
        return "".join(c + "\u200b" if c.isalpha() and rng.random() < 0.2 else c for c in text)
    if kind == 2:
        words = text.split(" ")
        i = rng.randrange(len(words))
        sep = rng.choice((".", " ", "-"))
        words[i] = sep.join(words[i])
        return " ".join(words)
    if kind == 3:
        return "".join(_LEET.get(c, c) if rng.random() < 0.25 else c for c in text)
    if kind == 4:
        return text.replace("£", "GBP ").replace("$", "GBP")
    return text.upper().replace("A", "Ａ").replace("\u00a3", "GBP")


def _flag_test_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        if not (path.name.startswith("test_flags_") or path.name in ("test_links.py", "test_normalise_evasions.py")):
            continue
        mod = importlib.import_module(path.stem)
        for value in vars(mod).values():
            if not isinstance(value, list):
                continue
            for item in value:
                vals = getattr(item, "values", item)
                if isinstance(vals, tuple) and vals and isinstance(vals[0], str):
                    texts.append(vals[0])
    return texts


def _workload_inputs():
    """--workload: the texts the speed benches time (sms_test.csv, a workload only: nothing is tuned on it),
    each also with a sender, and the team's training texts and calls (training/sms, training/calls,
    training/dev*, training/uk_*): the inputs a speed change must not move."""
    from scamshield import Message
    from scamshield.learn.data import load

    sms = [e.message for e in load(split("sms_test"))]
    batch = list(sms) + [Message(text=m.text, id=f"{m.id}~s", sender=SENDERS[i % len(SENDERS)])
                         for i, m in enumerate(sms[::3])]
    calls = []
    team = sorted((ROOT / "training").glob("**/*.jsonl")) + sorted((ROOT / "training").glob("*.csv"))
    for path in team:
        for e in load(path):
            (calls if e.message.turns else batch).append(e.message)
    return batch, calls


def _inputs():
    import yaml

    from scamshield import Message, Turn
    from scamshield.learn.data import load

    rng = random.Random(7)
    sms = [e.message for e in load(split("sms_train"))]
    calls = [e.message for e in load(split("call_train"))]
    batch = list(sms)
    batch += [Message(text=m.text, id=f"{m.id}~s", sender=SENDERS[i % len(SENDERS)]) for i, m in enumerate(sms[::3])]
    batch += [Message(text=disguise(m.text, rng), id=f"{m.id}~d") for m in sms[::2]]
    batch += [Message(text=t, id=f"flagtest-{i}") for i, t in enumerate(_flag_test_texts())]
    batch += [Message(text=t, id=f"flagtest-{i}~s", sender="+447700900123") for i, t in enumerate(_flag_test_texts())]
    corpus = ROOT / "tests" / "corpus"
    for e in yaml.safe_load((corpus / "messages.yaml").read_text(encoding="utf-8"))["messages"]:
        batch.append(Message(text=e["text"], id=f"corpus-{e['id']}"))
    for e in yaml.safe_load((corpus / "calls.yaml").read_text(encoding="utf-8"))["calls"]:
        turns = tuple(Turn(t["speaker"], t["text"]) for t in e["turns"])
        calls.append(Message(channel="call", turns=turns, id=f"corpus-{e['id']}"))
    calls += [Message(channel="call", turns=m.turns, id=f"{m.id}~s", sender=SENDERS[i % len(SENDERS)])
              for i, m in enumerate(calls[::5])]
    # bulk SMS repeats itself: the same texts again, with their own ids, shuffled in among the rest
    repeats = [Message(text=m.text, id=f"{m.id}~r", sender=m.sender) for m in rng.sample(batch, len(batch) // 4)]
    batch += repeats
    rng.shuffle(batch)
    return batch, calls


def _analyzer(no_model: bool):
    from scamshield import Analyzer

    if not no_model:
        return Analyzer.default()
    from scamshield.advice import Advisor
    from scamshield.detectors.model import ModelDetector
    from scamshield.detectors.registry import default_detectors
    from scamshield.scoring import Scorer

    dets = [d for d in default_detectors() if not isinstance(d, ModelDetector)]
    return Analyzer(dets, Scorer.from_rules(), Advisor.from_rules())


def _set_engine(analyzers, engine: str) -> str:
    """Every pattern detector of ``analyzers`` finds its candidates with ``engine`` (``hyperscan``: compiled
    now; ``re``: plain); ``auto`` leaves the shipped policy (multimatch.py). Returns the engine in use."""
    from scamshield.detectors.multimatch import MultiMatcher
    from scamshield.detectors.patterns import PatternDetector

    used = set()
    for an in analyzers:
        for det in an.text_detectors + an.message_detectors:
            if isinstance(det, PatternDetector):
                if engine != "auto":
                    det.matcher = MultiMatcher.open(det.matcher.regexes, engine=engine, build="now")
                used.add(det.matcher.engine)
    return "+".join(sorted(used))


def _line(kind: str, v) -> str:
    d = v.to_dict()
    d["risk_1e9"] = round(v.risk, 9)
    d["spam_1e9"] = round(v.spam_score, 9)
    return json.dumps({"k": kind, **d}, sort_keys=True, ensure_ascii=False)


def _verdict_only(v) -> str:
    d = v.to_dict(explain=False)
    d["risk_1e9"] = round(v.risk, 9)
    d["spam_1e9"] = round(v.spam_score, 9)
    d["all_flags"] = [(f.id, f.status, round(f.confidence, 9)) for f in v.flags]
    d["contributions"] = [c.to_dict() for c in v.contributions]
    return json.dumps(d, sort_keys=True, ensure_ascii=False)


def _norm_line(text: str) -> str:
    from scamshield.preprocess import normalise

    norm, offs = normalise(text)
    offs = list(range(len(norm))) if offs is None else offs
    digest = hashlib.sha1(json.dumps([norm, offs]).encode()).hexdigest()
    return json.dumps({"k": "norm", "text_sha1": hashlib.sha1(text.encode()).hexdigest(), "norm": digest})


def _artifact() -> str:
    pkg = ROOT / "src" / "scamshield"
    parts = (pkg / "data" / "model.json.gz", pkg / "detectors" / "model.py", pkg / "rules" / "flags" / "model.yaml",
             *[p for p in (pkg / "detectors" / "model_text.py",) if p.is_file()])
    return hashlib.sha1(b"".join(p.read_bytes() for p in parts)).hexdigest()[:12]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-model", action="store_true", help="the engine without the learned model")
    ap.add_argument("--out", help="write the fingerprint (JSON lines) here")
    ap.add_argument("--compare", help="compare with this earlier fingerprint; exit 1 on any difference")
    ap.add_argument("--ignore-artifact", action="store_true",
                    help="compare even where the model artifact's hash differs (model.py itself changed, "
                         "model.json.gz and model.yaml not)")
    ap.add_argument("--workload", action="store_true",
                    help="the sms_test texts and the team's training texts and calls instead of the default inputs")
    ap.add_argument("--engine", choices=("auto", "hyperscan", "re"), default="auto",
                    help="how the red-flag patterns' candidates are found (hyperscan: pyperscan, compiled at "
                         "start; re: every regex searched); the fingerprint is the same for both")
    args = ap.parse_args()
    t0 = time.perf_counter()
    batch, calls = _workload_inputs() if args.workload else _inputs()
    an = _analyzer(args.no_model)
    from scamshield import Analyzer

    print(f"red-flag candidates: {_set_engine([an, Analyzer.default()], args.engine)} (--engine {args.engine})")
    header = json.dumps({"k": "header", "model": None if args.no_model else _artifact(), "workload": args.workload,
                         "messages": len(batch), "calls": len(calls)})
    lines = [header]
    seen: set[str] = set()
    for m in batch:
        if m.text not in seen:
            seen.add(m.text)
            lines.append(_norm_line(m.text))
    sms_lines = []
    for i in range(0, len(batch), 5000):  # analyze_batch in slices, as a bulk sender would
        sms_lines += [_line("sms", v) for v in an.analyze_batch(batch[i : i + 5000])]
    lines += sms_lines
    lines += [_line("call", v) for v in an.analyze_batch(calls)]
    # one at a time must give exactly what the batch gave
    for i in range(0, len(batch), 17):
        if _line("sms", an.analyze(batch[i])) != sms_lines[i]:
            print(f"analyze() and analyze_batch() disagree on {batch[i].id}", file=sys.stderr)
            return 1
    # verdicts only (explain=False) must be the explained verdicts less their explanations
    full = an.analyze_batch(batch) + an.analyze_batch(calls)
    quick = an.analyze_batch(batch, explain=False) + an.analyze_batch(calls, explain=False)
    for a, b in zip(full, quick, strict=True):
        if _verdict_only(a) != _verdict_only(b):
            print(f"explain=False changed the verdict of {a.id}:\n  {_verdict_only(a)}\n  {_verdict_only(b)}",
                  file=sys.stderr)
            return 1
    # live calls, turn by turn: every intermediate verdict
    from scamshield import Message

    for m in calls[::4]:
        live = an.begin(Message(channel="call", id=m.id, sender=m.sender))
        for turn in m.turns:
            lines.append(_line("turn", live.add_turn(turn)))
    text = "\n".join(lines) + "\n"
    digest = hashlib.sha256(text.encode()).hexdigest()
    print(f"{len(lines) - 1:,} lines, sha256 {digest[:16]}, {time.perf_counter() - t0:.1f} s")
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    if args.compare:
        old = Path(args.compare).read_text(encoding="utf-8").splitlines()
        new = text.splitlines()
        same_inputs = old[0] == new[0] or (args.ignore_artifact and {**json.loads(old[0]), "model": None}
                                            == {**json.loads(new[0]), "model": None})
        if not same_inputs:
            print(f"different inputs or model artifact:\n  {old[0]}\n  {new[0]}", file=sys.stderr)
            return 1
        diffs = [(i, a, b) for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b and i > 0]
        if len(old) != len(new):
            print(f"line count differs: {len(old)} vs {len(new)}", file=sys.stderr)
        for i, a, b in diffs[:5]:
            print(f"line {i}:\n  was {a[:400]}\n  now {b[:400]}", file=sys.stderr)
        if diffs or len(old) != len(new):
            print(f"{len(diffs)} lines differ", file=sys.stderr)
            return 1
        print("identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
