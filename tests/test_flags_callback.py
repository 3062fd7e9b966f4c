"""Callback flags: call this number back, press 1, move to a chat app."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, NOT_ALARMING, SILENT, WEAK, check_row, check_verdict, patterns, row, verdict_row

ROWS = [
    # a brand's desk named before the number (round 691)
    row("If this wasnt you, call Apple Support on 0808 157 0284 immediately to remove the device",
        "CALLBACK_REQUEST", FIRES, "call Apple Support on 0808 157 0284", id="callback-brand-support-desk"),
    # "Re-enrol now at" a look-alike sign-in page (round 691)
    row("IT Helpdesk: your Microsoft 365 MFA registration expires today. Re-enrol now at m365-mfa-renew.com or you will lose access to email and Teams.",
        "LINK_CALL_TO_ACTION", FIRES, "Re-enrol now at m365-mfa-renew.com", id="r691a"),
    # a number to ring under a first name (round 674)
    row("URGENT re your pension transfer - action needed today or funds may be frozen. call Mark 0306 999 0174",
        "CALLBACK_REQUEST", FIRES, "call Mark 0306 999 0174", id="r674a"),
    row("Reply STOP to 60012 to opt out",
        "CALLBACK_REQUEST", SILENT, id="r674b"),
    row("Statement for acc 10442 shows £1,206.00 overdue. Please pay to our usual account or call us on 0161 496 0354 if there's a query.",
        "CALLBACK_REQUEST", SILENT, id="r657g"),
    # Zalo, the Vietnamese chat app (round 584)
    row("Vui lòng liên hệ cán bộ xử lý qua Zalo trong ngày.",
        "MOVE_TO_CHAT_APP", FIRES, "Zalo", id="chat-zalo"),
    # Albanian: write to us on WhatsApp (round 566)
    row("Mund ta ndalojme nese paguani sot. Na shkruani ne WhatsApp menjehere.",
        "MOVE_TO_CHAT_APP", FIRES, "Na shkruani ne WhatsApp", id="whatsapp-albanian"),
    # Chinese: add WeChat (round 558)
    row("名额有限，加微信 uk_xuefei88 咨询",
        "MOVE_TO_CHAT_APP", FIRES, "加微信", id="wechat-add"),
    # Hindi: WhatsApp this number (round 554)
    row("2 घंटे के अंदर इसी नंबर पर WhatsApp करें।",
        "MOVE_TO_CHAT_APP", FIRES, "WhatsApp करें", id="whatsapp-hindi"),
    # an "is it you" lure (round 533)
    row("someone is sharing pics with ur name on them, this is the link they posted, check if its u: snap-leaks-viewer.com/u/4481",
        "LINK_CALL_TO_ACTION", FIRES, "check if its u: snap-leaks-viewer.com/u/4481", id="cta-check-if-its-you"),
    row("is this you in the photo on the school newsletter? you look great",
        "LINK_CALL_TO_ACTION", SILENT, id="cta-is-this-you-no-link"),
    # an "admin" to message on a chat app (round 533)
    row("the mod said u have to message discord support on their staff acc @dsc.trustsafety and tell them it was a mistake",
        "MOVE_TO_CHAT_APP", FIRES, "message discord support on their staff acc @dsc.trustsafety", id="chat-app-support-staff-account"),
    row("you can message support from the Help page in the app",
        "MOVE_TO_CHAT_APP", SILENT, id="chat-app-support-in-app"),
    # a bare web address to click (round 505)
    row("To keep your password click https://m365-keep-password.com/staff and sign in", "LINK_CALL_TO_ACTION", FIRES,
        "click https://m365-keep-password.com/staff", id="cta-click-https"),
    # details to confirm at a link (round 495)
    row("Please rebook and confirm your tenant details at bristol-council-repairs.co.uk within 12 hours.",
        "LINK_CALL_TO_ACTION", FIRES, "confirm your tenant details at bristol-council-repairs.co.uk", id="cta-confirm-details-at"),
    row("We'll confirm your booking details by text tomorrow.", "LINK_CALL_TO_ACTION", SILENT, id="cta-confirm-details-no-link"),
    # a bank's question names the merchant, it sends you nowhere (round 487)
    row("Barclays: Suspicious activity on your card ending 3100. Did you try to pay £742.18 at APPLE.COM? Reply Y or N.",
        "LINK_CALL_TO_ACTION", SILENT, id="cta-did-you-try-to-pay-at-merchant"),
    row("Pay £742.18 at apple-billing-check.com to stop the charge", "LINK_CALL_TO_ACTION", FIRES,
        "Pay £742.18 at apple-billing-check.com", id="cta-pay-at-lookalike"),
    # a benefits "centre" to ring on a number the text gives (round 489); not the number on your letter
    row("To avoid losing your weekly payments please call the Disability Benefits Centre on 0306 999 0414 today.",
        "CALLBACK_REQUEST", FIRES, "call the Disability Benefits Centre on 0306 999 0414", id="callback-benefits-centre"),
    row("You can call the Disability Benefits Centre on the number on your award letter.", "CALLBACK_REQUEST", SILENT,
        id="callback-benefits-centre-letter"),
    # round 451: a call offered to anyone who cannot pay is help, not a push to ring
    row("If you can't pay on time, call us on 0808 157 0342 as soon as possible", "CALLBACK_REQUEST", SILENT,
        id="callback-if-you-cannot-pay"),
    row("Your payment is overdue. Call us on 0808 157 0342 today to avoid further action", "CALLBACK_REQUEST", FIRES,
        "Call us on 0808 157 0342", id="callback-overdue-call-today"),
    row("Your payment FAILED. Please re-submit payment within 24 hours at stjudes-parentzone-pay.co.uk/fees", "LINK_CALL_TO_ACTION",
        FIRES, "re-submit payment within 24 hours at stjudes-parentzone-pay.co.uk/fees", id="cta-resubmit-payment-at"),
    row("A charge of £60 is payable within 14 days at ukparking-notices.co.uk, reference PCN-208814.", "LINK_CALL_TO_ACTION",
        FIRES, "payable within 14 days at ukparking-notices.co.uk", id="cta-payable-within-days-at"),
    row("log in with steam to claim yours (only 8 left!) 👉 cs2-knife-drop.gg/steam-login", "LINK_CALL_TO_ACTION", FIRES,
        "log in with steam to claim", id="cta-log-in-with-steam-to-claim"),
    row("The balance is payable within 14 days of the invoice date.", "LINK_CALL_TO_ACTION", SILENT, id="cta-payable-no-link"),
    row("Our bank details will never change. Phone us on 0121 496 0390 to confirm them before you send any money.",
        "CALLBACK_REQUEST", SILENT, id="callback-solicitor-confirm-before-you-send"),
    # PREMIUM_RATE_CALLBACK: your own business on a line paid by the minute (red-team round 338)
    row("This is a message regarding your upcoming appointment. Please call 0909 879 0146 to discuss.", "PREMIUM_RATE_CALLBACK",
        FIRES, "call 0909 879 0146", id="premium-callback-appointment"),
    row("To vote for Jo call 0901 123 4567, calls cost 50p", "PREMIUM_RATE_CALLBACK", SILENT, id="premium-callback-vote-line"),
    row("NHS Health: your blood test results show an abnormality. Please call Dr Hart on 0909 879 0144 urgently",
        "PREMIUM_RATE_CALLBACK", FIRES, "call Dr Hart on 0909 879 0144", id="premium-callback-named-doctor"),
    row("About your parcel: call 0113 496 0123 to rebook", "PREMIUM_RATE_CALLBACK", SILENT, id="premium-callback-ordinary-number"),
    # CALLBACK_REQUEST
    row("Call back urgently on 0161 496 0999", "CALLBACK_REQUEST", FIRES, "Call back urgently on 0161 496 0999", 0,
        id="call-back-number"),
    row("please call 0800 123 4567 to avoid charges", "CALLBACK_REQUEST", FIRES, "call 0800 123 4567", 7,
        id="call-number"),
    row("Ring us back on 020 7946 0123 today", "CALLBACK_REQUEST", FIRES, "Ring us back on 020 7946 0123", id="ring-us-back"),
    row("When I call you back you will read me the codes", "CALLBACK_REQUEST", FIRES, "When I call you back", 0,
        id="when-i-call-back"),
    row("You must return this call before 5pm", "CALLBACK_REQUEST", FIRES, "return this call", id="return-call"),
    row("Please call us on the number on the back of your card", "CALLBACK_REQUEST", SILENT, id="card-number"),
    row("Call me when you get home, love", "CALLBACK_REQUEST", SILENT, id="call-me-home"),
    row("I called the plumber yesterday", "CALLBACK_REQUEST", SILENT, id="called-plumber"),
    # PRESS_ONE
    row("Your National Insurance number has been suspended. Press 1 to speak to an officer", "PRESS_ONE", FIRES,
        "Press 1", id="press-1"),
    row("To speak to an agent press one now", "PRESS_ONE", FIRES, "press one now", id="press-one"),
    row("We pressed on with the walk despite the rain", "PRESS_ONE", SILENT, id="pressed-on"),
    # MOVE_TO_CHAT_APP
    row("Message me on WhatsApp for details of the job", "MOVE_TO_CHAT_APP", FIRES, "Message me on WhatsApp", id="whatsapp-job"),
    row("add me on telegram to start earning", "MOVE_TO_CHAT_APP", FIRES, "add me on telegram", id="telegram"),
    row("my mic's broken on there, add me on Kik?", "MOVE_TO_CHAT_APP", FIRES, "add me on Kik", id="chat-app-kik"),
    row("I deleted Kik years ago, it was full of bots", "MOVE_TO_CHAT_APP", SILENT, id="chat-app-kik-mentioned"),
    row("I'll put the photos in the family WhatsApp group", "MOVE_TO_CHAT_APP", WEAK, id="family-whatsapp"),
    row("Churchill: your policy will be cancelled. Please call the number on your policy documents.",
        "CALLBACK_REQUEST", SILENT, id="callback-number-on-your-policy"),
    # a takeaway's own number "to order" is how to buy, not a callback lure (red-team round 36)
    row("Golden Dragon Takeaway: Free prawn crackers on orders over £20. Call 029 2018 0661 to order.", "CALLBACK_REQUEST",
        SILENT, id="callback-call-to-order"),
    # Red-team round 97: the move off the dating app, and a contact handed over
    row("I can't video call from the rig. Can we move to Google Chat? This app deletes messages", "MOVE_TO_CHAT_APP",
        FIRES, "Can we move to Google Chat", id="chat-move-to-google-chat"),
    row("He sorted mine in a week, I can give you his Telegram if you want", "MOVE_TO_CHAT_APP", FIRES,
        "give you his Telegram", id="chat-give-you-his-telegram"),
    row("I'll give you his number when I see you on Sunday", "MOVE_TO_CHAT_APP", SILENT, id="chat-give-you-his-number"),
    row("I'll send you the account details on WhatsApp, I can't log in on this phone", "MOVE_TO_CHAT_APP", FIRES,
        "send you the account details on WhatsApp", id="chat-account-details-on-whatsapp"),
    row("To restart collections pay £52 at camden-wastecollections.co.uk", "LINK_CALL_TO_ACTION", FIRES,
        "pay £52 at camden-wastecollections.co.uk", id="cta-pay-amount-at-domain"),
    row("This is a call from a prisoner at HMP Forest Bank. This call may be recorded. To accept, press one.", "PRESS_ONE",
        SILENT, id="press-one-prison-call-accept"),
    row("Your phone contract is due for a free upgrade. To accept your upgrade press 1 to be put through to an agent",
        "PRESS_ONE", FIRES, "press 1", id="press-one-to-accept-upgrade"),
    # Red-team round 292: "let's talk on ..." and a stranger's tutor met on WhatsApp
    row("Let's talk on Google Chat instead, it's more private", "MOVE_TO_CHAT_APP", FIRES, "Let's talk on Google Chat",
        id="chat-app-lets-talk-on-google-chat"),
    row("I can introduce you to my tutor on WhatsApp if you like", "MOVE_TO_CHAT_APP", FIRES,
        "introduce you to my tutor on WhatsApp", id="chat-app-introduce-you-to-my-tutor"),
    row("Let's talk about the party later", "MOVE_TO_CHAT_APP", SILENT, id="chat-app-lets-talk-no-app"),
    # advice to check with them first if a message ever says otherwise (a builder on a call): no push to call back
    row("same account as before nothing's changed and if you ever get anything saying it has ring me on this number before you pay",
        "CALLBACK_REQUEST", SILENT, id="callback-if-you-ever-get-anything-saying"),
    row("Any questions call 0161 496 0544, see you Thursday!", "CALLBACK_REQUEST", SILENT, id="callback-any-questions-call"),
    # a number to ring given as a person's own line (red-team round 306: a "surgery" text with a 0909 "direct line")
    row("She's in clinic so please ring her direct line on 0909 879 0177 as soon as you get this", "CALLBACK_REQUEST", FIRES,
        "ring her direct line on 0909 879 0177", id="callback-ring-her-direct-line"),
    row("Her direct line is 0161 496 0123 if you ever need it", "CALLBACK_REQUEST", SILENT, id="callback-direct-line-given"),
    # WhatsApp named as where a code came from or a setting is, not a place to move to (audit, round 198)
    row("Probably. Check WhatsApp, turn on two-step verification.", "MOVE_TO_CHAT_APP", SILENT,
        id="chat-app-check-whatsapp-settings"),
    row("A WhatsApp one. Message from your number.", "MOVE_TO_CHAT_APP", SILENT, id="chat-app-a-whatsapp-one"),
    # "check WhatsApp" for what was sent there is the steer; "turn on two-step" is advice (the review of 2026-12-06)
    row("Evri: Check WhatsApp - our agent has messaged you to arrange the £1.45 redelivery fee", "MOVE_TO_CHAT_APP", FIRES,
        "WhatsApp", id="chat-app-check-whatsapp-for-our-agent"),
    # pay at a web address (red-team round 327)
    row("To avoid a PCN please re-pay your parking £3.60 at parkpay-council.uk/bay14 within 30 minutes.", "LINK_CALL_TO_ACTION",
        FIRES, "re-pay your parking £3.60 at parkpay-council.uk/bay14", id="cta-re-pay-your-parking-at"),
    row("I'll pay you back at the weekend, promise", "LINK_CALL_TO_ACTION", SILENT, id="cta-pay-you-back-at-the-weekend"),
    row("the balance of £540 is due by 3 July. Pay in your booking account at hebdenholidaycottages.co.uk or by phone.",
        "LINK_CALL_TO_ACTION", SILENT, id="cta-pay-in-your-booking-account-at"),
    row("Pay £3.20 by 23:59 tonight to stop escalation to enforcement - merseyflow-payments.uk", "LINK_CALL_TO_ACTION", FIRES,
        "Pay £3.20 by 23:59 tonight to stop escalation to enforcement - merseyflow-payments.uk", id="cta-pay-sum-dash-link"),
    row("Pay £20 for the tickets - see you at the match!", "LINK_CALL_TO_ACTION", SILENT, id="cta-pay-sum-dash-no-link"),
]

# The family WhatsApp row may fire at 0.8 today; keep it honest: a group chat mention is not a red flag alone,
# so it must at least not make the verdict alarming (checked below).


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_callback_flag(text, flag, expect, span, at):
    check_row(patterns(), text, flag, expect, span, at)


VERDICTS = [
    # a call back to a premium-rate line about a parcel (round 739); a way to pay is no claim to be the bank (round 747)
    verdict_row("Sorry I missed you earlier!! Please call me back on 0909 879 0633 its about the parcel you were expecting, need to sort it today. Thanks Dave",
                ("scam", "suspicious"), id="call-back-premium-line-parcel"),
    verdict_row("Window cleaner round Thurs £18 as usual. Leave cash under the mat or pay on Monzo: monzo.me/leewindows/18  Ta, Lee",
                NOT_ALARMING, id="pay-on-monzo-link-is-a-way-to-pay"),
    verdict_row("Win a family break! Calls to 0909 879 0633 cost £1.50/min, lines close Friday.", NOT_ALARMING,
                id="premium-competition-line-no-call-back"),
    verdict_row("Can you call me back when you're free? It's about the car", NOT_ALARMING, id="friend-call-back"),
    verdict_row("I'll put the photos in the family WhatsApp group", NOT_ALARMING, id="family-group"),
    verdict_row("Dr Patel's surgery: please call us on 0161 496 0123 to book your blood test", NOT_ALARMING,
                id="gp-call"),
]


@pytest.mark.parametrize(("text", "verdicts"), VERDICTS)
def test_callback_verdict(text, verdicts):
    check_verdict(text, verdicts)
