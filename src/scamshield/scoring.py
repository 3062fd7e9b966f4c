"""Turn findings into a verdict: weights, group caps, combinations and thresholds, all from data.

Every term is in log-odds points, so a verdict can be recomputed by hand from its contributions:

    risk       = sigmoid(bias      + sum(points of contributions with score == "scam"))
    spam_score = sigmoid(spam_bias + sum(points of contributions with score == "spam"))

A flag contributes weight x confidence. When a group's positive points exceed its cap (say, five
different urgency phrases), a ``CAP:<group>`` contribution takes the excess back. A combination adds
its points x the weakest confidence among the flags that make it up.

Two rules from scores.yaml keep verdicts consistent with what a signal proves:

* ``cancels``: a signal can make others meaningless (ringing HMRC's own number makes "HMRC asked my date
  of birth" expected). A cancelled flag stays in the verdict, marked ``cancelled`` with the reason, and a
  ``CANCEL:<flag>`` contribution takes its points back; it joins no group cap and no combination.
* ``min_verdict``: a signal that proves a lie (a caller ID that cannot call out) makes the verdict at least
  that bad; a ``FLOOR:<flag>`` contribution adds the points needed.
* ``not_spam_when``: marketing never hides what only scams ask for; such a message is at least suspicious.
* ``scam_needs``: a scam verdict needs a warning sign from what the message asks, threatens or proves
  (these groups or flags, or a ``min_verdict`` flag); who it claims to be and how it reads are not
  enough. Without one, a ``CAP:scam_needs`` contribution holds the risk just below the scam threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from . import rules
from .models import Contribution, Finding, Flag, Span, _fast_new

MAX_EVIDENCE = 5
_BELOW_SCAM = 0.05  # log-odds under the scam threshold where ``scam_needs`` holds a verdict (risk 79 %, not 80 %)
_KIND_ORDER = {"flag": 0, "cancel": 1, "cap": 2, "combo": 3, "floor": 4}


def _by_size(c: Contribution) -> tuple[float, str]:
    """Contributions of one kind in a verdict: the largest points first, then by id."""
    return -abs(c.points), c.id


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@dataclass(slots=True)
class _Hit:
    confidence: float
    evidence: list[Span]
    note: str | None
    not_only_user: bool = True  # someone but the user said it (a text, a caller, the caller ID): Scorer._asked


class FindingSet:
    """Findings merged by flag: the highest confidence wins, evidence is pooled (deduplicated, capped).

    Merging is O(1) per finding, so a live call's cost per turn does not grow with its length."""

    __slots__ = ("has_link", "hits")

    def __init__(self) -> None:
        self.hits: dict[str, _Hit] = {}
        self.has_link = False  # the message gives a web address (a cancel may hold only without one)

    def add(self, finding: Finding, factor: float = 1.0) -> None:
        conf = finding.confidence * factor
        if not 0.0 < conf <= 1.0:  # (inside, clipping leaves it as it is)
            conf = max(0.0, min(1.0, conf))
        hits = self.hits
        hit = hits.get(finding.flag)
        if hit is None:
            evidence = finding.evidence
            hits[finding.flag] = _Hit(conf, list(evidence if len(evidence) <= MAX_EVIDENCE else evidence[:MAX_EVIDENCE]),
                                      finding.note, factor >= 1.0)
            return
        if factor >= 1.0:
            hit.not_only_user = True
        if conf > hit.confidence:
            hit.confidence = conf
            if finding.note:
                hit.note = finding.note
        for span in finding.evidence:
            if len(hit.evidence) >= MAX_EVIDENCE:
                break
            if span not in hit.evidence:
                hit.evidence.append(span)

    def merged_with(self, findings: list[Finding]) -> FindingSet:
        if not findings:
            return self
        out = FindingSet()
        out.hits = {k: _Hit(h.confidence, list(h.evidence), h.note, h.not_only_user) for k, h in self.hits.items()}
        out.has_link = self.has_link
        for f in findings:
            out.add(f)
        return out


