"""From the "do zamówienia" table to Optima: one ZD per supplier of the chosen lines, kept in
the buffer for a person to confirm; and the table as CSV for whoever orders by e-mail.

A request gets its key when the person confirms it (``request_key``); each supplier's ZD
carries ``<key>/<supplier>`` as ``TrN_NumerObcy``, and the writer returns the ZD that already
carries it instead of booking another. So a retry after a timeout, or the button pressed again
with the same request, never books a second ZD; the audit log says who booked which.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session, sessionmaker

from ..engine import audit
from ..errors import PermanentError
from ..optima.port import DocumentRef, OptimaWriter, SupplierOrder, SupplierOrderLine
from .figures import StockCover

#: the columns of the CSV export, in Polish as the person reads them
CSV_HEADER = ("kod", "nazwa", "jm", "dostawca", "dostępne", "sprzedaż", "dziennie", "dni zapasu",
              "czas dostawy (dni)", "sugerowana ilość", "zamówić")


@dataclass(frozen=True)
class ChosenLine:
    """A line of the table the person ticked, with the quantity they want."""

    cover: StockCover
    quantity: Decimal


def request_key() -> str:
    """A new request's key: short, ASCII, unique (``TrN_NumerObcy`` of its ZDs)."""
    return f"LO-ZD-{uuid.uuid4().hex[:12].upper()}"


def book_supplier_orders(writer: OptimaWriter, sessions: sessionmaker[Session], lines: Sequence[ChosenLine],
                         key: str, *, actor: str, station: str = "") -> list[DocumentRef]:
    """Book one ZD per supplier of ``lines`` (in the buffer); lines without a supplier on the
    item's card are refused with their codes before anything is booked."""
    chosen = [line for line in lines if line.quantity > 0]
    if not chosen:
        raise PermanentError("Zaznacz co najmniej jedną pozycję z ilością do zamówienia.", code="empty_order")
    orphans = [line.cover.code for line in chosen if line.cover.supplier_id is None]
    if orphans:
        raise PermanentError("Towary bez dostawcy na karcie w Optimie: " + ", ".join(orphans)
                             + ". Uzupełnij dostawcę albo odznacz je.", code="unknown_supplier",
                             details={"codes": orphans})
    by_supplier: dict[int, list[ChosenLine]] = {}
    for line in chosen:
        by_supplier.setdefault(int(line.cover.supplier_id or 0), []).append(line)
    booked = []
    for supplier_id, supplier_lines in sorted(by_supplier.items()):
        order = SupplierOrder(reference=f"{key}/{supplier_id}", supplier_id=supplier_id,
                              lines=tuple(SupplierOrderLine(line.cover.code, line.quantity) for line in supplier_lines),
                              note=f"Z Pulpitu LinkOptima ({actor or station}): pozycje do zamówienia")
        document = writer.create_supplier_order(order)
        booked.append(document)
        with sessions.begin() as session:
            audit.record(session, "supplier_order", f"ZD {document.number} w buforze Optimy: "
                         + ", ".join(f"{line.cover.code} × {line.quantity}" for line in supplier_lines),
                         actor=actor or "console", station=station,
                         details={"reference": order.reference, "zd": document.number,
                                  "lines": {line.cover.code: str(line.quantity) for line in supplier_lines}})
    return booked


def _number(value: Decimal | float) -> str:
    """Decimal comma, as a Polish spreadsheet reads it."""
    text = f"{value:.2f}" if isinstance(value, float) else format(value.normalize(), "f")
    return text.replace(".", ",")


def reorder_csv(covers: Iterable[StockCover], quantities: dict[str, Decimal] | None = None) -> str:
    """The table as CSV (semicolons and decimal commas, for a Polish Excel), one row per item;
    ``quantities``: what the person set to order (default: the suggestion)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for c in covers:
        order = (quantities or {}).get(c.code, c.suggested)
        cover = "" if c.days_of_cover == float("inf") else _number(round(c.days_of_cover, 1))
        writer.writerow((c.code, c.name, c.unit, c.supplier, _number(c.available), _number(c.sold), _number(c.per_day),
                         cover, c.lead_time_days, _number(c.suggested), _number(order)))
    return out.getvalue()
