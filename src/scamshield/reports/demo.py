"""Demo reports, written for this project (no data set copied): a few campaigns, as a new user would
see them after some weeks of reports from around the UK. Numbers are from Ofcom's drama ranges
(never allocated) and domains are invented, so nothing here points at a real person or site."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ..models import Message, Turn
from .ingest import NewReport, prepare

# (days ago, channel, sender, text or turns, area, money lost in pounds, what happened)
_HMRC = [
    (52, "sms", "HMRC", "HMRC: You are due a tax refund of £{a}. Claim it before midnight at https://hmrc-refund-claim.top/uk to avoid losing it.", "Hertfordshire", 0, None),
    (47, "sms", "HMRC", "HMRC: You are due a tax refund of £{a}. Claim it before midnight at https://hmrc-refund-claim.top/gb to avoid losing it.", "Hertfordshire", 0, None),
    (41, "sms", "+447700900461", "HMRC notice: you are due a tax refund of £{a}. Claim it today at hmrc-refund-claim.top or it will be cancelled.", "Essex", 240, "I put my card details in and £240 went the next day."),
    (33, "sms", "HMRC", "HMRC: You are due a tax refund of £{a}. Claim it before midnight at https://taxrebate-hmrc.top to avoid losing it.", "Bedfordshire", 0, None),
    (26, "sms", "HMRC", "HMRC: You are due a tax refund of £{a}. Claim it before midnight at https://taxrebate-hmrc.top/claim to avoid losing it.", "Hertfordshire", 0, None),
    (12, "sms", "HMRC", "HMRC: You are due a tax refund of £{a}. Claim it before midnight at https://taxrebate-hmrc.top/c to avoid losing it.", "Kent", 0, None),
    (4, "sms", "HMRC", "HMRC: you are due a tax refund of £{a}. Claim before midnight at https://taxrebate-hmrc.top/r to avoid losing it.", "Hertfordshire", 0, None),
]
_HMRC_CALL = [
    (30, "call", "+443002003300", [("caller", "This is HMRC. There is a warrant for your arrest for unpaid tax."), ("callee", "What? I have paid everything."), ("caller", "You must pay £{a} today in Google Play vouchers or the police will come. Call us back on 020 7946 0321.")], "Hertfordshire", 600, "An older neighbour bought vouchers at the supermarket."),
    (21, "call", "+442079460321", [("caller", "Hello, this is HM Revenue and Customs calling about your unpaid tax."), ("caller", "An arrest warrant has been issued. Pay £{a} now by vouchers to stop it.")], "Hertfordshire", 0, None),
    (9, "call", "+442079460321", [("caller", "I am calling from HMRC, you owe tax and a warrant is out for your arrest."), ("callee", "I'll call HMRC myself."), ("caller", "Do not hang up or you will be arrested today.")], "Buckinghamshire", 0, None),
]
_PARCEL = [
    (44, "sms", "+447700900112", "Royal Mail: your parcel is on hold due to an unpaid shipping fee of £1.{p}. Pay now: https://rm-redelivery.top/pay", "Leeds", 0, None),
    (38, "sms", "+447700900113", "Royal Mail: your parcel is on hold due to an unpaid shipping fee of £1.{p}. Pay now: https://rm-redelivery.top/fee", "Bradford", 0, None),
    (31, "sms", "+447700900114", "EVRI: we missed you. Your parcel is on hold until a £1.{p} redelivery fee is paid: https://evri-redeliver.top", "Manchester", 0, None),
    (24, "sms", "+447700900115", "EVRI: we missed you. Your parcel is on hold until a £1.{p} redelivery fee is paid: https://evri-redeliver.top/x", "Leeds", 1450, "They emptied my account after I paid the fee."),
    (18, "sms", "+447700900116", "Royal Mail: your parcel is on hold due to an unpaid shipping fee of £1.{p}. Pay now: https://evri-redeliver.top/rm", "Sheffield", 0, None),
    (6, "sms", "+447700900117", "Royal Mail: your parcel is on hold due to an unpaid shipping fee of £1.{p}. Pay now: https://royalmail-fee.top", "Leeds", 0, None),
    (2, "sms", "+447700900118", "Royal Mail: your parcel is on hold due to an unpaid shipping fee of £1.{p}. Pay today: https://royalmail-fee.top/p", "York", 0, None),
]
_FAMILY = [
    (40, "sms", "+447700900731", "Hi Mum, this is my new number, my phone broke. Can you text me on WhatsApp? x", "Glasgow", 0, None),
    (29, "sms", "+447700900732", "Hi Mum it's me, I dropped my phone so this is my new number. Can you message me on WhatsApp? x", "Edinburgh", 0, None),
    (22, "sms", "+447700900733", "Hi Dad, this is my new number, my phone broke. I need to pay a bill today, can you help? I'll pay you back", "Dundee", 1900, "I paid £1,900 into an account for my 'daughter'."),
    (15, "sms", "+447700900734", "Hi Mum, this is my new number, my phone broke. Can you text me on WhatsApp? x", "Glasgow", 0, None),
    (3, "sms", "+447700900735", "Hi Mum, this is my new number as my phone broke. Can you text me on WhatsApp please x", "Aberdeen", 0, None),
]
_BANK = [
    (35, "call", "+441134960555", [("caller", "This is the fraud team at your bank. Your account has been compromised."), ("caller", "To protect your money you must move it to a safe account we have set up for you."), ("callee", "Which account?"), ("caller", "Don't tell anyone at the branch, they may be involved.")], "Birmingham", 8200, "Moved my savings to a 'safe account'."),
    (27, "call", "+441134960555", [("caller", "Hello, I'm calling from your bank's fraud department about suspicious payments."), ("caller", "We need you to transfer your balance to a new safe account today.")], "Coventry", 0, None),
    (16, "call", "+441134960556", [("caller", "This is your bank's security team, someone is trying to take money from your account."), ("caller", "Move your money into the safe account I'll give you, and tell no one.")], "Birmingham", 15000, None),
    (8, "sms", "+447700900200", "Your bank: a new payee was added to your account. If this was not you call us at once on 0113 496 0556", "Wolverhampton", 0, None),
]
_TECH = [
    (25, "call", "+442079460877", [("caller", "This is Microsoft technical support. Your computer is sending us virus alerts."), ("caller", "Please download AnyDesk so I can fix it for you.")], "Cardiff", 0, None),
    (13, "call", "+442079460878", [("caller", "I'm calling from BT, your broadband will be disconnected today, your router is hacked."), ("caller", "Install AnyDesk and give me the code so our engineer can repair it.")], "Swansea", 320, "He took £320 from my online banking while connected."),
    (5, "call", "+442079460877", [("caller", "Microsoft support here, your computer has a virus and your IP address is compromised."), ("caller", "Download TeamViewer now so we can remove it.")], "Newport", 0, None),
]
_INVEST = [
    (37, "sms", "+447700900950", "Earn £{a} a week trading crypto with our AI bot! Guaranteed returns. Join at https://quantum-profit.top", "Bristol", 0, None),
    (19, "sms", "+447700900951", "Make £{a} a week trading crypto with our AI bot. Guaranteed profit. Sign up at https://quantum-profit.top/join", "Bath", 5000, "Invested £5,000, cannot withdraw."),
    (7, "sms", "+447700900952", "Earn £{a} weekly trading crypto with our AI robot! Guaranteed returns. Start at https://quantum-profit.top/vip", "Bristol", 0, None),
]
_SINGLES = [
    (20, "sms", "+447700900300", "Congratulations! You have won a £500 Tesco gift card. Reply YES to claim your prize.", "Norwich", 0, None),
    (11, "sms", "+447700900301", "Your Netflix payment failed. Update your details at https://nflx-billing.top within 24 hours or your account will be suspended.", "Ipswich", 0, None),
    (10, "sms", "+447700900302", "DVLA: your vehicle tax is overdue. Pay the £{a} penalty now at https://dvla-penalty.top or your car will be clamped.", "Cambridge", 0, None),
    (1, "sms", "+447700900303", "We've been trying to reach you about your car accident claim. You could be owed £{a}. Reply CLAIM.", "Liverpool", 0, None),
    (14, "sms", "+447700900304", "Your job application was successful! Earn £{a} a day liking videos from home. Message our recruiter on WhatsApp.", "Nottingham", 0, None),
]
# Reported, then marked "not a scam" by a reviewer: it stays out of campaigns and reputation.
_NOT_SCAM = (17, "sms", "+447700900400", "Your GP surgery: your flu jab appointment is on Tuesday at 10:40. Reply STOP to cancel.", "Leeds", 0, "I wasn't sure this was real.")


def _entries():
    amounts = [287, 312, 246, 401, 198, 355, 264, 299, 318, 270]
    for group in (_HMRC, _HMRC_CALL, _PARCEL, _FAMILY, _BANK, _TECH, _INVEST, _SINGLES):
        for i, entry in enumerate(group):
            yield entry, amounts[i % len(amounts)], 40 + i * 7


def demo_reports(analyzer=None, now: datetime | None = None) -> list[NewReport]:
    now = now or datetime.now(UTC)
    out = []
    for (days, channel, sender, body, area, lost, story), amount, pence in _entries():
        if isinstance(body, list):
            turns = tuple(Turn(sp, text.format(a=amount, p=pence)) for sp, text in body)
            message = Message(channel="call", turns=turns, sender=sender)
        else:
            message = Message(channel=channel, text=body.format(a=amount, p=pence), sender=sender)
        out.append(prepare(message, analyzer=analyzer, area=area, what_happened=story,
                           money_lost_pence=lost * 100 if lost else None,
                           occurred_at=now - timedelta(days=days, hours=(pence % 9))))
    return out


def load_demo(store, analyzer=None) -> int:
    """Load the demo reports (and one reviewed as not a scam) into ``store``; returns how many."""
    if analyzer is None:
        from ..analyzer import Analyzer

        analyzer = Analyzer.default()
    reports = demo_reports(analyzer)
    count = store.add_many(reports, source="demo")
    days, channel, sender, text, area, _lost, story = _NOT_SCAM
    stored = store.add(prepare(Message(channel=channel, text=text, sender=sender), analyzer=analyzer, area=area,
                               what_happened=story, occurred_at=datetime.now(UTC) - timedelta(days=days)),
                       source="demo")
    store.feedback(stored.id, not_scam=True, note="A genuine appointment reminder.", source="demo")
    return count + 1
