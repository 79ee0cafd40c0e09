"""A small, thread-safe publish/subscribe bus of plain Python events.

The engine publishes from its own thread; the UI's ``EngineBridge`` subscribes and re-emits
each event as a Qt signal (Electrum's pattern), so nothing in the core knows Qt exists.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


class EventKind:
    ORDERS_CHANGED = "orders_changed"  # order_ids: rows to refresh (new or changed)
    ENGINE_STATE = "engine_state"  # data: {"state": "running"|"paused"|"stopped", "error": str}
    POLL_DONE = "poll_done"  # data: {"orders": int, "at": iso time}
    EXCEPTION = "exception"  # order_ids, data: {"step", "code", "reason"}
    STOCK_SYNC = "stock_sync"  # data: a StockPass as a dict (at, full, checked, changed, errors, seconds)
    STOCK_PROGRESS = "stock_progress"  # data: {"sent": int, "total": int} during a long pass
    #: data: {"role": "active"|"standby"|"stopped"|"refused", "station", "fencing", "reason"}: this
    #: process's engine took the lease, stands by, stopped, or may not run on this store
    ENGINE_ROLE = "engine_role"


#: what one process tells the others that share its store (``store.change_feed``)
SHARED_KINDS = frozenset({EventKind.ORDERS_CHANGED, EventKind.EXCEPTION, EventKind.STOCK_SYNC})


@dataclass(frozen=True)
class EngineEvent:
    kind: str
    order_ids: tuple[int, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    #: the process that published it when it came over the store ("": this one)
    origin: str = ""


Listener = Callable[[EngineEvent], None]


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add a listener; returns the function that removes it again."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, event: EngineEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a broken listener must not stop the engine
                log.exception("event listener failed for %s", event.kind)

    def orders_changed(self, *order_ids: int) -> None:
        if order_ids:
            self.publish(EngineEvent(EventKind.ORDERS_CHANGED, tuple(order_ids)))
