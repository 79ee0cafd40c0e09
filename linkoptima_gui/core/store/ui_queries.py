"""Extra read queries for the console's screens (beside ``queries``, which stays as it is).

Each one is a single indexed query returning plain frozen data, so a screen can run it on a
worker thread and keep the answer after the session is closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .db import server_now
from .models import OrderRow, ParcelClaim, RefundRow, StoredDocument


def start_of_today_utc() -> datetime:
    """Local midnight as naive UTC, the way the store keeps its times ("today" for a shift)."""
    local_midnight = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    return local_midnight.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class QueueEntry:
    """One line of the packing queue: enough to recognise the parcel at a glance."""

    id: int
    number: str
    buyer_name: str
    delivery: str  # "Paczkomat WAW01M" or the city
    cod_amount: Decimal  # 0 unless cash on delivery
    #: the station that has the parcel open ("" when none does)
    claimed_by: str = ""


@dataclass(frozen=True)
class ScanHit:
    """The order a scanned or typed code points to."""

    id: int
    number: str
    stage: str


def queue_entries(session: Session, ids: Sequence[int]) -> dict[int, QueueEntry]:
    """Queue lines for these ids, in one query (the queue holds at most a few hundred).

    The city is taken out of the shop's JSON by the database: the queue is re-read several times
    a second while the engine works, and decoding every parcel's whole order in Python each time
    kept the other threads, the window's among them, waiting for the interpreter."""
    if not ids:
        return {}
    rows = session.execute(
        select(
            OrderRow.id,
            OrderRow.number,
            OrderRow.buyer_name,
            OrderRow.locker_id,
            OrderRow.payload[("shipping", "city")].as_string(),
            OrderRow.payment_kind,
            OrderRow.total,
        ).where(OrderRow.id.in_(list(ids)))
    )
    claims = dict(session.execute(
        select(ParcelClaim.order_id, ParcelClaim.station)
        .where(ParcelClaim.order_id.in_(list(ids)), ParcelClaim.expires_at >= server_now(session))).all())
    result: dict[int, QueueEntry] = {}
    for oid, number, buyer, locker, city, kind, total in rows:
        delivery = f"Paczkomat {locker}" if locker else str(city or "")
        cod = total if kind == "cod" else Decimal("0")
        result[oid] = QueueEntry(oid, number, buyer, delivery, cod, claims.get(oid, ""))
    return result


def find_order_for_scan(session: Session, code: str) -> ScanHit | None:
    """The order whose number (with or without a leading '#') or tracking number is ``code``.

    A packer may scan the order number from a picking list or the tracking number from a
    label already stuck on the box; both lead to the same order.
    """
    text = code.strip().lstrip("#").strip()
    if not text:
        return None
    row = session.execute(
        select(OrderRow.id, OrderRow.number, OrderRow.stage)
        .where(or_(OrderRow.number == text, OrderRow.tracking_number == text))
        .order_by(OrderRow.id.desc())
        .limit(1)
    ).first()
    return ScanHit(row[0], row[1], row[2]) if row else None


def packed_since(session: Session, since: datetime) -> int:
    """How many parcels were packed at or after ``since`` (naive UTC, like the store)."""
    return int(session.scalar(select(func.count()).where(OrderRow.packed_at >= since)) or 0)


@dataclass(frozen=True)
class SearchHit:
    """An order found for a reprint: enough to tell it apart from similar ones."""

    id: int
    number: str
    buyer_name: str
    buyer_email: str
    tracking_number: str
    fa_number: str
    stage: str
    has_label: bool
    has_invoice: bool
    #: the refunds whose correction PDF is kept: (shop refund id, the corrections' numbers)
    corrections: tuple[tuple[int, str], ...] = ()


def search_orders(session: Session, text: str, limit: int = 50) -> list[SearchHit]:
    """Orders whose number, tracking number or FA number starts with ``text``, or whose buyer
    name or e-mail contains it (case-insensitive); newest first."""
    needle = text.strip().lstrip("#").strip()
    if len(needle) < 2:
        return []
    prefix = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = session.execute(
        select(OrderRow.id, OrderRow.number, OrderRow.buyer_name, OrderRow.buyer_email, OrderRow.tracking_number,
               OrderRow.fa_number, OrderRow.stage, OrderRow.label_pdf, OrderRow.label_zpl, OrderRow.invoice_pdf)
        .where(or_(
            OrderRow.number.like(f"{prefix}%", escape="\\"),
            OrderRow.tracking_number.like(f"{prefix}%", escape="\\"),
            OrderRow.fa_number.like(f"{prefix}%", escape="\\"),
            func.lower(OrderRow.buyer_name).like(f"%{prefix.lower()}%", escape="\\"),
            func.lower(OrderRow.buyer_email).like(f"%{prefix.lower()}%", escape="\\"),
        ))
        .order_by(OrderRow.id.desc())
        .limit(limit)
    )
    rows = list(rows)
    corrections = _corrections(session, [r.id for r in rows])
    return [SearchHit(r.id, r.number, r.buyer_name, r.buyer_email, r.tracking_number, r.fa_number, r.stage,
                      bool(r.label_pdf or r.label_zpl), bool(r.invoice_pdf), corrections.get(r.id, ()))
            for r in rows]


def _corrections(session: Session, ids: Sequence[int]) -> dict[int, tuple[tuple[int, str], ...]]:
    """The refunds of these orders whose correction PDF is kept (stored, or on the engine's disk)."""
    if not ids:
        return {}
    stored = set(session.execute(select(StoredDocument.order_id, StoredDocument.kind).where(
        StoredDocument.order_id.in_(list(ids)), StoredDocument.kind.like("korekta\\_%", escape="\\"))).all())
    result: dict[int, list[tuple[int, str]]] = {}
    for order_id, refund_id, corrections, pdf_path in session.execute(
            select(RefundRow.order_id, RefundRow.shop_refund_id, RefundRow.corrections, RefundRow.pdf_path)
            .where(RefundRow.order_id.in_(list(ids))).order_by(RefundRow.shop_refund_id)):
        if pdf_path or (order_id, f"korekta_{refund_id}") in stored:
            numbers = ", ".join(str(c.get("number", "")) for c in corrections or [] if c.get("number"))
            result.setdefault(order_id, []).append((refund_id, numbers or str(refund_id)))
    return {order_id: tuple(items) for order_id, items in result.items()}
