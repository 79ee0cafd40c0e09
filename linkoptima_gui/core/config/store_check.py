"""The "Testuj połączenie" of the console's store (Ustawienia → Stanowiska i baza).

Connects without writing anything (no migration, no lease): says whether the store can be used
by this program (an empty database is fine: the tables are made at the next start; a store
migrated by a newer program is refused), which engine is active on it and how fresh its
heartbeat is. On SQL Server it also checks that the database keeps text as Unicode (a UTF-8
collation), since the console's own columns are VARCHAR there.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..store.db import make_engine
from ..store.lease import read_lease
from ..store.location import StoreError, describe, explain, on_network_share, sqlite_file, store_url
from ..store.migrate import HEAD, NewerStoreError, check_revision, current_revision
from .connection_checks import DEFAULT_TIMEOUT, CheckResult, run_with_deadline


def check_store(setting: str, password: str, data_dir: Path, timeout: float = DEFAULT_TIMEOUT) -> CheckResult:
    """Reach the store the settings name ("" = this computer's SQLite file) and read its state."""
    try:
        url = store_url(setting, password, data_dir)
    except StoreError as exc:
        return CheckResult(False, str(exc))
    path = sqlite_file(url)
    if path is not None and not path.exists():
        where = "" if path.parent.is_dir() else f" (folder {path.parent} zostanie utworzony)"
        return CheckResult(True, f"Baza konsoli w pliku {path} powstanie przy starcie{where}: "
                                 "tylko dla tego komputera.")
    return run_with_deadline(lambda: _store(url), timeout, "Baza konsoli")


def _store(url: str) -> CheckResult:
    engine = make_engine(url)
    try:
        revision = current_revision(engine)
        check_revision(revision)
        with engine.connect() as connection:
            lease = read_lease(connection) if revision == HEAD else None
            collation = _sql_server_collation(connection)
    except NewerStoreError as exc:
        return CheckResult(False, str(exc))
    except (SQLAlchemyError, OSError, ImportError) as exc:
        return CheckResult(False, explain(exc, url))
    finally:
        engine.dispose()
    if collation is not None and "UTF8" not in collation.upper():
        return CheckResult(False, f"Baza na SQL Serverze ma sortowanie {collation}, które nie zapisze każdej "
                                  "litery: utwórz ją z sortowaniem UTF-8, np. COLLATE Polish_100_CI_AS_SC_UTF8.")
    parts = [f"Połączono z bazą konsoli {describe(url)}."]
    if revision is None:
        parts.append("Baza jest pusta: tabele zostaną założone przy starcie.")
    elif revision != HEAD:
        parts.append(f"Baza zostanie zaktualizowana przy starcie (z wersji {revision} do {HEAD}).")
    if lease is not None and lease.held:
        parts.append(f"Silnik działa na stanowisku {lease.station} (komputer {lease.host}, "
                     f"sygnał {lease.age_seconds:.0f} s temu).")
    elif revision is not None:
        parts.append("Żaden silnik teraz na niej nie pracuje.")
    path = sqlite_file(url)
    if path is not None:
        parts.append("Uwaga: plik leży na udziale sieciowym — SQLite jest tylko dla jednego komputera."
                     if on_network_share(path) else "SQLite: tylko dla tego komputera.")
    return CheckResult(True, " ".join(parts))


def _sql_server_collation(connection) -> str | None:  # noqa: ANN001 - a SQLAlchemy connection
    if connection.dialect.name != "mssql":
        return None
    return str(connection.execute(text("SELECT CONVERT(nvarchar(128), DATABASEPROPERTYEX(DB_NAME(), "
                                       "'Collation'))")).scalar() or "")
