"""Intent, not mention (scamshield.intent): one mechanism reads every pattern flag's match by its act.

Each case is a near-miss pair: the same words once doing the thing (a request, an assertion, the sender
speaking as an organisation) and once not (a denial, a mention, a merchant or a body to contact)."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, SILENT, check_row, patterns, row
from scamshield import intent
from scamshield.preprocess import make_unit

ROWS = [
    # "i won't be asking for your pin" denies it (the audit of 2026-12-08)
    row("can you tell me your date of birth i won't be asking for your pin your online banking password or any codes",
        "ASKS_PIN_OR_PASSWORD", SILENT, id="pin-wont-be-asking"),
    row("i won't be asking for your pin", "REASSURANCE_NEVER_ASKS", FIRES, "won't be asking for your pin", id="pin-wont-be-asking-reassures"),
    row("I'll never ask you for a card over the phone for it.", "REASSURANCE_NEVER_ASKS", FIRES, "I'll never ask you for",
        id="never-ask-ill-whole-word"),
    # a reader's doubt about the sender is no reassurance (the audit of 2026-12-08)
    row("came to my work email from 'HR & Payroll' but our HR never emails like this", "REASSURANCE_NEVER_ASKS", SILENT,
        id="never-emails-like-this-is-doubt"),
    row("Our HR team will never email you asking for your bank details", "REASSURANCE_NEVER_ASKS", FIRES, "team will never email you",
        id="never-emails-asking"),
    # a renewal cancelled for a refund is no appointment rearranged (the audit of 2026-12-08)
    row("if you wish to cancel this renewal and get a refund press one", "CALL_ONLY_TO_REARRANGE", SILENT,
        id="rearrange-not-a-renewal"),
    row("if you wish to cancel this, please call the surgery", "CALL_ONLY_TO_REARRANGE", FIRES, "if you wish to cancel this",
        id="rearrange-cancel-this"),
    # negation and disclaimers turn a request into a reassurance
    row("Please confirm your PIN to continue", "ASKS_PIN_OR_PASSWORD", FIRES, "PIN", id="pin-asked"),
    row("We will never ask for your PIN", "ASKS_PIN_OR_PASSWORD", SILENT, id="pin-denied"),
    row("We will never ask for your PIN", "REASSURANCE_NEVER_ASKS", FIRES, "We will never ask for", id="pin-reassures"),
    row("Read me the one-time passcode we just sent", "ASKS_ONE_TIME_CODE", FIRES, "one-time passcode",
        id="otp-asked"),
    row("Do not share this one-time passcode with anyone", "ASKS_ONE_TIME_CODE", SILENT, id="otp-denied"),
    # a bank's payments team asking what someone else told the customer (round 717)
    row("Did the solicitors tell you their bank details had changed?", "PAYMENT_CHANGED_BANK_DETAILS", SILENT,
        id="changed-details-asked-about"),
    # a bank's questions about what someone else asked (round 721)
    row("Has someone contacted you about an investment, or asked you to move money to keep it safe?",
        "PAYMENT_SAFE_ACCOUNT", SILENT, id="safe-account-asked-about"),
    row("Our bank details have changed, please use the new account below", "PAYMENT_CHANGED_BANK_DETAILS", FIRES,
        "Our bank details have changed", id="changed-details-claimed"),
    row("We need you to move your money to a safe account today", "PAYMENT_SAFE_ACCOUNT", FIRES,
        "move your money to a safe account", id="safe-asked"),
    row("Halifax will never ask you to move money to a safe account", "PAYMENT_SAFE_ACCOUNT", SILENT,
        id="safe-denied"),
    # a code sent to you, then another instruction, is not a request for the code
    row("We'll send you a letter with a new passcode you'll need to re register the app when it comes",
        "ASKS_ONE_TIME_CODE", SILENT, id="otp-sent-by-letter"),
    row("We'll send you a passcode and you'll need to read it back to me", "ASKS_ONE_TIME_CODE", FIRES,
        "passcode and you'll need to read it back to me", id="otp-sent-then-asked"),
    row("All you need to do is provide me with your address and date of birth", "ASKS_PERSONAL_DETAILS", FIRES,
        "date of birth", id="dob-all-you-need-to-do"),
    # a denial before a new instruction does not carry over it
    row("Don't ignore this message, confirm your card number now", "ASKS_CARD_OR_BANK_DETAILS", FIRES,
        "card number", id="card-denial-does-not-carry"),
    row("We never ask for your PIN can you read me your PIN please", "ASKS_PIN_OR_PASSWORD", FIRES, "PIN",
        id="pin-unpunctuated-restart"),
    # a threat's condition asks too
    row("Your account will be suspended unless you verify your card details today", "ASKS_CARD_OR_BANK_DETAILS", FIRES,
        "card details", id="card-asked-after-unless"),
    row("Your card details are safe with us unless you share them yourself", "ASKS_CARD_OR_BANK_DETAILS", SILENT,
        id="card-mentioned-unless-share"),
    # a request, not a mention
    row("To verify you, confirm your date of birth", "ASKS_PERSONAL_DETAILS", FIRES, "date of birth",
        id="dob-asked"),
    row("Knowing the patient's date of birth helps the surgery find the record", "ASKS_PERSONAL_DETAILS",
        SILENT, id="dob-mentioned"),
    row("What's your national insurance number?", "ASKS_PERSONAL_DETAILS", FIRES, "national insurance number",
        id="ni-asked"),
    row("Your national insurance number is printed on your payslip", "ASKS_PERSONAL_DETAILS", SILENT,
        id="ni-mentioned"),
    # a statement denied, and a condition that threatens rather than denies
    row("You will be fined £100 unless you pay today", "THREAT_FINE_OR_PENALTY", FIRES, "will be fined",
        id="fine-asserted"),
    row("You won't be fined for this", "THREAT_FINE_OR_PENALTY", SILENT, id="fine-denied"),
    row("If you don't call back within 10 minutes the refund is cancelled", "URGENCY", FIRES,
        "within 10 minutes", id="urgency-in-condition"),
    # the organisation speaking, not a merchant, a payee or a body to contact
    row("Barclays: your card has been frozen", "CLAIMS_BANK", FIRES, "Barclays", 0, id="bank-speaks"),
    row("A payment of £23.99 to Chase & Sons was made on your card", "CLAIMS_BANK", SILENT, id="bank-is-payee"),
    row("You made a purchase of £4.50 at the cafe", "CLAIMS_BANK", SILENT, id="purchase-is-not-chase"),
    row("This is Amazon customer services calling about your order", "CLAIMS_TECH_OR_UTILITY", FIRES,
        "Amazon customer", id="amazon-speaks"),
    row("We passed your details on to Vodafone, who will be in touch", "CLAIMS_TECH_OR_UTILITY", SILENT,
        id="vodafone-third-party"),
    row("HMRC: you owe £1,284 in unpaid tax", "CLAIMS_TAX_AUTHORITY", FIRES, "HMRC", 0, id="hmrc-speaks"),
    row("See https://www.tax.service.gov.uk for details", "CLAIMS_GOVERNMENT", SILENT, id="gov-in-a-link"),
    # someone's own account, a landlord's move of banks, a free NHS sight test (the audit of the seventeenth session)
    row("could u send £30 for the coach home, same monzo as last time", "CLAIMS_BANK", SILENT, id="bank-same-account-as-last-time"),
    row("heads up I'm moving my rent account from Halifax to Nationwide next month", "CLAIMS_BANK", SILENT,
        id="bank-moving-account-between-banks"),
    row("As you're over 60 your NHS sight test is free. Book at your local store", "CLAIMS_GOVERNMENT", SILENT,
        id="gov-nhs-sight-test"),
    # a son's warning in Urdu written in Latin letters (round 407)
    row("Ammi agar koi message aaye ke HMRC aap ko refund de raha hai, to link pe click mat karna", "OFFER_REFUND_OR_GRANT",
        SILENT, id="refund-urdu-latin-warning"),
    row("Ammi agar koi message aaye ke HMRC aap ko refund de raha hai, to link pe click mat karna", "CLAIMS_TAX_AUTHORITY",
        SILENT, id="hmrc-urdu-latin-warning"),
    # a bank named in payee details is where the account is, not who is writing (round 393)
    row("Did you get my bank details? Lloyds 30-98-45 acc 71604921 - Harriet", "CLAIMS_BANK", SILENT, id="bank-in-payee-details"),
    # "no need to worry / to bother him" brushes a doubt aside; it neither denies nor closes what follows (round 369)
    row("no need to bother him it'll only take a minute if you can just read me the long number on your bank card",
        "ASKS_CARD_OR_BANK_DETAILS", FIRES, "the long number", id="card-no-need-to-bother-him"),
    row("no need to worry, just read me the long number on your card", "ASKS_CARD_OR_BANK_DETAILS", FIRES,
        "the long number on your card", id="card-no-need-to-worry"),
    row("No need to read me your card number, the payment has gone through", "ASKS_CARD_OR_BANK_DETAILS", SILENT,
        id="card-no-need-to-read-it"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_intent_pairs(text, flag, expect, span, at):
    check_row(patterns(), text, flag, expect, span, at)


def _at(text: str, phrase: str) -> tuple:
    unit = make_unit(text)
    start = unit.norm.index(phrase)
    return unit, start, start + len(phrase)


@pytest.mark.parametrize(
    ("text", "phrase", "of_request", "denied"),
    [
        ("we will never ask for your pin", "pin", True, True),
        ("please do not share this code with anyone", "code", True, True),
        ("if you didn't make this payment, call us now", "call us", True, False),
        ("you are not required to attend court", "attend court", False, True),
        ("if you do not pay, court action follows", "court action", False, False),
        ("i'm not sure, but we need your card number", "card number", True, False),
        ("do not hesitate to call us", "call us", True, False),
        # a description of what scammers do, and "if you're being told to", are no request of the reader
        ("scammers often promise guaranteed returns", "guaranteed returns", False, True),
        ("if you're being told to buy gift cards, it's a scam", "gift cards", True, True),
        # a later item of a long "or" list of what is never asked is denied with the rest; a new request is not
        ("the police will never ask you to take money out of the bank or hand cash or cards to a courier or move money "
         "to keep it safe", "move money to keep it safe", True, True),
        ("we never ask for your pin over the phone, we need you to transfer your savings today or move money to keep "
         "it safe", "move money to keep it safe", True, False),
        # someone else about to send you something starts a new statement (round 74)
        ("i can't ring mum she'll go mad the lawyer's gonna text you the bank details", "bank details", True, False),
        ("we can't ring you back but we will never text you the bank details of a safe account", "bank details", True, True),
        # a later item of a warning's "or" list, further than the warning's usual reach (round 452); not a new request
        ("if anyone calls you saying theyre us and asks you to send money with zelle or buy gift cards or tells you to "
         "read out a code thats not us", "gift cards", True, True),
        ("if anyone asks you what the money is for, tell them it's for your grandson, and then go and buy gift cards",
         "gift cards", True, False),
    ],
)
def test_negation_scope(text, phrase, of_request, denied):
    unit, s, e = _at(text, phrase)
    assert (intent.negation(unit, s, e, of_request=of_request) is not None) is denied


@pytest.mark.parametrize(
    ("text", "org", "role"),
    [
        ("barclays: a payment to tesco was made", "barclays", intent.SPEAKER),
        ("barclays: a payment to tesco was made", "tesco", intent.MERCHANT),
        ("thank you for calling amazon, how can i help", "amazon", intent.SPEAKER),
        ("if you are worried, contact hmrc yourself", "hmrc", intent.REFERRAL),
        ("it was about the hmrc letter", "hmrc", intent.MENTION),
        ("visit www.royalmail.com/track", "royalmail", intent.REFERRAL),
        ("moorcroft: we've been instructed by vodafone about your balance", "vodafone", intent.REFERRAL),
        ("or i can do paypal if easier", "paypal", intent.REFERRAL),
        ("my bank has changed as i've moved to nationwide", "nationwide", intent.REFERRAL),
        # a "pay me" link named by the app it is in (red-team round 285); the app's own header still speaks
        ("i'll pay u back on friday. monzo link: monzo.me/jakeb/20", "monzo", intent.MERCHANT),
        ("monzo: your card is frozen", "monzo", intent.SPEAKER),
        # a help desk answering with a department and a name (red-team round 307); not a complaint told to it
        ("paypal resolution centre this is brian", "paypal", intent.SPEAKER),
        ("amazon cancellations, you're speaking with dave", "amazon", intent.SPEAKER),
        ("i told paypal this is wrong", "paypal", intent.MENTION),
        # a product desk and "my name's" (round 758); a way to pay before a colon (round 747)
        ("nationwide mortgage helpline, my name's ben. how can i help?", "nationwide", intent.SPEAKER),
        ("leave cash under the mat or pay on monzo: monzo.me/leewindows/18", "monzo", intent.MERCHANT),
        # a payment route or a platform's cut is not who is writing (the audit of 2026-12-06)
        ("can you send £40 to this number by paypal? its for my sim", "paypal", intent.MERCHANT),
        ("ebay takes thirteen percent so i'd rather sell direct", "ebay", intent.MERCHANT),
        ("paypal security team here, we need to verify your account", "paypal", intent.SPEAKER),
        # a body in a threat, a place or a funder, not who is speaking (the audit of 2026-12-06)
        ("the local police will attend your address", "police", intent.MERCHANT),
        ("your son is being held at the police station", "police", intent.MERCHANT),
        ("a free nhs-funded place at our clinic", "nhs", intent.MERCHANT),
        ("the nhs hearing aid scheme has free hearing aids", "nhs", intent.MENTION),
        ("this is the police, we need to speak to you", "police", intent.SPEAKER),
        # a sender tag in brackets opening the text (the sms_train split: "[EE]:We were unable to process your bill")
        ("[ee]:we were unable to process your latest bill", "ee", intent.SPEAKER),
        ("(royal mail) your parcel is waiting", "royal mail", intent.SPEAKER),
        ("paid the phone bill (ee) yesterday", "ee", intent.MENTION),
        # a council's department before the colon (red-team round 338)
        ("westfield council housing: an officer will visit", "westfield council", intent.SPEAKER),
        ("westfield council housing is in short supply", "westfield council", intent.MENTION),
        ("british red cross emergency appeal: flooding in wales", "british red cross", intent.SPEAKER),
    ],
)
def test_organisation_role(text, org, role):
    _, s, e = _at(text, org)
    assert intent.organisation_role(text, s, e) == role


# A social platform's page is where to find the sender, not who is speaking ("use the link on our Facebook page" made
# a dental practice's recall text the call-back scam, round 760); the platform speaking for itself still claims it.
@pytest.mark.parametrize("text, mismatch", [
    ("You're due your check-up at Bright Smile Dental. Call 0117 496 0283 to book or use the link on our Facebook page.",
     False),
    ("Facebook security: your account will be disabled. Call 0117 496 0283 to verify your identity.", True),
])
def test_a_platform_page_is_a_place_not_a_speaker(text, mismatch):
    from scamshield.analyzer import Analyzer
    from scamshield.models import Message

    v = Analyzer.default().analyze(Message(text=text))
    flag = next((f for f in v.flags if f.id == "CALLBACK_NUMBER_MISMATCH"), None)
    assert (flag is not None) == mismatch, [f.id for f in v.flags]
    if flag is not None:
        assert [e.text for e in flag.evidence] == ["0117 496 0283"]


# A name that is a payment method, a postal service, a venue, a shop, or the police as a consequence is not who is speaking
# (the explanation audit of 2026-12-08).
@pytest.mark.parametrize("text, name, role", [
    ("just text me your email for paypal and my courier can collect", "paypal", intent.REFERRAL),
    ("sent the remaining £40 to your monzo just now", "monzo", intent.REFERRAL),
    ("the test is free it's only the royal mail tracked part", "royal mail", intent.MERCHANT),
    ("i'd send it royal mail special delivery", "royal mail", intent.MERCHANT),
    ("or if it's easier you can pay it with vouchers from the post office.", "post office", intent.MERCHANT),
    ("careers fair, sat 22 june, first direct arena. 40+ employers", "first direct", intent.MERCHANT),
    ("if the line drops the case goes straight to the police", "police", intent.REFERRAL),
    ("if you drive uninsured the police can seize the car", "police", intent.MERCHANT),
    # ... and the same names speaking
    ("royal mail: your parcel is waiting", "royal mail", intent.SPEAKER),
    ("this is the police, your son is in custody", "police", intent.SPEAKER),
    ("message from the post office: your parcel", "post office", intent.SPEAKER),
    ("ee loyalty, jordan speaking", "ee", intent.SPEAKER),
])
def test_organisation_roles_from_the_audit(text, name, role):
    start = text.index(name)
    assert intent.organisation_role(text, start, start + len(name)) == role
