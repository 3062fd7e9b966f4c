"""The detectors the default analyzer runs. Adding a detector means one line here."""

from __future__ import annotations

from .base import AccumulatingDetector, MessageDetector, TextDetector


def default_detectors() -> list[TextDetector | MessageDetector | AccumulatingDetector]:
    from ..callerid.detector import CallbackNumberDetector, CallerIdDetector
    from .links import LinkDetector
    from .lure import LureDetector
    from .model import ModelDetector
    from .patterns import PatternDetector

    detectors: list[TextDetector | MessageDetector | AccumulatingDetector] = [
        PatternDetector.from_rules(),
        LinkDetector.from_rules(),
        CallerIdDetector(), CallbackNumberDetector(),
        ModelDetector.default(),
        LureDetector(_judge_text),
    ]
    return detectors


def _judge_text(text: str):
    """The default engine's verdict on a text (the message that gave a user the number they rang)."""
    from ..analyzer import Analyzer
    from ..models import Message

    return Analyzer.default().analyze(Message(channel="sms", text=text))
