"""Reassurance flags (negative weights): genuine messages warn you and send you to the official route."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, NOT_ALARMING, SILENT, check_row, check_verdict, patterns, row, verdict_row

ROWS = [
    # a hospital's reminder: rebook by phone, "Not you? Reply WRONG" (round 775)
    row("Appt reminder - Fracture Clinic, Thu 12 Jun 09:20. Reply 1 to confirm or 2 to cancel. To rebook call 0117 496 0821.",
        "CALL_ONLY_TO_REARRANGE", FIRES, "To rebook call", id="rearrange-to-rebook-call"),
    row("Delivery failed. To rebook please call our local agent on 020 7946 0731 with your card ready, a £1.99 charge applies.",
        "CALL_ONLY_TO_REARRANGE", SILENT, id="rearrange-rebook-with-a-charge"),
    # the promise in other languages (round 727)
    row("Nigdy nie prosimy o podanie PIN-u ani hasła.", "REASSURANCE_NEVER_ASKS", FIRES, "Nigdy nie prosimy", id="never-asks-polish"),
    row("Niciodată nu vă vom cere parola sau codul.", "REASSURANCE_NEVER_ASKS", FIRES, "Niciodată nu vă vom cere", id="never-asks-romanian"),
    row("ہم آپ سے کبھی بھی بینک کی تفصیلات نہیں مانگیں گے۔", "REASSURANCE_NEVER_ASKS", FIRES,
        "ہم آپ سے کبھی بھی بینک کی تفصیلات نہیں مانگیں گے", id="never-asks-urdu"),
    # a known number to check new bank details on (round 741)
    row("Before paying to the new account, ring Karen in the office on the number on your original quote and she'll confirm them.",
        "REASSURANCE_OFFICIAL_ROUTE", FIRES, "ring Karen in the office on the number on your original quote",
        id="official-route-number-on-original-quote"),
    row("Ring me on the number at the bottom of this message to confirm the new account.",
        "REASSURANCE_OFFICIAL_ROUTE", SILENT, id="official-route-number-in-this-message"),
    # an attempted log-in is no route (round 732)
    row("We've blocked an attempt to log in to your online banking from a new computer in Romania.",
        "REASSURANCE_OFFICIAL_ROUTE", SILENT, id="official-route-attempt-to-log-in"),
    # a conveyancer on its own account (round 721)
    row("We will never change our bank details by email or phone. If you get a message saying our account has changed, it's fraud.",
        "REASSURANCE_NEVER_ASKS", FIRES, "We will never change our bank details", id="never-asks-never-change-our-bank-details"),
    # Spanish, "we will never ask you for a payment" (round 714)
    row("Nunca le pediremos un pago por esta cita.",
        "REASSURANCE_NEVER_ASKS", FIRES, "Nunca le pediremos", id="never-asks-spanish-pediremos"),
    row("You don't need to deal with the council at all, there's just a one off administration fee of ninety five pounds to open the claim.",
        "REASSURANCE_NEVER_ASKS", SILENT, id="never-asks-theres-just-a-fee"),
    # a fraud team stopping a safe-account scam the customer describes (round 665)
    row("That was not Santander. What you've described is a scam. I'm going to cancel this payment now so the money stays in your account.",
        "BANK_STOPS_THE_PAYMENT", FIRES, "What you've described is a scam", id="r665a"),
    # a council officer who takes no card details on outbound calls (round 675)
    row("I can post you a mandate form, i dont take card details on these outbound calls",
        "REASSURANCE_NEVER_ASKS", FIRES, "i dont take card details on these outbound calls", id="r675a"),
    # Urdu in Latin letters: a mother hung up on an "HMRC" call (round 633)
    row("Bhai aaj ammi ko ek call aayi thi ke HMRC se hain aur arrest warrant nikla hai. Ammi ne kuch nahi bataya, phone kaat diya. Maine 159 pe bhi report kar diya.",
        "RETELLS_A_SCAM", FIRES, "phone kaat diya", id="retells-urdu-phone-kaat-diya"),
    # a Chinese mother retelling an "embassy" call (round 618)
    row("今天早上有个人打电话给我，说是大使馆的，要我们把钱转到安全账户。我说要先问问你爸，他就挂了。妈，这是骗子！",
        "RETELLS_A_SCAM", FIRES, "他就挂了", id="retells-chinese-hung-up"),
    # the payment, then "Is this you? Reply YES or NO" (round 603)
    row("Santander: please confirm card activity. GBP 58.20 at STEAM PURCHASE 07/12 21:43. Is this you? Reply YES or NO.",
        "PAYMENT_QUESTION_BY_REPLY", FIRES, "GBP 58.20 at STEAM PURCHASE 07/12 21:43. Is this you? Reply YES", id="payment-question-is-this-you"),
    row("Santander: GBP 58.20 at STEAM. Is this you? If not call 0161 496 0123 now",
        "PAYMENT_QUESTION_BY_REPLY", SILENT, id="payment-question-is-this-you-call"),
    # rent to the account the tenancy agreement gives (round 575)
    row("Your rent of £1,150.00 has not been received. Please pay to the client account shown on your tenancy agreement and let us know once done.",
        "REASSURANCE_OFFICIAL_ROUTE", FIRES, "pay to the client account shown on your tenancy agreement", id="rent-to-account-on-tenancy"),
    # a victim telling a friend what happened (round 573)
    row("Paid £350 deposit by bank transfer. Seller's blocked me. Rang the bank on 159, they've started a claim.",
        "RETELLS_A_SCAM", FIRES, "Seller's blocked me", id="retell-seller-blocked-me"),
    row("and you can check i'm who i say i am put the phone down and ring one zero one ask for me by name",
        "RETELLS_A_SCAM", SILENT, id="retell-not-an-instruction"),
    # a friend's warning about a rental deposit (round 573)
    row("Don't pay anything till you've seen it in person. That's exactly how Lauren lost her deposit last year.",
        "WARNS_ABOUT_A_SCAM", FIRES, "That's exactly how Lauren lost", id="warn-thats-how-she-lost"),
    # a branch's Banking Protocol check (round 569)
    row("If we're concerned we sometimes ask the police to come in and speak to customers, under something called the Banking Protocol.",
        "BANK_STOPS_THE_PAYMENT", FIRES, "Banking Protocol", id="branch-banking-protocol"),
    # a friend's story of a safe-account call (round 531)
    row("Said my account was compromised and I had to move my savings to a new safe account today. I said I'd ring back, hung up and dialled 159. Real bank said it was a scam.",
        "RETELLS_A_SCAM", FIRES, "hung up and dialled 159", id="retells-hung-up-dialled-159"),
    row("And please, don't mention this call to anyone, not even me over email.",
        "REASSURANCE_NEVER_ASKS", SILENT, id="never-asks-not-even-me-secrecy"),
    # a friend who says not to pass the code on (round 494)
    row("Babe did you just get a WhatsApp code? DON'T send it to anyone, not even me, just delete it.",
        "REASSURANCE_NEVER_ASKS", FIRES, "DON'T send it to anyone", id="never-asks-friend-code"),
    row("a code just came to u meant for me, send it to me but don't send it to anyone else", "REASSURANCE_NEVER_ASKS",
        SILENT, id="never-asks-anyone-else"),
    # a card issuer's yes-or-no question (round 487); a question with no reply asked for is not it
    row("American Express: Suspicious activity detected on your Card ending 31005. Did you attempt to spend £742.18 at "
        "APPLE.COM/BILL on 02 Oct? Reply 1 for Yes, 2 for No.", "PAYMENT_QUESTION_BY_REPLY", FIRES,
        "Did you attempt to spend £742.18 at APPLE.COM/BILL on 02 Oct? Reply 1", id="payment-question-by-reply"),
    row("Did you pay the window cleaner yet? He came round again", "PAYMENT_QUESTION_BY_REPLY", SILENT,
        id="payment-question-no-reply"),
    # round 455: a retelling's "nearly got done" is a story about a scam
    row("Honestly my nan nearly got done today. A man rang saying he was from the fraud squad", "RETELLS_A_SCAM", FIRES,
        "nearly got done", id="retells-nearly-got-done"),
    row("Honestly I nearly got done for speeding today, the camera flashed", "RETELLS_A_SCAM", SILENT,
        id="retells-got-done-for-speeding"),
    # round 446: "won't show in your online account" sends nobody to it
    row("this liability won't show in your online account until it's been processed", "REASSURANCE_OFFICIAL_ROUTE", SILENT,
        id="official-route-wont-show-in-account"),
    row("You can see the balance in your online account", "REASSURANCE_OFFICIAL_ROUTE", FIRES, "in your online account",
        id="official-route-in-online-account"),
    # a creditor signposting free advice, a payment made in your own PayPal account (round 435)
    row("We have served a Notice of Seeking Possession. Please contact your housing officer or get advice from Shelter or Citizens Advice.",
        "REASSURANCE_OFFICIAL_ROUTE", FIRES, "advice from Shelter", id="official-route-advice-from-shelter"),
    row("Your Pay in 3 payment of £33.33 is overdue. Please make the payment in your PayPal account.", "REASSURANCE_OFFICIAL_ROUTE",
        FIRES, "make the payment in your PayPal account", id="official-route-in-your-paypal-account"),
    row("someone has applied for a loan of £8,000 in your name through your Monzo account", "REASSURANCE_OFFICIAL_ROUTE", SILENT,
        id="official-route-not-a-loan-through-your-account"),
    row("I got some advice from my mate about the car", "REASSURANCE_OFFICIAL_ROUTE", SILENT, id="official-route-advice-from-a-mate"),
    # a friend telling of a scam she nearly fell for (round 427)
    row("And this woman says I need to move everything to a safe account. I very nearly did, Bev. You will not believe what happened to me",
        "RETELLS_A_SCAM", FIRES, "this woman says", id="retells-very-nearly-did"),
    row("I was in the queue with the cards in my basket. The only reason I stopped is the email said 'kindly'. I put the cards back. It was a scam",
        "RETELLS_A_SCAM", FIRES, "The only reason I stopped", id="retells-only-reason-i-stopped"),
    row("You will not believe what happened to me - I won the raffle at the school fair!", "RETELLS_A_SCAM", SILENT,
        id="retells-won-the-raffle"),
    # "check the in-app chat" (round 395); not beside a screen share of your banking (round 397)
    row("Your account has been temporarily restricted. Please check the in-app chat for next steps.",
        "REASSURANCE_OFFICIAL_ROUTE", FIRES, "check the in-app chat", id="official-route-in-app-chat"),
    row("For salary setup log into your online banking on a Zoom screen share with our finance team",
        "REASSURANCE_OFFICIAL_ROUTE", SILENT, id="official-route-not-on-a-screen-share"),
    row("Table for 4 confirmed Sat 14 June. If you need to change anything just give us a ring on 0117 496 0382.",
        "CALL_ONLY_TO_REARRANGE", FIRES, "If you need to change anything", id="rearrange-change-anything"),
    row("Not you? Call the number on your card.", "REASSURANCE_OFFICIAL_ROUTE", FIRES, "the number on your card",
        id="route-number-on-your-card"),
    row("I'll need the long number on your card and the expiry date", "REASSURANCE_OFFICIAL_ROUTE", SILENT,
        id="route-not-the-long-number"),
    # REASSURANCE_NEVER_ASKS
    row("We will never ask you to move money.", "REASSURANCE_NEVER_ASKS", FIRES, "We will never ask you to", 0,
        id="never-move-money"),
    row("Your code is 123456. Never share it", "REASSURANCE_NEVER_ASKS", FIRES, "Never share it", 21,
        id="never-share-code"),
    row("Don't share this code with anyone", "REASSURANCE_NEVER_ASKS", FIRES, "Don't share this code with anyone", id="dont-share-code"),
    row("HMRC will never call you to demand payment", "REASSURANCE_NEVER_ASKS", FIRES, "HMRC will never call you to", id="hmrc-never"),
    row("If you didn't make this request, ignore this message", "REASSURANCE_NEVER_ASKS", FIRES, "If you didn't make this request, ignore", id="if-not-you"),
    row("I never asked for this to happen", "REASSURANCE_NEVER_ASKS", SILENT, id="never-asked-chat"),
    # "there was no answer": what happened at the door, not a denial of the fee that follows (red-team round 361)
    row("the driver came out and there was no answer um to send him out again it's a redelivery charge of three pound fifty",
        "REASSURANCE_NEVER_ASKS", SILENT, id="never-asks-not-no-answer"),
    # "nothing extra, just the card number": the "just" starts the request again (red-team round 354)
    row("so they cannot go up you pay nothing extra just the card number so we can link it to your meter",
        "REASSURANCE_NEVER_ASKS", SILENT, id="never-asks-not-past-just-the"),
    # REASSURANCE_OFFICIAL_ROUTE
    row("Log in to your online banking to check the payment", "REASSURANCE_OFFICIAL_ROUTE", FIRES,
        "Log in to your online banking", 0, id="route-online-banking"),
    row("call the number on the back of your card", "REASSURANCE_OFFICIAL_ROUTE", FIRES,
        "the number on the back of your card", id="route-back-of-card"),
    row("Check it in your HMRC app or at GOV.UK", "REASSURANCE_OFFICIAL_ROUTE", FIRES, "in your HMRC app", id="route-hmrc-app"),
    row("Download our app for exclusive deals", "REASSURANCE_OFFICIAL_ROUTE", SILENT, id="route-not-download"),
    row("Log into your online banking so I can refund you", "REASSURANCE_OFFICIAL_ROUTE", SILENT,
        id="route-not-while-on-the-phone"),
    row("he asked for my password so i hung up", "REASSURANCE_NEVER_ASKS", SILENT, id="never-asks-not-a-story"),
    row("no problem i just need to pass security, what's the four digit pin", "REASSURANCE_NEVER_ASKS", SILENT,
        id="never-asks-no-problem"),
    row("your card was used in Birmingham and someone also tried to log into your online banking",
        "REASSURANCE_OFFICIAL_ROUTE", SILENT, id="route-not-an-attempted-login"),
    # RETELLS_A_SCAM: a story of a scam attempt, told to you
    row("this robot voice said it was h m r c and there was a warrant out for my arrest so i hung up and rang my "
        "daughter she said report it to action fraud so i did", "RETELLS_A_SCAM", FIRES, "i hung up", id="retell-hung-up"),
    row("Mum got one of those dodgy calls about her Amazon account, I walked in and pulled the plug, total scam",
        "RETELLS_A_SCAM", FIRES, "I walked in and pulled the plug", id="retell-pulled-plug"),
    row("some guy saying he's from the irs and i'm gonna be arrested unless i buy target gift cards, i kept him on the "
        "line for ages, total scam", "RETELLS_A_SCAM", FIRES, "some guy saying", id="retell-some-guy"),
    row("If you hang up now the case goes to court and you will be arrested", "RETELLS_A_SCAM", SILENT,
        id="retell-not-a-threat"),
    row("I hung up on the delivery man by mistake, can you ring him back?", "RETELLS_A_SCAM", SILENT,
        id="retell-no-scam-in-it"),
    row("EE: Someone tried to move your number to a new SIM. If this wasn't you, call 150 from your EE phone now.",
        "REASSURANCE_OFFICIAL_ROUTE", FIRES, "call 150 from your EE phone", id="route-network-short-code"),
    row("EE: Someone tried to move your number to a new SIM. If this wasn't you, call 07700 900150 from any phone.",
        "REASSURANCE_OFFICIAL_ROUTE", SILENT, id="route-not-a-full-number"),
    # WARNS_ABOUT_A_SCAM: a warning about a scam going round
    row("UoM: Students have reported fake job offers by text promising £300/day for 'liking videos'. These are scams - "
        "don't reply or pay anything. Forward them to 7726.", "WARNS_ABOUT_A_SCAM", FIRES, "These are scams",
        id="warns-these-are-scams"),
    row("Beware of fake texts about parcel fees going round this week - ignore them.", "WARNS_ABOUT_A_SCAM", FIRES,
        "Beware of fake", id="warns-beware-of-fake"),
    row("These are the tickets for Saturday, they're in the drawer.", "WARNS_ABOUT_A_SCAM", SILENT,
        id="warns-these-are-tickets"),
    row("Police Scotland: Be aware of calls claiming to be from your bank asking you to move money to a 'safe account'. "
        "Banks never do this - hang up and call 159.", "WARNS_ABOUT_A_SCAM", FIRES, "Be aware of calls claiming",
        id="warns-be-aware-of-calls-claiming"),
    row("SU Alert: Students are getting texts saying their Student Finance payment is suspended. Student Finance England "
        "won't text you a link.", "WARNS_ABOUT_A_SCAM", FIRES, "Students are getting texts saying",
        id="warns-students-are-getting-texts"),
    row("Students are getting their results on Thursday, texts will go out at 9am.", "WARNS_ABOUT_A_SCAM", SILENT,
        id="warns-students-results-day"),
    # BANK_STOPS_THE_PAYMENT: a fraud team holding the payment and naming the scam
    row("okay mr reid this has all the signs of an investment scam, i'm not going to release this payment",
        "BANK_STOPS_THE_PAYMENT", FIRES, "this has all the signs of an investment scam", id="bank-stops-signs-of-scam"),
    row("I'd like you to stop talking to this account manager and check the firm on the FCA register yourself.",
        "BANK_STOPS_THE_PAYMENT", FIRES, "stop talking to this account manager", id="bank-stops-account-manager"),
    row("Your payment has been released and should reach the payee within two hours.", "BANK_STOPS_THE_PAYMENT", SILENT,
        id="bank-stops-released"),
    row("She did! We forwarded the number to 7726 and reported it on the Report Fraud website.", "RETELLS_A_SCAM", FIRES,
        "reported it on the Report Fraud", id="retells-reported-on-report-fraud"),
    row("Did I tell you my nan got one of those calls? The HMRC ones. She hung up, it's a scam.", "RETELLS_A_SCAM", FIRES,
        "my nan got one of those calls", id="retells-nan-got-one-of-those"),
    # Red-team round 31: run-on retellings with no speaker labels ("this robot voice goes ...", "some guy rang me")
    row("so this robot voice goes this is h m r c you're going to be arrested press one and i just started laughing",
        "RETELLS_A_SCAM", FIRES, "this robot voice goes", id="retell-robot-voice-goes"),
    row("some guy rang me saying he was from the police and they were sending a courier then i thought hang on the police don't send couriers",
        "RETELLS_A_SCAM", FIRES, "some guy rang", id="retell-some-guy-rang-couriers"),
    row("this is the police, we are sending a courier to collect your card, do not ring your bank", "RETELLS_A_SCAM",
        SILENT, id="retell-not-the-script-itself"),
    # the scammer's own instruction names the app too (red-team round 33)
    row("set it up in your app as a new payee called Secure Holding and move the balance across", "REASSURANCE_OFFICIAL_ROUTE",
        SILENT, id="official-route-new-payee-in-your-app"),
    row("so it's protected and do not log out or call the number on your card the line might be compromised",
        "REASSURANCE_OFFICIAL_ROUTE", SILENT, id="official-route-told-not-to-call-it"),
    # Red-team round 48: the fraud team keeps the payment blocked and names the pattern
    row("the returns on a platform you can't withdraw from is exactly what we see in investment scams, i'm going to keep "
        "this payment blocked", "BANK_STOPS_THE_PAYMENT", FIRES, "exactly what we see in investment scams",
        id="bank-stops-keeps-payment-blocked"),
    row("my son says if they say the register details are out of date that's a red flag", "BANK_STOPS_THE_PAYMENT", SILENT,
        id="bank-stops-customer-says-red-flag"),
    # Red-team round 50: a person's "I would never ask, but" is a plea, not a sender's promise
    row("i promise you i would never ask but i have nobody else you can send it to the agent", "REASSURANCE_NEVER_ASKS", SILENT,
        id="never-asks-a-persons-plea"),
    # Red-team rounds 57 and 58: "don't mention it in the app", "it's not in the app store" send you nowhere official
    row("Just don't mention it in the app or they'll block my listing", "REASSURANCE_OFFICIAL_ROUTE", SILENT,
        id="official-route-dont-mention-it-in-the-app"),
    row("install the protect app its not in the app store its a direct download", "REASSURANCE_OFFICIAL_ROUTE", SILENT,
        id="official-route-not-in-the-app-store"),
    row("Your place on the programme is confirmed. You will never be asked to pay for this programme.", "REASSURANCE_NEVER_ASKS",
        FIRES, "You will never be asked to", id="never-asks-you-will-never-be-asked"),
    row("upload it inside the app where it says verify i'm not going to ask you to send it to me or read anything out",
        "REASSURANCE_NEVER_ASKS", FIRES, "i'm not going to ask you to", id="never-asks-not-going-to-ask-you"),
    row("i got one of them messages on the whatsapp saying hi mum its me this is my new number", "RETELLS_A_SCAM", FIRES,
        "i got one of them messages", id="retells-one-of-them-messages-saying"),
    row("EE: Your PAC code is requested. If this wasn't you, please call 150 now.", "REASSURANCE_OFFICIAL_ROUTE", FIRES, "call 150",
        id="official-route-network-short-code"),
    row("An order for an iPhone has been placed on your account. If this wasn't you reply N and our fraud team will call you shortly.",
        "REASSURANCE_OFFICIAL_ROUTE", SILENT, id="official-route-reply-n-and-we-call-you"),
    row("Please reply Y if you recognise a £214.00 payment to BOOKING.COM today, N if you don't.", "REASSURANCE_OFFICIAL_ROUTE", FIRES,
        "reply Y if you recognise a £214.00 payment to BOOKING.COM today, N", id="official-route-reply-y-if-you-recognise"),
    # Red-team rounds 99-102: the official route named as the app's own menu or your online account
    row("Please log on to the Lloyds app and go to Profile > Check my details before 14 March.", "REASSURANCE_OFFICIAL_ROUTE",
        FIRES, "log on to the Lloyds app", id="route-log-on-to-named-app"),
    row("Please make a payment in your online account within 7 days.", "REASSURANCE_OFFICIAL_ROUTE", FIRES,
        "in your online account", id="route-in-your-online-account"),
    row("To turn off auto-renew go to Settings > Users and Accounts on your console.", "REASSURANCE_OFFICIAL_ROUTE", FIRES,
        "go to Settings", id="route-settings-menu"),
    row("Could you log into your online banking on your phone, and tell me the code it asks for?",
        "REASSURANCE_OFFICIAL_ROUTE", SILENT, id="route-log-in-and-tell-me-the-code"),
    row("Please follow their instructions exactly and don't open the app during the call.", "REASSURANCE_OFFICIAL_ROUTE",
        SILENT, id="route-dont-open-the-app"),
    row("I'm calling about a payment to Coinbase for £3,000. It's on hold while we have a quick chat. Did anyone suggest this to you?",
        "BANK_STOPS_THE_PAYMENT", FIRES, "It's on hold while we have a quick chat", id="bank-stops-on-hold-for-a-chat"),
    row("Your parcel is on hold while we check the address, reply with your postcode", "BANK_STOPS_THE_PAYMENT", SILENT,
        id="bank-stops-parcel-on-hold"),
    # a caller steering you through a transfer in your app is no pointer to the official route (explanation audit)
    row("we need to move them into a new account under your name. I'll walk you through it in your banking app.",
        "REASSURANCE_OFFICIAL_ROUTE", SILENT, id="official-route-not-a-guided-transfer"),
    # a letting agent: "our client account details are in the email ... please ring the office to confirm them before you pay"
    row("Our client account details are on our website - please ring the office to confirm them before you pay.",
        "REASSURANCE_OFFICIAL_ROUTE", FIRES, "ring the office to confirm them", id="official-route-ring-the-office-to-confirm"),
    row("Our new account details are below - ring the office on 07700 900123 to confirm them.", "REASSURANCE_OFFICIAL_ROUTE",
        SILENT, id="official-route-office-number-given"),
    # CALL_ONLY_TO_REARRANGE: a number to change the appointment the text confirms (red-team round 337)
    row("Your mortgage appointment is booked for Sat 18th at 10.30. If you need to change it, give the branch a ring",
        "CALL_ONLY_TO_REARRANGE", FIRES, "If you need to change it", id="rearrange-if-you-need-to-change-it"),
    row("Appointment confirmed for 14 Jan, 3pm. Need to rearrange? Call us", "CALL_ONLY_TO_REARRANGE", FIRES,
        "Need to rearrange", id="rearrange-need-to-question"),
    row("If you can't attend please call the clinic", "CALL_ONLY_TO_REARRANGE", FIRES, "If you can't attend",
        id="rearrange-cannot-attend"),
    row("If you need to change your password, call us now", "CALL_ONLY_TO_REARRANGE", SILENT, id="rearrange-not-a-password"),
    row("We need you to change your payment details today", "CALL_ONLY_TO_REARRANGE", SILENT, id="rearrange-not-payment-details"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_reassurance_flag(text, flag, expect, span, at):
    check_row(patterns(), text, flag, expect, span, at)


def test_reassurance_weights_are_negative():
    from scamshield import rules

    defs = rules.flag_defs()
    assert defs["REASSURANCE_NEVER_ASKS"].weight < 0
    assert defs["REASSURANCE_OFFICIAL_ROUTE"].weight < 0


VERDICTS = [
    verdict_row("Santander: a payment of £42.10 to TESCO was made. If this wasn't you, call the number on the back "
                "of your card. We will never ask you to move money.", NOT_ALARMING, id="genuine-bank-alert"),
    verdict_row("HMRC: your Self Assessment tax return is due by 31 January. File it at www.gov.uk/self-assessment",
                NOT_ALARMING, id="genuine-hmrc-reminder"),
    # an enforcement agent's own notice, sending you to its own site (red-team rounds 347 and 362); the same site beside
    # a request no genuine sender makes still counts
    verdict_row("Marston Holdings: Notice of Enforcement issued for unpaid Council Tax owed to Birmingham City Council, ref "
                "MH4409271. Balance now £423.50. Pay at marstonholdings.co.uk/pay or call 0121 496 0447 within 7 days to "
                "avoid an enforcement agent visit and further fees.", NOT_ALARMING, id="enforcement-notice-own-site"),
    verdict_row("Marston Holdings: a warrant has been issued. To stop the visit reply with your card number and security "
                "code, or pay at marstonholdings.co.uk", ("scam", "suspicious"), id="enforcement-own-site-but-card-by-reply"),
    # a code of your own and nothing asked (red-team round 353); the same code with a number to ring still counts
    verdict_row("Steam verification code: 48213\nEnter this code to confirm your phone number on your Steam account.",
                NOT_ALARMING, id="code-message-with-enter-this-code"),
    verdict_row("Your Steam code is 48213. Not you? Call our security team on 0113 496 0555 now", ("scam", "suspicious"),
                id="code-message-with-a-number-to-ring"),
    verdict_row("Your Amazon code is 482913. An Amazon agent will call you shortly to confirm this code.", ("scam", "suspicious"),
                id="code-message-with-an-agent-to-take-it"),
    verdict_row("Nationwide: your mortgage appointment is booked for Sat 18th at 10.30. If you need to change it, give the "
                "branch a ring on 01423 456 789.", NOT_ALARMING, id="genuine-branch-appointment-number"),
    verdict_row("Santander: your card has been suspended. To rearrange your appointment call 0330 123 4567",
                ("scam", "suspicious"), id="rearrange-beside-a-threat-still-alarms"),
    verdict_row("NHS: your booster is booked. To change your appointment call 0330 123 4567, a £5 admin fee applies",
                ("scam", "suspicious"), id="rearrange-with-a-fee-still-alarms"),
]


@pytest.mark.parametrize(("text", "verdicts"), VERDICTS)
def test_reassurance_verdict(text, verdicts):
    check_verdict(text, verdicts)
