"""Writing reports: one report in one transaction (with its numbers, links and any campaign merge it
causes), bulk loads in batches, and "not a scam" feedback. Acknowledged only after the commit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from . import campaigns as camp
from .common import now
from .ingest import NewReport
from .merging import live_campaign, merge, new_campaign, resplit
from .schema import Feedback, Report, ReportLink, ReportNumber


@dataclass(frozen=True, slots=True)
class Stored:
    id: int
    campaign_id: int | None
    created: bool  # False when the client's Idempotency-Key matched an earlier report


class ReportWrites:
    """The write side of ``ReportStore`` (a mixin: it uses the store's session, write lock and index)."""

    def add(self, new: NewReport, *, source: str | None = None, client_ref: str | None = None) -> Stored:
        """Store one report and put it in a campaign, merging campaigns it bridges. Atomic."""
        with self._writing():
            with self.session() as s:
                if client_ref:
                    prior = s.scalar(select(Report).where(Report.source == source, Report.client_ref == client_ref))
                    if prior is not None:
                        return Stored(prior.id, live_campaign(s, prior.campaign_id), False)
                self._refresh_index(s)
                report = _row(new, source, client_ref)
                sig = camp.from_bytes(new.signature)
                stype = new.scam_type or new.claimed_type
                linked, duplicate = self._linked_campaigns(s, sig, stype, new)
                report.campaign_id = merge(s, linked) if linked else new_campaign(s)
                s.add(report)
                try:
                    s.commit()
                except IntegrityError:  # the same Idempotency-Key raced in from another process
                    s.rollback()
                    prior = s.scalar(select(Report).where(Report.source == source, Report.client_ref == client_ref))
                    if prior is None:
                        raise
                    return Stored(prior.id, prior.campaign_id, False)
                if duplicate:
                    self.index.last_id = max(self.index.last_id, report.id)
                else:
                    self.index.add(report.id, sig, stype)
                self._writes += 1
                return Stored(report.id, report.campaign_id, True)

    def add_many(self, items: Iterable[NewReport], *, source: str | None = None, batch: int = 5000) -> int:
        """Bulk load (demo data, benchmarks, imports): insert in batches, then ``recluster()``."""
        count = 0
        with self._writing():
            pending: list[NewReport] = []
            for new in items:
                pending.append(new)
                if len(pending) >= batch:
                    count += self._insert(pending, source)
                    pending = []
            if pending:
                count += self._insert(pending, source)
            self._writes += 1
        self.recluster()
        return count

    def _insert(self, news: list[NewReport], source: str | None) -> int:
        """One transaction per batch, with multi-row INSERT ... RETURNING instead of one ORM object each."""
        received = now()
        with self.session() as s, s.begin():
            rows = [_columns(new, source, None, received) for new in news]
            # Multi-row INSERT ... RETURNING hands ids back in VALUES order on SQLite and PostgreSQL.
            # SQLAlchemy's sort_by_parameter_order would guarantee it, but on SQLite it falls back to
            # one row per statement with a quadratic merge (25 s for 20,000 rows), so check instead:
            # ids must ascend, else insert row by row.
            conn = s.connection()  # Core, not ORM bulk: no per-row primary-key bookkeeping
            ids = conn.execute(insert(Report.__table__).returning(Report.__table__.c.id), rows).scalars().all()
            if len(ids) != len(rows) or any(b <= a for a, b in pairwise(ids)):
                s.rollback()
                return self._insert_one_by_one(news, source)
            numbers = [{"report_id": rid, "number": n, "role": role}
                       for rid, new in zip(ids, news, strict=True) for n, role in new.numbers]
            links = [{"report_id": rid, "url": u, "domain": d}
                     for rid, new in zip(ids, news, strict=True) for u, d in new.links]
            if numbers:
                conn.execute(insert(ReportNumber.__table__), numbers)
            if links:
                conn.execute(insert(ReportLink.__table__), links)
        return len(news)

    def _insert_one_by_one(self, news: list[NewReport], source: str | None) -> int:
        with self.session() as s, s.begin():
            s.add_all(_row(new, source, None) for new in news)
        return len(news)

    def feedback(self, report_id: int, *, not_scam: bool, note: str | None = None,
                 source: str | None = None) -> dict:
        """Mark a report "not a scam" (it leaves its campaign and stops counting against its numbers),
        or undo that. The campaign it left is re-split if the report was what held it together."""
        with self._writing(), self.session() as s, s.begin():
            report = s.get(Report, report_id)
            if report is None:
                raise KeyError(report_id)
            self._refresh_index(s)  # feedback other processes gave since we last looked
            fb = Feedback(report_id=report_id, kind="not_scam" if not_scam else "scam", note=note,
                          created_at=now(), source=source)
            s.add(fb)
            s.flush()
            self._feedback_seen = fb.id
            if not_scam and report.status != "not_scam":
                old = report.campaign_id
                report.status, report.campaign_id = "not_scam", None
                self.index.remove(report_id)
                s.flush()
                if old is not None:
                    resplit(s, old)
            elif not not_scam and report.status == "not_scam":
                report.status = "reported"
                self._refresh_index(s)
                sig = camp.from_bytes(report.signature or b"")
                stype = report.scam_type or report.claimed_type
                new = NewReport(channel=report.channel, text=report.text,
                                numbers=[(n.number, n.role) for n in report.numbers],
                                links=[(lk.url, lk.domain) for lk in report.links])
                linked, duplicate = self._linked_campaigns(s, sig, stype, new, exclude=report_id)
                report.campaign_id = merge(s, linked) if linked else new_campaign(s)
                if not duplicate:
                    self.index.add(report_id, sig, stype)
            self._writes += 1
            return {"id": report_id, "status": report.status, "campaign_id": report.campaign_id}


def _columns(new: NewReport, source: str | None, client_ref: str | None, received: datetime) -> dict:
    return dict(
        received_at=received, occurred_at=new.occurred_at, channel=new.channel, text=new.text,
        turns_json=new.turns_json, sender=new.sender, what_happened=new.what_happened,
        money_lost_pence=new.money_lost_pence, area=new.area, claimed_type=new.claimed_type,
        scam_type=new.scam_type, verdict=new.verdict, risk=new.risk, status="reported",
        signature=new.signature or None, source=source, client_ref=client_ref,
    )


def _row(new: NewReport, source: str | None, client_ref: str | None) -> Report:
    report = Report(**_columns(new, source, client_ref, now()))
    report.numbers = [ReportNumber(number=n, role=role) for n, role in new.numbers]
    report.links = [ReportLink(url=u, domain=d) for u, d in new.links]
    return report
