"""Which scam type a verdict is, and what to do about it. Both come from data
(rules/scam_types.yaml, rules/advice.yaml); every advice line carries its source.

Advice is chosen by the verdict, the scam type, the channel and the flags that fired: a text is never
told to hang up, and "do not press 1" only comes with a call that said "press 1". Each line may name
the channel it is for, the flags it needs, or that it is the fallback for callers that know neither
(see the head of advice.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from . import rules
from .errors import RulesError
from .models import Advice, Flag

CHANNELS = ("sms", "call")
VERDICTS = ("scam", "suspicious", "spam", "safe")
ROUTE_KINDS = ("sms", "tel", "web")
MAX_REMEMBERED = 4096  # advice choices remembered (they are pure)


@dataclass(frozen=True, slots=True)
class _Line:
    advice: Advice
    channel: str | None = None
    flags: frozenset[str] = frozenset()
    fallback: bool = False
    lead: bool = False  # given before the scam type's lines ("Hang up now" comes first on a call)
    says: str | None = None  # what it tells you to do ("call_159"): given once, by the first line that says it

    def applies(self, channel: str | None, fired: frozenset[str] | None) -> bool:
        if fired is None or channel is None:  # context unknown: the lines that need none
            return not self.channel and not self.flags
        if self.fallback or (self.channel and self.channel != channel):
            return False
        return not self.flags or not self.flags.isdisjoint(fired)


def _conditions(entry: dict, where: str) -> dict:
    channel = entry.get("channel")
    if channel is not None and channel not in CHANNELS:
        raise RulesError(f"{where}: channel must be one of {', '.join(CHANNELS)} (got {channel!r})")
    flags = entry.get("flags") or ()
    if isinstance(flags, str) or not all(isinstance(f, str) for f in flags):
        raise RulesError(f"{where}: flags must be a list of flag ids")
    return {"channel": channel, "flags": frozenset(flags), "fallback": bool(entry.get("fallback", False))}


def _line_conditions(entry: dict, where: str) -> dict:
    return {**_conditions(entry, where), "lead": bool(entry.get("lead", False)), "says": entry.get("says")}


class Advisor:
    def __init__(self, types: dict, advice: dict) -> None:
        self.types: list[tuple[str, str, dict[str, float], float]] = []
        # Weaker signals (a link that is not the organisation's, a fake government site) that name a type only
        # when no type's own signals reached its minimum: they say how, not what the scam is about.
        self.fallback_types: list[tuple[str, str, dict[str, float], float]] = []
        for tid, spec in (types.get("types") or {}).items():
            self.types.append((tid, spec["label"], dict(spec["signals"]), float(spec.get("min", 1.0))))
            if spec.get("fallback"):
                self.fallback_types.append((tid, spec["label"], dict(spec["fallback"]), float(spec.get("min", 1.0))))
        self.sources: dict[str, str] = dict(advice.get("sources") or {})
        # per flag, the indexes of the scam types it is a signal of (``scam_type``)
        self._types_by_signal: dict[str, list[int]] = {}
        for i, (_, _, signals, _) in enumerate(self.types):
            for fid in signals:
                self._types_by_signal.setdefault(fid, []).append(i)

        def source_of(entry: dict, where: str) -> str:
            src = self.sources.get(entry.get("source"), entry.get("source"))
            if not src:
                raise RulesError(f"{where}: no source")
            return src

        def lines(entries: list, section: str) -> tuple[_Line, ...]:
            out = []
            for e in entries or []:
                where = f"advice.yaml {section}: {str(e.get('text', ''))[:40]!r}"
                text = " ".join(str(e["text"]).split())
                out.append(_Line(Advice(text, source_of(e, where)), **_line_conditions(e, where)))
            return tuple(out)

        self.by_type = {tid: lines(v, tid) for tid, v in (advice.get("types") or {}).items()}
        self.general = lines(advice.get("general_scam"), "general_scam")
        self.for_spam = lines(advice.get("spam"), "spam")
        self.for_safe = lines(advice.get("safe"), "safe")
        for tid, _, _, _ in self.types:
            if tid not in self.by_type:
                raise RulesError(f"scam type {tid} has no advice in advice.yaml")
        self.report_routes = tuple(self._route(r, source_of) for r in advice.get("report_routes") or ())
        # The flags some line or route depends on: only these decide which advice a verdict gets.
        self.deciding = frozenset().union(
            *(ln.flags for ln in (*self.general, *self.for_spam, *self.for_safe)),
            *(ln.flags for group in self.by_type.values() for ln in group),
            *(frozenset(r["flags"]) for r in self.report_routes),
        )
        self._advice: dict[tuple, tuple[Advice, ...]] = {}  # advice() is pure: remembered

    @staticmethod
    def _route(entry: dict, source_of) -> dict:
        where = f"advice.yaml report_routes: {entry.get('id')!r}"
        for key in ("id", "kind", "to", "label"):
            if not entry.get(key):
                raise RulesError(f"{where}: needs {key!r}")
        if entry["kind"] not in ROUTE_KINDS:
            raise RulesError(f"{where}: kind must be one of {', '.join(ROUTE_KINDS)}")
        verdicts = list(entry.get("verdicts") or VERDICTS)
        if not set(verdicts) <= set(VERDICTS):
            raise RulesError(f"{where}: unknown verdict in {verdicts}")
        cond = _conditions(entry, where)
        return {
            "id": entry["id"], "kind": entry["kind"], "to": str(entry["to"]), "body": entry.get("body"),
            "label": " ".join(str(entry["label"]).split()), "text": " ".join(str(entry.get("text", "")).split()),
            "source": source_of(entry, where), "channel": cond["channel"], "flags": sorted(cond["flags"]),
            "verdicts": verdicts,
        }

    @classmethod
    def from_rules(cls) -> Advisor:
        return cls(rules.scam_types(), rules.advice_data())

    def scam_type(self, flags: tuple[Flag, ...]) -> tuple[str | None, str | None]:
        conf = {f.id: f.confidence for f in flags if f.weight > 0 and f.counts}
        best, best_score = None, 0.0
        by_signal = self._types_by_signal
        # in file order, the types one of whose signals fired (any other scores 0, which never beats best_score)
        tried = sorted({i for fid in conf if fid in by_signal for i in by_signal[fid]})
        types = self.types
        for i in tried:
            tid, label, signals, minimum = types[i]
            s = sum(w * conf[f] for f, w in signals.items() if f in conf)
            if s >= minimum and s > best_score:
                best, best_score = (tid, label), s
        if best is None:
            for tid, label, signals, minimum in self.fallback_types:
                s = sum(w * conf[f] for f, w in signals.items() if f in conf)
                if s >= minimum and s > best_score:
                    best, best_score = (tid, label), s
        return best if best else (None, None)

    def advice(self, verdict: str, scam_type: str | None, flags: tuple[Flag, ...] | None = None,
               channel: str | None = None) -> tuple[Advice, ...]:
        """The advice for a verdict. Give the verdict's ``flags`` and the message's ``channel`` to get the
        lines chosen for them; without them only the lines that fit any message are given."""
        fired = None if flags is None else self.fired(flags)
        key = (verdict, scam_type, channel, fired)
        found = self._advice.get(key)
        if found is None:
            found = self._work_out_advice(verdict, scam_type, channel, fired)
            if len(self._advice) < MAX_REMEMBERED:
                self._advice[key] = found
        return found

    def fired(self, flags: tuple[Flag, ...]) -> frozenset[str]:
        """The deciding flags that fired: warning signs, including ones outweighed or cancelled."""
        return frozenset(f.id for f in flags if f.weight > 0 and f.id in self.deciding)

    def _work_out_advice(self, verdict: str, scam_type: str | None, channel: str | None,
                         fired: frozenset[str] | None) -> tuple[Advice, ...]:
        if verdict in ("scam", "suspicious"):
            lead = tuple(ln for ln in self.general if ln.lead)
            groups = (lead, self.by_type.get(scam_type, ()) if scam_type else (), self.general)
        elif verdict == "spam":
            groups = (self.for_spam,)
        else:
            groups = (self.for_safe,)
        out: list[Advice] = []
        seen: set[str] = set()  # texts given, and what they told you to do
        for group in groups:
            for line in group:
                if line.advice.text not in seen and line.says not in seen and line.applies(channel, fired):
                    seen.add(line.advice.text)
                    if line.says:
                        seen.add(line.says)
                    out.append(line.advice)
        return tuple(out)
