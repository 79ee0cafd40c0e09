"""The emulated ShipX account's whole state in one SQLite file, ``<folder>/shipx.sqlite``.

Why this shape: the same as the shop emulator's store. Every write is one ``BEGIN IMMEDIATE``
transaction on a WAL journal, so a killed process and a restart on the same folder find every
shipment that was answered with 201, with its status and tracking number. One connection under a
re-entrant lock serves the threaded HTTP server.

Confirmation is what makes ShipX asynchronous: a shipment is answered ``created`` and only later
becomes ``confirmed``, with a tracking number and a label. Here that happens when it is *looked
at* (no background thread, so nothing races a test): a read that finds the shipment due moves it
on. It is due after ``confirm_after_polls`` reads through the API (deterministic, for tests), or
``confirm_after_seconds`` after creation on ``clock`` (the demo's default), whichever comes
first; with both off it waits for ``confirm()``. Reads before that show ``offers_prepared``.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...core.shipping.builtin import check_digit
from ..sqlite_tx import immediate_transaction
from .common import (
    STATUS_CONFIRMED,
    STATUS_CREATED,
    STATUS_OFFERS_PREPARED,
    aware,
    iso,
    json_default,
    utc_now,
)

DB_NAME = "shipx.sqlite"
FIRST_ID = 1_000_001  # ShipX ids are large integers; starting high catches int/str mix-ups early

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS shipments (
        id              INTEGER PRIMARY KEY,
        organization_id INTEGER NOT NULL,
        reference       TEXT,
        status          TEXT NOT NULL,
        tracking_number TEXT UNIQUE,
        polls           INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        doc             TEXT NOT NULL
    )""",
    # ShipX itself does not refuse a second shipment with the same reference: the index only
    # makes the search fast. Idempotency is the client's job (look before you create).
    "CREATE INDEX IF NOT EXISTS shipments_reference ON shipments (organization_id, reference)",
)


@dataclass
class ShipmentRow:
    id: int
    organization_id: int
    reference: str | None
    status: str
    tracking_number: str | None
    polls: int
    created_at: str
    updated_at: str
    doc: dict[str, Any]


def make_tracking_number(organization_id: int, shipment_id: int) -> str:
    """24 digits starting ``52`` like many real InPost numbers, with a mod-10 check digit."""
    body = f"52{organization_id % 100_000:05d}{shipment_id:016d}"
    return body + check_digit(body)


def _row(values: tuple[Any, ...]) -> ShipmentRow:
    *head, doc = values
    return ShipmentRow(*head, doc=json.loads(doc, parse_float=Decimal))


_COLUMNS = "id, organization_id, reference, status, tracking_number, polls, created_at, updated_at, doc"


