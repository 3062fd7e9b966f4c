"""Number reputation as an engine signal: ``ReputationDetector`` raises NUMBER_REPORTED when the
caller ID, the number dialled, or a number written in the message has been reported as a scam.

It needs a ``ReportStore``, so it is added only where one is configured (``Analyzer.build(
extra_detectors=[ReputationDetector(store)])``); the default analyzer never touches a database.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from ..callerid.screening import REPORTED, reported_confidence
from ..mentions import phone_numbers_in
from ..models import Finding, Message, Span
from ..preprocess import TextUnit
from .extract import PROTECTED_NUMBERS, e164

FLAG = REPORTED
_CACHE_SIZE = 4096


class ReputationDetector:
    name = "reputation"

    def __init__(self, store, *, min_reports: int = 1) -> None:
        self.store = store
        self.min_reports = min_reports
        self._cache: OrderedDict[str, tuple[int, dict]] = OrderedDict()
        self._lock = threading.Lock()  # the server analyses requests on several threads

    def lookup(self, number: str) -> dict:
        """The store's reputation for an E.164 number, cached until the store next changes."""
        version = self.store.version
        with self._lock:
            hit = self._cache.get(number)
            if hit is not None and hit[0] == version:
                self._cache.move_to_end(number)
                return hit[1]
        rep = self.store.reputation(number)
        with self._lock:
            self._cache[number] = (version, rep)
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return rep

    def analyze_message(self, message: Message, units: list[TextUnit]) -> Iterable[Finding]:
        # The caller ID and the number dialled: checked on every call (a cached lookup), because
        # a whole message arrives here once with all its units and a live call once per turn.
        for raw, who in ((message.sender, "The caller ID"), (message.dialled, "The number you called")):
            num = e164(raw) if raw else None
            finding = self._finding(num, who, ()) if num else None
            if finding:
                yield finding
        for unit in units:  # numbers written in the text or said in a call (found once per unit)
            for info, span in phone_numbers_in(unit):
                finding = self._finding(info.e164, "The number in this message", (span,)) if info.e164 else None
                if finding:
                    yield finding

    def _finding(self, number: str, who: str, evidence: tuple[Span, ...]) -> Finding | None:
        if number in PROTECTED_NUMBERS:
            return None
        rep = self.lookup(number)
        if rep["reports"] < self.min_reports:
            return None
        summary = rep["summary"]
        note = f"{who} ({number}): {summary[0].lower()}{summary[1:]}"
        return Finding(FLAG, reported_confidence(rep["reports"]), evidence, note)
