"""Labelled data: CSV (id,text,label,channel,source) or JSONL (the message input format + "label").

BothBosu call transcripts mark speakers inline ("Suspect: ... Innocent: ..."); they become caller and
callee turns. Transcripts with no speaker labels (the real scam calls) become one caller turn.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..models import Message, Turn
from ..speakers import direction_of

LABELS: tuple[str, ...] = ("scam", "spam", "legit")
MAX_FILE_BYTES = 200_000_000
_SPEAKER = re.compile(r"(?:^|(?<=\s))(Suspect|Innocent|Scammer|Victim|Caller|Receiver)\s*:", re.I)
_ROLE = {"suspect": "caller", "scammer": "caller", "caller": "caller"}


@dataclass(frozen=True, slots=True)
class Example:
    message: Message
    label: str
    source: str
    # How many times the row counts in the fits when set (``scamshield train --extra-team``); None: the
    # weight of its kind (shared data 1, team data the team weight of its channel)
    weight: float | None = None


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """Where the shared data sets live: --data-dir, $SCAMSHIELD_DATA_DIR, or ../shared/data."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("SCAMSHIELD_DATA_DIR")
    if env:
        return Path(env)
    return Path.cwd().parent / "shared" / "data"


def split_turns(text: str) -> tuple[Turn, ...]:
    """Inline speaker labels -> turns; no labels -> one caller turn with the whole text."""
    marks = list(_SPEAKER.finditer(text))
    if not marks:
        return (Turn("caller", text.strip()),)
    turns = []
    lead = text[: marks[0].start()].strip()
    if lead:
        turns.append(Turn("caller", lead))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        body = text[m.end() : end].strip()
        if body:
            turns.append(Turn(_ROLE.get(m.group(1).lower(), "callee"), body))
    return tuple(turns) or (Turn("caller", text.strip()),)


def _check_label(label: object, where: str) -> str:
    if not isinstance(label, str) or label.strip().lower() not in LABELS:
        raise InputError(f"{where}unknown label {label!r}; use one of: {', '.join(LABELS)}")
    return label.strip().lower()


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


def _from_csv(path: Path, text: str) -> list[Example]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.DictReader(text.splitlines(keepends=True))
    cols = reader.fieldnames or []
    for need in ("text", "label"):
        if need not in cols:
            raise InputError(f"{path}: missing '{need}' column (found: {', '.join(cols) or 'no header'})")
    out = []
    try:
        for n, row in enumerate(reader, start=2):
            where = f"{path}:{n}: "
            body = row.get("text") or ""
            if not body.strip():
                raise InputError(f"{where}empty text")
            label = _check_label(row.get("label"), where)
            channel = (row.get("channel") or "sms").strip() or "sms"
            if channel not in ("sms", "call"):
                raise InputError(f"{where}unknown channel {channel!r}; use sms or call")
            mid = row.get("id") or f"{path.stem}-{n - 1}"
            if channel == "call":
                turns = split_turns(body)
                msg = Message(channel="call", turns=turns, direction=direction_of(turns), id=mid)
            else:
                msg = Message(channel="sms", text=body, id=mid)
            out.append(Example(msg, label, (row.get("source") or path.stem).strip()))
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV ({exc})") from None
    return out


def _from_jsonl(path: Path, text: str) -> list[Example]:
    from ..inputs import message_from_dict

    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}: "
        try:
            d = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}invalid JSON ({exc.msg})") from None
        if not isinstance(d, dict):
            raise InputError(f"{where}expected a JSON object")
        if "label" not in d:
            raise InputError(f"{where}missing required field 'label'")
        label = _check_label(d.get("label"), where)
        msg = message_from_dict(d, where=where)
        if msg.id is None:
            msg = Message(**{**{k: getattr(msg, k) for k in msg.__slots__}, "id": f"{path.stem}-{n}"})
        source = d.get("source") if isinstance(d.get("source"), str) else path.stem
        out.append(Example(msg, label, source))
    return out


def load(path: str | os.PathLike) -> list[Example]:
    """Read a labelled file; raises InputError naming the file and line of any problem."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"no such file: {p}")
    text = _read_text(p)
    if p.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        rows = _from_jsonl(p, text)
    elif p.suffix.lower() in (".csv", ".tsv", ".txt"):
        rows = _from_csv(p, text)
    else:
        raise InputError(f"{p}: unknown file type; use .csv or .jsonl")
    if not rows:
        raise InputError(f"{p}: no labelled rows")
    return rows
