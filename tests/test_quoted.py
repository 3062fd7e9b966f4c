"""A message passed on in quotation marks to warn about it (quoted.py): its quoted words are set aside, the
framing is the evidence, and anything outside the quotation still counts. Only asked about, it is judged."""

from __future__ import annotations

import pytest

from flag_cases import FIRES, SILENT, analyzer, check_row, row
from scamshield.analyzer import Analyzer, _unit
from scamshield.detectors.quoted import QuotedMessageDetector
from scamshield.models import Message
from scamshield.quoted import blank, forwarded_quote, received_quotes

FORWARDED = [
    ("Mum got this, is it real?? 'HMRC: you are due a tax refund of £326.17, claim here: hmrc-refund-claim.co.uk' "
     "I told her not to click anything", ["got", "not to click"]),
    ("Evening all, several people on Beech Rd have had a text saying 'Royal Mail: your parcel is held, pay £1.45 "
     "to release it' with a link. It's a scam, don't click. Report it by forwarding to 7726.",
     ["a text saying", "It's a scam"]),
    ("Just had this, have you had one? 'Barclays: a new payee has been added, if this wasn't you call "
     "020 7946 0999'. I'm with Nationwide so it's obviously rubbish lol", ["had", "obviously rubbish"]),
    ("Dad is this one of those scams? I got “Hi mum this is my new number, save it” from a number I don't know. "
     "Don't reply to it!", ["got", "Don't reply"]),
    ("Mate I just got one of those \"I've recorded you on your webcam pay bitcoin\" texts 😂 changed my passwords anyway",
     ["got one of those"]),
    # a friend telling the owner their account was hijacked (an audit finding on red-team round 198)
    ("A WhatsApp one. Message from your number saying 'sorry sent you a code by mistake can you send it back'. I almost did.",
     ["saying", "I almost did"]),
    # Urdu in Latin letters: "messages are coming on WhatsApp ... forward them to 7726" (round 714)
    ("Sab ghar walon ko bhej dein. Aaj kal WhatsApp pe msg aa rahe hain 'Hi Ammi ye mera naya number hai, purana phone toot "
     "gaya' aur phir kehte hain urgent paise bhejo. Aise msg 7726 pe forward kar dein.", ["msg aa rahe hain", "7726"]),
]

NOT_FORWARDED = [
    "She said 'pay me back by Friday' and I said fine",  # reported speech, nothing received or judged
    "Reply 'YES' to confirm your appointment",  # a short quoted answer
    # received, but not judged: a quotation alone proves nothing
    "I got a text saying 'your parcel is held, pay £1.45 at evri-redelivery.com' so I paid it",
    # judged, but not received: a scam can call its own words a warning
    "Barclays: 'Your card has been suspended for your safety' - this is not a scam, call 020 7946 0999 now",
    "It's the kids' toys and the dog's lead, don't forget them",  # apostrophes, not quotation marks
    # only asked about: whoever asks wants the quoted message judged, so it is not set aside
    "I got this, is it real?\n\n\"DVLA: Your vehicle has an unpaid Dart Charge penalty. Pay £6.80 by midnight: "
    "dartcharge-uk-payments.com\"",
]


@pytest.mark.parametrize(("text", "cues"), FORWARDED)
def test_forwarded_quote_found_with_its_framing(text, cues):
    q = forwarded_quote(text)
    assert q is not None
    assert [text[a:b] for a, b in q.cues] == cues
    assert text[q.start] in "'\"“" and q.end > q.start
    blanked = blank(text, q)
    assert len(blanked) == len(text) and blanked[: q.start] == text[: q.start] and blanked[q.end :] == text[q.end :]


@pytest.mark.parametrize("text", NOT_FORWARDED)
def test_not_a_forwarded_quote(text):
    assert forwarded_quote(text) is None


@pytest.mark.parametrize(("text", "cues"), FORWARDED)
def test_forwarded_warning_is_safe_and_says_why(text, cues):
    v = analyzer().analyze(Message(text=text))
    assert v.verdict == "safe", [(f.id, f.status) for f in v.flags]
    quoted = next(f for f in v.flags if f.id == "QUOTES_A_MESSAGE")
    assert [s.text for s in quoted.evidence] == cues
    assert all(text[s.start : s.end] == s.text for s in quoted.evidence)
    # nothing inside the quotation marks is anyone's evidence
    q = forwarded_quote(text)
    assert not any(q.start <= s.start < q.end for f in v.flags for s in f.evidence)


def test_what_is_outside_the_quotation_still_counts():
    text = ("Got this 'Your parcel is held, pay £1.45 to release it' - it's a scam, so to stop them "
            "just confirm your card details at parcel-check-uk.top")
    v = Analyzer.default().analyze(Message(text=text))
    assert v.verdict in ("scam", "suspicious")
    assert "QUOTES_A_MESSAGE" in {f.id for f in v.flags}
    assert any(s.text.startswith("parcel-check-uk.top") for f in v.flags for s in f.evidence)


# The flag tables' rows (tests/test_flags_coverage.py): the unit is built as the analyzer builds it.
ROWS = [
    # a warning about a scam going round, the scam quoted (round 405); a "circulating" quote with no warning stays judged
    row("NEIGHBOURHOOD WATCH ALERT - scam doing the rounds locally: 'Hi, I've found your dog, vet fees are £150, send to "
        "my account and I'll drop her back.' Genuine finders don't ask for money.", "QUOTES_A_MESSAGE", FIRES,
        "scam doing the rounds", id="quote-scam-doing-the-rounds"),
    row("This is going round the family chat: 'Hi Mum, new number, can you send £200 to my mate's account?'",
        "QUOTES_A_MESSAGE", SILENT, id="quote-going-round-no-warning"),
    row(FORWARDED[0][0], "QUOTES_A_MESSAGE", FIRES, "not to click", id="quote-told-her-not-to-click"),
    row(FORWARDED[1][0], "QUOTES_A_MESSAGE", FIRES, "a text saying", id="quote-neighbourhood-warning"),
    # red-team round 228: in a parent's English, "someone message me", and "I blocked" it
    row("Beta, someone message me on whatsapp 'Hi Mum its me new number save this'. Not you I think. I blocked",
        "QUOTES_A_MESSAGE", FIRES, "someone message me", id="quote-someone-message-me-i-blocked"),
    *(row(text, "QUOTES_A_MESSAGE", SILENT, id=f"quote-near-miss-{i}") for i, text in enumerate(NOT_FORWARDED)),
]


class _AsTheAnalyzerBuildsIt:
    def analyze(self, unit):
        return list(QuotedMessageDetector().analyze(_unit(unit.text)))


@pytest.mark.parametrize(("text", "flag", "expect", "span", "at"), ROWS)
def test_quoted_flag(text, flag, expect, span, at):
    check_row(_AsTheAnalyzerBuildsIt(), text, flag, expect, span, at)


def test_a_question_about_a_quoted_scam_gets_the_scam_verdict():
    v = Analyzer.default().analyze(Message(text=NOT_FORWARDED[-1]))
    assert v.verdict == "scam"
    assert "QUOTES_A_MESSAGE" not in {f.id for f in v.flags}


def test_received_quotes_include_ones_only_asked_about():
    asked = "I got this, is it real? 'HMRC: you are due a tax refund, claim at hmrc-refunds.com'"
    (start, end) = received_quotes(asked)[0]
    assert asked[start:end].startswith("'HMRC") and forwarded_quote(asked) is None
    assert received_quotes("She said 'pay me back by Friday' and I said fine") == []

