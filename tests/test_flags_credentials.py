"""Credential flags (card and bank details, one-time codes, PINs, identity details) and remote access."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, NOT_ALARMING, SILENT, WEAK, check_row, check_verdict, patterns, row, verdict_row

ROWS = [
    # ASKS_CARD_OR_BANK_DETAILS
    row("Please confirm your card number and expiry date", "ASKS_CARD_OR_BANK_DETAILS", FIRES, "card number",
        id="card-confirm"),
    row("I need your sort code and account number to verify you", "ASKS_CARD_OR_BANK_DETAILS", FIRES,
        "sort code", 12, id="card-sort-code"),
    row("Read me the three digits on the back of the card", "ASKS_CARD_OR_BANK_DETAILS", FIRES, "three digits on the back", id="card-cvv"),
    row("Update your payment details here to avoid suspension", "ASKS_CARD_OR_BANK_DETAILS", FIRES,
        "payment details", id="card-update-payment"),
    row("Your bank details are on the invoice I sent", "ASKS_CARD_OR_BANK_DETAILS", WEAK, id="card-invoice"),
    row("We will never ask for your card details by text", "ASKS_CARD_OR_BANK_DETAILS", SILENT, id="card-never"),
    # ASKS_ONE_TIME_CODE
    row("Read me the code we just sent to your phone", "ASKS_ONE_TIME_CODE", FIRES, "the code we just sent",
        id="otp-read-me"),
    row("Please tell me the 6-digit verification code", "ASKS_ONE_TIME_CODE", FIRES, "verification code", id="otp-tell-me"),
    row("reply with the one-time passcode to cancel the payment", "ASKS_ONE_TIME_CODE", FIRES,
        "one-time passcode", id="otp-reply-with"),
    row("Your code is 123456. Never share it with anyone.", "ASKS_ONE_TIME_CODE", WEAK, id="otp-genuine"),
    row("Can you tell me the code they just sent you?", "ASKS_ONE_TIME_CODE", FIRES, "the code they just sent",
        id="otp-code-they-sent"),
    row("If this wasn't you, read the code we sent you to our agent when they call", "ASKS_ONE_TIME_CODE", FIRES,
        "the code we sent", id="otp-if-not-you-read-it"),
    row("If this wasn't you, give the code to our adviser when they call", "ASKS_ONE_TIME_CODE", FIRES,
        "the code to our adviser", id="otp-give-to-adviser"),
    row("you'll get a code in a sec, can you forward it to me?", "ASKS_ONE_TIME_CODE", FIRES, "you'll get a code",
        id="otp-forward-it"),
    row("If you didn't request this code, ignore this message", "ASKS_ONE_TIME_CODE", SILENT, id="otp-ignore"),
    row("could you log in to your online banking and read me the code they send?", "ASKS_FOR_YOUR_BANKS_CODE", FIRES,
        "online banking and read me the code they send", id="bankcode-log-in-read-me"),
    row("Your bank will send you a text to confirm the payment - type the code into your banking app",
        "ASKS_FOR_YOUR_BANKS_CODE", SILENT, id="bankcode-type-into-own-app"),
    row("You'll get a code by text - type it into the app to finish", "ASKS_ONE_TIME_CODE", SILENT,
        id="otp-type-into-app"),
    row("Your Monzo verification code is 551234. Don't share this code with anyone, not even us.",
        "ASKS_ONE_TIME_CODE", WEAK, id="otp-genuine-bank"),
    row("You will get a code on your phone to cancel it, read it to me", "ASKS_ONE_TIME_CODE", FIRES,
        "a code on your phone", id="otp-code-on-your-phone"),
    row("The dress code is smart casual", "ASKS_ONE_TIME_CODE", SILENT, id="otp-dress-code"),
    row("Write your social security number on the form", "ASKS_ONE_TIME_CODE", SILENT, id="otp-not-ssn"),
    row("Send us the 16 digit codes from the cards", "ASKS_ONE_TIME_CODE", SILENT, id="otp-not-16-digit"),
    # ASKS_PIN_OR_PASSWORD
    row("To verify you I need your PIN", "ASKS_PIN_OR_PASSWORD", FIRES, "PIN", 26, id="pin-need"),
    row("Confirm your online banking password below", "ASKS_PIN_OR_PASSWORD", FIRES, "password", id="pin-password"),
    row("Can you tell me your memorable word?", "ASKS_PIN_OR_PASSWORD", FIRES, "memorable word", id="pin-memorable"),
    row("I forgot my password again, can you reset the wifi?", "ASKS_PIN_OR_PASSWORD", WEAK, id="pin-forgot"),
    row("Pin the poster on the noticeboard", "ASKS_PIN_OR_PASSWORD", WEAK, id="pin-poster"),
    row("We will never ask for your PIN", "ASKS_PIN_OR_PASSWORD", SILENT, id="pin-never"),
    # ASKS_PERSONAL_DETAILS
    row("Confirm your National Insurance number and date of birth", "ASKS_PERSONAL_DETAILS", FIRES,
        "National Insurance number", id="personal-ni"),
    row("What is your mother's maiden name?", "ASKS_PERSONAL_DETAILS", FIRES, "mother's maiden name",
        id="personal-maiden"),
    row("Gran's date of birth is on the form for the GP", "ASKS_PERSONAL_DETAILS", WEAK,
        id="personal-birthday-chat"),
    row("Santander: your new debit card is on its way. You'll get your PIN separately.", "ASKS_PIN_OR_PASSWORD", SILENT,
        id="pin-arrives-separately"),
    row("Please send £340 to my landlord, sort code 20-45-77, account 41234567", "ASKS_CARD_OR_BANK_DETAILS", SILENT,
        id="bank-details-given-not-asked"),
    # REMOTE_ACCESS_SOFTWARE (group remote_access)
    row("Go to anydesk.com and download the program", "REMOTE_ACCESS_SOFTWARE", FIRES, "Go to anydesk.com and download", 0,
        id="remote-anydesk"),
    row("Please install TeamViewer so I can fix it", "REMOTE_ACCESS_SOFTWARE", FIRES, "TeamViewer",
        id="remote-teamviewer"),
    row("Let me access your computer to remove the virus", "REMOTE_ACCESS_SOFTWARE", FIRES, "access your computer",
        id="remote-access-your-computer"),
    row("Download the app to track your order", "REMOTE_ACCESS_SOFTWARE", WEAK, id="remote-download-app-weak"),
    row("Nice weather for a walk", "REMOTE_ACCESS_SOFTWARE", SILENT, id="remote-none"),
    row("Now log into your online banking so I can refund you", "REFUND_NEEDS_ACCESS", FIRES,
        "log into your online banking so I can", id="remote-online-banking-so-i-can"),
    row("Type in w w w dot support dot me", "REMOTE_ACCESS_SOFTWARE", FIRES, "Type in w w w dot", id="remote-spoken-url"),
    row("Hackers have got into your internet connection", "TECH_SUPPORT_ALARM", FIRES, "Hackers have got into your internet", id="tech-hackers-got-in"),
    # TECH_SUPPORT_ALARM (group remote_access)
    row("Your computer has been infected with a virus", "TECH_SUPPORT_ALARM", FIRES, "Your computer has been infected", id="tech-infected"),
    row("Your router is sending us error messages", "TECH_SUPPORT_ALARM", FIRES, "Your router is sending us error messages", id="tech-router-errors"),
    row("Windows has detected malware on your PC", "TECH_SUPPORT_ALARM", FIRES, "malware on", id="tech-malware"),
    row("maam your windows license is expired and hackers are getting in", "TECH_SUPPORT_ALARM", FIRES,
        "windows license is expired", id="tech-licence-expired"),
    row("press the windows key and r then type e v e n t v w r", "TECH_SUPPORT_ALARM", FIRES, "e v e n t v w r",
        id="tech-event-viewer-spelled"),
    row("I've had a stomach virus all week", "TECH_SUPPORT_ALARM", SILENT, id="tech-stomach-virus"),
    row("my TV licence has expired, I need to renew it", "TECH_SUPPORT_ALARM", SILENT, id="tech-tv-licence"),
    # DELIVERY_ADDRESS_PROBLEM (group credentials: it fishes for details behind a link)
    row("Your package cannot be delivered due to an incomplete address. Update your address here",
        "DELIVERY_ADDRESS_PROBLEM", FIRES, "incomplete address", id="address-incomplete"),
    row("The courier could not deliver: the shipping information is missing a house number",
        "DELIVERY_ADDRESS_PROBLEM", FIRES, "missing a house number", id="address-missing-number"),
    row("I've moved! Please update your address book with my new flat", "DELIVERY_ADDRESS_PROBLEM", SILENT,
        id="address-book"),
    # ASKS_ONE_TIME_CODE: someone else's code on your phone, to be passed on
    row("sorry, I put your number in by accident and now a code has gone to you. Can you send me it?",
        "ASKS_ONE_TIME_CODE", FIRES, "a code has gone to you. Can you send me", id="otp-gone-to-you"),
    row("my phone's playing up, a text will come through with a code from PayPal, it's mine, forward it over will you",
        "ASKS_ONE_TIME_CODE", FIRES, "a code from PayPal, it's mine, forward it over", id="otp-forward-it-over"),
    row("can you send me the code when it comes", "ASKS_ONE_TIME_CODE", FIRES, "send me the code when it comes",
        id="otp-when-it-comes"),
    row("PayPal: We've sent you a one-time code. Please read it to our agent when they call you.", "ASKS_ONE_TIME_CODE",
        FIRES, "read it to our agent when", id="otp-read-to-agent"),
    row("An advisor will call you to take it, do not share it with anyone else.", "ASKS_ONE_TIME_CODE", FIRES,
        "advisor will call you to take it", id="otp-advisor-takes-it"),
    row("HSBC: When they ask, read out the code in our next text.", "ASKS_ONE_TIME_CODE", FIRES,
        "read out the code in our next text", id="otp-when-they-ask"),
    row("Your code is 482913. Don't forward it to anyone.", "ASKS_ONE_TIME_CODE", SILENT, id="otp-dont-forward"),
    row("Your appointment is booked for Tuesday. We'll call you the day before to confirm it.", "ASKS_ONE_TIME_CODE",
        SILENT, id="otp-call-to-confirm-appointment"),
    row("Your engineer visit code is 4471. Give it to our engineer when they arrive so you know it's really us.",
        "ASKS_ONE_TIME_CODE", SILENT, id="otp-engineer-visit-code"),
    row("Send me the reference number when it arrives and I'll chase the council.", "ASKS_ONE_TIME_CODE", SILENT,
        id="otp-reference-number-arrives"),
    row("Your parcel is ready. We'll call you to collect it at the depot from Monday.", "ASKS_ONE_TIME_CODE", SILENT,
        id="otp-collect-parcel"),
    row("Your friend code is JAM-4471: pass it on and you both get £10 off.", "ASKS_ONE_TIME_CODE", SILENT,
        id="otp-referral-pass-it-on"),
    row("What's the wifi code at yours? Text it to me when you're back", "ASKS_ONE_TIME_CODE", SILENT,
        id="otp-wifi-code-text-it-to-me"),
    row("Can you send me the tracking number when it arrives?", "ASKS_ONE_TIME_CODE", SILENT, id="otp-tracking-number"),
    row("If anyone asks you to read out the code in our text, hang up.", "ASKS_ONE_TIME_CODE", SILENT,
        id="otp-if-anyone-asks"),
    # DETAILS_BY_REPLY: card or log-in secrets by text, whatever site the text names
    row("Royal Mail: a £1.99 fee is due on your parcel. Reply with your card number to pay. Track at royalmail.com",
        "DETAILS_BY_REPLY", FIRES, "Reply with your card number", id="reply-card-number"),
    row("Santander: to keep your account open, reply with your online banking passcode.", "DETAILS_BY_REPLY", FIRES,
        "reply with your online banking passcode", id="reply-passcode"),
    row("We will never ask you to reply with your card number or PIN.", "DETAILS_BY_REPLY", SILENT,
        id="reply-never"),
    row("Send me your sort code and account number and I'll transfer the £40 for the tickets", "DETAILS_BY_REPLY",
        SILENT, id="reply-sort-code-to-be-paid"),
    row("someone typed your number by mistake, can you read me the whatsapp code", "ASKS_ONE_TIME_CODE", FIRES,
        "whatsapp code", id="otp-whatsapp-code"),
    row("i have connected to your computer now you will see my mouse moving do not touch the mouse",
        "REMOTE_ACCESS_SOFTWARE", FIRES, "i have connected to your computer", id="remote-connected-no-tool"),
    row("Is your computer connected to the internet at the moment?", "REMOTE_ACCESS_SOFTWARE", SILENT,
        id="remote-connected-question"),
    row("i had a thing come up on the computer and it said call this number, error code zero x eight zero",
        "TECH_SUPPORT_ALARM", FIRES, "come up on the computer and it said call this number", id="alarm-popup-number"),
    # APPROVE_TO_CANCEL: approving a payment "to reverse it"
    row("you'll get a notification in your app asking you to approve a payment please press approve that's how the "
        "system reverses it", "APPROVE_TO_CANCEL", FIRES, "press approve that's how the system reverses", id="approve-reverses"),
    row("To cancel the fraudulent transfer, approve the request in your banking app now.", "APPROVE_TO_CANCEL", FIRES,
        "To cancel the fraudulent transfer, approve the request", id="approve-to-cancel-first"),
    row("Please confirm this payment in your app to complete your purchase at Currys.", "APPROVE_TO_CANCEL", SILENT,
        id="approve-genuine-3ds"),
    row("If this was you, approve it in the app. If not, tap decline and we'll block your card.", "APPROVE_TO_CANCEL",
        SILENT, id="approve-or-decline-genuine"),
    # EXPLAINS_AWAY_WARNING: "it says never share this code, but that's not for us"
    row("it'll say something like never share this code but that's for people outside the bank you can read it to me",
        "EXPLAINS_AWAY_WARNING", FIRES, "it'll say something like never share this code but that's for",
        id="explains-away-code-warning"),
    row("Ignore the bit about never sharing it, that doesn't apply to us.", "EXPLAINS_AWAY_WARNING", FIRES,
        "that doesn't apply to us", id="explains-away-doesnt-apply"),
    row("The text will say never share this code with anyone, and that includes me, so please don't read it out.",
        "EXPLAINS_AWAY_WARNING", SILENT, id="explains-warning-genuine"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_credentials_flag(text, flag, expect, span, at):
    check_row(patterns(), text, flag, expect, span, at)


VERDICTS = [
    verdict_row("Your code is 123456. Never share it", NOT_ALARMING, id="genuine-otp"),
    verdict_row("Your Barclays code is 847213. We will never call you to ask for this code.", NOT_ALARMING,
                id="genuine-bank-otp"),
    verdict_row("Barclays: we will call you shortly. Please read the code we just sent you to the adviser",
                ("scam", "suspicious"), id="bank-otp-request"),
    verdict_row("Microsoft support: your computer is infected. Install AnyDesk so we can fix it", "scam",
                id="tech-support-remote"),
    verdict_row("Royal Mail: a £1.99 fee is due on your parcel. Reply with your card number to pay. Track at "
                "royalmail.com", ("scam", "suspicious"), id="reply-card-number-beside-official-link"),
]


@pytest.mark.parametrize(("text", "verdicts"), VERDICTS)
def test_credentials_verdict(text, verdicts):
    check_verdict(text, verdicts)
