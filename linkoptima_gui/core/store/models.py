"""The console's own state: orders as seen from the shop, one job per pipeline step, the audit
log, and small key/value state (watermarks).

These tables are the console's, never Optima's. SQLite (WAL) by default, any SQLAlchemy URL
by setting; the schema is created and upgraded by Alembic (``store.migrate``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class OrderRow(Base):
    """One shop order: what the pipeline table shows, plus the raw shop JSON it came from."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("shop", "shop_order_id", name="uq_orders_shop_order"),
        Index("ix_orders_stage", "stage"),
        Index("ix_orders_number", "number"),
        Index("ix_orders_paid_seen", "paid_seen_at"),  # the Pulpit: orders paid per hour
        Index("ix_orders_packed", "packed_at"),  # the Pulpit: parcels packed, payment to packing
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop: Mapped[str] = mapped_column(String(64), default="default")
    shop_order_id: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(64))
    shop_status: Mapped[str] = mapped_column(String(32), default="")
    stage: Mapped[str] = mapped_column(String(32), default="new")
    buyer_name: Mapped[str] = mapped_column(String(255), default="")
    buyer_email: Mapped[str] = mapped_column(String(255), default="")
    buyer_nip: Mapped[str] = mapped_column(String(16), default="")
    is_company: Mapped[bool] = mapped_column(Boolean, default=False)
    total: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3), default="PLN")
    payment_method: Mapped[str] = mapped_column(String(64), default="")
    payment_title: Mapped[str] = mapped_column(String(128), default="")
    payment_kind: Mapped[str] = mapped_column(String(16), default="")
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    shipping_method: Mapped[str] = mapped_column(String(64), default="")
    locker_id: Mapped[str] = mapped_column(String(32), default="")
    date_created_gmt: Mapped[str] = mapped_column(String(32), default="")
    date_modified_gmt: Mapped[str] = mapped_column(String(32), default="")
    paid_seen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fa_number: Mapped[str] = mapped_column(String(64), default="")
    fa_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    wz_number: Mapped[str] = mapped_column(String(64), default="")
    kp_number: Mapped[str] = mapped_column(String(64), default="")
    tracking_number: Mapped[str] = mapped_column(String(64), default="")
    carrier: Mapped[str] = mapped_column(String(32), default="")
    invoice_pdf: Mapped[str] = mapped_column(Text, default="")
    label_pdf: Mapped[str] = mapped_column(Text, default="")
    label_zpl: Mapped[str] = mapped_column(Text, default="")
    #: SKU -> EAN of the order's goods, from Optima's item cards when the FA is booked (the shop's
    #: lines carry no EAN); the packing station shows them and can require each to be scanned
    item_eans: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    #: a person's fixes to what the shop sent, applied whenever the order is mapped (e.g. {"nip": ...})
    corrections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    pack_token: Mapped[str] = mapped_column(String(64), default="")
    packed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    packed_by: Mapped[str] = mapped_column(String(64), default="")
    #: the packing station that packed the parcel (``packed_by`` is the person, or the station)
    packed_station: Mapped[str] = mapped_column(String(64), default="")
    error_code: Mapped[str] = mapped_column(String(32), default="")
    error_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class JobRow(Base):
    """One step of one order. ``identity_key`` (shop:order:step) makes a step exist once."""

    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("identity_key", name="uq_jobs_identity"),
        Index("ix_jobs_due", "state", "next_attempt_at"),
        Index("ix_jobs_order", "order_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(16))
    identity_key: Mapped[str] = mapped_column(String(160))
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=8)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    phase: Mapped[str] = mapped_column(String(32), default="")  # e.g. "sending" before an e-mail goes out
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error_code: Mapped[str] = mapped_column(String(32), default="")
    error_message: Mapped[str] = mapped_column(Text, default="")
    error_details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: who holds a "started" job: the engine instance (or packing station) and, for the engine,
    #: its fencing token; the claim lapses at ``claim_expires_at`` (the store's clock) unless
    #: renewed, and only then may another engine run the job again (DESIGN.md §5)
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    claim_fencing: Mapped[int] = mapped_column(Integer, default=0)
    claim_expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class AuditEvent(Base):
    """Every transition and every manual action, with who did it and why."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_order", "order_id", "id"),
                      Index("ix_audit_kind_at", "kind", "at"))  # the Pulpit: exceptions per day

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    order_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    step: Mapped[str] = mapped_column(String(16), default="")
    actor: Mapped[str] = mapped_column(String(64), default="engine")
    #: the station the action came from ("" for the engine's own steps)
    station: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class KeyValue(Base):
    """Small persistent state: polling watermarks, the last stock pass..."""

    __tablename__ = "kv"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text, server_default="")


class ShopProduct(Base):
    """A shop product or variation as the stock sync knows it: SKU -> id (updates must name
    products by id, reference/woocommerce.md §8), and what the last pass saw and set."""

    __tablename__ = "shop_products"
    __table_args__ = (UniqueConstraint("shop", "sku", name="uq_shop_products_sku"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop: Mapped[str] = mapped_column(String(64), default="default")
    sku: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int] = mapped_column(Integer, default=0)  # a variation's product, 0 for a product
    manage_stock: Mapped[bool] = mapped_column(Boolean, default=True)
    shop_quantity: Mapped[int | None] = mapped_column(Integer, nullable=True)  # as last read or set
    target: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the formula's value then
    checked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    pushed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")


class SkuAlias(Base):
    """A shop SKU that Optima knows under another item code (mapped by a person, for good)."""

    __tablename__ = "sku_aliases"
    __table_args__ = (UniqueConstraint("shop", "shop_sku", name="uq_sku_aliases_shop_sku"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shop: Mapped[str] = mapped_column(String(64), default="default")
    shop_sku: Mapped[str] = mapped_column(String(64))
    optima_code: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LeaseRow(Base):
    """The one row that says which engine is active (DESIGN.md §5): its station, a heartbeat in
    the store's clock and the fencing token, which grows with every takeover. ``holder`` is the
    engine instance ("" once released); ``host`` and ``pid`` let an engine on the same computer
    see that the holder's process is gone and take over at once instead of waiting."""

    __tablename__ = "engine_lease"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    holder: Mapped[str] = mapped_column(String(64), default="")
    station: Mapped[str] = mapped_column(String(64), default="")
    host: Mapped[str] = mapped_column(String(128), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    fencing: Mapped[int] = mapped_column(Integer, default=0)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    acquired_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ParcelClaim(Base):
    """A parcel opened at a packing station: no other station may print or pack it until the
    claim is released or lapses (the station went away)."""

    __tablename__ = "parcel_claims"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True,
                                          autoincrement=False)
    station: Mapped[str] = mapped_column(String(64))
    operator: Mapped[str] = mapped_column(String(64), default="")
    claimed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class StoreEvent(Base):
    """What one process tells the others sharing the store ("these orders changed", "a new
    exception"), read by every console within a second or two (``store.change_feed``)."""

    __tablename__ = "store_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    origin: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    order_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class StoredDocument(Base):
    """A document's bytes (the label as PDF and ZPL, the invoice PDF) kept in the store, so a
    packing station on another computer prints what the engine's computer fetched."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("order_id", "kind", name="uq_documents_order_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(128), default="")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RefundRow(Base):
    """A refund made in the shop, and what the console booked for it in Optima.

    One row per shop refund id (the idempotency key of its corrections): found by the intake in
    the order's ``refunds``, filled by the correction step. ``corrections`` lists what Optima
    booked ([{"id", "number", "kind", "gross"}]); ``deleted_in_shop`` is set when the shop's
    order no longer lists a refund the console had seen (WooCommerce reverses nothing then)."""

    __tablename__ = "refunds"
    __table_args__ = (UniqueConstraint("order_id", "shop_refund_id", name="uq_refunds_order_refund"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    shop_refund_id: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    reason: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    corrections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    correction_gross: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal("0"))
    #: SKU -> pieces that came back (the quantity correction's lines)
    returned_items: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    payout_number: Mapped[str] = mapped_column(String(64), default="")
    pdf_path: Mapped[str] = mapped_column(Text, default="")
    emailed_to: Mapped[str] = mapped_column(String(255), default="")
    deleted_in_shop: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class DayClosing(Base):
    """One carrier's end of one day: its handover protocol (DPD) or courier booking, made once.

    The row is the claim: a station inserts it (``started``) before calling the carrier, so two
    stations pressing at once cannot both close the day (the unique day + carrier); it becomes
    ``done`` with the booking and the protocol as printed, or ``failed`` with the reason (then it
    may be tried again). A ``started`` row whose station went away lapses at ``expires_at``."""

    __tablename__ = "day_closings"
    __table_args__ = (UniqueConstraint("day", "carrier", name="uq_day_closings_day_carrier"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    carrier: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="started")
    station: Mapped[str] = mapped_column(String(64), default="")
    operator: Mapped[str] = mapped_column(String(64), default="")
    claimed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: the parcels handed over (the orders' ids and their tracking numbers)
    order_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    tracking_numbers: Mapped[list[str]] = mapped_column(JSON, default=list)
    booking_id: Mapped[str] = mapped_column(String(64), default="")
    protocol_id: Mapped[str] = mapped_column(String(64), default="")
    #: the protocol (or the console's list of the parcels) as printed, for a reprint
    document: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
