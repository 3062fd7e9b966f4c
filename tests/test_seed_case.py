"""The case scamshield was started for: a caller says he is from HMRC, claims a tax debt, threatens a
court order, and tells the person to buy iTunes vouchers and read him the codes when he calls back."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml

from scamshield import Analyzer, Message, Turn

SCORES = Path(__file__).resolve().parents[1] / "src" / "scamshield" / "rules" / "scores.yaml"

SEED_CALL = (
    Turn("caller", "Good afternoon, my name is Daniel Roberts and I'm calling from HMRC, the tax office."),
    Turn("callee", "Oh. What is this about?"),
    Turn("caller", "Our records show an unpaid tax debt of one thousand four hundred pounds from 2021."),
    Turn("callee", "I've never heard anything about that."),
    Turn("caller", "If it is not settled today, a court order will be issued and officers can come to your home."),
    Turn("callee", "That can't be right. How do I pay?"),
    Turn("caller", "Go to the supermarket and buy iTunes vouchers for the full amount. Keep the receipts."),
    Turn("callee", "Vouchers? For tax?"),
    Turn("caller", "Yes. When I call you back in one hour you will read me the codes on the back of each card."),
)

# flag -> (turn index, exact evidence text)
EXPECTED_EVIDENCE = {
    "CLAIMS_TAX_AUTHORITY": (0, "HMRC"),
    "THREAT_LEGAL_ACTION": (4, "court order"),
    "PAYMENT_GIFT_CARDS": (6, "buy iTunes vouchers"),
    "CALLBACK_REQUEST": (8, "When I call you back"),
}

SEED_TEXT = (
    "HMRC: we have been trying to contact you. A case is being built against you for unpaid tax. "
    "Call back urgently on 0161 496 0999"
)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer.default()


@pytest.fixture(scope="module")
def seed_verdict(analyzer):
    return analyzer.analyze(Message(channel="call", turns=SEED_CALL, id="seed-call"))


def _flags(v):
    return {f.id: f for f in v.flags}


def test_seed_call_is_an_hmrc_scam(seed_verdict):
    fired = sorted(_flags(seed_verdict))
    assert seed_verdict.verdict == "scam", fired
    assert seed_verdict.scam_type == "hmrc_tax", (seed_verdict.scam_type, fired)
    assert seed_verdict.risk >= 0.8


@pytest.mark.parametrize("flag", sorted(EXPECTED_EVIDENCE))
def test_seed_call_evidence_indexes_the_right_turn(seed_verdict, flag):
    flags = _flags(seed_verdict)
    assert flag in flags, f"{flag} missing; fired: {sorted(flags)}"
    turn, words = EXPECTED_EVIDENCE[flag]
    spans = flags[flag].evidence
    assert spans, f"{flag} has no evidence"
    for span in spans:  # every span indexes the text of the turn it names
        assert span.turn is not None
        assert SEED_CALL[span.turn].text[span.start : span.end] == span.text
    assert any(s.turn == turn and s.text == words for s in spans), (
        f"{flag}: want {words!r} in turn {turn}; got {[(s.turn, s.text) for s in spans]}"
    )


def test_seed_call_also_flags_the_codes_and_the_debt(seed_verdict):
    flags = _flags(seed_verdict)
    codes = flags["VOUCHER_CODES_REQUESTED"].evidence
    assert any(s.turn == 8 and "codes" in s.text for s in codes)
    assert "THREAT_FINE_OR_PENALTY" in flags


def test_seed_call_caller_words_carry_full_weight(analyzer):
    # The same words said by the person called count for less: they may be repeating the scammer.
    echoed = tuple(Turn("callee" if t.speaker == "caller" else "caller", t.text) for t in SEED_CALL)
    v = analyzer.analyze(Message(channel="call", turns=echoed))
    seed = analyzer.analyze(Message(channel="call", turns=SEED_CALL))
    assert v.risk < seed.risk


def test_seed_call_live_turn_by_turn_reaches_scam_by_the_vouchers(analyzer):
    analysis = analyzer.begin(Message(channel="call"))
    verdicts = [analysis.add_turn(t).verdict for t in SEED_CALL]
    assert verdicts[0] in ("safe", "spam")  # "I'm calling from HMRC" alone proves nothing
    assert verdicts[6] == "scam"  # authority + debt + court order + vouchers
    assert verdicts[-1] == "scam"


def test_seed_text_is_scam_or_suspicious(analyzer):
    v = analyzer.analyze(Message(text=SEED_TEXT))
    fired = _flags(v)
    assert v.verdict in ("scam", "suspicious"), sorted(fired)
    assert v.scam_type == "hmrc_tax"
    assert {"CLAIMS_TAX_AUTHORITY", "THREAT_LEGAL_ACTION", "CALLBACK_REQUEST"} <= set(fired)
    case = next(s for s in fired["THREAT_LEGAL_ACTION"].evidence if "case" in s.text)
    assert SEED_TEXT[case.start : case.end] == case.text
    assert case.text == "A case is being built against you"
    assert any(s.text.endswith("0161 496 0999") for s in fired["CALLBACK_REQUEST"].evidence)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@pytest.mark.parametrize("which", ["call", "text"])
def test_verdict_json_is_recomputable_from_scores_yaml(analyzer, which):
    msg = Message(channel="call", turns=SEED_CALL) if which == "call" else Message(text=SEED_TEXT)
    out = json.loads(json.dumps(analyzer.analyze(msg).to_dict()))
    cfg = yaml.safe_load(SCORES.read_text(encoding="utf-8"))
    scam_points = sum(c["points"] for c in out["contributions"] if c["score"] == "scam")
    spam_points = sum(c["points"] for c in out["contributions"] if c["score"] == "spam")
    assert out["risk"] == pytest.approx(_sigmoid(cfg["bias"] + scam_points), abs=1e-4)
    assert out["spam_score"] == pytest.approx(_sigmoid(cfg["spam_bias"] + spam_points), abs=1e-4)
    # each flag's and combo's points are its weight x confidence, and the verdict follows the thresholds
    flags = {f["id"]: f for f in out["flags"]}
    for c in out["contributions"]:
        if c["kind"] in ("flag", "combo"):
            assert c["points"] == pytest.approx(c["weight"] * c["confidence"], rel=1e-4, abs=1e-4)
        if c["kind"] == "flag":
            assert c["weight"] == flags[c["id"]]["weight"]
            assert c["confidence"] == pytest.approx(flags[c["id"]]["confidence"], abs=1e-4)
    assert out["risk"] >= cfg["thresholds"]["suspicious"]
    expected = "scam" if out["risk"] >= cfg["thresholds"]["scam"] else "suspicious"
    assert out["verdict"] == expected
