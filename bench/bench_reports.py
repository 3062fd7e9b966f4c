"""Reports at scale: generate N scam reports from a few hundred synthetic campaigns, ingest them into
the store (engine verdict + extraction + MinHash per report, bulk insert), cluster them into
campaigns, and time the read views. Also times the one-at-a-time path the API uses.

    .venv/bin/python bench/bench_reports.py                 # 100,000 reports, SQLite file in /tmp
    .venv/bin/python bench/bench_reports.py --n 20000 --db postgresql://user@host/db --name reports_postgresql

Writes bench/results/reports.json: seconds per phase, reports/s, peak RSS, and how well the campaigns
found match the campaigns the generator used (pairwise precision and recall on sampled pairs).
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import rss_mb, write

OPENERS = ["URGENT", "Final notice", "Important", "Reminder", "Action required", "Alert", "Notice", "Attention"]
SENDERS = ["HMRC", "Royal Mail", "EVRI", "DVLA", "Your bank", "NHS", "Netflix", "Amazon", "BT", "O2", "PayPal",
           "TV Licensing", "Council Tax", "DPD", "Lloyds", "Barclays", "HSBC", "Santander", "Nationwide", "Apple"]
CLAIMS = ["you are due a tax refund of £{a}", "your parcel is on hold until a £1.{p} fee is paid",
          "your vehicle tax is overdue, a £{a} penalty applies", "a payment of £{a} was taken from your account",
          "your subscription has been suspended", "your account will be closed today",
          "you have a missed delivery, pay the £2.{p} redelivery fee", "you have won a £{a} voucher",
          "a warrant has been issued for unpaid tax of £{a}", "your direct debit failed",
          "your energy rebate of £{a} is ready", "suspicious login detected on your account",
          "your licence has expired and you may be fined £{a}", "you qualify for a £{a} cost of living payment"]
ACTIONS = ["Claim it at {u}", "Pay now at {u}", "Verify your details at {u}", "Call us on {n}",
           "Update your card at {u}", "Reply YES or call {n}", "Visit {u} within 24 hours",
           "Ring {n} before midnight", "Confirm at {u} to avoid losing it", "Contact our team on {n}"]
TAILS = ["", " to avoid further action.", " or it will be cancelled.", " Do not ignore this message.",
         " Failure to act will result in legal action.", " Thank you.", " This is your last reminder."]
AREAS = ["Hertfordshire", "Kent", "Essex", "Leeds", "Manchester", "Glasgow", "Cardiff", "Bristol", "Birmingham",
         "Norfolk", "Devon", "Belfast", "Edinburgh", "Liverpool", "Sheffield", "Surrey"]
WORDS = ("the a to of and you your is for on at we it this that be are with have from not by can will me my "
         "lunch dinner meeting tomorrow today late home work train bus car call later thanks love see soon "
         "weekend party birthday mum dad kids school shop milk bread game match film book doctor dentist").split()


def make_campaigns(rng: random.Random, count: int) -> list[dict]:
    out = []
    for c in range(count):
        out.append({
            "script": f"{rng.choice(SENDERS)}: {rng.choice(OPENERS)}, {rng.choice(CLAIMS)}. "
                      f"{rng.choice(ACTIONS)}{rng.choice(TAILS)}",
            "numbers": [f"07700 9{rng.randrange(100000):05d}" for _ in range(rng.randint(1, 4))],
            "domains": [f"{rng.choice(['secure', 'pay', 'my', 'claim', 'verify'])}-{c}-{rng.randrange(10**6)}.top"
                        for _ in range(rng.randint(1, 3))],
            "area": rng.choice(AREAS),
        })
    return out


def report_text(rng: random.Random, campaign: dict) -> str:
    text = campaign["script"].format(a=rng.randint(50, 900), p=rng.randint(10, 99),
                                     u="https://" + rng.choice(campaign["domains"]) + f"/{rng.randrange(10**4)}",
                                     n=rng.choice(campaign["numbers"]))
    words = text.split(" ")
    if rng.random() < 0.3 and len(words) > 8:  # copies drift: a word dropped or changed
        words.pop(rng.randrange(len(words)))
    return " ".join(words)


def generate(n: int, seed: int = 7) -> list[tuple[int | None, str, str | None, str]]:
    rng = random.Random(seed)
    campaigns = make_campaigns(rng, max(10, n // 250))
    weights = [1 / (i + 1) for i in range(len(campaigns))]  # a few big campaigns, a long tail
    out = []
    for _ in range(n):
        if rng.random() < 0.15:  # one-off messages that belong to no campaign
            out.append((None, " ".join(rng.choices(WORDS, k=rng.randint(6, 25))), None, rng.choice(AREAS)))
            continue
        ci = rng.choices(range(len(campaigns)), weights)[0]
        c = campaigns[ci]
        sender = rng.choice(c["numbers"]) if rng.random() < 0.3 else None
        out.append((ci, report_text(rng, c), sender, c["area"] if rng.random() < 0.7 else rng.choice(AREAS)))
    return out


def pair_scores(truth: list[int | None], found: list[int], rng: random.Random, pairs: int = 200_000) -> dict:
    """Pairwise precision/recall of "same campaign" on random pairs plus pairs from the same true campaign."""
    n = len(truth)
    by_truth: dict[int, list[int]] = {}
    for i, t in enumerate(truth):
        if t is not None:
            by_truth.setdefault(t, []).append(i)
    groups = [g for g in by_truth.values() if len(g) > 1]
    same_true = same_found = both = 0
    for _ in range(pairs):
        if rng.random() < 0.5:
            g = rng.choice(groups)
            i, j = rng.sample(g, 2)
        else:
            i, j = rng.randrange(n), rng.randrange(n)
            if i == j:
                continue
        t = truth[i] is not None and truth[i] == truth[j]
        f = found[i] == found[j]
        same_true += t
        same_found += f
        both += t and f
    return {"pairwise_precision": round(both / max(1, same_found), 4), "pairwise_recall": round(both / max(1, same_true), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", help="SQLAlchemy URL or SQLite path (default: a fresh file in /tmp)")
    ap.add_argument("--api-path", type=int, default=2_000, help="reports to add one at a time afterwards")
    ap.add_argument("--name", default="reports", help="results file: bench/results/NAME.json")
    args = ap.parse_args()

    from scamshield.analyzer import Analyzer
    from scamshield.models import Message
    from scamshield.reports.ingest import prepare
    from scamshield.reports.store import ReportStore

    db = args.db or str(Path(tempfile.mkdtemp(prefix="scamshield-bench-")) / "reports.sqlite3")
    rows = generate(args.n)
    analyzer = Analyzer.default()
    store = ReportStore.open(db)
    rss_start = rss_mb()
    now = datetime.now(UTC)

    t0 = time.perf_counter()
    prepared = []
    for k, (_, text, sender, area) in enumerate(rows):
        prepared.append(prepare(Message(text=text, sender=sender), analyzer=analyzer, area=area,
                                occurred_at=now - timedelta(minutes=(args.n - k) * 3)))
    t_prepare = time.perf_counter() - t0

    from scamshield.reports import store as store_mod

    recluster = store_mod.ReportStore.recluster
    store_mod.ReportStore.recluster = lambda self: {}  # time the insert and the clustering apart
    t0 = time.perf_counter()
    store.add_many(prepared)
    t_insert = time.perf_counter() - t0
    store_mod.ReportStore.recluster = recluster
    del prepared

    t0 = time.perf_counter()
    summary = store.recluster()
    t_cluster = time.perf_counter() - t0

    with store.session() as s:
        from sqlalchemy import select

        from scamshield.reports.schema import Report

        found_by_id = dict(s.execute(select(Report.id, Report.campaign_id).order_by(Report.id)).all())
    ids = sorted(found_by_id)[: len(rows)]
    quality = pair_scores([r[0] for r in rows], [found_by_id[i] for i in ids], random.Random(1))

    reads = {}
    for name, fn in [("campaigns_top20", lambda: store.campaigns(limit=20)),
                     ("campaign_detail", lambda: store.campaign(store.campaigns(limit=1)[1][0]["id"])),
                     ("stats_dashboard", lambda: store.stats()),
                     ("blocklist", lambda: store.blocklist()),
                     ("reputation", lambda: store.reputation("+447700900123"))]:
        t0 = time.perf_counter()
        fn()
        reads[name + "_s"] = round(time.perf_counter() - t0, 3)

    extra = generate(args.api_path, seed=99)
    latencies = []
    for _, text, sender, area in extra:
        t0 = time.perf_counter()
        store.add(prepare(Message(text=text, sender=sender), analyzer=analyzer, area=area))
        latencies.append(time.perf_counter() - t0)
    latencies.sort()

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sizes = Counter(found_by_id.values())
    write(args.name, {
        "what": f"ingest {args.n:,} generated reports and cluster them into campaigns",
        "command": f"python bench/bench_reports.py --n {args.n}" + (" --db URL" if args.db else "")
                   + (f" --name {args.name}" if args.name != "reports" else ""),
        "backend": store.dialect,
        "reports": args.n,
        "prepare_s": round(t_prepare, 2),
        "prepare_per_report_ms": round(1000 * t_prepare / args.n, 3),
        "bulk_insert_s": round(t_insert, 2),
        "cluster_s": round(t_cluster, 2),
        "ingest_and_cluster_s": round(t_prepare + t_insert + t_cluster, 2),
        "reports_per_s": round(args.n / (t_prepare + t_insert + t_cluster), 1),
        "campaigns": summary.get("campaigns"),
        "multi_report_campaigns": summary.get("multi_report_campaigns"),
        "largest_campaign": max(sizes.values()) if sizes else 0,
        "generator_campaigns": max(10, args.n // 250),
        **quality,
        "reads": reads,
        "api_path_reports": args.api_path,
        "api_path_add_ms_p50": round(1000 * latencies[len(latencies) // 2], 2) if latencies else None,
        "api_path_add_ms_p95": round(1000 * latencies[int(len(latencies) * 0.95)], 2) if latencies else None,
        "rss_start_mb": round(rss_start, 1),
        "peak_rss_mb": round(peak, 1),
    })


if __name__ == "__main__":
    main()
