"""Live across computers: what one process does reaches every console within a second or two.

Each process publishes its events on its own ``EventBus`` (the engine's "orders changed", a new
exception, a stock pass; a packing station's "packed"). The feed writes those of the shared
kinds (``SHARED_KINDS``) into the ``store_events`` table, merged over a fifth of a second, and
reads what the other processes wrote, publishing it on the local bus with its ``origin`` set
(so it is not written back). The screens cannot tell a remote change from a local one.

On PostgreSQL the writer also sends ``NOTIFY`` and the reader ``LISTEN``s, so a change arrives
at once; elsewhere (SQLite on one computer, SQL Server) the table is read every second. Old
rows are deleted after ``KEEP_SECONDS`` by whichever process gets there.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from ..store.models import StoreEvent, utcnow
from .events import SHARED_KINDS, EngineEvent, EventBus, EventKind

log = logging.getLogger(__name__)

CHANNEL = "linkoptima_events"
#: seconds between reads without a notification (and the longest a change waits)
POLL_SECONDS = 1.0
#: local events are merged for this long before they are written (one row, many orders)
FLUSH_SECONDS = 0.2
KEEP_SECONDS = 600.0
#: rows read at once
BATCH = 500


class ChangeFeed:
    """Writes this process's shared events to the store and publishes the others' locally."""

    def __init__(self, bind: Engine, bus: EventBus, origin: str = "", *, poll_seconds: float = POLL_SECONDS) -> None:
        self.bind = bind
        self.bus = bus
        self.origin = origin or f"proc-{uuid.uuid4().hex[:12]}"
        self.poll_seconds = poll_seconds
        self._lock = threading.Lock()
        self._changed: set[int] = set()
        self._others: list[EngineEvent] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._last_id = 0
        self._last_trim = 0.0
        self._unsubscribe = lambda: None
        self._listener: Any = None

    def start(self) -> None:
        with self.bind.connect() as connection:  # what was written before this process started is old news
            self._last_id = connection.execute(select(func.coalesce(func.max(StoreEvent.id), 0))).scalar_one()
        self._unsubscribe = self.bus.subscribe(self._on_local)
        self._threads = [threading.Thread(target=self._run, name="change-feed", daemon=True)]
        if self.bind.dialect.name == "postgresql":
            self._threads.append(threading.Thread(target=self._listen, name="change-feed-listen", daemon=True))
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._unsubscribe()
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(5)
        self._flush()  # what this process did last still reaches the others

    # -- this process -> the store ----------------------------------------------------------

    def _on_local(self, event: EngineEvent) -> None:
        if event.origin or event.kind not in SHARED_KINDS:
            return
        with self._lock:
            first = not (self._changed or self._others)
            if event.kind == EventKind.ORDERS_CHANGED:
                self._changed.update(event.order_ids)
            else:
                self._others.append(event)
        if first:
            self._wake.set()  # the writer merges what follows for FLUSH_SECONDS, then writes

    def _flush(self) -> None:
        with self._lock:
            changed, self._changed = sorted(self._changed), set()
            others, self._others = self._others, []
        rows = [{"kind": e.kind, "order_ids": list(e.order_ids), "data": dict(e.data)} for e in others]
        if changed:
            rows.insert(0, {"kind": EventKind.ORDERS_CHANGED, "order_ids": changed, "data": {}})
        if not rows:
            return
        try:
            with self.bind.begin() as connection:
                connection.execute(insert(StoreEvent), [{**row, "origin": self.origin, "at": utcnow()} for row in rows])
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_notify(:channel, :origin)"),
                                       {"channel": CHANNEL, "origin": self.origin})
        except SQLAlchemyError:
            log.warning("change feed: could not write %d events (the store did not answer)", len(rows),
                        exc_info=True)

    # -- the store -> this process ----------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
            if self._pending():
                self._stop.wait(FLUSH_SECONDS)
                self._flush()
            try:
                self._read()
                self._trim()
            except SQLAlchemyError:
                log.warning("change feed: the store did not answer", exc_info=True)

    def _pending(self) -> bool:
        with self._lock:
            return bool(self._changed or self._others)

    def _read(self) -> None:
        while True:
            with self.bind.connect() as connection:
                rows = connection.execute(
                    select(StoreEvent.id, StoreEvent.origin, StoreEvent.kind, StoreEvent.order_ids, StoreEvent.data)
                    .where(StoreEvent.id > self._last_id).order_by(StoreEvent.id).limit(BATCH)
                ).all()
            for row in rows:
                self._last_id = row.id
                if row.origin != self.origin:
                    self.bus.publish(EngineEvent(row.kind, tuple(row.order_ids or ()), dict(row.data or {}),
                                                 origin=row.origin))
            if len(rows) < BATCH:
                return

    def _trim(self) -> None:
        if time.monotonic() - self._last_trim < KEEP_SECONDS / 10:
            return
        self._last_trim = time.monotonic()
        with self.bind.begin() as connection:
            connection.execute(delete(StoreEvent).where(StoreEvent.at < utcnow() - timedelta(seconds=KEEP_SECONDS)))

    def _listen(self) -> None:
        """PostgreSQL only: wake the reader as soon as another process notifies."""
        import psycopg

        dsn = self.bind.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    while not self._stop.is_set():
                        for _ in connection.notifies(timeout=self.poll_seconds, stop_after=1):
                            self._wake.set()
            except psycopg.Error:
                log.warning("change feed: LISTEN failed, reading every %.0f s meanwhile", self.poll_seconds,
                            exc_info=True)
                self._stop.wait(self.poll_seconds * 5)
