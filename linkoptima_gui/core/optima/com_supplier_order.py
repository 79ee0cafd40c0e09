"""The order to a supplier (ZD 309000) booked through Optima's COM objects, into the buffer.

One job on the COM thread, as every booking of ``ComOptimaWriter``: look in the books for a ZD
that already carries the request's reference (``TrN_NumerObcy``), check the supplier and the
items with the rules the simulated Optima keeps (``rules/supplier_orders``), write the document
through ``CDN.DokumentyHaMag`` and read the result back from the books.

COM names used, all seen in public integrators' code that books a ZD 309000 or other trade
documents (reference/optima-com.md §1.5, §1.6, §1.13): ``DokumentyHaMag.AddNew``, ``Rodzaj``
309000 with ``TypDokumentu`` 309, ``Numerator.DefinicjaDokumentu``, ``Bufor`` 1 (a ZD left in the
buffer, as three public importers leave theirs), ``DataDok``, ``Podmiot``, ``MagazynZrodlowyID``,
``TypNB``, ``NumerObcy``, ``Elementy.AddNew`` with ``TowarKod``, ``Ilosc`` and ``WartoscNetto``.
``Uwagi`` (the document's remark) is seen in one repository only; nothing here is unseen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from ..domain.money import round_grosz
from . import queries as q
from .com_session import ComContext
from .port import DocumentRef, SupplierOrder
from .rules.columns import day_of, fit
from .rules.master_data import find_definition, warehouse_id
from .rules.supplier_orders import check_supplier_order, existing_supplier_order, purchase_price
from .settings import OptimaSettings

DOCUMENTS = "CDN.DokumentyHaMag"
CONTRACTORS = "CDN.Kontrahenci"
DEFINITIONS = "CDN.DefinicjeDokumentow"
#: a ZD stays in the buffer for a person to confirm
BUFFER = 1


def book_supplier_order_com(com: ComContext, books: Engine, settings: OptimaSettings, order: SupplierOrder,
                            clock: Callable[[], datetime]) -> DocumentRef | None:
    """The job: the existing ZD of the request, or a new one saved through COM and read back
    (None when the books do not show it after the save: the caller says so)."""
    with books.connect() as conn:
        found = existing_supplier_order(conn, order.reference)
        if found is not None:
            return found
        _, items = check_supplier_order(conn, order)
        definition = find_definition(conn, settings.supplier_order_definition, q.ZD_TYPE).id
        warehouse = warehouse_id(conn, settings.warehouse)
    doc = com.create(DOCUMENTS).AddNew(None)
    doc.Rodzaj = q.ZD_KIND
    doc.TypDokumentu = q.ZD_TYPE
    doc.Numerator.DefinicjaDokumentu = com.create(DEFINITIONS).Item(f"DDf_DDfID={definition}")
    doc.Bufor = BUFFER
    doc.DataDok = day_of(clock())
    doc.Podmiot = com.create(CONTRACTORS).Item(f"Knt_KntId={int(order.supplier_id)}")
    doc.MagazynZrodlowyID = warehouse
    doc.TypNB = 1
    doc.NumerObcy = order.reference
    if order.note:
        doc.Uwagi = fit(order.note, 1024)
    for line in order.lines:
        element = doc.Elementy.AddNew(None)
        element.TowarKod = line.code
        element.Ilosc = line.quantity
        element.WartoscNetto = round_grosz(purchase_price(items[line.code]) * line.quantity)
    com.session.Save()
    with books.connect() as conn:
        return existing_supplier_order(conn, order.reference)
