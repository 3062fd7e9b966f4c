"""``scamshield train`` end to end on a tiny hand-written data folder (the real one is not needed):
it writes a loadable artifact and fits the model flags' weights, without touching the shipped files."""

import csv
import os

import pytest
import yaml

pytest.importorskip("sklearn")

from scamshield.detectors.model import ModelDetector, load_model
from scamshield.learn import train as train_mod
from scamshield.learn.weights import recall_at_k
from scamshield.preprocess import make_unit

SCAMS = [
    "HMRC: you are owed a tax refund of £{n}, claim at hmrc-refund{n}.com",
    "Royal Mail: your parcel {n} is on hold, pay £1.{n} at rm-redeliver.net",
    "Your bank account is locked, verify your details at secure-bank{n}.co now",
]
LEGIT = [
    "see you at {n} for dinner, love you",
    "can you pick up milk on the way home? thanks {n}",
    "meeting moved to {n}pm, same room",
]
SPAM = ["SALE {n}% off everything this weekend only! Reply STOP to opt out"]
CALL_SCAM = "Suspect: This is the IRS, you owe {n} dollars. Innocent: What? Suspect: Pay in gift cards today."
CALL_LEGIT = "Suspect: Hi, calling to confirm your dentist appointment at {n}. Innocent: Yes, thanks, see you then."


WORDS = ["alpha", "bravo", "carrot", "delta", "eagle", "fox", "golf", "hotel", "india", "juliet", "kilo", "lima"]


TEAM_SMS = [
    ("legit", "Barclays: a payment of £{n} to TESCO was made on your card. Not you? Use the app."),
    ("legit", "Royal Mail: your parcel {n} arrives today. Track it at royalmail.com/track"),
    ("scam", "Barclays: your card {n} is blocked, verify at barclays-secure{n}.info now"),
]


