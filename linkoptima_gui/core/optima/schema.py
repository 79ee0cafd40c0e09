"""The CDN tables of a Comarch ERP Optima company database, and engines to reach them.

One ``MetaData`` serves three places: the real Optima on SQL Server (read-only, schema ``CDN``),
the simulated Optima of the demo and the tests on SQLite (one file = one company, the schema is
translated away) and PostgreSQL (schema ``CDN``), so the reader is always tested against the shape
it will meet. Tables are declared in ``schema_items``, ``schema_trade`` and ``schema_bank`` and
re-exported here; import them from this module.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url

from .schema_bank import BnkRachunki, BnkRaporty, BnkRozKwoty, BnkZapisy, BnkZdarzenia
from .schema_base import CDN_SCHEMA, NUMBER_PLACEHOLDER, full_number, metadata
from .schema_items import (
    TWR_EAN_SQLITE_INDEX,
    DefCeny,
    DokDefinicje,
    FormyPlatnosci,
    Kontrahenci,
    Magazyny,
    Towary,
    TwrCeny,
    TwrEan,
    TwrIlosci,
)
from .schema_trade import TraElem, TraNag, TraVat

__all__ = [
    "CDN_SCHEMA",
    "NUMBER_PLACEHOLDER",
    "WRITE_LOCK",
    "BnkRachunki",
    "BnkRaporty",
    "BnkRozKwoty",
    "BnkZapisy",
    "BnkZdarzenia",
    "DefCeny",
    "DokDefinicje",
    "FormyPlatnosci",
    "Kontrahenci",
    "Magazyny",
    "Towary",
    "TraElem",
    "TraNag",
    "TraVat",
    "TwrCeny",
    "TwrEan",
    "TwrIlosci",
    "create_schema",
    "full_number",
    "has_write_lock_support",
    "metadata",
    "optima_engine",
]

#: Execution option a writer sets on its connection: on SQLite the transaction then starts with
#: ``BEGIN IMMEDIATE`` (the database write lock is taken before the first read, so "look for the
#: document, allocate the next number, insert" cannot interleave with another writer).
WRITE_LOCK = "linkoptima_write_lock"

#: How long a SQLite connection waits for another writer before giving up, in seconds.
SQLITE_BUSY_TIMEOUT_S = 30


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    """Take transaction control from pysqlite (we emit BEGIN ourselves), then WAL + busy timeout.

    WAL lets the GUI and the reader read while the engine books a document; the busy timeout
    makes a second writer wait for the lock instead of failing at once.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    """``BEGIN IMMEDIATE`` for a writer's transaction, a plain deferred ``BEGIN`` for reads."""
    immediate = conn.get_execution_options().get(WRITE_LOCK, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def optima_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for an Optima company database at ``url``.

    SQLite: the ``CDN`` schema is translated away, WAL and a busy timeout are set and the writer
    lock is available (see ``WRITE_LOCK``). Other databases are used as they are (schema ``CDN``);
    extra ``kwargs`` go to ``create_engine``.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, **kwargs)
    connect_args = dict(kwargs.pop("connect_args", {}))
    connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_S)
    engine = create_engine(parsed, connect_args=connect_args, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine.execution_options(schema_translate_map={CDN_SCHEMA: None})


def has_write_lock_support(engine: Engine) -> bool:
    """True unless ``engine`` is a SQLite engine that was not made by ``optima_engine``.

    A plain SQLite engine would let two writers allocate the same number; writers refuse it.
    """
    if engine.dialect.name != "sqlite":
        return True
    return _sqlite_on_connect in list(engine.pool.dispatch.connect)


def _rename_legacy_sqlite_ean_index(conn: Connection) -> None:
    """Demo files made before ``TwrEan`` was declared carry Towary's EAN index under Optima's name
    ``TwrEAN``, which SQLite (one case-insensitive namespace for tables and indexes) will not keep
    beside the table ``TwrEan``: drop it here, it is recreated under its SQLite name."""
    conn.exec_driver_sql('DROP INDEX IF EXISTS "TwrEAN"')


def _add_legacy_sqlite_supplier_column(conn: Connection) -> None:
    """Demo files made before items named their supplier lack ``Twr_KntId``: add it (NULL, no
    supplier), so the Pulpit's reorder table reads them like new ones."""
    columns = {row[1] for row in conn.exec_driver_sql('PRAGMA table_info("Towary")')}
    if columns and "Twr_KntId" not in columns:
        conn.exec_driver_sql('ALTER TABLE "Towary" ADD COLUMN "Twr_KntId" INTEGER')


def create_schema(engine: Engine) -> None:
    """Create the CDN tables that do not exist yet (and the ``CDN`` schema on PostgreSQL)."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{CDN_SCHEMA}"'))
        if conn.dialect.name == "sqlite":
            _rename_legacy_sqlite_ean_index(conn)
        metadata.create_all(conn, checkfirst=True)
        if conn.dialect.name == "sqlite":
            _add_legacy_sqlite_supplier_column(conn)
            TWR_EAN_SQLITE_INDEX.create(conn, checkfirst=True)  # an existing Towary gets no new index
