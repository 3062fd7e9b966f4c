"""Every red flag with patterns in rules/flags/red_flags.yaml has table rows: at least one that must fire and
at least one near miss that must not (or only weakly)."""

from __future__ import annotations

import importlib

import yaml

from scamshield import rules
from scamshield.rules import FLAGS_DIR

TABLES = [
    "test_flags_impersonation", "test_flags_payment", "test_flags_threat", "test_flags_urgency",
    "test_flags_callback", "test_flags_credentials", "test_flags_secrecy", "test_flags_offer",
    "test_flags_marketing", "test_flags_reassurance", "test_flags_calls", "test_links", "test_quoted", "test_language",
    "test_prices",
]


def _rows():
    for name in TABLES:
        for param in importlib.import_module(name).ROWS:
            _text, flag, expect, _span, _at = param.values
            yield flag, expect


def test_every_red_flag_has_positive_and_negative_rows():
    data = yaml.safe_load((FLAGS_DIR / "red_flags.yaml").read_text(encoding="utf-8"))
    ids = {entry["id"] for entry in data["flags"]}
    positives = {flag for flag, expect in _rows() if expect == "fires"}
    negatives = {flag for flag, expect in _rows() if expect != "fires"}
    no_negative_needed = {"LINK_OFFICIAL_DOMAIN"}  # negative weight: its near misses are the lookalikes
    assert not ids - positives, f"flags with no firing row: {sorted(ids - positives)}"
    assert not ids - negatives - no_negative_needed, f"flags with no near miss: {sorted(ids - negatives)}"


def test_every_firing_row_names_its_exact_evidence():
    missing = []
    for name in TABLES:
        for param in importlib.import_module(name).ROWS:
            _text, _flag, expect, span, _at = param.values
            if expect == "fires" and not span:
                missing.append(f"{name}::{param.id}")
    assert not missing, f"rows that fire without the exact evidence text: {missing}"


def test_table_rows_name_real_flags():
    known = set(rules.flag_defs())
    unknown = {flag for flag, _ in _rows()} - known
    assert not unknown, unknown


# Long runs of one character class before the literal a pattern waits for (":", ".com", " to verify")
# are what make a regex backtrack quadratically; a scammer controls the text, so each alternative of
# each red flag is run on them under a watchdog that turns a hang into a failure (not a speed assertion).
RUN = 20_000
HOSTILE_RUNS = [
    (chunk * (RUN // len(chunk)))[:RUN] + tail
    for chunk in ("a", "1", "a ", "x.", "-", "£1")
    for tail in ("", ":", ": x.com", ".com/", " to verify", "'s been")
]


def test_no_red_flag_alternative_backtracks_on_long_runs():
    import signal

    from scamshield.detectors.patterns import PatternDetector

    class Hang(Exception):
        pass

    def alarm(signum, frame):
        raise Hang()

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(60)
    current = None
    try:
        for rule in PatternDetector.from_rules().rules:
            for regex, _ in rule.alternatives:
                for text in HOSTILE_RUNS:
                    current = (rule.flag, regex.pattern[:80], text[:10] + "..." + text[-10:])
                    for _ in regex.finditer(text):
                        pass
    except Hang:
        raise AssertionError(f"catastrophic backtracking in {current}") from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
