"""Where the engine's data comes from - the rules overlay, the learned model, the organisations file -
and the one place their environment variables are read.

Pass them in (``Analyzer.build(rules=..., model=..., organisations=...)``); ``EngineSettings.from_env()``
gives the defaults the CLI, the server and ``Analyzer.default()`` use:

    SCAMSHIELD_RULES_OVERLAY   a YAML file laid over rules/scores.yaml (weights, thresholds ...)
    SCAMSHIELD_MODEL           a model artifact trained with ``scamshield train --out``
    SCAMSHIELD_ORGANISATIONS   another organisations file with the shape of rules/organisations.yaml
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

RULES_OVERLAY_ENV = "SCAMSHIELD_RULES_OVERLAY"
MODEL_ENV = "SCAMSHIELD_MODEL"
ORGANISATIONS_ENV = "SCAMSHIELD_ORGANISATIONS"


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
