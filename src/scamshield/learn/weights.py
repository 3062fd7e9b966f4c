"""The learned model's flags in the scorer: their weights (MODEL_SCAM, MODEL_LEGIT, MODEL_SPAM and the
call flags) fitted by logistic regression on the out-of-fold probabilities beside the rules' own points,
SpamAssassin-style, each channel at the switch point that catches the most scams while false alarms stay
under the targets; and the out-of-fold metrics of the rules, the model and the two together."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..callerid.numbers import set_fictional_numbers
from ..errors import InputError
from .config import WeightLimits
from .data import Example
from .heads import CHANNELS

TARGET_FPR = 0.005
# Genuine service texts (bank alerts, delivery notices) are what people check, and the shared legit data
# (personal chat) hardly has any: the team-written ones get their own, looser limit on false alarms.
TEAM_TARGET_FPR = 0.015
# Calls: genuine UK calls (the team's, out of fold, recogniser forms included) and the synthetic ones.
TEAM_CALL_TARGET_FPR = 0.015
SYNTHETIC_CALL_TARGET_FPR = 0.01
# The spam side is fitted for unwanted F1 on training data that is three-quarters spam, far more than any
# real inbox; so it may also call at most this share of genuine texts "spam".
TARGET_SPAM_FPR = 0.02


def fit_offset_logistic(Z, y, offset, weight=None, bounds=None, l2: float = 1e-2, cap: float | None = None):
    """Logistic regression without intercept and with a fixed offset: log-odds = offset + Z @ beta.

    The rules' own points (bias included) are the offset, so only the model flags' weights are fitted;
    ``bounds`` keep each weight's sign (a "looks legit" flag may only lower the risk). ``cap`` is the
    scorer's cap on the model group's points, applied to the first column (the model's positive flag) as
    the scorer applies it. The shipped fit leaves it out (the capped fit saturates: any lean scamward
    earns the whole cap) and chooses the switch points with the cap in place."""
    import numpy as np
    from scipy.optimize import minimize

    Z = np.asarray(Z, dtype=float)
    w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=float)
    cap = np.inf if cap is None else cap

    def loss(beta):
        pos = Z[:, 0] * beta[0]
        live = pos < cap
        eta = offset + np.minimum(pos, cap) + Z[:, 1:] @ beta[1:]
        # log(1 + e^eta) - y * eta, computed stably
        nll = np.sum(w * (np.logaddexp(0.0, eta) - y * eta)) + 0.5 * l2 * beta @ beta
        g = w * (np.exp(eta - np.logaddexp(0.0, eta)) - y)
        grad = np.concatenate([[Z[:, 0] @ (g * live)], Z[:, 1:].T @ g]) + l2 * beta
        return nll, grad

    res = minimize(loss, np.zeros(Z.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds)
    if not res.success:
        raise InputError(f"fitting the model flags' weights did not converge: {res.message}")
    return res.x


def capped_points(Z, beta, cap: float | None, floor: float | None = None):
    """What the scorer adds for the model flags: the positive flag's points capped, the "reads legit"
    flag's (negative) points floored, as the scorer's group cap and floor do."""
    import numpy as np

    pos = Z[:, 0] * beta[0]
    rest = Z[:, 1:] @ beta[1:]
    return (pos if cap is None else np.minimum(pos, cap)) + (rest if floor is None else np.maximum(rest, floor))


def model_group_floor(group: str) -> float | None:
    """The scorer's floor on a group's negative points (rules/scores.yaml): the model's "reads legit"
    opinion may not outvote on its own a red flag such as a request for a one-time code."""
    from ..scoring import Scorer

    return Scorer.from_rules().floors.get(group)


def model_group_cap(group: str) -> float | None:
    """The scorer's cap on a model group (rules/scores.yaml): the "model" cap keeps the model from
    making a message a scam on its own; a red flag that says why, in words, must agree."""
    from ..scoring import Scorer

    return Scorer.from_rules().caps.get(group)


def rules_logits(examples: list[Example]):
    """Scam and spam log-odds from the rules alone (the model detector left out) for each example, and
    whether a red flag there cancels the model's MODEL_LEGIT (rules/scores.yaml: it then adds nothing)."""
    import numpy as np

    from ..analyzer import Analyzer
    from ..detectors.model import ModelDetector
    from ..detectors.registry import default_detectors

    an = rules_only_analyzer(Analyzer, default_detectors, ModelDetector)
    voiders = an.scorer.cancellers_of("MODEL_LEGIT")
    out = np.zeros((len(examples), 2))
    legit_void = np.zeros(len(examples), dtype=bool)
    for i, ex in enumerate(examples):
        v = an.analyze(ex.message)
        out[i] = (_logit(v.risk), _logit(v.spam_score))
        legit_void[i] = any(f.id in voiders and f.status != "cancelled" for f in v.flags)
    return out, legit_void


def rules_only_analyzer(Analyzer=None, default_detectors=None, ModelDetector=None):
    if Analyzer is None:
        from ..analyzer import Analyzer
        from ..detectors.model import ModelDetector
        from ..detectors.registry import default_detectors
    from ..advice import Advisor
    from ..scoring import Scorer

    dets = [d for d in default_detectors() if not isinstance(d, ModelDetector)]
    return Analyzer(dets, Scorer.from_rules(), Advisor.from_rules())


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log(p / (1 - p))


def model_confidences(p_scam, p_spam, decision=(0.0, 0.0), ntok=None):
    """The confidences the detector reports (see ModelDetector.findings), as arrays."""
    import numpy as np

    from ..detectors.model import LEGIT_FULL_TOKENS, LOGIT_SCALE

    def lg(p):
        p = np.clip(p, 1e-12, 1 - 1e-12)
        return np.log(p / (1 - p))

    ls, lu = lg(p_scam) - decision[0], lg(p_spam) - decision[1]
    scam = np.clip(ls / LOGIT_SCALE, 0.0, 1.0)
    legit = np.clip(-ls / LOGIT_SCALE, 0.0, 1.0)
    if ntok is not None:
        legit = legit * np.minimum(1.0, np.asarray(ntok) / LEGIT_FULL_TOKENS)
    spam = np.clip(lu / LOGIT_SCALE, 0.0, 1.0)
    return scam, legit, spam


@dataclass(slots=True)
class _OutOfFold:
    """What every switch point is tried on: labels, token counts, out-of-fold model probabilities, the
    rules' log-odds (and whether a red flag voids MODEL_LEGIT), row weights, the scorer's cap and floor."""

    y: Any
    ntok: Any
    p_oof: dict[str, Any]
    rl: Any
    legit_void: Any
    sw: Any
    cap: float | None
    floor: float | None
    limits: WeightLimits
    log: Any
    rw: Any = None  # how much each row counts in the rates the switch points are chosen on (see fit_model_weights)


def fit_model_weights(examples, y, strat, ntok, is_team, sw, p_oof, limits: WeightLimits, log,
                      cv_metrics: dict[str, Any], rate_weight=None) -> tuple[dict[str, float], dict[str, list[float]]]:
    """The model flags' weights and each channel's switch points ({"sms": [scam, spam], "call": [...]}),
    fitted beside the rules' points on the out-of-fold probabilities; ``cv_metrics`` gains the rules',
    the combined engine's and the switch points' out-of-fold figures. ``rate_weight``: how much each row
    counts in the false-alarm rates, recall and F1 the switch points are chosen on (default: every row
    once; rows of extra team files with a weight of their own count that weight over their channel's
    team weight, so rows weighted down in the fit also move the switch points less)."""
    import numpy as np

    rw = np.ones(len(y)) if rate_weight is None else np.asarray(rate_weight, dtype=float)

    # Fit the model flags' weights beside the rules' points, on the out-of-fold probabilities.
    log("rules on the training data (for fitting the model's weight) ...")
    # Team data writes every invented number in Ofcom's drama ranges: read them as ordinary lines here,
    # or every team call would look like a faked caller ID.
    set_fictional_numbers(True)
    try:
        rl, legit_void = rules_logits(examples)
    finally:
        set_fictional_numbers(False)
    cv_metrics["rules_alone"] = cv_report(y, strat, _sig(rl[:, 0]), _sig(rl[:, 1]), is_team)
    # Texts and calls have their own model (trained apart) and so their own flags and fitted weights
    # (MODEL_SCAM / MODEL_LEGIT, MODEL_CALL_SCAM / MODEL_CALL_LEGIT), each with the switch point (in
    # log-odds, where the flag goes from "reads legit" to "reads like a scam") that catches the most scams
    # out of fold while the false alarms stay under the targets. Texts: the shared genuine texts and the
    # team's genuine UK texts. Calls: the team's genuine UK calls (recogniser forms included); the
    # synthetic calls separate so cleanly that they would ask for far more trust than real calls earn,
    # so they only bound the false alarms.
    is_sms = strat_channel(strat) == "sms"
    is_call = ~is_sms
    cap, spam_cap = model_group_cap("model"), model_group_cap("model_spam")
    floor = model_group_floor("model")

    o = _OutOfFold(y, ntok, p_oof, rl, legit_void, sw, cap, floor, limits, log, rw)
    _, decision, beta_s, r_sms = _fit_channel(
        o,
        is_sms,
        # (the target itself: a 10 % margin under it cost 2-3 points of recall out of fold once the team's
        # hard genuine texts grew, for 0.05 % fewer false alarms)
        {"legit FPR": (is_sms & (y == "legit"), TARGET_FPR),
         "team genuine FPR": (is_sms & is_team & (y == "legit"), TEAM_TARGET_FPR)},
        is_sms, "text")
    _, decision_call, beta_c, r_call = _fit_channel(
        o,
        is_call & is_team,
        {"team genuine call FPR": (is_call & is_team & (y == "legit"), TEAM_CALL_TARGET_FPR),
         "synthetic genuine call FPR": (is_call & ~is_team & (y == "legit"), SYNTHETIC_CALL_TARGET_FPR)},
        is_call & is_team, "call")
    risk_logit = np.where(is_sms, r_sms, r_call)
    risk = _sig(risk_logit)
    dec = np.where(is_sms, decision, decision_call)
    fit_rows = is_sms | is_team
    # The spam side likewise: the switch point (p >= 0.5) with the best out-of-fold unwanted F1 among
    # those that call at most TARGET_SPAM_FPR of genuine texts unwanted.
    yu = (y != "legit").astype(float)
    best_u = None
    for cu in np.arange(0.0, 4.01, 0.25):  # never below p = 0.5: the flag says "reads like spam"
        # the detector never raises MODEL_SPAM on calls (no spam class there): fit what it will do
        c_spam = np.where(is_sms, model_confidences(p_oof["scam"], p_oof["spam"], (dec, cu))[2], 0.0)
        Zu = c_spam.reshape(-1, 1)
        b_u = fit_offset_logistic(Zu[fit_rows], yu[fit_rows], rl[fit_rows, 1], sw[fit_rows],
                                  bounds=[(0, limits.max_points)], cap=spam_cap if limits.fit_cap else None)
        s_u = _sig(rl[:, 1] + capped_points(Zu, b_u, spam_cap))
        pred = ((risk >= 0.5) | (s_u >= 0.5))[fit_rows]
        yf, rf = yu[fit_rows], rw[fit_rows]
        tp, fp, fn = (rf * (pred & (yf == 1))).sum(), (rf * (pred & (yf == 0))).sum(), (rf * (~pred & (yf == 1))).sum()
        f1 = 2 * tp / (2 * tp + fp + fn)
        legit_sms = (is_sms & (y == "legit"))[fit_rows]
        spam_fpr = _rate(pred[legit_sms], rf[legit_sms])
        log(f"  spam switch point {cu:.2f}: unwanted F1 {f1:.4f}, genuine texts called unwanted {spam_fpr:.4f}")
        if spam_fpr <= TARGET_SPAM_FPR and (best_u is None or f1 > best_u[0]):
            best_u = (f1, float(cu), b_u, s_u)
    if best_u is None:
        raise InputError("could not fit the model's spam weight within the target false-positive rate")
    _, decision_spam, beta_u, spam_score = best_u
    cv_metrics["combined"] = cv_report(y, strat, risk, spam_score, is_team)
    # The three engines compared at the same false-alarm rate (the combined engine's, on texts): the
    # combined verdict has to beat both the rules alone and the model alone there.
    sms_legit, sms_scam = is_sms & (y == "legit"), is_sms & (y == "scam")
    k_c = int((risk_logit[sms_legit] >= 0).sum())
    cv_metrics["sms_recall_at_combined_fpr"] = {
        "legit_fpr": round(k_c / max(1, int(sms_legit.sum())), 4),
        **{name: recall_at_k(sc[sms_legit], sc[sms_scam], k_c)
           for name, sc in (("combined", risk_logit), ("model", p_oof["scam"]), ("rules", rl[:, 0]))},
    }
    log(f"  SMS scam recall at the combined engine's legit FPR: {cv_metrics['sms_recall_at_combined_fpr']}")
    cv_metrics["decision_logit_sms"] = decision
    cv_metrics["decision_logit_call"] = decision_call
    cv_metrics["decision_logit_spam"] = decision_spam
    weights = {
        "MODEL_SCAM": round(float(beta_s[0]), 3),
        "MODEL_LEGIT": round(float(beta_s[1]), 3),
        "MODEL_SPAM": round(float(beta_u[0]), 3),
        "MODEL_CALL_SCAM": round(float(beta_c[0]), 3),
        "MODEL_CALL_LEGIT": round(float(beta_c[1]), 3),
    }
    log(f"  fitted weights {weights}")

    return weights, {"sms": [decision, decision_spam], "call": [decision_call, decision_spam]}


def _rate(hit, weight) -> float:
    """The weighted share of ``hit`` (a plain share when every weight is 1; NaN when there are no rows)."""
    total = float(weight.sum())
    return float((weight * hit).sum()) / total if total else float("nan")


def _sig(x):
    from scipy.special import expit

    return expit(x)


def _fit_channel(o: _OutOfFold, rows, limits, score_rows, name):
    """The (recall, switch point, weights, risk log-odds of ``rows``) with the best recall on
    ``score_rows`` among the switch points whose false-alarm rates meet ``limits``."""
    import numpy as np

    y = o.y
    sc = rows & (y != "spam")
    ys = (y[sc] == "scam").astype(float)
    best = fallback = None
    for c in np.arange(0.0, 3.01, 0.25):
        c_scam, c_legit, _ = model_confidences(o.p_oof["scam"], o.p_oof["spam"], (c, 0.0), o.ntok)
        Z = np.column_stack([c_scam, np.where(o.legit_void, 0.0, c_legit)])
        beta = fit_offset_logistic(Z[sc], ys, o.rl[sc, 0], o.sw[sc],
                                   bounds=[(0, o.limits.max_points), (o.limits.max_reassurance, 0)],
                                   cap=o.cap if o.limits.fit_cap else None)
        r = o.rl[:, 0] + capped_points(Z, beta, o.cap, o.floor)
        rates = {k: _rate(r[m] >= 0, o.rw[m]) if m.any() else 0.0 for k, (m, _) in limits.items()}
        caught = score_rows & (y == "scam")
        rec = _rate(r[caught] >= 0, o.rw[caught])
        o.log(f"  {name} switch point {c:.2f}: recall {rec:.4f}, "
            + ", ".join(f"{k} {v:.4f}" for k, v in rates.items()))
        if all(rates[k] <= lim for k, (_, lim) in limits.items()) and (best is None or rec > best[0]):
            best = (rec, float(c), beta, r)
        worst = max(rates[k] / lim for k, (_, lim) in limits.items())
        if fallback is None or worst < fallback[0]:
            fallback = (worst, (rec, float(c), beta, r))
    if best is None:  # no point meets every limit: the one closest to them, said out loud
        o.log(f"  warning: no {name} switch point meets the false-alarm targets; using the closest")
        best = fallback[1]
    return best


def cv_report(y, strat, risk, spam_score, team=None) -> dict[str, Any]:
    """Training-data (out-of-fold) metrics per channel, and for the team-written rows on their own,
    with the scorer's default thresholds."""
    import numpy as np

    out = {}
    channels = np.array([s.split(":")[0] for s in strat])
    subsets = {ch: channels == ch for ch in CHANNELS}
    if team is not None:
        subsets |= {f"team_{ch}": (channels == ch) & team for ch in CHANNELS if ((channels == ch) & team).any()}
    for name, m in subsets.items():
        yy, r, s = y[m], risk[m], spam_score[m]
        flagged = r >= 0.5
        unwanted_pred = flagged | (s >= 0.5)
        pos = yy != "legit"
        tp = int((unwanted_pred & pos).sum())
        fp = int((unwanted_pred & ~pos).sum())
        fn = int((~unwanted_pred & pos).sum())
        out[name] = {
            "scam_recall": _ratio(int((flagged & (yy == "scam")).sum()), int((yy == "scam").sum())),
            "legit_fpr": _ratio(int((flagged & (yy == "legit")).sum()), int((yy == "legit").sum())),
            "unwanted_f1": round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0,
        }
    return out


def recall_at_k(legit_scores, scam_scores, k: int) -> float:
    """Recall when the cut flags at most ``k`` legit items (a count, not a rounded rate; ties at the cut
    count as flagged, so they are not caught)."""
    import numpy as np

    legit = np.sort(legit_scores)[::-1]
    cut = legit[k] if k < len(legit) else -np.inf
    return round(float((scam_scores > cut).mean()), 4)


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def strat_channel(strat):
    import numpy as np

    return np.array([s.split(":")[0] for s in strat])
