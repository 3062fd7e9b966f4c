"""Check team-written JSONL data files (training/sms, training/calls, training/dev) before they are used.

    .venv/bin/python training/check_data.py training/sms/health.jsonl [more files ...]
    .venv/bin/python training/check_data.py            # every JSONL file under training/

Each line is one message in the engine's input format plus ``label`` and ``category`` (see
training/README.md). The checks: valid JSON with the right fields and values, unique ids and texts across
all the files given, no near-duplicate rows inside one file (word 3-gram Jaccard >= 0.6), and every UK
phone number either fictional (Ofcom's drama ranges) or an official number listed in
src/scamshield/rules/organisations.yaml. Exit status 1 and one line per problem when anything fails.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ORGS = HERE.parent / "src" / "scamshield" / "rules" / "organisations.yaml"
LABELS = {"legit", "scam", "spam"}
STYLES = {"clean", "asr"}
SPEAKERS = {"caller", "callee", "unknown"}
NEAR_COPY = 0.6
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A UK number written in a text: 10-11 digits, optionally +44, spaces or dashes between.
_PHONE = re.compile(r"(?<![\w/])(?:\+?44\s?(?:\(0\))?\s?|0)\d(?:[\s-]?\d){8,9}(?!\d)")
DRAMA_PREFIXES = (
    "07700900", "02079460", "01134960", "01144960", "01154960", "01164960", "01174960", "01184960",
    "01214960", "01314960", "01414960", "01514960", "01614960", "01914980", "02890180", "02920180",
    "01632960", "08081570", "03069990", "09098790",
)


def official_numbers() -> set[str]:
    """National-format digits of every number in organisations.yaml ("03002003300")."""
    data = yaml.safe_load(ORGS.read_text(encoding="utf-8"))
    out = set()
    for org in data["organisations"]:
        for entry in org.get("numbers") or ():
            num = str(entry["number"])
            out.add("0" + num[3:] if num.startswith("+44") else num)
    return out


def _digits(raw: str) -> str:
    d = re.sub(r"\D", "", raw)
    if d.startswith("44"):
        d = d[2:]
    return d if d.startswith("0") else "0" + d


def number_ok(raw: str, official: set[str]) -> bool:
    d = _digits(raw)
    return d.startswith(DRAMA_PREFIXES) or d in official


def _trigrams(text: str) -> frozenset:
    words = _WORD.findall(text.lower().replace("’", "'"))
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def whole_text(row: dict) -> str:
    if row.get("turns"):
        return "\n".join(str(t.get("text", "")) for t in row["turns"])
    return str(row.get("text", ""))


def check_row(row: dict, where: str, official: set[str]) -> list[str]:
    bad: list[str] = []
    if not isinstance(row.get("id"), str) or not row["id"]:
        bad.append(f"{where}: missing string id")
    if row.get("label") not in LABELS:
        bad.append(f"{where}: label must be one of {sorted(LABELS)}")
    if not isinstance(row.get("category"), str) or not row["category"]:
        bad.append(f"{where}: missing category")
    if row.get("style", "clean") not in STYLES:
        bad.append(f"{where}: style must be clean or asr")
    channel = row.get("channel")
    if channel == "sms":
        if not isinstance(row.get("text"), str) or not row["text"].strip():
            bad.append(f"{where}: an sms needs a non-empty text")
        if "turns" in row:
            bad.append(f"{where}: an sms has text, not turns")
    elif channel == "call":
        turns = row.get("turns")
        if not isinstance(turns, list) or not turns:
            bad.append(f"{where}: a call needs a non-empty list of turns")
        else:
            for i, t in enumerate(turns):
                if not isinstance(t, dict) or not isinstance(t.get("text"), str) or not t["text"].strip():
                    bad.append(f"{where}: turn {i} needs a non-empty text")
                elif t.get("speaker", "unknown") not in SPEAKERS:
                    bad.append(f"{where}: turn {i} speaker must be caller, callee or unknown")
        direction = row.get("direction", "incoming")
        if direction not in ("incoming", "outgoing"):
            bad.append(f"{where}: direction must be incoming or outgoing")
        if row.get("dialled") and direction != "outgoing":
            bad.append(f"{where}: dialled is only for outgoing calls")
    else:
        bad.append(f"{where}: channel must be sms or call")
    for field in ("sender", "dialled"):
        value = row.get(field)
        if value is not None and not isinstance(value, str):
            bad.append(f"{where}: {field} must be a string")
        elif value and re.fullmatch(r"[+\d\s()-]{7,}", value) and not number_ok(value, official):
            bad.append(f"{where}: {field} {value!r} is neither fictional nor an official number")
    for m in _PHONE.finditer(whole_text(row) + "\n" + str(row.get("lure", ""))):
        if not number_ok(m.group(), official):
            bad.append(f"{where}: phone number {m.group()!r} is neither fictional (drama range) nor official")
    return bad


def check_files(paths: list[Path]) -> list[str]:
    official = official_numbers()
    problems: list[str] = []
    ids: dict[str, str] = {}
    texts: dict[str, str] = {}
    for path in paths:
        rows = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{n}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not JSON ({exc.msg})")
                continue
            if not isinstance(row, dict):
                problems.append(f"{where}: not a JSON object")
                continue
            problems += check_row(row, where, official)
            rid = str(row.get("id"))
            if rid in ids:
                problems.append(f"{where}: id {rid} also in {ids[rid]}")
            ids[rid] = where
            key = " ".join(whole_text(row).casefold().split())
            if key in texts:
                problems.append(f"{where}: same text as {texts[key]}")
            texts[key] = where
            rows.append((where, _trigrams(whole_text(row))))
        for (wa, ga), (wb, gb) in combinations(rows, 2):
            if ga and gb and len(ga & gb) / len(ga | gb) >= NEAR_COPY:
                problems.append(f"{wa}: near-copy of {wb}")
    return problems


def summary(paths: list[Path]) -> str:
    counts: Counter = Counter()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    row = json.loads(line)
                    counts[(row.get("channel"), row.get("label"))] += 1
                except (json.JSONDecodeError, AttributeError):
                    pass
    return ", ".join(f"{c} {lab}: {n}" for (c, lab), n in sorted(counts.items(), key=str))


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(HERE.glob("**/*.jsonl"))
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"no such file: {missing[0]}", file=sys.stderr)
        return 2
    problems = check_files(paths)
    for p in problems:
        print(p)
    print(f"{len(paths)} file(s); {summary(paths)}; {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
