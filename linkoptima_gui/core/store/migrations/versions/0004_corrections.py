"""orders.corrections and sku_aliases: a person's fixes (a corrected NIP, a shop SKU mapped to an
Optima item code) kept apart from what the shop sent

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("corrections", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "sku_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shop", sa.String(length=64), nullable=False),
        sa.Column("shop_sku", sa.String(length=64), nullable=False),
        sa.Column("optima_code", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("shop", "shop_sku", name="uq_sku_aliases_shop_sku"),
    )


def downgrade() -> None:
    op.drop_table("sku_aliases")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("corrections")
