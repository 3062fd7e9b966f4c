"""Run an engine over labelled examples and turn its verdicts into ``metrics.Prediction``s.

Three engines, so the benefit of each part can be shown side by side:

* ``combined`` - the default analyzer: red-flag rules, caller-ID checks and the learned model;
* ``rules``    - the same analyzer with the learned model left out;
* ``model``    - the learned model alone, with the scorer's thresholds on its calibrated probabilities.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Message
from .data import Example
from .metrics import Prediction

ENGINES = ("combined", "rules", "model")


def _text(m: Message) -> str:
    return m.text if not m.turns else " | ".join(t.text for t in m.turns)


def engine(name: str, weights: dict[str, float] | None = None):
    """A function Message -> (verdict, risk, spam score, flag ids). ``weights`` overrides flag weights
    of the combined engine (e.g. the model's unbounded benchmark fit)."""
    from ..analyzer import Analyzer

    if name == "combined" and weights:
        import dataclasses

        from .. import rules
        from ..advice import Advisor
        from ..detectors.registry import default_detectors
        from ..scoring import Scorer

        defs = {k: dataclasses.replace(v, weight=float(weights.get(k, v.weight))) for k, v in rules.flag_defs().items()}
        an = Analyzer(default_detectors(), Scorer(defs, rules.combo_defs(), rules.score_config()), Advisor.from_rules())
    elif name == "combined":
        an = Analyzer.default()
    elif name == "rules":
        from .train import rules_only_analyzer

        an = rules_only_analyzer()
    elif name == "model":
        return _model_engine()
    else:
        raise ValueError(f"unknown engine {name!r}")

    def run(m: Message):
        v = an.analyze(m)
        return v.verdict, v.risk, v.spam_score, tuple(f.id for f in v.flags)

    return run


def _model_engine():
    from ..detectors.model import ModelDetector
    from ..preprocess import make_unit
    from ..scoring import Scorer

    det = ModelDetector.default()
    scorer = Scorer.from_rules()

    def run(m: Message):
        state = det.new_state()
        units = [make_unit(t.text, turn=i, speaker=t.speaker, channel=m.channel) for i, t in enumerate(m.turns)]
        for u in units or [make_unit(m.text, channel=m.channel)]:
            det.feed(state, u)
        probs = det.probabilities(state)
        label = scorer.label(probs["scam"], probs["spam"])
        flags = ("MODEL_SCAM",) if probs["scam"] >= 0.5 else ()
        flags += ("MODEL_SPAM",) if probs["spam"] >= 0.5 else ()
        return label, probs["scam"], probs["spam"], flags

    return run


def predict(examples: Iterable[Example], engine_name: str = "combined", weights=None) -> list[Prediction]:
    run = engine(engine_name, weights)
    out = []
    for ex in examples:
        verdict, risk, spam, flags = run(ex.message)
        out.append(Prediction(ex.message.id, ex.label, ex.source, verdict, risk, spam, flags, _text(ex.message)))
    return out
