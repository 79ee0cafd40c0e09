"""Read side of the store for the screens: small, indexed queries that return plain rows.

The UI calls these (never the engine's internals); each returns detached data so a screen can
keep it after the session closes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..domain.steps import PIPELINE_STEPS, Stage, Step
from .models import AuditEvent, JobRow, OrderRow
from .refund_queries import RefundSummary, has_refunds, refund_summaries


@dataclass(frozen=True)
class PipelineRow:
    """One line of the pipeline table."""

    id: int
    number: str
    stage: str
    buyer_name: str
    is_company: bool
    total: Decimal
    currency: str
    payment_title: str
    payment_kind: str
    fa_number: str
    wz_number: str
    kp_number: str
    tracking_number: str
    error_reason: str
    created: str  # shop's date_created_gmt
    updated_at: datetime
    steps: dict[str, str]  # step -> state ("" when the order has no such step)
    #: the order's refunds with their corrections (``refund_queries``), oldest first
    refunds: tuple[RefundSummary, ...] = ()


@dataclass(frozen=True)
class ParcelItem:
    name: str
    sku: str
    ean: str
    quantity: Decimal


@dataclass(frozen=True)
class Parcel:
    """What the packer sees of one parcel."""

    id: int
    number: str
    buyer_name: str
    delivery: str  # "Paczkomat WAW01M" or the street address
    payment_title: str
    cod_amount: Decimal
    tracking_number: str
    items: tuple[ParcelItem, ...]


def order_ids(
    session: Session, *, stages: Iterable[str] | None = None, text: str = "", limit: int | None = None,
    created_from: datetime | None = None, payment_kinds: Iterable[str] | None = None, with_refunds: bool = False,
) -> list[int]:
    """Order ids, newest first, optionally filtered by stage, creation time (UTC, as the shop's
    ``date_created_gmt``), payment kind, having refunds and a text search."""
    query = select(OrderRow.id).order_by(OrderRow.id.desc())
    if with_refunds:
        query = query.where(has_refunds())
    if stages:
        query = query.where(OrderRow.stage.in_(list(stages)))
    if created_from is not None:  # ISO text in UTC compares as time
        query = query.where(OrderRow.date_created_gmt >= created_from.isoformat(timespec="seconds"))
    if payment_kinds:
        query = query.where(OrderRow.payment_kind.in_(list(payment_kinds)))
    if text:
        like = f"%{text}%"
        query = query.where(
            or_(
                OrderRow.number.like(like),
                OrderRow.buyer_name.like(like),
                OrderRow.buyer_email.like(like),
                OrderRow.tracking_number.like(like),
                OrderRow.fa_number.like(like),
            )
        )
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


#: What a pipeline row shows: read as columns, not as whole orders, because the screen re-reads
#: changed rows several times a second while the engine works, and loading each order's shop
#: JSON and documents only to drop them kept the other threads (the window's too) waiting.
_PIPELINE_COLUMNS = (OrderRow.id, OrderRow.number, OrderRow.stage, OrderRow.buyer_name, OrderRow.is_company,
                     OrderRow.total, OrderRow.currency, OrderRow.payment_title, OrderRow.payment_kind, OrderRow.fa_number,
                     OrderRow.wz_number, OrderRow.kp_number, OrderRow.tracking_number, OrderRow.error_reason,
                     OrderRow.date_created_gmt, OrderRow.updated_at)


def pipeline_rows(session: Session, ids: Sequence[int]) -> dict[int, PipelineRow]:
    """The rows for these ids (two queries whatever their number)."""
    if not ids:
        return {}
    orders = session.execute(select(*_PIPELINE_COLUMNS).where(OrderRow.id.in_(list(ids)))).all()
    steps: dict[int, dict[str, str]] = {oid: {} for oid in ids}
    for order_id, step, state in session.execute(
        select(JobRow.order_id, JobRow.step, JobRow.state).where(JobRow.order_id.in_(list(ids)))
    ):
        steps[order_id][step] = state
    refunds = refund_summaries(session, ids)
    return {
        o.id: PipelineRow(
            id=o.id,
            number=o.number,
            stage=o.stage,
            buyer_name=o.buyer_name,
            is_company=o.is_company,
            total=o.total,
            currency=o.currency,
            payment_title=o.payment_title,
            payment_kind=o.payment_kind,
            fa_number=o.fa_number,
            wz_number=o.wz_number,
            kp_number=o.kp_number,
            tracking_number=o.tracking_number,
            error_reason=o.error_reason,
            created=o.date_created_gmt,
            updated_at=o.updated_at,
            steps={s.value: steps[o.id].get(s.value, "") for s in PIPELINE_STEPS},
            refunds=refunds.get(o.id, ()),
        )
        for o in orders
    }


def ready_to_pack(session: Session, limit: int = 500) -> list[int]:
    """Parcels ready to pack, oldest paid first."""
    query = (
        select(OrderRow.id)
        .where(OrderRow.stage == Stage.READY_TO_PACK.value)
        .order_by(OrderRow.paid_seen_at.asc(), OrderRow.id.asc())
        .limit(limit)
    )
    return list(session.scalars(query))


def parcel(session: Session, order_id: int) -> Parcel | None:
    order = session.get(OrderRow, order_id)
    if order is None:
        return None
    payload = order.payload or {}
    items = tuple(
        ParcelItem(
            name=str(li.get("name", "")),
            sku=str(li.get("sku", "")),
            ean=str((order.item_eans or {}).get(str(li.get("sku", "")), "")),
            quantity=Decimal(str(li.get("quantity", 0))),
        )
        for li in payload.get("line_items", [])
    )
    ship = payload.get("shipping") or {}
    if order.locker_id:
        delivery = f"Paczkomat {order.locker_id}"
    else:
        delivery = ", ".join(
            p for p in (ship.get("address_1", ""), f"{ship.get('postcode', '')} {ship.get('city', '')}".strip()) if p
        )
    cod = order.total if order.payment_kind == "cod" else Decimal("0")
    return Parcel(
        id=order.id,
        number=order.number,
        buyer_name=order.buyer_name,
        delivery=delivery,
        payment_title=order.payment_title,
        cod_amount=cod,
        tracking_number=order.tracking_number,
        items=items,
    )


def find_order_by_number(session: Session, number: str) -> int | None:
    return session.scalar(select(OrderRow.id).where(OrderRow.number == number.strip()))


def timeline(session: Session, order_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(select(AuditEvent).where(AuditEvent.order_id == order_id).order_by(AuditEvent.id))
    )


def stage_counts(session: Session) -> dict[str, int]:
    from sqlalchemy import func

    rows = session.execute(select(OrderRow.stage, func.count()).group_by(OrderRow.stage))
    return {stage: count for stage, count in rows}


__all__ = ["Parcel", "ParcelItem", "PipelineRow", "Step"]
