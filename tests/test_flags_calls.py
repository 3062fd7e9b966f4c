"""Help-desk call flags: steering the user's computer, refunds that need online banking, invented charges
and renewals, "press 1" robocalls - each with the near misses a genuine call shares with it."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, SILENT, WEAK, check_row, patterns, row

ROWS = [
    # switching the computer off is the bank's protective step (the audit of 2026-12-08)
    row("Please switch the computer off at the wall now. I'll wait.", "STEERS_THE_COMPUTER", SILENT, id="steers-switch-it-off"),
    row("Please switch on your computer and go to the website I give you", "STEERS_THE_COMPUTER", FIRES, "switch on your computer",
        id="steers-switch-it-on"),
    # a fake fraud desk the user rang explains the code's warning away (the audit of round 658)
    row("It says Three will never ask for this code. That's for calls we make to you. You've called us, so it's fine. Go ahead.",
        "EXPLAINS_AWAY_WARNING", FIRES, "That's for calls we make to you", id="r658a"),
    # a "care company" talks the husband out of ringing the social worker (round 679)
    row("i think i'd better ring our social worker first. they're sending letters out but they're behind, its easier if we just do it now",
        "TALKS_YOU_OUT_OF_CHECKING", FIRES, "its easier if we just do it now", id="r679a"),
    # the caller talks the user out of ringing the number on the bill (round 671)
    row("I think I'd rather ring the number on my bill and check first. You can do that, but the queue's about two hours today. It really is quicker to do it with me now.",
        "TALKS_YOU_OUT_OF_CHECKING", FIRES, "You can do that, but the queue", id="r671d"),
    # "don't ring the main office" beside the parent's doubt (round 671)
    row("That's strange, nothing came home in a letter about it. Please don't ring the main office about it, they're completely snowed under.",
        "TALKS_YOU_OUT_OF_CHECKING", FIRES, "Please don't ring the main office", id="r671e"),
    # the "bank" answered at once on the number the caller said to ring (the audit of round 564)
    row("That was quick. It didn't even ring.",
        "SAME_VOICE_ON_THE_LINE", FIRES, "It didn't even ring", id="same-voice-didnt-ring"),
    # the same caller again, thanking you for checking (the audit of round 564)
    row("Ah, Mrs Hughes, it's Mark again. Thank you for checking, you've done exactly what we asked.",
        "SAME_VOICE_ON_THE_LINE", FIRES, "you've done exactly what we asked", id="same-voice-mark-again"),
    row("I rang the number on my card and it rang for ages before anyone answered.",
        "SAME_VOICE_ON_THE_LINE", SILENT, id="same-voice-phone-rang"),
    row("I've got remote access to the Hub itself from our side, so there's nothing for you to install.",
        "REMOTE_ACCESS_SOFTWARE", SILENT, id="remote-access-to-hub"),
    row("this is a very dangerous virus it is called zeus trojan, your i p address is being used by hackers",
        "TECH_SUPPORT_ALARM", FIRES, "very dangerous virus", id="tech-alarm-dangerous-virus"),
    row("flu is a very dangerous illness for older people, book your jab", "TECH_SUPPORT_ALARM", SILENT,
        id="tech-alarm-dangerous-illness"),
    # the audit of round 438: online banking open "so we can both see the credit arrive"; the case lost if you hang up
    row("then open your online banking so we can both see the credit arrive", "REFUND_NEEDS_ACCESS", FIRES,
        "open your online banking so we can both see", id="refund-open-banking-both-see"),
    row("you can open your online banking later so you can see the refund arrive", "REFUND_NEEDS_ACCESS", SILENT,
        id="refund-open-banking-you-see"),
    # STEERS_THE_COMPUTER
    row("Please go in front of your computer and turn it on", "STEERS_THE_COMPUTER", FIRES,
        "go in front of your computer", 7, id="steer-go-in-front"),
    row("ok now open google chrome and type what i spell", "STEERS_THE_COMPUTER", FIRES, "open google chrome",
        id="steer-chrome"),
    row("Press the Windows key and the letter R together", "STEERS_THE_COMPUTER", FIRES, "Press the Windows key",
        0, id="steer-windows-key"),
    row("I left my charger by the computer in the study", "STEERS_THE_COMPUTER", SILENT, id="steer-charger"),
    row("We never ask you to open your browser during a call", "STEERS_THE_COMPUTER", SILENT,
        id="steer-denied"),
    # REFUND_NEEDS_ACCESS
    row("just log in to your online banking so I can process the refund", "REFUND_NEEDS_ACCESS", FIRES,
        "log in to your online banking so I can", id="refund-online-banking"),
    row("Oh no, we accidentally sent you £2,000 instead of £200, you need to send back the difference",
        "REFUND_NEEDS_ACCESS", FIRES, "accidentally sent", id="refund-overpaid"),
    row("Please fill in the refund form on the screen", "REFUND_NEEDS_ACCESS", FIRES, "fill in the refund form",
        id="refund-form"),
    row("log in to your online banking on your phone and i'll tell you which screen to go to", "REFUND_NEEDS_ACCESS",
        FIRES, "log in to your online banking on your phone and i'll tell", id="refund-bank-steered"),
    row("the refund can't go back to the card, it has to go straight to the bank", "REFUND_NEEDS_ACCESS", FIRES,
        "refund can't go back to the card", id="refund-not-to-card"),
    row("go to payments and new payee, I'll give you the details of our refund account", "REFUND_NEEDS_ACCESS",
        FIRES, "new payee, I'll give you the details of our refund account", id="refund-new-payee"),
    row("Barclays: a new payee, J Okafor, was added to your account. Not you? Call the number on your card",
        "REFUND_NEEDS_ACCESS", SILENT, id="new-payee-alert"),
    row("You'll get a code from your bank. Read it to me and the refund lands straight away", "ASKS_FOR_YOUR_BANKS_CODE",
        FIRES, "a code from your bank", id="otp-from-bank-read-out"),
    row("Your bank will now send you a one-time passcode to authorise the direct debit. Please read that out to me",
        "ASKS_FOR_YOUR_BANKS_CODE", FIRES, "Your bank will now send you a one-time passcode", id="bank-code-read-out"),
    row("Your bank may send you a code to approve this payment in your banking app", "ASKS_FOR_YOUR_BANKS_CODE",
        SILENT, id="bank-code-approve-in-app"),
    row("I'll send a verification code to that email now - please read it back", "ASKS_FOR_YOUR_BANKS_CODE", SILENT,
        id="company-own-code"),
    row("Your bank will text you a code. Can you read that code back to me?", "VOUCHER_CODES_REQUESTED", SILENT,
        id="repeat-a-code-is-not-voucher-codes"),
    row("Your refund will go back to the card you paid with in 3 to 5 days", "REFUND_NEEDS_ACCESS", SILENT,
        id="refund-to-card"),
    row("You can check the refund has arrived in your banking app later", "REFUND_NEEDS_ACCESS", SILENT,
        id="refund-check-later"),
    # UNORDERED_CHARGE_OR_RENEWAL
    row("Your Norton 360 subscription will be automatically renewed for £299.99 today",
        "UNORDERED_CHARGE_OR_RENEWAL", FIRES, "Norton 360 subscription will be automatically renewed", id="renewal-norton"),
    row("an iPhone 15 Pro was ordered on your Amazon account", "UNORDERED_CHARGE_OR_RENEWAL", FIRES,
        "an iPhone 15 Pro was ordered on your Amazon", id="renewal-iphone"),
    row("Your bus pass is due for renewal next month, apply online", "UNORDERED_CHARGE_OR_RENEWAL", SILENT,
        id="renewal-bus-pass"),
    row("an order of apple iphone for nine hundred ninety nine pound is being placed, if you didn't place this order "
        "press one", "UNORDERED_CHARGE_OR_RENEWAL", FIRES, "if you didn't place this order", id="unordered-robocall-order"),
    # PRESS_ONE: a robocall puts you through to someone; a bank's automated check only asks a question
    row("Your national insurance number has been suspended. Press 1 to speak to an officer", "PRESS_ONE", FIRES,
        "Press 1", id="press-one-officer"),
    row("Did you make a payment of £420 to Currys? Press 1 if you made this payment, press 2 if not",
        "PRESS_ONE", WEAK, id="press-one-bank-check"),
    row("I've just realised I sent £1,500 instead of £150! Could you kindly refund the £1,350 difference today?",
        "REFUND_NEEDS_ACCESS", FIRES, "refund the £1,350 difference", id="refund-overpaid-difference"),
    row("Hey it's Josh, I accidentally sent my 6 digit code to your number, can u send it back?", "REFUND_NEEDS_ACCESS",
        SILENT, id="refund-not-a-code-sent-by-mistake"),
    # REMOTE_ACCESS_SOFTWARE: the support site's session code, and looking "remotely"
    row("No problem, I'll have a look remotely. Please go to www.support-connect-help.com and enter code 5590.",
        "REMOTE_ACCESS_SOFTWARE", FIRES, "have a look remotely", id="remote-have-a-look-remotely"),
    row("Go to our website and enter the code from your letter to book your appointment.", "REMOTE_ACCESS_SOFTWARE",
        SILENT, id="remote-website-booking-code"),
    row("You agreed to a listing last year on a recorded call with your manager. The renewal is £395 plus VAT.",
        "UNORDERED_CHARGE_OR_RENEWAL", FIRES, "You agreed to a listing last year", id="renewal-directory-listing-trap"),
    row("You agreed to a payment plan last year, thank you for keeping to it", "UNORDERED_CHARGE_OR_RENEWAL", SILENT,
        id="renewal-payment-plan-kept"),
    # Red-team round 58: the refund "system connected to your bank"; an app that is not in the app store
    row("our refund system is connected directly to your bank so i need you to download the refund application then you log in to your online banking and you will fill the refund form",
        "REFUND_NEEDS_ACCESS", FIRES, "refund system is connected directly to your bank", id="refund-system-connected-to-your-bank"),
    row("the refund goes back to the card you paid with, you don't need to log in to anything", "REFUND_NEEDS_ACCESS", SILENT,
        id="refund-back-to-the-card"),
    row("install the sky protect app on your phone its not in the app store its a direct download so ill text you the link",
        "REMOTE_ACCESS_SOFTWARE", FIRES, "its not in the app store", id="remote-app-not-in-the-app-store"),
    row("you can download the my sky app from the app store or google play", "REMOTE_ACCESS_SOFTWARE", SILENT,
        id="remote-app-from-the-store"),
    row("this is netflix billing you've been overcharged and you're due a refund please call us back and have your online banking details ready",
        "REFUND_NEEDS_ACCESS", FIRES, "overcharged and you're due a refund please call us back and have your online banking details ready",
        id="refund-have-your-online-banking-ready"),
    row("to pay the balance please call us and have your card details ready", "REFUND_NEEDS_ACCESS", SILENT,
        id="refund-card-details-ready-to-pay"),
    # Red-team round 89: a Mac's Terminal and a command read out; "that's just how our system labels it"
    row("go to the top of the screen click the magnifying glass and type terminal ok and then i'll read you a command copy it exactly",
        "STEERS_THE_COMPUTER", FIRES, "type terminal", id="steers-mac-terminal"),
    row("the bus terminal is just past the station, you can't miss it", "STEERS_THE_COMPUTER", SILENT, id="steers-bus-terminal"),
    # a "refund" paid by you into an account they give (red-team round 307); not a refund coming to your account
    row("to do the refund please open your banking app and send the amount to the reference account i give you",
        "REFUND_NEEDS_ACCESS", FIRES,
        "refund please open your banking app and send the amount to the reference account", id="refund-send-to-reference-account"),
    row("the refund will go back to the account you paid from in three to five days", "REFUND_NEEDS_ACCESS", SILENT,
        id="refund-back-to-your-account"),
    # a code "accidentally sent" is the account-takeover trick, not a refund (audit 2026-12-06)
    row("i accidentally sent my instagram reset code to ur number can u send it back", "REFUND_NEEDS_ACCESS", SILENT,
        id="refund-accidentally-sent-reset-code"),
    # a support site's session code typed in "so I can connect" (round 319)
    row("Please go to quick-assist-sky.com and type in the code 8812 so I can connect.", "REMOTE_ACCESS_SOFTWARE", FIRES,
        "type in the code 8812 so I can connect", id="remote-type-in-the-code-so-i-can-connect"),
    row("Type in the code from the text so you can log in to the app.", "REMOTE_ACCESS_SOFTWARE", SILENT,
        id="remote-type-in-the-code-so-you-can-log-in"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_call_flag(text, flag, expect, span, at):
    check_row(patterns(), text, flag, expect, span, at)


def test_the_users_own_words_are_not_the_callers_request_or_reassurance():
    """Round 18: the user saying they will ring the number on their card, or asking to check in the app, is
    neither a call-back request nor the caller sending them to the official route."""
    from scamshield.analyzer import Analyzer
    from scamshield.models import Message, Turn

    call = Message(channel="call", direction="incoming", turns=[
        Turn(speaker="caller", text="This is NatWest fraud prevention, there's a payment of £900 on your account."),
        Turn(speaker="callee", text="Can't I just check it in the app? Actually I'm going to hang up and call the number on my card."),
    ])
    ids = {f.id for f in Analyzer.default().analyze(call).flags}
    assert "CALLBACK_REQUEST" not in ids and "REASSURANCE_OFFICIAL_ROUTE" not in ids, ids


def test_a_flags_required_words_may_come_in_the_turn_before():
    """Round 24: "we need a deposit of one thousand eight hundred in cash" in one turn, "my brother can pick you up
    and run you to the bank" in the next. The trader's money is in the conversation, not in the lift's own turn;
    the same lift offered by a daughter, with no trader's money before it, stays silent."""
    from scamshield.analyzer import Analyzer
    from scamshield.models import Message, Turn

    a = Analyzer.default()
    trader = Message(channel="call", direction="incoming", turns=[
        Turn(speaker="caller", text="it's kev we was round yesterday about the roof, the ridge tiles are all loose"),
        Turn(speaker="callee", text="oh no"),
        Turn(speaker="caller", text="we need to get the materials today so we need a deposit of one thousand eight hundred in cash"),
        Turn(speaker="callee", text="i don't have that in the house"),
        Turn(speaker="caller", text="no problem my brother can pick you up and run you to the bank"),
    ])
    v = a.analyze(trader)
    assert "DOORSTEP_TRADER" in {f.id for f in v.flags}
    daughter = Message(channel="call", direction="incoming", turns=[
        Turn(speaker="caller", text="Hi Mum, it's Karen. Do you still want to pay that cheque in on Thursday?"),
        Turn(speaker="callee", text="Yes please love."),
        Turn(speaker="caller", text="I'll pick you up and run you to the bank after lunch."),
    ])
    assert "DOORSTEP_TRADER" not in {f.id for f in a.analyze(daughter).flags}


