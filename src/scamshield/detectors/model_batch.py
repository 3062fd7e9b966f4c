"""The learned model's part of a batch (``Analyzer.analyze_batch``, ``ModelDetector.prepare``): the sums of a
slice of text messages' units, and their evidence ranges when the verdicts are explained, worked out one after
another, while the model's multi-megabyte tables are in the CPU's caches; ``ModelDetector.feed`` then takes each
unit's sums from here. The same numbers as working each out in the middle of its own verdict."""

from __future__ import annotations

import threading
from typing import Any

from .model_text import _ngrams

_PREPARED = threading.local()  # in this thread: (detector, {(channel, norm): (sum, tokens)}) or None


def prepare(det: Any, units: list, explain: bool, evidence_key: tuple) -> None:
    """Sum ``units`` (each by the channel's model that ``det.feed`` reads it with as a message's first unit) for
    ``prepared`` in this thread until the next call (``[]``: none). ``explain``: each unit's evidence ranges too,
    kept on the unit under ``evidence_key`` as ``ChannelModel.evidence`` keeps them (in C only)."""
    _PREPARED.sums = None
    if not units:
        return
    channels = det.model.channels
    sums: dict[tuple[str, str], Any] = {}
    for unit in units:
        channel = unit.channel if unit.channel in channels else "sms"
        cm = channels[channel]
        key = (channel, unit.norm)
        if key not in sums:
            sums[key] = cm.unit_total(unit.norm)
        if explain and cm.ctext is not None and cm.ctable is not None and unit.model_chunks is None:
            unit.model_chunks = (cm, evidence_key, _ngrams.text_evidence(cm.ctext, unit.norm, evidence_key[1], True))
    _PREPARED.sums = (det, sums)


def prepared(det: Any, channel: str, norm: str) -> Any:
    """The (sum, tokens) ``prepare`` worked out for ``norm`` read by ``channel``'s model of ``det``, or None."""
    found = getattr(_PREPARED, "sums", None)
    return found[1].get((channel, norm)) if found is not None and found[0] is det else None
