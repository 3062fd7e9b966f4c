"""The reports store: transactional writes, campaign assignment as reports arrive, and the read
views built on them (search, campaigns, number reputation, blocklist, dashboard statistics).

SQLite by default (one file, nothing to install), PostgreSQL by URL. The schema is created and
upgraded by the Alembic migrations shipped in ``migrations/``, run when a store is opened.

A report is acknowledged only after its transaction commits, and one transaction holds the report,
its numbers and links, and any campaign merge it causes: a crash leaves either all or none of it.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..errors import InputError
from . import campaigns as camp
from .extract import PROTECTED_NUMBERS, SHARED_DOMAINS
from .ingest import NewReport
from .schema import Campaign, Feedback, Report, ReportLink, ReportNumber

DEFAULT_DB = "sqlite:///scamshield-reports.sqlite3"
MAX_PAGE = 200


def normalise_url(url: str | None) -> str:
    """Accept a path, ``sqlite:///...`` or ``postgresql://...``; use the psycopg 3 driver for PostgreSQL."""
    url = (url or DEFAULT_DB).strip()
    if "://" not in url:
        url = "sqlite:///" + str(Path(url).expanduser())
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _utc(dt: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _iso(dt: datetime | None) -> str | None:
    dt = _utc(dt)
    return dt.isoformat().replace("+00:00", "Z") if dt else None


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Stored:
    id: int
    campaign_id: int | None
    created: bool  # False when the client's Idempotency-Key matched an earlier report


class ReportStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.session = sessionmaker(engine, expire_on_commit=False)
        self.index = camp.WordingIndex()
        self._lock = threading.Lock()  # one writer at a time keeps campaign merges consistent
        self._writes = 0  # bumped on every write of this process; readers use ``version`` to drop caches
        self._feedback_seen: int | None = None  # the newest feedback row the wording index reflects
        # Several processes on one database (``scamshield serve --workers N``): set to a number of
        # seconds, and ``version`` also changes that often, so caches see other processes' writes.
        self.shared_ttl: float | None = None

    @property
    def version(self):
        """Changes whenever this process writes (and every ``shared_ttl`` seconds when set)."""
        if self.shared_ttl:
            return (self._writes, int(time.monotonic() / self.shared_ttl))
        return self._writes

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One writer at a time, across threads and across processes: a file database is locked with
        flock on ``<file>.lock`` beside it, PostgreSQL with a session advisory lock, so that campaign
        merges read and write a consistent picture whichever worker process takes the report."""
        with self._lock:
            if self.dialect == "sqlite":
                path = self.engine.url.database
                if not path or path == ":memory:" or path.startswith("file:"):
                    yield
                    return
                import fcntl

                fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    yield
                finally:
                    os.close(fd)  # closing releases the lock
                return
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT pg_advisory_lock(7245816)")
                conn.commit()
                try:
                    yield
                finally:
                    conn.exec_driver_sql("SELECT pg_advisory_unlock(7245816)")
                    conn.commit()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> ReportStore:
        url = normalise_url(url)
        kwargs: dict = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs["pool_pre_ping"] = True
        engine = create_engine(url, **kwargs)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        if migrate:
            store.migrate()
        return store

    def migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    # ----------------------------------------------------------------------------------- writes

    def add(self, new: NewReport, *, source: str | None = None, client_ref: str | None = None) -> Stored:
        """Store one report and put it in a campaign, merging campaigns it bridges. Atomic."""
        with self._writing():
            with self.session() as s:
                if client_ref:
                    prior = s.scalar(select(Report).where(Report.source == source, Report.client_ref == client_ref))
                    if prior is not None:
                        return Stored(prior.id, _live_campaign(s, prior.campaign_id), False)
                self._refresh_index(s)
                report = _row(new, source, client_ref)
                sig = camp.from_bytes(new.signature)
                stype = new.scam_type or new.claimed_type
                linked, duplicate = self._linked_campaigns(s, sig, stype, new)
                report.campaign_id = _merge(s, linked) if linked else _new_campaign(s)
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

    def recluster(self) -> dict:
        """Recompute every campaign from scratch (after a bulk load, or to repair after a crash)."""
        with self._writing(), self.session() as s, s.begin():
            items = _load_items(s, select(Report.id, Report.signature, Report.scam_type, Report.claimed_type)
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
            created = _new_campaigns(s, len(roots_needing))
            root_campaign.update(zip(roots_needing, created, strict=True))
            by_campaign: dict[int, list[int]] = defaultdict(list)
            for rid, root in groups.items():
                by_campaign[root_campaign[root]].append(rid)
            for cid, rids in by_campaign.items():
                for chunk in _chunks(sorted(r for r in rids if old.get(r) != cid), 900):
                    s.execute(update(Report).where(Report.id.in_(chunk)).values(campaign_id=cid))
            index.last_id = max(items, default=0)
            self.index = index
            self._refresh_index(s)  # reports marked "not a scam" stay out; anything newer comes in
            self._writes += 1
            return {"reports": len(groups), "campaigns": len(by_campaign),
                    "multi_report_campaigns": sum(1 for v in by_campaign.values() if len(v) > 1)}

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
                    _resplit(s, old)
            elif not not_scam and report.status == "not_scam":
                report.status = "reported"
                self._refresh_index(s)
                sig = camp.from_bytes(report.signature or b"")
                stype = report.scam_type or report.claimed_type
                new = NewReport(channel=report.channel, text=report.text,
                                numbers=[(n.number, n.role) for n in report.numbers],
                                links=[(lk.url, lk.domain) for lk in report.links])
                linked, duplicate = self._linked_campaigns(s, sig, stype, new, exclude=report_id)
                report.campaign_id = _merge(s, linked) if linked else _new_campaign(s)
                if not duplicate:
                    self.index.add(report_id, sig, stype)
            self._writes += 1
            return {"id": report_id, "status": report.status, "campaign_id": report.campaign_id}

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
        for chunk in _chunks(similar, 900):
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

    # ------------------------------------------------------------------------------------ reads

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
                cond.append(Report.campaign_id == _live_campaign(s, campaign_id))
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
            cid = _live_campaign(s, campaign_id)
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
            weeks = Counter(_week(_utc(d)) for d in dates)
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
        dates = [_utc(r[3]) for r in reported]
        out = {
            "number": number,
            "reports": len(reported),
            "as_caller": sum(1 for r in reported if r.role == "sender"),
            "as_callback": sum(1 for r in reported if r.role == "callback"),
            "not_scam": len(rows) - len(reported),
            "first_seen": _iso(min(dates)) if dates else None,
            "last_seen": _iso(max(dates)) if dates else None,
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
                                "first_seen": _iso(first), "last_seen": _iso(last),
                                "money_lost": _pounds(lost)})
        return out

    def stats(self, *, weeks: int = 12, top: int = 10) -> dict:
        """The dashboard: reports per week for the biggest campaigns, top numbers and domains, money."""
        with self.session() as s:
            seen = func.coalesce(Report.occurred_at, Report.received_at)
            totals = s.execute(select(func.count(Report.id), func.sum(Report.money_lost_pence))
                               .where(Report.status == "reported")).one()
            latest = _utc(s.scalar(select(func.max(seen)).where(Report.status == "reported"))) or now()
            since = latest - timedelta(weeks=weeks)
            n_campaigns, top_campaigns = self.campaigns(limit=5)
            top_ids = [c["id"] for c in top_campaigns]
            series: dict[str, Counter] = {str(c): Counter() for c in top_ids}
            series["all"] = Counter()
            for when, cid in s.execute(select(seen, Report.campaign_id)
                                       .where(Report.status == "reported", seen >= since)):
                week = _week(_utc(when))
                series["all"][week] += 1
                if cid in top_ids:
                    series[str(cid)][week] += 1
            week_list = [_week(since + timedelta(weeks=i)) for i in range(weeks + 1)]
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
            "money_lost": _pounds(totals[1]) or 0.0,
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
                ({"scam_type": t, "label": type_label(t), "reports": n, "money_lost": _pounds(m) or 0.0}
                 for t, n, m in by_type), key=lambda d: -d["reports"]),
        }


# ------------------------------------------------------------------------------------- helpers


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # an acknowledged report survives a power cut, not just a crash
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


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


def _new_campaign(s: Session) -> int:
    c = Campaign(created_at=now())
    s.add(c)
    s.flush()
    return c.id


def _new_campaigns(s: Session, n: int) -> list[int]:
    rows = [Campaign(created_at=now()) for _ in range(n)]
    s.add_all(rows)
    s.flush()
    return [c.id for c in rows]


def _merge(s: Session, campaign_ids: set[int]) -> int:
    """Join campaigns into the oldest; the others point at it from now on."""
    survivor = min(campaign_ids)
    others = sorted(campaign_ids - {survivor})
    if others:
        s.execute(update(Report).where(Report.campaign_id.in_(others)).values(campaign_id=survivor))
        s.execute(update(Campaign).where(or_(Campaign.id.in_(others), Campaign.merged_into.in_(others)))
                  .values(merged_into=survivor))
    return survivor


def _resplit(s: Session, campaign_id: int) -> None:
    """Re-cluster one campaign's remaining reports; pieces that no longer connect get new campaigns."""
    items = _load_items(s, select(Report.id, Report.signature, Report.scam_type, Report.claimed_type)
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
            cid = _new_campaign(s)
            s.execute(update(Report).where(Report.id.in_(members)).values(campaign_id=cid))


def _load_items(s: Session, query) -> dict[int, camp.Item]:
    items: dict[int, camp.Item] = {}
    for rid, sig, stype, claimed in s.execute(query):
        items[rid] = camp.Item(rid, camp.from_bytes(sig) if sig else camp.signature(""), stype or claimed)
    ids = list(items)
    for chunk in _chunks(ids, 900) if len(ids) < 5000 else [None]:
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


def _live_campaign(s: Session, campaign_id: int | None) -> int | None:
    """Follow merged_into links to the campaign that holds the reports now."""
    seen = set()
    while campaign_id is not None and campaign_id not in seen:
        seen.add(campaign_id)
        nxt = s.scalar(select(Campaign.merged_into).where(Campaign.id == campaign_id))
        if nxt is None:
            return campaign_id
        campaign_id = nxt
    return campaign_id


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
            "first_seen": _iso(first),
            "last_seen": _iso(last),
            "scam_type": stype,
            "scam_type_label": type_label(stype),
            "typical_wording": typical[:600],
            "numbers": top_of(numbers[cid]),
            "domains": top_of(domains[cid]),
            "money_lost": _pounds(lost) or 0.0,
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
    import json

    out = _public_report(r)
    out.update({
        "what_happened": r.what_happened,
        "area": r.area,
        "money_lost": _pounds(r.money_lost_pence),
        "status": r.status,
        "campaign_id": _live_campaign(s, r.campaign_id),
        "claimed_type": r.claimed_type,
        "received_at": _iso(r.received_at),
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
        "seen_at": _iso(r.occurred_at or r.received_at),
        "scam_type": r.scam_type,
        "verdict": r.verdict,
        "risk": r.risk,
        "numbers": [{"number": n.number, "role": n.role} for n in r.numbers],
        "domains": sorted({lk.domain for lk in r.links}),
    }


def _pounds(pence: int | None) -> float | None:
    return None if pence is None else round(pence / 100, 2)


def _week(dt: datetime) -> str:
    monday = (dt - timedelta(days=dt.weekday())).date()
    return monday.isoformat()


def _chunks(seq: list, n: int) -> Iterable[list]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def type_label(scam_type: str | None) -> str | None:
    if not scam_type:
        return None
    return _type_labels().get(scam_type) or scam_type.replace("_", " ").capitalize()


_LABELS: dict[str, str] | None = None


def _type_labels() -> dict[str, str]:
    global _LABELS
    if _LABELS is None:
        try:
            from .. import rules

            _LABELS = {tid: spec.get("label", tid) for tid, spec in (rules.scam_types().get("types") or {}).items()}
        except Exception:  # rules not shipped yet in a partial checkout: fall back to the ids
            _LABELS = {}
    return _LABELS


def known_scam_types() -> set[str]:
    return set(_type_labels())


def reputation_sentence(rep: dict) -> str:
    """ "Reported 14 times as an HMRC tax scam since 3 Nov 2026." """
    n = rep["reports"]
    if rep.get("protected"):
        return ("This is a genuine organisation's number that scammers copy as a fake caller ID; "
                "a call showing it may still be a scam.")
    if n == 0:
        return "Not reported." if not rep["not_scam"] else "Reported, but marked not a scam."
    times = "once" if n == 1 else "twice" if n == 2 else f"{n} times"
    what = ""
    if rep["scam_types"]:
        label = rep["scam_types"][0]["label"]
        what = f" as {'an' if label[:1].lower() in 'aeiou' or label.startswith('HMRC') else 'a'} {label}"
    first = _utc(datetime.fromisoformat(rep["first_seen"].replace("Z", "+00:00")))
    since = f" since {first.day} {first:%b %Y}" if n > 1 else f" on {first.day} {first:%b %Y}"
    extra = ""
    if rep["as_callback"]:
        extra = f"; given as the number to call back in {rep['as_callback']} report{'s' if rep['as_callback'] > 1 else ''}"
    return f"Reported {times}{what}{since}{extra}."


def money_to_pence(amount: float | None) -> int | None:
    if amount is None:
        return None
    if not math.isfinite(amount):  # float("nan") and float("inf") parse; round() would raise on them
        raise InputError("money_lost must be an amount in pounds, such as 250 or 19.99")
    if amount < 0:
        raise InputError("money_lost cannot be negative")
    return round(amount * 100)
