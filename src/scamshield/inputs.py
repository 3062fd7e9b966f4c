"""Reading messages from JSON: the one input format the CLI, the batch reader and the API share.

    {"id": "...", "channel": "sms" | "call", "sender": "+447700900123" | "HMRC", "text": "..."}
    {"id": "...", "channel": "call", "turns": [{"speaker": "caller", "text": "...",
                                                "start": 0.0, "end": 2.1}], ...}

A turn's speaker is "caller" or "callee" (who placed the call, who answered: with "direction" this says
which of them is the user), "user" or "other" (said outright), or "unknown"; a turn without one is
"unknown" (a transcript with no speaker labels).

plus optional "direction" ("incoming" default | "outgoing"; left out, a caller/callee transcript whose own
opening shows the caller ringing a business is read as outgoing: speakers.py), "dialled", "lure" (what gave the user the
number they rang), "recipient", "identity",
"verstat". Unknown fields are ignored; a missing or wrong field is an InputError naming it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from .errors import InputError
from .models import CHANNELS, DIRECTIONS, SPEAKERS, Message, Turn
from .speakers import direction_of

_OPTIONAL_STR = ("id", "sender", "recipient", "dialled", "lure", "identity", "verstat")
MAX_LINE_BYTES = 2_000_000


def _str_field(d: dict, key: str, where: str, *, required: bool = False) -> str | None:
    value = d.get(key)
    if value is None:
        if required:
            raise InputError(f"{where}missing required field '{key}'")
        return None
    if key == "id" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise InputError(f"{where}field '{key}' must be a string, not {type(value).__name__}")
    return value


def _time(t: dict, key: str, where: str) -> float | None:
    v = t.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
        raise InputError(f"{where}field '{key}' must be a non-negative number of seconds")
    return float(v)


def message_from_dict(d: Any, *, where: str = "") -> Message:
    """Build a Message from parsed JSON. ``where`` prefixes errors, e.g. "line 3: "."""
    if not isinstance(d, dict):
        raise InputError(f"{where}expected a JSON object, got {type(d).__name__}")
    fields = {k: _str_field(d, k, where) for k in _OPTIONAL_STR}
    turns_raw = d.get("turns")
    channel = d.get("channel", "call" if turns_raw is not None else "sms")
    if channel not in CHANNELS:
        raise InputError(f"{where}unknown channel {channel!r}; use one of: {', '.join(CHANNELS)}")
    direction = d.get("direction", "incoming")
    if direction not in DIRECTIONS:
        raise InputError(f"{where}unknown direction {direction!r}; use one of: {', '.join(DIRECTIONS)}")
    turns: list[Turn] = []
    text = ""
    if turns_raw is not None:
        if not isinstance(turns_raw, list):
            raise InputError(f"{where}field 'turns' must be a list of turns")
        if not turns_raw:
            raise InputError(f"{where}field 'turns' is empty: a call needs at least one turn")
        for i, t in enumerate(turns_raw):
            tw = f"{where}turn {i}: "
            if not isinstance(t, dict):
                raise InputError(f"{tw}expected an object with 'speaker' and 'text'")
            speaker = _str_field(t, "speaker", tw) or "unknown"
            if speaker not in SPEAKERS:
                raise InputError(f"{tw}unknown speaker {speaker!r}; use one of: {', '.join(SPEAKERS)}")
            turn_text = _str_field(t, "text", tw, required=True)
            turns.append(Turn(speaker, turn_text, _time(t, "start", tw), _time(t, "end", tw)))
    else:
        text = _str_field(d, "text", where, required=True)
        if not text.strip():
            raise InputError(f"{where}field 'text' is empty")
    if "direction" not in d and turns:
        direction = direction_of(turns)  # no direction given: the transcript's own opening may say who rang
    return Message(channel=channel, text=text, turns=tuple(turns), direction=direction, **fields)


# "caller: ..." at the start of a line of a plain transcript; other labels a transcript or a person may use
_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z ]{0,15}?)\s*:\s*(.*)$")
# (the web page's transcript box reads the same labels: server/static/app.js, parseTranscript)
_LABEL_SPEAKERS = {s: s for s in SPEAKERS} | {"me": "user", "i": "user", "them": "other", "scammer": "other"}


def turns_from_text(text: str) -> tuple[Turn, ...]:
    """A plain-text call transcript as turns: each line that opens with a speaker label ("caller:",
    "callee:", "user:", "other:", "unknown:", also "me:"/"i:" and "them:"/"scammer:") starts a turn;
    other lines carry on the turn before. With no labels at all, the whole text is one turn by an unknown speaker (what a
    speech recogniser gives)."""
    turns: list[list] = []
    for line in text.splitlines():
        m = _LABEL.match(line)
        speaker = _LABEL_SPEAKERS.get(m.group(1).strip().lower()) if m else None
        if speaker is not None:
            turns.append([speaker, m.group(2).strip()])
        elif line.strip():
            if not turns:
                turns.append(["unknown", ""])
            turns[-1][1] = f"{turns[-1][1]} {line.strip()}".strip()
    return tuple(Turn(sp, t) for sp, t in turns if t)


def parse_json_message(raw: str | bytes, *, where: str = "") -> Message:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{where}not valid UTF-8 (byte {exc.start})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}invalid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise InputError(f"{where}invalid JSON: nested too deeply") from None
    return message_from_dict(data, where=where)


def read_jsonl(stream: BinaryIO) -> Iterator[tuple[int, Message | InputError]]:
    """Yield (line number, Message or the InputError for that line); one bad line spoils no other."""
    for lineno, raw in enumerate(stream, 1):
        where = f"line {lineno}: "
        if len(raw) > MAX_LINE_BYTES:
            yield lineno, InputError(f"{where}line is {len(raw):,} bytes; the limit is {MAX_LINE_BYTES:,}")
            continue
        if not raw.strip():
            continue
        try:
            yield lineno, parse_json_message(raw, where=where)
        except InputError as exc:
            yield lineno, exc
