"""``scamshield train``: fit the learned model on the training splits and write the shipped artifact, in
steps, each in its own module:

1. Read the training files (the shared splits, plus the team-written UK files in training/) and give
   every call its speech-recogniser copies (``features``).
2. Two logistic-regression heads per channel (``heads``): scam vs legit (spam rows left out: many "spam"
   rows in the SMS sources are scams too, so they would teach the head to ignore scam words) and unwanted
   vs legit; 5-fold cross-validation gives out-of-fold scores, Platt scaling is fitted on them, and the
   heads are refitted on all rows, pruned to the most useful features so the artifact stays small.
3. The model flags' weights in the scorer, fitted on the out-of-fold probabilities beside the rules' own
   points, SpamAssassin-style (``weights``).
4. Write the artifact, and for the shipped one the weights into rules/flags/model.yaml and the docs
   (``artifact``).

The experiment knobs are a ``TrainConfig`` (the CLI's options); the same data and settings give the same
artifact. Only the training files are read; the test splits are never touched here. More team-written files
can be added from elsewhere with their own weight (``--extra-team``, e.g. rows waiting in training/pending/),
never the held-out dev sets.
"""

from __future__ import annotations

import datetime as _dt
import glob
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..detectors.model import tokens
from ..errors import InputError
from ..preprocess import normalise
from .artifact import (
    DEFAULT_OUT,
    MODEL_FLAGS_FILE,
    channel_artifact,
    is_shipped,
    keep_model,
    publish_weights,
    write_artifact,
)
from .config import TrainConfig
from .data import Example, data_dir, load
from .features import unit_texts, with_asr_copies
from .heads import C, cached_learn, calibrate
from .weights import cv_report, fit_model_weights, fit_offset_logistic, rules_only_analyzer

__all__ = ["DEFAULT_OUT", "MODEL_FLAGS_FILE", "TEAM_DIR", "TrainConfig", "extra_team_files", "fit",
           "fit_offset_logistic", "rules_only_analyzer", "team_files", "train"]

TRAIN_FILES = ("splits/sms_train.csv", "splits/call_train.csv")
# Team-written UK training data (training/README.md): genuine UK service texts and their scam
# look-alikes, UK calls in clean and speech-recogniser style. The shared "legit" texts are personal chat
# and the shared calls are synthetic, so without these the model never sees a genuine bank alert or a
# UK call. Read from the source tree; an installed package trains on the shared splits alone.
TEAM_DIR = Path(__file__).resolve().parents[3] / "training"
TEAM_FILES = ("uk_sms.csv", "uk_calls.jsonl", "sms/*.jsonl", "calls/*.jsonl")  # never dev/ or dev2/: held out
TEAM_SOURCES = ("team_",)
HELD_OUT_DIRS = ("dev", "dev2")  # training/dev/, training/dev2/: never trained on


@dataclass(slots=True)
class TrainingSet:
    """The rows of one run and what every step needs to know about them, computed once."""

    examples: list[Example]
    groups: list[str]  # cross-validation groups: a call and its copies, or a text template
    files: list[Path]
    y: Any = None  # labels
    strat: Any = None  # "channel:label", for stratified folds
    ntok: Any = None  # token counts
    is_team: Any = None
    sw: Any = None  # row weights
    rw: Any = None  # how much each row counts in the switch points' rates (weights.fit_model_weights)


@dataclass(slots=True)
class Trained:
    """What ``fit`` found: the artifact, the model flags' fitted weights, the out-of-fold metrics."""

    artifact: dict[str, Any]
    weights: dict[str, float]
    cv: dict[str, Any]


def _require_sklearn():
    try:
        import numpy  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError:
        raise InputError("training needs scikit-learn and numpy: pip install 'scamshield[train]'") from None


def team_files(team_dir: str | Path | None = None) -> list[Path]:
    d = Path(team_dir) if team_dir else TEAM_DIR
    return [p for pattern in TEAM_FILES for p in sorted(d.glob(pattern)) if p.is_file()]


def extra_team_files(patterns, already: list[Path] | tuple[Path, ...] = ()) -> list[Path]:
    """The files ``--extra-team`` names: glob patterns, relative to the working folder or absolute, each of
    which must match a file. Refuses the held-out dev sets and files already read (``already``)."""
    seen = {p.resolve() for p in already}
    out: list[Path] = []
    for pattern in patterns:
        hits = sorted(Path(h) for h in glob.glob(str(pattern), recursive=True) if Path(h).is_file())
        if not hits:
            raise InputError(f"--extra-team {pattern}: no such file")
        for h in hits:
            try:
                rel = h.resolve().relative_to(TEAM_DIR.resolve())
            except ValueError:
                rel = None
            if rel is not None and rel.parts[0] in HELD_OUT_DIRS:
                raise InputError(f"--extra-team {h}: the held-out dev sets ({', '.join(HELD_OUT_DIRS)}/) are never "
                                 "trained on")
            if h.resolve() in seen:
                raise InputError(f"--extra-team {h}: already read (it would count twice)")
            seen.add(h.resolve())
            out.append(h)
    return out


def _team_source(ex: Example, weight: float | None = None) -> Example:
    """Team rows are told apart from the shared data by their source (weights, calibration, reports);
    ``weight``: the row's own weight (extra team files)."""
    source = ex.source if ex.source.startswith(TEAM_SOURCES) else f"team_{ex.source}"
    if source == ex.source and weight is None:
        return ex
    return Example(ex.message, ex.label, source, weight)


