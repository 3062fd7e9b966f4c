"""CLI: ``scamshield train`` rebuilds the learned model; ``scamshield eval`` measures the engine on
labelled data (scam recall, legit false-positive rate, unwanted F1, confusion matrix, worst cases)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError
from .config import TrainConfig

_DEFAULTS = TrainConfig()


def register(subparsers: Any) -> None:
    t = subparsers.add_parser(
        "train",
        help="rebuild the learned scam model from the shared training splits",
        description="Train the learned model on splits/sms_train.csv and splits/call_train.csv (never the "
        "test splits) plus the team-written UK files in training/, fit its weights in the scorer, and write "
        "the artifact. Needs the 'train' extra.",
    )
    t.add_argument("--data-dir", help="the shared data folder (default: $SCAMSHIELD_DATA_DIR or ../shared/data)")
    t.add_argument("--out", help="where to write the model (default: the packaged scamshield/data/model.json.gz, "
                   "which also rewrites the fitted weights in rules/flags/model.yaml)")
    t.add_argument("--no-team-data", action="store_true",
                   help="leave out the team-written UK training files in training/ (shared splits only)")
    x = t.add_argument_group("experiments", "the defaults give the shipped model")
    x.add_argument("--team-weight", type=float, default=_DEFAULTS.team_weight, metavar="W",
                   help="how many times each team-written call counts (default %(default)s)")
    x.add_argument("--team-weight-sms", type=float, default=_DEFAULTS.team_weight_sms, metavar="W",
                   help="how many times each team-written text counts (default %(default)s)")
    x.add_argument("--max-model-points", type=float, default=_DEFAULTS.max_model_points, metavar="P",
                   help="upper bound on the model's scam and spam flag weights (default %(default)s)")
    x.add_argument("--max-reassurance", type=float, default=_DEFAULTS.max_reassurance, metavar="P",
                   help="lower bound (negative) on the model's 'reads legit' flag weights (default: none)")
    x.add_argument("--call-model-from", metavar="MODEL",
                   help="keep the call model (and its fitted call weights) of this artifact instead of the "
                   "one this run trains, e.g. src/scamshield/data/model.json.gz when new data helps texts only")
    x.add_argument("--sms-model-from", metavar="MODEL",
                   help="keep the text model (and its fitted text weights) of this artifact instead of the one this "
                   "run trains, e.g. src/scamshield/data/model.json.gz when new data helps calls only")
    x.add_argument("--extra-team", action="append", default=[], metavar="PATTERN",
                   help="also train on these team-written files (a glob, repeatable; e.g. 'training/pending/*.jsonl'), "
                   "whose rows may count a weight of their own; never the held-out dev sets")
    x.add_argument("--extra-team-weight", type=float, metavar="W",
                   help="how many times each --extra-team row counts, texts and calls (default: the team weight of "
                   "its channel)")
    x.add_argument("--extra-team-weight-sms", type=float, metavar="W",
                   help="the same for the extra texts only (overrides --extra-team-weight)")
    x.add_argument("--extra-team-weight-call", type=float, metavar="W",
                   help="the same for the extra calls only (overrides --extra-team-weight)")
    x.add_argument("--fit-cap", action="store_true", help="fit with the scorer's cap on the model's points")
    x.add_argument("--cache", default=os.environ.get("SCAMSHIELD_TRAIN_CACHE"), metavar="PREFIX",
                   help="keep the slow cross-validation in PREFIX.<channel>.<hash> between runs (default: "
                   "$SCAMSHIELD_TRAIN_CACHE, else none)")
    t.set_defaults(func=cmd_train)

    e = subparsers.add_parser(
        "eval",
        help="measure the engine on labelled CSV / JSONL files",
        description="Run the engine on labelled data and report scam recall, legit false-positive rate, "
        "unwanted F1 (scam+spam vs legit), the confusion matrix and the worst misses and false alarms, "
        "per file and per source. CSV: columns text,label (id, channel, source optional). JSONL: the "
        "message input format plus \"label\". Labels: scam, spam, legit.",
    )
    e.add_argument("files", nargs="+", metavar="FILE", help="labelled .csv or .jsonl files")
    e.add_argument("--json", action="store_true", help="print machine-readable JSON")
    e.add_argument("--out", help="also write one JSON report per file into this folder")
    e.add_argument("--engine", choices=("combined", "rules", "model"), default="combined",
                   help="the whole engine (default), the rules without the model, or the model alone")
    e.set_defaults(func=cmd_eval)


def cmd_train(args: Any) -> int:
    from .train import train

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    config = TrainConfig(team_weight=args.team_weight, team_weight_sms=args.team_weight_sms,
                         max_model_points=args.max_model_points, max_reassurance=args.max_reassurance,
                         fit_cap=args.fit_cap, cache=args.cache,
                         call_model_from=args.call_model_from, sms_model_from=args.sms_model_from,
                         extra_team=tuple(args.extra_team),
                         extra_team_weight_sms=_first(args.extra_team_weight_sms, args.extra_team_weight),
                         extra_team_weight=_first(args.extra_team_weight_call, args.extra_team_weight))
    if not config.extra_team and any(w is not None for w in (args.extra_team_weight, args.extra_team_weight_sms,
                                                             args.extra_team_weight_call)):
        raise InputError("--extra-team-weight* needs --extra-team (the files it weighs)")
    result = train(args.data_dir, args.out, log=log, team=not args.no_team_data, config=config)
    print(json.dumps(result, indent=2))
    return 0


def _first(*values: float | None) -> float | None:
    return next((v for v in values if v is not None), None)


def evaluate_file(path: str, engine: str = "combined", examples: list | None = None) -> dict[str, Any]:
    from .data import load
    from .evaluate import predict
    from .metrics import report

    if examples is None:
        examples = load(path)
    rep = report(predict(examples, engine))
    return {"file": str(path), "engine": engine, **rep}


def cmd_eval(args: Any) -> int:
    # Read every file before running anything, so a bad file fails fast.
    from .data import load
    from .metrics import format_report

    loaded = [(f, load(f)) for f in args.files]
    out_dir = Path(args.out) if args.out else None
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create {out_dir}: {exc.strerror or exc}") from None
    reports = []
    for f, examples in loaded:
        rep = evaluate_file(f, args.engine, examples)
        reports.append(rep)
        if out_dir is not None:
            (out_dir / f"eval_{Path(f).stem}.json").write_text(json.dumps(rep, indent=2) + "\n", encoding="utf-8")
        if not args.json:
            print(format_report(f"{f} [{args.engine}]", rep))
    if args.json:
        print(json.dumps(reports if len(reports) > 1 else reports[0], indent=2))
    return 0
