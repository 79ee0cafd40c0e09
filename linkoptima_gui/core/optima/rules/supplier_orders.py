"""What both writers check before an order to a supplier (ZD 309000) is booked.

The ZD is found by its request's reference (``TrN_NumerObcy``) first, in the buffer or
confirmed, so a second press of the button, a retry after a timeout or a crash between the
save and the answer never makes a second ZD. The supplier must be a contractor card, every line
an active goods item with a positive quantity; the price is Optima's purchase price (list 1),
net, as a ZD is counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.engine import Connection

from ...errors import PermanentError
from .. import queries as q
from ..port import DocumentRef, SupplierOrder
from ..schema import Kontrahenci, Towary, TraNag, TwrCeny

#: Optima's price number of the purchase price (``TwC_TwCNumer`` 1, "cena zakupu")
PURCHASE_PRICE = 1
#: the longest reference ``TrN_NumerObcy`` keeps
REFERENCE_LENGTH = 256


def existing_supplier_order(conn: Connection, reference: str) -> DocumentRef | None:
    """The ZD already booked for this request (buffered or confirmed, not cancelled)."""
    row = conn.execute(
        select(TraNag.c.TrN_TrNID, TraNag.c.TrN_NumerPelny)
        .where(TraNag.c.TrN_TypDokumentu == q.ZD_TYPE, TraNag.c.TrN_NumerObcy == reference,
               TraNag.c.TrN_Anulowany == 0)
        .order_by(TraNag.c.TrN_TrNID)
        .limit(1)
    ).first()
    return DocumentRef(id=int(row[0]), number=str(row[1])) if row else None


def check_supplier_order(conn: Connection, order: SupplierOrder) -> tuple[Mapping[str, Any], dict[str, Mapping[str, Any]]]:
    """The supplier's card and the lines' item cards (with their purchase price as
    ``purchase_price``); anything Optima could not take stops the booking with the reason."""
    if not order.reference or not order.reference.isascii() or len(order.reference) > REFERENCE_LENGTH:
        raise PermanentError(f"Nieprawidłowy klucz zamówienia „{order.reference}”", code="invalid_reference",
                             details={"reference": order.reference})
    if not order.lines:
        raise PermanentError("Zamówienie do dostawcy nie ma pozycji", code="empty_order", details={})
    supplier = conn.execute(select(Kontrahenci).where(Kontrahenci.c.Knt_KntId == order.supplier_id)).mappings().first()
    if supplier is None:
        raise PermanentError(f"Nie ma w Optimie dostawcy o identyfikatorze {order.supplier_id}",
                             code="unknown_supplier", details={"supplier_id": order.supplier_id})
    codes = [line.code for line in order.lines]
    price = and_(TwrCeny.c.TwC_TwrID == Towary.c.Twr_TwrId, TwrCeny.c.TwC_TwCNumer == PURCHASE_PRICE)
    rows = conn.execute(
        select(Towary, TwrCeny.c.TwC_Wartosc.label("purchase_price"))
        .select_from(Towary.outerjoin(TwrCeny, price))
        .where(Towary.c.Twr_Kod.in_(codes))
    ).mappings().all()
    items = {row["Twr_Kod"]: row for row in rows}
    for line in order.lines:
        item = items.get(line.code)
        if item is None or item["Twr_NieAktywny"] or item["Twr_Typ"] != q.GOODS:
            raise PermanentError(f"Towaru „{line.code}” nie można zamówić: nie ma go w Optimie lub nie jest "
                                 "aktywnym towarem", code="unknown_sku", details={"sku": line.code})
        if line.quantity <= 0:
            raise PermanentError(f"Ilość towaru „{line.code}” musi być dodatnia (jest {line.quantity})",
                                 code="invalid_line", details={"sku": line.code, "quantity": str(line.quantity)})
    return supplier, items


def purchase_price(item: Mapping[str, Any]) -> Decimal:
    """The item's net purchase price (0 when the card has none: a person fills it in)."""
    value = item.get("purchase_price")
    return Decimal(value) if value is not None else Decimal(0)
