"""The rows Optima writes for a sales invoice (FA 302000) and its goods issue (WZ 306000).

An FA is a ``TraNag`` header, its ``TraElem`` lines, the ``TraVat`` table (per rate, computed
from the summed net or gross the way Optima does) and one payment due in ``BnkZdarzenia``. Its WZ
copies the goods lines (services have no stock), points back with ``TrN_FaId`` and lowers the
dated stock snapshots in ``TwrIlosci``. Functions here run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ...domain.money import ZERO, round_grosz
from ...domain.order import Buyer, BuyerKind, Order, OrderLine
from ...domain.vat import VatRate, VatRow, totals, vat_table
from .. import queries as q
from ..port import ContractorRef, DocumentRef
from ..rules.columns import (
    CURRENCY,
    country_name,
    day_of,
    export_kind,
    fit,
    invoice_description,
    split_name,
    split_street,
    unit_price,
)
from ..rules.master_data import Definition, payment_form, warehouse_id
from ..rules.refusals import check_rates, resolve_items
from ..schema import BnkZdarzenia, TraElem, TraNag, TraVat, full_number
from ..settings import OptimaSettings
from .booking import confirmed_document, new_guid, next_number, numer_string, stamps


def buyer_snapshot(buyer: Buyer, prefix: str) -> dict[str, Any]:
    """The buyer's name and address as printed (``TrN_Pod*`` / ``TrN_Odb*``), frozen at issue."""
    name1, name2, name3 = split_name(buyer.display_name)
    street, house, flat = split_street(buyer.address.street)
    company = buyer.kind is BuyerKind.COMPANY
    return {
        f"TrN_{prefix}Nazwa1": name1,
        f"TrN_{prefix}Nazwa2": name2,
        f"TrN_{prefix}Nazwa3": name3,
        f"TrN_{prefix}Kraj": country_name(buyer.address.country),
        f"TrN_{prefix}Ulica": street,
        f"TrN_{prefix}NrDomu": house,
        f"TrN_{prefix}NrLokalu": flat,
        f"TrN_{prefix}Miasto": fit(buyer.address.city, 40),
        f"TrN_{prefix}KodPocztowy": fit(buyer.address.postcode, 10),
        f"TrN_{prefix}Poczta": fit(buyer.address.city, 40),
        f"TrN_{prefix}NipE": buyer.nip if company else "",
    }


def line_row(
    position: int, line: OrderLine, item: Mapping[str, Any], *, from_gross: bool, magazyn: int
) -> dict[str, Any]:
    """One ``TraElem`` row: values as the order gives them, unit price net or gross per TypNB."""
    price = unit_price(line.gross if from_gross else line.net, line.quantity)
    return {
        "TrE_Lp": position,
        "TrE_Aktywny": 1,
        "TrE_TwrId": item["Twr_TwrId"],
        "TrE_MagId": magazyn,
        "TrE_TwrKod": item["Twr_Kod"],
        "TrE_TwrNazwa": item["Twr_Nazwa"],
        "TrE_TwrEAN": item["Twr_EAN"],
        "TrE_TwrNumerKat": item["Twr_NumerKat"],
        "TrE_TwrSWW": item["Twr_SWW"],
        "TrE_TwrTyp": item["Twr_Typ"],
        "TrE_Stawka": line.rate.percent,
        "TrE_Flaga": line.rate.optima_flag,
        "TrE_TypNB": 2 if from_gross else 1,
        "TrE_Cena0": price,
        "TrE_CenaT": price,
        "TrE_CenaW": price,
        "TrE_Cena0WD": price,
        "TrE_CenaWWD": price,
        "TrE_Waluta": CURRENCY,
        "TrE_KursL": Decimal(1),
        "TrE_KursM": Decimal(1),
        "TrE_Ilosc": line.quantity,
        "TrE_IloscJM": line.quantity,
        "TrE_Jm": item["Twr_JM"],
        "TrE_JmCalkowite": item["Twr_JMCalkowite"],
        "TrE_WartoscNetto": line.net,
        "TrE_WartoscBrutto": line.gross,
        "TrE_WartoscNettoWal": line.net,
        "TrE_WartoscBruttoWal": line.gross,
    }


def insert_lines(conn: Connection, header: Mapping[str, Any], rows: Sequence[dict[str, Any]]) -> None:
    """Lines inherit the document's id, type, dates and counterparty, as Optima stores them."""
    shared = {
        "TrE_TrNId": header["TrN_TrNID"],
        "TrE_TypDokumentu": header["TrN_TypDokumentu"],
        "TrE_DataDok": header["TrN_DataDok"],
        "TrE_DataOpe": header["TrN_DataOpe"],
        "TrE_PodmiotTyp": header["TrN_PodmiotTyp"],
        "TrE_PodID": header["TrN_PodID"],
    }
    conn.execute(TraElem.insert(), [{**row, **shared} for row in rows])


def insert_vat_table(conn: Connection, document_id: int, rows: Sequence[VatRow]) -> None:
    conn.execute(
        TraVat.insert(),
        [
            {
                "TrV_TrNID": document_id,
                "TrV_Stawka": row.rate.percent,
                "TrV_Flaga": row.rate.optima_flag,
                "TrV_Netto": row.net,
                "TrV_VAT": row.vat,
                "TrV_NettoWal": row.net,
                "TrV_VATWal": row.vat,
            }
            for row in rows
        ],
    )


def totals_columns(rows: Sequence[VatRow]) -> dict[str, Decimal]:
    net, vat, gross = totals(rows)
    return {
        "TrN_RazemNetto": net,
        "TrN_RazemVAT": vat,
        "TrN_RazemBrutto": gross,
        "TrN_RazemNettoWal": net,
        "TrN_RazemVATWal": vat,
        "TrN_RazemBruttoWal": gross,
    }


