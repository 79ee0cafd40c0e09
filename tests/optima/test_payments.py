"""Settling an FA against a confirmed payment: KP, settlement pair, the due marked settled.

Most tests book the KP as the console does through COM (``conftest``: forms that do not settle by
themselves); the last ones are Optima's own route, where the payment form settles the FA."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.optima.reader import SqlOptimaReader
from linkoptima_gui.core.optima.schema import BnkRachunki, BnkRaporty, BnkRozKwoty, BnkZapisy, BnkZdarzenia
from linkoptima_gui.core.optima.simulated import SimulatedOptimaWriter

from . import factories as f
from .conftest import KP_THROUGH_COM, clock, count, rows, without_own_settlement


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
    # the transaction in the description, which is how the KP is found again (no foreign number)
    assert record["BZp_Opis"] == "Zapłata za FA/1/2026, zamówienie 3001 (payustandard, transakcja PAYU-XYZ-1)"
    assert record["BZp_NumerObcy"] == "" and record["BZp_ZapisAutomatyczny"] == 0
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


# --- Optima's own route: the payment form settles the invoice ----------------------------------


@pytest.fixture
def own_writer(own_route_engine) -> SimulatedOptimaWriter:
    """The demo's Optima: its gateway forms are cash-type with a register (the default route)."""
    return SimulatedOptimaWriter(own_route_engine, clock=clock)


def test_a_form_that_settles_by_itself_gets_its_kp_when_the_fa_is_booked(own_writer, own_route_engine) -> None:
    engine = own_route_engine
    order = f.order("3201", transaction_id="PAYU-OWN-1")
    invoice = _book(own_writer, order)

    (record,) = rows(engine, BnkZapisy)  # booked with the FA, as Optima does on confirming it
    (due,) = rows(engine, BnkZdarzenia)
    (pair,) = rows(engine, BnkRozKwoty)
    assert record["BZp_BRaID"] == _register_id(engine, "PAYU") and record["BZp_Kwota"] == order.total
    assert record["BZp_ZapisAutomatyczny"] == 1 and record["BZp_Opis"] == "Zapłata za FA/1/2026"
    assert (pair["BRK_LDokID"], pair["BRK_PDokID"]) == (due["BZd_BZdID"], record["BZp_BZpID"])
    assert due["BZd_Rozliczono"] == 2 and pair["BRK_ZapisAutomatyczny"] == 1

    kp = own_writer.settle_payment(invoice, order)  # the KP step only finds it
    assert kp.id == record["BZp_BZpID"] and kp.number == "KP/1/2026"
    assert count(engine, BnkZapisy) == 1 and SqlOptimaReader(engine).read_invoice(invoice.id).paid


def test_cash_on_delivery_is_not_settled_by_optima_either(own_writer, own_route_engine) -> None:
    order = f.order("3202", method="cod")
    invoice = _book(own_writer, order)
    assert count(own_route_engine, BnkZapisy) == 0
    with pytest.raises(PermanentError) as caught:
        own_writer.settle_payment(invoice, order)
    assert caught.value.code == "no_register"


def test_a_form_that_does_not_settle_is_named_on_the_own_route(own_route_engine) -> None:
    without_own_settlement(own_route_engine)
    writer = SimulatedOptimaWriter(own_route_engine, clock=clock)  # the default route, forms not set up
    order = f.order("3203")
    invoice = _book(writer, order)
    with pytest.raises(PermanentError) as caught:
        writer.settle_payment(invoice, order)
    assert caught.value.code == "form_not_settling" and "„PayU”" in caught.value.reason
    assert count(own_route_engine, BnkZapisy) == 0  # the console books no KP on this route


def test_an_fa_optima_left_unsettled_goes_to_a_person(own_writer, own_route_engine) -> None:
    engine = own_route_engine
    order = f.order("3204")
    invoice = _book(own_writer, order)
    with engine.begin() as conn:  # Optima had no open report, say, and left the due open
        conn.execute(BnkRozKwoty.delete())
        conn.execute(BnkZapisy.delete())
        conn.execute(BnkZdarzenia.update().values(BZd_Rozliczono=1, BZd_KwotaRoz=0))
    with pytest.raises(PermanentError) as caught:
        own_writer.settle_payment(invoice, order)
    assert caught.value.code == "not_settled" and caught.value.details["register"] == "PAYU"
    assert count(engine, BnkZapisy) == 0


def test_the_com_route_on_a_form_that_settles_returns_optimas_kp_not_a_second_one(own_route_engine) -> None:
    writer = SimulatedOptimaWriter(own_route_engine, KP_THROUGH_COM, clock=clock)
    order = f.order("3205")
    invoice = _book(writer, order)
    (record,) = rows(own_route_engine, BnkZapisy)
    assert writer.settle_payment(invoice, order).id == record["BZp_BZpID"]
    assert count(own_route_engine, BnkZapisy) == 1
