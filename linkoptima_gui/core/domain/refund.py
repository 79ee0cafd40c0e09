"""A refund made in the shop, and the corrections of the FA it calls for.

WooCommerce keeps a refund as its own object (reference/corrections.md §1.2): copies of the
order's items with negative quantities and totals, each naming the order item it refunds in
its ``_refunded_item_id`` meta, and an ``amount`` that WooCommerce never checks against those
lines. The shop's refund is the trigger and the line source; Optima is the document and stock
master (§5). So the plan maps each refunded item to the FA line it was booked as (the order
line's place = ``TrE_Lp``), splits goods that came back (a quantity correction: stock comes back
through the WZ correction) from money with no goods (a value correction: shipping, a discount
for a broken item), checks what is left of each line after earlier corrections (case E), and
compares the refund's amount with what the corrections are worth at the FA's prices (case G).
Whatever cannot be decided without inventing an allocation goes to a person with the figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import PermanentError
from .correction import CorrectionKind, CorrectionLine, CorrectionRequest
from .invoice import InvoiceLine
from .money import ZERO, money, round_grosz
from .order import Order

#: the meta WooCommerce puts on a refund line: the order item it refunds
REFUNDED_ITEM_META = "_refunded_item_id"
#: the meta the console puts on a refund it creates itself (a return booked at the station)
RETURN_KEY_META = "_linkoptima_return"
#: how far the refund's amount may be from the corrections' value (rounding), per VAT rate
ROUNDING = Decimal("0.01")


@dataclass(frozen=True)
class RefundLine:
    """What a refund gives back of one order item: pieces (> 0: goods came back) and money."""

    item_id: int
    quantity: Decimal
    gross: Decimal


@dataclass(frozen=True)
class ShopRefund:
    id: int
    amount: Decimal
    reason: str
    created_gmt: str
    refunded_payment: bool  # the gateway returned the money (``api_refund``)
    lines: tuple[RefundLine, ...]

    @property
    def key(self) -> str:
        """The idempotency key of its corrections in Optima (``TrN_NumerObcy``)."""
        return f"ZW-{self.id}"

    @property
    def issue_date(self) -> date:
        try:
            return date.fromisoformat(self.created_gmt[:10])
        except ValueError:
            return date.today()


@dataclass(frozen=True)
class LineLeft:
    """What is left of one FA line after the corrections booked so far."""

    position: int
    code: str
    is_service: bool
    quantity: Decimal
    gross: Decimal
    unit_gross: Decimal


def _refunded_item(line: Mapping[str, Any]) -> int:
    for meta in line.get("meta_data") or []:
        if meta.get("key") == REFUNDED_ITEM_META:
            try:
                return int(meta.get("value"))
            except (TypeError, ValueError):
                break
    raise PermanentError("Pozycja zwrotu w sklepie nie wskazuje pozycji zamówienia (_refunded_item_id).",
                         code="refund_bad_line", details={"line": dict(line)})


def parse_refund(raw: Mapping[str, Any]) -> ShopRefund:
    """The shop's refund object as the plan needs it (quantities and money as positive numbers)."""
    lines = []
    for kind in ("line_items", "shipping_lines", "fee_lines"):
        for line in raw.get(kind) or []:
            quantity = abs(Decimal(str(line.get("quantity") or 0))) if kind == "line_items" else ZERO
            gross = abs(money(line.get("total") or 0)) + abs(money(line.get("total_tax") or 0))
            if quantity or gross:
                lines.append(RefundLine(_refunded_item(line), quantity, gross))
    return ShopRefund(
        id=int(raw["id"]), amount=abs(money(raw.get("amount") or 0)), reason=str(raw.get("reason") or ""),
        created_gmt=str(raw.get("date_created_gmt") or raw.get("date_created") or ""),
        refunded_payment=bool(raw.get("refunded_payment")), lines=tuple(lines),
    )


def lines_left(order: Order, fa_lines: Sequence[InvoiceLine],
               earlier: Sequence[Sequence[InvoiceLine]]) -> dict[int, LineLeft]:
    """Each FA line (by ``TrE_Lp``) minus the earlier corrections' differences."""
    services = {i: line.is_service for i, line in enumerate(order.lines, 1)}
    left = {line.position: [line.code, line.quantity, line.gross, line.unit_gross] for line in fa_lines}
    for correction in earlier:
        for delta in correction:
            if delta.position in left:
                left[delta.position][1] += delta.quantity
                left[delta.position][2] += delta.gross
    return {pos: LineLeft(pos, code, services.get(pos, False), qty, gross, unit)
            for pos, (code, qty, gross, unit) in left.items()}


