"""Hostile input never raises: any text as a caller ID, an Identity header, a verstat or a message."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamshield.callerid.detector import CallbackNumberDetector, CallerIdDetector
from scamshield.callerid.explain import explain_number
from scamshield.callerid.numbers import numbering_findings, parse_number
from scamshield.callerid.screening import screen_call
from scamshield.callerid.stir_shaken import StirVerifier
from scamshield.models import Message
from scamshield.preprocess import make_unit

PHONEY = st.text(alphabet="0123456789 +()-.#*;:=<>@abcdefHMRCsiptelverstaNO\x00é☎", max_size=60)
ANY = st.one_of(PHONEY, st.text(max_size=80))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ANY)
def test_any_caller_id(raw):
    info = parse_number(raw)
    for channel in ("call", "sms"):
        for f in numbering_findings(info, channel):
            assert f.note and 0 < f.confidence <= 1
    assert screen_call(raw, raw).action in ("allow", "warn", "block")
    assert explain_number(raw)["summary"]


TOKENISH = st.lists(st.text(alphabet="ABCDEFabcdef0123456789-_=+/.;<>:", max_size=40), min_size=1, max_size=5)


@SETTINGS
@given(TOKENISH, ANY)
def test_any_identity_header(parts, from_):
    result = StirVerifier(clock=lambda: 1_800_000_000).verify(".".join(parts), orig=from_, dest=from_)
    assert result.status in ("failed", "absent")
    assert result.explanation


@SETTINGS
@given(st.text(max_size=300), ANY, st.sampled_from(["sms", "call"]), st.text(max_size=40))
def test_any_message(text, sender, channel, verstat):
    msg = Message(channel=channel, text=text, sender=sender, verstat=verstat, identity=text[:100] or None)
    unit = make_unit(text, channel=channel)
    list(CallerIdDetector().analyze_message(msg, [unit]))
    det = CallbackNumberDetector()
    state = det.new_state()
    det.feed(state, unit)
    for f in det.findings(state):
        for span in f.evidence:
            assert text[span.start : span.end] == span.text
