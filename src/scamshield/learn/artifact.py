"""What training leaves behind: the model artifact (``data/model.json.gz``, or a file of your choosing with
its fitted weights beside it as a rules overlay), and for the shipped artifact the fitted weights in
rules/flags/model.yaml and the regenerated docs/red_flags.md. Writing is its own step: ``fit`` writes
nothing."""

from __future__ import annotations

import datetime as _dt
import gzip
import json
from pathlib import Path
from typing import Any

from .. import atomicfile
from .heads import HEADS

MODEL_FLAGS_FILE = Path(__file__).resolve().parent.parent / "rules" / "flags" / "model.yaml"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "model.json.gz"
DOCS_TABLE = Path(__file__).resolve().parents[3] / "docs" / "red_flags.md"  # in a source tree only


def channel_artifact(names, heads_out, platt, decision) -> dict[str, Any]:
    """One channel's part of the artifact: both heads' weights per kept feature, biases, scaling, switch
    points."""
    cols_all = sorted(set().union(*(set(c.tolist()) for _, _, c in heads_out.values())))
    words: dict[str, list[float]] = {}
    chars: dict[str, list[float]] = {}
    for col in cols_all:
        name = names[col]
        vals = []
        for head in HEADS:
            coef, _, cols = heads_out[head]
            pos = _find(cols, col)
            vals.append(round(float(coef[pos]), 4) if pos is not None else 0.0)
        if not any(vals):
            continue
        if name.startswith("\x01"):
            chars[name[1:]] = vals
        else:
            words[name] = vals
    return {
        "heads": list(HEADS),
        "bias": [round(heads_out[h][1], 6) for h in HEADS],
        "platt": [[round(v, 6) for v in platt[h]] for h in HEADS],
        "decision_logit": [round(v, 4) for v in decision],
        "words": words,
        "chars": chars,
    }


def _find(sorted_cols, col):
    import numpy as np

    i = int(np.searchsorted(sorted_cols, col))
    return i if i < len(sorted_cols) and sorted_cols[i] == col else None


CALL_WEIGHTS = ("MODEL_CALL_SCAM", "MODEL_CALL_LEGIT")
SMS_WEIGHTS = ("MODEL_SCAM", "MODEL_LEGIT", "MODEL_SPAM")
CHANNEL_WEIGHTS = {"call": CALL_WEIGHTS, "sms": SMS_WEIGHTS}


def read_artifact(path: str | Path) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def keep_model(artifact: dict[str, Any], weights: dict[str, float], channel: str, donor_path: str | Path, log) -> None:
    """Put the ``channel`` ("call" or "sms") model of the artifact at ``donor_path``, with the MODEL_* weights
    fitted for it, in place of this run's (in ``artifact`` and ``weights``), and say so in the metadata."""
    from ..errors import InputError

    option = f"--{channel}-model-from"
    try:
        donor = read_artifact(donor_path)
        kept = {k: donor["meta"]["weights"][k] for k in CHANNEL_WEIGHTS[channel]}
        model = donor["channels"][channel]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{option} {donor_path}: not a model artifact with a {channel} model ({exc})") from None
    artifact["channels"][channel] = model
    weights.update(kept)
    meta = artifact["meta"]
    meta["weights"] = dict(weights)
    meta[f"{channel}_model"] = {
        "from": Path(donor_path).name,
        "trained": donor["meta"].get("trained"),
        "training_files": donor["meta"].get("training_files"),
        "team_weight": donor["meta"].get("team_weight", {}).get(channel),
        "cv": {k: v for k, v in donor["meta"].get("cv", {}).get("model_alone", {}).items()
               if ("call" in k) == (channel == "call")},
        "note": f"this run's {channel} model was trained and measured (cv) but not kept",
    }
    log(f"kept the {channel} model of {donor_path} (trained {meta[f'{channel}_model']['trained']}) and its weights {kept}")