def _refused(reason: str, code: str, refund: ShopRefund, **details: Any) -> PermanentError:
    return PermanentError(reason, code=code, details={"refund_id": refund.id, "amount": str(refund.amount), **details})


def plan_corrections(refund: ShopRefund, order: Order, left: Mapping[int, LineLeft]) -> tuple[CorrectionRequest, ...]:
    """The corrections one refund calls for: a quantity correction for goods back, a value
    correction for money with no goods (both when the refund has both), keyed by the refund."""
    position_of = {line.item_id: i for i, line in enumerate(order.lines, 1) if line.item_id}
    quantity: list[CorrectionLine] = []
    value: list[CorrectionLine] = []
    expected = ZERO
    if not refund.lines:
        return _full_return(refund, left)
    for line in refund.lines:
        position = position_of.get(line.item_id)
        here = left.get(position or 0)
        if here is None:
            raise _refused(f"Zwrot {refund.id} wskazuje pozycję zamówienia {line.item_id}, której nie ma na fakturze.",
                           "refund_unknown_line", refund, item_id=line.item_id)
        if line.quantity and not here.is_service:
            if line.quantity > here.quantity:
                raise _refused(f"Zwrot {refund.id}: {line.quantity} szt. {here.code}, a na fakturze po korektach "
                               f"zostało {here.quantity}.", "refund_too_large", refund, item=here.code)
            quantity.append(CorrectionLine(position, here.code, quantity=-line.quantity))
            expected += round_grosz(here.unit_gross * line.quantity)
        else:
            if line.gross > here.gross:
                raise _refused(f"Zwrot {refund.id}: {line.gross} zł za {here.code}, a na fakturze po korektach "
                               f"zostało {here.gross} zł.", "refund_too_large", refund, item=here.code)
            value.append(CorrectionLine(position, here.code, gross=-line.gross))
            expected += line.gross
    _check_amount(refund, expected, len({*(c.position for c in quantity), *(c.position for c in value)}))
    return _requests(refund, quantity, value)


def _full_return(refund: ShopRefund, left: Mapping[int, LineLeft]) -> tuple[CorrectionRequest, ...]:
    """A refund with no lines (an amount, or the status "refunded" set by hand): a full return
    when it is all that is left of the invoice; any smaller amount cannot be allocated without
    inventing it, so a person decides."""
    remaining = sum((here.gross for here in left.values()), ZERO)
    if abs(refund.amount - remaining) > ROUNDING:
        raise _refused(f"Zwrot {refund.id} na {refund.amount} zł nie wskazuje pozycji, a na fakturze zostało "
                       f"{remaining} zł: nie wiadomo, czego dotyczy. Zdecyduj (korekta ręczna w Optimie) i pomiń.",
                       "refund_amount_only", refund, left=str(remaining))
    quantity = [CorrectionLine(h.position, h.code, quantity=-h.quantity)
                for h in left.values() if not h.is_service and h.quantity > 0]
    value = [CorrectionLine(h.position, h.code, gross=-h.gross) for h in left.values() if h.is_service and h.gross > 0]
    return _requests(refund, quantity, value)


def _check_amount(refund: ShopRefund, expected: Decimal, positions: int) -> None:
    """WooCommerce lets the amount differ from its lines (a coupon, a goodwill sum): within
    rounding it is the same refund; beyond that the books would say something the money does
    not, so a person looks at both figures (never an allocation of our own)."""
    if abs(refund.amount - expected) > ROUNDING * max(1, positions):
        raise _refused(f"Zwrot {refund.id}: kwota {refund.amount} zł, a pozycje zwrotu po cenach faktury to "
                       f"{expected} zł. Sprawdź zwrot w sklepie.", "refund_amount_mismatch", refund,
                       expected=str(expected))


def _requests(refund: ShopRefund, quantity: list[CorrectionLine],
              value: list[CorrectionLine]) -> tuple[CorrectionRequest, ...]:
    reason = refund.reason or "Zwrot towaru"
    requests = []
    if quantity:
        requests.append(CorrectionRequest(refund.key, CorrectionKind.QUANTITY, tuple(quantity), reason,
                                          refund.issue_date))
    if value:
        requests.append(CorrectionRequest(refund.key + ("-W" if quantity else ""), CorrectionKind.VALUE,
                                          tuple(value), refund.reason or "Zwrot części zapłaty", refund.issue_date))
    if not requests:
        raise _refused(f"Zwrot {refund.id} nie zwraca ani towaru, ani pieniędzy.", "refund_empty", refund)
    return tuple(requests)
