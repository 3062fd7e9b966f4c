"""No red-flag pattern may backtrack catastrophically: a scammer controls the text we scan.

Two checks: a static one (no unbounded repeat nested inside another unbounded repeat, the shape
behind almost all ReDoS), and fuzzing the whole engine with hostile text under a watchdog that
turns a hang into a failure.
"""

import re
import signal

try:  # Python 3.11+: the parser moved
    import re._parser as sre_parse
    from re._constants import BRANCH, MAX_REPEAT, MAXREPEAT, MIN_REPEAT, SUBPATTERN
except ImportError:  # pragma: no cover
    import sre_parse
    from sre_constants import BRANCH, MAX_REPEAT, MAXREPEAT, MIN_REPEAT, SUBPATTERN

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scamshield import Analyzer, Message, Turn
from scamshield.detectors.patterns import PatternDetector

RULES = PatternDetector.from_rules().rules


def _nested_unbounded(items, inside=False):
    for op, av in items:
        if op in (MAX_REPEAT, MIN_REPEAT):
            _lo, hi, sub = av
            unbounded = hi == MAXREPEAT or hi > 100
            if unbounded and inside:
                return True
            if _nested_unbounded(sub, inside or unbounded):
                return True
        elif op == SUBPATTERN:
            if _nested_unbounded(av[-1], inside):
                return True
        elif op == BRANCH:
            for alt in av[1]:
                if _nested_unbounded(alt, inside):
                    return True
    return False


@pytest.mark.parametrize("rule", RULES, ids=[r.flag for r in RULES])
def test_no_nested_unbounded_repeats(rule):
    parsed = sre_parse.parse(rule.regex.pattern)
    assert not _nested_unbounded(list(parsed)), f"{rule.flag}: nested unbounded repeat"


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


HOSTILE = [
    "a" * 50_000,
    "call " * 10_000,
    "0" * 50_000,
    "h.m.r.c." * 5_000,
    "i t u n e s " * 5_000,
    ("you owe " * 20 + ". ") * 500,
    "£" + "1," * 20_000,
    "http://" + "a." * 20_000 + "com",
    "g1ft c4rd v0uch3r " * 3_000,
    "\u200b".join("hmrc" * 5_000),
    "don't tell " * 8_000,
    # one phrase repeated: every match is weighed in context (intent.py), so each must stay cheap
    "hmrc." * 5_000,
    "barclays: " * 5_000,
    "your pin " * 5_000,
    "payment of £5 to amazon.com " * 1_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=[f"hostile{i}" for i in range(len(HOSTILE))])
def test_hostile_text_finishes(text):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(20)  # a watchdog against hangs ("hmrc." x 5,000 once took 62 s), not a speed assertion
    try:
        Analyzer.default().analyze(Message(text=text[:100_000]))
    except _Hang:
        pytest.fail("analysis did not finish: catastrophic backtracking?")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


WORDS = st.sampled_from(
    ["hmrc", "call", "now", "£", "gift", "card", "itunes", "codes", "court", "order", "bit.ly/x", ".", " ",
     "0300 200 3300", "don't", "tell", "your", "bank", "safe", "account", "press 1", "v0uch3r", "h.m.r.c",
     "\u200b", "Ηello", "GBP", "12.50", "http://", "-", "/", "@", "!!!", "\n"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, min_size=1, max_size=400), st.text(max_size=200))
def test_fuzz_engine_never_crashes_and_spans_index_the_text(words, noise):
    text = "".join(words) + noise
    if not text.strip():
        return
    v = Analyzer.default().analyze(Message(text=text))
    assert v.verdict in ("scam", "suspicious", "spam", "safe") and 0.0 <= v.risk <= 1.0
    for f in v.flags:
        for e in f.evidence:
            assert text[e.start:e.end] == e.text


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["caller", "callee"]), st.text(max_size=80)), min_size=1, max_size=20))
def test_fuzz_calls_spans_index_their_turn(turns):
    msg = Message(channel="call", turns=tuple(Turn(s, t) for s, t in turns))
    v = Analyzer.default().analyze(msg)
    for f in v.flags:
        for e in f.evidence:
            assert e.turn is not None and turns[e.turn][1][e.start:e.end] == e.text


def test_regexes_compile_once():
    a, b = PatternDetector.from_rules(), PatternDetector.from_rules()
    assert [r.regex.pattern for r in a.rules] == [r.regex.pattern for r in b.rules]
    assert all(isinstance(r.regex, re.Pattern) for r in a.rules)
