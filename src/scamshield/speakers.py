"""Who the user is, in a call transcript that does not say which way the call went.

A transcript given as "caller"/"callee" turns with no ``direction`` is read as an incoming call: the caller is
the other party. When its own opening says otherwise - the caller asks "is this the customer service for
...?", or whoever answers says "thank you for calling ..." - the caller is the customer ringing a business:
the call is read as outgoing (the user rang), so the help desk's words count as said to the user and the
customer's own story ("my account was hacked") does not, and checking who the customer is ("your account
number?") is expected (``USER_MADE_THE_CALL``). The number rung is unknown, so nothing says it was the
business's own: what no genuine help desk asks (remote access to move money, gift cards, a refund paid back)
still counts.
"""

from __future__ import annotations

import re

from .models import Turn

# the caller's first words, asking for a business's service line or saying why they ring about their own affairs
_CUSTOMER_OPENING = re.compile(
    r"\bis (?:this|that|it) (?:the )?(?:(?:[a-z]+ ){0,3}(?:customer (?:service|services|support|care)|tech(?:nical)? "
    r"support|support (?:line|team|desk|department)|help ?(?:desk|line)|billing (?:department|team)|fraud "
    r"(?:department|team|line)|claims (?:department|line)))\b"
    r"|\b(?:i.m|i am) (?:calling|ringing|phoning) (?:about|because of|regarding|to (?:ask about|check on|report|cancel|"
    r"complain about|query)) (?:my|an? (?:issue|problem) with my|a (?:charge|payment|letter|bill) (?:on|from|to) my)\b",
    re.IGNORECASE,
)
# whoever answers, answering as a business
_ANSWERED_AS_BUSINESS = re.compile(
    r"^\W*(?:(?:good (?:morning|afternoon|evening)|hello|hi),? )?(?:thank(?:s| you) for (?:calling|contacting|holding)|"
    r"you.ve reached|you have reached|welcome to)\b",
    re.IGNORECASE,
)


def caller_is_customer(turns: tuple[Turn, ...] | list[Turn]) -> bool:
    """Whether the transcript's own opening shows the caller ringing a business (see the module docstring)."""
    caller = next((t.text for t in turns if t.speaker == "caller"), None)
    callee = next((t.text for t in turns if t.speaker == "callee"), None)
    if caller is None or callee is None:
        return False  # one voice only: nothing says who is who
    return bool(_CUSTOMER_OPENING.search(caller[:200]) or _ANSWERED_AS_BUSINESS.search(callee[:120]))


def direction_of(turns: tuple[Turn, ...] | list[Turn]) -> str:
    """"outgoing" when the caller is evidently the customer (the user rang), else "incoming" (the default).
    Only for transcripts that give no direction."""
    return "outgoing" if caller_is_customer(turns) else "incoming"
