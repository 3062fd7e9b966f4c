"""Number parsing and the numbering checks (phonenumbers-based), table-driven."""

import pytest

from scamshield.callerid.drama import DRAMA_PREFIXES, drama_range
from scamshield.callerid.numbers import canonical_tn, numbering_findings, parse_number, strip_uri, uri_param

# raw -> (kind, e164, number_type, region)
PARSE_CASES = [
    ("0300 200 3300", "number", "+443002003300", "uan", "GB"),
    ("+443002003300", "number", "+443002003300", "uan", "GB"),
    ("+44 (0)300 200 3300", "number", "+443002003300", "uan", "GB"),
    ("00443002003300", "number", "+443002003300", "uan", "GB"),
    ("443002003300", "number", "+443002003300", "uan", "GB"),
    ("tel:+443002003300;verstat=TN-Validation-Passed", "number", "+443002003300", "uan", "GB"),
    ("sip:+443002003300@carrier.example;user=phone", "number", "+443002003300", "uan", "GB"),
    ('"HMRC" <sip:+443002003300@gw.example>', "number", "+443002003300", "uan", "GB"),
    ("07700 123456", "number", "+447700123456", "mobile", "GB"),
    ("020 7123 4567", "number", "+442071234567", "fixed_line", "GB"),
    ("0800 123 4567", "number", "+448001234567", "toll_free", "GB"),
    ("0845 123 4567", "number", "+448451234567", "shared_cost", "GB"),
    ("0871 123 4567", "number", "+448711234567", "shared_cost", "GB"),
    ("0909 123 4567", "number", "+449091234567", "premium_rate", "GB"),
    ("0700 123 4567", "number", "+447001234567", "personal", "GB"),
    ("056 1234 5678", "number", "+445612345678", "voip", "GB"),
    ("07911 123456", "number", "+447911123456", "mobile", "GG"),  # Guernsey shares +44
    ("07797 123456", "number", "+447797123456", "mobile", "JE"),  # Jersey
    ("07624 123456", "number", "+447624123456", "mobile", "IM"),  # Isle of Man
    ("+1 202 555 0123", "number", "+12025550123", "fixed_line_or_mobile", "US"),
    ("+33 1 23 45 67 89", "number", "+33123456789", "fixed_line", "FR"),
    ("999", "short_code", None, "unknown", "GB"),
    ("+44 999", "short_code", None, "unknown", "GB"),
    ("60599", "short_code", None, "unknown", "GB"),
    ("HMRC", "alphanumeric", None, "unknown", None),
    ("Royal Mail", "alphanumeric", None, "unknown", None),
    ("AMAZON", "alphanumeric", None, "unknown", None),
    ("withheld", "withheld", None, "unknown", None),
    ("Anonymous", "withheld", None, "unknown", None),
    ("sip:anonymous@anonymous.invalid", "withheld", None, "unknown", None),
    ("", "withheld", None, "unknown", None),
    ("   ", "withheld", None, "unknown", None),
    ("Private Number", "withheld", None, "unknown", None),
]


@pytest.mark.parametrize(("raw", "kind", "e164", "ntype", "region"), PARSE_CASES)
def test_parse(raw, kind, e164, ntype, region):
    info = parse_number(raw)
    assert info.kind == kind
    assert info.e164 == e164
    assert info.number_type == ntype
    assert info.region == region


def test_none_is_withheld_and_national_format_is_readable():
    assert parse_number(None).kind == "withheld"
    assert parse_number("+443002003300").national == "0300 200 3300"
    assert parse_number("07911 123456").region_name == "Guernsey"


# Malformed numbers of every shape: never an exception, always a clear flag on a call.
MALFORMED = [
    ("08979 123456", "CLI_INVALID", "08979"),
    ("020 12345 6789", "CLI_INVALID", "too long"),
    ("020 1234 567", "CLI_INVALID", "not in any range"),
    ("0123", "CLI_INVALID", "too short"),
    ("076 1234 5678", "CLI_INVALID", "not in any range"),
    ("0500 123456", "CLI_INVALID", "not in any range"),
    ("+999 123 456", "CLI_INVALID", "country code does not exist"),
    ("++44", "CLI_INVALID", "not a phone number"),
    ("+", "CLI_INVALID", "no digits"),
    ("0" * 300, "CLI_INVALID", "far too long"),
    ("07700 900 12x", "CLI_INVALID", None),
    ("01234 567890 ext 99999999", "CLI_INVALID", "too long"),
    ("☎️ 0300 200 3300", "CLI_INVALID", None),
    ("0300\x00200 3300", "CLI_INVALID", None),
]


@pytest.mark.parametrize(("raw", "flag", "words"), MALFORMED)
def test_malformed_numbers_are_flagged_not_raised(raw, flag, words):
    found = numbering_findings(parse_number(raw), "call")
    assert [f.flag for f in found] == [flag], found
    if words:
        assert words in found[0].note


