"""Blocklist export: numbers and domains with their evidence counts, as CSV or JSON."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

FIELDS = ["type", "value", "reports", "campaigns", "first_seen", "last_seen", "money_lost"]


def to_csv(entries: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for e in entries:
        writer.writerow({k: e.get(k) for k in FIELDS})
    return buf.getvalue()


def to_document(entries: list[dict], min_reports: int) -> dict:
    return {"generated_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"), "min_reports": min_reports,
            "entries": entries}
