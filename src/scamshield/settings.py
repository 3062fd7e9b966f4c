"""Where the engine's data comes from - the rules overlay, the learned model, the organisations file -
and the one place their environment variables are read.

Pass them in (``Analyzer.build(rules=..., model=..., organisations=...)``); ``EngineSettings.from_env()``
gives the defaults the CLI, the server and ``Analyzer.default()`` use:

    SCAMSHIELD_RULES_OVERLAY   a YAML file laid over rules/scores.yaml (weights, thresholds ...)
    SCAMSHIELD_MODEL           a model artifact trained with ``scamshield train --out``
    SCAMSHIELD_ORGANISATIONS   another organisations file with the shape of rules/organisations.yaml

and where files built once are kept (``cache_dir()``: the converted Moonshine speech model):

    SCAMSHIELD_CACHE_DIR       else $XDG_CACHE_HOME/scamshield, else ~/.cache/scamshield
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

RULES_OVERLAY_ENV = "SCAMSHIELD_RULES_OVERLAY"
MODEL_ENV = "SCAMSHIELD_MODEL"
ORGANISATIONS_ENV = "SCAMSHIELD_ORGANISATIONS"
CACHE_ENV = "SCAMSHIELD_CACHE_DIR"


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """Paths of the engine's data; None is the shipped file (no overlay, the packaged model)."""

    rules: str | None = None  # rules overlay
    model: str | None = None
    organisations: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> EngineSettings:
        env = os.environ if env is None else env
        return cls(env.get(RULES_OVERLAY_ENV) or None, env.get(MODEL_ENV) or None, env.get(ORGANISATIONS_ENV) or None)


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where files built once are kept: ``SCAMSHIELD_CACHE_DIR``, else ``$XDG_CACHE_HOME/scamshield``, else
    ``~/.cache/scamshield``."""
    env = os.environ if env is None else env
    root = env.get(CACHE_ENV)
    if root:
        return Path(root).expanduser()
    xdg = env.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "scamshield"
