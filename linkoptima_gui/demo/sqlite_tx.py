"""One write transaction on a demo stand-in's SQLite file, shared by its threads.

``BEGIN IMMEDIATE`` takes the write lock at the start, so two processes on the same file (a
rerun while the old one is still closing) wait for each other instead of failing halfway; the
re-entrant lock keeps the stand-in's own threads on its one connection in turn.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def immediate_transaction(db: sqlite3.Connection, lock: threading.RLock) -> Iterator[sqlite3.Connection]:
    """Commit what the block wrote, or roll all of it back when the block raises."""
    with lock:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
