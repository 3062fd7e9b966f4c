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
    "test_flags_marketing", "test_flags_reassurance", "test_links",
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


def test_table_rows_name_real_flags():
    known = set(rules.flag_defs())
    unknown = {flag for flag, _ in _rows()} - known
    assert not unknown, unknown
