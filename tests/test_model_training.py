"""``scamshield train`` end to end on a tiny hand-written data folder (the real one is not needed):
it writes a loadable artifact and fits the model flags' weights, without touching the shipped files."""

import csv
import os

import pytest

pytest.importorskip("sklearn")

from scamshield.detectors.model import ModelDetector, load_model
from scamshield.learn import train as train_mod
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


def test_train_on_a_tiny_folder(tmp_path):
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
    shipped = train_mod.MODEL_FLAGS_FILE.read_bytes()
    out = tmp_path / "model.json.gz"
    result = train_mod.train(tmp_path, out, log=lambda *_: None, team=False)
    assert train_mod.MODEL_FLAGS_FILE.read_bytes() == shipped  # --out elsewhere leaves the package alone
    assert set(result["weights"]) == {"MODEL_SCAM", "MODEL_LEGIT", "MODEL_SPAM"}
    model = load_model(os.fspath(out))
    det = ModelDetector(model)
    state = det.new_state()
    det.feed(state, make_unit("HMRC: you are owed a tax refund of £99, claim at hmrc-refund99.com"))
    assert det.probabilities(state)["scam"] > 0.5
    state = det.new_state()
    det.feed(state, make_unit("can you pick up milk on the way home? thanks"))
    assert det.probabilities(state)["scam"] < 0.5