@_fast_new
@dataclass(frozen=True, slots=True)
class Score:
    risk: float
    spam_score: float
    flags: tuple[Flag, ...]
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True, slots=True)
class Cancel:
    by: tuple[str, ...]  # any of these flags cancels
    flags: frozenset[str]
    groups: frozenset[str]
    reason: str
    unless_flags: frozenset[str] = frozenset()  # ... unless one of these (or a flag of these groups) is there
    unless_groups: frozenset[str] = frozenset()
    unless_link: bool = False  # ... or unless the message gives a web address
    also: frozenset[str] = frozenset()  # ... and only with every one of these flags there too (``with``)
    also_groups: frozenset[str] = frozenset()  # ... and a warning of each of these groups (``with: [group:...]``)

    def covers(self, fid: str, group: str) -> bool:
        return fid not in self.by and fid not in self.also and (fid in self.flags or group in self.groups)


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


class Scorer:
    def __init__(self, flag_defs: dict[str, rules.FlagDef], combos, config: dict) -> None:
        self.defs = flag_defs
        self.bias = float(config.get("bias", -3.0))
        self.spam_bias = float(config.get("spam_bias", -3.0))
        self.caps = {k: float(v) for k, v in (config.get("group_caps") or {}).items()}
        # Floors bound a group's negative points the same way (a learned "looks legit" signal must not
        # outvote a voucher demand on its own).
        self.floors = {k: float(v) for k, v in (config.get("group_floors") or {}).items()}
        thresholds = config.get("thresholds") or {}
        self.t_scam = float(thresholds.get("scam", 0.8))
        self.t_suspicious = float(thresholds.get("suspicious", 0.5))
        self.t_spam = float(thresholds.get("spam", 0.5))
        # What the user says counts this much (they may repeat the other party's words).
        self.user_factor = float(config.get("user_factor", 0.5))
        self.user_reports = frozenset(config.get("user_reports") or ())  # (scores.yaml says why)
        # Groups listed after the others in a verdict (the learned model's opinion comes after the red
        # flags that say why in words).
        self.listed_last = frozenset(config.get("listed_last") or ())
        # Combos as (id, points, score, parts, with_number); a part is (is_group, name). Flags a combo names
        # that no file defines can never fire, so such combos are dropped here rather than checked per message.
        self._combos = tuple(
            (c.id, c.points, c.score, tuple((p.startswith("group:"), p[6:] if p.startswith("group:") else p) for p in c.all),
             frozenset(c.with_number))
            for c in combos
            if all(p.startswith("group:") or p in flag_defs for p in c.all)
        )
        self._empty = Score(sigmoid(self.bias), sigmoid(self.spam_bias), (), ())
        # per flag, what scoring reads of its definition: (weight, score, group, description)
        self._info = {fid: (d.weight, d.score, d.group, d.description) for fid, d in flag_defs.items()}
        # per flag, the start of its place in a verdict's list (``score``): a spam-score flag, of a group listed last
        self._order = {fid: (d.score != "scam", d.group in self.listed_last) for fid, d in flag_defs.items()}
        self.cancels = tuple(
            Cancel(
                by=tuple(f for f in ([c["by"]] if isinstance(c["by"], str) else c["by"]) if f in flag_defs),
                flags=frozenset(t for t in c["cancels"] if not t.startswith("group:")),
                groups=frozenset(t[6:] for t in c["cancels"] if t.startswith("group:")),
                reason=" ".join(str(c["reason"]).split()),
                unless_flags=frozenset(t for t in c.get("unless", ()) if not t.startswith("group:")),
                unless_groups=frozenset(t[6:] for t in c.get("unless", ()) if t.startswith("group:")),
                unless_link=bool(c.get("unless_link", False)),
                also=frozenset(t for t in c.get("with", ()) if not t.startswith("group:")),
                also_groups=frozenset(t[6:] for t in c.get("with", ()) if t.startswith("group:")),
            )
            for c in config.get("cancels") or ()
        )
        # Every flag that cancels anything: a message with none of them skips the cancel rules.
        self._cancellers = frozenset(b for c in self.cancels for b in c.by)
        # per such flag, the indexes of the cancels it is one of the ``by`` flags of
        self._cancels_by: dict[str, list[int]] = {}
        for i, c in enumerate(self.cancels):
            for b in dict.fromkeys(c.by):
                self._cancels_by.setdefault(b, []).append(i)
        reasons = config.get("outweighed") or {}
        self.outweighed_reasons = {
            k: " ".join(str(reasons.get(k, "Not enough on its own to make this a scam.")).split())
            for k in ("reassured", "alone", "marketing")
        }
        needs = config.get("scam_needs") or {}
        self.scam_needs = frozenset(needs.get("groups", ()))
        self.scam_needs_flags = frozenset(needs.get("flags", ())) | frozenset(config.get("min_verdict") or ())
        minimums = {"suspicious": self.t_suspicious, "scam": self.t_scam}
        self.min_verdict = {fid: minimums[v] for fid, v in (config.get("min_verdict") or {}).items() if fid in flag_defs}
        not_spam = config.get("not_spam_when") or {}
        self.not_spam_groups = frozenset(not_spam.get("groups", ()))
        self.not_spam_flags = frozenset(not_spam.get("flags", ()))
        self._spam_logit = _logit(self.t_spam)
        self._suspicious_logit = _logit(self.t_suspicious)
        self._scam_logit = _logit(self.t_scam)  # worked out once, not per message
        # Each combo is filed under one part it needs (a flag when it names one, else a group), so a
        # message is only checked against combos one of whose parts it has.
        self._combos_by_flag: dict[str, list[int]] = {}
        self._combos_by_group: dict[str, list[int]] = {}
        for i, (_, _, _, parts, _) in enumerate(self._combos):
            is_group, name = next((p for p in parts if not p[0]), parts[0])
            (self._combos_by_group if is_group else self._combos_by_flag).setdefault(name, []).append(i)

    @classmethod
    def from_rules(cls, overlay: str | Path | None = rules.FROM_ENV) -> Scorer:
        """The shipped scores with ``overlay`` laid over them (default: $SCAMSHIELD_RULES_OVERLAY, if set)."""
        return cls(rules.flag_defs(overlay), rules.combo_defs(), rules.score_config(overlay))

    def _asked(self, fid: str, hit: _Hit) -> bool:
        """False for a request (user_reports) that only the user spoke: "they told me to move it" is a report."""
        return hit.not_only_user or self.defs[fid].group not in self.user_reports or self.defs[fid].weight <= 0

    def score(self, found: FindingSet) -> Score:
        if not found.hits:
            return self._empty
        defs, info = self.defs, self._info
        # a detector raising an undefined flag is a bug, but never crashes a verdict
        hits = {fid: h for fid, h in found.hits.items() if fid in info and h.confidence > 0.0}
        cancelled: dict[str, Cancel] = {}
        # in file order, the cancels one of whose flags fired (no other can hold); a cancelled flag cancels
        # nothing itself, nor holds back another cancel as its "unless"; nor does a request only the user spoke
        for c in self._cancels_for(hits) if not self._cancellers.isdisjoint(hits) else ():
            if any(b in hits and b not in cancelled and self._asked(b, hits[b]) for b in c.by) and not (c.unless_link and found.has_link) and all(
                a in hits and a not in cancelled for a in c.also) and all(
                any(defs[f].group == g and defs[f].weight > 0 and f not in cancelled for f in hits) for g in c.also_groups
            ) and not any(
                (f in c.unless_flags or (defs[f].group in c.unless_groups and defs[f].weight > 0)) and f not in cancelled
                and self._asked(f, h)
                for f, h in hits.items()
            ):
                for fid in hits:
                    if fid not in cancelled and c.covers(fid, defs[fid].group):
                        cancelled[fid] = c
        # (sort key, flag): the keys are unique (they end with the flag id), so flags are never compared
        keyed: list[tuple[tuple, Flag]] = []
        # The contributions by kind, each kind sorted on its own and then put in _KIND_ORDER: the same order as
        # one stable sort on (kind, -|points|, id). The flags' keys are unique (they end with the flag id).
        flag_contribs: list[tuple[float, str, Contribution]] = []
        cancel_contribs: list[Contribution] = []
        caps: list[Contribution] = []
        combo_contribs: list[Contribution] = []
        floors: list[Contribution] = []
        group_pos: dict[tuple[str, str], float] = {}
        group_neg: dict[tuple[str, str], float] = {}
        # each score's running total, added to in the same order as before (so the same bits)
        scam_total, spam_total = self.bias, self.spam_bias
        present_groups: dict[str, float] = {}
        order = self._order
        for fid, hit in hits.items():
            weight, fscore, group, description = info[fid]
            conf = hit.confidence
            pts = weight * conf
            status, reason = ("reassuring" if pts < 0 else "warning"), None
            flag_contribs.append((-abs(pts), fid, Contribution(fid, "flag", fscore, pts, weight, conf)))
            is_scam = fscore == "scam"
            if is_scam:
                scam_total += pts
            else:
                spam_total += pts
            c = cancelled.get(fid) if cancelled else None
            if c is not None:
                status, reason = "cancelled", c.reason
                cancel_contribs.append(Contribution(f"CANCEL:{fid}", "cancel", fscore, -pts))
                if is_scam:
                    scam_total -= pts
                else:
                    spam_total -= pts
            elif pts > 0:
                key = (group, fscore)
                group_pos[key] = group_pos.get(key, 0.0) + pts
                present_groups[group] = max(present_groups.get(group, 0.0), conf)
            elif pts < 0:
                key = (group, fscore)
                group_neg[key] = group_neg.get(key, 0.0) + pts
            # Fraud signals first, strongest first; marketing (spam-score) signals after them; within each,
            # the groups listed last (the learned model) after the red flags; cancelled ones at the end.
            # (-pts is -weight * conf, bit for bit.)
            keyed.append(((c is not None, *order[fid], -pts, fid),
                          Flag(fid, description, weight, conf, group, tuple(hit.evidence), hit.note, status, reason)))
        totals = {"scam": scam_total, "spam": spam_total}
        if group_pos:
            for (group, score), pos in group_pos.items():
                cap = self.caps.get(group)
                if cap is not None and pos > cap:
                    caps.append(Contribution(f"CAP:{group}", "cap", score, cap - pos))
                    totals[score] += cap - pos
        if group_neg:
            for (group, score), neg in group_neg.items():
                floor = self.floors.get(group)
                if floor is not None and neg < floor:
                    caps.append(Contribution(f"FLOOR:{group}", "cap", score, floor - neg))
                    totals[score] += floor - neg
        by_flag, by_group = self._combos_by_flag, self._combos_by_group
        maybe = [i for f in hits if f in by_flag and f not in cancelled for i in by_flag[f]]
        maybe += [i for g in present_groups if g in by_group for i in by_group[g]]
        if maybe:
            maybe.sort()
            combos = self._combos
            for i in maybe:
                cid, cpoints, cscore, parts, with_number = combos[i]
                weakest = 1.0
                for is_group, name in parts:
                    if is_group:
                        c = present_groups.get(name)
                    else:
                        h = hits.get(name)
                        c = h.confidence if h is not None and name not in cancelled else None
                        if c and name in with_number and not any(ch.isdigit() for sp in h.evidence for ch in sp.text):
                            c = None  # the flag fired on words alone ("call us"), not on a number given
                    if not c:
                        break
                    if c < weakest:
                        weakest = c
                else:
                    pts = cpoints * weakest
                    combo_contribs.append(Contribution(f"COMBO:{cid}", "combo", cscore, pts, cpoints, weakest))
                    totals[cscore] += pts
        # A proven lie (a caller ID that cannot call out) makes the verdict at least this bad.
        for fid, risk in self.min_verdict.items() if not self.min_verdict.keys().isdisjoint(hits) else ():
            if fid in hits and fid not in cancelled and sigmoid(totals["scam"]) < risk:
                need = _logit(risk) - totals["scam"] + 1e-9
                floors.append(Contribution(f"FLOOR:{fid}", "floor", "scam", need))
                totals["scam"] += need
        # Marketing is unwanted, not fraud: a message the spam score would call marketing that also asks
        # for what only scams ask for (card details, codes, remote access, a look-alike site) is at least
        # suspicious - "spam" would file a phishing text with the newsletters.
        if (self.not_spam_groups or self.not_spam_flags) and totals["spam"] >= self._spam_logit \
                and totals["scam"] < self._suspicious_logit:
            why = next((fid for fid in hits if fid not in cancelled and defs[fid].weight > 0 and (
                defs[fid].group in self.not_spam_groups or fid in self.not_spam_flags)), None)
            if why is not None:
                need = self._suspicious_logit - totals["scam"] + 1e-9
                floors.append(Contribution(f"FLOOR:{why}", "floor", "scam", need))
                totals["scam"] += need
        # "Scam" says why in what the message asks or threatens, not only in who it claims to be.
        if self.scam_needs and totals["scam"] >= self._scam_logit and not any(
            fid not in cancelled and defs[fid].weight > 0
            and (defs[fid].group in self.scam_needs or fid in self.scam_needs_flags)
            for fid in hits
        ):
            cut = totals["scam"] - (self._scam_logit - _BELOW_SCAM)
            caps.append(Contribution("CAP:scam_needs", "cap", "scam", -cut))
            totals["scam"] -= cut
        if len(keyed) > 1:
            keyed.sort()
        flags = tuple([f for _, f in keyed])
        # A stable order, so a call scored turn by turn and the same call scored whole read the same:
        # by kind (_KIND_ORDER), then the largest points first, then id.
        if len(flag_contribs) > 1:
            flag_contribs.sort()
        contribs = [c for _, _, c in flag_contribs]
        for more in (cancel_contribs, caps, combo_contribs, floors):
            if more:
                if len(more) > 1:
                    more.sort(key=_by_size)
                contribs += more
        return Score(sigmoid(totals["scam"]), sigmoid(totals["spam"]), flags, tuple(contribs))

    def _cancels_for(self, hits: dict) -> list[Cancel]:
        """The cancels, in file order, one of whose ``by`` flags is in ``hits``."""
        by, cancels = self._cancels_by, self.cancels
        found = sorted({i for fid in hits if fid in by for i in by[fid]})
        return [cancels[i] for i in found]

    def cancellers_of(self, fid: str) -> frozenset[str]:
        """The flags that cancel ``fid`` (used by training to fit what the scorer will do)."""
        group = self.defs[fid].group if fid in self.defs else ""
        return frozenset(b for c in self.cancels if c.covers(fid, group) for b in c.by)

    def settle(self, flags: tuple[Flag, ...], label: str) -> tuple[Flag, ...]:
        """The flags as the verdict reports them: when the verdict is safe or spam, a fraud warning sign
        that fired is marked ``outweighed`` with the reason, so a safe verdict never lists warnings."""
        if label in ("scam", "suspicious"):
            return flags
        reassured = any(f.status == "reassuring" and self.defs[f.id].score == "scam" for f in flags)
        reasons = {"scam": self.outweighed_reasons["reassured" if reassured else "alone"],
                   # a safe verdict's marketing signs did not make it spam either
                   "spam": self.outweighed_reasons["marketing"] if label == "safe" else None}
        out = []
        for f in flags:
            reason = reasons[self.defs[f.id].score] if f.status == "warning" else None
            # the Flag built field by field: dataclasses.replace() costs about 10 us a flag
            out.append(Flag(f.id, f.description, f.weight, f.confidence, f.group, f.evidence, f.note, "outweighed",
                            reason) if reason else f)
        return tuple(out)

    def label(self, risk: float, spam_score: float) -> str:
        if risk >= self.t_scam:
            return "scam"
        if risk >= self.t_suspicious:
            return "suspicious"
        if spam_score >= self.t_spam:
            return "spam"
        return "safe"
