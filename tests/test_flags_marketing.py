"""Marketing flags: they feed the spam score, not the scam score."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, SILENT, check_row, check_verdict, patterns, row, verdict_row

ROWS = [
    # a service letting you stop its own usage alerts or recall reminders is not a sales list (round 760)
    row("You've used 80% of your UK data this month. It resets on the 23rd. To stop usage alerts text STOP to 40506.",
        "MARKETING_OPT_OUT", SILENT, id="opt-out-usage-alerts"),
    row("You're now due your routine check-up. Call us to book. Reply STOP to opt out of recall reminders.",
        "MARKETING_OPT_OUT", SILENT, id="opt-out-recall-reminders"),
    row("You're now due your routine check-up. Call us to book. Reply STOP to opt out.",
        "MARKETING_OPT_OUT", FIRES, "Reply STOP", id="opt-out-plain"),
    # a course's sales line (round 763)
    row("Funded HGV Class 2 training in Leeds - limited places left for June. Find out more at our website.",
        "MARKETING_PROMOTION", FIRES, "limited places left", id="promo-limited-places-left"),
    row("Year 9 trip to Paris: limited to 40 pupils, letters went home today.",
        "MARKETING_PROMOTION", SILENT, id="promo-limited-to-pupils"),
    # a text donation's receipt: "thanks so much for your £10 to ..." (round 720)
    row("Thanks so much for your £10 to Race for Life. Your donation will be added to your phone bill. To opt out reply STOP.",
        "TRANSACTIONAL_RECEIPT", FIRES, "Thanks so much for your £10 to", id="receipt-thanks-for-your-amount-to"),
    row("Your account is £126.19 in credit after the latest price cap change.",
        "MARKETING_PROMOTION", SILENT, id="promo-price-cap-change"),
    row("The council only covers part of it now so there's a top up of a hundred and sixty a week.",
        "MARKETING_PROMOTION", SILENT, id="promo-care-fee-top-up"),
    # a network's top-up offer is still promotion (session 23)
    row("Top up now and get 20% extra data this weekend only.",
        "MARKETING_PROMOTION", FIRES, "Top up", id="promo-top-up-and-get-extra"),
    # a garage's MOT reminder for the reader's own car, by its registration (round 710)
    row("MOT for WF19 XKT due 02 May. Call 0113 496 0740 to book. Pengelly Motors. Reply STOP to opt out",
        "TRANSACTIONAL_RECEIPT", FIRES, "MOT for WF19 XKT", id="receipt-mot-reminder-by-registration"),
    row("MOT due? Book yours today for just £29.99 at Kwik Fit. Reply STOP to opt out",
        "TRANSACTIONAL_RECEIPT", SILENT, id="receipt-mot-advert-no-registration"),
    # a receipt for the reader's own text donation, "£5 text gift" (the audit of round 686)
    row("Thank you so much for your £5 text gift to the Christmas Appeal. Text STOP to 70085 to opt out.",
        "TRANSACTIONAL_RECEIPT", FIRES, "Thank you so much for your £5 text gift", id="receipt-text-gift"),
    # a payday lender's advert shows the representative APR and the FCA risk warning (round 609)
    row("Short of cash before payday? Borrow £300-£1,500 with Paydaynow. Representative 1,100% APR. Late repayment can cause you serious money problems. paydaynow.co.uk STOP to 60012",
        "MARKETING_CREDIT_ADVERT", FIRES, "Representative 1,100% APR", id="r657a"),
    # a logbook lender's shortened "Rep APR" (round 659)
    row("Use your car to borrow up to £5,000 and keep driving it. Your vehicle is at risk if repayments are not made. Rep APR 296.7%. STOP to 88112",
        "MARKETING_CREDIT_ADVERT", FIRES, "Your vehicle is at risk if repayments are not made", id="r657b"),
    row("Your loan repayment of £120 is due on 1 March. Manage it in the app.",
        "MARKETING_CREDIT_ADVERT", SILENT, id="r657c"),
    # a charity's receipt for the reader's own gift (round 609)
    row("Thank you Sarah! Your £15 gift to the RNLI Christmas appeal has arrived. Reply STOP to stop texts from us.",
        "TRANSACTIONAL_RECEIPT", FIRES, "Your £15 gift to the RNLI Christmas appeal has arrived", id="receipt-charity-gift-arrived"),
    row("A £15 gift could keep our crews out on the water this winter - donate at rnli.org",
        "TRANSACTIONAL_RECEIPT", SILENT, id="receipt-charity-gift-ask"),
    # money off the next order (round 609)
    row("Get £10 off your next order over £20 with code HUNGRY10. Ends Sunday.",
        "MARKETING_PROMOTION", FIRES, "£10 off your next order", id="promotion-pounds-off-next-order"),
    row("Sign in with code 483920. It expires in 10 minutes.",
        "MARKETING_PROMOTION", SILENT, id="promotion-sign-in-code"),
    # a text donation's receipt (round 504)
    row("Thank you for texting to give £5 to the British Red Cross Earthquake Appeal. £5 will be added to your phone bill.",
        "TRANSACTIONAL_RECEIPT", FIRES, "Thank you for texting to give £5", id="receipt-text-to-give"),
    # Ofcom's free switching codes (round 503)
    row("Your STAC is STA 702 664. If you want to keep your number, text PAC to 65075 instead.", "PREMIUM_RATE_SERVICE", SILENT,
        id="premium-pac-short-code"),
    row("Your child's dinner money balance is -£4.60. Please top up via the school app (ParentPay).", "MARKETING_PROMOTION",
        SILENT, id="promotion-dinner-money-top-up"),
    # MARKETING_OPT_OUT
    row("Big savings this weekend. Text STOP to 80088 to opt out", "MARKETING_OPT_OUT", FIRES, "Text STOP", id="optout-text-stop"),
    row("Reply STOP to unsubscribe", "MARKETING_OPT_OUT", FIRES, "Reply STOP", 0, id="optout-reply-stop"),
    row("Can't stop thinking about that curry", "MARKETING_OPT_OUT", SILENT, id="optout-cant-stop"),
    row("The bus stop has moved to Green Lane", "MARKETING_OPT_OUT", SILENT, id="optout-bus-stop"),
    # MARKETING_PROMOTION
    row("Summer sale now on: 30% off all garden furniture, shop now", "MARKETING_PROMOTION", FIRES, "30% off",
        id="promo-percent"),
    row("Use code SAVE10 for free delivery", "MARKETING_PROMOTION", FIRES, "Use code", 0, id="promo-code"),
    row("Going for a walk later, want to come?", "MARKETING_PROMOTION", SILENT, id="promo-none"),
    row("Go to the shop now and buy some milk", "MARKETING_PROMOTION", SILENT, id="promo-not-the-shop-now"),
    row("we're in your area this week offering free solar panel surveys to homeowners", "MARKETING_PROMOTION", FIRES,
        "offering free solar panel surveys", id="promo-offering-free-solar-surveys"),
    row("your free annual boiler service is booked for Tuesday", "MARKETING_PROMOTION", SILENT, id="promo-booked-free-service"),
    # TRANSACTIONAL_RECEIPT: a delivery slot with an opt-out from offers at its foot (red-team round 342)
    row("Your Bosch washing machine is out for delivery today between 10:42 and 12:42. You can opt out of offers in My Account.",
        "TRANSACTIONAL_RECEIPT", FIRES, "is out for delivery", id="receipt-out-for-delivery"),
    row("Out for the day, back tomorrow, delivery of the sofa is next week", "TRANSACTIONAL_RECEIPT", SILENT,
        id="receipt-not-a-delivery-slot"),
    # MARKETING_CALL_PITCH: cold sales openings (red-team round 344)
    row("we're just ringing round cos a lot of households in your area are paying more than they need to",
        "MARKETING_CALL_PITCH", FIRES, "a lot of households in your area", id="pitch-households-in-your-area"),
    row("I'm just ringing round about the Year 8 trip to the science museum", "MARKETING_CALL_PITCH", SILENT,
        id="pitch-school-ringing-round"),
    row("What I can do is get one of our surveyors round to measure up, completely free", "MARKETING_CALL_PITCH", FIRES,
        "get one of our surveyors round", id="pitch-surveyor-round"),
    row("we're running a promotion in your postcode this month, forty percent off windows", "MARKETING_CALL_PITCH", FIRES,
        "running a promotion in your postcode", id="pitch-promotion-in-your-postcode"),
    row("Do you own your property, and is your home heated by gas?", "MARKETING_CALL_PITCH", FIRES, "Do you own your property",
        id="pitch-do-you-own-your-property"),
    row("Do you own your own tools or do we need to lend you some?", "MARKETING_CALL_PITCH", SILENT, id="pitch-own-tools"),
    row("We're ringing people over sixty in the Norfolk area about our new fixed-price funeral plans", "MARKETING_CALL_PITCH",
        FIRES, "We're ringing people over sixty in the Norfolk area about", id="pitch-over-sixty-in-the-area"),
    # MARKETING_CLAIMS_MANAGEMENT
    row("still paying off a PCP u never really understood?? u may be owed £££. free check, reply CLAIM. STOP2END",
        "MARKETING_CLAIMS_MANAGEMENT", FIRES, "u may be owed £££. free check", id="claims-free-check-reply-claim"),
    row("Your MOT includes a free check of your tyres and wipers", "MARKETING_CLAIMS_MANAGEMENT", SILENT, id="claims-mot-free-check"),
    row("We've been trying to contact you about your car accident claim. Reply YES for compensation.",
        "MARKETING_CLAIMS_MANAGEMENT", FIRES, "trying to contact you about your car accident claim", id="claims-trying-to-contact-you"),
    row("Mum's been trying to contact you about the car, she's had an accident in the car park - nobody hurt",
        "MARKETING_CLAIMS_MANAGEMENT", SILENT, id="claims-family-car-park-accident"),
    row("about the accident you had recently that wasn't your fault", "MARKETING_CLAIMS_MANAGEMENT", FIRES,
        "accident you had recently that wasn't your fault", id="claims-not-your-fault"),
    row("You could be entitled to £3,200 compensation for mis-sold car finance", "MARKETING_CLAIMS_MANAGEMENT",
        FIRES, "entitled to £3,200 compensation", id="claims-car-finance"),
    row("The insurer agreed the crash was not my fault, so no excess to pay", "MARKETING_CLAIMS_MANAGEMENT",
        SILENT, id="claims-own-words"),
    row("It wasn't your fault, don't worry about the broken vase", "MARKETING_CLAIMS_MANAGEMENT", SILENT,
        id="claims-vase"),
    # PREMIUM_RATE_SERVICE
    row("Call 09061 234567 to claim. Calls cost £1.50/min", "PREMIUM_RATE_SERVICE", FIRES, "£1.50/min",
        id="premium-per-min"),
    row("To claim call 09061234567 now", "PREMIUM_RATE_SERVICE", FIRES, "09061234567", 14, id="premium-09"),
    row("My number is 07700 900123", "PREMIUM_RATE_SERVICE", SILENT, id="premium-mobile"),
    # MARKETING_ADULT_OR_CHAT
    row("Get the latest ringtones sent to your phone", "MARKETING_ADULT_OR_CHAT", FIRES, "ringtones", id="adult-ring"),
    row("Meet local singles tonight, txt DATE to 69911", "MARKETING_ADULT_OR_CHAT", FIRES, "Meet local singles", id="adult-singles"),
    row("Nice wallpaper in the new flat!", "MARKETING_ADULT_OR_CHAT", SILENT, id="adult-real-wallpaper"),
    row("ParentPay: Top up dinner money for Jack by Friday", "MARKETING_PROMOTION", SILENT, id="promo-dinner-money-top-up"),
    row("Your free trial ends on 4 March and becomes a paid plan", "MARKETING_PROMOTION", SILENT, id="promo-your-free-trial"),
    row("You've used 80% of your data. Text STOP to 2020 to stop these alerts.", "MARKETING_OPT_OUT", SILENT,
        id="opt-out-service-alerts"),
    # TRANSACTIONAL_RECEIPT: confirming something the reader did
    row("Thank you for your donation of £10 to the British Heart Foundation. Text STOP to opt out of future messages.",
        "TRANSACTIONAL_RECEIPT", FIRES, "Thank you for your donation", id="receipt-donation"),
    row("Your order has been dispatched and will arrive tomorrow", "TRANSACTIONAL_RECEIPT", FIRES,
        "Your order has been dispatched", id="receipt-order-dispatched"),
    row("Order now and get 20% off your first box", "TRANSACTIONAL_RECEIPT", SILENT, id="receipt-not-an-offer"),
    # TRANSACTIONAL_CODE: a code of your own is a service message (a spam-score reassurance)
    row("WhatsApp code 569-485. Don't share it", "TRANSACTIONAL_CODE", FIRES, "code 569-485", id="code-whatsapp"),
    row("Your Uber code is 2302", "TRANSACTIONAL_CODE", FIRES, "code is 2302", id="code-uber"),
    row("Use code SAVE20 for 20% off", "TRANSACTIONAL_CODE", SILENT, id="code-promo"),
    # a payment cancelled by reply is not an opt-out; a free STOP short code is not premium rate
    row("Halifax: A payment of £1,290.00 to M BROWN is pending. Reply STOP to cancel this payment.",
        "MARKETING_OPT_OUT", SILENT, id="opt-out-not-a-payment-cancel"),
    row("Send STOP to cancel these messages", "MARKETING_OPT_OUT", FIRES, "Send STOP", id="opt-out-stop-to-cancel"),
    row("Boots: 20% off this weekend. Text STOP to 80010 to opt out", "PREMIUM_RATE_SERVICE", SILENT,
        id="premium-not-a-stop-short-code"),
    row("Lloyds: Use code 661204 to approve a payment of £62.50 to THAMES CARE.", "MARKETING_PROMOTION", SILENT,
        id="promo-use-code-is-an-otp"),
    row("Use code SPRING20 for 20% off everything this weekend", "MARKETING_PROMOTION", FIRES, "Use code",
        id="promo-use-code-spring"),
    # Red-team round 25: a benefit "top-up payment" and a prepayment meter top-up are not promotions
    row("You are eligible for a Universal Credit top-up payment of £650.", "MARKETING_PROMOTION", SILENT,
        id="promo-benefit-top-up-payment"),
    row("Top up your gas meter at any PayPoint or in the app", "MARKETING_PROMOTION", SILENT, id="promo-meter-top-up"),
    row("Get 20GB data when you top up £10 this week!", "MARKETING_PROMOTION", FIRES, "top up", id="promo-data-top-up"),
    # Red-team round 25: the car-finance commission claims advert
    row("Did you have car finance before 2021? You could be owed compensation for hidden commission. STOP to opt out",
        "MARKETING_CLAIMS_MANAGEMENT", FIRES, "hidden commission", id="claims-car-finance-hidden-commission"),
    row("Your car finance agreement ends next month. Call us to discuss your options.", "MARKETING_CLAIMS_MANAGEMENT",
        SILENT, id="claims-car-finance-ending"),
    # Red-team round 30: "book early and save", "save up to 30%" are promotions; saving on your own bill is not
    row("Off to see the family this Christmas? Book early and save with Advance fares.", "MARKETING_PROMOTION", FIRES,
        "Book early and save", id="promo-book-early-and-save"),
    row("Save up to 30% on spring breaks, book by Sunday", "MARKETING_PROMOTION", FIRES, "Save up to 30%",
        id="promo-save-up-to"),
    row("Pay by Direct Debit and save 5% on your bill", "MARKETING_PROMOTION", SILENT, id="promo-save-on-your-bill"),
    row("You are due your MMR vaccine. New arrivals to the UK are offered catch-up vaccines free of charge.",
        "MARKETING_PROMOTION", SILENT, id="promo-new-arrivals-to-the-uk"),
    # Red-team round 38: a charity's thanks names the amount; a gift card bought is not a gift received
    row("Crisis: Thank you so much for your £10 gift. This Christmas it will help someone have a warm meal. Reply STOP to opt out.",
        "TRANSACTIONAL_RECEIPT", FIRES, "Thank you so much for your £10 gift", id="receipt-thanks-for-your-gift-amount"),
    row("Thank you for your gift card purchase! Enjoy 20% off your next shop this weekend. Reply STOP to opt out",
        "TRANSACTIONAL_RECEIPT", SILENT, id="receipt-gift-card-purchase-is-not-a-gift"),
    # Red-team round 53: a school's balance reminder asks you to top up where you pay, and lets you stop the reminders
    row("Your child's dinner money balance is £1.20. Please top up on ParentPay (parentpay.com) before Monday.",
        "MARKETING_PROMOTION", SILENT, id="promotion-top-up-on-parentpay"),
    row("Top up £10 and get 5GB extra free this weekend! Reply STOP to opt out", "MARKETING_PROMOTION", FIRES, "Top up",
        id="promotion-top-up-and-get"),
    row("Please top up before Monday. Reply STOP to unsubscribe from balance reminders.", "MARKETING_OPT_OUT", SILENT,
        id="opt-out-balance-reminders"),
    # Red-team rounds 39, 42 and 46: sales calls (a pitch, then "shall I take you off our list?")
    row("No problem at all. Would you like me to take your number off our list?", "MARKETING_CALL_OPT_OUT", FIRES,
        "take your number off our list", id="call-opt-out-off-our-list"),
    row("To book your survey, press 1 now. If you'd prefer not to receive calls from us again, press 9.", "MARKETING_CALL_OPT_OUT",
        FIRES, "If you'd prefer not to receive calls from us again, press 9", id="call-opt-out-press-nine"),
    row("Of course, I'll update your preferences so you won't get sales calls.", "MARKETING_CALL_OPT_OUT", FIRES,
        "won't get sales calls", id="call-opt-out-no-sales-calls"),
    row("We'll call you back tomorrow with the engineer's time slot.", "MARKETING_CALL_OPT_OUT", SILENT, id="call-opt-out-service-call"),
    row("we've got a spring offer on at the moment, twenty-five percent off and a free home survey", "MARKETING_PROMOTION", FIRES,
        "twenty-five percent off", id="promo-spoken-percent-off"),
    row("we've got our new year offer no joining fee and your first month for a tenner", "MARKETING_PROMOTION", FIRES,
        "no joining fee", id="promo-no-joining-fee"),
    row("Your quote is attached, and the survey is booked for Tuesday.", "MARKETING_PROMOTION", SILENT, id="promo-quote-booked"),
    row("Save with a Monthly Saver - 6.25% AER. Open in the app. To stop offers, reply STOP.", "MARKETING_PROMOTION", FIRES,
        "stop offers", id="promo-to-stop-offers"),
    row("UPS: Your package will be delivered today. Text STOP to cancel alerts.", "MARKETING_OPT_OUT", SILENT,
        id="opt-out-courier-alerts"),
    row("Your birthday chicken awaits. Claim it in the app this month. STOP 88402", "MARKETING_OPT_OUT", FIRES, "STOP 88402",
        id="opt-out-stop-short-code"),
    row("Reply 1 for YES or 2 for NO. Reply STOP to cancel fraud alerts by text.", "MARKETING_OPT_OUT", SILENT,
        id="opt-out-of-fraud-alerts"),
    row("You can also opt out or change where you receive security notifications.", "MARKETING_OPT_OUT", SILENT,
        id="opt-out-security-notifications"),
    # Red-team rounds 94 and 96: sales calls' pitches and opt-outs, claims-management cold calls
    row("We're offering solar panels to homeowners in your area this month", "MARKETING_PROMOTION", FIRES,
        "We're offering", id="promo-were-offering"),
    row("We're offering you a refund of £40 for the outage last week", "MARKETING_PROMOTION", SILENT,
        id="promo-offering-you-a-refund"),
    row("life cover from just £6.50 a month with no medical questions", "MARKETING_PROMOTION", FIRES, "from just £6.50",
        id="promo-from-just"),
    row("we've got a special on boiler cover at the moment", "MARKETING_PROMOTION", FIRES, "got a special on",
        id="promo-special-on"),
    row("the first three months half price on any network", "MARKETING_PROMOTION", FIRES, "half price",
        id="promo-half-price"),
    row("Could I post you a brochure? There's no obligation.", "MARKETING_PROMOTION", FIRES, "There's no obligation",
        id="promo-no-obligation"),
    row("No worries, I'll make sure you're not contacted again.", "MARKETING_CALL_OPT_OUT", FIRES,
        "make sure you're not contacted again", id="call-optout-not-contacted-again"),
    row("Do you want me to mark you as don't contact?", "MARKETING_CALL_OPT_OUT", FIRES, "mark you as don't contact",
        id="call-optout-dont-contact"),
    row("Of course, I'll add you to our do-not-call list.", "MARKETING_CALL_OPT_OUT", FIRES,
        "add you to our do-not-call list", id="call-optout-do-not-call-hyphens"),
    row("Shall I stop the renewal reminder calls?", "MARKETING_CALL_OPT_OUT", FIRES, "stop the renewal reminder calls",
        id="call-optout-stop-reminder-calls"),
    row("Of course, I'll remove your number. Thanks for your time.", "MARKETING_CALL_OPT_OUT", FIRES,
        "I'll remove your number", id="call-optout-remove-your-number"),
    row("I'll remove your number from the joint account once the form is back.", "MARKETING_CALL_OPT_OUT", SILENT,
        id="call-optout-remove-number-from-account"),
    row("were calling about the accident you had that wasnt your fault", "MARKETING_CLAIMS_MANAGEMENT", FIRES,
        "accident you had that wasnt your fault", id="claims-wasnt-your-fault-recogniser"),
    row("Have you had an accident at work or on the road in the last three years?", "MARKETING_CLAIMS_MANAGEMENT",
        FIRES, "Have you had an accident at work or on the road in the last three years", id="claims-last-three-years"),
    row("Have you had an accident? If anyone is hurt call 999.", "MARKETING_CLAIMS_MANAGEMENT", SILENT,
        id="claims-first-aid-question"),
    # MARKETING_CALL_PITCH: a cold sales call's opening (red-team rounds 96, 152, 158)
    row("Hi, it's Wayne from Premier Driveways, we're calling homeowners in your area about block paving.",
        "MARKETING_CALL_PITCH", FIRES, "we're calling homeowners in your area about", id="pitch-calling-homeowners-in-area"),
    row("Hello, is that the homeowner? I'm calling from Clearview Windows.", "MARKETING_CALL_PITCH", FIRES,
        "is that the homeowner", id="pitch-is-that-the-homeowner"),
    row("We offer boiler and central heating cover from £9.99 a month.", "MARKETING_CALL_PITCH", FIRES,
        "We offer boiler and central heating cover from £9", id="pitch-we-offer-from-price"),
    row("We help small businesses get cheaper gas and electric contracts.", "MARKETING_CALL_PITCH", FIRES,
        "We help small businesses get", id="pitch-we-help-small-businesses"),
    row("There were people calling round the estate last week, did you see them?", "MARKETING_CALL_PITCH", SILENT,
        id="pitch-neighbour-mentions-callers"),
    row("Is that the bill payer? It's about the fault you reported on your line.", "MARKETING_CALL_PITCH", SILENT,
        id="pitch-provider-asks-for-bill-payer"),
    row("Your InstaVolt charge session has ended. Please move your vehicle within 10 minutes to avoid an overstay fee of £1/min.",
        "PREMIUM_RATE_SERVICE", SILENT, id="premium-rate-not-overstay-fee"),
    row("Chat to local singles now, calls £1/min, 18+ only", "PREMIUM_RATE_SERVICE", FIRES, "£1/min", id="premium-rate-per-minute-chat"),
    row("Chat to local singles now, calls cost 65p per minute", "PREMIUM_RATE_SERVICE", FIRES, "calls cost 65p", id="premium-rate-pence-per-minute"),
    # "stop updates" holds the letters of "top up", not the words
    row("Boots: Your prescription is ready to collect. Reply STOP to stop updates.", "MARKETING_PROMOTION", SILENT,
        id="promo-not-top-up-inside-stop-updates"),
    row("Top up now and get 10GB extra data free", "MARKETING_PROMOTION", FIRES, "Top up", id="promo-top-up"),
    # a receipt for a donation, however it is worded; not the phishing copy that goes on to a prize or a log-in
    row("Thank you for donating £5 to Macmillan Cancer Support. Text STOP to 70085 if you'd prefer we didn't contact you.",
        "TRANSACTIONAL_RECEIPT", FIRES, "Thank you for donating £5", id="receipt-thank-you-for-donating"),
    row("Thank you for your order Steve You have X chance to get a new iPhone, answer here aspectgroundish.com/9DIZ",
        "TRANSACTIONAL_RECEIPT", SILENT, id="receipt-not-with-a-prize"),
    row("Thanks for visiting our branch today. How did we do? Reply with a score from 0-10. Text STOP to opt out",
        "TRANSACTIONAL_RECEIPT", FIRES, "Reply with a score from 0-10", id="receipt-survey-score"),
    row("Reply with a number from 1 to 10 and win a £50 voucher", "TRANSACTIONAL_RECEIPT", SILENT,
        id="receipt-survey-with-a-prize-is-not-one"),
    # MARKETING_CALL_PITCH: cold sales openings
    row("um we're doing a survey in your area about solar panels have you ever thought about getting them",
        "MARKETING_CALL_PITCH", FIRES, "we're doing a survey in your area", id="pitch-survey-in-your-area"),
    row("We're contacting homes in Leeds about loft and cavity wall insulation.", "MARKETING_CALL_PITCH", FIRES,
        "We're contacting homes in Leeds about", id="pitch-contacting-homes"),
    row("it looks like you might be due an upgrade on your mobile contract", "MARKETING_CALL_PITCH", FIRES,
        "looks like you might be due an upgrade", id="pitch-due-an-upgrade"),
    row("I'm calling because your contract ends next month and you're due an upgrade, you rang us last week",
        "MARKETING_CALL_PITCH", SILENT, id="pitch-own-network-due-upgrade"),
    row("We're contacting customers about the new tariff from April, your direct debit won't change",
        "MARKETING_CALL_PITCH", SILENT, id="pitch-own-supplier-customers"),
    # cold sales openings (round 374), and the same words on a call the user asked for
    row("It's Callum from Brightline Utilities, we're an independent energy broker.", "MARKETING_CALL_PITCH", FIRES,
        "we're an independent energy broker", id="pitch-independent-energy-broker"),
    row("It's Sam from Brightline, we're an energy broker, calling you back about your enquiry on our website",
        "MARKETING_CALL_PITCH", SILENT, id="pitch-broker-calling-back-your-enquiry"),
    row("were a broker for over fifty life insurance plans guaranteed acceptance no medical questions", "MARKETING_CALL_PITCH",
        FIRES, "were a broker for", id="pitch-guaranteed-acceptance"),
    row("We're running a campaign in your area this month about wills", "MARKETING_CALL_PITCH", FIRES,
        "running a campaign in your area", id="pitch-campaign-in-your-area"),
    row("were carrying out a short survey today about energy use in the home", "MARKETING_CALL_PITCH", FIRES,
        "carrying out a short survey today about energy", id="pitch-short-survey-about-energy"),
    row("our records show you've had solar panels fitted at your property", "MARKETING_CALL_PITCH", FIRES,
        "records show you've had solar panels fitted", id="pitch-records-show-solar-panels"),
    row("I'm calling about the solar panels you had fitted last week, is the inverter showing green?", "MARKETING_CALL_PITCH",
        SILENT, id="pitch-installer-aftercare"),
    # a "lottery recovery agent" with a fee is no claims firm (explanation audit)
    row("I'm Paul, a licensed lottery recovery agent. You are owed £4,900 in unclaimed prizes. We recover them for a £95 fee, no win no fee after that.",
        "MARKETING_CLAIMS_MANAGEMENT", SILENT, id="claims-not-a-lottery-recovery-agent"),
    # a task scam's "top up" to unlock commission, and a sim top-up paid for someone, are no promotion (audit 2026-12-06)
    row("top up the £486 shortfall to unlock your commission", "MARKETING_PROMOTION", SILENT, id="promo-top-up-shortfall"),
    row("can u pay my sim top up for me", "MARKETING_PROMOTION", SILENT, id="promo-sim-top-up"),
    row("Top up £10 and get 5GB of extra data free", "MARKETING_PROMOTION", FIRES, "Top up", id="promo-top-up-get-data"),
    # prices in pence (round 320)
    row("Cards from 39p and gifts galore at Card Factory", "MARKETING_PROMOTION", FIRES, "from 39p", id="promo-from-39p"),
    row("The bus fare went up from 90p to £1 this week", "MARKETING_PROMOTION", SILENT, id="promo-bus-fare-from-90p-to"),
    row("Currys Black Friday is HERE. Up to £500 off selected TVs, laptops & appliances.", "MARKETING_PROMOTION", FIRES,
        "Black Friday", id="promo-black-friday-up-to-off"),
    row("Our Black Friday opening hours are 7am to 10pm", "MARKETING_PROMOTION", SILENT, id="promo-black-friday-opening-hours"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_marketing_flag(text, flag, expect, span, at):
    check_row(patterns(), text, flag, expect, span, at)


def test_marketing_flags_feed_the_spam_score_only():
    from scamshield import rules

    defs = rules.flag_defs()
    for fid in ("MARKETING_OPT_OUT", "MARKETING_PROMOTION", "PREMIUM_RATE_SERVICE", "MARKETING_ADULT_OR_CHAT",
                "MARKETING_CLAIMS_MANAGEMENT"):
        assert defs[fid].score == "spam", fid


VERDICTS = [
    verdict_row("Summer sale now on at Harlow Garden Centre: 30% off all furniture, shop now. Text STOP to opt out",
                "spam", id="garden-centre-sale"),
    verdict_row("FREE ringtones! Txt TONE to 87121, 150p/msg. Reply STOP to end", "spam", id="ringtone-spam"),
    verdict_row("You could be entitled to £3,200 compensation for mis-sold car finance. No win no fee. Reply CLAIM or "
                "STOP to opt out", "spam", id="claims-text-spam"),
    # the same pitch wanting bank details is the scam it can hide
    verdict_row("You are entitled to £4,000 compensation. To receive it, confirm your bank details and sort code at "
                "claims-payout.info", ("scam", "suspicious"), id="claims-wants-bank-details"),
    # a gift-card purchase instruction is not marketing, whatever "shop now" sounds like
    verdict_row("Go to the shop now and buy Google Play cards worth £300", ("scam", "suspicious"), id="gift-card-errand"),
    # a premium-rate number to ring back is a scam, not just marketing
    verdict_row("You have 1 new voicemail. Please call 09066 612345 now to listen", ("scam", "suspicious"),
                id="premium-call-back"),
]


@pytest.mark.parametrize(("text", "verdicts"), VERDICTS)
def test_marketing_verdict(text, verdicts):
    check_verdict(text, verdicts)
