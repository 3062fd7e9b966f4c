"""The urgency flag: pressure to act at once."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, NOT_ALARMING, SILENT, check_row, check_verdict, patterns, row, verdict_row

ROWS = [
    # a deadline at midnight (the audit of round 737); the account "you pay now" describes, it does not rush (the audit of round 736)
    row("Your 2,400 points expire at midnight tonight.", "URGENCY", FIRES, "expire at midnight", id="urgency-expire-at-midnight"),
    row("It's the same account you pay now, nothing changes on your side.", "URGENCY", SILENT, id="urgency-the-account-you-pay-now"),
    row("If you pay now we'll keep her overnight and you can collect in the morning.", "URGENCY", FIRES, "pay now", id="urgency-if-you-pay-now"),
    row("The full forty one thousand lands in your bank within forty eight hours.",
        "URGENCY", SILENT, id="urgency-payout-time"),
    # round 458: when a payment will arrive is no pressure
    row("once they've approved it in the portal it'll go within the hour", "URGENCY", SILENT, id="urgency-itll-go-within-hour"),
    row("you must approve it within the hour or it's cancelled", "URGENCY", FIRES, "within the hour", id="urgency-approve-within-hour"),
    # round 446: a case "settled today", a "closing date of today", advice against delaying; a bill settled last week is news
    row("so we can settle it today on the phone and that'll close the case", "URGENCY", FIRES, "settle it today",
        id="urgency-settle-it-today"),
    row("there's a closing date of today on the case", "URGENCY", FIRES, "closing date of today", id="urgency-closing-today"),
    row("i'd strongly advise against delaying as the penalty grows", "URGENCY", FIRES, "advise against delaying",
        id="urgency-advise-against-delaying"),
    row("You settled it last week, so the case is closed", "URGENCY", SILENT, id="urgency-settled-last-week"),
    # "if we don't receive payment today" (round 444); a payment received today is news, not pressure
    row("if we don't receive payment today the visits will stop", "URGENCY", FIRES, "if we don't receive payment today",
        id="urgency-unless-paid-today"),
    row("We received your payment today, thank you", "URGENCY", SILENT, id="urgency-payment-received-today"),
    row("I'll read you the direct debit guarantee: you're entitled to a full and immediate refund", "URGENCY", SILENT,
        id="urgent-direct-debit-guarantee"),
    row("URGENT: your account needs attention", "URGENCY", FIRES, "URGENT", 0, id="urgent-caps"),
    row("You must act immediately", "URGENCY", FIRES, "immediately", 13, id="immediately"),
    row("Final notice before enforcement", "URGENCY", FIRES, "Final notice", 0, id="final-notice"),
    row("Pay £3.20 by 23:59 tonight to stop escalation", "URGENCY", FIRES, "by 23:59 tonight", 10, id="urgent-by-2359-tonight"),
    row("The shop is open till 23:59 on Fridays", "URGENCY", SILENT, id="urgent-open-till-2359"),
    row("You pay it the same way you pay your rent now, the Allpay card or the council website", "URGENCY", SILENT,
        id="urgent-the-way-you-pay-now"),
    row("Respond within 24 hours or lose access", "URGENCY", FIRES, "within 24 hours", id="within-hours"),
    row("Legal action starts today", "URGENCY", FIRES, "starts today", id="starts-today"),
    row("This is your last chance to claim", "URGENCY", FIRES, "last chance", id="last-chance"),
    row("Pay by midnight to avoid a penalty", "URGENCY", FIRES, "by midnight", id="by-midnight"),
    row("Call us back now on 0161 496 0000", "URGENCY", FIRES, "Call us back now", id="call-back-now"),
    row("Your reward expires tonight", "URGENCY", FIRES, "expires tonight", id="expires-tonight"),
    row("No rush, get back to me in your own time", "URGENCY", SILENT, id="no-rush"),
    row("See you next week for the quiz", "URGENCY", SILENT, id="next-week"),
    row("I know it's now or never for the garden", "URGENCY", SILENT, id="now-or-never-chat"),
    # ... while "if you do not request..." is still the customer's condition, not the sender's denial
    row("If you do not request this code secure your account IMMEDIATELY", "URGENCY", FIRES, "IMMEDIATELY",
        id="urgency-if-you-did-not-request-this-code"),
    # a notice that gives you two weeks is not a hurry (bailiffs, PCNs); a day or three still is
    row("Contact us within 16 days to avoid an enforcement visit.", "URGENCY", SILENT, id="urgency-sixteen-days-is-not"),
    row("Pay within 2 days or your account will be closed.", "URGENCY", FIRES, "within 2 days", id="urgency-two-days"),
    # a time given as information is no hurry (red-team round 299's explanation audit)
    row("Royal Mail: Your parcel from AUNTIE PAT is due today between 11:05-13:05.", "URGENCY", SILENT,
        id="urgency-delivery-slot-due-today-between"),
    row("Your invoice is due today or we will pass it to our collections team", "URGENCY", FIRES, "due today",
        id="urgency-due-today-still"),
    row("Your parking permit for zone SH expires on 28/02. Renew online at bristol.gov.uk.", "URGENCY", SILENT,
        id="urgency-expires-on-a-date"),
    row("Your new card will be with you in a few days.", "URGENCY", SILENT, id="urgency-in-a-few-days"),
    row("If you've paid in the last day or two please ignore this reminder", "URGENCY", SILENT,
        id="urgency-in-the-last-day-or-two"),
    row("Today is the last day to claim your refund", "URGENCY", FIRES, "last day", id="urgency-last-day-still"),
    # a code's validity is no hurry (genuine-message audit)
    row("Your one-time passcode is 309144. It expires in 10 minutes. Never share it.", "URGENCY", SILENT,
        id="urgency-code-validity"),
    row("I'll ring you in 10 mins when I'm off the bus", "URGENCY", SILENT, id="urgency-ill-ring-you-in"),
    row("You can ring the urgent dental service on 111 out of hours", "URGENCY", SILENT, id="urgency-nhs-service-name"),
    # a lapse in the past sets no deadline (audit 2026-12-06); one about to happen does
    row("my railcard expired last month so I paid full fare", "URGENCY", SILENT, id="urgency-expired-last-month"),
    row("Your card details have expired. Update them today to keep your account", "URGENCY", FIRES, "expired", id="urgency-expired-update-today"),
    # the place lost unless you pay now (round 314)
    row("Just need the deposit before Fri or we'll have to give the shift to someone else", "URGENCY", FIRES,
        "or we'll have to give the shift to someone else", id="urgency-give-the-shift-to-someone-else"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_urgency_flag(text, flag, expect, span, at):
    check_row(patterns(), text, flag, expect, span, at)


VERDICTS = [
    verdict_row("urgent", NOT_ALARMING, id="urgent-alone"),
    verdict_row("URGENT!! Can you ring me back when you get this, it's about Gran's party", NOT_ALARMING,
                id="urgent-family"),
    verdict_row("Please reply asap, need to know numbers for Saturday", NOT_ALARMING, id="asap-party"),
]


@pytest.mark.parametrize(("text", "verdicts"), VERDICTS)
def test_urgency_verdict(text, verdicts):
    check_verdict(text, verdicts)
