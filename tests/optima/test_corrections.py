"""Corrections of an FA in the simulated Optima, on SQLite and (with LINKOPTIMA_TEST_PG_URL) on
PostgreSQL: the real columns and kinds, stock back only when confirmed, the refusals, idempotency
by the refund's reference, and the money back (netted or paid out, once)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import Engine, text, update

from linkoptima_gui.core.domain.correction import (
    CorrectionKind,
    CorrectionLine,
    CorrectionRequest,
    PayoutKind,
)
from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.optima.port import DocumentRef
from linkoptima_gui.core.optima.reader import SqlOptimaReader
from linkoptima_gui.core.optima.schema import (
    BnkRozKwoty,
    BnkZapisy,
    BnkZdarzenia,
    TraElem,
    TraNag,
    TraVat,
    optima_engine,
)
from linkoptima_gui.core.optima.simulated import SimulatedOptimaWriter
from linkoptima_gui.demo.catalogue import SHIPPING_SERVICE_CODE
from linkoptima_gui.demo.optima_seed import seed_demo_optima

from . import factories as f
from .conftest import KP_THROUGH_COM, NOW, clock, count, rows, without_own_settlement

PG_URL = os.environ.get("LINKOPTIMA_TEST_PG_URL", "")
DAY = date(2026, 3, 16)


@dataclass
class Books:
    engine: Engine
    writer: SimulatedOptimaWriter
    reader: SqlOptimaReader


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="set LINKOPTIMA_TEST_PG_URL to run"))])
def books(request: pytest.FixtureRequest) -> Iterator[Books]:
    if request.param == "sqlite":
        engine = request.getfixturevalue("engine")
    else:
        engine = optima_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text('DROP SCHEMA IF EXISTS "CDN" CASCADE'))
        seed_demo_optima(engine, now=NOW)
        without_own_settlement(engine)
    yield Books(engine, SimulatedOptimaWriter(engine, KP_THROUGH_COM, clock=clock),
                SqlOptimaReader(engine, KP_THROUGH_COM, clock=clock))
    if request.param != "sqlite":
        engine.dispose()


def _sold(b: Books, order, *, wz: bool = True) -> DocumentRef:
    invoice = b.writer.create_invoice(order, b.writer.ensure_contractor(order.buyer))
    if wz:
        b.writer.create_wz_from_invoice(invoice)
    return invoice


def _returned(reference: str, *lines: CorrectionLine, confirm: bool = True) -> CorrectionRequest:
    return CorrectionRequest(reference, CorrectionKind.QUANTITY, lines, "Zwrot towaru (odstąpienie)", DAY, confirm)


def _discount(reference: str, *lines: CorrectionLine) -> CorrectionRequest:
    return CorrectionRequest(reference, CorrectionKind.VALUE, lines, "Zwrot kosztów wysyłki", DAY)


def _one(b: Books, document_id: int):
    return rows(b.engine, TraNag, TraNag.c.TrN_TrNID == document_id)[0]


def test_a_quantity_correction_is_booked_with_optimas_columns_and_brings_the_stock_back(books: Books) -> None:
    b = books
    invoice = _sold(b, f.order("3001"))  # 2 x KUB-001, 1 x KS-001, shipping
    before = b.reader.item_by_code("KUB-001").available
    correction = b.writer.create_correction(invoice, _returned("ZW-1", CorrectionLine(1, "KUB-001", Decimal(-1))))

    assert correction.number == "FAKI/1/2026"
    header = _one(b, correction.id)
    assert (header["TrN_TypDokumentu"], header["TrN_Rodzaj"], header["TrN_Korekta"]) == (302, 302001, 1)
    assert header["TrN_ZwrId"] == invoice.id and header["TrN_Bufor"] == 0
    assert header["TrN_NumerObcy"] == "ZW-1" and header["TrN_KorektaZTytulu"] == "Zwrot towaru (odstąpienie)"
    fa_line = rows(b.engine, TraElem, TraElem.c.TrE_TrNId == invoice.id, TraElem.c.TrE_Lp == 1)[0]
    (line,) = rows(b.engine, TraElem, TraElem.c.TrE_TrNId == correction.id)
    assert line["TrE_ZwrId"] == fa_line["TrE_TrEID"] and line["TrE_Lp"] == 1
    assert line["TrE_Ilosc"] == -1 and line["TrE_WartoscBrutto"] == -fa_line["TrE_CenaT"]
    assert header["TrN_RazemBrutto"] == line["TrE_WartoscBrutto"]
    (vat,) = rows(b.engine, TraVat, TraVat.c.TrV_TrNID == correction.id)
    assert vat["TrV_Stawka"] == 23 and vat["TrV_Netto"] + vat["TrV_VAT"] == header["TrN_RazemBrutto"]

    wz = b.reader.find_wz(invoice.id)
    (wzk,) = rows(b.engine, TraNag, TraNag.c.TrN_TypDokumentu == 306, TraNag.c.TrN_Korekta == 1)
    assert wzk["TrN_ZwrId"] == wz.id and wzk["TrN_FaId"] == correction.id and wzk["TrN_NumerPelny"] == "WZKI/1/2026"
    (wzk_line,) = rows(b.engine, TraElem, TraElem.c.TrE_TrNId == wzk["TrN_TrNID"])
    wz_line = rows(b.engine, TraElem, TraElem.c.TrE_TrNId == wz.id, TraElem.c.TrE_TwrKod == "KUB-001")[0]
    assert wzk_line["TrE_ZwrId"] == wz_line["TrE_TrEID"] and wzk_line["TrE_Ilosc"] == -1
    assert b.reader.item_by_code("KUB-001").available == before + 1
    # the corrections do not count as invoices or WZ, nor are they found as the order's FA
    assert b.reader.find_invoice("3001") == invoice and b.reader.find_wz(invoice.id) == wz
    assert b.reader.count_documents()["fa"] == 1 and b.reader.count_documents()["wz"] == 1


def test_a_correction_in_the_buffer_moves_no_stock_until_it_is_confirmed(books: Books) -> None:
    b = books
    invoice = _sold(b, f.order("3002"))
    before = b.reader.item_by_code("KUB-001").available
    draft = b.writer.create_correction(invoice, _returned("ZW-2", CorrectionLine(1, "KUB-001", Decimal(-2)),
                                                          confirm=False))
    assert _one(b, draft.id)["TrN_Bufor"] == 1
    assert b.reader.item_by_code("KUB-001").available == before
    assert count(b.engine, TraNag, TraNag.c.TrN_TypDokumentu == 306, TraNag.c.TrN_Korekta == 1) == 0
    assert count(b.engine, BnkZdarzenia, BnkZdarzenia.c.BZd_DokumentID == draft.id) == 0
    assert not b.reader.read_correction(draft.id).confirmed

    b.writer.confirm_correction(draft.id)
    b.writer.confirm_correction(draft.id)  # a second confirmation changes nothing
    assert b.reader.item_by_code("KUB-001").available == before + 2
    assert count(b.engine, TraNag, TraNag.c.TrN_TypDokumentu == 306, TraNag.c.TrN_Korekta == 1) == 1
    assert b.reader.read_correction(draft.id).confirmed


def test_a_value_correction_moves_no_stock(books: Books) -> None:
    b = books
    invoice = _sold(b, f.order("3003"))
    before = b.reader.stock_levels(["KUB-001", "KS-001"])
    correction = b.writer.create_correction(invoice, _discount("ZW-3", CorrectionLine(
        3, SHIPPING_SERVICE_CODE, gross=Decimal("-14.99"))))
    assert correction.number == "FAKW/1/2026"
    header = _one(b, correction.id)
    assert header["TrN_Rodzaj"] == 302002 and header["TrN_RazemBrutto"] == Decimal("-14.99")
    (line,) = rows(b.engine, TraElem, TraElem.c.TrE_TrNId == correction.id)
    assert line["TrE_Ilosc"] == 0 and line["TrE_WartoscBrutto"] == Decimal("-14.99")
    assert b.reader.stock_levels(["KUB-001", "KS-001"]) == before
    assert count(b.engine, TraNag, TraNag.c.TrN_TypDokumentu == 306, TraNag.c.TrN_Korekta == 1) == 0


def test_every_correction_points_at_the_fa_and_works_on_what_the_earlier_ones_left(books: Books) -> None:
    b = books
    invoice = _sold(b, f.order("3004"))
    first = b.writer.create_correction(invoice, _returned("ZW-4a", CorrectionLine(1, "KUB-001", Decimal(-1))))
    second = b.writer.create_correction(invoice, _returned("ZW-4b", CorrectionLine(1, "KUB-001", Decimal(-1))))
    assert {_one(b, c.id)["TrN_ZwrId"] for c in (first, second)} == {invoice.id}
    assert b.reader.corrections_of(invoice.id) == [first, second]
    # the FA's 2 x KUB-001 are all back: the line is at zero, not a grosz left or owed
    fa_line = rows(b.engine, TraElem, TraElem.c.TrE_TrNId == invoice.id, TraElem.c.TrE_Lp == 1)[0]
    corrected = rows(b.engine, TraElem, TraElem.c.TrE_ZwrId == fa_line["TrE_TrEID"], TraElem.c.TrE_TypDokumentu == 302)
    assert fa_line["TrE_WartoscBrutto"] + sum(r["TrE_WartoscBrutto"] for r in corrected) == 0
    assert fa_line["TrE_WartoscNetto"] + sum(r["TrE_WartoscNetto"] for r in corrected) == 0

    with pytest.raises(PermanentError) as refused:  # case E: more than what is left
        b.writer.create_correction(invoice, _returned("ZW-4c", CorrectionLine(1, "KUB-001", Decimal(-1))))
    assert refused.value.code == "correction_too_large" and "poniżej zera" in refused.value.reason
    with pytest.raises(PermanentError) as refused:
        b.writer.create_correction(invoice, _discount("ZW-4d", CorrectionLine(3, SHIPPING_SERVICE_CODE,
                                                                               gross=Decimal("-15.00"))))
    assert refused.value.code == "correction_too_large"
    assert b.reader.find_correction("ZW-4c") is None and b.reader.find_correction("ZW-4d") is None


def test_a_draft_correction_counts_against_what_is_left(books: Books) -> None:
    b = books
    invoice = _sold(b, f.order("3005"))
    b.writer.create_correction(invoice, _returned("ZW-5a", CorrectionLine(2, "KS-001", Decimal(-1)), confirm=False))
    with pytest.raises(PermanentError, match="poniżej zera"):
        b.writer.create_correction(invoice, _returned("ZW-5b", CorrectionLine(2, "KS-001", Decimal(-1))))


def test_what_cannot_be_corrected_is_refused(books: Books) -> None:
    b = books
    invoice = _sold(b, f.order("3006"))
    for line, code in ((CorrectionLine(9, "KUB-001", Decimal(-1)), "correction_unknown_line"),
                       (CorrectionLine(1, "KS-001", Decimal(-1)), "correction_unknown_line"),
                       (CorrectionLine(1, "KUB-001", Decimal(1)), "invalid_correction")):
        with pytest.raises(PermanentError) as refused:
            b.writer.create_correction(invoice, _returned("ZW-6", line))
        assert refused.value.code == code
    correction = b.writer.create_correction(invoice, _returned("ZW-6", CorrectionLine(1, "KUB-001", Decimal(-1))))
    with pytest.raises(PermanentError, match="sama korektą"):
        b.writer.create_correction(correction, _returned("ZW-6x", CorrectionLine(1, "KUB-001", Decimal(-1))))
    for column, why in (("TrN_Anulowany", "anulowana"), ("TrN_Bufor", "w buforze")):
        other = _sold(b, f.order(f"30{7 if column == 'TrN_Bufor' else 8}7"), wz=False)
        with b.engine.begin() as conn:
            conn.execute(update(TraNag).where(TraNag.c.TrN_TrNID == other.id).values({column: 1}))
        with pytest.raises(PermanentError, match=why) as refused:
            b.writer.create_correction(other, _returned(f"ZW-{column}", CorrectionLine(1, "KUB-001", Decimal(-1))))
        assert refused.value.code == "invoice_not_correctable"


def test_the_same_refund_books_one_correction(books: Books) -> None:
    b = books
    invoice = _sold(b, f.order("3009"))
    request = _returned("ZW-9", CorrectionLine(1, "KUB-001", Decimal(-1)))
    first = b.writer.create_correction(invoice, request)
    before = b.reader.item_by_code("KUB-001").available
    assert b.writer.create_correction(invoice, request) == first
    assert b.reader.find_correction("ZW-9") == first
    assert count(b.engine, TraNag, TraNag.c.TrN_NumerObcy == "ZW-9", TraNag.c.TrN_TypDokumentu == 302) == 1
    assert b.reader.item_by_code("KUB-001").available == before


def test_an_open_cod_due_is_netted_and_nothing_is_paid_out(books: Books) -> None:
    b = books
    order = f.order("3010", method="cod", buyer=f.person_buyer())
    invoice = _sold(b, order)
    correction = b.writer.create_correction(invoice, _returned("ZW-10", CorrectionLine(1, "KUB-001", Decimal(-2))))
    assert b.writer.settle_correction(correction, invoice, order, PayoutKind.BANK) is None
    assert b.writer.settle_correction(correction, invoice, order, PayoutKind.BANK) is None
    (payable,) = rows(b.engine, BnkZdarzenia, BnkZdarzenia.c.BZd_DokumentID == correction.id)
    (receivable,) = rows(b.engine, BnkZdarzenia, BnkZdarzenia.c.BZd_DokumentID == invoice.id)
    amount = -_one(b, correction.id)["TrN_RazemBrutto"]
    assert payable["BZd_Kierunek"] == -1 and payable["BZd_Rozliczono"] == 2 and payable["BZd_KwotaRoz"] == amount
    assert receivable["BZd_KwotaRoz"] == amount and receivable["BZd_Rozliczono"] == 1  # the rest is still owed
    (pair,) = rows(b.engine, BnkRozKwoty, BnkRozKwoty.c.BRK_LDokID == receivable["BZd_BZdID"])
    assert (pair["BRK_PDokTyp"], pair["BRK_PDokID"], pair["BRK_Kwota"]) == (1, payable["BZd_BZdID"], amount)
    assert count(b.engine, BnkZapisy, BnkZapisy.c.BZp_Kierunek == -1) == 0
    assert b.reader.find_correction_payout(correction.id) is None


@pytest.mark.parametrize("payout, register", [(PayoutKind.BANK, "PAYU"), (PayoutKind.KW, "KASA")])
def test_a_paid_fa_gets_one_payout_settled_with_the_correction(books: Books, payout, register) -> None:
    b = books
    order = f.order("3011")
    invoice = _sold(b, order)
    b.writer.settle_payment(invoice, order)
    correction = b.writer.create_correction(invoice, _discount("ZW-11", CorrectionLine(
        3, SHIPPING_SERVICE_CODE, gross=Decimal("-14.99"))))
    paid = b.writer.settle_correction(correction, invoice, order, payout)
    assert paid is not None and paid.number.startswith("KW/1/2026")
    assert b.writer.settle_correction(correction, invoice, order, payout) == paid
    assert b.reader.find_correction_payout(correction.id) == paid
    (record,) = rows(b.engine, BnkZapisy, BnkZapisy.c.BZp_Kierunek == -1)
    assert record["BZp_Kwota"] == Decimal("14.99") and record["BZp_NumerObcy"] == "ZW-11"
    from linkoptima_gui.core.optima.schema import BnkRachunki
    assert rows(b.engine, BnkRachunki, BnkRachunki.c.BRa_BRaID == record["BZp_BRaID"])[0]["BRa_Akronim"] == register
    (payable,) = rows(b.engine, BnkZdarzenia, BnkZdarzenia.c.BZd_DokumentID == correction.id)
    assert payable["BZd_Rozliczono"] == 2


def test_cod_paid_out_through_the_bank_without_a_register_goes_to_a_person(books: Books) -> None:
    b = books
    order = f.order("3012", method="cod", buyer=f.person_buyer())
    invoice = _sold(b, order)
    with b.engine.begin() as conn:  # the carrier paid the COD out: the FA is settled
        conn.execute(update(BnkZdarzenia).where(BnkZdarzenia.c.BZd_DokumentID == invoice.id).values(
            BZd_Rozliczono=2, BZd_KwotaRoz=BnkZdarzenia.c.BZd_Kwota))
    correction = b.writer.create_correction(invoice, _returned("ZW-12", CorrectionLine(2, "KS-001", Decimal(-1))))
    with pytest.raises(PermanentError) as refused:
        b.writer.settle_correction(correction, invoice, order, PayoutKind.BANK)
    assert refused.value.code == "no_register"


def _vat_from_gross(gross: Decimal, percent: int) -> Decimal:
    return (gross * percent / (100 + percent)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_the_correction_read_back_has_the_per_rate_differences(books: Books) -> None:
    b = books
    order = f.order("3013", [f.line("KUB-001", 3, "33.33"), f.line("KS-001", 3, "39.90"), f.shipping("14.99")])
    invoice = _sold(b, order)
    correction = b.writer.create_correction(invoice, _returned(
        "ZW-13", CorrectionLine(1, "KUB-001", Decimal(-1)), CorrectionLine(2, "KS-001", Decimal(-2))))
    doc = b.reader.read_correction(correction.id)
    # independently: per rate, VAT of the gross left minus VAT of the gross sold
    expected = {}
    for percent, sold, left in ((23, Decimal("99.99") + Decimal("14.99"), Decimal("66.66") + Decimal("14.99")),
                                (5, Decimal("119.70"), Decimal("39.90"))):
        vat = _vat_from_gross(left, percent) - _vat_from_gross(sold, percent)
        expected[percent] = (left - sold - vat, vat)
    assert {int(r.rate.percent): (r.net, r.vat) for r in doc.vat_rows} == expected
    assert doc.gross_total == Decimal("-33.33") + Decimal("-79.80")
    assert doc.net_total == sum(n for n, _ in expected.values()) and doc.vat_total == sum(v for _, v in expected.values())
    assert (doc.kind, doc.reference, doc.original_id, doc.confirmed) == (CorrectionKind.QUANTITY, "ZW-13", invoice.id, True)
    assert doc.original.number == invoice.number and doc.original.gross_total == order.total
    assert [(li.position, li.quantity) for li in doc.lines] == [(1, -1), (2, -2)]
    assert doc.reason == "Zwrot towaru (odstąpienie)" and doc.number == correction.number


def test_every_correction_query_compiles_for_sql_server_and_postgresql() -> None:
    from sqlalchemy.dialects import mssql, postgresql

    from linkoptima_gui.core.optima import queries_corrections

    for name, build in queries_corrections.ALL_QUERIES.items():
        tsql = str(build().compile(dialect=mssql.dialect()))
        assert "[CDN]." in tsql, name
        str(build().compile(dialect=postgresql.dialect()))
    assert "TOP" in str(queries_corrections.correction_by_reference_query("ZW-1").compile(dialect=mssql.dialect()))
