"""The engine's shortcuts must give exactly what the plain way gives: batch de-duplication, the pattern
detector's split alternatives and its candidate finder (every regex that matches is a candidate), the link
and organisation scanners, the Unicode character map."""

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from scamshield import Analyzer, Message
from scamshield import mentions as links
from scamshield.callerid.claims import _mentions
from scamshield.detectors.patterns import PatternDetector, pattern_entries, split_alternatives
from scamshield.organisations import organisation_index
from scamshield.preprocess import _CONFUSABLES, _ZERO_WIDTH, make_unit, normalise

TEXTS = [
    "HMRC: you owe £1,284. Call 0161 496 0188 now or face arrest",
    "Your parcel is held: pay the 1.99 fee at royalmail-redelivery.com",
    "see you at 5 x",
]


def test_batch_reuses_a_repeated_text_under_its_own_id():
    an = Analyzer.default()
    msgs = [Message(text=t, id=f"m{i}-{k}") for k in range(3) for i, t in enumerate(TEXTS)]
    msgs.append(Message(text=TEXTS[0], id="other-sender", sender="+447700900123"))
    batch = an.analyze_batch(msgs)
    assert [v.id for v in batch] == [m.id for m in msgs]
    for m, v in zip(msgs, batch, strict=True):
        assert v.to_dict() == an.analyze(m).to_dict()
    assert batch[3] is not batch[0] and batch[3].id == "m0-1"  # a reused verdict is a copy under its own id


_PIECES = [*"abcwWkKsS.:/-_@ 0159\t\n\u00a0\u2003\u0085\u017f\u212a", "www.", ".com", ".co.uk", "http://",
           "https://", "bit.ly/", "é"]
WORDISH = st.lists(st.sampled_from(_PIECES), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(WORDISH)
def test_link_scan_equals_the_whole_text_scan(text):
    assert [m.span() for m in links._url_matches(text)] == [m.span() for m in links._URL.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["hmrc", "hm revenue & customs", "barclays", "barclaycard", "bank", "x",
                                 " ", ".", "2", "the tax office", "tax"]), max_size=12))
def test_alias_scanner_equals_the_alias_regex(pieces):
    text = "".join(pieces)
    index = organisation_index()
    want = [(index.alias_owner[m.group(0)].id, m.start(), m.end()) for m in index.alias_re.finditer(text)]
    assert [(o.id, s, e) for o, s, e in _mentions(text, index)] == want


def _spell_one_by_one(text: str) -> tuple[str, list[int]]:
    out, offsets = [], []
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            rep = ch
        else:
            rep = _CONFUSABLES.get(ch)
            if rep is None:
                rep = ch.translate(_ZERO_WIDTH)
                if rep:
                    rep = unicodedata.normalize("NFKC", rep)
                    rep = "".join(c for c in unicodedata.normalize("NFKD", rep) if not unicodedata.combining(c))
        for c in rep.lower():
            out.append(c)
            offsets.append(i)
    return "".join(out), offsets


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30))
def test_unicode_map_equals_the_character_loop(text):
    if "\x7f" in text or text.isascii():
        return
    from scamshield.preprocess import _map_chars

    assert _map_chars(text) == _spell_one_by_one(text)
    norm, offsets = normalise(text)
    assert offsets is None or len(offsets) == len(norm)


# ------------------------------------------------------------------------ the pattern detector's candidates

def _patterns() -> list[str]:
    from scamshield import rules

    return [p for d in rules.flag_defs().values() for p, _ in pattern_entries(d.spec)]


PATTERNS = [(re.compile(p), [re.compile(alt) for alt in split_alternatives(p)]) for p in _patterns()]
DETECTOR = PatternDetector.from_rules(build="now")  # Hyperscan when installed (a cached database), else plain
PLAIN = PatternDetector.from_rules(engine="re")
_WORDS = ["click here", ":", " : ", "http://", "www.", "x.com", "the ", "code ", "code we sent", "hmrc ",
          "number on the back of your card", "gift card", "itunes", "read me the codes", "don't tell anyone ",
          "safe account", "your account has been suspended", "call 0161 496 0000", "£1.50", "a", "1", " ", ".",
          "-", "\n", "é", "\u00a0"]
SNIPPETS = st.lists(st.sampled_from(_WORDS), max_size=20).map("".join)


def test_every_rule_pattern_splits_into_its_alternatives():
    assert sum(len(alts) > 1 for _, alts in PATTERNS) > 10
    assert split_alternatives(r"a|(?:b|c)|[|]|\||[]|]|[^]|]|d") == ["a", "(?:b|c)", "[|]", r"\|", "[]|]", "[^]|]", "d"]


