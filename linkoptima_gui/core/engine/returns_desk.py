"""A returned parcel booked at the packing station ("zwrot" mode): the refund made in the shop.

The packer scans the order number, ticks the pieces that came back (and the shipping), and the
console creates the refund in the shop exactly as the shop's staff would in its admin; the
intake then finds it in the order's ``refunds`` like any other and the engine books the
correction in Optima (``refund_intake``, ``refund_steps``). So this service writes nothing to
Optima and plans no job itself: one path for every refund, wherever it was made.

- Idempotent: the form carries a key made when it was opened; the refund carries it in its meta
  (``_linkoptima_return``) and is looked up by it before one is created, so a second press, or a
  press after a timeout whose refund the shop did make, never refunds twice.
- ``api_refund`` only by a setting (default off) and only for an online payment: a gateway that
  cannot refund makes WooCommerce refuse the whole refund (reference/corrections.md §1.2), and
  cash on delivery or a transfer is paid back by hand anyway. ``api_restock`` is on: the shop's
  stock gets the pieces back at once (Optima's comes with the confirmed correction).
- Refused in Polish: an order with no FA yet (nothing to correct; cancel it in the shop), more
  pieces than are left after the earlier refunds, or nothing ticked.

Qt-free: the station calls it on its action lane, a headless tool could call it directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..domain.money import ZERO, money
from ..domain.refund import REFUNDED_ITEM_META
from ..domain.steps import Step, StepState
from ..errors import PermanentError, RetryableError
from ..store.models import JobRow, OrderRow
from ..woo.refund_lines import refund_amount, refund_line
from ..woo.refunds import REFUND_KEY
from . import audit
from .events import EventBus


class ReturnRefused(PermanentError):
    """The return cannot be booked as asked; the reason says why, in Polish."""

    code = "return_refused"


@dataclass(frozen=True)
class ReturnLine:
    """One order item the packer may tick back."""

    item_id: int
    name: str
    sku: str
    ordered: Decimal
    left: Decimal  # pieces not refunded yet
    unit_gross: Decimal
    shipping: bool = False  # a shipping line: all of it or nothing, no pieces


@dataclass(frozen=True)
class ReturnForm:
    """What the station shows of an order coming back, and the key its refund will carry."""

    order_id: int
    shop_order_id: int
    number: str
    buyer_name: str
    fa_number: str
    payment_kind: str
    lines: tuple[ReturnLine, ...]
    refunded: Decimal  # refunded in the shop so far
    key: str
    #: the shop's order items by id, as the refund body needs them
    raw_items: Mapping[int, Mapping[str, Any]] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class ReturnSaved:
    refund_id: int
    amount: Decimal
    created: bool  # False: the shop already had it (a second press, a timeout)
    number: str


def _refunded_pieces(refunds: list[Mapping[str, Any]]) -> tuple[dict[int, Decimal], dict[int, Decimal], Decimal]:
    """Pieces and gross refunded so far per order item, and the refunds' total."""
    pieces: dict[int, Decimal] = {}
    gross: dict[int, Decimal] = {}
    total = ZERO
    for refund in refunds:
        total += abs(money(refund.get("amount") or 0))
        for kind in ("line_items", "shipping_lines", "fee_lines"):
            for line in refund.get(kind) or []:
                item = next((m.get("value") for m in line.get("meta_data") or []
                             if m.get("key") == REFUNDED_ITEM_META), None)
                try:
                    item_id = int(item)  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    continue
                pieces[item_id] = pieces.get(item_id, ZERO) + abs(Decimal(str(line.get("quantity") or 0)))
                gross[item_id] = (gross.get(item_id, ZERO) + abs(money(line.get("total") or 0))
                                  + abs(money(line.get("total_tax") or 0)))
    return pieces, gross, total


def _gross(item: Mapping[str, Any]) -> Decimal:
    return money(item.get("total") or 0) + money(item.get("total_tax") or 0)


