"""Who rang whom, when a transcript does not say (speakers.py): the caller asking for a business's service line,
or whoever answers answering as one, makes the call outgoing; anything else stays incoming."""

from __future__ import annotations

import pytest

from scamshield import Analyzer
from scamshield.inputs import message_from_dict
from scamshield.models import Turn
from scamshield.speakers import direction_of


@pytest.mark.parametrize(
    ("caller", "callee", "direction"),
    [
        ("Hi, is this the customer service for Bank of America?", "Yes, how can I help?", "outgoing"),
        ("hello is this the tech support for microsoft", "yes sir what is the problem", "outgoing"),
        ("Hi, I'm calling about my electricity bill, it's doubled", "Can I take your account number?", "outgoing"),
        ("hello hi", "thank you for calling amazon customer service my name is david", "outgoing"),
        # the scammer rings: nothing in the opening says the caller is the customer
        ("Hello, this is Microsoft support, your computer is sending us errors", "Oh dear, what do I do?", "incoming"),
        ("Is this Mrs Patel? I'm calling from your bank's fraud team", "Yes, speaking", "incoming"),
        ("I'm calling about your account, there's been suspicious activity", "Which account?", "incoming"),
    ],
)
def test_direction_of(caller, callee, direction):
    assert direction_of((Turn("caller", caller), Turn("callee", callee))) == direction


def test_one_voice_says_nothing_about_direction():
    assert direction_of((Turn("unknown", "thank you for calling microsoft support how can i help"),)) == "incoming"


def test_a_given_direction_is_kept():
    turns = [{"speaker": "caller", "text": "Hi, is this the customer service for Barclays?"},
             {"speaker": "callee", "text": "It is, can I take your name and date of birth?"}]
    assert message_from_dict({"channel": "call", "turns": turns}).direction == "outgoing"
    assert message_from_dict({"channel": "call", "direction": "incoming", "turns": turns}).direction == "incoming"


def test_a_customer_ringing_the_bank_is_not_alarmed_by_the_banks_checks():
    m = message_from_dict({"channel": "call", "turns": [
        {"speaker": "caller", "text": "Hi, is this the customer service for Bank of America? I got an email saying my "
                                      "account was compromised and I need to verify some information."},
        {"speaker": "callee", "text": "Did it ask you to click a link? Don't. Can you confirm your name and the last "
                                      "four digits of your card so I can check the account?"},
    ]})
    v = Analyzer.default().analyze(m)
    assert m.direction == "outgoing"
    assert {f.id: f.status for f in v.flags}["ASKS_CARD_OR_BANK_DETAILS"] == "cancelled"


def test_a_help_desk_scam_the_user_rang_still_alarms():
    m = message_from_dict({"channel": "call", "turns": [
        {"speaker": "caller", "text": "hello i got a message on my screen saying my computer is infected"},
        {"speaker": "callee", "text": "thank you for calling windows support. please download anydesk and read me the "
                                      "nine digit code, then log in to your online banking so we can refund you"},
    ]})
    assert Analyzer.default().analyze(m).verdict in ("scam", "suspicious")
