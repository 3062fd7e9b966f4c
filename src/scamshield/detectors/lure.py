"""The call-back story: the user rang a number that a text, pop-up or e-mail gave them (``Message.lure``).

Criminals send a message that urges a call back ("payment attempted - if this was not you, call ..."),
then answer as the bank or help desk. When an outgoing call comes with the message that gave its
number, that message is judged like any text; if it is a scam, so is the number it gave.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..callerid.numbers import parse_number
from ..mentions import find_phone_numbers
from ..models import Finding, Message, Verdict
from ..preprocess import TextUnit

MAX_LURE_CHARS = 20_000


class LureDetector:
    name = "lure"

    def __init__(self, judge: Callable[[str], Verdict] | None = None) -> None:
        self.judge = judge  # a text's verdict (None: the analyzer this joins gives it the default engine's)

    def analyze_message(self, message: Message, units: list[TextUnit]) -> Iterable[Finding]:
        first = not units or any(u.turn in (None, 0) for u in units)
        if not (message.lure and message.direction == "outgoing" and first):
            return ()
        if self.judge is None:
            return ()
        lure = message.lure[:MAX_LURE_CHARS]
        verdict = self.judge(lure)
        if verdict.verdict not in ("scam", "suspicious"):
            return ()
        dialled = parse_number(message.dialled).e164 if message.dialled else None
        given = any(info.e164 == dialled for info, _ in find_phone_numbers(lure)) if dialled else False
        signs = [f.description.split(".")[0].lower() for f in verdict.flags if f.counts][:2]
        where = "the number it gave you" if given else "a number after it"
        note = (f"You rang {where}, and the message itself looks like a scam"
                + (f" ({'; '.join(signs)})" if signs else "") + ".")
        return (Finding("CALLED_NUMBER_FROM_SCAM_MESSAGE", 1.0 if given else 0.8, (), note),)
