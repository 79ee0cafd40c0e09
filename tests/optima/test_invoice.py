"""Booking the FA: the rows Optima writes, idempotency, and what stops a booking cleanly."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from linkoptima_gui.core.domain.vat import VatRate, vat_table
from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.optima.schema import (
    BnkZdarzenia,
    FormyPlatnosci,
    Magazyny,
    Towary,
    TraElem,
    TraNag,
    TraVat,
)

from . import factories as f
from .conftest import NOW, count, rows

DOCUMENT_TABLES = (TraNag, TraElem, TraVat, BnkZdarzenia)


def _counts(engine) -> list[int]:
    return [count(engine, table) for table in DOCUMENT_TABLES]


def _form_id(engine, name: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(FormyPlatnosci.c.FPl_FPlId).where(FormyPlatnosci.c.FPl_Nazwa == name)
        ).scalar_one()


def test_fa_booking_writes_the_rows_optima_writes(writer, engine) -> None:
    order = f.order("1001")
    contractor = writer.ensure_contractor(order.buyer)
    ref = writer.create_invoice(order, contractor)
    assert ref.number == f"FA/1/{NOW.year}"

    (header,) = rows(engine, TraNag)
    assert header["TrN_TrNID"] == ref.id
    assert header["TrN_TypDokumentu"] == 302 and header["TrN_Rodzaj"] == 302000
    assert header["TrN_NumerString"] == "FA/@numerS/2026" and header["TrN_NumerNr"] == 1
    assert header["TrN_NumerPelny"] == "FA/1/2026"
    assert header["TrN_Bufor"] == 0 and header["TrN_Anulowany"] == 0
    assert header["TrN_NumerObcy"] == "1001"
    assert header["TrN_TypNB"] == 2
    assert header["TrN_PodmiotTyp"] == 1 and header["TrN_PodID"] == contractor.id
    assert header["TrN_PodNazwa1"] == "Hurtownia Orzeł sp. z o.o."
    assert header["TrN_PodNipE"] == "9876543210"
    assert (header["TrN_PodUlica"], header["TrN_PodNrDomu"], header["TrN_PodNrLokalu"]) == (
        "ul. Składowa",
        "4",
        "2",
    )
    assert header["TrN_PodatekVat"] == 1 and header["TrN_Finalny"] == 0
    assert header["TrN_FPlId"] == _form_id(engine, "PayU")
    with engine.connect() as conn:
        magazyn = conn.execute(
            select(Magazyny.c.Mag_MagId).where(Magazyny.c.Mag_Symbol == "MAGAZYN")
        ).scalar_one()
    assert header["TrN_MagZrdId"] == magazyn
    assert header["TrN_DataDok"] == datetime(2026, 3, 16) and header["TrN_TS_Zatw"] == NOW
    assert header["TrN_ImportRowId"]

    lines = sorted(rows(engine, TraElem), key=lambda r: r["TrE_Lp"])
    assert [r["TrE_TwrKod"] for r in lines] == ["KUB-001", "KS-001", "USL-TRANSPORT"]
    assert [r["TrE_TwrTyp"] for r in lines] == [1, 1, 0]
    for stored, given in zip(lines, order.lines, strict=True):
        assert stored["TrE_TrNId"] == ref.id and stored["TrE_TypDokumentu"] == 302
        assert stored["TrE_Ilosc"] == given.quantity
        assert stored["TrE_WartoscNetto"] == given.net and stored["TrE_WartoscBrutto"] == given.gross
        assert stored["TrE_Stawka"] == given.rate.percent and stored["TrE_Flaga"] == 2
        assert stored["TrE_CenaT"] == (given.gross / given.quantity).quantize(Decimal("0.0001"))
    assert lines[0]["TrE_CenaT"] == Decimal("29.99")

    expected = vat_table(((li.rate, li.gross) for li in order.lines), from_gross=True)
    vat = sorted(rows(engine, TraVat), key=lambda r: -r["TrV_Stawka"])
    assert [(r["TrV_Stawka"], r["TrV_Flaga"], r["TrV_Netto"], r["TrV_VAT"]) for r in vat] == [
        (row.rate.percent, row.rate.optima_flag, row.net, row.vat) for row in expected
    ]
    assert vat[0]["TrV_Netto"] + vat[0]["TrV_VAT"] == Decimal("29.99") * 2 + Decimal("14.99")
    assert header["TrN_RazemNetto"] == sum(r.net for r in expected)
    assert header["TrN_RazemVAT"] == sum(r.vat for r in expected)
    assert header["TrN_RazemBrutto"] == order.total

    (due,) = rows(engine, BnkZdarzenia)
    assert due["BZd_DokumentTyp"] == 1 and due["BZd_DokumentID"] == ref.id
    assert due["BZd_Kierunek"] == 1 and due["BZd_Kwota"] == order.total
    assert due["BZd_Rozliczono"] == 1 and due["BZd_KwotaRoz"] == 0
    assert due["BZd_FPlId"] == header["TrN_FPlId"]
    assert due["BZd_Termin"] == header["TrN_Termin"] == datetime(2026, 3, 16)
    assert due["BZd_NumerPelny"] == "FA/1/2026"


def test_net_priced_order_is_booked_from_net(writer, engine) -> None:
    order = f.order(
        "1002",
        [f.net_line("KUB-001", 3, "24.38"), f.net_line("KUB-002", 1, "0.05")],
        prices_include_tax=False,
    )
    writer.create_invoice(order, writer.ensure_contractor(order.buyer))
    (header,) = rows(engine, TraNag)
    assert header["TrN_TypNB"] == 1
    (vat,) = rows(engine, TraVat)
    assert vat["TrV_Netto"] == Decimal("73.19")
    assert vat["TrV_VAT"] == VatRate.R23.vat_from_net(Decimal("73.19")) == Decimal("16.83")
    assert rows(engine, TraElem)[0]["TrE_CenaT"] == Decimal("24.38")


def test_invoice_booking_is_idempotent(writer, engine) -> None:
    order = f.order("1001")
    contractor = writer.ensure_contractor(order.buyer)
    first = writer.create_invoice(order, contractor)
    assert writer.create_invoice(order, contractor) == first
    assert _counts(engine) == [1, 3, 2, 1]


def test_invoices_are_numbered_consecutively(writer) -> None:
    contractor = writer.ensure_contractor(f.company_buyer())
    numbers = [writer.create_invoice(f.order(str(1000 + i)), contractor).number for i in range(1, 4)]
    assert numbers == ["FA/1/2026", "FA/2/2026", "FA/3/2026"]


def test_unknown_sku_stops_the_booking_and_writes_nothing(writer, engine) -> None:
    contractor = writer.ensure_contractor(f.company_buyer())
    before = _counts(engine)
    order = f.order("1003", [f.line("KUB-001", 1), f.line("NIE-MA-TAKIEGO", 1, "10.00")])
    with pytest.raises(PermanentError) as caught:
        writer.create_invoice(order, contractor)
    assert caught.value.code == "unknown_sku"
    assert caught.value.details["sku"] == "NIE-MA-TAKIEGO"
    assert "NIE-MA-TAKIEGO" in caught.value.reason
    assert _counts(engine) == before


def test_inactive_item_stops_the_booking(writer, engine) -> None:
    with engine.begin() as conn:
        conn.execute(update(Towary).where(Towary.c.Twr_Kod == "KS-001").values(Twr_NieAktywny=1))
    order = f.order("1004")
    with pytest.raises(PermanentError) as caught:
        writer.create_invoice(order, writer.ensure_contractor(order.buyer))
    assert caught.value.code == "inactive_sku" and caught.value.details["sku"] == "KS-001"
    assert count(engine, TraNag) == 0


def test_lines_that_do_not_add_up_to_the_total_are_refused(writer, engine) -> None:
    good = f.order("1005")
    contractor = writer.ensure_contractor(good.buyer)
    bad = f.order("1005", total=good.total + Decimal("0.02"))
    with pytest.raises(PermanentError) as caught:
        writer.create_invoice(bad, contractor)
    assert caught.value.code == "amount_mismatch"
    assert caught.value.details["lines_gross"] == str(good.total)
    assert caught.value.details["order_total"] == str(bad.total)
    assert count(engine, TraNag) == 0
    within = f.order("1005", total=good.total + Decimal("0.01"))
    assert writer.create_invoice(within, contractor).number == "FA/1/2026"


def test_a_draft_invoice_for_the_order_blocks_a_second_one(writer, engine) -> None:
    order = f.order("1006")
    contractor = writer.ensure_contractor(order.buyer)
    writer.create_invoice(order, contractor)
    with engine.begin() as conn:
        conn.execute(update(TraNag).values(TrN_Bufor=1))
    with pytest.raises(PermanentError) as caught:
        writer.create_invoice(order, contractor)
    assert caught.value.code == "document_in_buffer"
    assert count(engine, TraNag) == 1


def test_transfer_gets_the_payment_term_of_its_form(writer, reader, engine) -> None:
    order = f.order("1007", method="bacs")
    ref = writer.create_invoice(order, writer.ensure_contractor(order.buyer))
    document = reader.read_invoice(ref.id)
    assert document.payment_method == "przelew"
    assert document.payment_due == (NOW + timedelta(days=7)).date()
    assert not document.paid and not document.cash_on_delivery


def test_cash_on_delivery_is_invoiced_with_the_due_left_open(writer, reader) -> None:
    order = f.order("1008", method="cod", buyer=f.person_buyer())
    ref = writer.create_invoice(order, writer.ensure_contractor(order.buyer))
    document = reader.read_invoice(ref.id)
    assert document.cash_on_delivery and not document.paid
    assert document.payment_method == "pobranie"
    assert document.buyer.nip == "" and document.buyer.name == "Zofia Żółć"


def test_a_foreign_currency_order_is_refused(writer, engine) -> None:
    from dataclasses import replace

    order = replace(f.order("1009"), currency="EUR")
    with pytest.raises(PermanentError) as caught:
        writer.create_invoice(order, writer.ensure_contractor(order.buyer))
    assert caught.value.code == "unsupported_currency"
    assert count(engine, TraNag) == 0
