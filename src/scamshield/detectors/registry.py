"""The detectors the default analyzer runs. Adding a detector means one line here."""

from __future__ import annotations

from collections.abc import Callable

from ..models import Verdict
from ..settings import EngineSettings
from .base import AccumulatingDetector, MessageDetector, TextDetector


def default_detectors(settings: EngineSettings | None = None, judge_text: Callable[[str], Verdict] | None = None
                      ) -> list[TextDetector | MessageDetector | AccumulatingDetector]:
    """The shipped detectors over ``settings``' data (default: the environment's, ``settings.py``).
    ``judge_text`` gives the lure detector a text's verdict; left out, the analyzer they join gives it the
    default engine's."""
    from ..callerid.detector import CallbackNumberDetector, CallerIdDetector
    from ..organisations import organisation_index
    from .language import LanguageDetector
    from .links import LinkDetector
    from .lure import LureDetector
    from .model import ModelDetector
    from .patterns import PatternDetector
    from .prices import PriceDetector
    from .quoted import QuotedMessageDetector
    from .sender_links import SenderLinkDetector

    settings = EngineSettings.from_env() if settings is None else settings
    organisations = organisation_index(settings.organisations)
    links = LinkDetector.from_rules(organisations)
    detectors: list[TextDetector | MessageDetector | AccumulatingDetector] = [
        PatternDetector.from_rules(),
        links, SenderLinkDetector(links),
        CallerIdDetector(organisations=organisations), CallbackNumberDetector(organisations),
        ModelDetector(path=settings.model),
        LureDetector(judge_text), QuotedMessageDetector(), LanguageDetector.from_rules(), PriceDetector.from_rules(),
    ]
    return detectors
