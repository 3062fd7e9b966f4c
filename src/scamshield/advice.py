"""Which scam type a verdict is, and what to do about it. Both come from data
(rules/scam_types.yaml, rules/advice.yaml); every advice line carries its source."""

from __future__ import annotations

from . import rules
from .errors import RulesError
from .models import Advice, Flag


class Advisor:
    def __init__(self, types: dict, advice: dict) -> None:
        self.types: list[tuple[str, str, dict[str, float], float]] = []
        for tid, spec in (types.get("types") or {}).items():
            self.types.append((tid, spec["label"], dict(spec["signals"]), float(spec.get("min", 1.0))))
        sources = advice.get("sources") or {}

        def lines(entries: list) -> tuple[Advice, ...]:
            out = []
            for e in entries or []:
                src = sources.get(e["source"], e["source"])
                if not src:
                    raise RulesError(f"advice line without a source: {e['text'][:40]!r}")
                out.append(Advice(" ".join(e["text"].split()), src))
            return tuple(out)

        self.by_type = {tid: lines(v) for tid, v in (advice.get("types") or {}).items()}
        self.general = lines(advice.get("general_scam"))
        self.for_spam = lines(advice.get("spam"))
        self.for_safe = lines(advice.get("safe"))
        for tid, _, _, _ in self.types:
            if tid not in self.by_type:
                raise RulesError(f"scam type {tid} has no advice in advice.yaml")
        self._advice: dict[tuple[str, str | None], tuple[Advice, ...]] = {}  # advice() is pure: remembered

    @classmethod
    def from_rules(cls) -> Advisor:
        return cls(rules.scam_types(), rules.advice_data())

    def scam_type(self, flags: tuple[Flag, ...]) -> tuple[str | None, str | None]:
        conf = {f.id: f.confidence for f in flags if f.weight > 0 and f.counts}
        best, best_score = None, 0.0
        for tid, label, signals, minimum in self.types:
            if conf.keys().isdisjoint(signals):  # scores 0, which never beats best_score
                continue
            s = sum(w * conf[f] for f, w in signals.items() if f in conf)
            if s >= minimum and s > best_score:
                best, best_score = (tid, label), s
        return best if best else (None, None)

    def advice(self, verdict: str, scam_type: str | None) -> tuple[Advice, ...]:
        found = self._advice.get((verdict, scam_type))
        if found is None:
            found = self._advice[(verdict, scam_type)] = self._work_out_advice(verdict, scam_type)
        return found

    def _work_out_advice(self, verdict: str, scam_type: str | None) -> tuple[Advice, ...]:
        if verdict in ("scam", "suspicious"):
            specific = self.by_type.get(scam_type, ()) if scam_type else ()
            seen = {a.text for a in specific}
            return specific + tuple(a for a in self.general if a.text not in seen)
        if verdict == "spam":
            return self.for_spam
        return self.for_safe
