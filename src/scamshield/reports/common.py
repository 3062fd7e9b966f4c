"""Small helpers the reports store's modules share: times as stored (UTC) and as shown (ISO 8601, the
Monday of a week), pence as pounds, and ids in chunks for ``IN (...)`` queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta


def now() -> datetime:
    return datetime.now(UTC)


def utc(dt: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def iso(dt: datetime | None) -> str | None:
    dt = utc(dt)
    return dt.isoformat().replace("+00:00", "Z") if dt else None


def monday_of(dt: datetime) -> str:
    """The ISO date of the Monday of ``dt``'s week."""
    monday = (dt - timedelta(days=dt.weekday())).date()
    return monday.isoformat()


def pounds(pence: int | None) -> float | None:
    return None if pence is None else round(pence / 100, 2)


def chunks(seq: list, n: int) -> Iterable[list]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]
