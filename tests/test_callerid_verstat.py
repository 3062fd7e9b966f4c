"""Carrier verdicts (verstat / StirVerstat / Android verification status)."""

import pytest

from scamshield.callerid.verstat import parse_verstat, verstat_findings

CASES = [
    ("TN-Validation-Passed-A", "passed", "A", ["STIR_VERIFIED_A"]),
    ("TN-Validation-Passed-B", "passed", "B", []),
    ("TN-Validation-Passed-C", "passed", "C", ["STIR_ATTEST_C"]),
    ("TN-Validation-Passed", "passed", None, []),
    ("TN-Validation-Failed", "failed", None, ["STIR_FAILED"]),
    ("TN-Validation-Failed-A", "failed", "A", ["STIR_FAILED"]),
    ("tn-validation-failed-c", "failed", "C", ["STIR_FAILED"]),
    ("No-TN-Validation", "not_verified", None, []),
    ("VERIFICATION_STATUS_FAILED", "failed", None, ["STIR_FAILED"]),
    ("VERIFICATION_STATUS_PASSED", "passed", None, []),
    ("VERIFICATION_STATUS_NOT_VERIFIED", "not_verified", None, []),
    ("tel:+443002003300;verstat=TN-Validation-Failed", "failed", None, ["STIR_FAILED"]),
    ("<sip:+12025550123@x.example;verstat=TN-Validation-Passed-A;user=phone>", "passed", "A", ["STIR_VERIFIED_A"]),
    ("TN-Validation-Passed-Z", "unrecognised", None, []),
    ("banana", "unrecognised", None, []),
    ("x" * 10_000, "unrecognised", None, []),
]


@pytest.mark.parametrize(("raw", "status", "attest", "flags"), CASES)
def test_verstat(raw, status, attest, flags):
    v = parse_verstat(raw)
    assert (v.status, v.attest) == (status, attest)
    found = verstat_findings(v)
    assert [f.flag for f in found] == flags
    assert all(f.note for f in found)


@pytest.mark.parametrize("empty", [None, "", "   ", 42])
def test_nothing_given(empty):
    assert parse_verstat(empty) is None
    assert verstat_findings(None) == ()
