"""Refunds made in the shop and the corrections booked for them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refunds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
        sa.Column("shop_refund_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("corrections", sa.JSON(), nullable=False),
        sa.Column("correction_gross", sa.Numeric(14, 2), nullable=False),
        sa.Column("returned_items", sa.JSON(), nullable=False),
        sa.Column("payout_number", sa.String(64), nullable=False),
        sa.Column("pdf_path", sa.Text(), nullable=False),
        sa.Column("emailed_to", sa.String(255), nullable=False),
        sa.Column("deleted_in_shop", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("order_id", "shop_refund_id", name="uq_refunds_order_refund"),
    )
    op.create_index("ix_refunds_order_id", "refunds", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_refunds_order_id", table_name="refunds")
    op.drop_table("refunds")
