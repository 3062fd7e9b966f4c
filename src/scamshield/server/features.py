"""The one optional part the server may lack: speech-to-text (the ``audio`` extra). Everything else the
server serves - caller-ID checks, screening, live calls by text - is part of scamshield itself.

``has_transcription()`` answers "is it there?" without importing the heavy libraries; without it,
recordings and live audio are answered 501 with the extra to install.
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
def has_transcription() -> bool:
    """A speech engine's library (faster-whisper or pocketsphinx) and soundfile to read recordings."""
    return (_has("faster_whisper") or _has("pocketsphinx")) and _has("soundfile")
