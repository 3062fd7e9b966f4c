"""The detectors: each reads a text unit or a message and returns findings (flag, confidence, words)."""
