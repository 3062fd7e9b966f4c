"""Call screening for telephony integrations: allow / warn / block with reasons."""

import pytest

from scamshield.callerid.screening import DEFAULT_POLICY, screen_call, screen_webhook

CASES = [
    ("+443002003300", "block", "HMRC never rings from 0300 200 3300"),
    ("999", "block", "emergency number"),
    ("159", "block", "159"),
    ("07700 900123", "block", "drama"),
    ("08979 123456", "block", "08979"),
    ("0909 123 4567", "block", "premium-rate"),
    ("+44 20 1234 567", "block", "not in any range"),
    ("not a number!", "block", None),
    ("0700 123 4567", "warn", "070"),
    ("0845 123 4567", "warn", "084"),
    ("anonymous", "warn", "hid their number"),
    ("", "warn", "hid their number"),
    (None, "warn", "hid their number"),
    ("+447911123456", "allow", None),
    ("+12025550123", "allow", None),
    ("020 7123 4567", "allow", None),
]


@pytest.mark.parametrize(("from_", "action", "words"), CASES)
def test_screen(from_, action, words):
    d = screen_call(from_, "+447700123456")
    assert d.action == action
    if action == "allow":
        assert d.reasons == ()
    else:
        assert d.reasons
        if words:
            assert any(words in r for r in d.reasons), d.reasons


@pytest.mark.parametrize(
    ("verstat", "action", "flag"),
    [
        ("TN-Validation-Failed", "warn", "STIR_FAILED"),
        ("TN-Validation-Passed-C", "warn", "STIR_ATTEST_C"),
        ("TN-Validation-Passed-A", "allow", "STIR_VERIFIED_A"),
        ("No-TN-Validation", "allow", None),
        ("garbage", "allow", None),
    ],
)
def test_verstat_from_webhook(verstat, action, flag):
    d = screen_webhook({"From": "+12025550123", "To": "+447700123456", "StirVerstat": verstat})
    assert d.action == action
    assert [f.flag for f in d.findings] == ([flag] if flag else [])


def test_verstat_in_the_from_uri():
    d = screen_call("sip:+12025550123@x.example;verstat=TN-Validation-Failed", "+447700123456")
    assert d.action == "warn" and d.verstat.status == "failed"


def test_a_verified_signature_does_not_rescue_an_impossible_number():
    assert screen_call("+443002003300", "+447700123456", verstat="TN-Validation-Passed-A").action == "block"


def test_malformed_identity_is_a_reason_not_an_exception():
    d = screen_call("+12025550123", "+447700123456", identity="eyJhbGciOiJub25lIn0.e30.")
    assert d.action == "warn" and d.stir.reason in ("alg_none", "wrong_ppt", "missing_claim")
    d = screen_call("+12025550123", "+447700123456", identity="\x00\xff garbage")
    assert d.stir.status == "failed" and d.action == "warn"


def test_policy_is_overridable_and_json_ready():
    strict = {**DEFAULT_POLICY, "CLI_WITHHELD": "block"}
    assert screen_call("withheld", policy=strict).action == "block"
    d = screen_call("+443002003300", "+447700123456").to_dict()
    assert d["action"] == "block" and d["flags"][0]["id"] == "CLI_INBOUND_ONLY" and d["number"]["type"] == "uan"
