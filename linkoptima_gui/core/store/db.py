"""Opening the state store: SQLite in WAL mode by default, any SQLAlchemy URL by setting.

Several processes, on one computer or several, may share one store (DESIGN.md §5). What they
compare in time (an engine's heartbeat, a claim's expiry) is taken from the store's own clock
(``server_now``), so computers whose clocks disagree by seconds still agree on who is late.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from .migrate import upgrade_to_head
from .models import utcnow

#: seconds a store server may take to accept a connection before the console says why not
CONNECT_TIMEOUT = 5
#: seconds PostgreSQL lets a session sit in an open transaction (the console's are short)
IDLE_IN_TRANSACTION = 30


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API connection
    # SQLite's own lower() knows only ASCII; searches must find "Łukasz" when typed "łukasz".
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def open_store(url: str, *, migrate: bool = True) -> sessionmaker[Session]:
    """Create the engine, bring the schema to the newest migration, return a session factory.

    Raises ``NewerStoreError`` for a store a newer program migrated (nothing is written)."""
    engine = make_engine(url)
    if migrate:
        try:
            upgrade_to_head(engine)
        except BaseException:
            engine.dispose()
            raise
    return sessionmaker(engine, expire_on_commit=False)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql"):
        # a process frozen mid-transaction (a paused PC) must not hold its row locks for ever: the
        # server ends such a session after IDLE_IN_TRANSACTION, and a standby can take over
        return create_engine(url, pool_pre_ping=True, connect_args={
            "connect_timeout": CONNECT_TIMEOUT,
            "options": f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION * 1000}"})
    if url.startswith("mssql+pyodbc"):
        return create_engine(url, pool_pre_ping=True, connect_args={"timeout": CONNECT_TIMEOUT})
    return create_engine(url, pool_pre_ping=True)


#: "now" in UTC by the store's clock, per dialect (SQLite is one computer: its clock is ours)
_SERVER_NOW = {
    "postgresql": "SELECT CAST(clock_timestamp() AT TIME ZONE 'UTC' AS timestamp)",
    "mssql": "SELECT SYSUTCDATETIME()",
}


def server_now(connection: Session | Connection) -> datetime:
    """The store's current time, naive UTC (how the store keeps its times)."""
    dialect = connection.get_bind().dialect.name if isinstance(connection, Session) else connection.dialect.name
    query = _SERVER_NOW.get(dialect)
    if query is None:
        return utcnow()
    value = connection.execute(text(query)).scalar_one()
    return value.replace(tzinfo=None) if isinstance(value, datetime) else datetime.fromisoformat(str(value))
