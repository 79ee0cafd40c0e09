"""The CDN schema: real names and types, computed numbers, Optima's unique indexes."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.dialects import mssql, postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import CreateIndex, CreateTable

from linkoptima_gui.core.optima.schema import (
    BnkZapisy,
    Towary,
    TraNag,
    create_schema,
    full_number,
    metadata,
    optima_engine,
)
from linkoptima_gui.core.optima.simulated import SimulatedOptimaWriter
from linkoptima_gui.demo.optima_seed import FILE_NAME, create_demo_optima

from . import factories as f
from .conftest import NOW, count

TABLES = {
    "Towary",
    "TwrIlosci",
    "TwrEan",
    "TwrCeny",
    "DefCeny",
    "Magazyny",
    "Kontrahenci",
    "TraNag",
    "TraElem",
    "TraVat",
    "DokDefinicje",
    "FormyPlatnosci",
    "BnkRachunki",
    "BnkRaporty",
    "BnkZdarzenia",
    "BnkZapisy",
    "BnkRozKwoty",
}


def test_schema_creates_on_sqlite_without_the_cdn_schema(tmp_path: Path) -> None:
    engine = optima_engine(f"sqlite:///{tmp_path / 'company.sqlite'}")
    create_schema(engine)
    create_schema(engine)  # idempotent
    inspector = inspect(engine)
    assert set(inspector.get_table_names()) == TABLES
    columns = {c["name"] for c in inspector.get_columns("TraNag")}
    assert {
        "TrN_NumerPelny",
        "TrN_NumerObcy",
        "TrN_FaId",
        "TrN_TypNB",
        "TrN_KSeFStatus",
        "TrN_NrKSeF",
    } <= columns
    unique = {i["name"] for i in inspector.get_indexes("TraNag") if i["unique"]}
    assert {"TrNNumer", "TrNNumerPelny", "TrNTypNUmer"} <= unique
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    engine.dispose()


def test_a_demo_file_from_before_twrean_gets_the_table(tmp_path: Path) -> None:
    """Older files have Towary's EAN index under Optima's name TwrEAN, which SQLite will not keep
    beside a table TwrEan (one case-insensitive namespace): opening them renames the index."""
    engine = optima_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    create_schema(engine)
    with engine.begin() as conn:  # make it look like a file from before
        conn.exec_driver_sql('DROP TABLE "TwrEan"')
        conn.exec_driver_sql('DROP INDEX "TwrEANKod"')
        conn.exec_driver_sql('CREATE UNIQUE INDEX "TwrEAN" ON "Towary" ("Twr_EAN", "Twr_TwrId")')
    create_schema(engine)
    inspector = inspect(engine)
    assert set(inspector.get_table_names()) == TABLES
    assert {i["name"] for i in inspector.get_indexes("Towary")} >= {"TwrEANKod", "TwrKod"}
    assert "TwrEAN" not in {i["name"] for i in inspector.get_indexes("Towary")}
    engine.dispose()


def test_full_number_is_computed_by_the_database(engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            TraNag.insert().values(
                TrN_TypDokumentu=302,
                TrN_Rodzaj=302000,
                TrN_NumerString="FA/@numerS/2026",
                TrN_NumerNr=17,
                TrN_DataDok=NOW,
                TrN_DataWys=NOW,
                TrN_DataOpe=NOW,
                TrN_DataKur=NOW,
                TrN_Termin=NOW,
                TrN_TS_Zal=NOW,
                TrN_TS_Mod=NOW,
            )
        )
        stored = conn.execute(select(TraNag.c.TrN_NumerPelny)).scalar_one()
    assert stored == "FA/17/2026" == full_number("FA/@numerS/2026", 17)


def test_a_duplicate_document_number_fails_hard(writer, engine) -> None:
    booked = writer.create_invoice(f.order("1001"), writer.ensure_contractor(f.company_buyer()))
    with engine.connect() as conn:
        header = dict(conn.execute(select(TraNag).where(TraNag.c.TrN_TrNID == booked.id)).mappings().one())
    for key in ("TrN_TrNID", "TrN_NumerPelny", "TrN_ImportRowId"):
        header.pop(key)
    header["TrN_NumerObcy"] = "9999"
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(TraNag.insert().values(header))
    assert count(engine, TraNag) == 1


def test_a_duplicate_kp_number_fails_hard(writer, engine) -> None:
    order = f.order("1001")
    invoice = writer.create_invoice(order, writer.ensure_contractor(order.buyer))
    kp = writer.settle_payment(invoice, order)
    with engine.connect() as conn:
        record = dict(conn.execute(select(BnkZapisy).where(BnkZapisy.c.BZp_BZpID == kp.id)).mappings().one())
    for key in ("BZp_BZpID", "BZp_NumerPelny", "BZp_ImportRowId"):
        record.pop(key)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(BnkZapisy.insert().values(record))


def test_a_duplicate_item_code_fails_hard(engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            Towary.insert().values(
                Twr_Typ=1, Twr_Kod="KUB-001", Twr_Nazwa="Kopia", Twr_EAN="", Twr_TS_Zal=NOW, Twr_TS_Mod=NOW
            )
        )


def test_ddl_compiles_for_sql_server_and_postgresql() -> None:
    for table in metadata.sorted_tables:
        tsql = str(CreateTable(table).compile(dialect=mssql.dialect()))
        assert f"[CDN].[{table.name}]" in tsql
        str(CreateTable(table).compile(dialect=postgresql.dialect()))
        for index in table.indexes:
            str(CreateIndex(index).compile(dialect=mssql.dialect()))
    tranag = str(CreateTable(TraNag).compile(dialect=mssql.dialect()))
    assert "[TrN_NumerPelny] AS (replace(" in tranag and "PERSISTED" in tranag
    assert "[TrN_Korekta] TINYINT" in tranag
    assert "[TrN_NumerObcy] VARCHAR(256)" in tranag
    assert "[TrN_PodNazwa1] NVARCHAR(50)" in tranag
    assert "[TrN_RazemBrutto] NUMERIC(15, 2)" in tranag
    assert "[TrN_DataDok] DATETIME" in tranag


def test_the_writer_refuses_a_sqlite_engine_without_the_write_lock(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        SimulatedOptimaWriter(create_engine(f"sqlite:///{tmp_path / 'x.sqlite'}"))


def test_reopening_the_demo_company_does_not_reseed(tmp_path: Path) -> None:
    engine = create_demo_optima(tmp_path, now=NOW)
    writer = SimulatedOptimaWriter(engine, clock=lambda: NOW)
    writer.create_invoice(f.order("1001"), writer.ensure_contractor(f.company_buyer()))
    items = count(engine, Towary)
    engine.dispose()
    again = create_demo_optima(tmp_path / FILE_NAME, now=NOW)
    assert count(again, Towary) == items == 207  # 200 goods, 2 services, 5 behind variations
    assert count(again, TraNag) == 1
    again.dispose()


@pytest.mark.skipif(not os.environ.get("LINKOPTIMA_TEST_PG_URL"), reason="set LINKOPTIMA_TEST_PG_URL to run")
def test_the_whole_flow_on_postgresql() -> None:
    """Same metadata, schema CDN, on PostgreSQL (e.g. postgresql+psycopg://user@host/db)."""
    from linkoptima_gui.core.optima.reader import SqlOptimaReader
    from linkoptima_gui.demo.optima_seed import seed_demo_optima

    engine = optima_engine(os.environ["LINKOPTIMA_TEST_PG_URL"])
    with engine.begin() as conn:
        conn.execute(text('DROP SCHEMA IF EXISTS "CDN" CASCADE'))
    assert seed_demo_optima(engine, now=NOW) and not seed_demo_optima(engine, now=NOW)
    writer = SimulatedOptimaWriter(engine, clock=lambda: NOW)
    reader = SqlOptimaReader(engine, clock=lambda: datetime(2026, 3, 16, 12))
    order = f.order("1001")
    invoice = writer.create_invoice(order, writer.ensure_contractor(order.buyer))
    writer.create_wz_from_invoice(invoice)
    writer.settle_payment(invoice, order)
    assert invoice.number == "FA/1/2026"
    assert reader.read_invoice(invoice.id).paid
    assert reader.count_documents()["fa"] == 1
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Towary)).scalar_one() == 207
    engine.dispose()
