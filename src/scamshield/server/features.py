"""Optional parts of scamshield the server wires in when they are installed, imported lazily.

Each function answers "is it there?" without importing heavy modules until a request needs them.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


@lru_cache(maxsize=1)
def has_callerid() -> bool:
    return _has("scamshield.callerid.numbers")


@lru_cache(maxsize=1)
def has_live_calls() -> bool:
    return _has("scamshield.calls.session")


@lru_cache(maxsize=1)
def has_transcription() -> bool:
    """The recording pipeline and a speech engine's library (faster-whisper or pocketsphinx)."""
    if not (_has("scamshield.calls.pipeline") and _has("scamshield.calls.transcribe")):
        return False
    return (_has("faster_whisper") or _has("pocketsphinx")) and _has("soundfile")


@lru_cache(maxsize=1)
def has_screening() -> bool:
    return _has("scamshield.callerid.screening")


def explain_number(raw: str) -> dict | None:
    """The caller-ID module's account of a number: summary lines, warnings, who owns the range."""
    if not _has("scamshield.callerid.explain"):
        return None
    from ..callerid.explain import explain_number as explain

    return explain(raw)
