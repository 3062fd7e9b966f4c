"""The detectors the default analyzer runs. Adding a detector means one line here."""

from __future__ import annotations

from .base import AccumulatingDetector, MessageDetector, TextDetector


def default_detectors() -> list[TextDetector | MessageDetector | AccumulatingDetector]:
    from ..callerid.detector import CallbackNumberDetector, CallerIdDetector
    from .links import LinkDetector
    from .model import ModelDetector
    from .patterns import PatternDetector

    detectors: list[TextDetector | MessageDetector | AccumulatingDetector] = [
        PatternDetector.from_rules(),
        LinkDetector.from_rules(),
        CallerIdDetector(), CallbackNumberDetector(),
        ModelDetector.default(),
    ]
    return detectors
