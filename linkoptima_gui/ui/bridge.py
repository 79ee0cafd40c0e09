"""The one place where engine events cross into Qt.

The engine publishes plain Python ``EngineEvent`` objects from its own thread. Screens must
only ever touch widgets from the GUI thread, so the bridge's bus listener does nothing but
emit a private signal with an explicit queued connection; the slot on the other side runs in
the GUI thread (where the bridge lives) and re-emits typed public signals. Screens connect
to those public signals only, so moving the engine to another thread or process later stays
a local change (Electrum's ``QtEventListener`` idea).

Screens then coalesce: the engine may report the same order several times a second while it
books an invoice, a WZ and a label. Refreshing a model on every event would re-read the store
far more often than a person can see; instead each screen collects the ids in a ``Coalescer``
and handles them all at once when a short timer fires (Electrum's ``need_update`` flag,
Picard's drain budget). The timer is not restarted by new ids: under a steady stream of
events a screen still refreshes every ``interval_ms`` instead of starving.

The bridge itself merges "orders changed" before they cross: the engine reports each step it
claims and finishes, dozens of times a second, and every crossing runs Python on the GUI thread
once per listening screen, each time waiting for the interpreter while the engine's threads
hold it. So the listener only adds the ids to a set and posts one delivery; events arriving
before the GUI thread got to it join that delivery.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from ..core.engine.events import EngineEvent, EventBus, EventKind

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MS = 250


class EngineBridge(QObject):
    """Subscribes to the ``EventBus`` and re-emits its events as Qt signals in the GUI thread."""

    #: Order ids that are new or changed (possibly repeated; screens coalesce them).
    sig_orders_changed = Signal(list)
    #: ``{"state": "running" | "paused" | "stopped", "error": str}``
    sig_engine_state = Signal(dict)
    #: ``{"orders": int, "at": iso time}`` after each shop poll.
    sig_poll_done = Signal(dict)
    #: ``{"order_ids": [...], "step": str, "code": str, "reason": str}`` when a step needs a human.
    sig_exception = Signal(dict)
    #: ``{"at", "full", "checked", "changed", "errors", "seconds"}`` after each stock pass.
    sig_stock_sync = Signal(dict)
    #: ``{"sent", "total"}`` while a long stock pass (a first full one) sends its corrections.
    sig_stock_progress = Signal(dict)
    #: ``{"role", "station", "fencing", "reason", "active_station"}``: this console's engine took
    #: the lease, stands by, stopped or may not run (``EngineSupervisor``).
    sig_engine_role = Signal(dict)
    #: Any event of a kind the bridge does not know yet (forward compatibility).
    sig_event = Signal(object)

    # Private: carries the event from the engine thread to the GUI thread.
    _sig_incoming = Signal(object)
    # Private: changed order ids are waiting in ``_changed`` (one delivery for all of them).
    _sig_changed_waiting = Signal()

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._closed = False
        self._changed: set[int] = set()  # under ``_lock``; a delivery is posted while non-empty
        # Queued explicitly: the listener runs in the engine thread, the slot must not.
        self._sig_incoming.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._sig_changed_waiting.connect(self._deliver_changed, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = bus.subscribe(self._on_event)

    # ---- Public API ------------------------------------------------------------------------

    def close(self) -> None:
        """Stop listening. Safe to call twice; after it returns no signal is emitted any more,
        because the listener checks the flag under the same lock it emits under."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._unsubscribe()

    @property
    def is_closed(self) -> bool:
        return self._closed

    # ---- Engine thread ---------------------------------------------------------------------

    def _on_event(self, event: EngineEvent) -> None:
        """Bus listener: called from whatever thread published. Only hands the event over."""
        with self._lock:
            if self._closed:
                return
            if event.kind == EventKind.ORDERS_CHANGED:
                posted = bool(self._changed)
                self._changed.update(event.order_ids)
                if not posted and self._changed:
                    self._sig_changed_waiting.emit()
                return
            self._sig_incoming.emit(event)

    # ---- GUI thread ------------------------------------------------------------------------

    @Slot()
    def _deliver_changed(self) -> None:
        with self._lock:
            ids, self._changed = self._changed, set()
        if ids and not self._closed:
            self.sig_orders_changed.emit(sorted(ids))

    @Slot(object)
    def _dispatch(self, event: EngineEvent) -> None:
        if self._closed:
            return
        data: dict[str, Any] = dict(event.data)
        if event.kind == EventKind.ENGINE_STATE:  # (orders changed: ``_deliver_changed``)
            self.sig_engine_state.emit(data)
        elif event.kind == EventKind.POLL_DONE:
            self.sig_poll_done.emit(data)
        elif event.kind == EventKind.STOCK_SYNC:
            self.sig_stock_sync.emit(data)
        elif event.kind == EventKind.STOCK_PROGRESS:
            self.sig_stock_progress.emit(data)
        elif event.kind == EventKind.ENGINE_ROLE:
            self.sig_engine_role.emit(data)
        elif event.kind == EventKind.EXCEPTION:
            data["order_ids"] = list(event.order_ids)
            self.sig_exception.emit(data)
            if event.order_ids:  # the order's row changed too (stage: exception)
                self.sig_orders_changed.emit(list(event.order_ids))
        else:
            log.debug("unhandled engine event %s", event.kind)
            self.sig_event.emit(event)


class Coalescer(QObject):
    """Collects ids and emits them, de-duplicated and sorted, at most once per interval."""

    #: The ids collected since the last flush (may be empty after ``touch``).
    sig_flush = Signal(list)

    def __init__(self, interval_ms: int = DEFAULT_INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._flush)

    @Slot(list)
    def add(self, ids: Iterable[int]) -> None:
        """Remember ``ids`` and make sure a flush is scheduled."""
        self._ids.update(int(i) for i in ids)
        self.touch()

    def touch(self) -> None:
        """Schedule a flush even without ids (for views that re-read a summary)."""
        if not self._timer.isActive():
            self._timer.start()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    @Slot()
    def _flush(self) -> None:
        ids, self._ids = sorted(self._ids), set()
        self.sig_flush.emit(ids)
