"""The secrecy flag: keep it quiet, lie to the bank, stay on the line."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, NOT_ALARMING, SILENT, check_row, check_verdict, patterns, row, verdict_row

ROWS = [
    # the reference as a cover story (round 765)
    row("Send £430 by bank transfer and put the reference as 'gift' so the bank doesn't hold it",
        "COVER_STORY_FOR_THE_BANK", FIRES, "reference as 'gift' so the bank doesn't hold", id="cover-reference-so-bank-doesnt-hold"),
    row("Put your invoice number as the reference so we can match the payment.", "COVER_STORY_FOR_THE_BANK", SILENT,
        id="cover-reference-invoice-number"),
    # the denial is the demand (round 756)
    row("If you send the rest by tonight, we will never worry about money again. Nobody else can know about this. x",
        "SECRECY_REQUEST", FIRES, "Nobody else can know about this", id="secrecy-nobody-else-can-know"),
    # a "boss" wants it kept between the two of them (the audit of round 663)
    row("Something needs sorting confidentially, I'd rather it stayed between us for now",
        "SECRECY_REQUEST", FIRES, "needs sorting confidentially", id="r663a"),
    # a fake IT desk: "dont worry about mentioning it to steve its just part of the checklist" (round 671)
    row("read it out and tap approve and dont worry about mentioning it to steve its just part of the checklist",
        "SECRECY_REQUEST", FIRES, "dont worry about mentioning it to steve its just part of", id="r671f"),
    row("Don't worry about telling Steve, I've already told him the meeting moved.",
        "SECRECY_REQUEST", SILENT, id="r671g"),
    # a trader collecting cash asks an older customer to keep it from her son (round 668)
    row("As we agreed cash is best, my lad will pop round at 4 to collect the £2,000 balance. No need to mention it to your son, hes only going to worry you.",
        "SECRECY_REQUEST", FIRES, "No need to mention it to your son", id="r668a"),
    row("No need to bring anything, your son has already sorted the food for Saturday.",
        "SECRECY_REQUEST", SILENT, id="r668b"),
    # Punjabi: don't tell the committee yet (round 661)
    row("ਕਮੇਟੀ ਨੂੰ ਹਾਲੇ ਨਾ ਦੱਸਣਾ, ਮੈਂ ਬਾਅਦ ਵਿੱਚ ਸਮਝਾ ਦਿਆਂਗਾ।",
        "SECRECY_REQUEST", FIRES, "ਕਮੇਟੀ ਨੂੰ ਹਾਲੇ ਨਾ ਦੱਸਣਾ", id="r657j"),
    row("Revolut kodas: 482 913. Niekam nesakykite šio kodo, net Revolut darbuotojams.",
        "SECRECY_REQUEST", SILENT, id="secrecy-lithuanian-code-warning"),
    # Bulgarian: what to tell the bank (round 643)
    row("ако от банката ви питат, кажете че е за ремонт на къщата",
        "COVER_STORY_FOR_THE_BANK", FIRES, "ако от банката ви питат, кажете", id="cover-story-bulgarian"),
    # Albanian: "don't ring your lawyer, it's a confidential investigation" (round 618)
    row("mos e telefononi avokatin, është hetim konfidencial, mos i thuaj askujt",
        "SECRECY_REQUEST", FIRES, "mos e telefononi avokatin", id="secrecy-albanian-dont-ring-lawyer"),
    # the paper trail explained away (round 645)
    row("I haven't had a letter. No, they don't send letters anymore, it's all done over the phone now for security.",
        "TALKS_YOU_OUT_OF_CHECKING", FIRES, "don't send letters anymore, it's all done over the phone", id="talks-out-no-letters-all-by-phone"),
    # what to pick when the app asks (the audit, round 627)
    row("when your banking app asks what it's for pick buying goods and services",
        "COVER_STORY_FOR_THE_BANK", FIRES, "when your banking app asks what it's for pick", id="cover-story-app-asks-what-for"),
    # Chinese: you can't tell your parents or classmates (round 600)
    row("这是国家机密，不能告诉父母同学，也不能告诉学校。",
        "SECRECY_REQUEST", FIRES, "不能告诉父母", id="secrecy-chinese-parents"),
    # Polish: tell nobody, not even family (round 600)
    row("Nie może pani nikomu mówić o akcji, nawet rodzinie, to tajemnica śledztwa.",
        "SECRECY_REQUEST", FIRES, "nikomu mówić", id="secrecy-polish-nikomu"),
    # Chinese: do not tell others (round 584)
    row("请立即添加办案专员微信核实身份，切勿告知他人，以免影响案件调查。",
        "SECRECY_REQUEST", FIRES, "切勿告知他人", id="secrecy-chinese-others"),
    # Tagalog: don't tell mama yet (round 584)
    row("Babalik ko agad sa Friday. Wag mo muna sabihin kay Mama ha.",
        "SECRECY_REQUEST", FIRES, "Wag mo muna sabihin kay Mama", id="secrecy-tagalog-mama"),
    # Tigrinya: don't tell dad (round 577)
    row("ጽባሕ ክመልሰልኪ እየ። ንኣቦይ ኣይትንገርዮ",
        "SECRECY_REQUEST", FIRES, "ንኣቦይ ኣይትንገርዮ", id="secrecy-tigrinya-dad"),
    # Sorani: don't contact the Home Office, we'll do it (round 577)
    row("پەیوەندی مەکە بە Home Office، ئێمە کارەکە دەکەین",
        "SECRECY_REQUEST", FIRES, "پەیوەندی مەکە", id="secrecy-sorani-home-office"),
    # Albanian: don't tell dad (round 566)
    row("Neser t'i kthej. Mos i thuaj babit te lutem",
        "SECRECY_REQUEST", FIRES, "Mos i thuaj babit", id="secrecy-albanian-dad"),
    # the firm's own address ruled out for a private chat (round 572)
    row("Dont email the company just whatsapp him direct and say lorraine sent you.",
        "SECRECY_REQUEST", FIRES, "Dont email the company just whatsapp him", id="secrecy-email-company-whatsapp"),
    # Chinese: don't tell dad yet (round 558)
    row("先别告诉爸，今天要付房租。",
        "SECRECY_REQUEST", FIRES, "先别告诉爸", id="secrecy-chinese-dad"),
    # Somali: don't tell dad (round 558)
    row("Berri ayaan kuu celin. Aabo ha u sheegin",
        "SECRECY_REQUEST", FIRES, "Aabo ha u sheegin", id="secrecy-somali-dad"),
    # Gujarati: don't tell dad now (round 558)
    row("કાલે પાછા આપી દઈશ. પપ્પાને હમણાં ના કહેતા",
        "SECRECY_REQUEST", FIRES, "પપ્પાને હમણાં ના કહેતા", id="secrecy-gujarati-dad"),
    # the caller staying on while you move the money (a scam's line, unlike a router's update)
    row("I'll stay on the line while you make the transfer, ok?",
        "SECRECY_REQUEST", FIRES, "stay on the line while", id="secrecy-ill-stay-while-you-transfer"),
    # "do not discuss with family" (round 554)
    row("Contact the officer within two hours. Do not discuss with family.",
        "SECRECY_REQUEST", FIRES, "Do not discuss with family", id="secrecy-discuss-with-family"),
    # Hindi: don't tell the family (round 554)
    row("यह मामला गोपनीय है, परिवार को न बताएं।",
        "SECRECY_REQUEST", FIRES, "यह मामला गोपनीय है", id="secrecy-hindi-family"),
    # Nepali: don't tell anyone (round 554)
    row("यो कुरा परिवार वा कसैलाई नभन्नुहोला।",
        "SECRECY_REQUEST", FIRES, "कसैलाई नभन्नुहोला", id="secrecy-nepali-anyone"),
    # Sinhala: don't tell anyone (round 554)
    row("මෙය රහසක්, කිසිවෙකුට කියන්න එපා.",
        "SECRECY_REQUEST", FIRES, "කිසිවෙකුට කියන්න එපා", id="secrecy-sinhala-anyone"),
    # Igbo: don't tell anyone (round 554)
    row("Zite ya ugbu a, agwala onye ọ bụla.",
        "SECRECY_REQUEST", FIRES, "agwala onye ọ bụla", id="secrecy-igbo-anyone"),
    # Pashto in Latin letters: don't tell my father (round 554)
    row("Pa dey account ke ye wachawa. Plar ta me ma wayey.",
        "SECRECY_REQUEST", FIRES, "Plar ta me ma wayey", id="secrecy-pashto-father"),
    row("That's it updating. I'll stay on the line until it comes back.",
        "SECRECY_REQUEST", SILENT, id="secrecy-ill-stay-on-line"),
    # the caller keeping you on the line
    row("Stay on the line while you go to the branch, don't hang up.",
        "SECRECY_REQUEST", FIRES, "Stay on the line while", id="secrecy-you-stay-on-line"),
    # a pet held for money (round 523)
    row("We have your cat. If you want her back it's £250, bank transfer only, no police or you wont see her again.",
        "SECRECY_REQUEST", FIRES, "no police or you wont", id="secrecy-no-police-or"),
    # "don't mention this call to anyone" (round 519)
    row("Keep your phone on you. And please, don't mention this call to anyone, not even me over email.",
        "SECRECY_REQUEST", FIRES, "don't mention this call to anyone", id="secrecy-mention-this-call"),
    # in Vietnamese (round 521)
    row("Lien he ngay can bo dieu tra qua Zalo. Tuyet doi giu bi mat voi gia dinh.",
        "SECRECY_REQUEST", FIRES, "giu bi mat", id="secrecy-vietnamese"),
    # the bank's own app kept away until the caller has you (round 499)
    row("Missed call from your bank's fraud department. Please call back on 0306 999 0614. Do not use online banking until you "
        "have spoken to us.", "SECRECY_REQUEST", FIRES, "Do not use online banking until you have spoken", id="secrecy-no-online-banking"),
    row("Your card is blocked. You can still use online banking while you wait for the new one.", "SECRECY_REQUEST", SILENT,
        id="secrecy-online-banking-still-fine"),
    # a school shut by snow keeps its lines free and sends you to its own updates (round 493)
    row("School is CLOSED today due to snow. We'll post updates here: bit.ly/HillcrestSnow - please don't ring the office, "
        "lines are needed for staff.", "SECRECY_REQUEST", SILENT, id="secrecy-snow-day-lines-needed"),
    row("School is CLOSED today due to snow. We'll post updates here: bit.ly/HillcrestSnow - please don't ring the office, "
        "lines are needed for staff.", "TALKS_YOU_OUT_OF_CHECKING", SILENT, id="talks-out-snow-day-lines-needed"),
    row("if you're in danger hang up and dial 999, please stay on the line and we'll connect you to your local force",
        "SECRECY_REQUEST", SILENT, id="secrecy-ivr-stay-on-the-line"),
    row("I think I'll ring you back on the number on my card. If you hang up, the case closes automatically and the "
        "£649 will go through", "TALKS_YOU_OUT_OF_CHECKING", FIRES, "If you hang up, the case closes",
        id="out-of-checking-case-closes"),
    row("I'll ring you back on the number on my card. Fine, if you hang up your case stays open and you can call any time",
        "TALKS_YOU_OUT_OF_CHECKING", SILENT, id="out-of-checking-case-stays-open"),
    # round 452: the shop's question answered for the buyer; the call hidden from the cashier
    row("if the lady at the till asks anything you just say they are for your grandson birthday, five apple cards of two "
        "hundred", "COVER_STORY_FOR_THE_BANK", FIRES, "if the lady at the till asks anything you just say",
        id="cover-story-lady-at-till"),
    row("if the lady at the till asks for your loyalty card just say you left it at home", "COVER_STORY_FOR_THE_BANK",
        SILENT, id="cover-story-loyalty-card"),
    row("dont say anything else dont say you are on the phone with me", "SECRECY_REQUEST", FIRES,
        "dont say you are on the phone with me", id="secrecy-on-the-phone-with-me"),
    row("don't worry if I sound odd, I'm on the phone with the bank at the same time", "SECRECY_REQUEST", SILENT,
        id="secrecy-on-the-phone-with-bank"),
    # round 446: the official account explained away after the user offers to pay through it
    row("i'll pay it through my online account on gov dot uk. unfortunately this liability won't show in your online "
        "account until it's been processed which is why we're taking it over the phone", "TALKS_YOU_OUT_OF_CHECKING", FIRES,
        "won't show in your online account until it's been processed which is why we're taking it",
        id="out-of-checking-online-account"),
    row("i'll pay it through my online account. it won't show in your online account until it's been processed, usually "
        "three days, so don't worry if it's not there tomorrow", "TALKS_YOU_OUT_OF_CHECKING", SILENT,
        id="out-of-checking-payment-takes-days"),
    row("Don't tell anyone about this call", "SECRECY_REQUEST", FIRES, "Don't tell anyone", 0, id="dont-tell"),
    # a stranger to a child (red-team round 353)
    row("do u have telegram? easier to talk there. dont tell ur parents tho", "SECRECY_REQUEST", FIRES, "dont tell ur parents",
        id="secrecy-dont-tell-ur-parents"),
    row("I told my parents about the trip and they said yes!", "SECRECY_REQUEST", SILENT, id="secrecy-told-my-parents"),
    row("Do not speak to your bank, staff there are under investigation", "SECRECY_REQUEST", FIRES,
        "Do not speak to your bank", 0, id="dont-speak-bank"),
    row("If the cashier asks, say it is for a new kitchen", "COVER_STORY_FOR_THE_BANK", FIRES, "If the cashier asks, say", id="cover-story"),
    row("This is a confidential investigation, keep it between us", "SECRECY_REQUEST", FIRES, "confidential investigation", id="confidential"),
    row("Stay on the line while you go to the bank", "SECRECY_REQUEST", FIRES, "Stay on the line while", 0,
        id="stay-on-line"),
    row("Don't hang up, or the case goes to court", "SECRECY_REQUEST", FIRES, "Don't hang up", 0, id="dont-hang-up"),
    row("You must not disconnect this call", "SECRECY_REQUEST", FIRES, "must not disconnect this call",
        id="must-not-disconnect"),
    row("Don't tell Dad about the surprise party!", "SECRECY_REQUEST", SILENT, id="surprise-party"),
    row("I need £400 by tonight. Please don't tell Dad", "SECRECY_REQUEST", FIRES, "don't tell Dad",
        id="dont-tell-dad"),
    row("Never tell anyone your PIN", "SECRECY_REQUEST", SILENT, id="never-tell-pin"),
    row("Keep the receipt, it's in the drawer", "SECRECY_REQUEST", SILENT, id="keep-receipt"),
    # steered away from the bank's own number
    row("Please call us on 0161 496 0245. Do not use the number on your card, as that line is having issues.",
        "SECRECY_REQUEST", FIRES, "Do not use the number on your card", id="secrecy-not-the-card-number"),
    row("Ring us back on 0118 496 0362 - the number on your card is being upgraded so won't connect today.",
        "SECRECY_REQUEST", FIRES, "number on your card is being upgraded", id="secrecy-card-number-upgraded"),
    row("If you're worried, call the number on the back of your card.", "SECRECY_REQUEST", SILENT,
        id="secrecy-card-number-advice"),
    row("it's capital guaranteed, and I wouldn't mention it to your bank, they don't like competition",
        "SECRECY_REQUEST", FIRES, "wouldn't mention it to your bank", id="secrecy-wouldnt-mention-bank"),
    row("An officer from our fraud team will call you shortly. Please don't use your banking app until they call.",
        "SECRECY_REQUEST", FIRES, "Please don't use your banking app until they", id="secrecy-not-the-app-until-they-call"),
    row("Don't use the app until the update has finished installing", "SECRECY_REQUEST", SILENT,
        id="secrecy-app-update"),
    row("send £500 in bitcoin within 48 hrs. Don't go to the police.", "SECRECY_REQUEST", FIRES,
        "Don't go to the police", id="secrecy-not-the-police"),
    row("when the app asks who the payment is for, choose paying a friend", "COVER_STORY_FOR_THE_BANK", FIRES,
        "choose paying a friend", id="secrecy-choose-paying-a-friend"),
    row("Do not discuss this with bank staff as they may be involved.", "SECRECY_REQUEST", FIRES,
        "Do not discuss this with bank staff", id="secrecy-bank-staff"),
    row("no need to ring your bank yourself, I'll transfer you now", "SECRECY_REQUEST", FIRES,
        "no need to ring your bank yourself", id="secrecy-no-need-to-ring-bank"),
    row("it's asking why you're paying, so pick the one that says paying family or friends", "COVER_STORY_FOR_THE_BANK", FIRES,
        "pick the one that says paying family", id="secrecy-pick-family-option"),
    # COACHES_YOU_FOR_A_CALL: a call to expect and a caller to obey
    row("A NatWest fraud officer will call you within the hour. Please do what they ask to protect your money.",
        "COACHES_YOU_FOR_A_CALL", FIRES, "do what they ask", id="coach-do-what-they-ask"),
    row("A fraud specialist will call you shortly. Please have your card and card reader ready.",
        "COACHES_YOU_FOR_A_CALL", FIRES, "have your card and card reader ready", id="coach-card-reader-ready"),
    row("When you call us on the number on the back of your card, please have your card ready.",
        "COACHES_YOU_FOR_A_CALL", SILENT, id="coach-you-call-us"),
    row("HMRC: An officer will call you today about your unpaid tax. Please answer the call.",
        "COACHES_YOU_FOR_A_CALL", FIRES, "officer will call you today about your unpaid tax", id="coach-officer-unpaid-tax"),
    row("Police: An officer will call you today about your crime report 46/12345/26 to update you.",
        "COACHES_YOU_FOR_A_CALL", SILENT, id="coach-police-crime-report"),
    row("Then you pay three hundred pounds by tonight. Tell nobody or I post it everywhere.", "SECRECY_REQUEST", FIRES,
        "Tell nobody", id="secrecy-tell-nobody-or"),
    row("Surprise party for Mum on Saturday - tell no one! Can everyone chip in £20 for the present?", "SECRECY_REQUEST",
        SILENT, id="secrecy-surprise-party"),
    # Red-team round 16: the cover story for the cashier, and the line that was never cleared
    row("good don't hang up keep the phone in your pocket and if they ask say it's for a kitchen you're having fitted",
        "COVER_STORY_FOR_THE_BANK", FIRES, "if they ask say it's for", id="cover-story-if-they-ask-say"),
    row("The app will ask if someone told you to move money, say no, it's just a standard question.",
        "COVER_STORY_FOR_THE_BANK", FIRES, "app will ask if someone told you to move money, say no", id="cover-story-app-asks"),
    row("If the bank asks why, tell them the truth - they're only trying to protect you.", "COVER_STORY_FOR_THE_BANK",
        FIRES, "If the bank asks why, tell them", id="cover-story-near-miss-is-still-coaching"),
    row("The cashier asked what it was for and I said it was for the new kitchen, which it is.", "COVER_STORY_FOR_THE_BANK",
        SILENT, id="cover-story-honest-answer"),
    row("yes madam i can confirm detective sergeant clarke is a genuine officer you must do exactly as he tells you",
        "VOUCHES_FOR_THE_CALLER", FIRES, "i can confirm detective sergeant clarke is a genuine officer",
        id="vouches-genuine-officer"),
    row("that's correct i'm putting you back through to him now", "VOUCHES_FOR_THE_CALLER", FIRES,
        "putting you back through to him", id="vouches-putting-you-back"),
    row("I'm putting you through to the pharmacy team now, please hold.", "VOUCHES_FOR_THE_CALLER", SILENT,
        id="vouches-switchboard-transfer"),
    # a son talking his mum through closing a fake pop-up: "say no" to a browser, not a cover story for a bank
    row("when you open chrome again if it asks to restore the pages say no and if it comes back we'll clear the history",
        "COVER_STORY_FOR_THE_BANK", SILENT, id="cover-story-browser-restore-pages"),
    # Red-team round 27: the user offers to check on a number they have; the caller talks them out of it
    row("I'll check with the council first. Don't bother ringing them, they won't know about it yet",
        "TALKS_YOU_OUT_OF_CHECKING", FIRES, "Don't bother ringing them", id="talks-out-dont-bother-ringing"),
    row("Can I call you back later, I'm driving? Don't bother calling back, I'll try you tomorrow",
        "TALKS_YOU_OUT_OF_CHECKING", SILENT, id="talks-out-driving-call-later"),
    # Red-team round 28: steered away from the official line ("Do not call 111 as your case will be lost")
    row("To continue your case call our clinician direct on 07700 900431. Do not call 111 as your case will be lost.",
        "SECRECY_REQUEST", FIRES, "Do not call 111", id="secrecy-do-not-call-111"),
    row("Do not call 999 unless it is an emergency", "SECRECY_REQUEST", SILENT, id="secrecy-999-unless-emergency"),
    row("we can't trust anyone at lloyds, stay on the line", "SECRECY_REQUEST", FIRES, "can't trust anyone at lloyds",
        id="secrecy-cant-trust-anyone-at-the-bank"),
    # Red-team round 39: a reference chosen so the bank asks nothing; the line you would check on is "jammed"
    row("Put 'Christmas present' as the reference so the bank doesn't ask questions.", "COVER_STORY_FOR_THE_BANK", FIRES,
        "so the bank doesn't ask questions", id="cover-story-reference-so-bank-asks-nothing"),
    row("Tell your bank you're going to Spain so they don't block your card while you're away.", "COVER_STORY_FOR_THE_BANK",
        SILENT, id="cover-story-travel-notice-is-not-coaching"),
    row("Can I ring you back on the number on your website? Those lines are jammed with the appeal, you won't get through.",
        "TALKS_YOU_OUT_OF_CHECKING", FIRES, "Those lines are jammed", id="talks-out-lines-jammed"),
    row("Our phone lines are closed on Christmas Day, so please ring us on the 27th about your payment.",
        "TALKS_YOU_OUT_OF_CHECKING", SILENT, id="talks-out-lines-closed-no-offer-to-check"),
    # Red-team round 40: the bank's own "the app will ask if it was you, just tap yes" is its check of a card payment
    row("you might get a notification in the barclays app asking if it was you and you can just tap yes",
        "COVER_STORY_FOR_THE_BANK", SILENT, id="cover-story-app-asks-if-it-was-you"),
    row("so it's protected and do not log out or call the number on your card the line might be compromised",
        "SECRECY_REQUEST", FIRES, "do not log out or call the number on your card", id="secrecy-dont-log-out-or-call-card-number"),
    # Red-team round 50: the second call's coaching
    row("tell them youre paying a builder for a kitchen because the staff member there could be part of the fraud just say kitchen",
        "COVER_STORY_FOR_THE_BANK", FIRES, "tell them youre paying a builder", id="cover-story-paying-a-builder"),
    row("I told them I'm paying a builder for the kitchen and they were fine, it went through", "COVER_STORY_FOR_THE_BANK",
        SILENT, id="cover-story-user-paying-builder-honestly"),
    # Red-team rounds 57 and 60: kept from the platform; a cover story for the pension provider
    row("if you pay me direct by bank transfer I'll give you 10% off. Just don't mention it in the app or they'll block my listing",
        "SECRECY_REQUEST", FIRES, "don't mention it in the app", id="secrecy-dont-mention-it-in-the-app"),
    row("Any problems with the booking, just mention it in the app and we'll sort it.", "SECRECY_REQUEST", SILENT,
        id="secrecy-mention-it-in-the-app"),
    row("When your current provider calls you, they might ask if you've been cold called or offered a bonus. Just say no, you found us online.",
        "COVER_STORY_FOR_THE_BANK", FIRES, "they might ask if you've been cold called or offered a bonus. Just say no",
        id="cover-story-pension-provider"),
    row("Your provider may ask whether you were cold called about this transfer. Please answer honestly - it's there to protect you.",
        "COVER_STORY_FOR_THE_BANK", SILENT, id="cover-story-provider-asks-answer-honestly"),
    # Red-team round 69: a bank's "no need to apologise", and "don't call the number on it" about a fake letter
    row("no need to apologise that's the safest thing. ring us back on the number on your card", "TALKS_YOU_OUT_OF_CHECKING", SILENT,
        id="talks-out-no-need-to-apologise"),
    row("i'd rather call you on the number on my card. we haven't sent you a letter so that's fake don't call the number on it",
        "TALKS_YOU_OUT_OF_CHECKING", SILENT, id="talks-out-dont-call-the-number-on-the-letter"),
    row("They won't be happy about it, so I'd rather you didn't mention it to them until it's all finalised.", "SECRECY_REQUEST", FIRES,
        "I'd rather you didn't mention it", id="secrecy-rather-you-didnt-mention-it"),
    row("I'd rather you didn't mention the party to Gran, it's a surprise!", "SECRECY_REQUEST", SILENT, id="secrecy-surprise-party"),
    row("we need you to not tell anyone at the bank or your family and to buy bitcoin with your savings", "SECRECY_REQUEST", FIRES,
        "need you to not tell anyone", id="secrecy-need-you-to-not-tell-anyone"),
    # Red-team rounds 97 and 105: secrecy from the rest of the family; a cover story for the bank's call;
    # the recogniser's "dont" for "don't"
    row("Please don't tell your sister about the money, she wouldn't understand", "SECRECY_REQUEST", FIRES,
        "don't tell your sister", id="secrecy-dont-tell-your-sister"),
    row("If they call, tell them it's for a family member's house deposit", "COVER_STORY_FOR_THE_BANK", FIRES,
        "If they call, tell them it's for", id="cover-story-if-they-call"),
    row("If they call, tell them I'm out until six", "COVER_STORY_FOR_THE_BANK", SILENT, id="cover-story-if-they-call-out"),
    row("listen to me please dont hang up this is very serious", "SECRECY_REQUEST", FIRES, "dont hang up",
        id="secrecy-dont-hang-up-recogniser"),
    row("if you dont recognise it just hang up and ring the number on your card", "SECRECY_REQUEST", SILENT,
        id="secrecy-dont-recognise-hang-up"),
    row("Do not call the main office as lines are busy, ring the deputy head on this mobile", "SECRECY_REQUEST",
        FIRES, "Do not call the main office as lines are busy", id="secrecy-main-office-lines-busy"),
    row("he said dont ring hallam because their phones are down with the hack", "SECRECY_REQUEST", FIRES,
        "dont ring hallam because their phones are down", id="secrecy-dont-ring-phones-down"),
    # Red-team rounds 110-111: the price kept from the others; the office kept out of it
    row("Get it sent today and I'll take the listing down. And please keep the figure to yourself.", "SECRECY_REQUEST",
        FIRES, "keep the figure to yourself", id="secrecy-keep-the-figure"),
    row("Pay today please, and don't tell the others I gave you the discount", "SECRECY_REQUEST", FIRES,
        "don't tell the others", id="secrecy-dont-tell-the-others"),
    row("Please do it by transfer today and don't contact the office, they've had a system problem", "SECRECY_REQUEST",
        FIRES, "don't contact the office", id="secrecy-dont-contact-the-office"),
    row("Please don't contact the office before 9am, the phones aren't staffed", "SECRECY_REQUEST", SILENT,
        id="secrecy-office-opening-hours"),
    row("Subs to my account this week. Don't message Stu about it, he's embarrassed", "SECRECY_REQUEST", FIRES,
        "Don't message Stu about it", id="secrecy-dont-message-name-about-it"),
    row("Could you send anything to my wife's account? Please don't mention it at work", "SECRECY_REQUEST", FIRES,
        "Please don't mention it at work", id="secrecy-dont-mention-it-at-work"),
    # Red-team rounds 123-126: secrecy from a named colleague, the group chat, the landlord
    row("It's confidential. No, don't tell Sarah or anyone yet, it's price sensitive.", "SECRECY_REQUEST", FIRES,
        "don't tell Sarah or anyone", id="secrecy-tell-name-or-anyone"),
    row("Fine, it's good news actually, but it's confidential. We're buying a company.", "SECRECY_REQUEST", FIRES,
        "it's confidential", id="secrecy-its-confidential"),
    row("Can you do it today? And don't say anything in the group, I don't want Mel seeing it.", "SECRECY_REQUEST",
        FIRES, "don't say anything in the group", id="secrecy-not-in-the-group"),
    row("Pay my callout in cash and ask him to reimburse you. Don't worry about ringing him, he's on a plane.",
        "SECRECY_REQUEST", FIRES, "Don't worry about ringing him", id="secrecy-dont-worry-about-ringing"),
    row("Your payment is on hold. If you are asked questions in the app, answer that you know the payee personally.",
        "COVER_STORY_FOR_THE_BANK", FIRES, "If you are asked questions in the app, answer that", id="cover-story-if-you-are-asked"),
    # Red-team round 161: the gift-card errand kept off the phone; an appeal kept from the person it is for
    row("He needs help purchasing gift cards for a parishioner. Are you available? Please reply by text, don't call.",
        "SECRECY_REQUEST", FIRES, "reply by text, don't call", id="secrecy-reply-by-text-dont-call"),
    row("We're collecting to cover the private op. Please don't mention it to her, she's proud.", "SECRECY_REQUEST", FIRES,
        "Please don't mention it to her", id="secrecy-dont-mention-it-to-her"),
    row("Mum, the payment didn't go through. If they ring just say it's for a family member", "COVER_STORY_FOR_THE_BANK",
        FIRES, "If they ring just say it's for a family", id="cover-story-if-they-ring-just-say"),
    # the browser's own question, in a call that talks about money elsewhere
    row("that's the bank sorted, now when you open edge again it might ask if you want to restore pages click no",
        "COVER_STORY_FOR_THE_BANK", SILENT, id="cover-story-not-restore-pages"),
    row("that's the bank sorted, when you pay him the app might ask what it's for, just say it's for a kitchen",
        "COVER_STORY_FOR_THE_BANK", FIRES, "app might ask what it's for, just say it's", id="cover-story-app-might-ask"),
    row("£180 upfront cash, I'll knock in 10 mins. Please do not ring the council, they'll only delay it.", "SECRECY_REQUEST",
        FIRES, "Please do not ring the council", id="secrecy-do-not-ring-the-council"),
    row("Can you send it to the hospital's account? Please don't tell Nan she'll panic", "SECRECY_REQUEST", FIRES,
        "don't tell Nan", id="secrecy-dont-tell-nan"),
    row("Dad pls just trust me on this one. Don't ring, don't ask mum. Need £1,000 in the next hour", "SECRECY_REQUEST", FIRES,
        "don't ask mum", id="secrecy-dont-ask-mum"),
    # Red-team round 229: the payroll clerk must check on the number on file; the caller says do it off this call
    row("I'm supposed to check with you on the number we have on file. No, that's the broken phone, just do it off this call",
        "TALKS_YOU_OUT_OF_CHECKING", FIRES, "just do it off this call", id="talks-out-just-do-it-off-this-call"),
    row("Just do it on the phone call later, no rush", "TALKS_YOU_OUT_OF_CHECKING", SILENT,
        id="talks-out-no-offer-to-check"),
    # Red-team round 239: the office's lines "diverted to me"; the firm's own check bypassed
    row("Can I ring the office to check? The office lines are being diverted to me while Rachel's off, so you'd get me anyway.",
        "TALKS_YOU_OUT_OF_CHECKING", FIRES, "lines are being diverted to me", id="talks-out-lines-diverted-to-me"),
    row("They're doing due diligence on the new site, it's all hush-hush for now. Linda doesn't need to be involved.",
        "SECRECY_REQUEST", FIRES, "Linda doesn't need to be involved", id="secrecy-bypassed-check"),
    row("The surprise party is all hush-hush, so Tom doesn't need to be told the time", "SECRECY_REQUEST", SILENT,
        id="secrecy-hush-hush-party"),
    # SECRECY_REQUEST in the UK's other languages
    row("Trzeba dziś wpłacić kaucję. Proszę nikomu nie mówić", "SECRECY_REQUEST", FIRES, "nikomu nie mówić",
        id="secrecy-polish"),
    row("Jaldi bhej dein, Abbu ko abhi mat batana", "SECRECY_REQUEST", FIRES, "Abbu ko abhi mat batana", id="secrecy-urdu-latin"),
    row("Nu spune nimănui, e o surpriză pentru ziua lui tata!", "SECRECY_REQUEST", SILENT, id="secrecy-romanian-surprise"),
    # COVER_STORY_FOR_THE_BANK: the bank's question about coaching, answered for you
    row("Grandad if the bank lady asks whether anyone has told you what to say, just say no. It's a box they tick",
        "COVER_STORY_FOR_THE_BANK", FIRES, "anyone has told you what to say, just say no", id="cover-story-told-what-to-say"),
    row("If the bank asks whether anyone has told you what to say, tell them the truth - that's what it's for",
        "COVER_STORY_FOR_THE_BANK", SILENT, id="cover-story-tell-the-truth"),
    row("if they call you from the fraud team just say yes its you and you're paying your son", "COVER_STORY_FOR_THE_BANK",
        FIRES, "if they call you from the fraud team just say yes its you and you're paying your", id="cover-story-fraud-team-paying-son"),
    row("If the bank calls don't answer, let it go to voicemail, they'll only delay it", "SECRECY_REQUEST", FIRES,
        "If the bank calls don't answer", id="secrecy-dont-answer-the-bank"),
    row("no dont call the bank. If it gets flagged just tell them you know the person", "COVER_STORY_FOR_THE_BANK",
        FIRES, "If it gets flagged just tell them you know the person", id="cover-story-flagged-know-the-person"),
    row("Can you do me a favour and not mention it to Gemma but I've got into a bit of a mess", "SECRECY_REQUEST", FIRES,
        "Can you do me a favour and not mention it to Gemma", id="secrecy-not-mention-to-name"),
    # Red-team round 295: what to tell the bank's fraud check, and a reference picked to pass it
    row("the bank will probs ring you to check. just tell them you know the person and its your son, if u say someone asked "
        "you to send it they'll block it",
        "COVER_STORY_FOR_THE_BANK", FIRES, "just tell them you know the person", id="cover-story-tell-them-you-know"),
    row("Just put the reference as 'gift' otherwise Santander flags it. The account is in my friend's name", "COVER_STORY_FOR_THE_BANK", FIRES,
        "reference as 'gift' otherwise Santander flags", id="cover-story-reference-gift-otherwise"),
    row("The bank rang me to check the payment, I told them I know the person, it was for Jake's car",
        "COVER_STORY_FOR_THE_BANK", SILENT, id="cover-story-told-them-i-know"),
    row("Put the reference as 'gift' so I know what it's for x", "COVER_STORY_FOR_THE_BANK", SILENT,
        id="cover-story-reference-gift-so-i-know"),
    # what a warning says you may have been told is the warning's, not the sender's
    row("first direct: If anyone has told you to move money, lie to us, or keep this secret, STOP - it's a scam.",
        "SECRECY_REQUEST", SILENT, id="secrecy-warning-if-anyone-has-told-you"),
    row("Please keep this secret from your bank, if anyone asks say it's a gift", "SECRECY_REQUEST", FIRES,
        "keep this secret", id="secrecy-if-anyone-asks-still"),
    row("Please don't tell anyone to protect the investigation", "SECRECY_REQUEST", FIRES, "don't tell anyone",
        id="secrecy-dont-tell-anyone-to-protect"),
    # a queue's own hold message (red-team round 307) is no request to stay on the line
    row("you are still in a queue please do not hang up or you will lose your place", "SECRECY_REQUEST", SILENT,
        id="secrecy-queue-lose-your-place"),
    row("please do not hang up, I need to stay with you while you go to the bank", "SECRECY_REQUEST", FIRES,
        "do not hang up", id="secrecy-do-not-hang-up-go-to-bank"),
    # steered off the organisation's own line (round 312)
    row("The vet is in theatre so please WhatsApp her directly on 07700 900462 rather than calling the practice.",
        "SECRECY_REQUEST", FIRES, "rather than calling the practice", id="secrecy-rather-than-calling-the-practice"),
    row("Book online or call the practice on 0161 496 0123, whichever is easier", "SECRECY_REQUEST", SILENT,
        id="secrecy-book-online-or-call-the-practice"),
    # (a story for the network when it rings was dropped after review: it fired on a family's "if Sky ring again just
    # tell them it's sorted" and decided nothing)
    row("Mum, if Sky ring again just tell them it's already sorted", "SECRECY_REQUEST", SILENT, id="secrecy-if-sky-ring-again"),
    # a check on a line that never cleared (red-team round 321); the user's own 159 call is the real thing
    row("Hang up and dial 999, ask for me by name. [the same voice answers] Hampshire Police emergency, how can I help?",
        "CHECKED_ON_THE_SAME_LINE", FIRES, "Police emergency, how can I help", id="same-line-999-answered"),
    row("Thank you for calling 159, connecting you to your bank.", "CHECKED_ON_THE_SAME_LINE", SILENT,
        id="same-line-users-own-159-call"),
    # kept from family, and the bank not to be trusted (round 321)
    row("Remember, if your daughter rings, you mustn't say anything, she could be questioned", "SECRECY_REQUEST", FIRES,
        "if your daughter rings, you mustn't say", id="secrecy-if-your-daughter-rings"),
    row("When the bank rings you, whatever they say, don't trust them. Only trust me.", "SECRECY_REQUEST", FIRES,
        "whatever they say, don't trust", id="secrecy-whatever-they-say-dont-trust"),
    row("If your daughter rings, tell her dinner's at six", "SECRECY_REQUEST", SILENT, id="secrecy-if-daughter-rings-dinner"),
]


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_secrecy_flag(text, flag, expect, span, at):
    check_row(patterns(), text, flag, expect, span, at)


VERDICTS = [
    verdict_row("Don't tell Mum, but I've booked us a holiday for her 60th!", NOT_ALARMING, id="surprise"),
    verdict_row("Keep this a secret from your bank and move the money to the safe account now", "scam",
                id="secret-safe-account"),
    verdict_row("NatWest: A NatWest fraud officer will call you from 03457 888 444 within the hour. Please do what "
                "they ask to protect your money.", ("scam", "suspicious"), id="coach-verdict-official-number-as-caller-id"),
]


@pytest.mark.parametrize(("text", "verdicts"), VERDICTS)
def test_secrecy_verdict(text, verdicts):
    check_verdict(text, verdicts)
