"""The data that flows through the engine: input messages, findings, and the verdict.

Everything here is a frozen dataclass with no behaviour beyond (de)serialising, so detectors,
the scorer, the CLI and the server can share it without importing each other. The ones built for every
message (``_fast_new``) skip the frozen dataclass's ``__init__``, which sets each field with
``object.__setattr__`` (about 1.4 us for a Flag), and are built in about 0.4 us: still frozen dataclasses.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

Channel = Literal["sms", "call"]
Direction = Literal["incoming", "outgoing"]
VerdictLabel = Literal["scam", "suspicious", "spam", "safe"]

CHANNELS: tuple[str, ...] = ("sms", "call")
DIRECTIONS: tuple[str, ...] = ("incoming", "outgoing")
# Who spoke a turn. "caller" placed the call and "callee" answered it, so which of them is the user
# depends on the call's direction; "user" (the person scamshield protects) and "other" (the party who may
# be a scammer) say it outright; "unknown" is a transcript with no speaker labels.
SPEAKERS: tuple[str, ...] = ("caller", "callee", "user", "other", "unknown")
ROLES: tuple[str, ...] = ("user", "other")


def _fast_new(cls: type) -> type:
    """Build instances of the frozen, slotted dataclass ``cls`` in about a third of the time, with nothing
    else changed (fields, defaults, equality, hash, repr, immutability, ``dataclasses.replace``/``fields``/
    ``asdict``, pickling and copying).

    ``cls(...)`` runs a generated ``__new__`` that takes the same arguments as the dataclass's ``__init__``:
    it makes an instance of a twin subclass that adds nothing but ordinary attribute setting, stores the
    fields with plain assignments, then makes the instance a ``cls``; ``__init__`` becomes ``object``'s.
    A subclass of ``cls`` is built the dataclass's way (``object.__setattr__`` per field)."""
    fields = dataclasses.fields(cls)
    if "__post_init__" in vars(cls) or not cls.__dataclass_params__.frozen or "__slots__" not in vars(cls):
        raise TypeError(f"{cls.__name__}: _fast_new needs a frozen, slotted dataclass without __post_init__")
    # Both __setattr__ and __delattr__ ordinary: they share one type slot, and a Python one in either would
    # send every assignment through Python.
    twin = type(f"_{cls.__name__}Building", (cls,), {
        "__slots__": (), "__setattr__": object.__setattr__, "__delattr__": object.__delattr__,
        "__new__": object.__new__, "__init__": object.__init__, "__module__": cls.__module__})
    ns: dict[str, Any] = {"_twin": twin, "_cls": cls, "_new": object.__new__, "_set": object.__setattr__}
    params = []
    for f in fields:
        if not f.init or f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: _fast_new needs plain fields")
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            ns[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
    src = "\n".join([
        f"def __new__(cls, {', '.join(params)}):",
        "    if cls is not _cls:",
        "        self = _new(cls)",
        *(f"        _set(self, {f.name!r}, {f.name})" for f in fields),
        "        return self",
        "    self = _new(_twin)",
        *(f"    self.{f.name} = {f.name}" for f in fields),
        "    self.__class__ = _cls",
        "    return self",
    ])
    exec(src, ns)  # generated from the field names, as dataclasses does
    new = ns["__new__"]
    new.__qualname__ = f"{cls.__qualname__}.__new__"
    names = tuple(f.name for f in fields)

    def __reduce__(self):  # unpickle and copy through __new__ (the twin cannot set a frozen one)
        return (self.__class__, tuple(getattr(self, n) for n in names))

    cls.__new__ = new
    cls.__init__ = object.__init__
    cls.__reduce__ = __reduce__
    return cls


def role_of(speaker: str | None, direction: str = "incoming") -> str | None:
    """The speaker's role: "user", "other", or None when unknown. On an incoming call the caller is the
    other party; on an outgoing call (the user rang) the caller is the user."""
    if speaker in ROLES:
        return speaker
    if speaker == "caller":
        return "user" if direction == "outgoing" else "other"
    if speaker == "callee":
        return "other" if direction == "outgoing" else "user"
    return None


@_fast_new
@dataclass(frozen=True, slots=True)
class Span:
    """Exact words that triggered a flag. Offsets index the message text, or the turn's text
    when ``turn`` is set (0-based turn index)."""

    text: str
    start: int
    end: int
    turn: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "turn": self.turn}


@_fast_new
@dataclass(frozen=True, slots=True)
class Finding:
    """One red flag raised by one detector.

    ``flag`` is an UPPER_SNAKE id defined once in ``rules/*flags*.yaml``; its description, group and
    weight come from there. ``note`` is an optional sentence specific to this hit (for example which
    number was spoofed), shown after the flag's description.
    """

    flag: str
    confidence: float
    evidence: tuple[Span, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    speaker: str  # one of SPEAKERS
    text: str
    start: float | None = None
    end: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"speaker": self.speaker, "text": self.text}
        if self.start is not None:
            out["start"] = self.start
        if self.end is not None:
            out["end"] = self.end
        return out


