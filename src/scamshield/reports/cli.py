"""``scamshield report``, ``scamshield campaigns``, ``scamshield blocklist``: the reports store from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import InputError
from .location import default_db, make_room


def register(subparsers) -> None:
    db_help = "reports database: SQLite path or SQLAlchemy URL (default: as scamshield serve)"

    p = subparsers.add_parser("report", help="add a scam report to the reports database")
    p.add_argument("text", nargs="?", help="the message text")
    p.add_argument("--call", metavar="FILE", help="a call transcript: JSON with a 'turns' list")
    p.add_argument("--sender", help="who sent it or called")
    p.add_argument("--number", action="append", default=[], help="a phone number involved (repeatable)")
    p.add_argument("--link", action="append", default=[], help="a web address involved (repeatable)")
    p.add_argument("--area", help="town or county")
    p.add_argument("--money-lost", type=float, help="pounds lost")
    p.add_argument("--what-happened", help="what happened, in your words")
    p.add_argument("--db", help=db_help)
    p.set_defaults(func=cmd_report)

    c = subparsers.add_parser("campaigns", help="list scam campaigns found in the reports")
    c.add_argument("--db", help=db_help)
    c.add_argument("--limit", type=int, default=20)
    c.add_argument("--min-size", type=int, default=2)
    c.add_argument("--json", action="store_true", help="machine-readable output")
    c.add_argument("--recluster", action="store_true", help="recompute all campaigns first")
    c.set_defaults(func=cmd_campaigns)

    b = subparsers.add_parser("blocklist", help="export reported numbers and domains with evidence counts")
    b.add_argument("--db", help=db_help)
    b.add_argument("--format", choices=["csv", "json"], default="csv")
    b.add_argument("--min-reports", type=int, default=2)
    b.add_argument("-o", "--output", help="write to this file instead of standard output")
    b.set_defaults(func=cmd_blocklist)


def _open(db: str | None):
    try:
        from .store import ReportStore
    except ImportError as exc:
        raise InputError(f"reports need the 'server' extra: pip install 'scamshield[server]' ({exc.name} missing)") \
            from None
    url = db or default_db()
    make_room(url)
    try:
        return ReportStore.open(url)
    except Exception as exc:
        raise InputError(f"cannot open the reports database: {type(exc).__name__}: {str(exc).splitlines()[0]}") \
            from None


def cmd_report(args: argparse.Namespace) -> int:
    from ..analyzer import Analyzer
    from ..inputs import message_from_dict
    from .ingest import prepare
    from .store import money_to_pence

    if args.call:
        try:
            data = json.loads(Path(args.call).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"cannot read {args.call}: {exc}") from None
        message = message_from_dict(data)
    elif args.text:
        message = message_from_dict({"text": args.text, "sender": args.sender})
    else:
        raise InputError("give the message text, or --call FILE")
    store = _open(args.db)
    new = prepare(message, analyzer=Analyzer.default(), numbers=args.number, links=args.link, area=args.area,
                  what_happened=args.what_happened, money_lost_pence=money_to_pence(args.money_lost))
    stored = store.add(new, source="cli")
    size = store.campaign(stored.campaign_id, reports=0)["size"] if stored.campaign_id else 1
    print(f"report {stored.id} saved; campaign {stored.campaign_id} now has {size} report(s)")
    return 0


def cmd_campaigns(args: argparse.Namespace) -> int:
    store = _open(args.db)
    if args.recluster:
        store.recluster()
    total, items = store.campaigns(min_size=max(1, args.min_size), limit=max(1, args.limit))
    if args.json:
        json.dump({"total": total, "items": items}, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print(f"{total} campaign(s) with at least {args.min_size} reports")
    for c in items:
        print(f"\n#{c['id']}  {c['size']} reports  {c['first_seen'][:10]} .. {c['last_seen'][:10]}  "
              f"{c['scam_type_label'] or 'type unknown'}  lost £{c['money_lost']:,.0f}")
        print("   " + c["typical_wording"][:150].replace("\n", " / "))
        if c["numbers"]:
            print("   numbers: " + ", ".join(n["number"] for n in c["numbers"]))
        if c["domains"]:
            print("   domains: " + ", ".join(d["domain"] for d in c["domains"]))
    return 0


def cmd_blocklist(args: argparse.Namespace) -> int:
    from .blocklist import to_csv, to_document

    store = _open(args.db)
    entries = store.blocklist(min_reports=max(1, args.min_reports))
    if args.format == "json":
        text = json.dumps(to_document(entries, args.min_reports), indent=1) + "\n"
    else:
        text = to_csv(entries)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
