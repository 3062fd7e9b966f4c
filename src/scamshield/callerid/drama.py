"""Ofcom's telephone numbers reserved for TV, radio and film drama.

Ofcom keeps about 20,000 numbers that will never be given to a real line, so that programmes can
show a realistic number without it ringing anyone. A call or text "from" one of them was faked.
``phonenumbers`` only rejects some of these ranges (07700 900xxx, 01632 960xxx) and accepts the
rest as ordinary numbers, so we keep our own table.

Source: Ofcom, "Telephone numbers for drama purposes"
(https://www.ofcom.org.uk/phones-and-broadband/phone-numbers/numbers-for-drama), as summarised in
../shared/reference/callerid-and-reporting.md section 1.2 and the BBC article "The 20,000 fake phone
numbers" (20 April 2015). Each range is 1,000 numbers: the prefix below followed by three digits.
"""

from __future__ import annotations

# National significant number prefix (no leading 0) -> what the range stands in for.
DRAMA_PREFIXES: dict[str, str] = {
    "1134960": "Leeds (0113 496 0xxx)",
    "1144960": "Sheffield (0114 496 0xxx)",
    "1154960": "Nottingham (0115 496 0xxx)",
    "1164960": "Leicester (0116 496 0xxx)",
    "1174960": "Bristol (0117 496 0xxx)",
    "1184960": "Reading (0118 496 0xxx)",
    "1214960": "Birmingham (0121 496 0xxx)",
    "1314960": "Edinburgh (0131 496 0xxx)",
    "1414960": "Glasgow (0141 496 0xxx)",
    "1514960": "Liverpool (0151 496 0xxx)",
    "1614960": "Manchester (0161 496 0xxx)",
    "1914980": "Tyneside (0191 498 0xxx)",
    "2079460": "London (020 7946 0xxx)",
    "2896496": "Northern Ireland (028 9649 6xxx)",
    "2920180": "Cardiff (029 2018 0xxx)",
    "1632960": "no real area (01632 960xxx)",
    "7700900": "mobiles (07700 900xxx)",
    "8081570": "freephone (08081 570xxx)",
    "9098790": "premium rate (0909 879 0xxx)",
    "3069990": "UK-wide 03 numbers (03069 990xxx)",
}
_PREFIX_LEN = 7
_NSN_LEN = 10


def drama_range(national_number: str) -> str | None:
    """The drama range a UK national significant number (e.g. "7700900123") falls in, or None."""
    if len(national_number) != _NSN_LEN:
        return None
    return DRAMA_PREFIXES.get(national_number[:_PREFIX_LEN])
