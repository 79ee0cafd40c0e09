"""Settling an FA against a confirmed payment: KP, settlement pair, the due marked settled."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.optima.schema import BnkRachunki, BnkRaporty, BnkRozKwoty, BnkZapisy, BnkZdarzenia

from . import factories as f
from .conftest import count, rows


def _book(writer, order):
    return writer.create_invoice(order, writer.ensure_contractor(order.buyer))


def _register_id(engine, akronim: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(BnkRachunki.c.BRa_BRaID).where(BnkRachunki.c.BRa_Akronim == akronim)
        ).scalar_one()


def test_kp_settles_the_due_and_the_invoice_reads_paid(writer, reader, engine) -> None:
    order = f.order("3001", transaction_id="PAYU-XYZ-1")
    invoice = _book(writer, order)
    assert not reader.read_invoice(invoice.id).paid

    kp = writer.settle_payment(invoice, order)
    assert kp.number == "KP/1/2026"
    (record,) = rows(engine, BnkZapisy)
    assert record["BZp_BZpID"] == kp.id and record["BZp_NumerPelny"] == "KP/1/2026"
    assert record["BZp_Kierunek"] == 1 and record["BZp_Kwota"] == order.total
    assert record["BZp_BRaID"] == _register_id(engine, "PAYU")
    assert record["BZp_NumerObcy"] == "PAYU-XYZ-1"
    assert record["BZp_Rozliczono"] == 2 and record["BZp_KwotaRoz"] == order.total

    (pair,) = rows(engine, BnkRozKwoty)
    (due,) = rows(engine, BnkZdarzenia)
    assert record["BZp_PodmiotID"] == due["BZd_PodmiotID"]
    assert (pair["BRK_LDokTyp"], pair["BRK_LDokID"]) == (1, due["BZd_BZdID"])
    assert (pair["BRK_PDokTyp"], pair["BRK_PDokID"]) == (2, kp.id)
    assert pair["BRK_Kwota"] == order.total
    assert due["BZd_Rozliczono"] == 2 and due["BZd_KwotaRoz"] == order.total
    assert due["BZd_DataRoz"] == datetime(2026, 3, 16)

    (report,) = rows(engine, BnkRaporty)
    assert record["BZp_BRpID"] == report["BRp_BRpID"] and record["BZp_BRpLP"] == 1
    assert report["BRp_DataDok"] == datetime(2026, 3, 1) and report["BRp_DataZam"] == datetime(2026, 3, 31)
    assert report["BRp_Przychody"] == order.total

    assert reader.read_invoice(invoice.id).paid
    assert reader.find_payment("3001") == kp


def test_settlement_is_idempotent(writer, engine) -> None:
    order = f.order("3002")
    invoice = _book(writer, order)
    first = writer.settle_payment(invoice, order)
    assert writer.settle_payment(invoice, order) == first
    assert count(engine, BnkZapisy) == 1 and count(engine, BnkRozKwoty) == 1


def test_payments_share_the_register_report_and_are_numbered(writer, engine) -> None:
    numbers = []
    for number in ("3003", "3004"):
        order = f.order(number)
        numbers.append(writer.settle_payment(_book(writer, order), order).number)
    assert numbers == ["KP/1/2026", "KP/2/2026"]
    assert count(engine, BnkRaporty) == 1
    assert sorted(r["BZp_BRpLP"] for r in rows(engine, BnkZapisy)) == [1, 2]


def test_each_gateway_books_into_its_register(writer, engine) -> None:
    for number, method, register in (("3005", "przelewy24", "P24"), ("3006", "ppcp-gateway", "PAYPAL")):
        order = f.order(number, method=method)
        kp = writer.settle_payment(_book(writer, order), order)
        (record,) = rows(engine, BnkZapisy, BnkZapisy.c.BZp_BZpID == kp.id)
        assert record["BZp_BRaID"] == _register_id(engine, register)


def test_cash_on_delivery_is_never_settled_by_the_console(writer, reader, engine) -> None:
    order = f.order("3007", method="cod")
    invoice = _book(writer, order)
    with pytest.raises(PermanentError) as caught:
        writer.settle_payment(invoice, order)
    assert caught.value.code == "no_register"
    assert count(engine, BnkZapisy) == 0 and not reader.read_invoice(invoice.id).paid


def test_an_unconfirmed_payment_is_not_settled(writer, engine) -> None:
    order = f.order("3008", confirmed=False)
    invoice = _book(writer, order)
    with pytest.raises(PermanentError) as caught:
        writer.settle_payment(invoice, order)
    assert caught.value.code == "payment_not_confirmed"
    assert count(engine, BnkZapisy) == 0 and count(engine, BnkRaporty) == 0


def test_the_payment_of_another_order_is_refused(writer) -> None:
    order = f.order("3009")
    invoice = _book(writer, order)
    with pytest.raises(PermanentError) as caught:
        writer.settle_payment(invoice, f.order("3010"))
    assert caught.value.code == "invoice_order_mismatch"


def test_a_closed_report_stops_the_settlement_and_books_nothing(writer, reader, engine) -> None:
    first = f.order("3101", transaction_id="PAYU-1")
    writer.settle_payment(_book(writer, first), first)  # opens today's PAYU report
    with engine.begin() as conn:  # the accountant closes it
        conn.execute(BnkRaporty.update().values(BRp_Zamkniety=1))
    order = f.order("3102", transaction_id="PAYU-2")
    invoice = _book(writer, order)
    records = count(engine, BnkZapisy)

    with pytest.raises(PermanentError) as caught:
        writer.settle_payment(invoice, order)

    assert caught.value.code == "report_closed" and "zamknięty" in caught.value.reason
    assert count(engine, BnkZapisy) == records and count(engine, BnkRozKwoty) == 1
    assert not reader.read_invoice(invoice.id).paid
