"""The reports database, as SQLAlchemy 2 tables. Migrations in ``migrations/`` create exactly this."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # When evidence joins two campaigns the younger one points at the survivor, so old links still work.
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    occurred_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)  # the message, or the transcript's turns joined by newlines
    turns_json: Mapped[str | None] = mapped_column(Text)
    sender: Mapped[str | None] = mapped_column(String(64))
    what_happened: Mapped[str | None] = mapped_column(Text)
    money_lost_pence: Mapped[int | None] = mapped_column(BigInteger)
    area: Mapped[str | None] = mapped_column(String(80), index=True)
    claimed_type: Mapped[str | None] = mapped_column(String(64))  # what the reporter called it
    scam_type: Mapped[str | None] = mapped_column(String(64), index=True)  # what the engine found
    verdict: Mapped[str | None] = mapped_column(String(16))
    risk: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="reported", index=True)  # | "not_scam"
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)  # MinHash of the wording
    source: Mapped[str | None] = mapped_column(String(64))  # the API key's name, never the key
    client_ref: Mapped[str | None] = mapped_column(String(128))  # Idempotency-Key from the client

    numbers: Mapped[list[ReportNumber]] = relationship(
        back_populates="report", cascade="all, delete-orphan", lazy="selectin"
    )
    links: Mapped[list[ReportLink]] = relationship(
        back_populates="report", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (UniqueConstraint("source", "client_ref", name="uq_reports_client_ref"),)


class ReportNumber(Base):
    __tablename__ = "report_numbers"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20), index=True)  # E.164
    role: Mapped[str] = mapped_column(String(12))  # "sender" | "callback" (written in the message)

    report: Mapped[Report] = relationship(back_populates="numbers")


class ReportLink(Base):
    __tablename__ = "report_links"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    domain: Mapped[str] = mapped_column(String(255), index=True)

    report: Mapped[Report] = relationship(back_populates="links")


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "not_scam" | "scam" (undo)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str | None] = mapped_column(String(64))


Index("ix_reports_campaign_received", Report.campaign_id, Report.received_at)
