"""A batch's work done a slice at a time (``Analyzer.analyze_batch``): the red-flag candidates found in a row
(``MultiMatcher.prefetch``) and the learned model's sums and evidence worked out in a row
(``ModelDetector.prepare``) give exactly the verdicts ``analyze`` gives one message at a time, in input order,
with repeated texts, calls and signed messages among them, and across slices."""

from __future__ import annotations

import pytest

from sample_texts import MIXED_TEXTS
from scamshield import Analyzer, Message
from scamshield.analyzer import BATCH_SLICE, _unit
from scamshield.detectors import model_batch
from scamshield.detectors.model import ModelDetector
from scamshield.detectors.multimatch import MultiMatcher
from scamshield.detectors.patterns import PatternDetector
from scamshield.models import Turn

TEXTS = [
    *MIXED_TEXTS,
    "Your NatWest card ending 4471 was used for £62.99 at ASOS.COM. Not you? Call the number on your card",
    "v0uch3rs needed 4 the office, pls buy 3 x £100 Apple cards and send me the codes",
]


def _messages() -> list[Message]:
    out: list[Message] = []
    for k in range(BATCH_SLICE):  # several slices, a text repeated within and across slices
        for i, t in enumerate(TEXTS):
            if (i + k) % 3 == 0:
                out.append(Message(text=f"{t} ({k})", id=f"new-{k}-{i}"))
            elif (i + k) % 3 == 1:
                out.append(Message(text=t, id=f"rep-{k}-{i}"))
            else:
                out.append(Message(text=t, id=f"snd-{k}-{i}", sender="+447700900123"))
        if k % 10 == 0:  # calls and a signed text in the middle of the stream
            out.append(Message(channel="call", turns=(Turn("caller", TEXTS[0]), Turn("callee", "who is this?")),
                               id=f"call-{k}"))
            out.append(Message(text=TEXTS[2], id=f"signed-{k}", identity="not-a-real-token"))
    return out


@pytest.mark.parametrize("explain", [True, False])
def test_a_batch_gives_what_one_at_a_time_gives(explain):
    an = Analyzer.default()
    msgs = _messages()
    assert len({m.text for m in msgs}) > 2 * BATCH_SLICE
    batch = an.analyze_batch(msgs, explain=explain)
    assert [v.id for v in batch] == [m.id for m in msgs]
    for m, v in zip(msgs, batch, strict=True):
        one = an.analyze(m, explain=explain)
        assert v.to_dict(explain=explain) == one.to_dict(explain=explain)
        assert (v.risk, v.spam_score, v.flags, v.contributions) == (one.risk, one.spam_score, one.flags,
                                                                   one.contributions)


def test_the_batch_hooks_leave_nothing_behind():
    an = Analyzer.default()
    an.analyze_batch([Message(text=t, id=str(i)) for i, t in enumerate(TEXTS)])
    pattern = next(d for d in an.text_detectors if isinstance(d, PatternDetector))
    model = next(d for d in an.accumulating if isinstance(d, ModelDetector))
    assert getattr(pattern.matcher._local, "memo", None) is None
    assert model_batch.prepared(model, "sms", _unit(TEXTS[0]).norm) is None


def test_prefetched_candidates_are_the_candidates():
    pattern = PatternDetector.from_rules(build="now")
    matcher = pattern.matcher
    norms = [_unit(t).norm for t in TEXTS] + ["", "nothing to see here"]
    plain = [matcher.candidates(n) for n in norms]
    matcher.prefetch(norms)
    assert [matcher.candidates(n) for n in norms] == plain
    got = matcher.candidates(norms[0])
    got.append(-1)  # the caller's own list: the memory is not changed through it
    assert matcher.candidates(norms[0]) == plain[0]
    matcher.prefetch(())
    assert matcher._local.memo is None
    assert [matcher.candidates(n) for n in norms] == plain


def test_a_plain_matcher_prefetches_nothing():
    matcher = MultiMatcher.open(PatternDetector.from_rules(engine="re").matcher.regexes, engine="re")
    matcher.prefetch(["hmrc: you owe tax"])
    assert matcher._local.memo is None
    assert matcher.candidates("hmrc: you owe tax") == matcher.searched("hmrc: you owe tax")


@pytest.mark.parametrize("explain", [True, False])
def test_prepared_model_sums_and_evidence_are_the_same(explain):
    det = ModelDetector.default()
    units = [_unit(t) for t in TEXTS]
    fresh = [_unit(t) for t in TEXTS]

    def run(us):
        out = []
        for u in us:
            state = det.new_state()
            det.feed(state, u)
            out.append((state.sums, state.ntok, det.findings(state, evidence=explain)))
        return out

    want = run(fresh)
    det.prepare(units, explain=explain)
    try:
        got = run(units)
    finally:
        det.prepare([])
    assert got == want
    assert getattr(model_batch._PREPARED, "sums", None) is None
