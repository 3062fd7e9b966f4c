"""The learned model: it loads from the package (no training data, no numpy/scikit-learn needed), it
is registered as one more detector, its findings carry evidence spans, and a call fed turn by turn
ends where the whole call would."""

import json
import subprocess
import sys

import pytest

from scamshield import Analyzer, Message, Turn, analyze, rules
from scamshield.detectors.model import ModelDetector, load_model
from scamshield.detectors.registry import default_detectors
from scamshield.preprocess import make_unit

SCAM = "URGENT: your Royal Mail parcel is on hold. Pay the £1.99 redelivery fee at royalmail-redeliver.com"
LEGIT = "hey are we still on for dinner tonight? I'll be there at 7, running a bit late x"


@pytest.fixture(scope="module")
def det():
    return ModelDetector.default()


def findings_for(det, *texts, channel="sms"):
    state = det.new_state()
    for i, t in enumerate(texts):
        det.feed(state, make_unit(t, turn=i if len(texts) > 1 else None, channel=channel))
    return {f.flag: f for f in det.findings(state)}, state


def test_model_loads_from_the_package_with_both_channels_and_heads():
    model = load_model()
    assert set(model.channels) == {"sms", "call"}
    for cm in model.channels.values():
        assert set(cm.heads) == {"scam", "spam"}
        assert len(cm.words) > 1000 and len(cm.chars) > 1000
    assert model.meta["trained"] and "sms_train.csv" in " ".join(model.meta["training_files"])


def test_inference_needs_neither_numpy_nor_sklearn():
    code = (
        f"import sys; from scamshield import analyze; v = analyze({SCAM!r}); "
        "print(v.verdict, 'numpy' in sys.modules, 'sklearn' in sys.modules)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, check=True)
    verdict, np_loaded, sk_loaded = r.stdout.decode().split()
    assert verdict in ("scam", "suspicious") and np_loaded == "False" and sk_loaded == "False"


def test_model_is_a_registered_detector_and_its_flags_are_defined():
    assert any(isinstance(d, ModelDetector) for d in default_detectors())
    defs = rules.flag_defs()
    for fid in ("MODEL_SCAM", "MODEL_LEGIT"):
        assert defs[fid].group == "model"
    assert defs["MODEL_SPAM"].group == "model_spam"
    assert defs["MODEL_SCAM"].weight > 0 and defs["MODEL_LEGIT"].weight < 0 and defs["MODEL_SPAM"].weight > 0
    assert defs["MODEL_SPAM"].score == "spam"


def test_scam_text_raises_model_scam_with_evidence_spans(det):
    found, _ = findings_for(det, SCAM)
    f = found["MODEL_SCAM"]
    assert f.confidence > 0.1 and "probability scam" in f.note
    assert f.evidence, "the model must say which words pushed it"
    for span in f.evidence:
        assert SCAM[span.start : span.end] == span.text and span.text.strip()


def test_ordinary_text_reads_as_legit(det):
    found, _ = findings_for(det, LEGIT)
    assert "MODEL_SCAM" not in found and "MODEL_SPAM" not in found
    assert found["MODEL_LEGIT"].confidence > 0.3  # p(scam) under about 0.1


def test_disguised_text_scores_like_the_plain_text(det):
    plain = det.probabilities(findings_for(det, "Your HMRC tax refund of £265.84 is ready, claim now")[1])
    hidden = det.probabilities(findings_for(det, "Your Н.М.R.C t4x r\u200befund of GBP265.84 is ready, claim now")[1])
    assert hidden["scam"] == pytest.approx(plain["scam"], abs=0.05)


def test_evidence_spans_point_into_the_original_text_through_obfuscation(det):
    text = "Y0ur acc0unt is susp3nded, v3rify your det4ils at secure-login-uk.co"
    found, _ = findings_for(det, text)
    spans = [s for flag in ("MODEL_SCAM", "MODEL_SPAM") for s in found[flag].evidence]
    assert any("susp3nded" in s.text for s in spans)  # found through the leetspeak, shown in the original words
    for span in spans:
        assert text[span.start : span.end] == span.text


CALL = [
    Turn("caller", "Hello, this is the fraud department at your bank."),
    Turn("callee", "Oh, what's wrong?"),
    Turn("caller", "Your account has been compromised. Move your savings to a safe account today."),
    Turn("callee", "Should I tell anyone?"),
    Turn("caller", "No, do not tell the branch staff, and read me the code we just sent you."),
]


def test_call_fed_turn_by_turn_ends_where_the_whole_call_does():
    an = Analyzer.default()
    whole = an.analyze(Message(channel="call", turns=tuple(CALL)))
    live = an.begin(Message(channel="call"))
    for t in CALL:
        v = live.add_turn(t)
    assert v.risk == pytest.approx(whole.risk, abs=1e-9)
    assert v.flag_ids() == whole.flag_ids()
    # A UK "safe account" call: the model (trained on US-centric synthetic calls) may not see it,
    # the red flags do; the combined verdict is what counts.
    assert whole.verdict == "scam"


def test_model_state_is_order_free_and_small(det):
    a = findings_for(det, *(t.text for t in CALL), channel="call")[1]
    b = findings_for(det, *(t.text for t in reversed(CALL)), channel="call")[1]
    assert det.probabilities(a) == pytest.approx(det.probabilities(b))
    assert all(len(v) <= 4 for v in a.best.values())  # what it keeps does not grow with the call


def test_combined_verdict_explains_the_model_flag():
    v = analyze(SCAM)
    flag = next(f for f in v.flags if f.id == "MODEL_SCAM")
    d = flag.to_dict()
    assert d["group"] == "model" and d["evidence"] and d["note"].startswith("learned model")
    json.dumps(v.to_dict())


def test_empty_state_has_no_findings(det):
    assert det.findings(det.new_state()) == []
    found, _ = findings_for(det, "   ")
    assert "MODEL_SCAM" not in found
