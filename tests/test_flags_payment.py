"""Payment flags: vouchers and their codes, crypto, safe accounts, couriers, transfers, small fees."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, NOT_ALARMING, SILENT, WEAK, check_row, check_verdict, patterns, row, verdict_row

ROWS = [
    row("Royal Mail: please ignore texts asking you to pay a redelivery fee by link - we never do this.",
        "PAYMENT_SMALL_FEE", SILENT, id="fee-warning-about-texts"),
    row("A processing fee of £45 is needed to release your winnings.", "PAYMENT_SMALL_FEE", FIRES,
        "processing fee of £45", id="fee-release-winnings"),
    # PAYMENT_GIFT_CARDS
    row("You must buy iTunes vouchers to the value of £900", "PAYMENT_GIFT_CARDS", FIRES, "buy iTunes vouchers",
        id="gift-itunes-vouchers"),
    row("Go to Tesco and get Google Play cards worth £500", "PAYMENT_GIFT_CARDS", FIRES, "Google Play cards",
        id="gift-google-play"),
    row("the fine can be settled in Steam gift cards", "PAYMENT_GIFT_CARDS", FIRES, "settled in Steam gift cards",
        id="gift-steam"),
    row("pay with Amazon vouchers from the shop", "PAYMENT_GIFT_CARDS", FIRES, "pay with Amazon vouchers", id="gift-amazon-vouchers"),
    row("You need to purchase some vouchers and keep the receipt", "PAYMENT_GIFT_CARDS", FIRES,
        "purchase some vouchers", id="gift-purchase-vouchers"),
    row("buy 4 x £100 i.T.u.n.e.s cards now", "PAYMENT_GIFT_CARDS", FIRES, "i.T.u.n.e.s cards", id="gift-obfuscated"),
    row("I bought a gift card for Sam as a birthday present", "PAYMENT_GIFT_CARDS", SILENT, id="gift-birthday"),
    row("Got you a John Lewis gift card for Christmas x", "PAYMENT_GIFT_CARDS", SILENT, id="gift-christmas"),
    row("Thanks for the Amazon voucher, very kind of you", "PAYMENT_GIFT_CARDS", SILENT, id="gift-thanks"),
    row("I paid with my Visa card at the till", "PAYMENT_GIFT_CARDS", SILENT, id="gift-visa-debit-card"),
    row("I paid for it through Amazon last week", "PAYMENT_GIFT_CARDS", SILENT, id="gift-paid-through-amazon"),
    row("you can pay it in iTunes today", "PAYMENT_GIFT_CARDS", FIRES, "pay it in iTunes", id="gift-pay-in-itunes"),
    row("Download our app on Google Play or the App Store", "PAYMENT_GIFT_CARDS", SILENT, id="gift-app-download"),
    row("You can pay the fine in iTunes", "PAYMENT_GIFT_CARDS", FIRES, "pay the fine in iTunes", 8,
        id="gift-pay-in-itunes"),
    row("Buy a Vanilla prepaid card and load £200 on it", "PAYMENT_GIFT_CARDS", FIRES, "Vanilla prepaid card",
        id="gift-vanilla-prepaid"),
    row("IT: a phishing email pretending to be the CEO is asking staff to buy gift cards. It's fake.",
        "PAYMENT_GIFT_CARDS", SILENT, id="gift-warning-about-phishing"),
    row("Your Amazon code is 482913. Don't share it with anyone.", "PAYMENT_GIFT_CARDS", SILENT,
        id="gift-amazon-sign-in-code"),
    row("Amazon code: 551204 - use it to sign in", "PAYMENT_GIFT_CARDS", SILENT, id="gift-amazon-code-colon"),
    row("go and buy two Amazon codes and read them to me", "PAYMENT_GIFT_CARDS", FIRES, "Amazon codes",
        id="gift-amazon-codes-bought"),
    # VOUCHER_CODES_REQUESTED
    row("When I call back you will read me the codes on the back", "VOUCHER_CODES_REQUESTED", FIRES,
        "read me the codes on the back", id="codes-read-me"),
    row("scratch off the silver panel and text the numbers to me", "VOUCHER_CODES_REQUESTED", FIRES,
        "scratch off the silver", id="codes-scratch"),
    row("send us the 16 digit codes from the cards", "VOUCHER_CODES_REQUESTED", FIRES, "send us the 16 digit codes from the cards", id="codes-send-us"),
    row("Give me the codes on each voucher", "VOUCHER_CODES_REQUESTED", FIRES, "Give me the codes on each voucher", id="codes-give-each"),
    row("The door codes are on the back of the fridge", "VOUCHER_CODES_REQUESTED", SILENT, id="codes-door"),
    # PAYMENT_CRYPTO
    row("Deposit the cash into the Bitcoin machine at the newsagent", "PAYMENT_CRYPTO", FIRES, "Bitcoin machine",
        id="crypto-atm"),
    row("send 0.05 BTC to this wallet address", "PAYMENT_CRYPTO", FIRES, "BTC", id="crypto-btc"),
    row("transfer your savings to our crypto platform", "PAYMENT_CRYPTO", FIRES, "crypto platform",
        id="crypto-platform"),
    row("Did you watch the documentary about bitcoin last night?", "PAYMENT_CRYPTO", WEAK, id="crypto-chat"),
    row("the iPhone 15 is still available £350. I'm working away so can't meet, pay by bank transfer and I'll post it",
        "PAYMENT_OFF_PLATFORM", FIRES, "can't meet, pay by bank transfer", id="off-platform-cant-meet"),
    row("Can't meet this week sorry, just pay by bank transfer when you see me at the match", "PAYMENT_OFF_PLATFORM",
        SILENT, id="off-platform-friends"),
    row("A courier will be collecting your card from your address this afternoon", "PAYMENT_COURIER_COLLECTION", FIRES,
        "courier will be collecting your card", id="courier-collecting-card"),
    row("The courier will be collecting your parcel between 2 and 4pm", "PAYMENT_COURIER_COLLECTION", SILENT,
        id="courier-collecting-parcel"),
    row("Please call us now and we'll move your money somewhere safe", "PAYMENT_SAFE_ACCOUNT", FIRES,
        "move your money somewhere safe", id="safe-account-somewhere-safe"),
    row("Visa sponsorship guaranteed. Processing fee £1,200. WhatsApp me for details.", "PAYMENT_SMALL_FEE", FIRES,
        "Processing fee £1,200", id="fee-processing-statement"),
    row("A courier from our team will collect the money from your door", "PAYMENT_COURIER_COLLECTION", FIRES,
        "courier from our team will collect", id="courier-from-our-team"),
    row("I'll give you a temporary sort code and account number in the name of our processing partner",
        "PAYMENT_SAFE_ACCOUNT", FIRES, "temporary sort code", id="safe-account-temporary-sort-code"),
    row("nobody from Halifax will ever ask you to move money to keep it safe", "PAYMENT_SAFE_ACCOUNT", SILENT,
        id="safe-account-never-ask-long"),
    # PAYMENT_SAFE_ACCOUNT
    row("Before I release it, have you been told by anyone to move money to keep it safe?", "PAYMENT_SAFE_ACCOUNT",
        SILENT, id="safe-account-protective-question"),
    row("You must move your money to a safe account today", "PAYMENT_SAFE_ACCOUNT", FIRES,
        "move your money to a safe account", id="safe-account"),
    row("We will transfer your funds into a secure holding account", "PAYMENT_SAFE_ACCOUNT", FIRES, "transfer your funds into a secure holding account",
        id="safe-holding"),
    row("Transfer all your savings to the new account we have set up for you", "PAYMENT_SAFE_ACCOUNT", FIRES, "Transfer all your savings to the new account",
        id="safe-new-account-set-up"),
    row("We will never ask you to move money to a safe account.", "PAYMENT_SAFE_ACCOUNT", SILENT,
        id="safe-genuine-warning"),
    row("Your new account is ready to use in the app", "PAYMENT_SAFE_ACCOUNT", SILENT, id="safe-new-account-ready"),
    # PAYMENT_COURIER_COLLECTION
    row("A courier will come to your home and collect the cards", "PAYMENT_COURIER_COLLECTION", FIRES, "A courier will come to your home and collect",
        id="courier-collect"),
    row("Put the cash in an envelope and hand it to our officer", "PAYMENT_COURIER_COLLECTION", FIRES,
        "Put the cash in an envelope", 0, id="courier-envelope"),
    row("Withdraw £3,000 in cash and our courier will collect it", "PAYMENT_COURIER_COLLECTION", FIRES, "Withdraw £3,000 in cash",
        id="courier-withdraw"),
    row("Withdraw the cash and give it to the officer who comes round", "PAYMENT_COURIER_COLLECTION", FIRES, "Withdraw the cash",
        id="courier-withdraw-give"),
    row("The courier left the parcel with next door", "PAYMENT_COURIER_COLLECTION", SILENT, id="courier-parcel"),
    row("Take out four thousand pounds and an officer will come round to collect it", "PAYMENT_COURIER_COLLECTION",
        FIRES, "Take out four thousand pounds", 0, id="courier-take-out-amount"),
    # PAYMENT_UNUSUAL_TRANSFER
    row("Send the money by Western Union to the agent", "PAYMENT_UNUSUAL_TRANSFER", FIRES, "Western Union",
        id="transfer-wu"),
    row("Pay the fine today by bank transfer to the account below", "PAYMENT_UNUSUAL_TRANSFER", FIRES, "Pay the fine today",
        id="transfer-pay-fine"),
    row("I'll transfer the money for the concert tickets tonight", "PAYMENT_UNUSUAL_TRANSFER", WEAK,
        id="transfer-friend"),
    # PAYMENT_SMALL_FEE
    row("Your parcel is waiting. Pay the £1.45 redelivery fee here", "PAYMENT_SMALL_FEE", FIRES, "redelivery fee",
        id="fee-redelivery"),
    row("A customs charge of £2.99 must be paid before delivery", "PAYMENT_SMALL_FEE", FIRES, "customs charge",
        id="fee-customs"),
    row("Your parcel will arrive tomorrow, there is no fee to pay", "PAYMENT_SMALL_FEE", SILENT, id="fee-none"),
    # ASKS_FOR_MONEY
    row("Can you send me £850 for the rent, I'll pay you back tomorrow", "ASKS_FOR_MONEY", FIRES,
        "Can you send me £", 0, id="money-can-you-send"),
    row("could you pay this bill for me, my banking app is locked", "ASKS_FOR_MONEY", FIRES, "could you pay this", id="money-bill"),
    row("Can you send me the photos from the wedding?", "ASKS_FOR_MONEY", WEAK, id="money-photos"),
    row("I'm in trouble and I need £400 for rent by tonight", "ASKS_FOR_MONEY", FIRES, "I need £400",
        id="money-i-need-amount"),
    # PAYMENT_CHANGED_BANK_DETAILS: a payee's "new account" is the redirection scam; the warning about it is not
    row("Greenfield Windows has changed banks. Your remaining balance of £2,140 should now go to our new account.",
        "PAYMENT_CHANGED_BANK_DETAILS", FIRES, "changed banks", id="changed-bank-firm"),
    row("Our system was hacked so our bank details have changed. Please send the deposit to the account below.",
        "PAYMENT_CHANGED_BANK_DETAILS", FIRES, "our bank details have changed", id="changed-bank-details-have-changed"),
    row("Due to a change of bank provider, please pay this month's fees to our new account: 60-09-14 44027719",
        "PAYMENT_CHANGED_BANK_DETAILS", FIRES, "pay this month's fees to our new account", id="changed-bank-new-account"),
    row("We will never change our bank details by email or text. If a message says they have changed, ring us.",
        "PAYMENT_CHANGED_BANK_DETAILS", SILENT, id="changed-bank-warning"),
    row("If anything says the bank details have changed, ring the office on the number on the letterhead.",
        "PAYMENT_CHANGED_BANK_DETAILS", SILENT, id="changed-bank-if-anything"),
    row("Thanks, paid you the £40 for the tickets by bank transfer", "PAYMENT_CHANGED_BANK_DETAILS", SILENT,
        id="changed-bank-plain-transfer"),
    row("yes that's right we've moved client accounts to a different bank, can I take your name",
        "PAYMENT_CHANGED_BANK_DETAILS", FIRES, "moved client accounts to a different bank", id="changed-bank-moved-accounts"),
    row("Mum's asked me to take over the flats. The rent needs to go to my account from now on.",
        "PAYMENT_CHANGED_BANK_DETAILS", FIRES, "rent needs to go to my account from now on", id="changed-bank-rent-to-me"),
    row("The rent goes to the same account as always, standing order on the 1st.", "PAYMENT_CHANGED_BANK_DETAILS",
        SILENT, id="changed-bank-same-account"),
    # PAYMENT_FOR_UNSEEN_RENTAL: a deposit for a home nobody will show you
    row("I'm working in Dubai so I can't do viewings. Pay the deposit and I'll post you the keys.",
        "PAYMENT_FOR_UNSEEN_RENTAL", FIRES, "post you the keys", id="rental-abroad-post-keys"),
    row("Many people want it so first person to pay the deposit gets it.", "PAYMENT_FOR_UNSEEN_RENTAL", FIRES,
        "first person to pay the deposit gets it", id="rental-first-to-pay"),
    row("Sorry, I can't do viewings this week, I'm away. Could we say Tuesday the 14th at 6?",
        "PAYMENT_FOR_UNSEEN_RENTAL", SILENT, id="rental-viewing-rearranged"),
    row("Lovely to meet you at the viewing. The holding deposit is one week's rent, paid to our client account.",
        "PAYMENT_FOR_UNSEEN_RENTAL", SILENT, id="rental-after-viewing"),
    # PAYMENT_OFF_PLATFORM: paying outside the site you found it on
    row("Airbnb fees are high, so if you pay me directly by bank transfer I'll knock 10% off the cottage",
        "PAYMENT_OFF_PLATFORM", FIRES, "pay me directly by bank transfer I'll knock 10% off", id="off-platform-airbnb"),
    row("Happy to post the item, just send the money PayPal friends and family", "PAYMENT_OFF_PLATFORM", FIRES,
        "PayPal friends and family", id="off-platform-paypal-ff"),
    row("Dinner was £38 each, send it PayPal friends and family when you can x", "PAYMENT_OFF_PLATFORM", SILENT,
        id="off-platform-bill-split"),
    row("The first month's rent and deposit must be sent before I can book you in for a viewing.",
        "PAYMENT_FOR_UNSEEN_RENTAL", FIRES, "first month's rent and deposit must be sent before I can book you in for a viewing",
        id="rental-before-viewing"),
    row("Hi mate, can you pay the balance into my wife's account this time? Mine's frozen.",
        "PAYMENT_CHANGED_BANK_DETAILS", FIRES, "pay the balance into my wife's account", id="changed-bank-wifes-account"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_payment_flag(text, flag, expect, span, at):
    check_row(patterns(), text, flag, expect, span, at)


VERDICTS = [
    verdict_row("I bought you a Love2Shop gift card for your birthday, hope you like it!", NOT_ALARMING,
                id="gift-card-birthday"),
    verdict_row("We will never ask you to move money to a safe account. If anyone does, hang up and call 159.",
                NOT_ALARMING, id="genuine-bank-never-move"),
    verdict_row("Buy Google Play cards and read me the codes on the back", "scam", id="vouchers-and-codes"),
    verdict_row("This is your bank. Move your savings to a safe account now to protect them", "scam",
                id="bank-safe-account"),
    verdict_row("Hi, the flat on Clarence Rd is still available. I'm working abroad so can't show it in person, but if you "
                "send the £650 deposit by bank transfer I'll post you the keys.", ("scam", "suspicious"), id="rental-verdict"),
    verdict_row("This is Fresh Start Removals. Our bank details are different now. Please send the deposit for your "
                "move to our new account below.", ("scam", "suspicious"), id="changed-bank-verdict"),
]


@pytest.mark.parametrize(("text", "verdicts"), VERDICTS)
def test_payment_verdict(text, verdicts):
    check_verdict(text, verdicts)
