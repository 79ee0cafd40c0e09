"""Reading orders from the shop into the store and planning their steps.

The watermark is the largest ``date_modified_gmt`` seen, minus an overlap (DESIGN.md §3),
stored only after the orders up to it are committed, so a crash re-reads rather than skips.
An order that cannot be mapped (invalid NIP, malformed field...) becomes an exception with the
reason; when the shop corrects it, the next poll maps it again and it flows on.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import select

from ..domain.money import MoneyFormatError, money
from ..domain.order import Order
from ..domain.steps import Stage
from ..errors import StepError
from ..faults import crash_point
from ..store.models import JobRow, KeyValue, OrderRow, utcnow
from ..woo.client import watermark_after
from ..woo.settings import FINAL_STATUSES, INVOICED
from . import audit
from .corrections import map_corrected
from .planning import plan_jobs, refresh_stage
from .refund_intake import sync_refunds
from .services import EngineServices

log = logging.getLogger(__name__)


def _fit(value: Any, column: Any) -> str:
    """``value`` as text cut to ``column``'s length: a shop field must never make the store
    refuse the whole poll (PostgreSQL and SQL Server enforce lengths; SQLite does not)."""
    text = str(value or "")
    length = column.property.columns[0].type.length
    return text if length is None or len(text) <= length else text[:length - 1] + "…"


def _watermark_key(shop: str) -> str:
    return f"watermark:{shop}"


class Intake:
    def __init__(self, services: EngineServices) -> None:
        self.svc = services
        # the engine's loop and the stock sync both poll; one at a time keeps the watermark honest
        self._polling = threading.Lock()

    def watermark(self) -> str:
        with self.svc.sessions() as session:
            kv = session.get(KeyValue, _watermark_key(self.svc.shop_settings.shop_id))
            return kv.value if kv else ""

    def poll(self) -> list[int]:
        """One pass over the orders modified since the watermark; returns changed order ids."""
        with self._polling:
            return self._poll()

    def _poll(self) -> list[int]:
        """The watermark kept is the newest modification seen, but never later than the moment
        this poll began: an order on an early page that changes while later pages are read
        (a first intake of thousands of orders takes minutes) is then still after the next
        poll's ``modified_after``, however new the dates on the last page. "Began" is this
        machine's clock; the overlap covers a shop clock that much ahead of it."""
        settings = self.svc.shop_settings
        began = utcnow().strftime("%Y-%m-%dT%H:%M:%S")  # the form of date_modified_gmt
        last = self.watermark()
        after = watermark_after(last, settings.poll_overlap_seconds)
        changed: list[int] = []
        newest = last
        for raw in self.svc.shop.orders_modified_after(after):
            order_id = self.upsert(raw)
            crash_point("intake:stored")
            if order_id is not None:
                changed.append(order_id)
            modified = str(raw.get("date_modified_gmt") or "")
            if modified > newest:
                newest = modified
        newest = max(last, min(newest, began))
        if newest != last:
            with self.svc.sessions.begin() as session:
                session.merge(KeyValue(key=_watermark_key(settings.shop_id), value=newest))
        if changed:
            self.svc.bus.orders_changed(*changed)
        return changed

    def upsert(self, raw: dict[str, Any]) -> int | None:
        """Store one shop order and plan its steps; returns its id when something changed."""
        settings = self.svc.shop_settings
        with self.svc.sessions.begin() as session:
            row = session.scalar(
                select(OrderRow).where(OrderRow.shop == settings.shop_id, OrderRow.shop_order_id == int(raw["id"]))
            )
            if row is not None and row.payload == raw:
                # Seen exactly this version already (the overlap re-reads it). Compared by content,
                # not by date_modified_gmt: two edits within one second share the same date.
                return None
            is_new = row is None
            if row is None:
                row = OrderRow(shop=settings.shop_id, shop_order_id=int(raw["id"]),
                               number=_fit(raw.get("number") or raw["id"], OrderRow.number))
                session.add(row)
                session.flush()
            row.payload = raw
            row.shop_status = _fit(raw.get("status"), OrderRow.shop_status)
            row.date_created_gmt = _fit(raw.get("date_created_gmt"), OrderRow.date_created_gmt)
            row.date_modified_gmt = _fit(raw.get("date_modified_gmt"), OrderRow.date_modified_gmt)
            order_id = self._map_and_plan(session, row, raw, is_new)
            sync_refunds(session, row, raw)
            return order_id

    def remap_stored(self) -> list[int]:
        """Map again, from the stored payload, the orders a person corrected (stage "new", no
        steps yet: ``ManualActions.correct_nip`` puts them there); returns their ids."""
        with self.svc.sessions.begin() as session:
            rows = session.scalars(
                select(OrderRow).where(OrderRow.shop == self.svc.shop_settings.shop_id,
                                       OrderRow.stage == Stage.NEW.value,
                                       ~select(JobRow.id).where(JobRow.order_id == OrderRow.id).exists())
            ).all()
            changed = [self._map_and_plan(session, row, row.payload, is_new=False) for row in rows]
        if changed:
            self.svc.bus.orders_changed(*changed)
        return changed

    def _map_and_plan(self, session: Any, row: OrderRow, raw: dict[str, Any], is_new: bool) -> int:
        """Map the order (with a person's corrections) and plan its steps, or record why not."""
        settings = self.svc.shop_settings
        has_jobs = session.scalar(select(JobRow.id).where(JobRow.order_id == row.id).limit(1)) is not None
        try:
            order = map_corrected(session, raw, row.corrections or {}, settings)
        except StepError as exc:
            self._copy_basics(row, raw)
            if not has_jobs:
                if row.error_code != exc.code or is_new:
                    audit.record(session, "rejected", exc.reason, order_id=row.id,
                                 details={"code": exc.code, **exc.details})
                row.error_code, row.error_reason = exc.code, exc.reason
                row.stage = Stage.EXCEPTION.value
            return row.id
        self._copy_order(row, order)
        if is_new:
            audit.record(session, "received", f"Nowe zamówienie {row.number} ({order.payment.title})",
                         order_id=row.id)
        if row.shop_status in FINAL_STATUSES and not has_jobs:
            row.stage = Stage.CANCELLED.value
            return row.id
        if not has_jobs and row.shop_status not in settings.active_statuses:
            # e.g. a block checkout's draft, or a plugin's status nobody listed: not an order to
            # work on yet; it is planned when the shop moves it to a status in the list
            row.stage = Stage.NEW.value
            return row.id
        if not has_jobs:
            row.error_code = row.error_reason = ""
            if order.may_book:
                row.paid_seen_at = row.paid_seen_at or utcnow()
                plan_jobs(session, row, order, shop_status_when_invoiced=bool(settings.status_for(INVOICED)),
                          label_at_payment=self.svc.label_at_payment)
                refresh_stage(session, row, may_book=True)
            else:
                row.stage = Stage.AWAITING_PAYMENT.value
        return row.id

    @staticmethod
    def _copy_basics(row: OrderRow, raw: dict[str, Any]) -> None:
        """What the lists show of an order the mapping refused (cut to the columns: the refusal
        may be that a field is far too long)."""
        billing = raw.get("billing") if isinstance(raw.get("billing"), dict) else {}
        name = billing.get("company") or f"{billing.get('first_name') or ''} {billing.get('last_name') or ''}"
        row.buyer_name = _fit(str(name).strip(), OrderRow.buyer_name)
        row.buyer_email = _fit(billing.get("email"), OrderRow.buyer_email)
        row.payment_method = _fit(raw.get("payment_method"), OrderRow.payment_method)
        row.currency = _fit(str(raw.get("currency") or "PLN").upper(), OrderRow.currency)
        row.payment_title = _fit(raw.get("payment_method_title"), OrderRow.payment_title)
        try:
            row.total = money(raw.get("total"))
        except MoneyFormatError:
            pass  # a malformed total is the error already being reported

    @staticmethod
    def _copy_order(row: OrderRow, order: Order) -> None:
        row.number = order.number
        row.buyer_name = order.buyer.display_name
        row.buyer_email = order.buyer.email
        row.buyer_nip = order.buyer.nip
        row.is_company = bool(order.buyer.nip)
        row.total = order.total
        row.currency = order.currency
        row.payment_method = order.payment.method_id
        row.payment_title = order.payment.title
        row.payment_kind = order.payment.kind.value
        row.paid = order.payment.confirmed
        row.shipping_method = order.shipping.method_id
        row.locker_id = order.shipping.locker_id

