"""The goods issue (WZ 306000) Optima makes from an invoice, and the stock it lowers.

Stock in Optima is a series of dated snapshots per item and warehouse (``TwrIlosci``; the row
with ``TwI_MagId`` NULL is the total over all warehouses). Issuing goods today writes today's
snapshot (from the latest earlier one, or by updating today's) and shifts every later-dated
snapshot by the same quantity, so the reader's "latest row dated today or earlier" is the truth.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ...domain.money import ZERO, round_grosz
from ...errors import PermanentError
from .. import queries as q
from ..port import DocumentRef
from ..rules.columns import day_of
from ..rules.master_data import Definition, warehouse_id
from ..rules.refusals import no_goods
from ..schema import TraNag, TwrIlosci
from ..settings import OptimaSettings
from .booking import confirmed_document, new_guid, next_number, numer_string, stamps
from .documents import insert_lines, insert_vat_table, totals_columns, vat_of_lines

#: Columns a WZ does not take over from its FA (identity, computed, numbering, KSeF state).
_NOT_COPIED = {
    "TrN_TrNID",
    "TrN_NumerPelny",
    "TrN_NrKSeF",
    "TrN_KSeFStatusId",
    "TrN_KSeFStatus",
    "TrN_KSeFReferenceNumber",
    "TrN_KSeFDataWyslania",
    "TrN_KSeFDataPrzyjecia",
    "TrN_KSeFDataOdebraniaUpo",
    "TrN_KSeFTrybAwaryjny",
    "TrN_KSeFTypSrodowiska",
}
_LINE_NOT_COPIED = {"TrE_TrEID", "TrE_TrNId", "TrE_TypDokumentu", "TrE_DataDok", "TrE_DataOpe", "TrE_Lp"}


def _goods_lines(conn: Connection, invoice_id: int) -> list[Mapping[str, Any]]:
    rows = conn.execute(q.document_lines_query(invoice_id)).mappings().all()
    return [row for row in rows if row["TrE_TwrTyp"] == q.GOODS and row["TrE_Aktywny"]]


def latest_snapshot(
    conn: Connection, item_id: int, mag_id: int | None, day: datetime
) -> Mapping[str, Any] | None:
    mag = TwrIlosci.c.TwI_MagId.is_(None) if mag_id is None else TwrIlosci.c.TwI_MagId == mag_id
    return (
        conn.execute(
            select(TwrIlosci)
            .where(TwrIlosci.c.TwI_TwrId == item_id, mag, TwrIlosci.c.TwI_Data <= day)
            .order_by(TwrIlosci.c.TwI_Data.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )


def _text(value: Decimal) -> str:
    """``2`` rather than ``2.0000`` in a message a person reads."""
    return format(value.normalize(), "f")


def _check_stock(
    conn: Connection,
    settings: OptimaSettings,
    needed: Mapping[int, Decimal],
    codes: Mapping[int, str],
    mag_id: int,
    day: datetime,
) -> None:
    """Optima issues only what the warehouse has; list everything short in one error."""
    if settings.allow_negative_stock:
        return
    short = []
    for item_id, quantity in needed.items():
        latest = latest_snapshot(conn, item_id, mag_id, day)
        have = Decimal(latest["TwI_Ilosc"]) if latest else ZERO
        if have < quantity:
            short.append({"sku": codes[item_id], "needed": _text(quantity), "in_stock": _text(have)})
    if short:
        listed = ", ".join(f"{s['sku']} (potrzeba {s['needed']}, jest {s['in_stock']})" for s in short)
        raise PermanentError(
            f"Za mało towaru w magazynie {settings.warehouse}: {listed}",
            code="insufficient_stock",
            details={"warehouse": settings.warehouse, "items": short},
        )


def move_stock(conn: Connection, item_id: int, mag_id: int | None, delta: Decimal, day: datetime) -> None:
    """Add ``delta`` (negative = issue) to the item's stock from ``day`` on.

    The all-warehouses total (``mag_id`` None) is kept only where the database keeps one.
    """
    latest = latest_snapshot(conn, item_id, mag_id, day)
    if latest is None and mag_id is None:
        return
    unit_value = ZERO
    if latest is not None and Decimal(latest["TwI_Ilosc"]) > 0:
        unit_value = Decimal(latest["TwI_Wartosc"]) / Decimal(latest["TwI_Ilosc"])
    value_delta = round_grosz(unit_value * delta)
    if latest is not None and latest["TwI_Data"] == day:
        target = TwrIlosci.c.TwI_Data >= day
    else:
        conn.execute(
            TwrIlosci.insert(), dict(
                TwI_TwrId=item_id,
                TwI_MagId=mag_id,
                TwI_Data=day,
                TwI_Ilosc=(Decimal(latest["TwI_Ilosc"]) if latest else ZERO) + delta,
                TwI_Wartosc=(Decimal(latest["TwI_Wartosc"]) if latest else ZERO) + value_delta,
                TwI_Braki=latest["TwI_Braki"] if latest else ZERO,
                TwI_Rezerwacje=latest["TwI_Rezerwacje"] if latest else ZERO,
                TwI_Zamowienia=latest["TwI_Zamowienia"] if latest else ZERO,
                TwI_RezerwacjeZlecenia=latest["TwI_RezerwacjeZlecenia"] if latest else ZERO,
            )
        )
        target = TwrIlosci.c.TwI_Data > day
    mag = TwrIlosci.c.TwI_MagId.is_(None) if mag_id is None else TwrIlosci.c.TwI_MagId == mag_id
    conn.execute(
        update(TwrIlosci)
        .where(TwrIlosci.c.TwI_TwrId == item_id, mag, target)
        .values(
            TwI_Ilosc=TwrIlosci.c.TwI_Ilosc + delta,
            TwI_Wartosc=TwrIlosci.c.TwI_Wartosc + value_delta,
        )
    )


def book_wz(
    conn: Connection,
    settings: OptimaSettings,
    definition: Definition,
    invoice: Mapping[str, Any],
    now: datetime,
) -> DocumentRef:
    """Insert the confirmed WZ for the FA: its goods lines, VAT table, and the stock going down."""
    goods = _goods_lines(conn, invoice["TrN_TrNID"])
    if not goods:
        raise no_goods(invoice["TrN_TrNID"], invoice["TrN_NumerPelny"])
    mag_id = warehouse_id(conn, settings.warehouse)
    day = day_of(now)
    needed: dict[int, Decimal] = {}
    codes: dict[int, str] = {}
    for row in goods:
        needed[row["TrE_TwrId"]] = needed.get(row["TrE_TwrId"], ZERO) + Decimal(row["TrE_Ilosc"])
        codes[row["TrE_TwrId"]] = row["TrE_TwrKod"]
    _check_stock(conn, settings, needed, codes, mag_id, day)

    from_gross = invoice["TrN_TypNB"] == 2
    vat_rows = vat_of_lines(goods, from_gross)
    numer = numer_string(definition, now, warehouse=settings.warehouse)
    number = next_number(conn, TraNag.c.TrN_NumerString, TraNag.c.TrN_NumerNr, numer)
    header = {k: v for k, v in invoice.items() if k not in _NOT_COPIED}
    header.update(
        {
            "TrN_DDfId": definition.id,
            **confirmed_document(q.WZ_TYPE, q.WZ_KIND, numer, number, day),
            "TrN_FaId": invoice["TrN_TrNID"],
            "TrN_Termin": day,
            "TrN_MagZrdId": mag_id,
            "TrN_Opis": f"Wydanie do faktury {invoice['TrN_NumerPelny']}",
            "TrN_ImportRowId": new_guid(),
            **totals_columns(vat_rows),
            **stamps("TrN", now, settings.operator, confirmed=True),
        }
    )
    document_id = int(conn.execute(TraNag.insert(), header).inserted_primary_key[0])
    header["TrN_TrNID"] = document_id
    lines = [
        {**{k: v for k, v in row.items() if k not in _LINE_NOT_COPIED}, "TrE_Lp": i, "TrE_MagId": mag_id}
        for i, row in enumerate(goods, start=1)
    ]
    insert_lines(conn, header, lines)
    insert_vat_table(conn, document_id, vat_rows)
    for item_id, quantity in needed.items():
        move_stock(conn, item_id, mag_id, -quantity, day)
        move_stock(conn, item_id, None, -quantity, day)
    stored = conn.execute(
        select(TraNag.c.TrN_NumerPelny).where(TraNag.c.TrN_TrNID == document_id)
    ).scalar_one()
    return DocumentRef(id=document_id, number=stored)