def read_training_set(data: str | Path | None, team: bool | str | Path, log,
                      extra: list[Path] | tuple[Path, ...] = (), extra_weights: dict[str, float] | None = None
                      ) -> TrainingSet:
    """Step 1: the shared training splits, (``team``: True, or a folder) the team-written files and the
    ``extra`` team files, whose rows count ``extra_weights[channel]`` times; every call with its
    speech-recogniser copies."""
    root = data_dir(data)
    paths = [root / f for f in TRAIN_FILES]
    for p in paths:
        if not p.is_file():
            raise InputError(f"training file not found: {p} (use --data-dir or SCAMSHIELD_DATA_DIR)")
    if team:
        found = team_files(None if team is True else team)
        if team is not True and not found:
            raise InputError(f"no team training files ({', '.join(TEAM_FILES)}) in {team}")
        paths += found
    n_regular = len(paths)
    paths += list(extra)
    examples: list[Example] = []
    for i, p in enumerate(paths):
        rows = load(p)
        if i < len(TRAIN_FILES):
            examples += rows
        elif i < n_regular:
            examples += [_team_source(e) for e in rows]
        else:
            w = extra_weights or {}
            examples += [_team_source(e, w.get(e.message.channel)) for e in rows]
        log(f"read {p.name}{' (extra team data)' if i >= n_regular else ''}: {len(examples):,} rows so far")
    examples, groups = with_asr_copies(examples)
    return TrainingSet(examples, groups, paths)


def _row_arrays(ts: TrainingSet, config: TrainConfig) -> None:
    """Labels, strata, token counts, team rows and row weights of a training set."""
    import numpy as np

    examples = ts.examples
    ts.y = np.array([e.label for e in examples])
    ts.strat = np.array([f"{e.message.channel}:{e.label}" for e in examples])
    ts.ntok = np.array([sum(len(tokens(normalise(t)[0])) for t in unit_texts(e)) for e in examples])
    ts.is_team = np.array([e.source.startswith(TEAM_SOURCES) for e in examples])
    is_text = np.array([e.message.channel == "sms" for e in examples])
    ts.sw = np.where(ts.is_team, np.where(is_text, config.team_weight_sms, config.team_weight), 1.0)
    own = np.array([e.weight is not None for e in examples])
    ts.rw = np.ones(len(examples))
    if own.any():  # extra team files' rows (--extra-team) count their own weight, in the fits and (relative to
        # the team weight of their channel) in the rates the switch points are chosen on
        team_w = ts.sw[own].copy()
        ts.sw[own] = [e.weight for e in examples if e.weight is not None]
        ts.rw[own] = ts.sw[own] / team_w


def fit(data: str | Path | None = None, *, log=print, team: bool | str | Path = True,
        config: TrainConfig | None = None) -> Trained:
    """Steps 1-3: the artifact and the model flags' weights, fitted on the training data. Writes nothing
    (except ``config.cache``)."""
    _require_sklearn()
    config = config or TrainConfig()
    if config.extra_team and min(config.extra_weights().values()) <= 0:
        raise InputError(f"--extra-team-weight must be above 0 (got {config.extra_weights()})")
    extra = extra_team_files(config.extra_team, team_files(None if team is True else team) if team else ())
    ts = read_training_set(data, team, log, extra, config.extra_weights())
    t0 = time.time()
    _row_arrays(ts, config)
    y, strat, is_team = ts.y, ts.strat, ts.is_team
    learned = cached_learn(ts.examples, y, strat, ts.groups, ts.sw, log, t0, config.cache)
    platt, p_oof = calibrate(learned, y, is_team)
    cv_metrics: dict[str, Any] = {"model_alone": cv_report(y, strat, p_oof["scam"], p_oof["spam"], is_team)}
    weights, decisions = fit_model_weights(ts.examples, y, strat, ts.ntok, is_team, ts.sw, p_oof, config.limits(),
                                           log, cv_metrics, ts.rw)
    artifact = {
        "format": 2,
        "channels": {
            ch: channel_artifact(part["names"], part["heads"], platt[ch], decisions[ch]) for ch, part in learned.items()
        },
        "meta": {
            "trained": _dt.date.today().isoformat(),
            "training_files": [*TRAIN_FILES, *(p.name for p in ts.files[len(TRAIN_FILES):])],
            "team_weight": {"sms": config.team_weight_sms, "call": config.team_weight},
            **({"extra_team": {"files": [p.name for p in extra], "weight": config.extra_weights()}}
               if extra else {}),
            "training_rows": len(ts.examples),
            "C": C,
            "features": "word unigrams+bigrams, char_wb 2-5 grams; counts / sqrt(tokens+1); one model per channel",
            "cv": cv_metrics,
            "weights": weights,  # the MODEL_* weights fitted for this artifact (rules/flags/model.yaml)
        },
    }
    if config.call_model_from:
        keep_model(artifact, weights, "call", config.call_model_from, log)
    if config.sms_model_from:
        keep_model(artifact, weights, "sms", config.sms_model_from, log)
    log(f"fitted in {time.time() - t0:.0f}s")
    return Trained(artifact, weights, cv_metrics)


def train(data: str | Path | None = None, out: str | Path | None = None, log=print,
          team: bool | str | Path = True, config: TrainConfig | None = None) -> dict[str, Any]:
    """Fit (``fit``), then write the artifact to ``out`` (default: the packaged one, whose fitted weights
    then also go into rules/flags/model.yaml and docs/red_flags.md). ``team``: use the team-written files
    in training/ (True), a folder holding them, or none (False)."""
    trained = fit(data, log=log, team=team, config=config)
    path = write_artifact(trained.artifact, trained.weights, out, log)
    if is_shipped(out):
        publish_weights(trained.weights, log)
    return {"artifact": str(path), "weights": trained.weights, "cv": trained.cv}
