"""The engine: preprocess -> detectors -> scorer -> Verdict. It only coordinates.

A whole message and a live call share one path: ``begin()`` starts an ``Analysis``, each text unit
(the SMS, or one call turn) is added once, and ``verdict()`` scores what has been seen. Findings are
merged per flag as they arrive, so adding a turn costs the same at minute 1 and at minute 120.

Verdicts first, explanations on demand: ``analyze(message, explain=False)`` gives the same verdict,
risk, scores, scam type and flags, but skips the work that only explains them - the learned model's
evidence words and the advice - so a caller that wants verdicts only (a firewall, a bulk scan) gets
them at full speed. ``explain=True`` (the default, the API, the page, ``check``) builds everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .advice import Advisor
from .callerid.numbers import parse_number
from .detectors.base import AccumulatingDetector, MessageDetector, TextDetector
from .detectors.lure import LureDetector
from .detectors.multimatch import MultiMatcher
from .errors import InputError
from .mentions import is_senders_site, links_in
from .models import Finding, Message, Turn, Verdict, role_of
from .preprocess import TextUnit, make_unit
from .quoted import blank, forwarded_quote
from .scoring import FindingSet, Scorer
from .settings import EngineSettings

MAX_TEXT_CHARS = 100_000  # per message or per turn; longer input is an error, not a slow verdict
MAX_TURNS = 20_000
MAX_BATCH_MEMO = 100_000  # distinct texts remembered per analyze_batch call


class Analyzer:
    def __init__(self, detectors: Iterable[Any], scorer: Scorer, advisor: Advisor) -> None:
        self.text_detectors: list[TextDetector] = []
        self.message_detectors: list[MessageDetector] = []
        self.accumulating: list[AccumulatingDetector] = []
        for det in detectors:
            if isinstance(det, AccumulatingDetector):
                self.accumulating.append(det)
            elif isinstance(det, MessageDetector):
                self.message_detectors.append(det)
            elif isinstance(det, TextDetector):
                self.text_detectors.append(det)
            else:
                raise TypeError(f"{det!r} is not a detector")
            if isinstance(det, LureDetector) and det.judge is None:
                det.judge = _judge_text  # a lure is judged by the default engine
        self.scorer = scorer
        self.advisor = advisor
        # What does its part of a batch's work for a whole slice of text units at once (``analyze_batch``): a
        # detector's ``prepare(units, explain=...)``, and the candidate finder of a red-flag detector (``_Prefetch``).
        self._batch_hooks: list[Any] = []
        for det in self.text_detectors + self.accumulating + self.message_detectors:
            matcher = getattr(det, "matcher", None)
            if isinstance(matcher, MultiMatcher):
                self._batch_hooks.append(_Prefetch(matcher))
            if callable(getattr(det, "prepare", None)):
                self._batch_hooks.append(det)

    @classmethod
    def default(cls) -> Analyzer:
        """The shipped rules and detectors over the environment's settings (``settings.py``), built once
        per process (and per settings)."""
        return _analyzer_for(EngineSettings.from_env())

    @classmethod
    def build(cls, extra_detectors: Iterable[Any] = (), *, rules: str | None = None, model: str | None = None,
              organisations: str | None = None) -> Analyzer:
        """The shipped detectors plus ``extra_detectors``, over the data passed in: ``rules`` (a rules
        overlay file), ``model`` (a model artifact), ``organisations`` (an organisations file). Each left
        out is the environment's setting (``settings.EngineSettings.from_env()``), else the shipped file."""
        env = EngineSettings.from_env()
        settings = EngineSettings(rules if rules is not None else env.rules, model if model is not None else env.model,
                                  organisations if organisations is not None else env.organisations)
        return cls._assemble(settings, extra_detectors)

    @classmethod
    def _assemble(cls, settings: EngineSettings, extra_detectors: Iterable[Any] = ()) -> Analyzer:
        from .detectors.registry import default_detectors

        def judge(text: str) -> Verdict:  # a lure, with the same data (and without the extra detectors)
            return _analyzer_for(settings).analyze(Message(channel="sms", text=text))

        return cls([*default_detectors(settings, judge), *extra_detectors], Scorer.from_rules(settings.rules),
                   Advisor.from_rules())

    def begin(self, message: Message | None = None) -> Analysis:
        return Analysis(self, message or Message(channel="call"))

    def analyze(self, message: Message, *, explain: bool = True) -> Verdict:
        """The verdict on one message or call; ``explain=False``: verdict only (see the module docstring)."""
        analysis = Analysis(self, message, with_units=False, explain=explain)
        if message.turns:
            if len(message.turns) > MAX_TURNS:
                raise InputError(f"a call may have at most {MAX_TURNS} turns (got {len(message.turns)})")
            units = [
                _unit(t.text, turn=i, speaker=t.speaker, role=role_of(t.speaker, message.direction),
                      channel=message.channel)
                for i, t in enumerate(message.turns)
            ]
        else:
            units = [_unit(message.text, channel=message.channel)]
        analysis.add_units(units)
        return analysis.verdict(_final=True)

    def analyze_batch(self, messages: Iterable[Message], *, explain: bool = True) -> list[Verdict]:
        """Verdicts for many messages. Bulk SMS repeats itself, so a text message identical to an
        earlier one in the batch (same text and caller-ID fields) gets that verdict again, under its
        own id; calls and signed messages (a signature's age depends on the clock) are always analysed.

        Text messages are analysed in slices of ``BATCH_SLICE``: each slice's texts are normalised, then the
        detectors that can (``_batch_hooks``) do their part for the whole slice in one pass over their tables,
        which then stay in the CPU's caches; then each message is analysed as ``analyze`` does. Same verdicts."""
        out: list[Verdict | None] = []
        seen: dict[tuple, int] = {}  # a text message's fields -> where in ``out`` its first verdict goes
        waiting: list[tuple[int, Message]] = []  # text messages still to analyse, and where each verdict goes
        repeats: list[tuple[int, int, str | None]] = []  # (where, where the first one's verdict goes, id)
        for m in messages:
            if m.turns or m.identity is not None:
                out.append(self.analyze(m, explain=explain))
                continue
            key = (m.channel, m.text, m.sender, m.recipient, m.direction, m.dialled, m.verstat,
                   getattr(m, "lure", None))
            first = seen.get(key)
            if first is None:
                if len(seen) < MAX_BATCH_MEMO:
                    seen[key] = len(out)
                waiting.append((len(out), m))
                out.append(None)
                if len(waiting) >= BATCH_SLICE:
                    self._analyze_slice(waiting, out, explain)
                    waiting = []
            elif out[first] is not None:
                out.append(replace(out[first], id=m.id))
            else:
                repeats.append((len(out), first, m.id))
                out.append(None)
        if waiting:
            self._analyze_slice(waiting, out, explain)
        for i, first, mid in repeats:
            out[i] = replace(out[first], id=mid)
        return out  # type: ignore[return-value]  # every place is filled by now

    def _analyze_slice(self, waiting: list[tuple[int, Message]], out: list, explain: bool) -> None:
        """``analyze`` of each text message in ``waiting`` (none with turns), its verdict put at its place in
        ``out``; the detectors' batch work done first for all of them (see ``analyze_batch``)."""
        units = [_unit(m.text, channel=m.channel) for _, m in waiting]
        hooks = self._batch_hooks
        try:
            for hook in hooks:
                hook.prepare(units, explain=explain)
            for (i, m), unit in zip(waiting, units, strict=True):
                analysis = Analysis(self, m, with_units=False, explain=explain)
                analysis.add_units([unit])
                out[i] = analysis.verdict(_final=True)
        finally:
            for hook in hooks:
                hook.prepare([])


