"""What a detector is. Three shapes, because evidence arrives in three ways:

* ``TextDetector`` looks at one text unit (an SMS, or one turn of a call) on its own;
* ``MessageDetector`` looks at the message as a whole once (caller ID, sender, direction);
* ``AccumulatingDetector`` keeps a small state fed unit by unit (a learned model summing
  n-gram evidence over a call), so a live call costs the same per turn however long it gets.

Every detector returns ``Finding``s whose ``flag`` is defined in ``rules/*flags*.yaml``.

Any detector may also offer ``prepare(units, *, explain)``: ``Analyzer.analyze_batch`` calls it with a slice of
text messages' units before analysing them one by one (and with ``[]`` after), so that work over large tables is
done for the whole slice in a row, while the tables are in the CPU's caches; the findings must not change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from ..models import Finding, Message
from ..preprocess import TextUnit


@runtime_checkable
class TextDetector(Protocol):
    name: str

    def analyze(self, unit: TextUnit) -> Iterable[Finding]: ...


@runtime_checkable
class MessageDetector(Protocol):
    name: str

    def analyze_message(self, message: Message, units: list[TextUnit]) -> Iterable[Finding]: ...


@runtime_checkable
class AccumulatingDetector(Protocol):
    name: str

    def new_state(self) -> Any: ...

    def feed(self, state: Any, unit: TextUnit) -> None: ...

    def findings(self, state: Any) -> Iterable[Finding]: ...
