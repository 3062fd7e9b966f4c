"""Assemble training/uk_sms.csv from the hand-written batches in training/batches/.

Each batch file holds one message per line (blank lines and lines starting with '#' are skipped).
The file name says the label: genuine_<category>.txt -> legit / team_uk_genuine,
scam_<category>.txt -> scam / team_uk_scam. Ids are numbered per label in file-name order.

    .venv/bin/python training/build_uk_sms.py          # rewrite the CSV, print counts per category
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
BATCHES = HERE / "batches"
OUT = HERE / "uk_sms.csv"
KINDS = {"genuine": ("legit", "team_uk_genuine", "ukg"), "scam": ("scam", "team_uk_scam", "uks")}


def _messages(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def build() -> tuple[list[dict], Counter]:
    rows: list[dict] = []
    counts: Counter = Counter()
    numbers: Counter = Counter()
    seen: dict[str, str] = {}
    for path in sorted(BATCHES.glob("*.txt")):
        kind, _, category = path.stem.partition("_")
        if kind not in KINDS:
            raise SystemExit(f"{path.name}: name must start with genuine_ or scam_")
        label, source, prefix = KINDS[kind]
        for text in _messages(path):
            key = " ".join(text.casefold().split())
            if key in seen:
                raise SystemExit(f"duplicate text in {path.name} (first seen in {seen[key]}): {text}")
            seen[key] = path.name
            numbers[prefix] += 1
            rows.append({"id": f"{prefix}-{numbers[prefix]:04d}", "text": text, "label": label,
                         "channel": "sms", "source": source})
            counts[(label, category)] += 1
    return rows, counts


def main() -> int:
    rows, counts = build()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "text", "label", "channel", "source"])
        writer.writeheader()
        writer.writerows(rows)
    for (label, category), n in sorted(counts.items()):
        print(f"{label:6} {category:22} {n:4}")
    by_label = Counter(r["label"] for r in rows)
    print(f"total {len(rows)}: " + ", ".join(f"{k} {v}" for k, v in sorted(by_label.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
