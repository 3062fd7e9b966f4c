"""The call-back story end to end: a text urges a call back to a number; the user rings it; the call is
judged with the text that gave the number (Message.lure)."""

from __future__ import annotations

from scamshield import Analyzer, Message, Turn
from scamshield.inputs import message_from_dict

LURE = "Lloyds: A new payee was added to your account. If this was NOT you, call us now on 0161 496 0741."
CALL = (Turn("callee", "Lloyds fraud team, how can I help?"), Turn("caller", "I got a text about a new payee"))


def _flags(**kw):
    v = Analyzer.default().analyze(Message(channel="call", turns=CALL, **kw))
    return v, {f.id: f for f in v.flags}


def test_ringing_the_number_a_scam_text_gave_is_a_scam_with_the_reason():
    v, flags = _flags(direction="outgoing", dialled="+441614960741", lure=LURE)
    assert v.verdict == "scam"
    f = flags["CALLED_NUMBER_FROM_SCAM_MESSAGE"]
    assert f.counts and f.confidence == 1.0 and "the number it gave you" in f.note
    assert flags["USER_MADE_THE_CALL"].status == "cancelled"


def test_a_genuine_text_that_gave_the_number_adds_nothing():
    genuine = "Lloyds: your new card is on its way. Questions? Call the number on the back of your card."
    _, flags = _flags(direction="outgoing", dialled="+443453000000", lure=genuine)
    assert "CALLED_NUMBER_FROM_SCAM_MESSAGE" not in flags


def test_a_lure_only_counts_for_calls_the_user_made():
    _, flags = _flags(direction="incoming", lure=LURE)
    assert "CALLED_NUMBER_FROM_SCAM_MESSAGE" not in flags


def test_the_input_format_carries_the_lure():
    m = message_from_dict({"channel": "call", "direction": "outgoing", "dialled": "01614960741", "lure": LURE,
                           "turns": [{"speaker": "callee", "text": "hello"}]})
    assert m.lure == LURE and m.to_dict()["lure"] == LURE


def test_a_menu_on_a_call_the_user_made_is_expected():
    """"Press one to pay" is the menu of the line the user rang (a council's payment line), not a robocall."""
    menu = (Turn("callee", "welcome to the parking services payment line to pay a penalty charge press one "
                           "to challenge it press two"), Turn("caller", "one"))
    v = Analyzer.default().analyze(Message(channel="call", turns=menu, direction="outgoing", dialled="01174960904"))
    flags = {f.id: f for f in v.flags}
    assert flags["PRESS_ONE"].status == "cancelled"
    incoming = Analyzer.default().analyze(Message(channel="call", turns=menu, direction="incoming"))
    assert {f.id: f for f in incoming.flags}["PRESS_ONE"].status != "cancelled"


def test_new_bank_details_kept_quiet_outweigh_the_call_models_ordinary_call():
    """A payment moved to a new account and "don't tell anyone" on a call the call model reads as ordinary: its
    reading is set aside. A caller who only says they changed banks keeps it."""
    quiet = (Turn("caller", "hiya is that paul in purchase ledger its steve from the mds office"),
             Turn("callee", "oh right yeah hi"),
             Turn("caller", "the invoice for hallam steel gary needs that paying today but theyve changed their bank "
                            "so its going to a new account"),
             Turn("callee", "we usually ring them to confirm"),
             Turn("caller", "gary knows that but dont tell sarah or anyone yet its confidential just put it through"))
    v = Analyzer.default().analyze(Message(channel="call", turns=quiet, direction="incoming"))
    flags = {f.id: f for f in v.flags}
    assert v.verdict == "scam"
    # (the call model trained with the red-team rounds' calls no longer reads it as ordinary at all)
    assert "MODEL_CALL_LEGIT" not in flags or flags["MODEL_CALL_LEGIT"].status == "cancelled"
    told = (Turn("caller", "hi its tom, just so you know I've changed banks, my wages go to the new account now"),
            Turn("callee", "ok thanks for letting me know"))
    told_v = Analyzer.default().analyze(Message(channel="call", turns=told, direction="incoming"))
    assert "MODEL_CALL_LEGIT" not in {f.id for f in told_v.flags if f.status == "cancelled"}


def test_a_look_alike_address_read_out_on_a_call_outweighs_the_call_models_ordinary_call():
    """A seller who sends the buyer to "paypal-invoicing-secure dot com" to pay: where the caller sends you is the
    scam, however ordinary the rest of the call sounds."""
    turns = (Turn("caller", "Hi, I'm ringing about the iPhone on Gumtree. Is it still available?"),
             Turn("callee", "Yes, it is. Brand new, sealed. I'll send you a PayPal invoice, just pay it at "
                            "paypal-invoicing-secure dot com and I'll post it tomorrow."),
             Turn("caller", "Okay, thanks."))
    v = Analyzer.default().analyze(Message(channel="call", turns=turns, direction="outgoing", dialled="07700900944"))
    flags = {f.id: f for f in v.flags}
    assert "LINK_LOOKALIKE_DOMAIN" in flags
    assert "MODEL_CALL_LEGIT" not in flags or flags["MODEL_CALL_LEGIT"].status == "cancelled"