def book_invoice(
    conn: Connection,
    settings: OptimaSettings,
    definition: Definition,
    order: Order,
    contractor: ContractorRef,
    now: datetime,
) -> DocumentRef:
    """Insert a confirmed FA with its lines, VAT table and payment due; return its reference."""
    items = resolve_items(conn, order.lines)
    check_rates(order.lines, items)
    magazyn = warehouse_id(conn, settings.warehouse)
    form = payment_form(conn, settings.route_for(order.payment.method_id).form)
    day = day_of(now)
    due = day + timedelta(days=int(form["FPl_Termin"]))
    from_gross = order.prices_include_tax
    numer = numer_string(definition, now, warehouse=settings.warehouse)
    number = next_number(conn, TraNag.c.TrN_NumerString, TraNag.c.TrN_NumerNr, numer)
    vat_rows = vat_table(
        ((li.rate, li.gross if from_gross else li.net) for li in order.lines), from_gross=from_gross
    )
    company = order.buyer.kind is BuyerKind.COMPANY
    header: dict[str, Any] = {
        "TrN_DDfId": definition.id,
        **confirmed_document(q.FA_TYPE, q.FA_KIND, numer, number, day),
        "TrN_Termin": due,
        "TrN_NumerObcy": order.number,
        "TrN_PodmiotTyp": q.CONTRACTOR,
        "TrN_PodID": contractor.id,
        "TrN_OdbiorcaTyp": q.CONTRACTOR,
        "TrN_OdbID": contractor.id,
        "TrN_PlatnikTyp": q.CONTRACTOR,
        "TrN_PlatnikID": contractor.id,
        **buyer_snapshot(order.buyer, "Pod"),
        **buyer_snapshot(order.buyer, "Odb"),
        "TrN_OdbTelefon": fit(order.buyer.phone, 20),
        "TrN_OdbEmail": fit(order.buyer.email, 127),
        "TrN_Finalny": 0 if company else 1,
        "TrN_PodatekVat": 1 if company else 0,
        "TrN_Export": export_kind(order.buyer.address.country),
        "TrN_FPlId": form["FPl_FPlId"],
        "TrN_Waluta": CURRENCY,
        "TrN_KursL": Decimal(1),
        "TrN_KursM": Decimal(1),
        "TrN_MagZrdId": magazyn,
        "TrN_TypNB": 2 if from_gross else 1,
        "TrN_Opis": invoice_description(order.number),
        "TrN_ImportRowId": new_guid(),
        **totals_columns(vat_rows),
        **stamps("TrN", now, settings.operator, confirmed=True),
    }
    document_id = int(conn.execute(TraNag.insert(), header).inserted_primary_key[0])
    header["TrN_TrNID"] = document_id
    lines = [
        line_row(i, line, items[line.sku], from_gross=from_gross, magazyn=magazyn)
        for i, line in enumerate(order.lines, start=1)
    ]
    insert_lines(conn, header, lines)
    insert_vat_table(conn, document_id, vat_rows)
    full = full_number(numer, number)
    _insert_due(conn, settings, header, definition, form, full, now)
    stored = conn.execute(
        select(TraNag.c.TrN_NumerPelny).where(TraNag.c.TrN_TrNID == document_id)
    ).scalar_one()
    return DocumentRef(id=document_id, number=stored)


def _insert_due(
    conn: Connection,
    settings: OptimaSettings,
    header: Mapping[str, Any],
    definition: Definition,
    form: Mapping[str, Any],
    full: str,
    now: datetime,
) -> None:
    """The receivable in the payment schedule: the whole gross, due on the document's term."""
    gross = header["TrN_RazemBrutto"]
    conn.execute(
        BnkZdarzenia.insert(), dict(
            BZd_BRaID=form["FPl_BRaId"],
            BZd_DDfID=definition.id,
            BZd_DokumentTyp=q.DUE_OF_TRADE_DOCUMENT,
            BZd_DokumentID=header["TrN_TrNID"],
            BZd_NumerPelny=full,
            BZd_NumerObcy=header["TrN_NumerObcy"],
            BZd_PodmiotTyp=q.CONTRACTOR,
            BZd_PodmiotID=header["TrN_PodID"],
            BZd_FPlId=form["FPl_FPlId"],
            BZd_DataDok=header["TrN_DataDok"],
            BZd_Termin=header["TrN_Termin"],
            BZd_DataReal=header["TrN_Termin"],
            BZd_Kwota=gross,
            BZd_KwotaSys=gross,
            BZd_KwotaRoz=ZERO,
            BZd_KwotaRozSys=ZERO,
            BZd_Waluta=CURRENCY,
            BZd_WalutaDok=CURRENCY,
            BZd_KursL=Decimal(1),
            BZd_KursM=Decimal(1),
            BZd_DataKur=header["TrN_DataDok"],
            BZd_Kierunek=1,
            BZd_Rozliczono=q.OPEN,
            BZd_Rozliczono2=q.OPEN,
            BZd_Opis=fit(f"Należność za {full}", 254),
            BZd_ImportRowId=new_guid(),
            **stamps("BZd", now, settings.operator),
        )
    )


def vat_of_lines(lines: Sequence[Mapping[str, Any]], from_gross: bool) -> list[VatRow]:
    """The VAT table of stored lines (used for the WZ, which carries the goods part of the FA)."""
    values = (
        (
            VatRate.from_optima(row["TrE_Stawka"], row["TrE_Flaga"]),
            round_grosz(Decimal(row["TrE_WartoscBrutto" if from_gross else "TrE_WartoscNetto"])),
        )
        for row in lines
    )
    return vat_table(values, from_gross=from_gross)
