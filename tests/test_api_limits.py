"""Every server limit is documented in docs/api.md and settable from ``scamshield serve --limit``."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from scamshield.errors import InputError
from scamshield.server.cli import parse_limits
from scamshield.server.settings import Settings

DOC = (Path(__file__).resolve().parents[1] / "docs" / "api.md").read_text(encoding="utf-8")
NUMERIC = [f.name for f in fields(Settings) if f.type in ("int", "float")]


@pytest.mark.parametrize("name", NUMERIC)
def test_every_limit_is_documented(name):
    assert f"`{name}`" in DOC, f"{name} is not in docs/api.md's limits table"


@pytest.mark.parametrize("name", NUMERIC)
def test_every_limit_can_be_set_from_the_command_line(name):
    kind = type(getattr(Settings(), name))
    got = parse_limits([f"{name}=7"])
    assert got == {name: kind(7)}
    assert getattr(Settings(**got), name) == 7


@pytest.mark.parametrize("bad", ["nope=1", "max_turns", "max_turns=1.5", "body_timeout=nan", "body_timeout=-1",
                                 "body_timeout=inf"])
def test_bad_limits_are_clear_errors(bad):
    with pytest.raises(InputError, match="--limit"):
        parse_limits([bad])


def test_serve_accepts_live_origins_and_limits():
    import argparse

    from scamshield.server import cli

    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    args = parser.parse_args(["serve", "--live-origin", "https://bank.example", "--limit", "live_per_client=2"])
    assert args.live_origin == ["https://bank.example"] and parse_limits(args.limit) == {"live_per_client": 2}
