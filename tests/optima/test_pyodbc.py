"""The reader through pyodbc and unixODBC, for real (PostgreSQL through psqlODBC).

SQL Server cannot run here, so the pyodbc path is driven against PostgreSQL: the demo company is
seeded (schema ``CDN``) and documents are booked by the simulated writer on the native psycopg
connection, then ``SqlOptimaReader`` reads them through SQLAlchemy's ``PyODBCConnector`` (the
class ``mssql+pyodbc`` is built on: ``odbc_connect``, isolation level, autocommit), pyodbc, the
unixODBC driver manager and the psqlODBC driver. The SQL is PostgreSQL's, not T-SQL (that is
``test_mssql_compile.py``); what is real here is the driver path, ``?`` parameters, the
Decimal / datetime / Unicode conversions, the connection string reaching the driver intact and the
engine options connect.py gives every SQL Server reader (READ UNCOMMITTED).

How CI provides it: ``.ci/run`` installs the Debian packages ``unixodbc`` and ``odbc-postgresql``
(whose install script registers the "PostgreSQL Unicode" driver in /etc/odbcinst.ini; ``.ci/run``
registers it with ``odbcinst`` from the package's template if not), ``make test`` installs
pyodbc (extra ``sqlserver``), and ``.ci/run`` starts PostgreSQL and exports
``LINKOPTIMA_TEST_PG_URL``, ``LINKOPTIMA_TEST_ODBC_DRIVER=PostgreSQL Unicode`` and
``LINKOPTIMA_TEST_REQUIRE_ODBC=1``. With the last one set a missing piece fails these tests; without
it (a developer machine) they are skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.connectors.pyodbc import PyODBCConnector
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from linkoptima_gui.core.optima.connect import (
    READ_UNCOMMITTED,
    SQL_SERVER_ENGINE_OPTIONS,
    OptimaConnectionError,
    check_odbc,
    odbc_url,
    odbc_value,
    reader_engine,
)
from linkoptima_gui.core.optima.lookup_types import DueStatus
from linkoptima_gui.core.optima.lookups import OptimaLookups
from linkoptima_gui.core.optima.port import DocumentRef
from linkoptima_gui.core.optima.reader import SqlOptimaReader
from linkoptima_gui.core.optima.schema import optima_engine
from linkoptima_gui.core.optima.simulated import SimulatedOptimaWriter
from linkoptima_gui.demo.optima_seed import seed_demo_optima

from . import factories as f
from .conftest import NOW, clock

PG_URL = os.environ.get("LINKOPTIMA_TEST_PG_URL", "")
ODBC_DRIVER = os.environ.get("LINKOPTIMA_TEST_ODBC_DRIVER", "PostgreSQL Unicode")
REQUIRED = os.environ.get("LINKOPTIMA_TEST_REQUIRE_ODBC", "") not in ("", "0")
#: Sent inside the connection string: ``;``, ``+``, ``%`` and a space must reach the driver intact.
APPLICATION_NAME = "LinkOptima; odbc+100% ok"


class PGDialect_pyodbc(PyODBCConnector, PGDialect):  # noqa: N801 (SQLAlchemy's naming)
    """PostgreSQL SQL over SQLAlchemy's pyodbc connector, as ``MSDialect_pyodbc`` does for T-SQL."""

    supports_statement_cache = True


registry.register("postgresql.linkoptima_pyodbc", __name__, "PGDialect_pyodbc")


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"LINKOPTIMA_TEST_REQUIRE_ODBC is set, but {reason}", pytrace=False)
    pytest.skip(reason)


def odbc_connection_string() -> str:
    """psqlODBC's connection string for the test database, as a user would type it."""
    pg = make_url(PG_URL)
    attributes = {
        "SERVER": pg.host or "localhost",
        "PORT": str(pg.port or 5432),
        "DATABASE": pg.database or "",
        "UID": pg.username or "",
        "PWD": pg.password or "",
        "CommLog": "0",
        "Debug": "0",
        # what a read-only login gives: any write fails (the reader must not need one)
        "ConnSettings": "SET default_transaction_read_only=on",
        "pqopt": f"application_name='{APPLICATION_NAME}'",
    }
    driver = "DRIVER={" + ODBC_DRIVER.replace("}", "}}") + "}"
    return ";".join([driver, *(f"{key}={odbc_value(value)}" for key, value in attributes.items())])


@dataclass
class Booked:
    native: Engine
    odbc: Engine
    invoice: DocumentRef
    wz: DocumentRef
    kp: DocumentRef
    unpaid: DocumentRef

    def readers(self) -> tuple[SqlOptimaReader, SqlOptimaReader]:
        """(through pyodbc, through psycopg)"""
        return SqlOptimaReader(self.odbc, clock=clock), SqlOptimaReader(self.native, clock=clock)


@pytest.fixture(scope="module")
def booked() -> Iterator[Booked]:
    if not PG_URL:
        _unavailable("set LINKOPTIMA_TEST_PG_URL (a PostgreSQL database) to run the pyodbc tests")
    url = odbc_url(odbc_connection_string(), drivername="postgresql+linkoptima_pyodbc")
    try:
        check_odbc(url)  # pyodbc imports, unixODBC is there and the driver is registered
    except OptimaConnectionError as error:
        _unavailable(f"{error.reason} (apt-get install unixodbc odbc-postgresql)")
    native = optima_engine(PG_URL)
    with native.begin() as conn:
        conn.execute(text('DROP SCHEMA IF EXISTS "CDN" CASCADE'))
    assert seed_demo_optima(native, now=NOW)
    writer = SimulatedOptimaWriter(native, clock=clock)
    order = f.order("1001")
    invoice = writer.create_invoice(order, writer.ensure_contractor(order.buyer))
    wz = writer.create_wz_from_invoice(invoice)
    kp = writer.settle_payment(invoice, order)
    second = f.order("1002", method="cod", buyer=f.person_buyer())
    unpaid = writer.create_invoice(second, writer.ensure_contractor(second.buyer))
    # the engine connect.py makes for SQL Server, on this pyodbc URL
    odbc = reader_engine(url, **SQL_SERVER_ENGINE_OPTIONS)
    yield Booked(native, odbc, invoice, wz, kp, unpaid)
    odbc.dispose()
    native.dispose()