def test_family_opener_is_the_callers_not_the_users_retelling():
    """Round 46: the caller's "it's me, I'm on a friend's phone, mine's dead" with a request for money opens the
    "Hi Mum" script; the user telling a grandson what a caller said ("Hi Grandma, it's me, I need money") does not."""
    from scamshield.analyzer import Analyzer
    from scamshield.models import Message, Turn

    a = Analyzer.default()
    scam = Message(channel="call", direction="incoming", turns=[
        Turn(speaker="caller", text="Mum it's me, I'm on my mate's phone, mine's dead. Can you send eighty pounds to his account?"),
    ])
    v = a.analyze(scam)
    assert "FAMILY_NEW_NUMBER" in {f.id for f in v.flags if f.counts}
    assert v.verdict in ("scam", "suspicious")
    retold = Message(channel="call", direction="incoming", turns=[
        Turn(speaker="caller", text="Grandma? It's Ethan. Mum said you called her in a panic."),
        Turn(speaker="callee", text='Someone rang saying "Hi Grandma, it\'s me, I\'ve crashed the car and I need money for a solicitor."'),
        Turn(speaker="caller", text="That wasn't me. You did the right thing ringing Mum."),
    ])
    assert "FAMILY_NEW_NUMBER" not in {f.id for f in a.analyze(retold).flags}