class ShipXStore:
    """Persistent state of one emulated ShipX organization; every public method is one transaction."""

    def __init__(self, folder: Path, clock: Callable[[], datetime] | None = None) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / DB_NAME
        self.clock = clock or utc_now
        self.confirm_after_polls: int | None = None
        self.confirm_after_seconds: float | None = None
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        with self._write() as db:
            for statement in _SCHEMA:
                db.execute(statement)
            defaults = {
                "token": secrets.token_hex(32),
                "organization_id": str(10_000 + secrets.randbelow(90_000)),
                "next_id": str(FIRST_ID),
            }
            for key, value in defaults.items():
                db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        return immediate_transaction(self._db, self._lock)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def token(self) -> str:
        return self._meta("token") or ""

    @property
    def organization_id(self) -> int:
        return int(self._meta("organization_id") or 0)

    def organization(self) -> dict[str, Any] | None:
        """The organization's own data (its default sender), as last set by ``set_organization``."""
        text = self._meta("organization")
        return json.loads(text) if text else None

    def set_organization(self, data: dict[str, Any]) -> None:
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('organization', ?)",
                (json.dumps(data, ensure_ascii=False),),
            )

    # --- shipments ------------------------------------------------------------------------------

    def create(self, organization_id: int, data: dict[str, Any]) -> ShipmentRow:
        """Store an accepted shipment as ``created`` (no tracking number, no label yet)."""
        now = iso(self.clock())
        with self._write() as db:
            new_id = int(db.execute("SELECT value FROM meta WHERE key = 'next_id'").fetchone()[0])
            db.execute("UPDATE meta SET value = ? WHERE key = 'next_id'", (str(new_id + 1),))
            db.execute(
                f"INSERT INTO shipments ({_COLUMNS}) VALUES (?, ?, ?, ?, NULL, 0, ?, ?, ?)",
                (
                    new_id,
                    organization_id,
                    data.get("reference"),
                    STATUS_CREATED,
                    now,
                    now,
                    json.dumps(data, ensure_ascii=False, default=json_default),
                ),
            )
            return self._select(db, new_id)

    def read(self, shipment_id: int, *, poll: bool = True) -> ShipmentRow | None:
        """One shipment; ``poll`` = this is a client looking through the API (it may move on)."""
        with self._write() as db:
            row = self._select(db, shipment_id)
            return self._advance(db, row, poll) if row else None

    def search(
        self,
        organization_id: int,
        *,
        ids: list[int],
        reference: str | None,
        tracking_number: str | None,
        statuses: list[str],
        page: int,
        per_page: int,
        poll: bool = True,
    ) -> tuple[list[ShipmentRow], int]:
        """Shipments matching every given criterion, newest first, one page of them."""
        where, args = ["organization_id = ?"], [organization_id]
        if ids:
            where.append(f"id IN ({', '.join('?' * len(ids))})")
            args += ids
        if reference is not None:
            where.append("reference = ?")
            args.append(reference)
        if tracking_number is not None:
            where.append("tracking_number = ?")
            args.append(tracking_number)
        clause = " AND ".join(where)
        with self._write() as db:
            rows = [
                _row(r)
                for r in db.execute(
                    f"SELECT {_COLUMNS} FROM shipments WHERE {clause} ORDER BY id DESC", args
                ).fetchall()
            ]
            rows = [self._advance(db, row, poll) for row in rows]
        if statuses:  # after advancing, so a filter on "confirmed" sees what a GET would show
            rows = [row for row in rows if row.status in statuses]
        start = (page - 1) * per_page
        return rows[start : start + per_page], len(rows)

    def confirm(self, shipment_id: int | None = None) -> int:
        """Confirm one shipment, or all that wait (the test's and the demo's manual switch)."""
        with self._write() as db:
            query = f"SELECT {_COLUMNS} FROM shipments WHERE status IN (?, ?)"
            args: list[Any] = [STATUS_CREATED, STATUS_OFFERS_PREPARED]
            if shipment_id is not None:
                query += " AND id = ?"
                args.append(shipment_id)
            rows = [_row(r) for r in db.execute(query, args).fetchall()]
            for row in rows:
                self._confirm(db, row)
        return len(rows)

    def set_status(self, shipment_id: int, status: str) -> None:
        """Move a shipment to any status by hand (e.g. ``delivered`` or ``canceled``)."""
        with self._write() as db:
            row = self._select(db, shipment_id)
            if row is None:
                raise KeyError(shipment_id)
            if status != STATUS_CREATED and not row.tracking_number:
                self._confirm(db, row)
            db.execute(
                "UPDATE shipments SET status = ?, updated_at = ? WHERE id = ?",
                (status, iso(self.clock()), shipment_id),
            )

    def rows(self) -> list[ShipmentRow]:
        """Every shipment, oldest first, without counting as a poll (for tests and the demo)."""
        with self._lock:
            return [_row(r) for r in self._db.execute(f"SELECT {_COLUMNS} FROM shipments ORDER BY id")]

    # --- inside a transaction --------------------------------------------------------------------

    @staticmethod
    def _select(db: sqlite3.Connection, shipment_id: int) -> ShipmentRow | None:
        found = db.execute(f"SELECT {_COLUMNS} FROM shipments WHERE id = ?", (shipment_id,)).fetchone()
        return _row(found) if found else None

    def _due(self, row: ShipmentRow) -> bool:
        if self.confirm_after_polls is not None and row.polls >= self.confirm_after_polls:
            return True
        if self.confirm_after_seconds is None:
            return False
        age = aware(self.clock()) - datetime.fromisoformat(row.created_at)
        return age.total_seconds() >= self.confirm_after_seconds

    def _advance(self, db: sqlite3.Connection, row: ShipmentRow, poll: bool) -> ShipmentRow:
        if row.status not in (STATUS_CREATED, STATUS_OFFERS_PREPARED):
            return row
        if poll:
            row.polls += 1
        if self._due(row):
            return self._confirm(db, row)
        if poll:
            row.status = STATUS_OFFERS_PREPARED
            row.updated_at = iso(self.clock())
            db.execute(
                "UPDATE shipments SET status = ?, polls = ?, updated_at = ? WHERE id = ?",
                (row.status, row.polls, row.updated_at, row.id),
            )
        return row

    def _confirm(self, db: sqlite3.Connection, row: ShipmentRow) -> ShipmentRow:
        """Bought: the tracking number is assigned now, never earlier."""
        row.status = STATUS_CONFIRMED
        row.tracking_number = make_tracking_number(row.organization_id, row.id)
        row.updated_at = iso(self.clock())
        row.doc["confirmed_at"] = row.updated_at
        db.execute(
            "UPDATE shipments SET status = ?, tracking_number = ?, polls = ?, updated_at = ?, doc = ?"
            " WHERE id = ?",
            (
                row.status,
                row.tracking_number,
                row.polls,
                row.updated_at,
                json.dumps(row.doc, ensure_ascii=False, default=json_default),
                row.id,
            ),
        )
        return row
