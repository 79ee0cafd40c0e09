"""Opening the state store: SQLite in WAL mode by default, any SQLAlchemy URL by setting."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from .migrate import upgrade_to_head


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
    """Create the engine, bring the schema to the newest migration, return a session factory."""
    engine = make_engine(url)
    if migrate:
        upgrade_to_head(engine)
    return sessionmaker(engine, expire_on_commit=False)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)
