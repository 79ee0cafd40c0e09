"""The SQL reader: invoices as booked, items and stock, document counts, T-SQL shapes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, event, update
from sqlalchemy.dialects import mssql, postgresql

from linkoptima_gui.core.domain.vat import VatRate
from linkoptima_gui.core.errors import PermanentError
from linkoptima_gui.core.optima import queries
from linkoptima_gui.core.optima.reader import SqlOptimaReader
from linkoptima_gui.core.optima.schema import TraElem, TraNag, TraVat, TwrIlosci
from linkoptima_gui.demo.catalogue import CATALOGUE, VARIATION_GOODS

from . import factories as f
from .conftest import NOW, rows


def _book(writer, order):
    return writer.create_invoice(order, writer.ensure_contractor(order.buyer))


def test_read_invoice_gives_the_figures_as_booked(writer, reader, engine) -> None:
    order = f.order("4001")
    ref = _book(writer, order)
    document = reader.read_invoice(ref.id)
    header = rows(engine, TraNag)[0]

    assert document.number == ref.number == "FA/1/2026"
    assert document.issue_date == document.sale_date == NOW.date()
    assert document.order_number == "4001" and document.from_gross
    assert document.buyer.name == "Hurtownia Orzeł sp. z o.o." and document.buyer.nip == "9876543210"
    assert document.buyer.address.street == "ul. Składowa 4/2" and document.buyer.address.city == "Poznań"
    assert document.buyer.email == "zakupy@orzel.example"
    assert document.seller.nip == reader.settings.seller.nip and document.place == "Warszawa"
    assert (document.net_total, document.vat_total, document.gross_total) == (
        header["TrN_RazemNetto"],
        header["TrN_RazemVAT"],
        header["TrN_RazemBrutto"],
    )
    assert document.gross_total == order.total
    stored_vat = {VatRate.from_optima(r["TrV_Stawka"], r["TrV_Flaga"]): r for r in rows(engine, TraVat)}
    assert [row.rate for row in document.vat_rows] == [VatRate.R23, VatRate.R5]
    for row in document.vat_rows:
        assert (row.net, row.vat) == (stored_vat[row.rate]["TrV_Netto"], stored_vat[row.rate]["TrV_VAT"])
    stored_lines = sorted(rows(engine, TraElem), key=lambda r: r["TrE_Lp"])
    for line, stored, given in zip(document.lines, stored_lines, order.lines, strict=True):
        assert (line.net, line.gross) == (stored["TrE_WartoscNetto"], stored["TrE_WartoscBrutto"])
        assert (line.net, line.vat, line.gross) == (given.net, given.vat, given.gross)
        assert line.quantity == given.quantity and line.rate is given.rate
    assert document.lines[0].unit_gross == Decimal("29.99") and document.lines[0].unit == "szt."
    assert document.payment_method == "PayU" and not document.paid


def test_read_invoice_of_an_unknown_id(reader) -> None:
    with pytest.raises(PermanentError) as caught:
        reader.read_invoice(424242)
    assert caught.value.code == "invoice_not_found"


def test_find_methods_return_none_before_booking(reader) -> None:
    assert reader.find_invoice("nope") is None
    assert reader.find_wz(1) is None
    assert reader.find_payment("nope") is None


def test_find_invoice_ignores_drafts_and_cancelled(writer, reader, engine) -> None:
    ref = _book(writer, f.order("4002"))
    assert reader.find_invoice("4002") == ref
    with engine.begin() as conn:
        conn.execute(update(TraNag).values(TrN_Anulowany=1))
    assert reader.find_invoice("4002") is None


def test_item_by_code(reader, engine) -> None:
    kubek = reader.item_by_code("KUB-001")
    assert kubek is not None and not kubek.is_service and kubek.active
    assert kubek.available == CATALOGUE[0].stock and kubek.ean == CATALOGUE[0].ean
    transport = reader.item_by_code("USL-TRANSPORT")
    assert transport is not None and transport.is_service and transport.available == 0
    assert reader.item_by_code("NIE-MA") is None

    with engine.begin() as conn:
        conn.execute(update(TwrIlosci).where(TwrIlosci.c.TwI_TwrId == kubek.id).values(TwI_Rezerwacje=2))
        conn.execute(
            TwrIlosci.insert().values(
                TwI_TwrId=kubek.id, TwI_MagId=1, TwI_Data=datetime(2026, 12, 31), TwI_Ilosc=Decimal(999)
            )
        )
    assert reader.item_by_code("KUB-001").available == CATALOGUE[0].stock - 2  # future rows do not count


def test_stock_levels_in_one_statement(reader, engine) -> None:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        levels = reader.stock_levels()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == 1
    assert len(levels) == len(CATALOGUE + VARIATION_GOODS) and "USL-TRANSPORT" not in levels
    assert all(levels[item.code] == item.stock for item in CATALOGUE + VARIATION_GOODS)


def test_count_documents_and_duplicates(writer, reader, engine) -> None:
    for number in ("4101", "4102"):
        order = f.order(number)
        invoice = _book(writer, order)
        writer.create_wz_from_invoice(invoice)
        writer.settle_payment(invoice, order)
    cod = f.order("4103", [f.line("KS-002", 1)], method="cod")
    writer.create_wz_from_invoice(_book(writer, cod))
    assert reader.count_documents() == {
        "fa": 3,
        "wz": 3,
        "kp": 2,
        "fa_duplicates": 0,
        "wz_duplicates": 0,
        "kp_duplicates": 0,
    }
    with engine.begin() as conn:  # a second FA for order 4101, as a double booking would leave
        header = dict(
            conn.execute(
                TraNag.select().where(TraNag.c.TrN_NumerObcy == "4101", TraNag.c.TrN_TypDokumentu == 302)
            )
            .mappings()
            .one()
        )
        for key in ("TrN_TrNID", "TrN_NumerPelny", "TrN_ImportRowId"):
            header.pop(key)
        header["TrN_NumerNr"] = 99
        conn.execute(TraNag.insert().values(header))
    counts = reader.count_documents()
    assert counts["fa"] == 4 and counts["fa_duplicates"] == 1


def test_every_reader_query_compiles_for_sql_server_and_postgresql() -> None:
    for name, build in queries.ALL_QUERIES.items():
        statement = build()
        tsql = str(statement.compile(dialect=mssql.dialect()))
        assert "[CDN]." in tsql or "CDN." in tsql, name
        assert "LIMIT" not in tsql, name
        str(statement.compile(dialect=postgresql.dialect()))
    assert "TOP" in str(queries.invoice_by_order_query("1").compile(dialect=mssql.dialect()))


def test_on_sql_server_bulk_reads_are_uncommitted_and_reads_that_decide_committed(engine) -> None:
    # a stand-in for pyodbc: the engine is never connected, only its options are looked at
    driver = SimpleNamespace(paramstyle="qmark", version="5.0", Cursor=type("Cursor", (), {}))
    url = "mssql+pyodbc://reader@optima/CDN_Firma?driver=ODBC+Driver+18+for+SQL+Server"
    server = SqlOptimaReader(create_engine(url, module=driver))
    assert server.engine.get_execution_options()["isolation_level"] == "READ UNCOMMITTED"
    assert server.decisions.get_execution_options()["isolation_level"] == "READ COMMITTED"
    simulated = SqlOptimaReader(engine)  # SQLite and PostgreSQL keep their default (read committed)
    assert "isolation_level" not in simulated.engine.get_execution_options()
    assert "isolation_level" not in simulated.decisions.get_execution_options()


def test_the_lookups_that_decide_go_through_the_committed_engine(engine, writer) -> None:
    order = f.order("1201")
    writer.settle_payment(writer.create_invoice(order, writer.ensure_contractor(order.buyer)), order)
    reader = SqlOptimaReader(engine)
    reader._engine = engine.execution_options(reads="bulk")
    reader._decisions = engine.execution_options(reads="decision")
    seen: list[str] = []

    def listen(conn, *_args) -> None:
        seen.append(conn.get_execution_options()["reads"])

    event.listen(engine, "before_cursor_execute", listen)
    try:
        invoice = reader.find_invoice("1201")
        reader.find_wz(invoice.id), reader.find_payment("1201"), reader.read_invoice(invoice.id)
        decided = len(seen)
        reader.stock_levels(), reader.item_by_code("KUB-001"), reader.stock_changes(None)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert set(seen[:decided]) == {"decision"} and set(seen[decided:]) == {"bulk"}
