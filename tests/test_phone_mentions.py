"""Which digit strings in a message are phone numbers to ring, and which are references."""

from __future__ import annotations

import pytest

from scamshield.mentions import find_phone_numbers


@pytest.mark.parametrize(("text", "numbers"), [
    ("Your ref is 01/44281/25. For an update call 101.", []),  # a crime reference, with slashes
    ("Your ref is 0161 496 0741, quote it if you ring us", []),  # "ref is" before the digits: a reference
    ("If this wasn't you, call us on 0161 496 0741", ["0161 496 0741"]),
])
def test_references_are_not_phone_numbers(text, numbers):
    assert [span.text for _, span in find_phone_numbers(text)] == numbers
