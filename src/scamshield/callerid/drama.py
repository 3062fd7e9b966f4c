"""Ofcom's telephone numbers reserved for TV, radio and film drama.

Ofcom keeps about 20,000 numbers that will never be given to a real line, so that programmes can
show a realistic number without it ringing anyone. A call or text "from" one of them was faked.
``phonenumbers`` only rejects some of these ranges (07700 900xxx, 01632 960xxx) and accepts the
rest as ordinary numbers, so we keep our own table.

The ranges, with their source, are data: ``drama_ranges`` in rules/callerid.yaml.
"""

from __future__ import annotations

from .wording import tables

# National significant number prefix (no leading 0) -> what the range stands in for.
DRAMA_PREFIXES: dict[str, str] = tables()["drama_ranges"]
_PREFIX_LEN = 7
_NSN_LEN = 10


def drama_range(national_number: str) -> str | None:
    """The drama range a UK national significant number (e.g. "7700900123") falls in, or None."""
    if len(national_number) != _NSN_LEN:
        return None
    return DRAMA_PREFIXES.get(national_number[:_PREFIX_LEN])
