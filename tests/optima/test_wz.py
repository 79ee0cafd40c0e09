"""The WZ from an FA: goods lines only, linked by TrN_FaId, stock going down in TwrIlosci."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import update

from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.optima.schema import TraElem, TraNag, TwrIlosci

from . import factories as f
from .conftest import count, rows


def _book(writer, order):
    return writer.create_invoice(order, writer.ensure_contractor(order.buyer))


def test_wz_lowers_stock_and_links_the_invoice(writer, reader, engine) -> None:
    before = reader.item_by_code("KUB-001").available
    invoice = _book(writer, f.order("2001"))
    assert reader.item_by_code("KUB-001").available == before  # the FA itself moves no stock

    wz = writer.create_wz_from_invoice(invoice)
    assert wz.number == "WZ/1/2026"
    assert reader.item_by_code("KUB-001").available == before - 2
    assert reader.find_wz(invoice.id) == wz

    header = rows(engine, TraNag, TraNag.c.TrN_TrNID == wz.id)[0]
    assert header["TrN_TypDokumentu"] == 306 and header["TrN_Rodzaj"] == 306000
    assert header["TrN_FaId"] == invoice.id and header["TrN_Bufor"] == 0
    assert header["TrN_NumerObcy"] == "2001"
    lines = rows(engine, TraElem, TraElem.c.TrE_TrNId == wz.id)
    assert sorted(r["TrE_TwrKod"] for r in lines) == ["KS-001", "KUB-001"]  # no shipping service
    assert all(r["TrE_TypDokumentu"] == 306 for r in lines)
    goods_gross = sum(r["TrE_WartoscBrutto"] for r in lines)
    assert header["TrN_RazemBrutto"] == goods_gross

    kubek = next(r for r in lines if r["TrE_TwrKod"] == "KUB-001")
    snapshots = rows(engine, TwrIlosci, TwrIlosci.c.TwI_TwrId == kubek["TrE_TwrId"])
    today = [s for s in snapshots if s["TwI_Data"] == datetime(2026, 3, 16)]
    assert len(today) == 2  # the warehouse and the all-warehouses total
    assert all(s["TwI_Ilosc"] == before - 2 for s in today)


def test_wz_is_idempotent(writer, engine, reader) -> None:
    invoice = _book(writer, f.order("2002"))
    before = reader.item_by_code("KUB-001").available
    first = writer.create_wz_from_invoice(invoice)
    assert writer.create_wz_from_invoice(invoice) == first
    assert count(engine, TraNag, TraNag.c.TrN_TypDokumentu == 306) == 1
    assert reader.item_by_code("KUB-001").available == before - 2


def test_two_issues_on_one_day_update_todays_snapshot(writer, reader, engine) -> None:
    before = reader.item_by_code("KUB-001").available
    for number in ("2003", "2004"):
        writer.create_wz_from_invoice(_book(writer, f.order(number, [f.line("KUB-001", 1)])))
    assert reader.item_by_code("KUB-001").available == before - 2
    item_id = reader.item_by_code("KUB-001").id
    dated_today = rows(
        engine, TwrIlosci, TwrIlosci.c.TwI_TwrId == item_id, TwrIlosci.c.TwI_Data == datetime(2026, 3, 16)
    )
    assert len(dated_today) == 2


def test_a_later_dated_snapshot_moves_too(writer, reader, engine) -> None:
    item_id = reader.item_by_code("KUB-001").id
    with engine.begin() as conn:
        conn.execute(
            TwrIlosci.insert().values(
                TwI_TwrId=item_id, TwI_MagId=1, TwI_Data=datetime(2026, 4, 1), TwI_Ilosc=Decimal(50)
            )
        )
    writer.create_wz_from_invoice(_book(writer, f.order("2005", [f.line("KUB-001", 3)])))
    future = rows(engine, TwrIlosci, TwrIlosci.c.TwI_Data == datetime(2026, 4, 1))
    assert future[0]["TwI_Ilosc"] == 47


def test_not_enough_stock_stops_the_wz_and_writes_nothing(writer, reader, engine) -> None:
    available = reader.item_by_code("KUB-001").available
    invoice = _book(writer, f.order("2006", [f.line("KUB-001", int(available) + 1)]))
    snapshots = count(engine, TwrIlosci)
    with pytest.raises(PermanentError) as caught:
        writer.create_wz_from_invoice(invoice)
    assert caught.value.code == "insufficient_stock"
    assert caught.value.details["items"][0]["sku"] == "KUB-001"
    assert count(engine, TraNag) == 1 and count(engine, TwrIlosci) == snapshots
    assert reader.item_by_code("KUB-001").available == available


def test_services_only_invoice_has_no_wz(writer) -> None:
    invoice = _book(writer, f.order("2007", [f.shipping()]))
    with pytest.raises(PermanentError) as caught:
        writer.create_wz_from_invoice(invoice)
    assert caught.value.code == "no_goods"


def test_a_draft_wz_blocks_a_second_one(writer, engine) -> None:
    invoice = _book(writer, f.order("2008"))
    writer.create_wz_from_invoice(invoice)
    with engine.begin() as conn:
        conn.execute(update(TraNag).where(TraNag.c.TrN_TypDokumentu == 306).values(TrN_Bufor=1))
    with pytest.raises(PermanentError) as caught:
        writer.create_wz_from_invoice(invoice)
    assert caught.value.code == "document_in_buffer"
