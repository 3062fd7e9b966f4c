"""A text conversation checked as a whole: the later messages of a family money thread are ambiguous on their own,
and the thread's opening ("new number, my phone broke") decides them (README, Input format)."""

from __future__ import annotations

import pytest

from scamshield.analyzer import Analyzer
from scamshield.inputs import message_from_dict

OPENING = "Hi mum it's me, this is my new number, my phone fell in the bath. Save this one x"
LATER = ("Have you sent it yet mum? The agent said it has to be in by 2 or they add a late fee and I really can't "
         "afford that on top")
THREAD = [
    {"speaker": "other", "text": OPENING},
    {"speaker": "user", "text": "Oh no! Is that you Amy?"},
    {"speaker": "other", "text": "Yes! Can you do me a favour, my rent is due today and my banking app won't work on the "
                                 "new phone. Can you send £1,240 to my landlord, I'll pay you back Friday"},
    {"speaker": "other", "text": LATER},
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer.default()


def test_the_later_message_alone_is_not_enough(analyzer):
    v = analyzer.analyze(message_from_dict({"channel": "sms", "text": LATER}))
    assert v.verdict in ("safe", "spam")


def test_the_conversation_as_turns_is_the_scam_with_evidence_in_its_turn(analyzer):
    m = message_from_dict({"channel": "sms", "sender": "+447700900412", "turns": THREAD})
    assert m.channel == "sms" and len(m.turns) == 4
    v = analyzer.analyze(m)
    assert v.verdict == "scam" and v.scam_type == "family_new_number"
    flag = next(f for f in v.flags if f.id == "FAMILY_NEW_NUMBER")
    assert flag.evidence and all(e.turn == 0 for e in flag.evidence)
    for f in v.flags:  # every span indexes its own message of the thread
        for e in f.evidence:
            assert m.turns[e.turn].text[e.start:e.end] == e.text


def test_the_conversation_pasted_as_one_text_is_the_scam_too(analyzer):
    pasted = "\n".join(f"[10:{15 + i:02d}] {'Mum' if t['speaker'] == 'user' else 'Amy'}: {t['text']}"
                       for i, t in enumerate(THREAD))
    v = analyzer.analyze(message_from_dict({"channel": "sms", "text": pasted}))
    assert v.verdict == "scam" and v.scam_type == "family_new_number"


def test_an_ordinary_thread_with_the_same_later_request_stays_safe(analyzer):
    turns = [
        {"speaker": "other", "text": "Are you still ok to pick up Ollie at 3?"},
        {"speaker": "user", "text": "Yes love, see you at the gate"},
        {"speaker": "other", "text": "Thanks. Also can you send me £40 for his swimming, I'll pay you back Friday x"},
    ]
    v = analyzer.analyze(message_from_dict({"channel": "sms", "turns": turns}))
    assert v.verdict == "safe"