def _firing_rows() -> list[str]:
    """The normalised texts of the flag tables' firing rows (tests/test_flags_*.py, tests/test_links.py)."""
    import importlib
    from pathlib import Path

    names = [p.stem for p in sorted(Path(__file__).parent.glob("test_flags_*.py"))] + ["test_links"]
    return [make_unit(row.values[0]).norm for name in names for row in getattr(importlib.import_module(name), "ROWS", ())
            if row.values[2] == "fires"]


def test_a_pattern_matches_where_one_of_its_alternatives_matches_on_the_table_texts():
    texts = _firing_rows()
    assert len(texts) > 200
    for whole, alts in PATTERNS:
        for text in texts:
            assert bool(whole.search(text)) == any(a.search(text) for a in alts), (whole.pattern, text)


@settings(max_examples=300, deadline=None)
@given(SNIPPETS)
def test_a_pattern_matches_where_one_of_its_alternatives_matches(text):
    for whole, alts in PATTERNS:
        assert bool(whole.search(text)) == any(a.search(text) for a in alts), whole.pattern


def _matching(det: PatternDetector, norm: str) -> list[int]:
    return [i for i, rx in enumerate(det.matcher.regexes) if rx.search(norm)]


@settings(max_examples=300, deadline=None)
@given(SNIPPETS)
def test_every_regex_that_matches_is_a_candidate(text):
    norm = make_unit(text).norm
    got = DETECTOR.matcher.candidates(norm)
    assert got == sorted(set(got))
    assert not set(_matching(DETECTOR, norm)) - set(got)
    assert PLAIN.matcher.candidates(norm) == _matching(PLAIN, norm)  # the plain engine: exactly those


@settings(max_examples=200, deadline=None)
@given(SNIPPETS)
def test_the_candidate_finder_changes_no_finding(text):
    unit = make_unit(text)
    assert DETECTOR.analyze(unit) == PLAIN.analyze(unit)


# ------------------------------------------------------------------ link and normalisation shortcuts

_CLAIM_WORDS = ["hmrc", "nhs", "gov.uk", "govuk", "tax ", "tax credits", "dart charge", "dartcharge", "council tax",
                "tv licence", "tv licensing", "x", " ", ".", "-", "s", "ulez", "pension ", "government", "dwp"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CLAIM_WORDS), max_size=10).map("".join))
def test_the_claim_gate_finds_something_wherever_the_claim_matches(text):
    from scamshield.detectors.links import LinkDetector

    det = LinkDetector.from_rules()
    assert det._claim_gate is not None  # the shipped claim is one the gate reads
    if det.gov_claim.search(text):
        assert det._claim_gate.search(text)


def test_literal_gate_reads_only_what_it_can():
    from scamshield.detectors.wordmatch import literal_gate

    def gate(p):
        g = literal_gate(re.compile(p), split_alternatives(p))
        return g and g.pattern

    assert gate(r"\bab?c|d\.e") == r"(?:a|d\.e)" and gate(r"ab{2}|x+") == "(?:a|x)"
    assert gate("(?i)abc") is None and gate(r"(?:ab)|c") is None and gate(r"\dabc") is None and gate("a|") is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"ab z019 7-.", "v0uch3r", "p4y", "b4", "gbp5", "h.m.r.c", "abc123"]),
                max_size=15).map("".join))
def test_leet_words_equal_the_whole_text_scan(text):
    from scamshield.preprocess import _LEET, _LEET_WORD, _deleet, _leet_words

    want = list(_LEET_WORD.finditer(text))
    assert [m.span() for m in _leet_words(text)] == [m.span() for m in want]
    for m in want:
        s = m.group(0)
        letters = sum(c.isalpha() for c in s)
        plain = s if letters < 2 or letters <= len(s) - letters else "".join(_LEET.get(c, c) for c in s)
        assert _deleet(s) == plain


def test_a_remembered_host_gives_the_same_findings():
    from scamshield.detectors.links import LinkDetector

    texts = ["pay at royalmail-fee.top now", "HMRC: claim at hmrc-refund.com", "see bit.ly/x or 10.0.0.1",
             "gov.uk/tax and amaz0n.shop", "royalmail-fee.top again", "HMRC: claim at hmrc-refund.com"]
    warm = LinkDetector.from_rules()
    for t in texts:
        assert warm.analyze(make_unit(t)) == LinkDetector.from_rules().analyze(make_unit(t))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["£", "$", "€", "12.50", " ", ",", "-", "–", ".", ":", "at ", "to ", "with ",
                                 "payments ", "purchase ", "transaction ", "spending ", "charged ", "paid ",
                                 "used for ", "passcode for", "otp for", "code for", "of ", "x"]),
                max_size=12).map("".join))
def test_the_paid_mark_is_in_every_paid_or_amount_match(text):
    from scamshield.detectors.links import _AMOUNT, _PAID_JUST_BEFORE, _PAID_MARK

    if _PAID_MARK.search(text) is None:
        assert _PAID_JUST_BEFORE.search(text) is None and _AMOUNT.search(text) is None
