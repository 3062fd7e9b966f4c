"""Campaigns as reports arrive: which campaigns a new report joins (near-identical wording, a shared
number or link domain), merging the campaigns it bridges, re-splitting one a "not a scam" report held
together, and reclustering everything after a bulk load. Runs inside the store's write transaction."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from . import campaigns as camp
from .common import chunks, now
from .ingest import NewReport
from .schema import Campaign, Feedback, Report, ReportLink, ReportNumber


class CampaignMerging:
    """The campaign side of ``ReportStore`` (a mixin: it uses the store's session, lock and index)."""

    def recluster(self) -> dict:
        """Recompute every campaign from scratch (after a bulk load, or to repair after a crash)."""
        with self._writing(), self.session() as s, s.begin():
            items = load_items(s, select(Report.id, Report.signature, Report.scam_type, Report.claimed_type)
                                .where(Report.status == "reported"))
            index = camp.WordingIndex()
            groups = camp.cluster(items.values(), index)
            root_campaign: dict[int, int] = {}
            old = dict(s.execute(select(Report.id, Report.campaign_id).where(Report.status == "reported")).all())
            # reuse a root's current campaign id where it has one, so links to campaigns stay valid
            used: set[int] = set()
            for rid, root in sorted(groups.items()):
                if root == rid and old.get(rid) and old[rid] not in used:
                    root_campaign[root] = old[rid]
                    used.add(old[rid])
            roots_needing = [r for r in set(groups.values()) if r not in root_campaign]
            created = new_campaigns(s, len(roots_needing))
            root_campaign.update(zip(roots_needing, created, strict=True))
            by_campaign: dict[int, list[int]] = defaultdict(list)
            for rid, root in groups.items():
                by_campaign[root_campaign[root]].append(rid)
            for cid, rids in by_campaign.items():
                for chunk in chunks(sorted(r for r in rids if old.get(r) != cid), 900):
                    s.execute(update(Report).where(Report.id.in_(chunk)).values(campaign_id=cid))
            index.last_id = max(items, default=0)
            self.index = index
            self._refresh_index(s)  # reports marked "not a scam" stay out; anything newer comes in
            self._writes += 1
            return {"reports": len(groups), "campaigns": len(by_campaign),
                    "multi_report_campaigns": sum(1 for v in by_campaign.values() if len(v) > 1)}

    def _refresh_index(self, s: Session) -> None:
        """Add reports other processes stored since we last looked (cheap when there are none); when
        another process has given feedback since (a report marked "not a scam", or restored), start
        the index again from the stored reports, as a freshly started process would."""
        newest_feedback = s.scalar(select(func.max(Feedback.id))) or 0
        if self._feedback_seen is not None and newest_feedback != self._feedback_seen:
            self.index = camp.WordingIndex()
        self._feedback_seen = newest_feedback
        q = select(Report.id, Report.signature, Report.scam_type, Report.claimed_type).where(
            Report.id > self.index.last_id, Report.status == "reported"
        ).order_by(Report.id)
        for rid, sig, stype, claimed in s.execute(q):
            if sig:
                self.index.offer(rid, camp.from_bytes(sig), stype or claimed)
            self.index.last_id = max(self.index.last_id, rid)

    def _linked_campaigns(self, s: Session, sig, stype, new: NewReport,
                          exclude: int | None = None) -> tuple[set[int], bool]:
        """Campaigns this report joins, and whether its wording is a near-copy of an indexed report."""
        ids: set[int] = set()
        similar, duplicate = self.index.match(sig, stype)
        similar = [r for r in similar if r != exclude]
        for chunk in chunks(similar, 900):
            ids.update(s.scalars(select(Report.campaign_id).where(Report.id.in_(chunk))))
        nums = camp.linkable_numbers(n for n, _ in new.numbers)
        if nums:
            ids.update(s.scalars(
                select(Report.campaign_id).join(ReportNumber)
                .where(ReportNumber.number.in_(nums), Report.status == "reported").distinct()))
        doms = camp.linkable_domains(d for _, d in new.links)
        if doms:
            ids.update(s.scalars(
                select(Report.campaign_id).join(ReportLink)
                .where(ReportLink.domain.in_(doms), Report.status == "reported").distinct()))
        ids.discard(None)
        return ids, duplicate


def new_campaign(s: Session) -> int:
    c = Campaign(created_at=now())
    s.add(c)
    s.flush()
    return c.id


def new_campaigns(s: Session, n: int) -> list[int]:
    rows = [Campaign(created_at=now()) for _ in range(n)]
    s.add_all(rows)
    s.flush()
    return [c.id for c in rows]


def merge(s: Session, campaign_ids: set[int]) -> int:
    """Join campaigns into the oldest; the others point at it from now on."""
    survivor = min(campaign_ids)
    others = sorted(campaign_ids - {survivor})
    if others:
        s.execute(update(Report).where(Report.campaign_id.in_(others)).values(campaign_id=survivor))
        s.execute(update(Campaign).where(or_(Campaign.id.in_(others), Campaign.merged_into.in_(others)))
                  .values(merged_into=survivor))
    return survivor


def resplit(s: Session, campaign_id: int) -> None:
    """Re-cluster one campaign's remaining reports; pieces that no longer connect get new campaigns."""
    items = load_items(s, select(Report.id, Report.signature, Report.scam_type, Report.claimed_type)
                        .where(Report.campaign_id == campaign_id, Report.status == "reported"))
    if not items:
        return
    groups = camp.cluster(items.values())
    pieces: dict[int, list[int]] = defaultdict(list)
    for rid, root in groups.items():
        pieces[root].append(rid)
    biggest = max(pieces.values(), key=len)
    for members in pieces.values():
        if members is not biggest:
            cid = new_campaign(s)
            s.execute(update(Report).where(Report.id.in_(members)).values(campaign_id=cid))


def load_items(s: Session, query) -> dict[int, camp.Item]:
    items: dict[int, camp.Item] = {}
    for rid, sig, stype, claimed in s.execute(query):
        items[rid] = camp.Item(rid, camp.from_bytes(sig) if sig else camp.signature(""), stype or claimed)
    ids = list(items)
    for chunk in chunks(ids, 900) if len(ids) < 5000 else [None]:
        nq = select(ReportNumber.report_id, ReportNumber.number)
        dq = select(ReportLink.report_id, ReportLink.domain)
        if chunk is not None:
            nq, dq = nq.where(ReportNumber.report_id.in_(chunk)), dq.where(ReportLink.report_id.in_(chunk))
        for rid, num in s.execute(nq):
            if rid in items:
                items[rid].numbers.add(num)
        for rid, dom in s.execute(dq):
            if rid in items:
                items[rid].domains.add(dom)
    return items


def live_campaign(s: Session, campaign_id: int | None) -> int | None:
    """Follow merged_into links to the campaign that holds the reports now."""
    seen = set()
    while campaign_id is not None and campaign_id not in seen:
        seen.add(campaign_id)
        nxt = s.scalar(select(Campaign.merged_into).where(Campaign.id == campaign_id))
        if nxt is None:
            return campaign_id
        campaign_id = nxt
    return campaign_id
