"""Offer flags: prizes, refunds and grants, investments, jobs."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, NOT_ALARMING, SILENT, WEAK, check_row, check_verdict, patterns, row, verdict_row

ROWS = [
    row("EuroMillions: you have won 2nd prize in the overseas draw", "OFFER_PRIZE", FIRES, "you have won 2nd prize",
        id="prize-won-2nd"),
    row("the new AI trading bot is paying out 4% a day. Minimum deposit £500.", "OFFER_INVESTMENT", FIRES,
        "paying out 4% a day", id="invest-percent-a-day"),
    row("My savings account pays 4% a year, not bad", "OFFER_INVESTMENT", SILENT, id="invest-savings-rate"),
    row("An officer will come to your home to collect the cash and your card", "OFFER_PRIZE", SILENT,
        id="prize-not-courier-cash"),
    row("Claim your cash prize today", "OFFER_PRIZE", FIRES, "Claim your cash", 0, id="prize-claim-cash"),
    # OFFER_PRIZE
    row("Congratulations! You have won a £500 Tesco voucher", "OFFER_PRIZE", FIRES, "Congratulations", 0,
        id="prize-congrats"),
    row("You've been selected to receive a free iPhone 15", "OFFER_PRIZE", FIRES, "been selected to receive", id="prize-selected"),
    row("Claim your prize before it expires", "OFFER_PRIZE", FIRES, "Claim your prize", 0, id="prize-claim"),
    row("Did Leeds win on Saturday?", "OFFER_PRIZE", SILENT, id="prize-football"),
    row("The winner of the bake-off was Jean from church", "OFFER_PRIZE", FIRES, "winner", id="prize-word"),
    # OFFER_REFUND_OR_GRANT
    row("HMRC: you are due a tax refund of £326.40", "OFFER_REFUND_OR_GRANT", FIRES, "you are due a tax refund", id="refund-tax"),
    row("You are eligible for an energy support grant of £400", "OFFER_REFUND_OR_GRANT", FIRES,
        "eligible for an energy support grant", id="refund-grant"),
    row("You have overpaid your council tax, claim it back", "OFFER_REFUND_OR_GRANT", FIRES, "overpaid",
        id="refund-overpaid"),
    row("I returned the shoes and got a refund from Next", "OFFER_REFUND_OR_GRANT", WEAK, id="refund-shoes"),
    row("DWP: You have been overpaid Carer's Allowance of £1,240 and must repay it", "OFFER_REFUND_OR_GRANT", SILENT,
        id="refund-not-an-overpayment-demand"),
    # OFFER_INVESTMENT
    row("Guaranteed returns of 40% a month with our crypto experts", "OFFER_INVESTMENT", FIRES,
        "Guaranteed returns", 0, id="invest-guaranteed"),
    row("Double your money in a week, risk-free trading", "OFFER_INVESTMENT", FIRES, "Double your money", 0,
        id="invest-double"),
    row("Join our exclusive investment opportunity today", "OFFER_INVESTMENT", FIRES, "investment opportunity",
        id="invest-opportunity"),
    row("My pension statement came today, not much growth", "OFFER_INVESTMENT", SILENT, id="invest-pension"),
    row("I've started selling bags, my investor mentor doubled my money in a month. Want in?", "OFFER_INVESTMENT",
        FIRES, "investor mentor", id="invest-mentor"),
    row("Premium bonds finally paid out, doubled my money on the raffle lol", "OFFER_INVESTMENT", SILENT,
        id="invest-doubled-raffle"),
    row("from fifty you can unlock your pension early, it's called pension liberation", "PENSION_EARLY_RELEASE", FIRES,
        "unlock your pension early", id="invest-pension-liberation"),
    row("Dad said he'll take his pension at 66 and keep working part time", "OFFER_INVESTMENT", SILENT,
        id="invest-pension-plans"),
    row("the platform uses artificial intelligence to trade and you make about a thousand pound a day",
        "OFFER_INVESTMENT", FIRES, "artificial intelligence to trade", id="invest-ai-trading"),
    row("You'll need to top up your work account to unlock tasks.", "OFFER_TASK_JOB", FIRES, "top up your work account",
        id="task-top-up-work-account"),
    row("I run a crypto mining course, returns are 5x guaranteed. Interested?", "OFFER_INVESTMENT", FIRES,
        "returns are 5x guaranteed", id="invest-returns-guaranteed"),
    row("Hi, you were randomly picked in our Christmas giveaway! Reply with your name and address", "OFFER_PRIZE", FIRES,
        "randomly picked in our Christmas giveaway", id="prize-giveaway"),
    row("Overseas job: care workers needed in the UK, visa sponsorship guaranteed. WhatsApp me.", "OFFER_JOB", FIRES,
        "care workers needed in the UK", id="job-visa-sponsorship"),
    row("Congratulations on your new home! Completion went through at 1pm.", "OFFER_PRIZE", SILENT,
        id="prize-congratulations-on-home"),
    row("TSB: your next loan repayment of £212.40 will be taken on 3 March.", "OFFER_REFUND_OR_GRANT", SILENT,
        id="refund-not-a-loan-repayment"),
    row("free reviews for people over fifty five, you can unlock up to twenty five percent of your pension",
        "OFFER_INVESTMENT", FIRES, "free reviews for people over fifty", id="invest-pension-review"),
    row("don't listen to those people on instagram promising you double your money, that's all scams", "OFFER_INVESTMENT",
        SILENT, id="invest-warning-about-promises"),
    row("Our regulated team recovers funds for victims of investment scams", "OFFER_RECOVERY", FIRES, "recovers funds",
        id="recovery-recovers-funds"),
    row("eBay: Congratulations, your item sold! Post it by Friday.", "OFFER_PRIZE", SILENT, id="prize-item-sold"),
    # OFFER_JOB
    row("Part-time job: earn £300 a day liking videos from home, message us on WhatsApp", "OFFER_JOB", FIRES,
        "Part-time job", 0, id="job-part-time"),
    row("We are hiring! Rate products and earn daily commission", "OFFER_JOB", FIRES, "We are hiring", 0,
        id="job-hiring"),
    row("Good luck at the job interview tomorrow!", "OFFER_JOB", SILENT, id="job-interview"),
    # OFFER_TASK_JOB
    row("Earn £300 a day just by liking videos on TikTok", "OFFER_TASK_JOB", FIRES, "liking videos",
        id="task-liking-videos"),
    row("Our job is simple: rate hotels and get paid daily", "OFFER_TASK_JOB", FIRES, "Our job is simple", 0,
        id="task-job-simple"),
    row("Could you rate my cake out of ten?", "OFFER_TASK_JOB", SILENT, id="task-rate-cake"),
    # OFFER_RECOVERY: "we recover what scammers took" - for a fee
    row("We are ethical hackers and recover stolen crypto for a small retainer", "OFFER_RECOVERY", FIRES,
        "ethical hackers", id="recovery-hackers"),
    row("The bank refunded the money I lost to the scam last week", "OFFER_RECOVERY", SILENT, id="recovery-refunded"),
    row("HMRC: If you get a text saying you're due a tax refund, it's a scam. Report it to 60599.",
        "OFFER_REFUND_OR_GRANT", SILENT, id="refund-if-you-get-a-text-saying"),
    # Red-team rounds 11-12: pension unlocking, loans without checks, a romance contact's trading winnings
    row("you've got an old pension that could be unlocked early before fifty five", "PENSION_EARLY_RELEASE", FIRES,
        "unlocked early before fifty five", id="pension-unlocked-before-55"),
    row("you can still unlock up to fifty percent of your pension early as a lump sum", "PENSION_EARLY_RELEASE",
        FIRES, "unlock up to fifty percent of your pension", id="pension-unlock-percent"),
    row("You can't normally take money from your pension before 55, so be wary of anyone who says otherwise.",
        "PENSION_EARLY_RELEASE", SILENT, id="pension-warning"),
    row("From age 55 you can access your pension. Book a free Pension Wise appointment to talk it through.",
        "PENSION_EARLY_RELEASE", SILENT, id="pension-wise-genuine"),
    row("You've been pre-approved for a £2,000 loan. No credit checks, money in 10 minutes.", "OFFER_LOAN_NO_CHECKS",
        FIRES, "pre-approved for a £2,000 loan", id="loan-pre-approved"),
    row("Your mortgage application is going through our usual credit checks and affordability review.",
        "OFFER_LOAN_NO_CHECKS", SILENT, id="loan-genuine-checks"),
    row("My uncle showed me his trading platform, today we made 18%. I can teach you too if you like",
        "OFFER_INVESTMENT", FIRES, "trading platform", id="investment-made-percent-today"),
    # MONEY_MULE_OFFER: your account used to move someone else's money
    row("Earn £500 in 1 day! Just receive a payment into your bank account and send it on, you keep 20%.",
        "MONEY_MULE_OFFER", FIRES, "receive a payment into your bank account and send it on", id="mule-receive-send-on"),
    row("We'll rent your bank account for a few days, £300 cash, no questions", "MONEY_MULE_OFFER", FIRES,
        "rent your bank account", id="mule-rent-account"),
    row("Your salary will be paid into your bank account and your payslip sent on the 28th.", "MONEY_MULE_OFFER",
        SILENT, id="mule-salary-genuine"),
    row("Earn £500 in 1 day! Just receive a payment into your bank account and send it on.", "URGENCY", SILENT,
        id="urgency-rate-of-pay"),
    row("Lottery Retailer Support: your lottery terminal needs a software update.", "OFFER_PRIZE", SILENT,
        id="prize-lottery-terminal"),
    row("Could you kindly refund the £1,350 difference to my accountant's account today?", "OFFER_REFUND_OR_GRANT",
        SILENT, id="refund-asked-of-you"),
    # DOORSTEP_TRADER: work that "can't wait", cash up front, a lift to the bank
    row("i need eight hundred up front today for materials cash is best i'll pop round in an hour and run you down to "
        "the bank myself", "DOORSTEP_TRADER", FIRES, "up front today for materials", id="doorstep-materials-upfront"),
    row("no need to bother her mate i can pick you up in the van and take you to the building society",
        "DOORSTEP_TRADER", FIRES, "take you to the building society", id="doorstep-lift-to-building-society"),
    row("we've got some tarmac left over from a job round the corner so we can do it today half price if you pay cash",
        "DOORSTEP_TRADER", FIRES, "tarmac left over from a job", id="doorstep-leftover-tarmac"),
    row("Thanks for having us. Quote attached for the roof - no rush, have a think and let us know.", "DOORSTEP_TRADER",
        SILENT, id="doorstep-genuine-quote"),
    # Red-team rounds 25-26: paying a loan back is not a refund; a ticket presale is not an investment
    row("Your loan repayment of £85 is due on 3 March. Repayments can be made in the app.", "OFFER_REFUND_OR_GRANT",
        SILENT, id="refund-loan-repayments"),
    row("You are owed a repayment of £312.40 from your energy supplier", "OFFER_REFUND_OR_GRANT", FIRES,
        "You are owed a repayment", id="refund-owed-a-repayment"),
    row("Ticketmaster: The presale for Coldplay starts Thursday 10am.", "OFFER_INVESTMENT", SILENT,
        id="investment-ticket-presale"),
    row("Buy the coin presale now before it lists", "OFFER_INVESTMENT", FIRES, "coin presale", id="investment-coin-presale"),
    # Red-team round 27: pension cash "even though you're under fifty five"; "guaranteed eleven percent"
    row("we can get you thirty percent of your pension in cash now even though you're under fifty five",
        "PENSION_EARLY_RELEASE", FIRES, "cash now even though you're under fifty five", id="pension-cash-under-55"),
    row("you can't take money from your pension while you're under 55 unless you're seriously ill",
        "PENSION_EARLY_RELEASE", SILENT, id="pension-cant-under-55"),
    row("an overseas property fund guaranteed eleven percent a year", "OFFER_INVESTMENT", FIRES,
        "guaranteed eleven percent", id="investment-guaranteed-word-percent"),
    row("the fixed rate is guaranteed for two years", "OFFER_INVESTMENT", SILENT, id="investment-fixed-rate-guaranteed"),
    # Red-team round 25: a loan's "refundable deposit to show affordability"; "regardless of credit history";
    # paid to let your account be used for transfers
    row("You have been pre-approved for a £3,000 loan. We just need a refundable security deposit of £150 to show affordability.",
        "OFFER_LOAN_NO_CHECKS", FIRES, "deposit of £150 to show affordability", id="loan-deposit-affordability"),
    row("Guaranteed £1000 loan regardless of credit history, even on benefits.", "OFFER_LOAN_NO_CHECKS", FIRES,
        "regardless of credit history", id="loan-regardless-of-credit"),
    row("Your loan of £3,000 at 9.9% APR has been paid into your account. Your first repayment is due on 1 May.",
        "OFFER_LOAN_NO_CHECKS", SILENT, id="loan-paid-out-genuine"),
    row("Earn £300 a week just letting us use your bank account for transfers.", "MONEY_MULE_OFFER", FIRES,
        "use your bank account", id="mule-use-your-account-for-transfers"),
    # school work set online is not a job (red-team round 28)
    row("Remote work will be set on Google Classroom tomorrow as school is closed due to snow", "OFFER_JOB", SILENT,
        id="job-remote-school-work"),
    row("your friend karen gave me your number, she's made about eleven thousand already and the platform does all the trading",
        "OFFER_INVESTMENT", FIRES, "she's made about eleven thousand", id="investment-friend-made-thousands"),
    row("I've made about two thousand pounds on the house sale", "OFFER_INVESTMENT", SILENT,
        id="investment-house-sale-profit"),
    row("my uncle wants to send me £2000, can I use your account to receive payments for a week, you keep £200",
        "MONEY_MULE_OFFER", FIRES, "use your account", id="mule-use-your-account-to-receive"),
    # Red-team round 40: "high yield" alone is a savings product the user has, not an offer
    row("oh that's from my high yield savings i forgot about that form", "OFFER_INVESTMENT", SILENT,
        id="investment-my-high-yield-savings"),
    row("he offered me a high yield investment, ten percent a month", "OFFER_INVESTMENT", FIRES, "high yield investment",
        id="investment-high-yield-investment-offer"),
    # Red-team round 41: text-speak money mules and crypto "mentors"
    row("wanna make £800 this week easy?? I just need to send some money thru ur bank, u keep £200 and send the rest on",
        "MONEY_MULE_OFFER", FIRES, "u keep £200 and send the rest on", id="mule-you-keep-and-send-the-rest"),
    row("Santander: Payment to BRITISH GAS for £66.00 declined - insufficient funds. Transfer money into your account through the Santander app and try again.",
        "MONEY_MULE_OFFER", SILENT, id="mule-transfer-money-into-your-own-account"),
    row("I was skint at uni too until my mentor showed me crypto trading. I put in £250 and withdrew £4,800 in 7 days",
        "OFFER_INVESTMENT", FIRES, "my mentor showed me", id="investment-mentor-and-profits"),
    row("I put in £20 and got £5 change back, the tombola was a rip off", "OFFER_INVESTMENT", SILENT,
        id="investment-put-in-and-got-change"),
    # Red-team round 44: the trader's follow-up call
    row("its wayne the tree surgeon we spoke at your door yesterday i just need the deposit of nine hundred pound in cash "
        "tomorrow ill come round at ten to collect it dont worry about getting other quotes theres no time",
        "DOORSTEP_TRADER", FIRES, "spoke at your door", id="doorstep-follow-up-call"),
    row("Thanks for having us round to quote. Take your time and do get other quotes; we invoice when the job is done, "
        "by bank transfer, no deposit.", "DOORSTEP_TRADER", SILENT, id="doorstep-genuine-quote-follow-up"),
    row("hi love its the lads who did your driveway we were just passing and noticed the sealant hasnt taken, twelve hundred "
        "but its cash up front, we dont really do paperwork", "DOORSTEP_TRADER", FIRES, "just passing and noticed",
        id="doorstep-passing-and-noticed-cash-up-front"),
    row("Hi, we're working on no.14's roof and noticed several slipped tiles on yours. We can fix today for £280 cash",
        "DOORSTEP_TRADER", FIRES, "noticed several slipped tiles", id="doorstep-noticed-several-slipped-tiles"),
    # Red-team round 60: casks, fine wine, land for housing
    row("We specialise in investment-grade Bordeaux, held under bond. Fine wine has outperformed the FTSE over twenty years.",
        "OFFER_INVESTMENT", FIRES, "investment-grade Bordeaux", id="investment-fine-wine"),
    row("first fill sherry cask at a distillery in speyside and we've got a buyer from a japanese bottler no it's not regulated but that's a good thing",
        "OFFER_INVESTMENT", FIRES, "it's not regulated but", id="investment-whisky-cask-not-regulated"),
    row("Plots on a site that's been earmarked for housing, buy now at agricultural value", "OFFER_INVESTMENT", FIRES,
        "earmarked for housing", id="investment-land-earmarked"),
    row("We got the wine for Saturday, and the whisky for Dad's birthday", "OFFER_INVESTMENT", SILENT, id="investment-wine-shopping"),
    row("It won't appear in your account, it's administered by our custody partner, Fairmont Trustees.", "OFFER_INVESTMENT", FIRES,
        "administered by our custody partner", id="investment-custody-partner"),
    row("Hi, this is Kev, boiler engineer. I can do a full service tomorrow. I'll just need the £45 sent first to secure the part.",
        "DOORSTEP_TRADER", FIRES, "sent first to secure the part", id="doorstep-sent-first-to-secure-the-part"),
    row("Your boiler service is booked for Tuesday; we'll order the part and you pay on the day.", "DOORSTEP_TRADER", SILENT,
        id="doorstep-booked-service-pay-on-the-day"),
    # Red-team round 46: a directory "renewal" on a "verbal yes"
    row("You confirmed your entry with one of our advisers last year, I have the recording here. I just need a verbal yes to carry it on.",
        "UNORDERED_CHARGE_OR_RENEWAL", FIRES, "just need a verbal yes", id="renewal-verbal-yes"),
    row("Thanks for renewing your listing online; your invoice is attached.", "UNORDERED_CHARGE_OR_RENEWAL", SILENT,
        id="renewal-renewed-online-yourself"),
    # Red-team round 84: faults "found" by a trader on your road, the whole job paid now, money first to book
    row("when we was up there we found your chimney's unstable that's dangerous, we'll take fifteen hundred cash today", "DOORSTEP_TRADER",
        FIRES, "found your chimney's unstable", id="doorstep-found-chimney-unstable"),
    row("we noticed yours are blocked and the fascia's rotten at the corner, four fifty cash, we're only here today", "DOORSTEP_TRADER",
        FIRES, "we're only here today", id="doorstep-fascia-rotten-only-here-today"),
    row("The surveyor's report says the chimney's pointing needs attention within five years; get three quotes.", "DOORSTEP_TRADER",
        SILENT, id="doorstep-surveyor-report"),
    row("i'll need the money first to book you in so i do a booking fee now by bank transfer", "DOORSTEP_TRADER", FIRES,
        "need the money first to book", id="doorstep-money-first-to-book"),
    row("could you pay the full job now like the eight fifty and i'll get the tools today", "DOORSTEP_TRADER", FIRES,
        "pay the full job now", id="doorstep-full-job-now"),
    # Red-team round 97: recovery and trading-group wording
    row("a recovery agent on Instagram got me back every penny, I'll pass you his details", "OFFER_RECOVERY", FIRES,
        "got me back every penny", id="recovery-every-penny"),
    row("I got every penny back from the bank after the fraud, they were brilliant", "OFFER_RECOVERY", SILENT,
        id="recovery-bank-refunded-victim"),
    row("To join this week's allocation deposit £3,000 into your trading account today", "OFFER_INVESTMENT", FIRES,
        "deposit £3,000 into your trading account", id="investment-deposit-into-trading-account"),
    row("You don't need charts, just copy my trades at 8pm sharp", "OFFER_INVESTMENT", FIRES, "copy my trades",
        id="investment-copy-my-trades"),
    row("Can you copy my notes from the lecture before Friday?", "OFFER_INVESTMENT", SILENT, id="investment-copy-notes"),
    # Red-team round 101: a bank's pre-approved offer shown in its own app
    row("You've been pre-approved for a personal loan of up to £12,000. See your offer in the app under Borrow.",
        "OFFER_LOAN_NO_CHECKS", SILENT, id="loan-preapproved-in-app"),
    row("You've been pre-approved for a personal loan of £5,000, no credit checks, reply YES", "OFFER_LOAN_NO_CHECKS",
        FIRES, "pre-approved for a personal loan", id="loan-preapproved-by-reply"),
    # paid "tasks" that rate listings or boost ratings, and the deposit that "unlocks" the better ones; not the user
    # telling an adviser what they were offered
    row("simple tasks boosting app ratings from home. Payment daily", "OFFER_TASK_JOB", FIRES, "boosting app ratings",
        id="task-boosting-app-ratings"),
    row("a deposit of fifty in usdt to unlock the higher tasks but you get the commission", "OFFER_TASK_JOB", FIRES,
        "unlock the higher tasks", id="task-unlock-higher-tasks"),
    row("Our hotel listings page has the ratings from last year's guests", "OFFER_TASK_JOB", SILENT,
        id="task-hotel-listings-mention"),
    row("We've already cleared the gutters along your side of the terrace while we were up there, it's £120", "DOORSTEP_TRADER",
        FIRES, "We've already cleared the gutters along your side of the terrace while we were up there", id="doorstep-work-done-unasked"),
    row("We've already cleared the gutters, thanks for booking us last week, invoice to follow", "DOORSTEP_TRADER", SILENT,
        id="doorstep-booked-work-done"),
    # what someone else keeps saying, asked about
    row("some bloke in a telegram group keeps telling me to send my eth to his platform for staking guaranteed twelve percent a month",
        "OFFER_INVESTMENT", SILENT, id="invest-someone-keeps-telling-me"),
    row("send your eth to our platform for staking, guaranteed twelve percent a month", "OFFER_INVESTMENT", FIRES,
        "guaranteed twelve percent", id="invest-guaranteed-percent-a-month"),
    row("think your Insta's been hacked, I just got a DM from you about investing in bitcoin and making £5k a week", "OFFER_INVESTMENT",
        SILENT, id="invest-got-a-dm-from-you-about"),
    # Red-team round 292: a return of 10 % or more a month
    row("to be honest with you the returns are amazing, 20% a month", "OFFER_INVESTMENT", FIRES,
        "returns are amazing, 20% a month", id="investment-returns-per-month"),
    row("My ISA returns were about 12% a year, not bad", "OFFER_INVESTMENT", SILENT, id="investment-returns-per-year"),
    row("Returns on the fund were 4% a month in the boom, then it crashed", "OFFER_INVESTMENT", SILENT,
        id="investment-returns-single-digit-month"),
    # a crypto platform as where a complaint goes; a refund refused
    row("we can't refund it because the loss was on the exchange. You could raise it with the crypto platform as well.",
        "OFFER_INVESTMENT", SILENT, id="investment-raise-it-with-the-crypto-platform"),
    row("unfortunately we can't refund the full amount, I'll explain in writing", "OFFER_REFUND_OR_GRANT", SILENT,
        id="refund-cant-refund"),
    # the writer's own win, a refund for the reader's own return (genuine-message audit)
    row("i won a £50 Deliveroo voucher in the work quiz, fancy a takeaway?", "OFFER_PRIZE", SILENT, id="prize-i-won-in-the-work-quiz"),
    row("JD: your refund for your return has been processed to your original payment method", "OFFER_REFUND_OR_GRANT",
        SILENT, id="refund-for-your-return"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_offer_flag(text, flag, expect, span, at):
    check_row(patterns(), text, flag, expect, span, at)


VERDICTS = [
    verdict_row("Well done to Jean, the winner of the bake-off!", NOT_ALARMING, id="bake-off"),
    verdict_row("Got my refund from Next for the shoes", NOT_ALARMING, id="shoes-refund"),
    verdict_row("HMRC: you are due a tax refund of £326.40. Claim it at hmrc-refund-portal.com", "scam",
                id="hmrc-refund-link"),
]


@pytest.mark.parametrize(("text", "verdicts"), VERDICTS)
def test_offer_verdict(text, verdicts):
    check_verdict(text, verdicts)
