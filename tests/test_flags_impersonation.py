"""Impersonation flags: who the message or caller claims to be (rules/flags/red_flags.yaml)."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, NOT_ALARMING, SILENT, WEAK, check_row, check_verdict, patterns, row, verdict_row

ROWS = [
    # CLAIMS_TAX_AUTHORITY
    row("HMRC: you have an outstanding balance", "CLAIMS_TAX_AUTHORITY", FIRES, "HMRC", 0, id="tax-hmrc-prefix"),
    row("This is a call from H.M.R.C about your tax", "CLAIMS_TAX_AUTHORITY", FIRES, "H.M.R.C", 20, id="tax-dotted"),
    row("I'm calling from HM Revenue and Customs", "CLAIMS_TAX_AUTHORITY", FIRES, "HM Revenue", id="tax-full-name"),
    row("this is her majesty's revenue and customs", "CLAIMS_TAX_AUTHORITY", FIRES, "her majesty's revenue", id="tax-her-majesty"),
    row("H M R C final notice", "CLAIMS_TAX_AUTHORITY", FIRES, "H M R C", 0, id="tax-spaced-letters"),
    row("Message from the tax office regarding your file", "CLAIMS_TAX_AUTHORITY", FIRES, "the tax office", id="tax-office"),
    row("I need to sort out my tax return this weekend", "CLAIMS_TAX_AUTHORITY", SILENT, id="tax-own-return"),
    row("You can report to HMRC any suspicious texts", "CLAIMS_TAX_AUTHORITY", SILENT, id="tax-report-to"),
    row("The first rule is to never trust first impressions", "CLAIMS_TAX_AUTHORITY", SILENT, id="tax-first-not-irs"),
    # CLAIMS_POLICE_OR_COURT
    row("This is Detective Sergeant Hall from the Metropolitan Police", "CLAIMS_POLICE_OR_COURT", FIRES,
        "Detective", id="police-detective"),
    row("I am calling from the fraud squad at Scotland Yard", "CLAIMS_POLICE_OR_COURT", FIRES, "fraud squad",
        id="police-fraud-squad"),
    row("This is the county court, your case number is 44512", "CLAIMS_POLICE_OR_COURT", FIRES, "county court",
        id="police-county-court"),
    row("The police were round at number 12 last night after the break-in", "CLAIMS_POLICE_OR_COURT", WEAK,
        id="police-neighbour-news"),
    row("My neighbour said the police came to look at her car", "CLAIMS_POLICE_OR_COURT", WEAK,
        id="police-neighbour-car"),
    row("Are we still on for the tennis court at 6?", "CLAIMS_POLICE_OR_COURT", SILENT, id="police-tennis-court"),
    # CLAIMS_BANK
    row("Barclays fraud team here, we've blocked a payment on your card", "CLAIMS_BANK", FIRES, "Barclays",
        id="bank-barclays"),
    row("This is the security department of your bank", "CLAIMS_BANK", FIRES, "security department", id="bank-sec"),
    row("NatWest: a new payee was added to your account", "CLAIMS_BANK", FIRES, "NatWest", 0, id="bank-natwest"),
    row("Meet you outside the Halifax on the high street?", "CLAIMS_BANK", WEAK, id="bank-meeting-place"),
    row("We walked along the river bank for hours", "CLAIMS_BANK", SILENT, id="bank-river"),
    # CLAIMS_GOVERNMENT
    row("DVLA: your vehicle tax payment failed", "CLAIMS_GOVERNMENT", FIRES, "DVLA", 0, id="gov-dvla"),
    row("NHS: you are eligible for a free test kit", "CLAIMS_GOVERNMENT", FIRES, "NHS", 0, id="gov-nhs"),
    row("TV Licensing: your licence has expired", "CLAIMS_GOVERNMENT", FIRES, "TV Licensing", 0, id="gov-tvl"),
    row("I've got a new job at the garden centre", "CLAIMS_GOVERNMENT", SILENT, id="gov-none"),
    # CLAIMS_DELIVERY_FIRM
    row("Royal Mail: your parcel could not be delivered", "CLAIMS_DELIVERY_FIRM", FIRES, "Royal Mail", 0,
        id="delivery-royal-mail"),
    row("EVRi: we missed you today, your package is on hold", "CLAIMS_DELIVERY_FIRM", FIRES, "EVRi", 0,
        id="delivery-evri"),
    row("DPD: your parcel has been held at our depot", "CLAIMS_DELIVERY_FIRM", FIRES, "DPD", 0, id="delivery-dpd"),
    row("I'll post the birthday card tomorrow", "CLAIMS_DELIVERY_FIRM", SILENT, id="delivery-post-card"),
    row("Check out the ups and downs of my week", "CLAIMS_DELIVERY_FIRM", SILENT, id="delivery-ups-and-downs"),
    row("My browser keeps showing pop-ups", "CLAIMS_DELIVERY_FIRM", SILENT, id="delivery-pop-ups"),
    row("UPS: your shipment is on hold", "CLAIMS_DELIVERY_FIRM", FIRES, "UPS", 0, id="delivery-ups"),
    # CLAIMS_TECH_OR_UTILITY
    row("Hello, I'm calling from Microsoft technical department", "CLAIMS_TECH_OR_UTILITY", FIRES, "Microsoft",
        id="tech-microsoft"),
    row("This is BT, your broadband line will be cut off", "CLAIMS_TECH_OR_UTILITY", FIRES, "BT", 8, id="tech-bt"),
    row("Amazon Prime: your subscription renewal of £79 failed", "CLAIMS_TECH_OR_UTILITY", FIRES, "Amazon Prime",
        0, id="tech-amazon-prime"),
    row("See you at the BTEC exam tomorrow", "CLAIMS_TECH_OR_UTILITY", SILENT, id="tech-btec"),
    row("I need to see the eel tank at the aquarium", "CLAIMS_TECH_OR_UTILITY", SILENT, id="tech-eel-not-ee"),
    row("My bank is Chase and they sent me a text about it", "CLAIMS_BANK", SILENT, id="bank-users-own-bank"),
    row("the police arrested me outside the pub, can you come", "CLAIMS_POLICE_OR_COURT", SILENT, id="police-arrested-me"),
    row("I'm abroad so I'll post the keys by DHL once the deposit is paid", "CLAIMS_DELIVERY_FIRM", SILENT,
        id="delivery-firm-as-carrier"),
    # FAMILY_NEW_NUMBER
    row("Hi mum, this is my new number, my phone is broken", "FAMILY_NEW_NUMBER", FIRES, "Hi mum, this is my new number", 0,
        id="family-hi-mum"),
    row("hey dad it's me on my new number, save this one", "FAMILY_NEW_NUMBER", FIRES, "hey dad it's me on my new number", 0,
        id="family-hey-dad"),
    row("Its me, I dropped my phone down the toilet lol, this is a new number", "FAMILY_NEW_NUMBER", FIRES,
        "dropped my phone", id="family-dropped-phone"),
    row("Hiya love, what time are you home for tea?", "FAMILY_NEW_NUMBER", SILENT, id="family-normal-text"),
    row("Hey it's Jess, this is my new number, the old one is on my work phone now. Save it! Still on for drinks Friday?",
        "FAMILY_NEW_NUMBER", SILENT, id="family-friend-names-herself"),
    row("Hey dad, phone's smashed so using my mate's phone. Can you send £780 to my landlord today?",
        "FAMILY_NEW_NUMBER", FIRES, "using my mate's phone", id="family-mates-phone"),
    row("Hi Mum, it's me. Just ringing to say I got back to uni OK", "FAMILY_NEW_NUMBER", SILENT, id="family-hi-mum-call"),
    row("Mum said the new phone box on the corner is a library now", "FAMILY_NEW_NUMBER", SILENT,
        id="family-phone-box"),
    row("Mum I've lost my phone, this is Sophie's. Can you pick me up from school at 4 instead of 3:30? x",
        "FAMILY_NEW_NUMBER", SILENT, id="family-borrowed-phone-lift"),
    row("Mum it's me. Phone broke, using a temporary one. Can you whatsapp me on this number?", "FAMILY_NEW_NUMBER",
        FIRES, "Phone broke", id="family-phone-broke"),
    row("Hey grandma it's Tyler. I'm in a bit of trouble and need £300 before tonight", "FAMILY_NEW_NUMBER", FIRES,
        "grandma it's Tyler. I'm in a bit of trouble", id="family-named-in-trouble"),
    row("Mum, are you busy? Text me back on WhatsApp 07700 900129 it's urgent", "FAMILY_NEW_NUMBER", FIRES,
        "Mum, are you busy? Text me back on", id="family-are-you-busy"),
    row("Mum I need a favour, my banking app won't work on this new phone. Can you pay it for me?", "FAMILY_NEW_NUMBER",
        FIRES, "on this new phone", id="family-this-new-phone-negated-clause"),
    row("Mum are you about? Dad says dinner at 7", "FAMILY_NEW_NUMBER", SILENT, id="family-are-you-about-dinner"),
    row("Hey Gran it's Amy! Phone died so using Jake's, can you tell mum I'll be late x", "FAMILY_NEW_NUMBER", SILENT,
        id="family-borrowed-phone-message"),
    row("Hi Nan, it's your grandson. I've changed my number. Please don't tell mum", "FAMILY_NEW_NUMBER", FIRES,
        "I've changed my number", id="family-changed-number"),
    row("Dad are you at home? I'm in a bit of trouble with a payment, can I text you about it?", "FAMILY_NEW_NUMBER",
        FIRES, "Dad are you at home? I'm in a bit of trouble", id="family-at-home-trouble"),
    row("Dad are you at home? The plumber's here early", "FAMILY_NEW_NUMBER", SILENT, id="family-at-home-plumber"),
    row("gran its me, please call me on this number, i've been in an accident", "FAMILY_NEW_NUMBER", FIRES,
        "gran its me, please call me on this number", id="family-call-me-on-this-number"),
    row("Hi it's your son, I have to pay the landlord today. Can I send you the bank details?", "FAMILY_NEW_NUMBER",
        FIRES, "Hi it's your son", id="family-its-your-son"),
    row("Mum new number, old phone got nicked. Don't need anything just letting you know. Ethan", "FAMILY_NEW_NUMBER",
        SILENT, id="family-new-number-no-ask"),
    row("heyy mum its me new fone, old 1 broke. cn u do me a fav", "FAMILY_NEW_NUMBER", FIRES, "old 1 broke",
        id="family-text-speak"),
    row("Hi love, new number, old phone went through the wash. Save this one. Mum x", "FAMILY_NEW_NUMBER", SILENT,
        id="family-new-number-from-mum"),
    # RELATIVE_IN_TROUBLE_MONEY: a stranger speaking for a relative in trouble, money to the stranger
    row("Hi it's Nan's neighbour, she's had a fall and is in hospital. She asked me to get £200 from you, can you "
        "send it to my account", "RELATIVE_IN_TROUBLE_MONEY", FIRES, "it's Nan's neighbour, she's had a fall",
        id="relative-neighbour-money"),
    row("This is Dave, your dad's mate from the club. He's been arrested and needs £500 for bail, send it to my account",
        "RELATIVE_IN_TROUBLE_MONEY", FIRES, "This is Dave, your dad's mate from the club. He's been arrested",
        id="relative-mate-bail"),
    row("Hi it's Jean, your nan's neighbour. She's had a fall and is in Watford General, they're keeping her in. "
        "She's fine, just wanted you to know x", "RELATIVE_IN_TROUBLE_MONEY", SILENT, id="relative-neighbour-news"),
    # WRONG_NUMBER_OPENER: the wrong-number text that turns into a chat
    row("Oh sorry, I messaged the wrong person. Where are you from?", "WRONG_NUMBER_OPENER", FIRES, "messaged the wrong",
        id="wrong-number-chat"),
    row("Sorry, wrong number! Hope you find Lucy x", "WRONG_NUMBER_OPENER", SILENT, id="wrong-number-genuine"),
    # a product or a platform, not the company speaking
    row("Go to Tesco and buy four Amazon gift cards and read me the codes", "CLAIMS_TECH_OR_UTILITY", SILENT,
        id="claim-not-amazon-gift-cards"),
    row("I'm selling it on Facebook Marketplace, collection only", "CLAIMS_TECH_OR_UTILITY", SILENT,
        id="claim-not-facebook-marketplace"),
    row("This is Amazon security, your account is locked", "CLAIMS_TECH_OR_UTILITY", FIRES, "Amazon security",
        id="claim-amazon-security"),
    # STRANDED_NEEDS_MONEY: stuck abroad, and the money is the point
    row("I'm stuck at the airport in Lagos, they won't let me leave until I pay customs of £2,500. Please send it "
        "via Western Union.", "STRANDED_NEEDS_MONEY", FIRES, "I'm stuck at the airport", id="stranded-airport"),
    row("my card is blocked in Poland, please send 400 pounds to my friend's account, I will return Monday",
        "STRANDED_NEEDS_MONEY", FIRES, "my card is blocked in Poland", id="stranded-card-blocked-abroad"),
    row("Stuck at the airport, flight delayed two hours, see you tomorrow x", "STRANDED_NEEDS_MONEY", SILENT,
        id="stranded-flight-delayed"),
    # CALLER_ID_AS_PROOF: the number on the screen offered as proof
    row("i can see the number on your screen is our number so you know it's us", "CALLER_ID_AS_PROOF", FIRES,
        "the number on your screen is our number", id="callerid-proof-screen"),
    row("I'm ringing, not texting, so you know it's really me. Call me back on this number if you like.",
        "CALLER_ID_AS_PROOF", SILENT, id="callerid-proof-mum-ringing"),
    row("If you're not sure it's us, hang up and call the number on the back of your card.", "CALLER_ID_AS_PROOF",
        SILENT, id="callerid-proof-genuine-call-back"),
    row("You'll see this call is from HSBC's own number, 03457 404 404.", "CALLER_ID_AS_PROOF", FIRES,
        "You'll see this call is from HSBC's own number", id="callerid-proof-youll-see"),
    # FAMILY_NEW_NUMBER in the UK's other common languages
    row("Mamo to mój nowy numer, stary telefon się zepsuł. Możesz mi pilnie przelać 650 funtów?", "FAMILY_NEW_NUMBER",
        FIRES, "to mój nowy numer", id="family-new-number-polish"),
    row("Abbu ye mera naya number hai, purana phone kharab ho gaya. Mujhe ek urgent payment karni hai", "FAMILY_NEW_NUMBER",
        FIRES, "ye mera naya number", id="family-new-number-roman-urdu"),
    row("Mamo, kupiłam nowy telefon, zadzwonię wieczorem", "FAMILY_NEW_NUMBER", SILENT, id="family-polish-new-phone-news"),
    row("hello grandad it's me don't you recognise my voice", "FAMILY_NEW_NUMBER", FIRES,
        "it's me don't you recognise my voice", id="family-recognise-my-voice"),
    row("Hi Dad it's me, I'm on the train, see you at 6", "FAMILY_NEW_NUMBER", SILENT, id="family-its-me-on-train"),
    # a bank named as a third party: the account's provider, or the sender of a code
    row("okay i just need the sort code and account number for nationwide and the long number on your card",
        "CLAIMS_BANK", SILENT, id="bank-account-for-nationwide"),
    row("And to verify you're the account holder, Barclays will send you a code in a moment.", "CLAIMS_BANK", SILENT,
        id="bank-will-send-you-a-code"),
    row("Hello, this is Barclays fraud prevention, we've seen a payment on your card.", "CLAIMS_BANK", FIRES,
        "Barclays", id="bank-speaks-as-itself"),
    row("Salut, sunt eu Andrei, am număr nou. Am o problemă cu banca, poți să-mi trimiți 300 de lire până mâine?",
        "FAMILY_NEW_NUMBER", FIRES, "am număr nou", id="family-new-number-romanian"),
    row("DPD: your parcel is held at customs. Pay the £2.99 import fee at dpd-customs-fee.com", "STRANDED_NEEDS_MONEY",
        SILENT, id="stranded-parcel-held-at-customs"),
    row("we're not calling to chase you, just a reminder that your meter reading is due", "CLAIMS_BANK", SILENT,
        id="bank-chase-the-verb"),
    row("Hi this is Chase, we've noticed a payment on your card", "CLAIMS_BANK", FIRES, "Chase", id="bank-chase-the-name"),
    # Red-team rounds 26-27: "top ups" is not UPS; the O2 Academy is a concert venue, not the network
    row("we put sixty on the meter for thirty, top ups are half price", "CLAIMS_DELIVERY_FIRM", SILENT,
        id="delivery-top-ups-not-ups"),
    row("See you at the O2 Academy Brixton on Friday! Doors 7pm.", "CLAIMS_TECH_OR_UTILITY", SILENT,
        id="tech-o2-academy-venue"),
    row("This is O2, your contract is ending this month", "CLAIMS_TECH_OR_UTILITY", FIRES, "O2", id="tech-o2-network"),
    # a Post Office as the place to collect council cash is not the Post Office speaking (red-team round 25)
    row("Take the code and photo ID to any Post Office to collect the cash.", "CLAIMS_DELIVERY_FIRM", SILENT,
        id="delivery-any-post-office"),
    # Red-team round 28: the family opener in other words ("its me on a new number", "new sim card",
    # "Got a new phone.", "Lost my wallet and phone ... Using my mate's")
    row("Mam its me on a new number. dont ring as the mic isnt working. can u text me back pls", "FAMILY_NEW_NUMBER",
        FIRES, "its me on a new number", id="family-its-me-on-a-new-number"),
    row("mom?? its me. new sim card. can you add me on whatsapp", "FAMILY_NEW_NUMBER", FIRES, "new sim card",
        id="family-new-sim-card"),
    row("Hi Auntie Jo it's Priya!! Got a new phone. Could u send me £300 and I'll pay you back", "FAMILY_NEW_NUMBER",
        FIRES, "Got a new phone", id="family-auntie-got-a-new-phone"),
    row("Dad, it's Ryan. Lost my wallet and phone. Using my mate's. Can you transfer £60 to his account?",
        "FAMILY_NEW_NUMBER", FIRES, "Lost my wallet and phone", id="family-lost-wallet-and-phone"),
    row("Got a new phone for my birthday! Mum paid half, see you Saturday", "FAMILY_NEW_NUMBER", SILENT,
        id="family-got-a-new-phone-birthday"),
    row("this is Sky technical services, your engineer visit needs a fee", "CLAIMS_TECH_OR_UTILITY", FIRES,
        "Sky technical services", id="tech-sky-technical-services"),
    row("the sky is clear tonight, come and see the stars", "CLAIMS_TECH_OR_UTILITY", SILENT, id="tech-sky-weather"),
    row("Hi Mum it's Sophie, got a new phone through work so this is my new number. The old one still works till Friday. Will ring you tonight x",
        "FAMILY_NEW_NUMBER", SILENT, id="family-new-work-phone-will-ring"),
    # Red-team round 34: "don't message my old number it's dead" (the family and friend scam)
    row("Mate its Dan. Can u send £320 to my brother's acc. Don't message my old number it's dead",
        "FAMILY_NEW_NUMBER", FIRES, "old number it's dead", id="family-old-number-its-dead"),
    row("My old phone's battery is dead, I'll ring you from the landline later", "FAMILY_NEW_NUMBER", SILENT,
        id="family-battery-dead"),
    # Red-team round 36: "phone's bust so texting off my mates"
    row("Hi Mum its me, phone's bust so texting off my mates. Can you ring me on this one when you get this, it's urgent xx",
        "FAMILY_NEW_NUMBER", FIRES, "phone's bust", id="family-phones-bust-texting-off-mates"),
    row("My phone's bust again, typical. See you Sunday mum", "FAMILY_NEW_NUMBER", SILENT, id="family-phones-bust-see-you"),
    # Red-team round 46: a borrowed phone, and money; the same opener asking for nothing is a family text
    row("Mum it's me, I'm on my friend's phone, mine's dead. Can you send £80 to her account? I'll send the details",
        "FAMILY_NEW_NUMBER", FIRES, "I'm on my friend's phone, mine's dead", id="family-borrowed-phone-and-money"),
    row("Hi Mum it's me on Tom's phone, mine's died. Can you leave the back door unlocked, I forgot my key. Home by 10",
        "FAMILY_NEW_NUMBER", SILENT, id="family-borrowed-phone-asks-nothing"),
    # Red-team round 50: the romance script's money trouble
    row("there's an import duty of three thousand four hundred before they will release it and my accounts are frozen "
        "until i am back on land", "STRANDED_NEEDS_MONEY", FIRES, "my accounts are frozen until i am back",
        id="stranded-accounts-frozen-until-back-on-land"),
    row("my contract payment has been blocked by the bank and I need to pay the release fee to get my salary out. £2,900",
        "STRANDED_NEEDS_MONEY", FIRES, "release fee to get my salary", id="stranded-release-fee-for-salary"),
    row("My card's frozen till I'm back home on Friday, so I'll pay you for the tickets then - no rush",
        "STRANDED_NEEDS_MONEY", SILENT, id="stranded-card-frozen-pays-later"),
    # Red-team round 56: a go-between who wants the money sent to them to pass on
    row("Her boiler's gone and the engineer wants £350 up front. She said you'd be able to send it to me and I'll pay him cash.",
        "RELATIVE_IN_TROUBLE_MONEY", FIRES, "send it to me and I'll pay him", id="relative-go-between-send-it-to-me"),
    row("Send it to me and I'll pay you back on Friday, promise", "RELATIVE_IN_TROUBLE_MONEY", SILENT,
        id="relative-friend-borrowing"),
    row("mum its me im on my mates phone mines dead can you send eighty pounds to his account", "FAMILY_NEW_NUMBER", FIRES,
        "im on my mates phone mines dead", id="family-borrowed-phone-recogniser-style"),
    # Red-team round 55: a friend's phone, and money
    row("Hi! Bex here, on a friend's phone. Can you send your sponsorship straight to me instead? Acc details: B Holmes 11-48-66 70341982",
        "FAMILY_NEW_NUMBER", FIRES, "here, on a friend's phone", id="borrowed-friends-phone-money"),
    row("Bex here, on a friend's phone - mine died. See you at the station at 6!", "FAMILY_NEW_NUMBER", SILENT,
        id="borrowed-friends-phone-no-money"),
    row("Hi Dad, it's Sarah. Sorry for the weird number, I've switched networks. Can you send me a code?", "FAMILY_NEW_NUMBER",
        FIRES, "Sorry for the weird number", id="family-sorry-for-the-weird-number"),
    row("Sorry for the weird number, it's the surgery's mobile. Your appointment is at 3pm.", "FAMILY_NEW_NUMBER", SILENT,
        id="family-weird-number-no-relative"),
    # Red-team round 70: the shortest texts
    row("Hi mum, phone died, on Kate's phone. Home by 10 x", "FAMILY_NEW_NUMBER", SILENT, id="family-phone-died-home-by-ten"),
    row("Dad pls don't ring, can't talk. Can you help with my rent? Will explain later", "FAMILY_NEW_NUMBER", FIRES,
        "Dad pls don't ring, can't talk. Can you help with my rent", id="family-dont-ring-cant-talk-money"),
    row("Dad don't ring, I'm in the cinema, will call after x", "FAMILY_NEW_NUMBER", SILENT, id="family-dont-ring-cinema"),
    row("Call me urgently on 07700 900467 about your son's accident. PC Davies", "CLAIMS_POLICE_OR_COURT", FIRES, "PC Davies",
        id="police-pc-sign-off"),
    row("Got the new PC World voucher for your birthday!", "CLAIMS_POLICE_OR_COURT", SILENT, id="police-pc-world"),
    # Red-team round 46: the borrowed phone on a call, the money turns later (BORROWED_PHONE_AND_MONEY)
    row("Mummy? Mummy, it's me. I'm on Maisie's phone, mine's dead.", "BORROWED_PHONE", FIRES,
        "I'm on Maisie's phone, mine's dead", id="borrowed-phone-call-opener"),
    row("I'm on Maisie's phone tonight while we watch the film, ring me on it if you need me", "BORROWED_PHONE", SILENT,
        id="borrowed-phone-no-dead-phone"),
    row("Dad it's me, Ellie, I've got a new phone so my WhatsApp will say a new device. Same number tho, don't panic lol",
        "FAMILY_NEW_NUMBER", SILENT, id="family-new-phone-same-number"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_impersonation_flag(text, flag, expect, span, at):
    check_row(patterns(), text, flag, expect, span, at)


VERDICTS = [
    verdict_row("The police were round at number 12 last night, apparently someone broke in", NOT_ALARMING,
                id="neighbour-police"),
    verdict_row("Hi love, it's mum. Dad says dinner is at 7, bring a jumper", NOT_ALARMING, id="family-dinner"),
    verdict_row("HMRC", NOT_ALARMING, id="hmrc-alone"),
    verdict_row("Hello from Barclays", NOT_ALARMING, id="bank-alone"),
    verdict_row("Hi mum this is my new number, my phone broke. Can you pay a bill for me today? I'll pay you back",
                ("scam", "suspicious"), id="family-new-number-money"),
]


@pytest.mark.parametrize(("text", "verdicts"), VERDICTS)
def test_impersonation_verdict(text, verdicts):
    check_verdict(text, verdicts)
