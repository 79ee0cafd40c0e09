"""Row locks that other claimers pass over, per database (DESIGN.md §5).

Two claimers (an engine's workers, or an old engine that woke up beside the new one) asking for
due jobs at the same moment must not wait for each other's rows, nor take the same ones:
PostgreSQL has ``FOR UPDATE SKIP LOCKED``; SQL Server the table hints ``UPDLOCK, READPAST``
(``ROWLOCK`` keeps it from locking the whole page); SQLite has one writer at a time, so the
conditional update that follows the read is enough there.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select

SQL_SERVER_SKIP_LOCKED = "WITH (UPDLOCK, READPAST, ROWLOCK)"

S = TypeVar("S", bound=Select[Any])


def lock_skipping(query: S, table: Any) -> S:
    """``query`` locking the rows it reads of ``table`` and skipping rows locked by others."""
    return (query.with_for_update(skip_locked=True, of=table)
            .with_hint(table, SQL_SERVER_SKIP_LOCKED, "mssql"))