@pytest.mark.parametrize("bad", [123, b"0300", 3.5, ["0300"]])
def test_non_text_input(bad):
    info = parse_number(bad)
    assert info.kind == "unparseable"


# raw -> flags on a call, flags on a text
SIGNAL_CASES = [
    ("0300 200 3300", [], []),  # valid on its own: the inbound-only list is a separate check
    ("07700 123456", [], []),
    ("07911 123456", [], []),
    ("+1 202 555 0123", [], []),
    ("07700 900123", ["CLI_DRAMA_RANGE"], ["CLI_DRAMA_RANGE"]),
    ("01632 960000", ["CLI_DRAMA_RANGE"], ["CLI_DRAMA_RANGE"]),
    ("020 7946 0123", ["CLI_DRAMA_RANGE"], ["CLI_DRAMA_RANGE"]),  # phonenumbers says valid
    ("0113 496 0000", ["CLI_DRAMA_RANGE"], ["CLI_DRAMA_RANGE"]),
    ("0808 157 0999", ["CLI_DRAMA_RANGE"], ["CLI_DRAMA_RANGE"]),
    ("0909 879 0000", ["CLI_DRAMA_RANGE"], ["CLI_DRAMA_RANGE"]),
    ("03069 990000", ["CLI_DRAMA_RANGE"], ["CLI_DRAMA_RANGE"]),
    ("028 9649 6000", ["CLI_DRAMA_RANGE"], ["CLI_DRAMA_RANGE"]),
    ("020 7946 1000", [], []),  # just outside the London drama block
    ("999", ["CLI_SHORT_CODE"], ["CLI_SHORT_CODE"]),
    ("112", ["CLI_SHORT_CODE"], ["CLI_SHORT_CODE"]),
    ("101", ["CLI_SHORT_CODE"], ["CLI_SHORT_CODE"]),
    ("159", ["CLI_SHORT_CODE"], ["CLI_SHORT_CODE"]),
    ("111", ["CLI_SHORT_CODE"], ["CLI_SHORT_CODE"]),
    ("61234", ["CLI_SHORT_CODE"], []),  # banks text from 5-digit short codes
    ("7726", ["CLI_SHORT_CODE"], []),
    ("123-reg", [], []),  # a sender name that starts with digits (the 123 Reg domain registrar), not the speaking clock
    ("24/7 Help", [], []),  # the reporting service replies to a forwarded text asking for the sender
    ("0909 123 4567", ["CLI_PREMIUM_RATE"], ["CLI_PREMIUM_RATE"]),
    ("0700 123 4567", ["CLI_PERSONAL_NUMBER"], ["CLI_PERSONAL_NUMBER"]),
    ("0845 123 4567", ["CLI_SERVICE_NUMBER"], ["CLI_SERVICE_NUMBER"]),
    ("056 1234 5678", [], []),
    ("withheld", ["CLI_WITHHELD"], []),
    ("", ["CLI_WITHHELD"], []),
    ("HMRC", [], []),  # sender names are normal on texts
    ("NatWest", [], []),
]


@pytest.mark.parametrize(("raw", "on_call", "on_sms"), SIGNAL_CASES)
def test_signals(raw, on_call, on_sms):
    info = parse_number(raw)
    call = numbering_findings(info, "call")
    assert [f.flag for f in call] == on_call
    assert [f.flag for f in numbering_findings(info, "sms")] == on_sms
    for f in call:
        assert f.note and len(f.note) > 40, "every signal explains itself to a person"
        assert 0 < f.confidence <= 1


def test_explanations_name_the_number_and_the_reason():
    (f,) = numbering_findings(parse_number("999"), "call")
    assert "999 is the emergency number" in f.note
    (f,) = numbering_findings(parse_number("07700 900123"), "call")
    assert "07700 900123" in f.note and "drama" in f.note


def test_drama_table_has_twenty_ranges_of_1000():
    assert len(DRAMA_PREFIXES) == 20
    assert all(len(p) == 7 for p in DRAMA_PREFIXES)
    assert drama_range("7700900999") and not drama_range("7700901000") and not drama_range("77009001")


@pytest.mark.parametrize(
    ("raw", "out"),
    [
        ("sip:+443002003300@x.example;user=phone", "+443002003300"),
        ("<tel:+447700900123;verstat=TN-Validation-Passed>", "+447700900123"),
        ('"Tax" <sips:03002003300@x.example>', "03002003300"),
        ("0300 200 3300", "0300 200 3300"),
    ],
)
def test_strip_uri(raw, out):
    assert strip_uri(raw) == out


def test_uri_param_and_canonical_tn():
    assert uri_param("tel:+44300;verstat=TN-Validation-Failed;user=phone", "verstat") == "TN-Validation-Failed"
    assert uri_param("tel:+44300", "verstat") is None
    assert canonical_tn("0300 200 3300") == "443002003300"
    assert canonical_tn("+1 202 555 0123") == "12025550123"
    assert canonical_tn(None) is None
