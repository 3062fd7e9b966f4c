"""Inbound-only numbers: the seed spoof, and the calls that must NOT be called spoofs."""

import pytest

from scamshield import Analyzer, Message, Turn
from scamshield.callerid.checks import number_findings
from scamshield.callerid.detector import CallerIdDetector
from scamshield.preprocess import make_unit

CASES = [
    # (sender, channel, direction, expected flags from the caller-ID detector)
    ("+443002003300", "call", "incoming", ["CLI_INBOUND_ONLY"]),  # the seed case
    ("0300 200 3300", "call", "incoming", ["CLI_INBOUND_ONLY"]),
    ("tel:+443002003300;verstat=No-TN-Validation", "call", "incoming", ["CLI_INBOUND_ONLY"]),
    ('"HMRC" <sip:+443002003300@gw.example>', "call", "incoming", ["CLI_INBOUND_ONLY"]),
    ("+443002003300", "sms", "incoming", ["CLI_INBOUND_ONLY"]),
    ("+443002003300", "call", "outgoing", ["DIALLED_OFFICIAL_NUMBER"]),  # the user rang HMRC: reassuring, not a spoof
    ("+443002003310", "call", "incoming", []),  # another HMRC helpline, not known to be inbound-only
    ("+443002003301", "call", "incoming", []),
]


@pytest.mark.parametrize(("sender", "channel", "direction", "flags"), CASES)
def test_inbound_only(sender, channel, direction, flags):
    msg = Message(channel=channel, sender=sender, direction=direction, dialled=sender if direction == "outgoing" else None)
    found = CallerIdDetector().analyze_message(msg, [])
    assert [f.flag for f in found] == flags


def test_explanation_reads_well():
    (f,) = number_findings("+443002003300", "call")
    assert f.note.startswith("HMRC never rings from 0300 200 3300 - it only takes calls on it.")
    assert "Criminals fake this number" in f.note
    (f,) = number_findings("+443002003300", "sms")
    assert "never sends texts from 0300 200 3300" in f.note


def test_seed_spoof_with_mild_hmrc_words_is_a_scam():
    msg = Message(
        channel="call",
        sender="+443002003300",
        turns=(Turn("caller", "Good afternoon, I'm calling from HMRC about your tax return."),),
    )
    v = Analyzer.default().analyze(msg)
    assert v.verdict == "scam"
    assert "CLI_INBOUND_ONLY" in v.flag_ids()


def test_seed_spoof_alone_is_at_least_suspicious():
    v = Analyzer.default().analyze(Message(channel="call", sender="+443002003300", text="Hello?"))
    assert v.verdict in ("suspicious", "scam")


def test_genuine_outgoing_call_to_hmrc_is_not_a_spoof():
    msg = Message(
        channel="call",
        sender="+443002003300",
        direction="outgoing",
        dialled="+443002003300",
        turns=(
            Turn("caller", "Hello, I'm ringing about my tax code."),
            Turn("callee", "Thank you for calling HMRC, can I take your National Insurance number?"),
        ),
    )
    v = Analyzer.default().analyze(msg)
    assert not {f for f in v.flag_ids() if f.startswith(("CLI_", "STIR_", "CALLBACK_"))}


def test_detector_uses_units_only_for_claims():
    unit = make_unit("This is HMRC.", turn=0, speaker="caller", channel="call")
    found = CallerIdDetector().analyze_message(Message(channel="call", sender="+443002003300"), [unit])
    assert [f.flag for f in found] == ["CLI_INBOUND_ONLY"]  # its own number: no extra mismatch flag