def test_the_reads_really_go_through_pyodbc(booked: Booked) -> None:
    import pyodbc

    with booked.odbc.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, pyodbc.Connection)
        assert raw.getinfo(pyodbc.SQL_DRIVER_NAME).startswith("psqlodbc")
        assert conn.dialect.driver == "pyodbc" and conn.dialect.paramstyle == "qmark"


def test_items_and_stock_through_pyodbc(booked: Booked) -> None:
    odbc, native = booked.readers()
    item = odbc.item_by_code("KUB-001")
    assert item == native.item_by_code("KUB-001")
    assert item is not None and item.name == "Kubek ceramiczny Żółw" and item.unit == "szt."
    assert isinstance(item.available, Decimal) and item.available > 0
    service = odbc.item_by_code("USL-TRANSPORT")
    assert service is not None and service.is_service and service.available == 0
    assert odbc.item_by_code("NIE-MA-TAKIEGO") is None
    levels = odbc.stock_levels()
    assert levels == native.stock_levels()
    assert len(levels) == 205 and all(isinstance(v, Decimal) for v in levels.values())  # 200 + 5 behind variations
    assert levels["KUB-001"] == item.available


def test_documents_through_pyodbc(booked: Booked) -> None:
    odbc, native = booked.readers()
    assert odbc.find_invoice("1001") == booked.invoice == DocumentRef(booked.invoice.id, "FA/1/2026")
    assert odbc.find_invoice("9999") is None
    assert odbc.find_wz(booked.invoice.id) == booked.wz
    assert odbc.find_payment("1001") == booked.kp
    assert odbc.find_payment("1002") is None
    document = odbc.read_invoice(booked.invoice.id)
    assert document == native.read_invoice(booked.invoice.id)
    assert document.number == "FA/1/2026" and document.paid and document.order_number == "1001"
    assert document.buyer.name == "Hurtownia Orzeł sp. z o.o."
    assert isinstance(document.gross_total, Decimal) and document.gross_total == sum(
        (line.gross for line in document.lines), Decimal(0)
    )
    assert document.issue_date == NOW.date()
    cod = odbc.read_invoice(booked.unpaid.id)
    assert cod == native.read_invoice(booked.unpaid.id) and not cod.paid and cod.cash_on_delivery
    counts = odbc.count_documents()
    assert counts == native.count_documents()
    assert (counts["fa"], counts["wz"], counts["kp"]) == (2, 1, 1)


def test_lookups_through_pyodbc(booked: Booked) -> None:
    """String functions on a bound ``?`` (NIP digits), aggregates read back as Decimal and dates."""
    odbc, native = OptimaLookups(booked.odbc), OptimaLookups(booked.native)
    cards = odbc.contractors_by_nip("PL 987-654-32-10")
    assert cards == native.contractors_by_nip("9876543210")
    assert [c.code for c in cards] == ["HURT-ORZEL"] and cards[0].name == "Hurtownia Orzeł sp. z o.o."
    paid, open_ = odbc.due_state(booked.invoice.id), odbc.due_state(booked.unpaid.id)
    assert (paid, open_) == (native.due_state(booked.invoice.id), native.due_state(booked.unpaid.id))
    assert paid.status is DueStatus.SETTLED and isinstance(paid.amount, Decimal) and paid.left == 0
    assert open_.status is DueStatus.OPEN and open_.left == open_.amount > 0
    (item,) = odbc.items_by_ean(f.ITEMS["KUB-001"].ean)
    assert item.code == "KUB-001" and not item.via_extra_ean


def test_the_connection_is_what_connect_py_asks_for(booked: Booked) -> None:
    with booked.odbc.connect() as conn:

        def show(setting: str) -> str:
            return conn.exec_driver_sql(f"SHOW {setting}").scalar_one()

        # READ UNCOMMITTED set by SQLAlchemy's pyodbc connector (PostgreSQL runs it as read committed)
        assert show("transaction_isolation") == READ_UNCOMMITTED.lower()
        # the odbc_connect string reached psqlODBC with its ; + % and spaces
        assert show("application_name") == APPLICATION_NAME
        # every read above ran in a read-only session
        assert show("default_transaction_read_only") == "on"
    with pytest.raises(DBAPIError, match="read-only"), booked.odbc.begin() as conn:
        conn.execute(text('UPDATE "CDN"."Towary" SET "Twr_Nazwa" = "Twr_Nazwa"'))


def test_reader_dates_are_bound_as_datetimes(booked: Booked) -> None:
    """Stock cut-off and the like travel as ODBC timestamps, never as text (see the compile test)."""
    seen: list[Any] = []

    def remember(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        seen.append(parameters)

    event.listen(booked.odbc, "before_cursor_execute", remember)
    try:
        SqlOptimaReader(booked.odbc, clock=lambda: datetime(2026, 3, 16, 12)).stock_levels()
    finally:
        event.remove(booked.odbc, "before_cursor_execute", remember)
    assert any(isinstance(p, datetime) for params in seen for p in params)
