"""Threat flags: legal action, fines and debts, disconnection, alarming account activity."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, NOT_ALARMING, SILENT, check_row, check_verdict, patterns, row, verdict_row

ROWS = [
    # THREAT_LEGAL_ACTION
    row("If you do not pay, a court order will be issued today", "THREAT_LEGAL_ACTION", FIRES, "court order",
        id="legal-court-order"),
    row("There is a warrant for your arrest", "THREAT_LEGAL_ACTION", FIRES, "warrant for", id="legal-warrant"),
    row("Officers will come and you will be arrested", "THREAT_LEGAL_ACTION", FIRES, "be arrested",
        id="legal-arrested"),
    row("A case is being built against you by our legal team", "THREAT_LEGAL_ACTION", FIRES,
        "A case is being built against you", 0, id="legal-case-built"),
    row("Bailiffs will be sent to your address", "THREAT_LEGAL_ACTION", FIRES, "Bailiffs", 0, id="legal-bailiffs"),
    row("Legal proceedings start tomorrow unless you settle", "THREAT_LEGAL_ACTION", FIRES, "Legal proceedings", 0,
        id="legal-proceedings"),
    row("I booked the tennis court for 6, bring your racket", "THREAT_LEGAL_ACTION", SILENT, id="legal-tennis"),
    row("Meet you in the food court at the Arndale", "THREAT_LEGAL_ACTION", SILENT, id="legal-food-court"),
    row("The court case on the telly last night was gripping", "THREAT_LEGAL_ACTION", SILENT, id="legal-telly"),
    # THREAT_FINE_OR_PENALTY
    row("You owe £1,284 in unpaid tax", "THREAT_FINE_OR_PENALTY", FIRES, "You owe", 0, id="fine-you-owe"),
    row("A penalty of £100 has been applied to your account", "THREAT_FINE_OR_PENALTY", FIRES, "penalty of", id="fine-penalty"),
    row("You will be fined £80 if this is not paid", "THREAT_FINE_OR_PENALTY", FIRES, "will be fined", id="fine-fined"),
    row("I'm feeling fine thanks, how about you?", "THREAT_FINE_OR_PENALTY", SILENT, id="fine-feeling-fine"),
    row("That's fine, see you at 8", "THREAT_FINE_OR_PENALTY", SILENT, id="fine-thats-fine"),
    # THREAT_DISCONNECTION
    row("Your broadband will be disconnected within 24 hours", "THREAT_DISCONNECTION", FIRES,
        "broadband will be disconnected", id="disc-broadband"),
    row("Your account has been suspended", "THREAT_DISCONNECTION", FIRES, "account has been suspended",
        id="disc-suspended"),
    row("Check your car is locked before bed", "THREAT_DISCONNECTION", SILENT, id="disc-car-locked"),
    row("Your national insurance number will be suspended", "THREAT_DISCONNECTION", FIRES, "number will be suspended", id="disc-ni"),
    row("The bridge is closed until further notice", "THREAT_DISCONNECTION", SILENT, id="disc-bridge"),
    row("Swimming lessons are cancelled this week", "THREAT_DISCONNECTION", SILENT, id="disc-swimming"),
    row("Your subscription has expired. Renew now to keep watching", "THREAT_DISCONNECTION", FIRES,
        "subscription has expired", id="disc-subscription-expired"),
    row("Confirm your details by Friday to avoid cancellation of your order", "THREAT_DISCONNECTION", FIRES,
        "to avoid cancellation", id="disc-avoid-cancellation"),
    row("My gym membership ran out so I'm walking instead", "THREAT_DISCONNECTION", SILENT, id="disc-gym"),
    row("Your iCloud is full and your photos will be deleted", "THREAT_DISCONNECTION", FIRES,
        "photos will be deleted", id="disc-photos-deleted"),
    row("Your card's been blocked", "THREAT_DISCONNECTION", FIRES, "card's been blocked", id="disc-apostrophe"),
    # the sender's own card is their excuse, not a threat to the reader
    row("Mum, my card's been blocked", "THREAT_DISCONNECTION", SILENT, id="disc-senders-own-card"),
    # the sms_train split's account locks (2026-12-06, sixteenth session)
    row("We regret to inform you that your card is now locked.", "THREAT_DISCONNECTION", FIRES, "card is now locked",
        id="disc-is-now-locked"),
    row("For security reason we had to locked your account.", "THREAT_DISCONNECTION", FIRES, "we had to locked your account",
        id="disc-we-had-to-lock"),
    row("We've locked your bike to the railings outside", "THREAT_DISCONNECTION", SILENT, id="disc-locked-your-bike"),
    row("Security Alert: verify your account to avoid permanent lock", "THREAT_DISCONNECTION", FIRES,
        "to avoid permanent lock", id="disc-avoid-permanent-lock"),
    row("Renew now for £48 or collections will stop in January.", "THREAT_DISCONNECTION", FIRES, "collections will stop",
        id="disc-collections-will-stop"),
    row("The museum's collections will move to the new wing in May", "THREAT_DISCONNECTION", SILENT,
        id="disc-museum-collections"),
    # ALARM_ACCOUNT_ACTIVITY
    row("We detected suspicious activity on your account", "ALARM_ACCOUNT_ACTIVITY", FIRES, "suspicious activity",
        id="alarm-suspicious"),
    row("Your card has been cloned and used in Manchester", "ALARM_ACCOUNT_ACTIVITY", FIRES, "card has been cloned", id="alarm-cloned"),
    row("An order of £549.99 has been placed on your account", "ALARM_ACCOUNT_ACTIVITY", FIRES, "order of £549.99 has been placed", id="alarm-order"),
    row("Someone has been trying to use your card in London", "ALARM_ACCOUNT_ACTIVITY", FIRES, "Someone has been trying to use", id="alarm-someone"),
    row("A payment of $48 was made. If you didn't authorise this transaction, follow the link to cancel",
        "ALARM_ACCOUNT_ACTIVITY", FIRES, "payment of $48 was made", id="alarm-if-not-you-follow"),
    row("We detected a fraudulent withdrawal on your account", "ALARM_ACCOUNT_ACTIVITY", FIRES,
        "fraudulent withdrawal", id="alarm-withdrawal"),
    row("A new payee was added to your account. If this wasn't you, call us on 0113 496 0123",
        "ALARM_ACCOUNT_ACTIVITY", FIRES, "If this wasn't you, call", id="alarm-new-payee-call"),
    row("New sign-in from an iPhone. Not you? Secure your account at secure-login.help", "ALARM_ACCOUNT_ACTIVITY",
        FIRES, "Not you? Secure", id="alarm-not-you-secure"),
    row("If this wasn't you, call the number on the back of your card", "ALARM_ACCOUNT_ACTIVITY", SILENT,
        id="alarm-not-you-back-of-card"),
    row("Was this you? If not, tap 'Not me' in your banking app", "ALARM_ACCOUNT_ACTIVITY", SILENT,
        id="alarm-not-me-in-app"),
    row("The dog is acting strange today, off his food", "ALARM_ACCOUNT_ACTIVITY", SILENT, id="alarm-dog"),
    row("Geico: Account may compromised. Please review", "ALARM_ACCOUNT_ACTIVITY", FIRES, "Account may compromised",
        id="alarm-may-be-compromised"),
    row("The account may be closed next year if unused", "ALARM_ACCOUNT_ACTIVITY", SILENT, id="alarm-may-be-closed"),
    row("If you don't recognise it, call the number on the back of your card", "ALARM_ACCOUNT_ACTIVITY", SILENT,
        id="alarm-genuine-back-of-card"),
    row("I have videos of you from your webcam. Pay or they go to your contacts", "THREAT_EXPOSURE", FIRES,
        "videos of you from your webcam", id="exposure-webcam-videos"),
    row("You can pay by card now or we'll post the final bill.", "THREAT_EXPOSURE", SILENT, id="exposure-not-a-bill"),
    row("Oi you owe me £12.50 for Friday's pizza", "THREAT_FINE_OR_PENALTY", SILENT, id="fine-friend-owes"),
    row("I made some edits of u that look very real. Send £200 on PayPal or they go to all ur followers", "THREAT_EXPOSURE",
        FIRES, "edits of u that look very real. Send", id="exposure-deepfake-edits"),
    row("all your followers will see them unless you pay two hundred", "THREAT_EXPOSURE", FIRES,
        "all your followers will see them", id="exposure-followers-will-see"),
    row("Chinese Embassy London: You are implicated in a money laundering case in China.", "THREAT_LEGAL_ACTION", FIRES,
        "implicated in a money laundering case", id="legal-implicated-in-case"),
    row("Dad I've been charged £100 fine for the bus lane, can you help me pay it?", "THREAT_FINE_OR_PENALTY", SILENT,
        id="fine-writers-own"),
    # THREAT_EXPOSURE: blackmail, not a bill
    row("I've got your screenshots. £500 keeps me quiet.", "THREAT_EXPOSURE", FIRES, "keeps me quiet", id="exposure-quiet"),
    row("Pay the £350 in the next hour or the rest go out to your contacts.", "THREAT_EXPOSURE", FIRES,
        "Pay the £350 in the next hour or the rest go out", id="exposure-rest-go-out"),
    row("I've hacked your phone and recorded you through your camera. Pay £300 in bitcoin.", "THREAT_EXPOSURE", FIRES,
        "I've hacked your phone", id="exposure-hacked"),
    row("Send me the photos from the wedding or I'll never forgive you haha", "THREAT_EXPOSURE", SILENT,
        id="exposure-wedding-photos"),
    row("Fill in the form, send it back and then they'll ring you to confirm the details before they send it.",
        "THREAT_EXPOSURE", SILENT, id="exposure-solicitor-form"),
    # THREAT_FINE_OR_PENALTY: parking and penalty charge notices
    row("Parking Services: a PCN has been issued to your vehicle.", "THREAT_FINE_OR_PENALTY", FIRES,
        "PCN has been issued", id="fine-pcn-issued"),
    row("Thanks for parking with RingGo. Your session ends at 14:30.", "THREAT_FINE_OR_PENALTY", SILENT,
        id="fine-parking-session"),
    row("Parking Services: your vehicle was parked without a permit. PCN ref PKF28712. Pay online.",
        "THREAT_FINE_OR_PENALTY", FIRES, "PCN ref PKF28712", id="fine-pcn-ref"),
    # THREAT_DISCONNECTION: deliveries stopped
    row("Your deliveries have been stopped due to a missing street code on the label.", "THREAT_DISCONNECTION", FIRES,
        "deliveries have been stopped", id="disconnect-deliveries-stopped"),
    row("We know about your affair. Pay £2,000 in Bitcoin to the wallet below or your wife finds out.",
        "THREAT_EXPOSURE", FIRES, "or your wife finds out", id="exposure-wife-finds-out"),
    row("I have your photos. If you don't want your family and friends to see them, you will pay me £500.",
        "THREAT_EXPOSURE", FIRES, "If you don't want your family and friends to see them, you will pay me £500",
        id="exposure-if-you-dont-want"),
    row("If anyone threatens to send your photos to your family unless you pay, do not pay: call 101.",
        "THREAT_EXPOSURE", SILENT, id="exposure-police-advice"),
    row("Tidy your room or your dad will see the mess when he's back", "THREAT_EXPOSURE", SILENT,
        id="exposure-tidy-room"),
    row("I hacked your phone and have your contacts. I'll share your browsing history with all of them unless you send £300.",
        "THREAT_EXPOSURE", FIRES, "share your browsing history", id="exposure-browsing-history"),
    # Red-team rounds 11-12: the blackmailer's deadline in its own turn, "I'm sending" as well as "I'll send"
    row("Then pay two hundred on PayPal in the next hour. Don't tell anyone or I post straight away.",
        "THREAT_EXPOSURE", FIRES, "or I post straight away", id="exposure-or-i-post"),
    row("you pay or i'm sending the video to your wife and your friends", "THREAT_EXPOSURE", FIRES,
        "pay or i'm sending the video to", id="exposure-im-sending"),
    row("Can you send me the pics from Saturday? Or I post mine tonight, whichever", "THREAT_EXPOSURE", SILENT,
        id="exposure-friends-pics"),
    # Red-team round 50: the set-up call's threat
    row("a case officer will call you back this afternoon and if you miss the call the case will go to the magistrate",
        "THREAT_LEGAL_ACTION", FIRES, "case will go to the magistrate", id="legal-case-goes-to-magistrate"),
    row("She sits as a magistrate on Tuesdays, so book the meeting for Wednesday", "THREAT_LEGAL_ACTION", SILENT,
        id="legal-magistrate-as-a-job"),
    # Red-team rounds 62 and 67: a bill is not a threat; "we won't charge you" denies the charge
    row("Dental reminder: there is an outstanding balance of £26.80 for your check-up. Please pay at reception.",
        "THREAT_FINE_OR_PENALTY", SILENT, id="threat-outstanding-balance-is-a-bill"),
    row("Any payments due today might not be paid. We won't charge you for unpaid payments.", "THREAT_FINE_OR_PENALTY", SILENT,
        id="threat-wont-charge-for-unpaid"),
    row("You have an unpaid toll of £2.50. Pay today to avoid a penalty.", "THREAT_FINE_OR_PENALTY", FIRES, "unpaid toll",
        id="threat-unpaid-toll"),
    row("Payment declined. We declined this because your card is frozen. Unfreeze your card in the app if you want to try again.",
        "THREAT_DISCONNECTION", SILENT, id="disconnection-card-you-froze"),
    # Red-team round 97: sextortion that names a password and the victim's contacts
    row("Pay 0.05 BTC or I send it to your whole contact list. 48 hours.", "THREAT_EXPOSURE", FIRES,
        "or I send it to your whole contact list", id="exposure-whole-contact-list"),
    row("I know your password is swordfish22. Send £500 in bitcoin within two days.", "THREAT_EXPOSURE", FIRES,
        "I know your password is", id="exposure-knows-password"),
    row("Do you know your password is saved in the browser? Turn that off.", "THREAT_EXPOSURE", SILENT,
        id="exposure-password-saved-advice"),
    row("Hiya I'm at the Trafford Centre and my bank card's been frozen, can you send me £15 for the tram?",
        "THREAT_DISCONNECTION", SILENT, id="disconnection-writers-own-card"),
    row("British Gas: your supply will be cut off at 6pm unless the balance is paid.", "THREAT_DISCONNECTION", FIRES,
        "supply will be cut off", id="disconnection-supply-cut-off"),
    # THREAT_LEGAL_ACTION: prison as a threat, not a place someone is
    row("Pay the outstanding amount today or you will go to prison", "THREAT_LEGAL_ACTION", FIRES, "go to prison",
        id="legal-go-to-prison"),
    row("It's the government website, send money to someone in prison, you need my prison number", "THREAT_LEGAL_ACTION",
        SILENT, id="legal-someone-in-prison"),
    # a parcel held is no service cut off; the writer's own frozen account is their excuse, not a threat to yours
    row("ur parcel is on hold due to incomplete address. update here: parcl-redeliver.com/uk", "THREAT_DISCONNECTION",
        SILENT, id="disconnection-parcel-on-hold"),
    row("I need the £900 today by bank transfer to my partner's account as my own account is frozen while I'm offshore",
        "THREAT_DISCONNECTION", SILENT, id="disconnection-writers-own-account-frozen"),
    row("Your account has been frozen. Verify your identity to restore access.", "THREAT_DISCONNECTION", FIRES,
        "account has been frozen", id="disconnection-your-account-frozen-still"),
    # the writer's own late fee in a "Hi Mum" story is no penalty on you
    row("Need £480 for the rent by 5 or im getting a late fee. Can you send to my flatmate?", "THREAT_FINE_OR_PENALTY",
        SILENT, id="fine-writers-own-late-fee"),
    row("Pay today or a late fee of £25 will be added to your account", "THREAT_FINE_OR_PENALTY", FIRES, "late fee",
        id="fine-late-fee-on-you-still"),
    row("your residents parking permit has expired and your vehicle may be clamped. Renew immediately",
        "THREAT_FINE_OR_PENALTY", FIRES, "vehicle may be clamped", id="fine-vehicle-may-be-clamped"),
    row("The car park will be closed on Sunday so the van can't be towed in until Monday", "THREAT_FINE_OR_PENALTY",
        SILENT, id="fine-towed-in-chat"),
    row("Your Pension Credit will be paid 4 weekly in arrears into your account", "THREAT_FINE_OR_PENALTY", SILENT,
        id="fine-paid-in-arrears"),
    row("TV Licensing: your licence renews on 1 March. You don't need to do anything if you pay by Direct Debit.",
        "UNORDERED_CHARGE_OR_RENEWAL", SILENT, id="renewal-your-own-no-action-needed"),
    row("TfL: the Elizabeth line is suspended between Paddington and Abbey Wood this morning", "THREAT_DISCONNECTION", SILENT,
        id="disconnection-elizabeth-line-suspended"),
    # your own renewal that failed is no charge you never made (audit 2026-12-06)
    row("Your Prime membership could not be renewed. Update your card to keep your benefits", "UNORDERED_CHARGE_OR_RENEWAL",
        SILENT, id="unordered-renewal-failed"),
    # a council service stopped (red-team round 108); a bank holiday's changed collection day is no threat
    row("Your garden waste subscription has not been renewed and your brown bin will not be emptied from Monday.",
        "THREAT_DISCONNECTION", FIRES, "bin will not be emptied", id="disconnection-bin-not-emptied"),
    row("Bank holiday: your bins will be collected on Saturday this week instead of Friday.", "THREAT_DISCONNECTION",
        SILENT, id="disconnection-bins-collected-saturday"),
    # (red-team round 327)
    row("To avoid a PCN please re-pay your parking £3.60 at parkpay-council.uk/bay14 within 30 minutes.", "THREAT_FINE_OR_PENALTY",
        FIRES, "avoid a PCN", id="fine-avoid-a-pcn"),
    row("Your PCN appeal was successful and no payment is due", "THREAT_FINE_OR_PENALTY", SILENT, id="fine-pcn-appeal-won"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_threat_flag(text, flag, expect, span, at):
    check_row(patterns(), text, flag, expect, span, at)


VERDICTS = [
    verdict_row("Fancy a game on the tennis court on Saturday?", NOT_ALARMING, id="tennis-court"),
    verdict_row("Your library books are overdue, please return them when you can", NOT_ALARMING, id="library"),
    verdict_row("HMRC: a court order will be issued today. Pay immediately", "scam", id="authority-threat-urgency"),
    verdict_row("I know what you've been watching. Send £400 to the account below by Friday or I'll post the "
                "screenshots on your Facebook.", ("scam", "suspicious"), id="exposure-verdict"),
]


@pytest.mark.parametrize(("text", "verdicts"), VERDICTS)
def test_threat_verdict(text, verdicts):
    check_verdict(text, verdicts)
