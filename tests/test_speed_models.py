"""The verdict's dataclasses built the fast way (models._fast_new) behave as frozen dataclasses built the
ordinary way: same fields, defaults, equality, hash, repr, immutability, replace/asdict, pickling."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from scamshield import models
from scamshield.models import Advice, Contribution, Finding, Flag, Span, Verdict


def _plain(cls: type) -> type:
    """The same dataclass, built the ordinary way (the reference)."""
    anns = {f.name: f.type for f in dataclasses.fields(cls)}
    ns = {"__annotations__": anns}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            ns[f.name] = f.default
    return dataclasses.dataclass(frozen=True, slots=True)(type(cls.__name__, (), ns))


def _examples():
    sp = Span("abc", 1, 4)
    flag = Flag("A", "d", 1.0, 0.5, "g", (sp,), None, "warning", None)
    contrib = Contribution("A", "flag", "scam", 1.5, 2.0, 0.75)
    advice = Advice("t", "s")
    return [
        (Span, ("abc", 1, 4), {}),
        (Span, ("x", 0, 1), {"turn": 2}),
        (Finding, ("F", 0.5), {}),
        (Finding, ("F", 0.5, (sp,), "n"), {}),
        (Flag, ("A", "d", 1.0, 0.5, "g"), {}),
        (Flag, (), {"id": "A", "description": "d", "weight": -1.0, "confidence": 0.5, "group": "g",
                    "evidence": (sp,), "status": "outweighed", "reason": "r"}),
        (Contribution, ("CAP:x", "cap", "scam", -0.5), {}),
        (Contribution, ("A", "flag", "scam", 1.5, 2.0, 0.75), {}),
        (Advice, ("t", "s"), {}),
        (Verdict, ("id", "scam", 0.9, 0.1, "t", "T", (flag,), (advice,), (contrib,)), {}),
        (Verdict, (None, "safe", 0.1, 0.0, None, None), {}),
    ]


@pytest.mark.parametrize("cls,args,kwargs", _examples())
def test_fast_built_dataclass_behaves_as_an_ordinary_one(cls, args, kwargs):
    ref_cls = _plain(cls)
    got, ref = cls(*args, **kwargs), ref_cls(*args, **kwargs)
    assert type(got) is cls and dataclasses.is_dataclass(got)
    names = [f.name for f in dataclasses.fields(cls)]
    assert names == [f.name for f in dataclasses.fields(ref_cls)]
    assert [getattr(got, n) for n in names] == [getattr(ref, n) for n in names]
    assert repr(got) == repr(ref)
    assert hash(got) == hash(ref)
    assert got == cls(*args, **kwargs) and not got != cls(*args, **kwargs)
    assert got != ref  # another class, as between two dataclasses
    assert dataclasses.asdict(got) == dataclasses.asdict(ref) or cls is Verdict
    if hasattr(cls, "to_dict"):
        assert got.to_dict() == cls.to_dict(ref)
    for attr in (names[0], "not_a_field"):
        with pytest.raises((dataclasses.FrozenInstanceError, AttributeError, TypeError)):
            setattr(got, attr, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(got, names[0])
    assert not hasattr(got, "__dict__")
    for copied in (copy.copy(got), copy.deepcopy(got), pickle.loads(pickle.dumps(got)),
                   pickle.loads(pickle.dumps(got, 0))):
        assert type(copied) is cls and copied == got
    changed = dataclasses.replace(got, **{names[0]: "other"})
    assert type(changed) is cls and getattr(changed, names[0]) == "other"
    assert [getattr(changed, n) for n in names[1:]] == [getattr(got, n) for n in names[1:]]


def test_arguments_are_checked_as_by_the_dataclass_init():
    with pytest.raises(TypeError):
        Flag("A")
    with pytest.raises(TypeError):
        Flag("A", "d", 1.0, 0.5, "g", unknown=1)
    with pytest.raises(TypeError):
        Contribution("A", "flag", "scam", 1.0, 1.0, 1.0, "extra")


def test_a_subclass_is_built_too():
    class Sub(Flag):
        __slots__ = ()

    s = Sub("A", "d", 1.0, 0.5, "g")
    assert type(s) is Sub and s.id == "A" and s.status == "warning" and s.counts


def test_only_frozen_slotted_dataclasses_are_taken():
    @dataclasses.dataclass
    class Loose:
        a: int

    with pytest.raises(TypeError):
        models._fast_new(Loose)