def _team_folder(path):
    path.mkdir()
    with open(path / "uk_sms.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "label", "channel", "source"])
        for n in range(8):
            for i, (label, t) in enumerate(TEAM_SMS):
                src = "team_uk_genuine" if label == "legit" else "team_uk_scam"
                w.writerow([f"t{n}-{i}", t.format(n=WORDS[n]), label, "sms", src])
    return path


def _tiny_splits(tmp_path):
    splits = tmp_path / "splits"
    splits.mkdir()
    with open(splits / "sms_train.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "label", "channel", "source"])
        for n in range(12):
            for t in SCAMS:
                w.writerow([f"s{n}{t[:3]}", t.format(n=WORDS[n]), "scam", "sms", "tiny"])
            for t in LEGIT:
                w.writerow([f"l{n}{t[:3]}", t.format(n=WORDS[n]), "legit", "sms", "tiny"])
            for t in SPAM:
                w.writerow([f"p{n}", t.format(n=WORDS[n]), "spam", "sms", "tiny"])
    with open(splits / "call_train.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "label", "channel", "source"])
        for n in range(10):
            w.writerow([f"c{n}", CALL_SCAM.format(n=WORDS[n]), "scam", "call", "tiny"])
            w.writerow([f"d{n}", CALL_LEGIT.format(n=WORDS[n]), "legit", "call", "tiny"])


@pytest.mark.parametrize("with_team", [False, True], ids=["shared-splits-only", "with-team-data"])
def test_train_on_a_tiny_folder(tmp_path, with_team):
    _tiny_splits(tmp_path)
    shipped = train_mod.MODEL_FLAGS_FILE.read_bytes()
    out = tmp_path / "model.json.gz"
    team = _team_folder(tmp_path / "team") if with_team else False
    result = train_mod.train(tmp_path, out, log=lambda *_: None, team=team)
    assert train_mod.MODEL_FLAGS_FILE.read_bytes() == shipped  # --out elsewhere leaves the package alone
    assert set(result["weights"]) == {"MODEL_SCAM", "MODEL_LEGIT", "MODEL_SPAM", "MODEL_CALL_SCAM", "MODEL_CALL_LEGIT"}
    model = load_model(os.fspath(out))
    assert ("uk_sms.csv" in model.meta["training_files"]) == with_team
    assert model.meta["weights"] == result["weights"]
    overlay = yaml.safe_load((tmp_path / "model.json.gz.weights.yaml").read_text(encoding="utf-8"))
    assert overlay == {"weights": result["weights"]}  # the artifact's own weights, ready to load
    assert set(model.meta["cv"]["sms_recall_at_combined_fpr"]) == {"legit_fpr", "combined", "model", "rules"}
    det = ModelDetector(model)
    state = det.new_state()
    det.feed(state, make_unit("HMRC: you are owed a tax refund of £99, claim at hmrc-refund99.com"))
    assert det.probabilities(state)["scam"] > 0.5
    state = det.new_state()
    det.feed(state, make_unit("can you pick up milk on the way home? thanks"))
    assert det.probabilities(state)["scam"] < 0.5


# (channel kept, the option that keeps it, its flags; the other channel is this run's own)
KEPT_CHANNELS = [
    ("call", "call_model_from", ("MODEL_CALL_SCAM", "MODEL_CALL_LEGIT"), "sms"),
    ("sms", "sms_model_from", ("MODEL_SCAM", "MODEL_LEGIT", "MODEL_SPAM"), "call"),
]


@pytest.mark.parametrize(("kept", "option", "flags", "own"), KEPT_CHANNELS, ids=["call", "sms"])
def test_a_run_can_keep_another_artifacts_model_for_one_channel(tmp_path, kept, option, flags, own):
    """--call-model-from / --sms-model-from: new data for one channel, the shipped model of the other and its
    fitted weights kept."""
    from scamshield.learn.artifact import DEFAULT_OUT, read_artifact
    from scamshield.learn.config import TrainConfig

    _tiny_splits(tmp_path)
    out = tmp_path / "model.json.gz"
    config = TrainConfig(**{option: os.fspath(DEFAULT_OUT)})
    result = train_mod.train(tmp_path, out, log=lambda *_: None, team=False, config=config)
    donor, made = read_artifact(DEFAULT_OUT), read_artifact(out)
    assert made["channels"][kept] == donor["channels"][kept]
    assert made["channels"][own] != donor["channels"][own]  # this run's own model
    for k in flags:
        assert result["weights"][k] == made["meta"]["weights"][k] == donor["meta"]["weights"][k]
    assert made["meta"][f"{kept}_model"]["trained"] == donor["meta"]["trained"]


def test_keeping_a_call_model_from_a_file_that_is_not_one_is_a_clear_error(tmp_path):
    from scamshield.errors import InputError
    from scamshield.learn.config import TrainConfig

    _tiny_splits(tmp_path)
    bad = tmp_path / "notes.txt"
    bad.write_text("not a model", encoding="utf-8")
    with pytest.raises(InputError, match="not a model artifact"):
        train_mod.train(tmp_path, tmp_path / "m.json.gz", log=lambda *_: None, team=False,
                        config=TrainConfig(call_model_from=os.fspath(bad)))


def test_fitted_weights_respect_the_scorers_cap():
    """With the cap inside the loss, points beyond it earn nothing; without it, the fit is plain logistic."""
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(0)
    z = rng.uniform(0, 1, 400)
    y = (rng.uniform(0, 1, 400) < 1 / (1 + np.exp(-(6 * z - 3)))).astype(float)
    Z = z.reshape(-1, 1)
    offset = np.full(400, -3.0)
    free = train_mod.fit_offset_logistic(Z, y, offset, bounds=[(0, None)])
    capped = train_mod.fit_offset_logistic(Z, y, offset, bounds=[(0, None)], cap=2.0)
    assert 4.0 < free[0] < 9.0  # near the true slope of 6

    def capped_loss(b):  # the objective fit_offset_logistic minimises, its small L2 term included
        eta = offset + np.minimum(z * b, 2.0)
        return float(np.sum(np.logaddexp(0.0, eta) - y * eta)) + 0.5 * 1e-2 * b * b

    grid = np.linspace(0.0, 30.0, 3001)
    best = grid[np.argmin([capped_loss(b) for b in grid])]
    # the fit reaches the brute-force minimum of the capped loss, which is not the free fit's
    assert capped_loss(capped[0]) <= capped_loss(best) + 1e-3
    assert capped_loss(capped[0]) < capped_loss(free[0]) - 1e-3


def test_recall_at_k_counts_ties_as_flagged():
    np = pytest.importorskip("numpy")
    legit = np.array([0.1, 0.2, 0.3, 0.9])
    scams = np.array([0.95, 0.9, 0.5, 0.05])
    assert recall_at_k(legit, scams, 0) == 0.25  # only above the top legit score
    assert recall_at_k(legit, scams, 1) == 0.75  # one legit may be flagged: cut at 0.3
