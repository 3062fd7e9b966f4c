"""Reading the reports: one report, search, campaigns and one campaign's page, a number's reputation,
the blocklist and the dashboard's statistics. Genuine numbers scammers spoof and shared domains
(extract.PROTECTED_NUMBERS, extract.SHARED_DOMAINS) never count against anyone."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from . import campaigns as camp
from .common import iso, monday_of, now, pounds, utc
from .extract import PROTECTED_NUMBERS, SHARED_DOMAINS
from .merging import live_campaign
from .schema import Campaign, Report, ReportLink, ReportNumber
from .sentences import reputation_sentence, type_label

MAX_PAGE = 200


class ReportViews:
    """The read side of ``ReportStore`` (a mixin: it uses the store's session)."""

    def count(self, *, status: str | None = "reported") -> int:
        with self.session() as s:
            q = select(func.count(Report.id))
            if status:
                q = q.where(Report.status == status)
            return s.scalar(q) or 0

    def get(self, report_id: int) -> dict | None:
        with self.session() as s:
            report = s.get(Report, report_id)
            return _report_dict(s, report) if report else None

    def search(self, *, q: str | None = None, number: str | None = None, domain: str | None = None,
               scam_type: str | None = None, campaign_id: int | None = None, area: str | None = None,
               status: str | None = None, limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
        limit = max(1, min(limit, MAX_PAGE))
        with self.session() as s:
            cond = []
            if q:
                like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                cond.append(or_(Report.text.ilike(like, escape="\\"), Report.what_happened.ilike(like, escape="\\")))
            if number:
                cond.append(Report.id.in_(select(ReportNumber.report_id).where(ReportNumber.number == number)))
            if domain:
                cond.append(Report.id.in_(select(ReportLink.report_id).where(ReportLink.domain == domain.lower())))
            if scam_type:
                cond.append(or_(Report.scam_type == scam_type, Report.claimed_type == scam_type))
            if campaign_id is not None:
                cond.append(Report.campaign_id == live_campaign(s, campaign_id))
            if area:
                cond.append(func.lower(Report.area) == area.lower())
            if status:
                cond.append(Report.status == status)
            total = s.scalar(select(func.count(Report.id)).where(*cond)) or 0
            rows = s.scalars(select(Report).where(*cond).order_by(Report.id.desc()).limit(limit).offset(offset))
            return total, [_report_dict(s, r) for r in rows]

    def campaigns(self, *, min_size: int = 2, scam_type: str | None = None, limit: int = 20,
                  offset: int = 0) -> tuple[int, list[dict]]:
        limit = max(1, min(limit, MAX_PAGE))
        with self.session() as s:
            size = func.count(Report.id).label("size")
            base = (select(Report.campaign_id, size).where(Report.status == "reported",
                                                           Report.campaign_id.is_not(None))
                    .group_by(Report.campaign_id).having(func.count(Report.id) >= min_size))
            if scam_type:
                base = base.where(or_(Report.scam_type == scam_type, Report.claimed_type == scam_type))
            total = s.scalar(select(func.count()).select_from(base.subquery())) or 0
            rows = s.execute(base.order_by(size.desc(), Report.campaign_id).limit(limit).offset(offset)).all()
            return total, _summaries(s, [cid for cid, _ in rows])

    def campaign(self, campaign_id: int, *, reports: int = 20) -> dict | None:
        with self.session() as s:
            cid = live_campaign(s, campaign_id)
            if cid is None or s.get(Campaign, cid) is None:
                return None
            summary = _summaries(s, [cid], top=20)
            if not summary:
                return None
            out = summary[0]
            if cid != campaign_id:
                out["merged_from"] = campaign_id
            seen = func.coalesce(Report.occurred_at, Report.received_at)
            dates = s.scalars(select(seen).where(Report.campaign_id == cid, Report.status == "reported"))
            weeks = Counter(monday_of(utc(d)) for d in dates)
            out["timeline"] = [{"week": w, "reports": n} for w, n in sorted(weeks.items())]
            latest = s.scalars(select(Report).where(Report.campaign_id == cid, Report.status == "reported")
                               .order_by(Report.id.desc()).limit(reports))
            out["latest_reports"] = [_public_report(r) for r in latest]
            return out

    def reputation(self, number: str) -> dict:
        """How often a number (E.164) was reported, as what, since when, and in which campaigns."""
        with self.session() as s:
            seen = func.coalesce(Report.occurred_at, Report.received_at)
            rows = s.execute(
                select(ReportNumber.role, Report.scam_type, Report.claimed_type, seen, Report.campaign_id,
                       Report.status, Report.channel)
                .join(Report).where(ReportNumber.number == number)).all()
        reported = [r for r in rows if r.status == "reported"]
        types = Counter((r.scam_type or r.claimed_type) for r in reported if (r.scam_type or r.claimed_type))
        dates = [utc(r[3]) for r in reported]
        out = {
            "number": number,
            "reports": len(reported),
            "as_caller": sum(1 for r in reported if r.role == "sender"),
            "as_callback": sum(1 for r in reported if r.role == "callback"),
            "not_scam": len(rows) - len(reported),
            "first_seen": iso(min(dates)) if dates else None,
            "last_seen": iso(max(dates)) if dates else None,
            "scam_types": [{"scam_type": t, "label": type_label(t), "reports": n} for t, n in types.most_common()],
            "campaigns": sorted({r.campaign_id for r in reported if r.campaign_id}),
            "protected": number in PROTECTED_NUMBERS,
        }
        out["summary"] = reputation_sentence(out)
        return out

    def blocklist(self, *, min_reports: int = 2) -> list[dict]:
        """Numbers and domains reported at least ``min_reports`` times, with their evidence counts.
        Genuine numbers scammers spoof and shared domains (shorteners, gov.uk...) are never listed."""
        out: list[dict] = []
        with self.session() as s:
            seen = func.coalesce(Report.occurred_at, Report.received_at)
            for kind, table, col in (("number", ReportNumber, ReportNumber.number),
                                     ("domain", ReportLink, ReportLink.domain)):
                rows = s.execute(
                    select(col, func.count(func.distinct(Report.id)), func.count(func.distinct(Report.campaign_id)),
                           func.min(seen), func.max(seen), func.sum(Report.money_lost_pence))
                    .join(Report, table.report_id == Report.id)
                    .where(Report.status == "reported").group_by(col)
                    .having(func.count(func.distinct(Report.id)) >= min_reports)
                    .order_by(func.count(func.distinct(Report.id)).desc(), col)).all()
                skip = PROTECTED_NUMBERS if kind == "number" else SHARED_DOMAINS
                for value, n, ncamp, first, last, lost in rows:
                    if value in skip:
                        continue
                    out.append({"type": kind, "value": value, "reports": n, "campaigns": ncamp,
                                "first_seen": iso(first), "last_seen": iso(last),
                                "money_lost": pounds(lost)})
        return out

    def stats(self, *, weeks: int = 12, top: int = 10) -> dict:
        """The dashboard: reports per week for the biggest campaigns, top numbers and domains, money."""
        with self.session() as s:
            seen = func.coalesce(Report.occurred_at, Report.received_at)
            totals = s.execute(select(func.count(Report.id), func.sum(Report.money_lost_pence))
                               .where(Report.status == "reported")).one()
            latest = utc(s.scalar(select(func.max(seen)).where(Report.status == "reported"))) or now()
            since = latest - timedelta(weeks=weeks)
            n_campaigns, top_campaigns = self.campaigns(limit=5)
            top_ids = [c["id"] for c in top_campaigns]
            series: dict[str, Counter] = {str(c): Counter() for c in top_ids}
            series["all"] = Counter()
            for when, cid in s.execute(select(seen, Report.campaign_id)
                                       .where(Report.status == "reported", seen >= since)):
                week = monday_of(utc(when))
                series["all"][week] += 1
                if cid in top_ids:
                    series[str(cid)][week] += 1
            week_list = [monday_of(since + timedelta(weeks=i)) for i in range(weeks + 1)]
            top_numbers = s.execute(
                select(ReportNumber.number, func.count(func.distinct(Report.id)).label("n"))
                .join(Report).where(Report.status == "reported", ReportNumber.number.not_in(PROTECTED_NUMBERS))
                .group_by(ReportNumber.number).order_by(func.count(func.distinct(Report.id)).desc(),
                                                        ReportNumber.number).limit(top)).all()
            top_domains = s.execute(
                select(ReportLink.domain, func.count(func.distinct(Report.id)).label("n"))
                .join(Report).where(Report.status == "reported", ReportLink.domain.not_in(SHARED_DOMAINS))
                .group_by(ReportLink.domain).order_by(func.count(func.distinct(Report.id)).desc(),
                                                      ReportLink.domain).limit(top)).all()
            by_type = s.execute(select(func.coalesce(Report.scam_type, Report.claimed_type), func.count(Report.id),
                                       func.sum(Report.money_lost_pence))
                                .where(Report.status == "reported")
                                .group_by(func.coalesce(Report.scam_type, Report.claimed_type))).all()
        return {
            "reports": totals[0] or 0,
            "money_lost": pounds(totals[1]) or 0.0,
            "campaigns": n_campaigns,  # with two or more reports; a lone report is not a campaign
            "weeks": week_list,
            "series": [
                {"campaign_id": None if key == "all" else int(key),
                 "label": "All reports" if key == "all" else _campaign_label(top_campaigns, int(key)),
                 "counts": [counts.get(w, 0) for w in week_list]}
                for key, counts in series.items()
            ],
            "top_campaigns": top_campaigns,
            "top_numbers": [{"number": n, "reports": c} for n, c in top_numbers],
            "top_domains": [{"domain": d, "reports": c} for d, c in top_domains],
            "by_scam_type": sorted(
                ({"scam_type": t, "label": type_label(t), "reports": n, "money_lost": pounds(m) or 0.0}
                 for t, n, m in by_type), key=lambda d: -d["reports"]),
        }


def _summaries(s: Session, ids: list[int], top: int = 5) -> list[dict]:
    if not ids:
        return []
    seen = func.coalesce(Report.occurred_at, Report.received_at)
    live = (Report.campaign_id.in_(ids), Report.status == "reported")
    agg = {cid: (n, first, last, lost, nlost) for cid, n, first, last, lost, nlost in s.execute(
        select(Report.campaign_id, func.count(Report.id), func.min(seen), func.max(seen),
               func.sum(Report.money_lost_pence), func.count(Report.money_lost_pence))
        .where(*live).group_by(Report.campaign_id))}
    numbers: dict[int, list] = defaultdict(list)
    for cid, num, n in s.execute(
            select(Report.campaign_id, ReportNumber.number, func.count(func.distinct(Report.id)))
            .join(Report).where(*live).group_by(Report.campaign_id, ReportNumber.number)):
        numbers[cid].append({"number": num, "reports": n})
    domains: dict[int, list] = defaultdict(list)
    for cid, dom, n in s.execute(
            select(Report.campaign_id, ReportLink.domain, func.count(func.distinct(Report.id)))
            .join(Report).where(*live).group_by(Report.campaign_id, ReportLink.domain)):
        domains[cid].append({"domain": dom, "reports": n})
    types: dict[int, Counter] = defaultdict(Counter)
    areas: dict[int, Counter] = defaultdict(Counter)
    channels: dict[int, Counter] = defaultdict(Counter)
    for cid, stype, claimed, area, channel, n in s.execute(
            select(Report.campaign_id, Report.scam_type, Report.claimed_type, Report.area, Report.channel,
                   func.count(Report.id))
            .where(*live).group_by(Report.campaign_id, Report.scam_type, Report.claimed_type, Report.area,
                                   Report.channel)):
        if stype or claimed:
            types[cid][stype or claimed] += n
        if area:
            areas[cid][area] += n
        channels[cid][channel] += n
    out = []
    for cid in ids:
        if cid not in agg:
            continue
        n, first, last, lost, nlost = agg[cid]
        sample = s.execute(select(Report.signature, Report.text).where(*live, Report.campaign_id == cid)
                           .order_by(Report.id).limit(60)).all()
        sigs = [camp.from_bytes(sig) if sig else camp.signature(text) for sig, text in sample]
        typical = sample[camp.typical_index(sigs)][1] if sample else ""
        stype = types[cid].most_common(1)[0][0] if types[cid] else None

        def top_of(rows: list[dict], key: str = "reports") -> list[dict]:
            return sorted(rows, key=lambda r: (-r[key], next(iter(r.values()))))[:top]

        out.append({
            "id": cid,
            "size": n,
            "first_seen": iso(first),
            "last_seen": iso(last),
            "scam_type": stype,
            "scam_type_label": type_label(stype),
            "typical_wording": typical[:600],
            "numbers": top_of(numbers[cid]),
            "domains": top_of(domains[cid]),
            "money_lost": pounds(lost) or 0.0,
            "reports_with_loss": nlost,
            "areas": [{"area": a, "reports": c} for a, c in areas[cid].most_common(top)],
            "channels": dict(channels[cid]),
        })
    return out


def _campaign_label(campaigns: list[dict], cid: int) -> str:
    for c in campaigns:
        if c["id"] == cid:
            return f"#{cid} {c['scam_type_label'] or 'Unknown type'}"
    return f"#{cid}"


def _report_dict(s: Session, r: Report) -> dict:
    out = _public_report(r)
    out.update({
        "what_happened": r.what_happened,
        "area": r.area,
        "money_lost": pounds(r.money_lost_pence),
        "status": r.status,
        "campaign_id": live_campaign(s, r.campaign_id),
        "claimed_type": r.claimed_type,
        "received_at": iso(r.received_at),
        "turns": json.loads(r.turns_json) if r.turns_json else None,
    })
    return out


def _public_report(r: Report) -> dict:
    """What a campaign page shows of one report: the scam's words and numbers, not the reporter's story."""
    return {
        "id": r.id,
        "channel": r.channel,
        "text": r.text,
        "sender": r.sender,
        "seen_at": iso(r.occurred_at or r.received_at),
        "scam_type": r.scam_type,
        "verdict": r.verdict,
        "risk": r.risk,
        "numbers": [{"number": n.number, "role": n.role} for n in r.numbers],
        "domains": sorted({lk.domain for lk in r.links}),
    }
