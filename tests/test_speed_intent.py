"""intent.py's shortcuts give the plain way's answers: the request verbs as a trie match as the list
sorted longest first did, and in_link's remembered answers are the ones worked out afresh."""

from __future__ import annotations

import random
import re

import pytest

from scamshield import intent, rules
from scamshield.mentions import find_links


def _flat(verbs) -> str:
    return "(?:" + "|".join(re.escape(v) for v in sorted(verbs, key=len, reverse=True)) + ")"


def _texts(words: list[str], n: int = 400) -> list[str]:
    rng = random.Random(7)
    fillers = ["please", "can you", "you will", "we need you to", "it", "that code", "now", "just", "your",
               "the", ",", ".", "if you", "is to", "and", "back", "me", "us", "x", "re", "-", "in", "up"]
    out = []
    for _ in range(n):
        parts = [rng.choice(words if rng.random() < 0.4 else fillers) for _ in range(rng.randrange(1, 14))]
        text = " ".join(parts)
        if rng.random() < 0.3:  # verbs run together or cut short: "sendback", "confir"
            text = text.replace(" ", rng.choice(["", "  ", "\n"]), rng.randrange(3))
        if rng.random() < 0.3:
            i = rng.randrange(len(text) + 1)
            text = text[:i] + text[i + 1 :]
        out.append(text)
    return out


def _same(a: re.Pattern, b: re.Pattern, texts: list[str]) -> None:
    for t in texts:
        assert [m.span() for m in a.finditer(t)] == [m.span() for m in b.finditer(t)], t
        for pos in range(0, len(t), 3):
            ma, mb = a.match(t, pos), b.match(t, pos)
            assert (ma and ma.span()) == (mb and mb.span()), (t, pos)


def test_the_verb_trie_matches_as_the_sorted_list():
    data = rules.load_yaml(rules.RULES_DIR / "intent.yaml")["request"]
    verbs = tuple(data["verbs"])
    texts = _texts(list(verbs))
    for a, b in ((intent._verb_regex(verbs), _flat(verbs)),):
        _same(re.compile(a + r"\b"), re.compile(b + r"\b"), texts)
        _same(re.compile(a + r"\s+(?:it|them)\b"), re.compile(b + r"\s+(?:it|them)\b"), texts)
    cues = [*data["cues"], *data["general_cues"]]
    anywhere, at_start, _after_unless = intent._request_cues(None)
    _same(anywhere, re.compile("|".join(f"(?:{c})" for c in cues).replace("{verb}", _flat(verbs))), texts)
    _same(at_start, re.compile(rf"\s*(?:please\s+|kindly\s+|now\s+|just\s+)?{_flat(verbs)}\b"), texts)


@pytest.mark.parametrize("own", [("enter", "read", "send", "send back", "read out", "tell"), ("give",)])
def test_a_flags_own_verbs_as_a_trie_match_as_the_sorted_list(own):
    texts = _texts(list(own))
    data = rules.load_yaml(rules.RULES_DIR / "intent.yaml")["request"]
    anywhere, _at_start, _after_unless = intent._request_cues(own)
    _same(anywhere, re.compile("|".join(f"(?:{c})" for c in data["cues"]).replace("{verb}", _flat(own))), texts)
    ref = intent._refers_back.__wrapped__(own).pattern.replace(intent._verb_regex(own), _flat(own))
    assert ref != intent._refers_back(own).pattern or len(own) == 1
    _same(intent._refers_back(own), re.compile(ref), texts)


def _in_link_plain(norm: str, start: int, end: int) -> bool:
    a, b = max(0, start - intent._TOKEN_REACH), min(len(norm), end + intent._TOKEN_REACH)
    lo = max(norm.rfind(" ", a, start), norm.rfind("\n", a, start), a - 1) + 1
    hi = b
    for sep in (" ", "\n"):
        k = norm.find(sep, end, b)
        if k != -1:
            hi = min(hi, k)
    token = norm[lo:hi].rstrip(".,;!?)\"'")
    if token.endswith(":"):
        return False
    return bool(find_links(token))


def test_in_link_remembered_answers_are_the_plain_ones():
    rng = random.Random(11)
    words = ["gov.uk:", "GOV.UK", "royalmail.com", "http://x.co/a", "www.hmrc", "hmrc.gov.uk/refund", "end.",
             "a.b", "pay", "now", "bt.com,", "e.g.", "(evri.com)", "x:y", "https://", "mail", "\n", "tesco.c"]
    for _ in range(600):
        norm = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 8)))
        for s in range(len(norm)):
            e = min(len(norm), s + rng.randrange(1, 6))
            # twice: the second answer comes from what was remembered
            assert intent.in_link(norm, s, e) == _in_link_plain(norm, s, e) == intent.in_link(norm, s, e)
    intent._LINK_TOKENS.clear()
