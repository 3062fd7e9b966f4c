"""Text changes scammers use to dodge filters must not dodge ours: the normalised text every detector
(and the learned model) reads is the same, and spans still point at the original characters."""

import pytest

from scamshield import analyze
from scamshield.preprocess import make_unit, normalise

EVASIONS = [
    # (what a scammer sends, what the detectors must see in the normalised text)
    ("Ноmе Оffice: your visa", "home office"),  # Cyrillic lookalikes
    ("ΗΜRC tax refund", "hmrc"),  # Greek capitals
    ("H\u200bM\u200cR\u2060C refund", "hmrc"),  # zero-width characters
    ("\ufeffRoyal\u00adMail parcel", "royalmail"),  # BOM and soft hyphen
    ("H.M.R.C refund", "hmrc"),  # dotted letters
    ("h-m-r-c refund", "hmrc"),
    ("buy i T u n e s cards", "itunes"),  # spaced-out letters
    ("ＨＭＲＣ refund", "hmrc"),  # full-width
    ("𝐇𝐌𝐑𝐂 refund", "hmrc"),  # mathematical bold
    ("ʜᴍʀᴄ refund", "hmrc"),  # small capitals
    ("Ⓗⓜⓡⓒ refund", "hmrc"),  # circled letters
    ("pay in v0uch3rs", "vouchers"),  # leetspeak
    ("your P1N and passc0de", "pin and passcode"),
    ("r0yal ma1l", "royal mail"),
    ("refund of GBP 265.84", "£265.84"),  # GBP for £
    ("claim GBP5.00 now", "£5.00"),
    ("HМRС: you are owed a refund", "hmrc"),  # mixed scripts inside one word
]


@pytest.mark.parametrize(("text", "expected"), EVASIONS)
def test_evasion_is_undone(text, expected):
    norm, _ = normalise(text)
    assert expected in norm


@pytest.mark.parametrize(("text", "expected"), EVASIONS)
def test_span_maps_back_to_the_original_characters(text, expected):
    unit = make_unit(text)
    start = unit.norm.index(expected)
    span = unit.span(start, start + len(expected))
    assert span.text == text[span.start : span.end]
    # the original range covers the disguised word, not its neighbours
    assert span.text.strip() == span.text
    assert len(span.text) >= len(expected.replace(" ", "")) - 1


NEAR_MISSES = [
    # ordinary text that must stay as it is
    ("meet at 5 p.m. today", "5 p.m."),
    ("it's 4 u", "4 u"),
    ("code abc123 ok", "abc123"),
    ("see you at 2", "at 2"),
    ("gbp is the currency code", "gbp is"),
]


@pytest.mark.parametrize(("text", "kept"), NEAR_MISSES)
def test_ordinary_text_is_not_rewritten(text, kept):
    assert kept in normalise(text)[0]


@pytest.mark.parametrize(
    "disguised",
    [
        "H.M.R.C: you are owed a tax refund of GBP 265.84. Claim at hmrc-refunds.co",
        "ΗΜRС: you are owed a tax r\u200befund of £265.84. Claim at hmrc-refunds.co",
        "H M R C: you are owed a t4x r3fund of £265.84. Claim at hmrc-refunds.co",
    ],
)
def test_disguised_scam_gets_the_same_verdict_as_the_plain_one(disguised):
    plain = analyze("HMRC: you are owed a tax refund of £265.84. Claim at hmrc-refunds.co")
    v = analyze(disguised)
    assert plain.verdict in ("scam", "suspicious")
    assert v.verdict == plain.verdict
    assert "CLAIMS_TAX_AUTHORITY" in v.flag_ids()


def test_rules_written_as_people_write_meet_the_normalised_text():
    # Rules are normalised like the text: Cyrillic letters that look Latin, accents, dropped vowel signs.
    from scamshield.preprocess import spelt_as_normalised

    for written, text in [("новий номер", "Це мій новий номер"), ("tėti", "Labas tėti"), ("புது நம்பர்", "இது என் புது நம்பர்")]:
        assert spelt_as_normalised(written) in make_unit(text).norm
    assert spelt_as_normalised(r"\bmera\W(?i:X)") == r"\bmera\W(?i:X)"  # ASCII (regex syntax) is left alone


def test_a_span_keeps_the_mark_that_ends_its_letter():
    text = "இது என் புது நம்பர். சரி"
    unit = make_unit(text)
    start = unit.norm.index("புது")
    end = start + len("புது நமபர")  # the virama is dropped from the normalised text
    assert unit.span(start, end).text == "புது நம்பர்"
