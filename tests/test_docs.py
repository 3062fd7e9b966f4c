"""Docs generated from data must match the data."""

from pathlib import Path

from scamshield.flagdocs import markdown

ROOT = Path(__file__).resolve().parents[1]


def test_red_flag_table_is_current():
    current = (ROOT / "docs" / "red_flags.md").read_text(encoding="utf-8")
    assert current == markdown(), "docs/red_flags.md is stale: run `scamshield flags --markdown > docs/red_flags.md`"
