"""Advice is chosen by verdict, scam type, channel and the flags that fired, and every line is sourced."""

from __future__ import annotations

import pytest

from scamshield import rules
from scamshield.advice import Advisor
from scamshield.analyzer import Analyzer
from scamshield.errors import RulesError
from scamshield.models import Message, Turn

HANG_UP = "hang up"
PRESS_1 = "press 1"


@pytest.fixture(scope="module")
def advisor() -> Advisor:
    return Advisor.from_rules()


def _advice(advisor, message: Message) -> tuple[str, list[str]]:
    v = Analyzer.default().analyze(message)
    return v.verdict, [a.text for a in advisor.advice(v.verdict, v.scam_type, v.flags, message.channel)]


SCAM_TEXTS = [
    "Hi Mum, I've dropped my phone down the toilet, this is my new number. Can you help me pay a bill today?",
    "Your Amazon account has been locked due to suspicious activity. Verify now: amaz0n-secure.co/verify",
    "HMRC: You owe £1,200 in unpaid tax. Pay today with Google Play vouchers or a warrant will be issued.",
    "Your parcel could not be delivered. Pay £1.45 at https://royalmail-redelivery.top now or it will be returned.",
]


@pytest.mark.parametrize("text", SCAM_TEXTS)
def test_a_text_is_never_told_to_hang_up_or_not_to_press_1(advisor, text):
    verdict, lines = _advice(advisor, Message(text=text))
    assert verdict in ("scam", "suspicious")
    joined = " ".join(lines).lower()
    assert HANG_UP not in joined and PRESS_1 not in joined, lines
    assert any("7726" in line for line in lines), "a scam text says where to forward it"
    assert not any('"Call"' in line for line in lines), "the call-only 7726 instruction is not for texts"


def test_a_scam_call_is_told_to_hang_up_first(advisor):
    call = Message(channel="call", sender="+443002003300", turns=(
        Turn("caller", "This is HMRC. You owe unpaid tax and a warrant has been issued for your arrest."),
        Turn("caller", "Buy iTunes vouchers and read me the codes."),
    ))
    verdict, lines = _advice(advisor, call)
    assert verdict == "scam"
    assert lines[0].lower().startswith(HANG_UP), lines
    assert any("0300 200 3300" in line for line in lines), "the spoofed helpline is explained"
    assert not any("60599" in line for line in lines), "forwarding a text is not for a call"


def test_press_1_advice_only_when_the_call_said_press_1(advisor):
    robo = Message(channel="call", turns=(Turn(
        "caller", "This is an automated message from Amazon. Your account has been suspended today. "
                  "Press 1 to speak to an advisor."),))
    verdict, lines = _advice(advisor, robo)
    assert verdict in ("scam", "suspicious")
    assert any(PRESS_1 in line.lower() for line in lines), lines
    text = Message(text="Your Amazon account has been suspended due to suspicious activity. "
                        "Verify now: amaz0n-secure.co/verify")
    _, lines = _advice(advisor, text)
    assert not any(PRESS_1 in line.lower() for line in lines), lines


def test_bank_advice_names_the_banks_in_app_call_checks(advisor):
    call = Message(channel="call", turns=(
        Turn("caller", "This is Barclays fraud team. Your account is at risk, you must move your money "
                       "to a safe account today."),))
    verdict, lines = _advice(advisor, call)
    assert verdict == "scam"
    joined = " ".join(lines)
    for bank in ("Monzo", "Starling", "Nationwide", "Revolut", "Barclays", "NatWest"):
        assert bank in joined, bank
    assert "159" in joined


def test_safe_results_say_what_to_do_if_in_doubt(advisor):
    bank = Message(text="HSBC: A payment of £450.00 to J SMITH was attempted. If this was not you, call us on the "
                        "number on the back of your card. We will never ask you to move money.")
    verdict, lines = _advice(advisor, bank)
    assert verdict == "safe"
    assert lines and "No check is perfect" in lines[0]
    assert any("159" in line for line in lines), "a bank message: 159 if still unsure"
    nhs = Message(text="NHS: You are due your booster. Book at https://www.nhs.uk/book-a-vaccine or call 119.")
    verdict, lines = _advice(advisor, nhs)
    assert verdict == "safe" and not any("159" in line for line in lines)
    assert not any(HANG_UP in line.lower() for line in lines)


def test_without_channel_and_flags_only_lines_that_fit_any_message(advisor):
    lines = [a.text for a in advisor.advice("scam", "account_suspension")]
    joined = " ".join(lines).lower()
    assert HANG_UP not in joined and PRESS_1 not in joined
    assert any("7726" in line for line in lines), "the fallback 7726 line names both routes"


