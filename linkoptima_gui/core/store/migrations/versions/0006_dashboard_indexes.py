"""The Pulpit's indexes: orders by payment and packing time, the audit log by kind and time

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 12:30:00
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_orders_paid_seen", "orders", ["paid_seen_at"])
    op.create_index("ix_orders_packed", "orders", ["packed_at"])
    op.create_index("ix_audit_kind_at", "audit_events", ["kind", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_kind_at", table_name="audit_events")
    op.drop_index("ix_orders_packed", table_name="orders")
    op.drop_index("ix_orders_paid_seen", table_name="orders")
