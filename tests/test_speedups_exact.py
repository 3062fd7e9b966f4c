"""The engine's shortcuts must give exactly what the plain way gives: batch de-duplication, the
prefilter's literal conditions, the link and organisation scanners, the Unicode character map."""

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from scamshield import Analyzer, Message
from scamshield import mentions as links
from scamshield.callerid.detector import _mentions
from scamshield.detectors.patterns import pattern_entries
from scamshield.detectors.prefilter import Prefilter, guarded, literal_conditions
from scamshield.organisations import organisation_index
from scamshield.preprocess import _CONFUSABLES, _ZERO_WIDTH, normalise

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


def test_optional_pieces_are_spelled_out():
    assert literal_conditions(r"\bd\.?o\.?b\b")[0] == {"dob", "d.ob", "do.b", "d.o.b"}
    assert literal_conditions(r"pay (?:a |the )?fee")[0] == {"pay fee", "pay a fee", "pay the fee"}
    assert literal_conditions(r"\d+") is None


def test_every_condition_must_hold():
    pf = Prefilter([("a", (frozenset({"gift card"}), frozenset({":"}))), ("b", frozenset({"card"}))])
    assert pf.candidates("buy a gift card") == {"b"}
    assert pf.candidates("gift card: now") == {"a", "b"}


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
    assert [(o.id, s, e) for o, s, e in _mentions(text)] == want


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



def _alternatives() -> list[str]:
    from scamshield import rules
    from scamshield.detectors.prefilter import split_alternatives

    return [alt for d in rules.flag_defs().values() for p, _ in pattern_entries(d.spec) for alt in split_alternatives(p)]


ALTERNATIVES = [(re.compile(alt), guarded(re.compile(alt))) for alt in _alternatives()]


def test_some_regexes_are_guarded():
    assert any(g is not rx for rx, g in ALTERNATIVES)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["click here", ":", " : ", "http://", "www.", "x.com", "the ", "code ", "code we sent",
                                 "number on the back of your card", "a", "1", " ", ".", "-"]), max_size=20).map("".join))
def test_guarded_regexes_match_as_the_plain_ones(text):
    for rx, g in ALTERNATIVES:
        assert [m.span() for m in g.finditer(text)] == [m.span() for m in rx.finditer(text)], rx.pattern
