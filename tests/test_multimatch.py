"""The regex prefilter must never skip a pattern that could match: check it against plain matching."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scamshield.detectors.patterns import PatternDetector
from scamshield.detectors.prefilter import Prefilter, required_literals, split_alternatives
from scamshield.preprocess import make_unit


@pytest.mark.parametrize(
    "pattern,expected",
    [
        ("abc", {"abc"}),
        ("court (?:order|action)", {"court order", "court action"}),
        ("(?:won|win)(?: a| an)", {"won a", "won an", "win a", "win an"}),
        (r"pay (?:a |the )?fee", {"pay "}),
        (r"a+bc", {"bc"}),
        (r"\d+", None),
        (r"(?:x|\d)", None),
    ],
)
def test_required_literals(pattern, expected):
    got = required_literals(pattern)
    assert (set(got) if got else None) == expected


def test_split_alternatives_respects_groups_classes_and_escapes():
    assert split_alternatives(r"a|(?:b|c)|[|]|\||d") == ["a", "(?:b|c)", "[|]", r"\|", "d"]


def test_candidates_include_keys_without_literals():
    pf = Prefilter([("a", frozenset({"hello"})), ("b", None), ("c", frozenset({"zz"}))])
    assert pf.candidates("say hello") == {"a", "b"}
    assert pf.candidates("zz top") == {"b", "c"}


DETECTOR = PatternDetector.from_rules()
PIECES = st.sampled_from(
    ["hmrc ", "court order ", "itunes ", "gift card ", "read me the codes ", "press 1 ", "call back ",
     "0161 496 0000 ", "urgent ", "don't tell your bank ", "safe account ", "t&c ", "dob ", "£1.50/min ",
     "hi mum ", "anydesk ", "win a ", "x", " ", "."]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=30))
def test_prefiltered_matching_equals_plain_matching(pieces):
    text = "".join(pieces)
    unit = make_unit(text)
    cands = DETECTOR.prefilter.candidates(unit.norm)
    for ri, rule in enumerate(DETECTOR.rules):
        for ai, (rx, _) in enumerate(rule.alternatives):
            if rx.search(unit.norm):
                assert (ri, ai) in cands, f"{rule.flag} alternative {ai} skipped on {text!r}"


def test_every_rule_alternative_compiles_separately():
    for rule in DETECTOR.rules:
        assert rule.alternatives and all(isinstance(rx, re.Pattern) for rx, _ in rule.alternatives)
