"""What Optima refuses, and with which code: checked before anything is written.

Both writers run these checks at the same points, so an order stops with the same reason and
code (``unknown_sku``, ``document_in_buffer``, ``already_settled``…) on a real Optima and in the
demo; the exceptions screen groups by the code, and a person fixes the cause and retries.
Idempotency lives here too: the confirmed FA of an order and the WZ of an FA are found before a
second one could be made, and a draft left in Optima's buffer stops the order instead of being
doubled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ...domain.money import ZERO
from ...domain.order import Order, OrderLine
from ...domain.vat import VatRate
from ...errors import PermanentError
from .. import queries as q
from ..port import DocumentRef
from ..schema import Towary, TraNag
from ..settings import OptimaSettings
from .columns import CURRENCY

#: How far the order's lines may add up away from its total (one grosz of rounding).
RECONCILE_TOLERANCE = Decimal("0.01")


def config_error(reason: str, **details: Any) -> PermanentError:
    """Optima lacks something the settings name (a warehouse, a definition, a register...)."""
    return PermanentError(reason, code="optima_config", details=details)


def check_order(order: Order) -> None:
    """Refuse what Optima could not book faithfully, before anything is written."""
    number = order.number or ""
    if not number or not number.isascii() or len(number) > 256:
        raise PermanentError(
            f"Numer zamówienia „{number}” nie zmieści się w TrN_NumerObcy (dozwolone znaki ASCII, do 256)",
            code="invalid_order_number",
            details={"order_number": number},
        )
    if order.currency.upper() != CURRENCY:
        raise PermanentError(
            f"Zamówienie {number} jest w walucie {order.currency}; księgujemy tylko w PLN",
            code="unsupported_currency",
            details={"currency": order.currency},
        )
    if not order.lines:
        raise PermanentError(f"Zamówienie {number} nie ma pozycji", code="empty_order", details={})
    for line in order.lines:
        if line.quantity <= 0:
            raise PermanentError(
                f"Pozycja „{line.name}” ma ilość {line.quantity}; faktura wymaga ilości dodatniej",
                code="invalid_line",
                details={"sku": line.sku, "quantity": str(line.quantity)},
            )
    lines_gross = sum((line.gross for line in order.lines), ZERO)
    if abs(lines_gross - order.total) > RECONCILE_TOLERANCE:
        raise PermanentError(
            f"Suma pozycji zamówienia {number} ({lines_gross} zł) różni się od kwoty zamówienia "
            f"({order.total} zł) o więcej niż 1 grosz",
            code="amount_mismatch",
            details={
                "lines_gross": str(lines_gross),
                "order_total": str(order.total),
                "difference": str(lines_gross - order.total),
            },
        )


def resolve_items(conn: Connection, lines: Sequence[OrderLine]) -> dict[str, Mapping[str, Any]]:
    """Item cards of the lines by ``Twr_Kod`` = SKU; an unknown or inactive one stops the booking."""
    codes = {line.sku for line in lines}
    rows = conn.execute(select(Towary).where(Towary.c.Twr_Kod.in_(codes))).mappings().all() if codes else []
    found = {row["Twr_Kod"]: row for row in rows}
    for line in lines:
        row = found.get(line.sku)
        if not line.sku:
            raise PermanentError(
                f"Pozycja „{line.name}” nie ma kodu towaru (SKU), więc nie ma jej czym zaksięgować w Optimie",
                code="unknown_sku",
                details={"sku": "", "name": line.name},
            )
        if row is None:
            raise PermanentError(
                f"Nie ma w Optimie towaru o kodzie „{line.sku}” (pozycja „{line.name}”)",
                code="unknown_sku",
                details={"sku": line.sku, "name": line.name},
            )
        if row["Twr_NieAktywny"]:
            raise PermanentError(
                f"Towar „{line.sku}” jest w Optimie nieaktywny",
                code="inactive_sku",
                details={"sku": line.sku, "name": line.name},
            )
    return found


def check_rates(lines: Sequence[OrderLine], items: Mapping[str, Mapping[str, Any]]) -> None:
    """Each line's VAT rate is its item card's: the FA takes the rate from the card (public code
    never sets a line's rate through COM), so a shop rate that differs would change the invoice."""
    for line in lines:
        item = items[line.sku]
        try:
            card = VatRate.from_optima(item["Twr_Stawka"], item["Twr_Flaga"]).label
        except ValueError:  # a rate the console does not book (NP...)
            card = f"{item['Twr_Stawka']} (flaga {item['Twr_Flaga']})"
        if card != line.rate.label:
            raise PermanentError(
                f"Pozycja „{line.name}” ma w sklepie stawkę VAT {line.rate.label}, a towar „{line.sku}” w Optimie "
                f"{card}: popraw stawkę w sklepie lub na karcie towaru",
                code="vat_rate_mismatch",
                details={"sku": line.sku, "shop_rate": line.rate.label, "optima_rate": card},
            )


def in_buffer(kind: str, number: str, reference: str) -> PermanentError:
    """A draft of the document waits in Optima's buffer: a person confirms or deletes it."""
    return PermanentError(
        f"W buforze Optimy jest już {kind} {number} dla {reference}: zatwierdź go lub usuń, "
        "zanim konsola wystawi dokument",
        code="document_in_buffer",
        details={"kind": kind, "number": number, "reference": reference},
    )


def existing_invoice(conn: Connection, order_number: str) -> DocumentRef | None:
    """The confirmed FA of the order; a draft one stops us (confirming it later would double it)."""
    rows = conn.execute(
        select(TraNag.c.TrN_TrNID, TraNag.c.TrN_NumerPelny, TraNag.c.TrN_Bufor)
        .where(
            TraNag.c.TrN_TypDokumentu == q.FA_TYPE,
            TraNag.c.TrN_NumerObcy == order_number,
            TraNag.c.TrN_Anulowany == 0,
            TraNag.c.TrN_Korekta == 0,
            TraNag.c.TrN_Bufor.in_((0, 1)),
        )
        .order_by(TraNag.c.TrN_Bufor, TraNag.c.TrN_TrNID)
    ).all()
    if not rows:
        return None
    if rows[0][2] == 0:
        return DocumentRef(id=int(rows[0][0]), number=rows[0][1])
    raise in_buffer("FA", rows[0][1], order_number)


def load_invoice(conn: Connection, invoice: DocumentRef) -> Mapping[str, Any]:
    """The confirmed FA a WZ or a payment refers to; anything else is refused."""
    row = conn.execute(select(TraNag).where(TraNag.c.TrN_TrNID == invoice.id)).mappings().first()
    if row is None or row["TrN_TypDokumentu"] != q.FA_TYPE or row["TrN_Korekta"]:
        raise PermanentError(
            f"Nie ma w Optimie faktury {invoice.number} (id {invoice.id})",
            code="invoice_not_found",
            details={"invoice_id": invoice.id, "number": invoice.number},
        )
    if row["TrN_Anulowany"] or row["TrN_Bufor"] != 0:
        raise PermanentError(
            f"Faktura {row['TrN_NumerPelny']} jest anulowana lub w buforze",
            code="invoice_not_confirmed",
            details={"invoice_id": invoice.id, "number": row["TrN_NumerPelny"]},
        )
    return row


def check_invoice_of_order(invoice: Mapping[str, Any], order_number: str) -> None:
    """A payment settles the FA of its own order, never another one's."""
    if invoice["TrN_NumerObcy"] != order_number:
        raise PermanentError(
            f"Faktura {invoice['TrN_NumerPelny']} należy do zamówienia {invoice['TrN_NumerObcy']}, "
            f"nie {order_number}",
            code="invoice_order_mismatch",
            details={"invoice": invoice["TrN_NumerPelny"], "order_number": order_number},
        )


def existing_wz(conn: Connection, invoice_id: int) -> Sequence[Mapping[str, Any]]:
    """Every not cancelled WZ pointing at the FA, confirmed or in the buffer."""
    return (
        conn.execute(
            select(TraNag.c.TrN_TrNID, TraNag.c.TrN_NumerPelny, TraNag.c.TrN_Bufor).where(
                TraNag.c.TrN_TypDokumentu == q.WZ_TYPE,
                TraNag.c.TrN_FaId == invoice_id,
                TraNag.c.TrN_Anulowany == 0,
                TraNag.c.TrN_Korekta == 0,
            )
        )
        .mappings()
        .all()
    )


def no_goods(invoice_id: int, number: str) -> PermanentError:
    """An FA of services only: there is nothing for a WZ to issue."""
    return PermanentError(
        f"Faktura {number} nie ma towarów (same usługi): nie ma czego wydać z magazynu",
        code="no_goods",
        details={"invoice_id": invoice_id, "number": number},
    )


def check_payment(order: Order, settings: OptimaSettings) -> str:
    """The register this order's money is booked into; refuse what must not be settled now."""
    route = settings.route_for(order.payment.method_id)
    if route.register is None:
        raise PermanentError(
            f"Płatność „{order.payment.title or order.payment.method_id}” zamówienia {order.number} "
            "nie jest rozliczana automatycznie (brak rejestru kasowego/bankowego w ustawieniach)",
            code="no_register",
            details={"method_id": order.payment.method_id},
        )
    if not order.payment.confirmed:
        raise PermanentError(
            f"Płatność zamówienia {order.number} nie jest potwierdzona; nie rozliczam faktury",
            code="payment_not_confirmed",
            details={"method_id": order.payment.method_id},
        )
    return route.register


def open_due(conn: Connection, invoice: Mapping[str, Any]) -> Mapping[str, Any]:
    """The FA's payment due that is still open; settled by something else, or none, stops us."""
    dues = conn.execute(q.document_dues_query(invoice["TrN_TrNID"])).mappings().all()
    for due in dues:
        if due["BZd_Rozliczono"] == q.OPEN:
            return due
    number = invoice["TrN_NumerPelny"]
    if dues:
        raise PermanentError(
            f"Należność faktury {number} jest już rozliczona innym dokumentem w Optimie",
            code="already_settled",
            details={"invoice_id": invoice["TrN_TrNID"], "number": number},
        )
    raise PermanentError(
        f"Faktura {number} nie ma w Optimie należności do rozliczenia",
        code="no_due",
        details={"invoice_id": invoice["TrN_TrNID"], "number": number},
    )