class ReturnsDesk:
    """Opens an order for a return and creates its refund in the shop (module docstring)."""

    def __init__(self, session_factory: sessionmaker[Session], shop: Any, bus: EventBus | None = None, *,
                 api_refund: bool = False, wake_engine: Callable[[], None] = lambda: None) -> None:
        self._sessions = session_factory
        self._shop = shop
        self._bus = bus
        self.api_refund = api_refund
        self._wake = wake_engine

    def open(self, code: str) -> ReturnForm:
        """The order ``code`` names (its number, or the parcel's tracking number) as a return form,
        with what is left of each item after the refunds the shop already has."""
        text = code.strip().lstrip("#").strip()
        if not text:
            raise ReturnRefused("Zeskanuj lub wpisz numer zamówienia.")
        with self._sessions() as session:
            order = session.scalar(select(OrderRow).where((OrderRow.number == text) | (OrderRow.tracking_number == text))
                                   .order_by(OrderRow.id.desc()).limit(1))
            if order is None:
                raise ReturnRefused(f"Nie ma zamówienia {text}.", details={"code": text})
            fa = session.scalar(select(JobRow.state).where(JobRow.order_id == order.id, JobRow.step == Step.FA.value))
            if not order.fa_number or fa != StepState.DONE.value:
                raise ReturnRefused(
                    f"Zamówienie {order.number} nie ma jeszcze faktury (FA): nie ma czego korygować. Anuluj je w "
                    "sklepie albo poczekaj na fakturę.", details={"order": order.number})
            order_id, shop_order_id, number = order.id, order.shop_order_id, order.number
            buyer, fa_number, payment_kind = order.buyer_name, order.fa_number, order.payment_kind
        raw = self._shop.get_order(shop_order_id)
        pieces, gross, refunded = _refunded_pieces(self._shop.order_refunds(shop_order_id))
        lines, items = [], {}
        for item in raw.get("line_items") or []:
            ordered = Decimal(str(item.get("quantity") or 0))
            if ordered <= 0:
                continue
            item_id = int(item["id"])
            items[item_id] = item
            lines.append(ReturnLine(item_id, str(item.get("name") or ""), str(item.get("sku") or ""), ordered,
                                    max(ZERO, ordered - pieces.get(item_id, ZERO)),
                                    money(_gross(item) / ordered)))
        for item in raw.get("shipping_lines") or []:
            left = _gross(item) - gross.get(int(item["id"]), ZERO)
            if _gross(item) <= 0:
                continue
            items[int(item["id"])] = item
            lines.append(ReturnLine(int(item["id"]), str(item.get("method_title") or "Dostawa"), "", Decimal(1),
                                    Decimal(1) if left > 0 else ZERO, _gross(item), shipping=True))
        return ReturnForm(order_id, shop_order_id, number, buyer, fa_number, payment_kind, tuple(lines), refunded,
                          key=f"zwrot-{order_id}-{uuid.uuid4().hex[:12]}", raw_items=items)

    def body(self, form: ReturnForm, quantities: Mapping[int, Decimal | int], reason: str) -> dict[str, Any]:
        """The refund's body for the pieces ticked (item id -> pieces; a shipping line: 1), checked
        against what is left."""
        by_id = {line.item_id: line for line in form.lines}
        lines = []
        for item_id, wanted in quantities.items():
            pieces = Decimal(str(wanted))
            if pieces <= 0:
                continue
            line = by_id.get(item_id)
            if line is None:
                raise ReturnRefused(f"Zamówienie {form.number} nie ma pozycji {item_id}.")
            if pieces > line.left:
                raise ReturnRefused(f"{line.name}: zwrot {pieces:g} szt., a do zwrotu zostało {line.left:g} "
                                    f"(zamówiono {line.ordered:g}).", details={"item_id": item_id})
            lines.append(refund_line(form.raw_items[item_id], None if line.shipping else pieces))
        if not lines:
            raise ReturnRefused("Zaznacz, co wróciło: co najmniej jedną sztukę albo dostawę.")
        online = form.payment_kind == "online"
        return {
            "amount": str(refund_amount(lines)),
            "reason": reason.strip() or "Zwrot towaru",
            "api_refund": bool(self.api_refund and online),
            "api_restock": True,
            "line_items": lines,
            "meta_data": [{"key": REFUND_KEY, "value": form.key}],
        }

    def save(self, form: ReturnForm, quantities: Mapping[int, Decimal | int], reason: str, *, actor: str,
             station: str = "") -> ReturnSaved:
        """Create the refund in the shop once (looked up by the form's key first), note it in the
        order's log and wake the engine, whose intake finds it and books the correction."""
        body = self.body(form, quantities, reason)
        existing = self._shop.find_refund_with_key(form.shop_order_id, form.key)
        created = existing is None
        if existing is None:
            try:
                existing = self._shop.create_refund(form.shop_order_id, body)
            except RetryableError as exc:  # no answer: the shop may have made it all the same
                existing = self._shop.find_refund_with_key(form.shop_order_id, form.key)
                if existing is None:
                    raise RetryableError(
                        f"Sklep nie potwierdził zwrotu zamówienia {form.number} ({exc.reason}). Spróbuj ponownie: "
                        "zwrot nie zostanie zapisany dwa razy.", code="shop_unreachable", details=exc.details) from exc
        saved = ReturnSaved(int(existing["id"]), abs(money(existing.get("amount") or body["amount"])), created,
                            form.number)
        if created:
            with self._sessions.begin() as session:
                audit.record(session, "return_desk",
                             f"Zwrot przyjęty na stanowisku: zwrot {saved.refund_id} w sklepie ({saved.amount} zł). "
                             f"Powód: {body['reason']}", order_id=form.order_id, actor=actor, station=station,
                             details={"refund_id": saved.refund_id, "key": form.key, "amount": str(saved.amount),
                                      "api_refund": body["api_refund"]})
        if self._bus is not None:
            self._bus.orders_changed(form.order_id)
        self._wake()
        return saved
