"""Nothing booked that cannot ship: the goods are checked in Optima before the FA.

An FA in Optima (and in KSeF for a company) cannot be deleted, only corrected; booking one for
goods the warehouse does not have leaves the accountant an invoice for nothing. So before the FA
each goods line is held against Optima's available quantity (stock minus Optima's own
reservations, in the configured warehouse, as the stock sync reads it) minus what the other
orders already invoiced and not yet issued will take (their WZ comes next). Short: the order
stops as an exception "brak towaru" with the figures, before anything is booked; the stock sync
puts it back in the queue as soon as it sees any of its goods move in Optima (a delivery), and
the check runs again. A shop that sells on back order turns the check off (``book_without_stock``).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.order import Order
from ..domain.steps import Stage, Step, StepState
from ..errors import PermanentError
from ..store.models import JobRow, OrderRow, utcnow
from . import audit
from .corrections import sku_aliases
from .planning import refresh_stage

if TYPE_CHECKING:
    from .services import EngineServices

#: the error code of an order stopped for want of goods (the stock sync retries these)
STOCK_SHORT = "stock_short"


def _text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def check_goods(svc: EngineServices, order: Order, order_id: int) -> None:
    """Raise ``PermanentError(STOCK_SHORT)`` when Optima cannot issue every goods line now."""
    if svc.book_without_stock:
        return
    needed: dict[str, Decimal] = defaultdict(Decimal)
    for line in order.lines:
        if not line.is_service:
            needed[line.sku] += line.quantity
    if not needed:
        return
    available = svc.optima_reader.stock_levels(sorted(needed))
    with svc.sessions() as session:
        promised = invoiced_not_issued(session, svc.shop_settings.shop_id, set(needed), exclude=order_id)
    short = []
    for sku, quantity in sorted(needed.items()):
        if sku not in available:
            continue  # not goods Optima knows: the FA's own check names the unknown item
        free = available[sku] - promised.get(sku, Decimal(0))
        if free < quantity:
            short.append({"sku": sku, "ordered": _text(quantity), "available": _text(max(free, Decimal(0)))})
    if short:
        listed = ", ".join(f"{s['sku']}: zamówiono {s['ordered']}, dostępne {s['available']}" for s in short)
        raise PermanentError(
            f"Brak towaru w Optimie: {listed}. Nic nie zaksięgowano; zamówienie ruszy samo, gdy towar przyjdzie.",
            code=STOCK_SHORT, details={"items": short})


def invoiced_not_issued(session: Session, shop: str, codes: set[str], *, exclude: int) -> dict[str, Decimal]:
    """Per Optima code, what the shop's orders with an FA and no WZ yet will take from stock."""
    aliases = sku_aliases(session, shop)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    rows = session.execute(
        select(OrderRow.payload).where(OrderRow.shop == shop, OrderRow.fa_id.is_not(None), OrderRow.wz_number == "",
                                       OrderRow.id != exclude, OrderRow.stage != Stage.CANCELLED.value)
    ).scalars()
    for payload in rows:
        for line in (payload or {}).get("line_items") or []:
            sku = str(line.get("sku") or "")
            sku = aliases.get(sku, sku)
            if sku in codes:
                totals[sku] += Decimal(str(line.get("quantity") or 0))
    return totals


def release_stock_short(session: Session, shop: str, moved: set[str] | None) -> list[int]:
    """Orders stopped for want of goods whose goods moved in Optima (``moved``; None: any) go
    back to the queue; returns their ids. Their FA job gets a fresh set of attempts."""
    jobs = session.execute(
        select(JobRow, OrderRow.payload).join(OrderRow, OrderRow.id == JobRow.order_id)
        .where(OrderRow.shop == shop, JobRow.step == Step.FA.value, JobRow.state == StepState.FAILED.value,
               JobRow.error_code == STOCK_SHORT)
    ).all()
    aliases = sku_aliases(session, shop) if moved is not None else {}
    released = []
    for job, payload in jobs:
        skus = {aliases.get(str(li.get("sku") or ""), str(li.get("sku") or ""))
                for li in (payload or {}).get("line_items") or []}
        if moved is not None and not skus & moved:
            continue
        job.state, job.attempts, job.next_attempt_at = StepState.PENDING.value, 0, utcnow()
        job.error_code = job.error_message = ""
        order = session.get(OrderRow, job.order_id)
        order.error_code = order.error_reason = ""
        refresh_stage(session, order)
        audit.record(session, "step_retry", "Towar w Optimie się zmienił: ponowne sprawdzenie przed fakturą.",
                     order_id=job.order_id, step=Step.FA.value, details={"code": STOCK_SHORT})
        released.append(job.order_id)
    return released