def test_every_line_and_route_is_sourced_and_names_real_flags(advisor):
    defs = rules.flag_defs()
    data = rules.advice_data()
    sections = [data["general_scam"], data["spam"], data["safe"], *data["types"].values(), data["report_routes"]]
    for section in sections:
        for entry in section:
            src = data["sources"].get(entry["source"], entry["source"])
            assert src.startswith("https://"), entry
            for fid in entry.get("flags") or ():
                assert fid in defs, f"{fid} is not a defined flag"
    assert {r["id"] for r in advisor.report_routes} >= {"forward_7726", "call_7726", "bank_159", "report_fraud_web"}


def test_bad_advice_data_is_refused():
    types = {"types": {}}
    with pytest.raises(RulesError):
        Advisor(types, {"general_scam": [{"text": "x", "source": ""}]})
    with pytest.raises(RulesError):
        Advisor(types, {"general_scam": [{"text": "x", "source": "https://a", "channel": "fax"}]})
    with pytest.raises(RulesError):
        Advisor(types, {"report_routes": [{"id": "r", "kind": "pigeon", "to": "1", "label": "x", "source": "s"}]})


@pytest.mark.parametrize("scam_type", ["phishing_details", "bank_impersonation", "tech_support", "delivery_fee",
                                       "fake_renewal_refund", None])
def test_call_159_is_said_once(advisor, scam_type):
    """The type's own 159 line ("if you let someone in, call 159 ...") stands for the general one."""
    for channel in ("sms", "call"):
        lines = [a.text for a in advisor.advice("scam", scam_type, (), channel)]
        assert sum("159" in line for line in lines) == 1, lines


# Advice that fits the story (the explanation audit of 2026-12-07): each pair is a case the audit found and the
# line it should, or should not, get.
def test_a_safe_call_to_a_mobile_network_or_a_shop_is_not_told_about_its_bank(advisor):
    ee = Message(channel="call", direction="outgoing", dialled="150", turns=(
        Turn("callee", "Thanks for calling EE, you're speaking with Priya. To check I'm speaking to the account holder "
                       "I'm going to send a one-time security code to this number. Could you read it back to me?"),
        Turn("caller", "OK, it's 5 8 1 0 3 6."),
        Turn("callee", "Perfect, that's matched. How can I help today?")))
    verdict, lines = _advice(advisor, ee)
    assert verdict == "safe"
    assert not any("159" in ln for ln in lines), lines
    bank = Message(channel="call", turns=(
        Turn("caller", "Hello, this is Barclays. We've stopped a payment of £900 to a company called Apex Crypto, can you "
                       "confirm whether you made it? We will never ask for your PIN or to move money."),))
    verdict, lines = _advice(advisor, bank)
    if verdict == "safe":
        assert any("159" in ln for ln in lines), lines


def test_an_nhs_or_dwp_fee_text_gets_government_advice_not_the_police(advisor):
    for text in ("NHS: You are now eligible for your COVID-19 booster. Secure your slot and pay the £1.99 booking fee "
                 "at nhs-vaccine-booking.com",
                 "DWP: You are eligible for the £350 Household Support Payment. Confirm your bank details at "
                 "dwp-household-support.co.uk"):
        verdict, lines = _advice(advisor, Message(text=text))
        assert verdict in ("scam", "suspicious")
        joined = " ".join(lines)
        assert "101 (the police" not in joined and "threaten instant arrest" not in joined, lines
        if "DWP" in text:  # (the NHS fee is typed as a fee before a service; the DWP text as impersonation)
            assert "NHS App" in joined, lines


def test_a_police_call_still_gets_the_police_advice(advisor):
    call = Message(channel="call", turns=(Turn("caller", "This is DC Harris from the Metropolitan Police. Your card has "
                                                         "been cloned. Withdraw £2,000 and a courier will collect it; "
                                                         "do not tell your bank."),))
    verdict, lines = _advice(advisor, call)
    assert verdict == "scam"
    assert any("101" in ln for ln in lines), lines


def test_a_code_for_whatsapp_gets_the_app_advice(advisor):
    verdict, lines = _advice(advisor, Message(text="Hey it's Jo from work, I put your number in by mistake setting up "
                                                   "WhatsApp and a 6 digit code went to you. Can you send it back to me?"))
    assert verdict in ("scam", "suspicious")
    assert any("two-step verification" in ln for ln in lines), lines
    verdict, lines = _advice(advisor, Message(text="Your parcel could not be delivered. Pay £1.45 at "
                                                   "https://royalmail-redelivery.top now or it will be returned."))
    assert not any("two-step verification" in ln for ln in lines), lines


def test_hmrc_advice_for_a_call_does_not_talk_about_texts(advisor):
    call = Message(channel="call", turns=(Turn("caller", "This is HMRC. You owe £1,200 in unpaid tax and a warrant will "
                                                         "be issued today unless you pay with Google Play vouchers."),))
    verdict, lines = _advice(advisor, call)
    assert verdict == "scam"
    assert any(ln.startswith("HMRC does not threaten") for ln in lines), lines
    assert not any("by text" in ln for ln in lines if ln.startswith("HMRC")), lines
