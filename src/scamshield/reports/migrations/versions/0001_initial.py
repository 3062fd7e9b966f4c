"""Reports, their numbers and links, campaigns and feedback.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("merged_into", Id, sa.ForeignKey("campaigns.id"), nullable=True),
    )
    op.create_index("ix_campaigns_merged_into", "campaigns", ["merged_into"])
    op.create_table(
        "reports",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("turns_json", sa.Text(), nullable=True),
        sa.Column("sender", sa.String(64), nullable=True),
        sa.Column("what_happened", sa.Text(), nullable=True),
        sa.Column("money_lost_pence", sa.BigInteger(), nullable=True),
        sa.Column("area", sa.String(80), nullable=True),
        sa.Column("claimed_type", sa.String(64), nullable=True),
        sa.Column("scam_type", sa.String(64), nullable=True),
        sa.Column("verdict", sa.String(16), nullable=True),
        sa.Column("risk", sa.Float(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("campaign_id", Id, sa.ForeignKey("campaigns.id"), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("source", sa.String(64), nullable=True),
        sa.Column("client_ref", sa.String(128), nullable=True),
        sa.UniqueConstraint("source", "client_ref", name="uq_reports_client_ref"),
    )
    for col in ("received_at", "area", "scam_type", "status", "campaign_id"):
        op.create_index(f"ix_reports_{col}", "reports", [col])
    op.create_index("ix_reports_campaign_received", "reports", ["campaign_id", "received_at"])
    op.create_table(
        "report_numbers",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("report_id", Id, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
    )
    op.create_index("ix_report_numbers_report_id", "report_numbers", ["report_id"])
    op.create_index("ix_report_numbers_number", "report_numbers", ["number"])
    op.create_table(
        "report_links",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("report_id", Id, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("domain", sa.String(255), nullable=False),
    )
    op.create_index("ix_report_links_report_id", "report_links", ["report_id"])
    op.create_index("ix_report_links_domain", "report_links", ["domain"])
    op.create_table(
        "feedback",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("report_id", Id, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(64), nullable=True),
    )
    op.create_index("ix_feedback_report_id", "feedback", ["report_id"])


def downgrade() -> None:
    for table in ("feedback", "report_links", "report_numbers", "reports", "campaigns"):
        op.drop_table(table)