def is_shipped(out: str | Path | None) -> bool:
    """Whether ``out`` is the packaged artifact (None: the default)."""
    return out is None or Path(out).resolve() == DEFAULT_OUT


def write_artifact(artifact: dict[str, Any], weights: dict[str, float], out: str | Path | None, log) -> Path:
    """Write the artifact (atomically: an interrupted run never leaves a truncated model). One written
    anywhere but the package comes with its own weights, as an overlay file beside it; the shipped one's
    weights go to the rule files (``publish_weights``, a step of its own)."""
    out_path = Path(out) if out else DEFAULT_OUT
    out_path.parent.mkdir(parents=True, exist_ok=True)
    blob = gzip.compress(json.dumps(artifact, separators=(",", ":"), ensure_ascii=False).encode(), 9, mtime=0)
    atomicfile.write_bytes(out_path, blob)
    log(f"wrote {out_path} ({len(blob) / 1e6:.2f} MB)")
    if not is_shipped(out):  # an artifact elsewhere comes with its own weights, as an overlay the engine can load
        overlay = out_path.with_name(out_path.name + ".weights.yaml")
        overlay.write_text("# Fitted with " + out_path.name + "\nweights:\n"
                           + "".join(f"  {k}: {v}\n" for k, v in weights.items()), encoding="utf-8")
        log(f"wrote {overlay}: use SCAMSHIELD_MODEL={out_path} SCAMSHIELD_RULES_OVERLAY={overlay}")
    return out_path


def publish_weights(weights: dict[str, float], log) -> None:
    """The shipped model's fitted weights into rules/flags/model.yaml, and the generated flag table in
    docs/red_flags.md (it shows the weights) when this is a source tree."""
    write_model_flags(weights)
    log(f"wrote fitted weights to {MODEL_FLAGS_FILE}")
    if DOCS_TABLE.is_file():
        from .. import rules
        from ..flagdocs import markdown

        rules.clear_caches()  # model.yaml was just rewritten
        DOCS_TABLE.write_text(markdown(), encoding="utf-8")
        log(f"regenerated {DOCS_TABLE}")


def write_model_flags(weights: dict[str, float]) -> None:
    today = _dt.date.today().isoformat()
    text = f"""# The learned model's flags (detectors/model.py). Their weights are FITTED by `scamshield train`
# (logistic regression on out-of-fold model probabilities beside the rules' own points, training data
# only); do not edit them by hand: retrain instead. Last fitted: {today}.

flags:
  - id: MODEL_SCAM
    group: model
    score: scam
    weight: {weights["MODEL_SCAM"]}
    description: The learned model, trained on thousands of real scam and genuine messages, finds this reads like a scam; the highlighted words weighed most.

  - id: MODEL_LEGIT
    group: model
    score: scam
    weight: {weights["MODEL_LEGIT"]}
    description: The learned model's scam probability (in the note) is below the level at which it warns; the further below, the more this counts towards genuine.

  - id: MODEL_SPAM
    group: model_spam  # its own group: the "model" cap keeps the model from deciding "scam" alone, not "spam"
    score: spam
    weight: {weights["MODEL_SPAM"]}
    description: The learned model finds this reads like unwanted bulk or marketing text; the highlighted words weighed most.

  # Calls have their own model, trained on call transcripts, and so their own fitted weights.
  - id: MODEL_CALL_SCAM
    group: model
    score: scam
    weight: {weights["MODEL_CALL_SCAM"]}
    description: The learned call model, trained on scam and genuine call transcripts, finds this call sounds like a scam; the highlighted words weighed most.

  - id: MODEL_CALL_LEGIT
    group: model
    score: scam
    weight: {weights["MODEL_CALL_LEGIT"]}
    description: The learned call model's scam probability (in the note) is below the level at which it warns; the further below, the more this counts towards genuine.
"""
    MODEL_FLAGS_FILE.write_text(text, encoding="utf-8")