BATCH_SLICE = 128  # text messages a batch prepares at once (``Analyzer.analyze_batch``)


class _Prefetch:
    """A red-flag detector's candidate finder as a batch hook: the candidates of a slice's texts found in a row
    (``MultiMatcher.prefetch``)."""

    def __init__(self, matcher: MultiMatcher) -> None:
        self.matcher = matcher

    def prepare(self, units: list[TextUnit], *, explain: bool = False) -> None:
        self.matcher.prefetch([u.norm for u in units])


# How much of a call before a turn may supply a flag's required words: about the last two or three turns.
RECENT_CHARS = 400


def _unit(text: str, **kw) -> TextUnit:
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    quote = forwarded_quote(text)
    if quote is None:
        return make_unit(text, **kw)
    # a message passed on to ask or warn about it: its words were not sent to the reader (quoted.py)
    unit = make_unit(blank(text, quote), **kw)
    unit.quote = quote
    return unit


class Analysis:
    """The state of one message or call being analysed; see the module docstring."""

    def __init__(self, analyzer: Analyzer, message: Message, *, with_units: bool = True,
                 explain: bool = True) -> None:
        self.analyzer = analyzer
        self.message = message
        self.explain = explain
        self.found = FindingSet()
        self.states = [(det, det.new_state()) for det in analyzer.accumulating]
        self._sender_site: str | bool | None = False  # worked out when a link first needs it (_gives_a_link)
        self.turns = 0
        self.recent = ""  # the last RECENT_CHARS of the call so far, normalised (TextUnit.before)
        if with_units:
            # Caller-ID findings need no text: report them from the first moment of a call.
            self._message_findings([])

    def _message_findings(self, units: list[TextUnit]) -> None:
        for det in self.analyzer.message_detectors:
            for f in det.analyze_message(self.message, units):
                self.found.add(f)

    def add_units(self, units: list[TextUnit]) -> None:
        user = self.analyzer.scorer.user_factor
        for unit in units:
            factor = user if unit.role == "user" else 1.0
            if unit.turn is not None:
                unit.before, self.recent = self.recent or None, (self.recent + " " + unit.norm)[-RECENT_CHARS:]
            self.found.has_link = self.found.has_link or self._gives_a_link(unit)
            for det in self.analyzer.text_detectors:
                for f in det.analyze(unit):
                    self.found.add(f, factor)
            for det, state in self.states:
                det.feed(state, unit)
        self._message_findings(units)
        self.turns += len(units)

    def _gives_a_link(self, unit: TextUnit) -> bool:
        """Whether the unit gives a web address other than the sender's own site: a text sent as "Screwfix"
        linking to screwfix.com sends you where its sender ID already says (a look-alike never matches)."""
        links = links_in(unit)
        if not links:
            return False
        own = self._sender_site
        if own is False:  # the sender ID as a site name ("Screwfix" -> screwfix), once per message
            sender = self.message.sender
            name = parse_number(sender).sender_name if sender and self.message.channel == "sms" else None
            own = re.sub(r"[^a-z0-9]", "", name.lower()) if name else ""
            own = self._sender_site = own if len(own) >= 4 else None
        return own is None or any(not is_senders_site(link.host, own) for link in links)

    def add_turn(self, turn: Turn) -> Verdict:
        """Feed one more call turn and return the verdict so far."""
        role = role_of(turn.speaker, self.message.direction)
        self.add_units([_unit(turn.text, turn=self.turns, speaker=turn.speaker, role=role, channel="call")])
        return self.verdict()

    def findings(self, *, _final: bool = False) -> FindingSet:
        explain = self.explain
        if _final:  # nothing more will be added: merge in place rather than copy
            add = self.found.add
            for det, state in self.states:
                for f in det.findings(state) if explain else _findings_only(det, state):
                    add(f)
            return self.found
        extra: list[Finding] = []
        for det, state in self.states:
            extra.extend(det.findings(state) if explain else _findings_only(det, state))
        return self.found.merged_with(extra)

    def verdict(self, *, _final: bool = False) -> Verdict:
        an = self.analyzer
        score = an.scorer.score(self.findings(_final=_final))
        label = an.scorer.label(score.risk, score.spam_score)
        flags = an.scorer.settle(score.flags, label)
        scam_type, type_label = (None, None)
        if label in ("scam", "suspicious"):
            scam_type, type_label = an.advisor.scam_type(flags)
        advice = an.advisor.advice(label, scam_type, flags, self.message.channel) if self.explain else ()
        # id, verdict, risk, spam score, scam type and its label, flags, advice, contributions
        return Verdict(self.message.id, label, score.risk, score.spam_score, scam_type, type_label, flags, advice,
                       score.contributions)