@dataclass(frozen=True, slots=True)
class Message:
    """A text message or a call transcript, with whatever caller-ID information came with it."""

    channel: Channel = "sms"
    text: str = ""
    turns: tuple[Turn, ...] = ()
    id: str | None = None
    sender: str | None = None  # caller ID / SMS sender: "+447700900123", "HMRC", "withheld"
    recipient: str | None = None  # the number called / texted (SIP To), when known
    direction: Direction = "incoming"
    dialled: str | None = None  # for outgoing calls: the number the user called
    # for outgoing calls: the text, pop-up, e-mail or letter that gave the user the number they rang
    lure: str | None = None
    identity: str | None = None  # SIP Identity header (STIR/SHAKEN), when a network provides it
    verstat: str | None = None  # a carrier's verification verdict, e.g. "TN-Validation-Passed-A"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "channel": self.channel}
        if self.turns:
            out["turns"] = [t.to_dict() for t in self.turns]
        else:
            out["text"] = self.text
        for key in ("sender", "recipient", "dialled", "lure", "identity", "verstat"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out["direction"] = self.direction
        return out


# What a flag did to the verdict:
#   warning     - a warning sign that counts toward the verdict;
#   reassuring  - a sign that the message is genuine (negative weight);
#   cancelled   - cancelled by another signal that makes it meaningless (``reason`` names it): "HMRC asked
#                 for your date of birth" on a call you made to HMRC's own number;
#   outweighed  - a warning sign that fired, but the verdict is still safe or spam (``reason`` says why).
FLAG_STATUSES: tuple[str, ...] = ("warning", "reassuring", "cancelled", "outweighed")


@_fast_new
@dataclass(frozen=True, slots=True)
class Flag:
    """A red flag as reported in a verdict: the finding plus its definition and what it did."""

    id: str
    description: str
    weight: float
    confidence: float
    group: str
    evidence: tuple[Span, ...] = ()
    note: str | None = None
    status: str = "warning"
    reason: str | None = None

    @property
    def counts(self) -> bool:
        """Whether this flag is a warning sign behind the verdict (not reassurance, cancelled or outweighed)."""
        return self.status == "warning"

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "description": self.description,
            "weight": self.weight,
            "confidence": round(self.confidence, 4),
            "group": self.group,
            "status": self.status,
            "evidence": [s.to_dict() for s in self.evidence],
        }
        if self.note:
            out["note"] = self.note
        if self.reason:
            out["reason"] = self.reason
        return out


@_fast_new
@dataclass(frozen=True, slots=True)
class Contribution:
    """One term of the score. ``points`` are log-odds: risk = sigmoid(bias + sum(points)) for the
    ``scam`` score, and likewise for the ``spam`` score; bias and caps are in ``rules/scores.yaml``."""

    id: str  # a flag id, "COMBO:<name>", "CAP:<group>", "CANCEL:<flag>" or "FLOOR:<flag>"
    kind: str  # "flag" | "combo" | "cap" | "cancel" | "floor"
    score: str  # "scam" | "spam"
    points: float
    weight: float | None = None
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "score": self.score,
            "points": round(self.points, 6),
        }
        if self.weight is not None:
            out["weight"] = self.weight
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 6)
        return out


@_fast_new
@dataclass(frozen=True, slots=True)
class Advice:
    text: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source}


@_fast_new
@dataclass(frozen=True, slots=True)
class Verdict:
    id: str | None
    verdict: VerdictLabel
    risk: float
    spam_score: float
    scam_type: str | None
    scam_type_label: str | None
    flags: tuple[Flag, ...] = ()
    advice: tuple[Advice, ...] = ()
    contributions: tuple[Contribution, ...] = ()

    def flag_ids(self) -> set[str]:
        return {f.id for f in self.flags}

    def to_dict(self, *, explain: bool = True) -> dict[str, Any]:
        """The stable JSON form (README, "Output format"). ``explain=False``: the verdict alone - id,
        verdict, risk, spam score, scam type and the ids of the warning signs behind it."""
        if _speedups is not None and type(self) is Verdict:  # the same dict, built in C
            return _speedups.verdict_dict(self) if explain else _speedups.verdict_dict_quick(self)
        if not explain:
            out = {"id": self.id, "verdict": self.verdict, "risk": round(self.risk, 4),
                   "spam_score": round(self.spam_score, 4), "scam_type": self.scam_type,
                   "flags": [f.id for f in self.flags if f.status == "warning"]}
            return out
        # Flag.to_dict, Span.to_dict, Advice.to_dict and Contribution.to_dict written out here (the same dicts,
        # keys in the same order) rather than called per item: a verdict has a dozen or more of them. (An item of
        # a subclass keeps its own to_dict.)
        flags = []
        for f in self.flags:
            if type(f) is not Flag:
                flags.append(f.to_dict())
                continue
            d = {"id": f.id, "description": f.description, "weight": f.weight, "confidence": round(f.confidence, 4),
                 "group": f.group, "status": f.status,
                 "evidence": [{"text": sp.text, "start": sp.start, "end": sp.end, "turn": sp.turn}
                              if type(sp) is Span else sp.to_dict() for sp in f.evidence]}
            if f.note:
                d["note"] = f.note
            if f.reason:
                d["reason"] = f.reason
            flags.append(d)
        contributions = []
        for c in self.contributions:
            if type(c) is not Contribution:
                contributions.append(c.to_dict())
                continue
            d = {"id": c.id, "kind": c.kind, "score": c.score, "points": round(c.points, 6)}
            if c.weight is not None:
                d["weight"] = c.weight
            if c.confidence is not None:
                d["confidence"] = round(c.confidence, 6)
            contributions.append(d)
        out: dict[str, Any] = {
            "id": self.id,
            "verdict": self.verdict,
            "risk": round(self.risk, 4),
            "spam_score": round(self.spam_score, 4),
            "scam_type": self.scam_type,
            "scam_type_label": self.scam_type_label,
            "flags": flags,
            "advice": [{"text": a.text, "source": a.source} if type(a) is Advice else a.to_dict() for a in self.advice],
            "contributions": contributions,
        }
        return out


# Verdict.to_dict in C where the optional extension is built (setup.py; _speedups.c): the same dicts.
try:
    from . import _speedups

    _speedups.configure(Verdict, Flag, Span, Advice, Contribution)
except (ImportError, TypeError):  # not built, or built for other classes than these
    _speedups = None
