"""The link detector: shorteners, lookalike and brand-plus-word domains, IP links, risky endings, and a
"government" message whose link is not on gov.uk. Official domains are the negatives."""

from __future__ import annotations

import pytest

from flag_cases import (
    FIRES,
    NOT_ALARMING,
    SILENT,
    check_row,
    check_verdict,
    links,
    links_and_patterns,
    row,
    verdict_row,
)

ROWS = [
    # an e-gift card "sent" to you, its balance to check on a site named only with everyday words (round 773)
    row("You've been sent a £50 Christmas e-gift card! To check your balance tap: giftcard-check-balance.co.uk/r/5K2Q",
        "LINK_GENERIC_NAME", FIRES, "giftcard-check-balance.co.uk/r/5K2Q", id="generic-name-gift-card-balance"),
    row("You've been sent a £50 Love2shop e-gift card! Check your balance at love2shop.co.uk",
        "LINK_GENERIC_NAME", SILENT, id="generic-name-gift-card-real-shop"),
    # Universal Credit's name in an address that is not GOV.UK, and the sign-in it sends you to (round 768)
    row("You have a new message in your Universal Credit journal. Sign in to read it: universalcredit-journal-signin.co.uk",
        "LINK_LOOKALIKE_DOMAIN", FIRES, "universalcredit-journal-signin.co.uk", id="lookalike-universal-credit"),
    row("You have a new message about your Universal Credit claim. Sign in to read it: https://universal-credit.service.gov.uk/sign-in",
        "LINK_LOOKALIKE_DOMAIN", SILENT, id="lookalike-universal-credit-genuine-service"),
    row("You have a new message in your Universal Credit journal. Sign in to read it: universalcredit-journal-signin.co.uk",
        "LINK_CALL_TO_ACTION", FIRES, "Sign in to read it: universalcredit-journal-signin.co.uk", id="cta-sign-in-to-read-it"),
    # a Hungarian bank's look-alike (round 642)
    row("OTP Bank: Szokatlan bejelentkezést észleltünk. Erősítse meg: otpbank-ellenorzes.hu-secure.net",
        "LINK_LOOKALIKE_DOMAIN", FIRES, "otpbank-ellenorzes.hu-secure.net", id="lookalike-otpbank"),
    # an address straight after Chinese characters: "你自己上gov.uk" (go to gov.uk yourself) names gov.uk, not "你自己上gov.uk" (round 648)
    row("你自己上gov.uk，搵UKVI account就得，唔使俾錢", "LINK_LOOKALIKE_DOMAIN", SILENT, id="lookalike-cjk-before-gov-uk"),
    row("請到hsbc-verify.com驗證你的賬戶", "LINK_LOOKALIKE_DOMAIN", FIRES, "hsbc-verify.com", id="lookalike-cjk-around-host"),
    # an email address's own name is not a web address: "council.tax@leeds.gov.uk" names no site ".tax" (round 616)
    row("From: Leeds City Council <council.tax@leeds.gov.uk> Your council tax bill is ready. Sign in at www.leeds.gov.uk/counciltax",
        "LINK_GOV_CLAIM_NOT_GOV_UK", SILENT, id="gov-claim-email-local-part"),
    row("Leeds City Council: your council tax refund is ready, claim at council.tax/leeds-refund", "LINK_GOV_CLAIM_NOT_GOV_UK",
        FIRES, "council.tax/leeds-refund", id="gov-claim-dot-tax-site"),
    # a file-sharing service's own address is everyday words too, and anyone's files live there (round 582)
    row("The check-in inventory with photos of every room is in this Dropbox folder: dropbox.com/scl/fo/k2x8r1vq0/AHd9eTq4",
        "LINK_GENERIC_NAME", SILENT, id="generic-name-dropbox"),
    row("Your files are waiting: dropbox-secure-files.com/share/8812", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "dropbox-secure-files.com/share/8812", id="lookalike-dropbox"),
    row("omg is this u in the paper?? someone's written a whole thing about u news-story-today.com/read/88412", "LINK_GENERIC_NAME",
        FIRES, "news-story-today.com/read/88412", id="generic-name-news-story"),
    # an address made only of everyday words, naming no business (LINK_GENERIC_NAME, round 568); a firm's own name is not one
    row("Hi all, please find the minutes from last week's meeting here: docview-secure-share.com/minutes-0312", "LINK_GENERIC_NAME",
        FIRES, "docview-secure-share.com/minutes-0312", id="generic-name-minutes"),
    row("Hi is this your car? I got a pic of their reg: carsnaps-report.co.uk/img/84213", "LINK_GENERIC_NAME", FIRES,
        "carsnaps-report.co.uk/img/84213", id="generic-name-car-photo"),
    row("Your professional photos are ready to check: northgateestates.co.uk/approve/14", "LINK_GENERIC_NAME", SILENT,
        id="generic-name-a-firms-own"),
    row("Book your parents' evening slots at stmaryscofe.schoolcloud.co.uk", "LINK_GENERIC_NAME", SILENT,
        id="generic-name-known-service"),
    # the way out told as "by updating payment at <link>" offers the link (round 573); a payment alert's merchant does not
    row("DVLA: your vehicle tax has lapsed. Avoid a fine up to £1,000 by updating payment at dvla-vehicletax-renew.co.uk",
        "LINK_LOOKALIKE_DOMAIN", FIRES, "dvla-vehicletax-renew.co.uk", id="lookalike-by-updating-payment-at"),
    # a brand's name may not run on into the address's ending: "...estateS.CO.uk" spells no "tesco" (round 552), while names
    # that end in one ("govuk") still count, and a host found only as far as a space keeps its last word
    row("Have a look here: northgateestates.co.uk/approve/14 and let me know", "LINK_LOOKALIKE_DOMAIN", SILENT,
        id="lookalike-not-across-the-ending"),
    row("Apply in 5 minutes at secure-gov.uk/apply", "LINK_LOOKALIKE_DOMAIN", FIRES, "secure-gov.uk/apply",
        id="lookalike-govuk-in-the-ending"),
    row("ANTAI: amende de 45 EUR si réglé sous 15 jours: antai-amendes-paiement.fr/uk", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "antai-amendes-paiement.fr/uk", id="lookalike-french-fines-agency"),
    # a money-transfer firm's look-alike (round 537)
    row("Dahabshiil: $350 ayaa laguu soo diray. Si aad u qaadato, xaqiiji faahfaahinta kaarkaaga: dahabshiil-lacag-qaado.com",
        "LINK_LOOKALIKE_DOMAIN", FIRES, "dahabshiil-lacag-qaado.com", id="lookalike-dahabshiil"),
    # a Railcard look-alike (round 540)
    row("Your 16-25 Railcard has expired. Renew today for just £5 at railcard-renewals.uk",
        "LINK_LOOKALIKE_DOMAIN", FIRES, "railcard-renewals.uk", id="lookalike-railcard"),
    # a Zipcar look-alike (round 540)
    row("Zipcar: a £150 damage excess will be taken. To dispute it upload your licence at zipcar-claimsuk.com",
        "LINK_LOOKALIKE_DOMAIN", FIRES, "zipcar-claimsuk.com", id="lookalike-zipcar"),
    # a bookmaker's look-alike (the audit, round 510)
    row("bet365: unusual activity on your account. Verify your identity at bet365-secure-verify.com to avoid closure",
        "LINK_LOOKALIKE_DOMAIN", FIRES, "bet365-secure-verify.com", id="lookalike-bet365"),
    row("Sky Bet: Premier League's back! Get a £1 Bet Builder boost on Saturday's games. 18+ BeGambleAware.org. skybet.com. Reply STOP to opt out.",
        "LINK_NOT_ORGS_WEBSITE", SILENT, id="not-orgs-website-begambleaware"),
    # a Northern Ireland health trust's look-alike (the audit, round 508)
    row("HSC: you are due a refund of your hospital parking charges. Claim at hscni-refunds.net",
        "LINK_LOOKALIKE_DOMAIN", FIRES, "hscni-refunds.net", id="lookalike-hscni"),
    row("You will get an email from Airbnb with the payment instructions. airbnb-secure-rentals.com", "LINK_LOOKALIKE_DOMAIN",
        FIRES, "airbnb-secure-rentals.com", id="lookalike-airbnb"),
    row("Your booking is confirmed, see airbnb.co.uk/trips", "LINK_LOOKALIKE_DOMAIN", SILENT, id="lookalike-airbnb-own"),
    # round 471: Ulster Bank, and Royal Mail in Welsh, off their own domains
    row("Ulster Bank: transfer your balance to your new account at ulsterbank-transition.com", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "ulsterbank-transition.com", id="lookalike-ulster-bank"),
    row("Post Brenhinol: Talwch o fewn 12 awr: postbrenhinol-dosbarthu.com/tal", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "postbrenhinol-dosbarthu.com/tal", id="lookalike-post-brenhinol"),
    row("Ulster Bank: your new card is on its way. See ulsterbank.co.uk/cards", "LINK_LOOKALIKE_DOMAIN", SILENT,
        id="lookalike-ulster-bank-own"),
    row("Log in at rnonzo-secure-help.com to keep your account open", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "rnonzo-secure-help.com", id="lookalike-rn-for-m"),
    row("Tickets at cornwall-tournament.co.uk", "LINK_LOOKALIKE_DOMAIN", SILENT, id="lookalike-rn-ordinary-words"),
    # a merchant in a payment alert whose amount normalising rewrote ("GBP 62.18" -> "£62.18")
    row("NatWest: Only use it to approve the online payment of GBP 62.18 to ASOS.COM.", "LINK_NOT_ORGS_WEBSITE",
        SILENT, id="merchant-after-gbp-amount"),
    # LINK_SHORTENER
    row("Your parcel is waiting: bit.ly/3xYz9Q", "LINK_SHORTENER", FIRES, "bit.ly/3xYz9Q", 24, id="short-bitly"),
    row("Track it here https://tinyurl.com/rm-parcel", "LINK_SHORTENER", FIRES, "https://tinyurl.com/rm-parcel", 14,
        id="short-tinyurl"),
    row("Photos from Saturday: https://photos.google.com/share/abc", "LINK_SHORTENER", SILENT, id="short-none"),
    # LINK_LOOKALIKE_DOMAIN: brand plus words, digits for letters, Cyrillic letters
    # ... and the banks and posts of the UK's communities (rounds 288, 297, 375), not on their own domains
    row("PKO BP: Jeśli to nie Ty, zablokuj dostęp: pko-bp-weryfikacja.com/uk", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "pko-bp-weryfikacja.com/uk", id="lookalike-pko"),
    row("Omniva: sumokėkite 1,45 GBP: omniva-siuntos-lt.com/muitas", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "omniva-siuntos-lt.com/muitas", id="lookalike-omniva"),
    row("PKO BP: Twój kod BLIK to 123456. Szczegóły na pkobp.pl", "LINK_LOOKALIKE_DOMAIN", SILENT, id="lookalike-pko-own"),
    row("Royal Mail: reschedule at royalmail-redelivery.com", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "royalmail-redelivery.com", 26, id="lookalike-brand-plus-word"),
    row("HMRC refund: www.hmrc-taxrefund-uk.com/claim", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "www.hmrc-taxrefund-uk.com/claim", id="lookalike-hmrc"),
    row("Verify now at https://amaz0n-security.net/login", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "https://amaz0n-security.net/login", id="lookalike-digit-for-letter"),
    row("Log in at paypa1-secure.net now", "LINK_LOOKALIKE_DOMAIN", FIRES, "paypa1-secure.net", 10,
        id="lookalike-digit-one-for-l"),
    row("Redeliver: rоyalmail.com/redeliver", "LINK_LOOKALIKE_DOMAIN", FIRES, "rоyalmail.com/redeliver", 11,
        id="lookalike-cyrillic-bare-host"),
    row("Sign in: https://аmazon.co.uk/account", "LINK_LOOKALIKE_DOMAIN", FIRES, "https://аmazon.co.uk/account", 9,
        id="lookalike-cyrillic-a"),
    row("Barclays: confirm at barclays.secure-login.co", "LINK_LOOKALIKE_DOMAIN", FIRES, "barclays.secure-login.co", id="lookalike-subdomain"),
    row("Track your parcel at https://www.royalmail.com/track-your-item", "LINK_LOOKALIKE_DOMAIN", SILENT,
        id="official-royalmail"),
    row("Sign in at https://www.barclays.co.uk", "LINK_LOOKALIKE_DOMAIN", SILENT, id="official-barclays"),
    # an organisation's open hosts (anyone's pages): never a look-alike, never an official link
    row("verify at instagram-help-centre.net within 12 hours", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "instagram-help-centre.net", id="lookalike-instagram"),
    row("Look at my new photos on instagram.com/jess.bakes x", "LINK_LOOKALIKE_DOMAIN", SILENT, id="open-host-instagram"),
    row("Look at my new photos on instagram.com/jess.bakes x", "LINK_OFFICIAL_DOMAIN", SILENT,
        id="open-host-not-official"),
    row("Appeal at facebook-support-appeal.com", "LINK_LOOKALIKE_DOMAIN", FIRES, "facebook-support-appeal.com",
        id="lookalike-facebook"),
    row("Book your jab at https://www.nhs.uk/book-a-vaccination", "LINK_LOOKALIKE_DOMAIN", SILENT, id="official-nhs"),
    # LINK_OFFICIAL_DOMAIN (negative weight)
    row("Your hearing for rent arrears is listed for 14 May. Free independent advice: shelter.org.uk",
        "LINK_OFFICIAL_DOMAIN", FIRES, "shelter.org.uk", id="official-advice-charity"),
    row("File your return at https://www.gov.uk/self-assessment", "LINK_OFFICIAL_DOMAIN", FIRES,
        "https://www.gov.uk/self-assessment", 20, id="official-gov-uk"),
    row("Order details at https://www.amazon.co.uk/orders", "LINK_OFFICIAL_DOMAIN", FIRES, "https://www.amazon.co.uk/orders", id="official-amazon"),
    row("Pay at gov.uk.pay-fines.com", "LINK_OFFICIAL_DOMAIN", SILENT, id="official-gov-prefix-trick"),
    # LINK_PAYMENT_PAGE: a small firm's invoice or payment page on a card-reader or invoicing firm's own site (round 383)
    row("Clearview Window Cleaning has sent you an invoice for £18.00. Pay online: https://squareup.com/pay-invoice/inv_0a9Xf2",
        "LINK_PAYMENT_PAGE", FIRES, "https://squareup.com/pay-invoice/inv_0a9Xf2", id="payment-page-square-invoice"),
    row("here's the payment link for Bella's groom, £45: https://pay.sumup.com/b2c/QK7ZP3WM", "LINK_PAYMENT_PAGE", FIRES,
        "https://pay.sumup.com/b2c/QK7ZP3WM", id="payment-page-sumup"),
    row("Pay the invoice at squareup-invoices.com/pay", "LINK_PAYMENT_PAGE", SILENT, id="payment-page-lookalike"),
    row("Square Invoice #00418: dispute and cancel the invoice here: https://squareup-invoice-dispute.com/00418", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "https://squareup-invoice-dispute.com/00418", id="lookalike-squareup"),
    row("Pay at https://squareup.com/pay-invoice/inv_1 or see bit.ly/3xYz", "LINK_PAYMENT_PAGE", SILENT,
        id="payment-page-beside-another-link"),
    row("Pay me at paypal.me/jess for the tickets", "LINK_PAYMENT_PAGE", SILENT, id="payment-page-not-a-pay-me-link"),
    # LINK_IP_ADDRESS
    row("Update your details: http://185.22.41.7/secure", "LINK_IP_ADDRESS", FIRES, "http://185.22.41.7/secure", 21,
        id="ip-link"),
    row("The score was 3.1.2.0 at half time", "LINK_IP_ADDRESS", SILENT, id="ip-not-a-link"),
    # LINK_NOT_ORGS_WEBSITE: the sender speaks as an organisation but links elsewhere
    row("Barclays: please verify your account at secure-verify-acct.com", "LINK_NOT_ORGS_WEBSITE", FIRES,
        "secure-verify-acct.com", id="not-orgs-site"),
    # the shop a parcel came from, named by its web address, is no page to open (round 383)
    row("Yodel: Your Very.co.uk parcel was delivered and left in your porch. See the photo: yodel.co.uk/track/JD0002246",
        "LINK_NOT_ORGS_WEBSITE", SILENT, id="shop-named-by-its-address"),
    row("Yodel: your parcel is held. Pay the fee at very-yodel.co.uk today", "LINK_NOT_ORGS_WEBSITE", FIRES, "very-yodel.co.uk",
        id="courier-fee-on-another-site"),
    row("Barclays: your statement is ready at barclays.co.uk", "LINK_NOT_ORGS_WEBSITE", SILENT,
        id="not-orgs-site-own"),
    # a merchant in a bank's payment alert is where money went, not a link offered; "pay ... at" is one
    row("Starling: We've declined a card payment at WISH.COM to protect you. Open the app to check.",
        "LINK_NOT_ORGS_WEBSITE", SILENT, id="merchant-declined-at"),
    row("Nationwide: Please confirm you made this payment on your card ending 8842: £340.00 at AO.COM. Reply Y or N",
        "LINK_NOT_ORGS_WEBSITE", SILENT, id="merchant-amount-after-colon"),
    row("Metro Bank: Please confirm your card ending 7150 was used for £59.00 at NIKE.COM. Reply Y if so, N if not",
        "LINK_NOT_ORGS_WEBSITE", SILENT, id="merchant-used-for"),
    row("Santander: Did you just try to use your debit card ending 4471 for £62.99 at ASOS.COM? Reply Y or N.",
        "LINK_NOT_ORGS_WEBSITE", SILENT, id="merchant-card-ending-for-amount"),
    # red-team round 236: the merchant of "did you authorise £960 to APPLE.COM?" is no official link of the sender's
    row("bank here, did u authorise £960 to APPLE.COM? if not reply NO and we will call u", "LINK_OFFICIAL_DOMAIN", SILENT,
        id="merchant-authorised-to-is-no-official-link"),
    row("Santander: your card needs upgrading for £0.99 at santander-card-upgrade.com", "LINK_NOT_ORGS_WEBSITE", FIRES,
        "santander-card-upgrade.com", id="card-upgrade-for-amount-at-is-a-link"),
    row("DHL: We tried to deliver your parcel, please pay the £1.99 redelivery charge at dhl-parcels-uk.com",
        "LINK_NOT_ORGS_WEBSITE", FIRES, "dhl-parcels-uk.com", id="pay-charge-at-is-a-link"),
    row("EE: your bill could not be paid. Update payment at ee-billing-support.co.uk", "LINK_NOT_ORGS_WEBSITE",
        FIRES, "ee-billing-support.co.uk", id="update-payment-at-is-a-link"),
    row("Amazon: your package will be delivered today. Track at amzn.eu/d/4Xq9a2P", "LINK_NOT_ORGS_WEBSITE",
        SILENT, id="amazon-short-link"),
    row("I got it cheaper than on Amazon, look: bargain-gadgets.co.uk", "LINK_NOT_ORGS_WEBSITE", SILENT,
        id="not-orgs-site-mention"),
    # LINK_RISKY_TLD
    row("Claim here: https://uk-refunds.xyz/claim", "LINK_RISKY_TLD", FIRES, "https://uk-refunds.xyz/claim", 12,
        id="tld-xyz"),
    row("Pay the fee at parcel-help.top", "LINK_RISKY_TLD", FIRES, "parcel-help.top", id="tld-top"),
    row("See you at the Red Lion at 8.", "LINK_RISKY_TLD", SILENT, id="tld-no-link"),
    # LINK_GOV_CLAIM_NOT_GOV_UK
    row("GOV.UK: you are owed a council tax rebate, apply at counciltax-rebate.com", "LINK_GOV_CLAIM_NOT_GOV_UK",
        FIRES, "counciltax-rebate.com", id="gov-claim-dotcom"),
    row("DVLA: your vehicle tax failed, update at dvla-renewal.info", "LINK_GOV_CLAIM_NOT_GOV_UK", FIRES, "dvla-renewal.info",
        id="gov-claim-dvla"),
    row("HMRC: file your return at https://www.gov.uk/log-in-file-self-assessment-tax-return",
        "LINK_GOV_CLAIM_NOT_GOV_UK", SILENT, id="gov-claim-official"),
    row("Book via the NHS App or https://www.nhs.uk", "LINK_GOV_CLAIM_NOT_GOV_UK", SILENT, id="gov-claim-nhs"),
    # LINK_CALL_TO_ACTION (a pattern flag in the links group: the words that push you to the link)
    row("Your card is locked. Tap the link below to restore access: card-unlock.help", "LINK_CALL_TO_ACTION", FIRES,
        "Tap the link", id="cta-tap-link"),
    row("If it was you, open the email we sent and tap the link in it", "LINK_CALL_TO_ACTION", SILENT,
        id="cta-link-elsewhere"),
    row("Parcel on hold, reschedule here: https://evri-redelivery.top/x", "LINK_CALL_TO_ACTION", FIRES,
        "reschedule here: https://evri-redelivery.top/x", id="cta-here-colon"),
    row("To reactivate your account please visit secure-natwest-online.com", "LINK_CALL_TO_ACTION", FIRES,
        "To reactivate your account please visit secure-natwest-online.com", 0,
        id="cta-to-reactivate-visit"),
    row("The link between diet and sleep is fascinating", "LINK_CALL_TO_ACTION", SILENT, id="cta-link-word"),
    # the sms_train split's phishing (2026-12-06, sixteenth session)
    row("Account may compromised. Please review here http://pmbox.online/4UWq", "LINK_CALL_TO_ACTION", FIRES,
        "review here http://pmbox.online/4UWq", id="cta-review-here"),
    row("couldn't deliver due to misinformation on your street number, please follow t.ly/E3Y_QgN to make correction",
        "LINK_CALL_TO_ACTION", FIRES, "follow t.ly/E3Y_QgN to make correction", id="cta-follow-to-make-correction"),
    row("For more about our winter menu visit www.thewhitehart-pub.co.uk", "LINK_CALL_TO_ACTION", SILENT,
        id="cta-pub-menu-visit"),
    row("Your $1000 Stimulus Check has been approved. Confirm details ebgicer.com/mDWj392A", "LINK_CALL_TO_ACTION", FIRES,
        "Confirm details ebgicer.com/mDWj392A", id="cta-confirm-details-bare"),
    row("Review: the film was great, the trailer is at imdb.com/title/tt01", "LINK_CALL_TO_ACTION", SILENT,
        id="cta-review-colon-prose"),
    row("Your bill is paid. Thanks, here's a little gift for you: warrantgeneration.com/RsCoLl", "LINK_CALL_TO_ACTION",
        FIRES, "gift for you: warrantgeneration.com/RsCoLl", id="cta-gift-for-you"),
    row("Happy birthday! A little present for you: https://www.youtube.com/watch?v=abc", "LINK_CALL_TO_ACTION", SILENT,
        id="cta-birthday-present"),
    row("Renew now for £48 or collections will stop in January. council-gardenwaste-renew.uk", "LINK_CALL_TO_ACTION", FIRES,
        "Renew now for £48 or collections will stop in January. council-gardenwaste-renew.uk", id="cta-renew-sum-then-link"),
    row("Log in via the secure link http:/95.141.32.7:81/default.aspx to avoid suspension", "LINK_IP_ADDRESS", FIRES,
        "http:/95.141.32.7:81/default.aspx", id="ip-link-one-slash"),
    row("/-/THANK YOU! CID: EW50QR https:/WIN::http://194.87.143.43///w.php", "LINK_IP_ADDRESS", FIRES,
        "http://194.87.143.43///w.php", id="ip-link-after-broken-scheme"),
    row("Your service will be suspended. Update payment: o2-billing-update.com", "LINK_CALL_TO_ACTION", FIRES,
        "Update payment: o2-billing-update.com", id="cta-colon-bare-domain"),
    row("Meet at 7:30 at the Crown", "LINK_CALL_TO_ACTION", SILENT, id="cta-time-colon"),
    row("Tesco: claim your reward at tesco-rewards-uk.co", "LINK_LOOKALIKE_DOMAIN", FIRES, "tesco-rewards-uk.co",
        id="lookalike-tesco"),
    row("Your order: https://www.tesco.com/groceries/orders", "LINK_LOOKALIKE_DOMAIN", SILENT, id="official-tesco"),
    row("Visit chase-locked.com/web to verify the activity", "LINK_CALL_TO_ACTION", FIRES,
        "Visit chase-locked.com/web to verify", 0, id="cta-visit-domain-to-verify"),
    row("We'll visit your home on Monday to confirm the measurements", "LINK_CALL_TO_ACTION", SILENT,
        id="cta-home-visit"),
    row("To renew your licence visit www.gov.uk/renew", "LINK_CALL_TO_ACTION", SILENT, id="cta-gov-uk"),
    # LINK_CALL_TO_ACTION: the request in other words
    row("Not you, click cesbc.us/ to cancel.", "LINK_CALL_TO_ACTION", FIRES, "click cesbc.us/ to cancel",
        id="cta-not-you-comma"),
    row("Pay or challenge online at ukparking-pcn.info", "LINK_CALL_TO_ACTION", FIRES,
        "Pay or challenge online at ukparking-pcn.info", id="cta-pay-or-challenge"),
    row("Your deliveries have been stopped. pls update. uspdelmvsub.info/Resd", "LINK_CALL_TO_ACTION", FIRES,
        "pls update. uspdelmvsub.info/Resd", id="cta-pls-update"),
    row("No one was in. Use rebook-collection35.com to rebook a new slot.", "LINK_CALL_TO_ACTION", FIRES,
        "Use rebook-collection35.com to rebook", id="cta-use-to-rebook"),
    row("Your account is disabled. Go to acct.encryptbegin.com/d8bcm asap to resolve.", "LINK_CALL_TO_ACTION", FIRES,
        "Go to acct.encryptbegin.com/d8bcm asap to resolve", id="cta-asap-to-resolve"),
    row("Your order from Leaf & Co has shipped. More about us at leafandco.co.uk", "LINK_CALL_TO_ACTION", SILENT,
        id="cta-about-us"),
    # LINK_DISGUISED: an address written to dodge filters; prose with a spaced full stop is not one
    row("[RoyalMail] Your item is awaiting a customs charge of £2.85. Visit royalmail . uk-customs-fee . com",
        "LINK_DISGUISED", FIRES, "royalmail . uk-customs-fee . com", id="disguised-spaced-dots"),
    row("Confirm a delivery slot: hxxps://dpd-slot . online/?c=5521", "LINK_DISGUISED", FIRES,
        "hxxps://dpd-slot . online/?c=5521", id="disguised-hxxp"),
    row("Rebook at evri[.]com/rebook today", "LINK_DISGUISED", FIRES, "evri[.]com/rebook", id="disguised-brackets"),
    row("Rebook at evri[.]com/rebook today", "LINK_OFFICIAL_DOMAIN", SILENT, id="disguised-own-domain-not-official"),
    row("I'm at home . me and Jo are watching the match", "LINK_DISGUISED", SILENT, id="disguised-prose-me"),
    row("Total was 5 . 99 with the discount", "LINK_DISGUISED", SILENT, id="disguised-prose-number"),
    row("Track it at royalmail.com/track", "LINK_DISGUISED", SILENT, id="disguised-plain-link"),
    # LINK_GOV_CLAIM_NOT_GOV_UK: government services by name
    row("Universal Credit: you are due a one-off £650 top-up payment. Check eligibility now uc-support.me",
        "LINK_GOV_CLAIM_NOT_GOV_UK", FIRES, "uc-support.me", id="gov-claim-universal-credit"),
    row("Universal Credit: your statement is ready. Sign in at gov.uk/sign-in-universal-credit",
        "LINK_GOV_CLAIM_NOT_GOV_UK", SILENT, id="gov-claim-universal-credit-on-gov-uk"),
    row("Your council's annual canvass: confirm who lives at your address at householdresponse.com",
        "LINK_GOV_CLAIM_NOT_GOV_UK", SILENT, id="gov-claim-not-the-canvass"),
    row("Evri: Redelivery needed. hxxps://evri-redeliver .top", "LINK_DISGUISED", FIRES,
        "hxxps://evri-redeliver .top", id="disguised-hxxp-space-before-dot"),
    row("Your DVLA refund is ready. Go to www dot dvla-refund dot com", "LINK_DISGUISED", FIRES,
        "www dot dvla-refund dot com", id="disguised-spelt-dots"),
    row("Sign up now http // www .mightyanimations.com", "LINK_DISGUISED", SILENT, id="disguised-not-ocr-spacing"),
    # a council by name is no government claim here: councils link to their own .com and .co.uk sites too
    row("Derry City & Strabane District Council: From next week your blue bin will be collected on Tuesdays. Check your "
        "collection dates at derrystrabane.com/bins", "LINK_GOV_CLAIM_NOT_GOV_UK", SILENT, id="gov-claim-council-own-dot-com"),
    # an address with no written dot at all is still found (red-team round 283)
    row("Pay the fee at royalmail dot uk-fee dot com today", "LINK_DISGUISED", FIRES, "royalmail dot uk-fee dot com",
        id="disguised-spelt-dots-only"),
    row("Pay the fee at royalmail dot uk-fee dot com today", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "royalmail dot uk-fee dot com", id="lookalike-spelt-dots-only"),
    row("See you at the co-op. me too", "LINK_DISGUISED", SILENT, id="disguised-prose-co-op"),
    # a personal "pay me" link is a stranger's account, not the bank or PayPal speaking (red-team round 26)
    row("pay me direct £90 and ill post it today. monzo.me/jakeb-sells", "LINK_OFFICIAL_DOMAIN", SILENT,
        id="open-host-monzo-me"),
    row("My share is £23, here's my link paypal.me/sarahj23", "LINK_LOOKALIKE_DOMAIN", SILENT, id="open-host-paypal-me"),
    # "if you get Universal Credit" is who qualifies, not the sender speaking as it (red-team round 25)
    row("You might qualify for a broadband social tariff from £12 a month if you get Universal Credit. Compare at uswitch.com",
        "LINK_GOV_CLAIM_NOT_GOV_UK", SILENT, id="gov-claim-if-you-get-uc"),
    row("You are eligible for a Universal Credit top-up payment of £650. Claim at uc-topup.com",
        "LINK_GOV_CLAIM_NOT_GOV_UK", FIRES, "uc-topup.com", id="gov-claim-uc-top-up"),
    # an address written as a name is not a link offered: "GOV.UK ALERT", "your GOV.UK One Login code",
    # "Booking.com: your stay" (sms_train's fake lockdown fines were reassured by their own "GOV.UK ALERT")
    row("GOV.UK ALERT CORONAVIRUS You have been out of the house more than once and are issued a £250 fine.",
        "LINK_OFFICIAL_DOMAIN", SILENT, id="official-govuk-alert-is-a-name"),
    row("Your GOV.UK One Login security code is 482913. Do not share it.", "LINK_OFFICIAL_DOMAIN", SILENT,
        id="official-govuk-one-login-is-a-name"),
    row("Visit GOV.UK for more", "LINK_OFFICIAL_DOMAIN", FIRES, "GOV.UK", id="official-visit-govuk"),
    row("Your card is on hold, check now barclays-secure-help.com Team Barclays", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "barclays-secure-help.com", id="lookalike-lowercase-link-before-signoff"),
    # a Microsoft Forms page is anyone's form, not Microsoft speaking
    row("You qualify for a relief bonus of $2400 every week. Apply here: https://forms.office.com/r/Oc71GAVPIJ",
        "LINK_OFFICIAL_DOMAIN", SILENT, id="open-host-microsoft-forms"),
    row("If this wasn't you, visit account.microsoft.com/security", "LINK_OFFICIAL_DOMAIN", FIRES,
        "account.microsoft.com/security", id="official-microsoft-account"),
    # throwaway hosts on newer endings are links too (sms_train smishing: ".directory", ".best", ".gl")
    row("Get up to 100$ today http://catchingbudding.directory/8BWT1REM", "LINK_NOT_ORGS_WEBSITE", SILENT,
        id="tld-directory-no-claim"),
    row("Amazon: your order is on hold, confirm at amazon-orders.best/x7 now", "LINK_NOT_ORGS_WEBSITE", FIRES,
        "amazon-orders.best/x7", id="tld-best-not-amazon"),
    # Red-team round 47: "top up now at <link>" asks you to pay there; airlines' look-alike claim sites
    row("To make sure they get lunch tomorrow, please top up now at parentpay-balance.co.uk", "LINK_CALL_TO_ACTION",
        FIRES, "top up now at parentpay-balance.co.uk", id="cta-top-up-now-at"),
    row("I'll top up my Oyster at the station, see you at 6", "LINK_CALL_TO_ACTION", SILENT, id="cta-top-up-no-link"),
    row("easyJet: your flight was cancelled. You're entitled to £220 compensation. Claim at easyjet-refundclaims.com",
        "LINK_LOOKALIKE_DOMAIN", FIRES, "easyjet-refundclaims.com", id="lookalike-easyjet-claims"),
    row("easyJet: your flight EZY8821 is now boarding from gate 12. Manage your booking at easyjet.com",
        "LINK_LOOKALIKE_DOMAIN", SILENT, id="lookalike-easyjet-own-site"),
    row("Boots Advantage: Your points balance of £62.75 will be lost at the end of the month. Redeem: boots-advantage-points.com",
        "LINK_LOOKALIKE_DOMAIN", FIRES, "boots-advantage-points.com", id="lookalike-boots-advantage"),
    row("Your new football boots are ready to collect from footballbootsdirect.co.uk/orders", "LINK_LOOKALIKE_DOMAIN", SILENT,
        id="lookalike-boots-is-an-ordinary-word"),
    # Red-team round 51: a domain "renewal" priced and sent elsewhere
    row("DOMAIN EXPIRY NOTICE: your domain expires in 2 days. Renew now for £89.99/yr at domain-registry-uk.net/renew",
        "LINK_CALL_TO_ACTION", FIRES, "Renew now for £89.99/yr at domain-registry-uk.net/renew", id="cta-renew-now-for-price-at"),
    row("Your domain will auto-renew on 12 June for £12.99/yr. Manage renewal settings in your control panel.",
        "LINK_CALL_TO_ACTION", SILENT, id="cta-auto-renew-no-link"),
    # Red-team round 73: the shop a courier delivers for, named by its address, is not a link offered
    row("Yodel: Your parcel from Very.co.uk is out for delivery today. Track: yodel.co.uk/track", "LINK_NOT_ORGS_WEBSITE", SILENT,
        id="not-orgs-parcel-from-shop-address"),
    row("Yodel: Your parcel needs a fee, pay at very-parcel-fees.co.uk", "LINK_NOT_ORGS_WEBSITE", FIRES,
        "very-parcel-fees.co.uk", id="not-orgs-parcel-fee-elsewhere"),
    # Red-team round 77: Scotland's and Wales's public bodies on their own domains
    row("Student Finance Wales: Your first maintenance loan payment will be sent on 22 Sept. Check your details at studentfinancewales.co.uk",
        "LINK_GOV_CLAIM_NOT_GOV_UK", SILENT, id="gov-claim-student-finance-wales"),
    row("Scottish Government: A Severe Flood Warning is in force for the River Tay. Call 999 if life is at risk. floodline.sepa.org.uk",
        "LINK_GOV_CLAIM_NOT_GOV_UK", SILENT, id="gov-claim-sepa-floodline"),
    row("Welsh Government: you are owed a cost of living payment. Claim at gov-wales-support.com", "LINK_GOV_CLAIM_NOT_GOV_UK", FIRES,
        "gov-wales-support.com", id="gov-claim-welsh-lookalike"),
    row("Hotel: about your booking through Booking.com, re-enter your card at booking-guest-verify.com", "LINK_OFFICIAL_DOMAIN", SILENT,
        id="official-booking-through-is-a-name"),
    # Red-team round 81: "reconfirm your payment at <link>" sends you there; booking systems' own pages
    row("Ticketmaster: Your tickets were flagged in a duplicate order. Reconfirm your payment at ticketmaster-uk.support/order within 1 hour.",
        "LINK_LOOKALIKE_DOMAIN", FIRES, "ticketmaster-uk.support/order", id="lookalike-reconfirm-payment-at"),
    row("Yoga Loft: Saturday's class is cancelled. Rebook via our Mindbody page: clients.mindbodyonline.com/classic/ws?studioid=482119",
        "LINK_OFFICIAL_DOMAIN", FIRES, "clients.mindbodyonline.com/classic/ws?studioid=482119", id="official-booking-platform-page"),
    row("Booking.com charges a big fee so if you pay me direct by bank transfer I can do it for £900", "LINK_OFFICIAL_DOMAIN", SILENT,
        id="official-booking-charges-is-a-name"),
    row("parkrun: Your barcode registration is about to expire. Renew your membership (£4.99): parkrun-membership.uk/renew",
        "LINK_LOOKALIKE_DOMAIN", FIRES, "parkrun-membership.uk/renew", id="lookalike-parkrun"),
    # a brand's name one slip off, as a whole part of the host; not an ordinary word a letter away
    row("RM: Your parcel is at the local depot. Confirm a delivery time: royalmaii.co.uk/slot", "LINK_LOOKALIKE_DOMAIN",
        FIRES, "royalmaii.co.uk/slot", id="lookalike-typo-royalmaii"),
    row("Santander: new payee added. Not you? santamder-help.com", "LINK_LOOKALIKE_DOMAIN", FIRES, "santamder-help.com",
        id="lookalike-typo-santamder"),
    row("Great deals on gadgets at amazingdeals.co.uk this week", "LINK_LOOKALIKE_DOMAIN", SILENT, id="lookalike-typo-not-amazing"),
    row("Our new vent cleaning service: vented.co.uk", "LINK_LOOKALIKE_DOMAIN", SILENT, id="lookalike-typo-not-vented"),
    row("Uni of Sheffield IT: re-validate your login at sheffield-ac-uk.mailbox-upgrade.com", "LINK_LOOKALIKE_DOMAIN", FIRES,
        "sheffield-ac-uk.mailbox-upgrade.com", id="lookalike-ac-uk-dressed"),
    row("Your timetable is on sheffield.ac.uk/timetables", "LINK_LOOKALIKE_DOMAIN", SILENT, id="official-ac-uk"),
    row("Gas Safe notice: a £95 inspection fee must be paid in advance at gassafe-inspections-uk.com", "LINK_LOOKALIKE_DOMAIN",
        FIRES, "gassafe-inspections-uk.com", id="lookalike-gas-safe"),
    row("Revolut: We've frozen your card because of a suspicious payment attempt of €249 at TRIPSTAR.NET. Please open the app",
        "LINK_NOT_ORGS_WEBSITE", SILENT, id="merchant-after-payment-attempt"),
    # a page anyone can make (a form, a free site): a bank, HMRC or a courier never sends you to one; a school,
    # club or surgery may (red-team round 301)
    row("Barclays: your online banking is locked. Verify your identity at forms.office.com/r/Xk2Lp9",
        "LINK_NOT_ORGS_WEBSITE", FIRES, "forms.office.com/r/Xk2Lp9", id="open-host-bank-form"),
    row("HMRC: your tax refund of £312.40 is ready, claim it at sites.google.com/view/hmrc-refund-2027",
        "LINK_GOV_CLAIM_NOT_GOV_UK", FIRES, "sites.google.com/view/hmrc-refund-2027", id="open-host-hmrc-google-site"),
    row("Oakfield Primary: please complete the trip consent form at forms.office.com/r/ab12 by Friday",
        "LINK_NOT_ORGS_WEBSITE", SILENT, id="open-host-school-form"),
    row("How was your visit to the NHS walk-in centre? Tell us at qualtrics.com/jfe/form/SV_1x2",
        "LINK_GOV_CLAIM_NOT_GOV_UK", SILENT, id="open-host-nhs-survey"),
    row("Microsoft: your mailbox is full. Verify your account at contoso-my.sharepoint.com/x/verify to keep your emails.",
        "LINK_NOT_ORGS_WEBSITE", FIRES, "contoso-my.sharepoint.com/x/verify", id="open-host-even-its-own"),
    # a topic on a school's form is no government body speaking (review)
    row("Families receiving Universal Credit may be eligible for free school meals. Apply using our form: forms.office.com/r/FSM2025abc.",
        "LINK_GOV_CLAIM_NOT_GOV_UK", SILENT, id="open-host-topic-on-a-school-form"),
    # hosts that serve anyone's pages are found without "https://" (pages.dev, linktr.ee)
    row("DVLA: your vehicle tax payment failed. Update your card at tax-renewal.pages.dev today",
        "LINK_GOV_CLAIM_NOT_GOV_UK", FIRES, "tax-renewal.pages.dev", id="bare-pages-dev-host"),
    row("HMRC: Enforcement will begin on Monday. Visit linktr.ee/hmrc_payments to arrange a payment plan.",
        "LINK_NOT_ORGS_WEBSITE", FIRES, "linktr.ee/hmrc_payments", id="bare-linktree-host"),
    row("HMRC: Enforcement will begin on Monday. Visit linktr.ee/hmrc_payments to arrange a payment plan.",
        "CLAIMS_TECH_OR_UTILITY", SILENT, id="linktree-is-not-ee"),
    row("your permit has expired and your vehicle may be clamped. Renew immediately at greenwich-parking-permits.co.uk.",
        "LINK_CALL_TO_ACTION", FIRES, "Renew immediately at greenwich-parking-permits.co.uk", id="cta-renew-immediately-at"),
    row("£25 for the 5-a-side pitch this week, Stuart's booked it again. Send to his Monzo: monzo.me/stuartp",
        "LINK_NOT_ORGS_WEBSITE", SILENT, id="open-host-his-monzo-colon"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_link_flag(text, flag, expect, span, at):
    check_row(links_and_patterns(), text, flag, expect, span, at)


def test_lookalike_note_names_the_host():
    from scamshield.preprocess import make_unit

    found = [f for f in links().analyze(make_unit("Sign in: https://аmazon.co.uk/account"))
             if f.flag == "LINK_LOOKALIKE_DOMAIN"]
    assert found and "look-alike" in (found[0].note or "")


VERDICTS = [
    verdict_row("https://www.bbc.co.uk/news", NOT_ALARMING, id="lone-link"),
    # a small firm's real payment page is how it is paid; the same page in a fake shop's rush still alarms (round 383)
    verdict_row("Hi Sarah, Clearview Window Cleaning has sent you an invoice for £18.00 (front and back, 8 Jan). Pay online: "
                "https://squareup.com/pay-invoice/inv_0a9Xf2 Thanks, Dave", "safe", id="square-invoice-window-cleaner"),
    verdict_row("Royal Mail: your parcel is on hold. Pay the £2.99 redelivery fee now at buy.stripe.com/9AQ3kd",
                ("scam", "suspicious"), id="stripe-page-for-a-courier-fee"),
    verdict_row("bit.ly/3xYz9Q", NOT_ALARMING, id="lone-shortener"),
    verdict_row("Royal Mail: your parcel will be delivered today between 10:00 and 12:00. Track it at "
                "https://www.royalmail.com/track-your-item", NOT_ALARMING, id="genuine-delivery"),
    verdict_row("HMRC: you are owed a tax refund of £412. Claim at hmrc-gov-refunds.com today", "scam",
                id="hmrc-refund-lookalike"),
    verdict_row("Royal Mail: your parcel is on hold. Pay the £1.99 redelivery fee at royalmail-redelivery.com",
                "scam", id="delivery-fee-lookalike"),
    verdict_row("Final reminder. Your parking penalty remains unpaid. Take action at du9k3.com/xMvL",
                ("scam", "suspicious"), id="penalty-and-link"),
    verdict_row("Birmingham City Council: PCN BM41022 is unpaid. Pay or challenge at birmingham.gov.uk/pcn",
                NOT_ALARMING, id="penalty-on-gov-uk"),
]


@pytest.mark.parametrize(("text", "verdicts"), VERDICTS)
def test_link_verdict(text, verdicts):
    check_verdict(text, verdicts)


# A text sent under an organisation's name whose words do not name it: the sender name is the claim.
SENDER_ROWS = (  # a tuple: the multimatch test reads only the ROWS and VERDICTS lists as texts
    ("RoyalMail", "Your item is awaiting a customs charge of £2.85. Visit royalmail-customs.com/pay", True),
    ("Barclays", "Log in to view a secure message: secure-msg-centre.com/b", True),
    ("RoyalMail", "Your item is awaiting a customs charge of £2.85. Pay at royalmail.com/customs", False),
    ("Barclays", "Is this you? £620.00 at VERY.CO.UK on card ending 4809. Reply YES or NO.", False),
    ("+447700900123", "Hi, here's the menu for Saturday: thebluebell-pub.co.uk/menu", False),
    ("OVO", "How did your smart meter install go? Tell us: https://ovoenergy.eu.qualtrics.com/jfe/form/SV_3k", False),
    ("TVP", "Your crime reference is 4325011. Free support from Victim Support: victimsupport.org.uk", False),
)


@pytest.mark.parametrize(("sender", "text", "fires"), SENDER_ROWS)
def test_link_against_the_sender_name(sender, text, fires):
    from scamshield import Analyzer, Message

    verdict = Analyzer.default().analyze(Message(channel="sms", text=text, sender=sender))
    found = [f for f in verdict.flags if f.id == "LINK_NOT_ORGS_WEBSITE"]
    assert bool(found) == fires, [f.id for f in verdict.flags]
    if fires:
        assert f"sent under the name {sender}" in found[0].note
        span = found[0].evidence[0]
        assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(("host", "name"), [
    ("screwfix.com", "screwfix"), ("www.iceland.co.uk", "iceland"), ("offers.hellofresh.co.uk", "hellofresh"),
    ("screwfix-deals.com", "screwfixdeals"), ("localhost", ""),
])
def test_site_name(host, name):
    from scamshield.mentions import site_name
    assert site_name(host) == name


def test_marketing_linking_only_to_the_senders_own_site_is_spam_not_an_alarm():
    """Round 21: a promotion sent as "Screwfix" that links only to screwfix.com, with an opt-out, is marketing;
    the same words linking to a look-alike keep the learned model's reading."""
    from scamshield.analyzer import Analyzer
    from scamshield.models import Message

    a = Analyzer.default()
    text = ("Screwfix: Trade deals this month! DeWalt 18V combi drill twin pack £149.99, 20% off paint. "
            "screwfix.com. Txt STOP to 89000")
    own = a.analyze(Message(text=text, sender="Screwfix"))
    assert own.verdict == "spam", [(f.id, f.status) for f in own.flags]
    other = a.analyze(Message(text=text.replace("screwfix.com", "screwfix-trade-deals.com"), sender="Screwfix"))
    assert "MODEL_SCAM" not in {f.id for f in other.flags if f.status == "cancelled"}


@pytest.mark.parametrize(("host", "sender", "own"), [
    ("activespinephysio.co.uk", "activespine", True),  # an 11-character sender ID cut short of the site's name
    ("www.hotelchocolat.com", "hotelchoc", True),
    ("screwfix.com", "screwfix", True),
    ("royalmail-update.com", "royalmail", False),  # a hyphen runs on into something else
    ("evri2.com", "evri", False),
    ("evriparcel.com", "evri", False),  # too short a sender name to let it run on
    ("activespine-offers.xyz", "activespine", False),
])
def test_a_sender_ids_own_site(host, sender, own):
    """Round 38/43: marketing sent as "HotelChoc" or "ActiveSpine" links to the brand's own longer-named site."""
    from scamshield.mentions import is_senders_site
    assert is_senders_site(host, sender) is own


@pytest.mark.parametrize(("text", "flag", "expect"), [
    # said aloud, every address has "dot" in it: on a call that is no disguise, and the address is still judged
    ("if you want to sign in go to help dot coinbase dot com", "LINK_DISGUISED", False),
    ("go to amazon dot co dot uk and sign in", "LINK_OFFICIAL_DOMAIN", True),
    ("go to amazon dot co dot uk and sign in", "LINK_DISGUISED", False),
    ("pay the fee at royalmail dot uk-fee dot com today", "LINK_LOOKALIKE_DOMAIN", True),
    ("pay the fee at royalmail dot uk-fee dot com today", "LINK_DISGUISED", False),
    # a name said as one word that the recogniser split ("tv licensing" for tvlicensing.co.uk, red-team round 179)
    ("you can tell us online at tv licensing dot co dot uk and we'll update our records", "LINK_OFFICIAL_DOMAIN", True),
    ("you can tell us online at tv licensing dot co dot uk and we'll update our records", "LINK_GOV_CLAIM_NOT_GOV_UK",
     False),
    ("tv licensing here, pay online at tv licensing-renewals dot co dot uk", "LINK_OFFICIAL_DOMAIN", False),
    # brackets and "hxxp" are written, never said: a call that reads one out still hides it
    ("type in evri[.]com/rebook", "LINK_DISGUISED", True),
])
def test_spoken_addresses_on_calls(text, flag, expect):
    from scamshield.preprocess import make_unit

    found = {f.flag for f in links().analyze(make_unit(text, turn=0, channel="call"))}
    assert (flag in found) is expect