def _findings_only(det: AccumulatingDetector, state: Any) -> Iterable[Finding]:
    """A detector's findings without the evidence words that only explain them (same flags and
    confidences). A detector may offer ``findings_without_evidence(state)``; the learned model keeps
    the units that pushed each way most in ``state.best`` to find its evidence words in, so with none
    kept there it finds none and spends nothing on them."""
    quick = getattr(det, "findings_without_evidence", None)
    if quick is not None:
        return quick(state)
    best = getattr(state, "best", None)
    if not isinstance(best, dict):
        return det.findings(state)
    state.best = dict.fromkeys(best, ())  # nothing to find evidence in, for this call only
    try:
        return list(det.findings(state))
    finally:
        state.best = best


@lru_cache(maxsize=4)
def _analyzer_for(settings: EngineSettings) -> Analyzer:
    return Analyzer._assemble(settings)


def _judge_text(text: str) -> Verdict:
    """The default engine's verdict on a text (the message that gave a user the number they rang)."""
    return Analyzer.default().analyze(Message(channel="sms", text=text))


def analyze(message: Message | str, **fields: Any) -> Verdict:
    """Analyse one message with the default engine: ``analyze("text")`` or ``analyze(Message(...))``."""
    if isinstance(message, str):
        message = Message(text=message, **fields)
    return Analyzer.default().analyze(message)
