"""The rows Optima writes for an order to a supplier (ZD 309000) kept in the buffer.

A ZD is a ``TraNag`` header (the supplier as the document's party, with its name and address
snapshot), its ``TraElem`` lines at the purchase price, net (``TrN_TypNB`` 1), and the ``TraVat``
table of the purchase rates. It stays in the buffer (``TrN_Bufor`` 1): a person confirms it in
Optima, so it moves no stock and has no payment due. Runs inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ...domain.money import round_grosz
from ...domain.vat import VatRate, vat_table
from .. import queries as q
from ..port import DocumentRef, SupplierOrder
from ..rules.columns import CURRENCY, day_of, fit
from ..rules.master_data import Definition, warehouse_id
from ..rules.supplier_orders import purchase_price
from ..schema import TraNag
from ..settings import OptimaSettings
from .booking import new_guid, next_number, numer_string, stamps
from .documents import insert_lines, insert_vat_table, totals_columns

BUFFER = 1


def _supplier_snapshot(card: Mapping[str, Any]) -> dict[str, Any]:
    """The supplier's name and address as the ZD prints them (``TrN_Pod*``), from its card."""
    return {
        "TrN_PodNazwa1": card["Knt_Nazwa1"], "TrN_PodNazwa2": card["Knt_Nazwa2"], "TrN_PodNazwa3": card["Knt_Nazwa3"],
        "TrN_PodKraj": card["Knt_Kraj"], "TrN_PodUlica": card["Knt_Ulica"], "TrN_PodNrDomu": card["Knt_NrDomu"],
        "TrN_PodNrLokalu": card["Knt_NrLokalu"], "TrN_PodMiasto": card["Knt_Miasto"],
        "TrN_PodKodPocztowy": card["Knt_KodPocztowy"], "TrN_PodPoczta": card["Knt_Poczta"],
        "TrN_PodNipE": card["Knt_NipE"],
    }


def book_supplier_order(conn: Connection, settings: OptimaSettings, definition: Definition, order: SupplierOrder,
                        supplier: Mapping[str, Any], items: Mapping[str, Mapping[str, Any]],
                        now: datetime) -> DocumentRef:
    """Insert the buffered ZD with its lines and VAT table; return its reference."""
    magazyn = warehouse_id(conn, settings.warehouse)
    day = day_of(now)
    numer = numer_string(definition, now, warehouse=settings.warehouse)
    number = next_number(conn, TraNag.c.TrN_NumerString, TraNag.c.TrN_NumerNr, numer)
    lines = []
    for position, line in enumerate(order.lines, start=1):
        item = items[line.code]
        price = purchase_price(item)
        net = round_grosz(price * line.quantity)
        rate = VatRate.from_optima(item["Twr_StawkaZak"], item["Twr_FlagaZak"])
        vat = round_grosz(net * rate.percent / 100)
        lines.append((rate, net, {
            "TrE_Lp": position, "TrE_Aktywny": 1, "TrE_TwrId": item["Twr_TwrId"], "TrE_MagId": magazyn,
            "TrE_TwrKod": item["Twr_Kod"], "TrE_TwrNazwa": item["Twr_Nazwa"], "TrE_TwrEAN": item["Twr_EAN"],
            "TrE_TwrNumerKat": item["Twr_NumerKat"], "TrE_TwrKodDostawcy": item["Twr_KodDostawcy"],
            "TrE_TwrTyp": item["Twr_Typ"], "TrE_Stawka": rate.percent, "TrE_Flaga": rate.optima_flag,
            "TrE_TypNB": 1, "TrE_Cena0": price, "TrE_CenaT": price, "TrE_CenaW": price, "TrE_Cena0WD": price,
            "TrE_CenaWWD": price, "TrE_Waluta": CURRENCY, "TrE_KursL": Decimal(1), "TrE_KursM": Decimal(1),
            "TrE_Ilosc": line.quantity, "TrE_IloscJM": line.quantity, "TrE_Jm": item["Twr_JM"],
            "TrE_JmCalkowite": item["Twr_JMCalkowite"], "TrE_WartoscNetto": net, "TrE_WartoscBrutto": net + vat,
            "TrE_WartoscNettoWal": net, "TrE_WartoscBruttoWal": net + vat,
        }))
    vat_rows = vat_table(((rate, net) for rate, net, _ in lines), from_gross=False)
    header: dict[str, Any] = {
        "TrN_DDfId": definition.id,
        "TrN_TypDokumentu": q.ZD_TYPE,
        "TrN_Rodzaj": q.ZD_KIND,
        "TrN_NumerString": numer,
        "TrN_NumerNr": number,
        "TrN_Bufor": BUFFER,
        "TrN_Anulowany": 0,
        "TrN_DataDok": day, "TrN_DataWys": day, "TrN_DataOpe": day, "TrN_DataKur": day, "TrN_Termin": day,
        "TrN_NumerObcy": order.reference,
        "TrN_PodmiotTyp": q.CONTRACTOR,
        "TrN_PodID": supplier["Knt_KntId"],
        **_supplier_snapshot(supplier),
        "TrN_PodatekVat": 1,
        "TrN_Waluta": CURRENCY,
        "TrN_KursL": Decimal(1),
        "TrN_KursM": Decimal(1),
        "TrN_MagZrdId": magazyn,
        "TrN_TypNB": 1,
        "TrN_Opis": fit(order.note, 1024),
        "TrN_ImportRowId": new_guid(),
        **totals_columns(vat_rows),
        **stamps("TrN", now, settings.operator),
    }
    document_id = int(conn.execute(TraNag.insert(), header).inserted_primary_key[0])
    header["TrN_TrNID"] = document_id
    insert_lines(conn, header, [row for _, _, row in lines])
    insert_vat_table(conn, document_id, vat_rows)
    stored = conn.execute(select(TraNag.c.TrN_NumerPelny).where(TraNag.c.TrN_TrNID == document_id)).scalar_one()
    return DocumentRef(id=document_id, number=stored)
