"""Loading the shipped rule data (flags, scores, scam types, advice) once, with a local overlay.

Shipped files are never edited by users; an overlay file (YAML with the same top-level keys as
scores.yaml, plus ``weights: {FLAG: w}``) is laid over them, Rspamd-style. Which overlay is passed in
(``flag_defs(overlay)``, ``Scorer.from_rules(overlay)``); left out, it is the environment's
``SCAMSHIELD_RULES_OVERLAY`` (``settings.EngineSettings``), the default of the CLI and the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import RulesError
from ..settings import EngineSettings

RULES_DIR = Path(__file__).resolve().parent
FLAGS_DIR = RULES_DIR / "flags"


@dataclass(frozen=True, slots=True)
class FlagDef:
    id: str
    group: str
    score: str  # "scam" | "spam"
    weight: float
    description: str
    source_file: str
    spec: dict  # the whole entry, for detectors that read extra keys (patterns, context...)


@dataclass(frozen=True, slots=True)
class ComboDef:
    id: str
    all: tuple[str, ...]  # flag ids, or "group:<name>"
    points: float
    score: str
    # flags whose evidence must hold a digit for the combo to count ("call us on 0161...", not "call us")
    with_number: tuple[str, ...] = ()


def load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"cannot read rules file {path}: {exc}") from exc


FROM_ENV = "<environment>"  # an overlay argument meaning: the one SCAMSHIELD_RULES_OVERLAY names, if any


def _overlay_path(path: str | Path | None) -> str | None:
    if path == FROM_ENV:
        return EngineSettings.from_env().rules
    return str(path) if path else None


def overlay(path: str | Path | None = FROM_ENV) -> dict:
    """The overlay file's contents ({} for none)."""
    return _overlay(_overlay_path(path))


@lru_cache(maxsize=8)
def _overlay(path: str | None) -> dict:
    if not path:
        return {}
    data = load_yaml(Path(path))
    if not isinstance(data, dict):
        raise RulesError(f"{path}: overlay must be a mapping")
    return data


def flag_defs(overlay: str | Path | None = FROM_ENV) -> dict[str, FlagDef]:
    """Every flag id in rules/flags/*.yaml, with its weight (fitted, or the overlay's); an id defined twice
    is an error."""
    return _flag_defs(_overlay_path(overlay))


@lru_cache(maxsize=8)
def _flag_defs(overlay_path: str | None) -> dict[str, FlagDef]:
    scores = _score_config(overlay_path)
    overrides = {**scores.get("fitted_weights", {}), **_overlay(overlay_path).get("weights", {})}
    out: dict[str, FlagDef] = {}
    for path in sorted(FLAGS_DIR.glob("*.yaml")):
        data = load_yaml(path)
        for i, entry in enumerate(data.get("flags") or []):
            try:
                fid = entry["id"]
                weight = float(overrides.get(fid, entry["weight"]))
                fdef = FlagDef(
                    id=fid,
                    group=entry["group"],
                    score=entry.get("score", "scam"),
                    weight=weight,
                    description=entry["description"].strip(),
                    source_file=path.name,
                    spec=entry,
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise RulesError(f"{path.name}: flag #{i} is missing or has a bad field: {exc}") from exc
            if fid in out:
                raise RulesError(f"flag {fid} is defined twice ({out[fid].source_file} and {path.name})")
            if fdef.score not in ("scam", "spam"):
                raise RulesError(f"{path.name}: flag {fid} has score {fdef.score!r} (scam or spam)")
            out[fid] = fdef
    return out


@lru_cache(maxsize=1)
def combo_defs() -> tuple[ComboDef, ...]:
    """Every combination in rules/flags/*.yaml and scores.yaml (an overlay does not change them)."""
    combos: list[ComboDef] = []
    sources = [load_yaml(p) for p in sorted(FLAGS_DIR.glob("*.yaml"))] + [_score_config(None)]
    for data in sources:
        for entry in data.get("combos") or []:
            combos.append(
                ComboDef(
                    id=entry["id"],
                    all=tuple(entry["all"]),
                    points=float(entry["points"]),
                    score=entry.get("score", "scam"),
                    with_number=tuple(entry.get("with_number") or ()),
                )
            )
    ids = [c.id for c in combos]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise RulesError(f"combo ids defined twice: {sorted(dupes)}")
    return tuple(combos)


def score_config(overlay: str | Path | None = FROM_ENV) -> dict:
    """rules/scores.yaml with the overlay's keys laid over it."""
    return _score_config(_overlay_path(overlay))


@lru_cache(maxsize=8)
def _score_config(overlay_path: str | None) -> dict:
    data = load_yaml(RULES_DIR / "scores.yaml")
    over = _overlay(overlay_path)
    for key in ("bias", "spam_bias", "thresholds", "group_caps", "group_floors", "user_factor", "user_reports", "min_verdict", "outweighed",
                "scam_needs", "not_spam_when"):
        if key in over:
            if isinstance(data.get(key), dict):
                data[key] = {**data[key], **over[key]}
            else:
                data[key] = over[key]
    return data


@lru_cache(maxsize=1)
def scam_types() -> dict:
    return load_yaml(RULES_DIR / "scam_types.yaml")


@lru_cache(maxsize=1)
def advice_data() -> dict:
    return load_yaml(RULES_DIR / "advice.yaml")


def clear_caches() -> None:
    for fn in (_overlay, _flag_defs, combo_defs, _score_config, scam_types, advice_data):
        fn.cache_clear()