def test_a_task_jobs_own_app_is_not_the_official_route():
    """Round 46: "rating tasks in our app ... top up your work account" - the app is the scheme's own."""
    from scamshield.analyzer import Analyzer
    from scamshield.models import Message, Turn

    call = Message(channel="call", direction="incoming", turns=[
        Turn(speaker="caller", text="It's fully remote. You complete rating tasks in our app, about forty a day, and people "
                                    "earn three hundred pounds a week. To unlock the premium tasks you top up your work account in USDT."),
    ])
    v = Analyzer.default().analyze(call)
    status = {f.id: f.status for f in v.flags}
    assert status.get("OFFER_TASK_JOB") == "warning"
    assert status.get("REASSURANCE_OFFICIAL_ROUTE") == "cancelled"
    assert v.verdict in ("scam", "suspicious")


def test_steering_the_computer_is_the_other_partys_words():
    """Round 440: a booked BT session where the user says "hang on, let me get to the laptop": the user steers
    nothing. The same words from the caller of an unlabelled or incoming call still steer."""
    from scamshield.analyzer import Analyzer
    from scamshield.models import Message, Turn

    a = Analyzer.default()
    users_own = Message(channel="call", direction="incoming", turns=[
        Turn(speaker="caller", text="hi it's jordan from bt, you booked a session about your printer"),
        Turn(speaker="callee", text="oh yes that's right hang on let me get to the laptop"),
    ])
    assert "STEERS_THE_COMPUTER" not in {f.id for f in a.analyze(users_own).flags}
    callers = Message(channel="call", direction="incoming", turns=[
        Turn(speaker="caller", text="this is windows support, your computer is sending errors, go to your laptop now"),
        Turn(speaker="callee", text="ok"),
    ])
    assert "STEERS_THE_COMPUTER" in {f.id for f in a.analyze(callers).flags}
