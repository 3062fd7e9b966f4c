"""Turning what a reporter sends into a report ready to store: the engine's verdict on it, the numbers
and domains it mentions, and the MinHash of its wording."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from ..errors import InputError
from ..models import Message
from .campaigns import signature, to_bytes
from .extract import domain_of, e164, links_in, numbers_in

MAX_AREA = 80
MAX_WHAT_HAPPENED = 5_000
MAX_MONEY_PENCE = 10_000_000_000  # £100m: anything above is a typo, not a loss


@dataclass(slots=True)
class NewReport:
    channel: str
    text: str
    turns_json: str | None = None
    sender: str | None = None
    what_happened: str | None = None
    money_lost_pence: int | None = None
    area: str | None = None
    occurred_at: datetime | None = None
    claimed_type: str | None = None
    scam_type: str | None = None
    verdict: str | None = None
    risk: float | None = None
    numbers: list[tuple[str, str]] = field(default_factory=list)  # (E.164, role)
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, domain)
    signature: bytes = b""


def prepare(
    message: Message,
    *,
    analyzer=None,
    numbers: list[str] = (),
    links: list[str] = (),
    what_happened: str | None = None,
    money_lost_pence: int | None = None,
    area: str | None = None,
    occurred_at: datetime | None = None,
    claimed_type: str | None = None,
) -> NewReport:
    """Build a NewReport; raises InputError for a number or link that cannot be one."""
    if message.turns:
        text = "\n".join(t.text for t in message.turns)
        turns_json = json.dumps([t.to_dict() for t in message.turns], ensure_ascii=False)
    else:
        text, turns_json = message.text, None
    if not text.strip():
        raise InputError("the report has no message text")
    if money_lost_pence is not None and not 0 <= money_lost_pence <= MAX_MONEY_PENCE:
        raise InputError("money_lost must be between 0 and 100,000,000 pounds")
    if area is not None and len(area) > MAX_AREA:
        raise InputError(f"area must be at most {MAX_AREA} characters")
    if what_happened is not None and len(what_happened) > MAX_WHAT_HAPPENED:
        raise InputError(f"what_happened must be at most {MAX_WHAT_HAPPENED} characters")

    found: list[tuple[str, str]] = []

    def add_number(num: str, role: str) -> None:
        if all(n != num for n, _ in found):
            found.append((num, role))

    sender = (message.sender or "").strip() or None
    if sender:
        num = e164(sender)
        if num:
            add_number(num, "sender")
    for raw in numbers:
        num = e164(raw)
        if num is None:
            raise InputError(f"{raw[:40]!r} is not a phone number")
        add_number(num, "sender" if message.channel == "call" else "callback")
    for num in numbers_in(text):
        add_number(num, "callback")

    link_rows: list[tuple[str, str]] = []
    for url in [*links, *links_in(text)]:
        dom = domain_of(url)
        if dom is None:
            if url in links:
                raise InputError(f"{url[:60]!r} is not a web address")
            continue
        if all(u != url[:2048] for u, _ in link_rows):
            link_rows.append((url[:2048], dom))

    report = NewReport(
        channel=message.channel,
        text=text,
        turns_json=turns_json,
        sender=sender[:64] if sender else None,
        what_happened=what_happened,
        money_lost_pence=money_lost_pence,
        area=area.strip() if area and area.strip() else None,
        occurred_at=occurred_at,
        claimed_type=claimed_type,
        numbers=found,
        links=link_rows,
        signature=to_bytes(signature(text)),
    )
    if analyzer is not None:
        verdict = analyzer.analyze(message)
        report.scam_type = verdict.scam_type
        report.verdict = verdict.verdict
        report.risk = round(verdict.risk, 4)
    return report
