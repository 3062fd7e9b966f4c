"""``Verdict.to_dict`` in C (``_speedups.c``, built by setup.py) gives exactly the dicts the Python code gives:
the same keys in the same order, the same values to the bit, explained and verdicts only, over real verdicts
(texts and calls) and hand-made ones (notes and reasons empty or not, contributions without a weight,
subclasses of the items, which keep their own ``to_dict``)."""

from __future__ import annotations

import csv
import json
import math

import pytest

from scamshield import Analyzer, Message, models
from scamshield.models import Advice, Contribution, Flag, Span, Turn, Verdict

pytestmark = pytest.mark.skipif(models._speedups is None, reason="the C extension is not built")

TEXTS = [
    "HMRC: you owe £1,284 in unpaid tax. Legal action starts today unless you call 0161 496 0188 now",
    "See you at 6 for dinner?",
    "Royal Mail: your parcel is held. Pay the £1.45 redelivery fee at royalmail-redelivery.com",
    "WIN a FREE iPhone! Text STOP to opt out. Reply YES to claim your prize now",
    "Mum I dropped my phone in the toilet, this is my new number, can you send £200 for rent?",
]


def _python(v: Verdict, explain: bool, monkeypatch) -> dict:
    with monkeypatch.context() as m:
        m.setattr(models, "_speedups", None)
        return v.to_dict(explain=explain)


def _same(a: dict, b: dict) -> None:
    # json.dumps keeps key order and writes floats by their repr, so equal strings are equal bits
    assert json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)
    assert a == b


def _real_verdicts() -> list[Verdict]:
    from pathlib import Path

    an = Analyzer.default()
    msgs = [Message(text=t, id=str(i)) for i, t in enumerate(TEXTS)]
    path = Path(__file__).resolve().parents[2] / "shared" / "data" / "splits" / "sms_train.csv"
    if path.exists():
        with open(path, encoding="utf-8", newline="") as fh:
            msgs += [Message(text=r["text"], id=r["id"]) for i, r in enumerate(csv.DictReader(fh)) if i % 20 == 0]
    msgs.append(Message(channel="call", turns=(Turn("caller", TEXTS[0]), Turn("callee", "who is this?")), id="c"))
    return [an.analyze(m) for m in msgs] + [an.analyze(m, explain=False) for m in msgs[:200]]


def test_real_verdicts(monkeypatch):
    verdicts = _real_verdicts()
    assert len(verdicts) > 10
    for v in verdicts:
        for explain in (True, False):
            _same(v.to_dict(explain=explain), _python(v, explain, monkeypatch))


class MyFlag(Flag):
    __slots__ = ()

    def to_dict(self):
        return {"mine": self.id}


class MySpan(Span):
    __slots__ = ()

    def to_dict(self):
        return {"span": self.text}


def _made() -> list[Verdict]:
    span = Span("call 0161", 3, 12, None)
    flags = (
        Flag("A", "desc", 1.5, 0.123456789, "g", (span, Span("x", 0, 1, 2)), "a note", "warning", None),
        Flag("B", "d", -0.5, 1.0, "h", (), "", "reassuring", ""),
        Flag("C", "d", 2.0, 0.5, "g", (MySpan("y", 1, 2),), None, "outweighed", "a reason"),
        MyFlag("D", "d", 1.0, 0.5, "g"),
        Flag("E", "d", 1, 1, "g", (), None, "cancelled", "why"),
    )
    contribs = (
        Contribution("A", "flag", "scam", 1.5 * 0.123456789, 1.5, 0.123456789),
        Contribution("CAP:g", "cap", "scam", -0.1234567891),
        Contribution("COMBO:x", "combo", "spam", 0.7, 2.0, None),
        Contribution("FLOOR:y", "floor", "scam", 1e-9, None, 0.3333333333),
    )
    advice = (Advice("Do not call.", "https://example.org"), Advice("", ""))
    return [
        Verdict("id1", "scam", 0.8765432, 0.1234567, "tax", "Tax scam", flags, advice, contribs),
        Verdict(None, "safe", 0.0, 1.0, None, None),
        Verdict("n", "spam", math.nan, math.inf, None, None, flags[1:2]),
    ]


def test_made_verdicts(monkeypatch):
    for v in _made():
        for explain in (True, False):
            got, want = v.to_dict(explain=explain), _python(v, explain, monkeypatch)
            assert json.dumps(got) == json.dumps(want)


def test_a_verdict_subclass_keeps_the_python_code():
    class MyVerdict(Verdict):
        __slots__ = ()

    v = MyVerdict("x", "safe", 0.1, 0.2, None, None)
    assert v.to_dict()["risk"] == 0.1
    with pytest.raises(TypeError):
        models._speedups.verdict_dict(v)


def test_wrong_arguments():
    with pytest.raises(TypeError):
        models._speedups.verdict_dict("not a verdict")
    with pytest.raises(TypeError):
        models._speedups.configure(Verdict, Flag)
    models._speedups.configure(Verdict, Flag, Span, Advice, Contribution)  # as models.py left it


def test_rounding_is_the_builtin_round():
    import random
    import struct

    rounded = models._speedups.rounded
    rng = random.Random(11)

    def floats():
        yield from (0.0, -0.0, 0.125, 2.675, 1e-5, -1e-5, 5e-5, -5e-5, 5e-7, math.nan, math.inf, -math.inf, 1e8,
                    99999999.99995, 0.5, 1.5, -2.5e-7, 1e-300, -1e300)
        for _ in range(300_000):
            k = rng.random()
            if k < 0.3:
                yield rng.random()
            elif k < 0.5:
                yield rng.uniform(-10, 10)
            elif k < 0.6:  # decimals near the rounding point
                yield rng.randint(-10**6, 10**6) / 10 ** rng.randint(0, 8) + rng.choice([0, 5e-5, 5e-7, -5e-5, -5e-7])
            elif k < 0.7:  # any bits at all
                yield struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0]
            elif k < 0.8:
                yield rng.uniform(-1e9, 1e9)
            elif k < 0.9:  # halves
                yield (rng.randint(-10**7, 10**7) + 0.5) / 10 ** rng.choice([4, 6])
            else:
                yield rng.random() * 10 ** rng.randint(-12, 12) * rng.choice([1, -1])

    bits = struct.Struct("d").pack
    for x in floats():
        for digits in (4, 6):
            assert bits(rounded(x, digits)) == bits(round(x, digits)), (x, digits)
    assert rounded(3, 4) == 3 and type(rounded(3, 4)) is int  # not a float: the builtin
    with pytest.raises(ValueError):
        rounded(1.0, 5)
