"""The packing queue: parcels ready to pack, oldest paid first.

The queue is short (what the shop sold today), so each refresh re-reads the whole list of
ready ids in one indexed query and applies the difference by ranges: rows that left the
queue are removed, new ones inserted where they belong, changed ones get ``dataChanged``.
The list view therefore keeps the packer's current row instead of jumping on every reset.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from sqlalchemy.orm import Session, sessionmaker

from ...core.domain.money import format_pln
from ...core.store import queries, ui_queries
from ...core.store.ui_queries import QueueEntry
from ..background import run_in_background

log = logging.getLogger(__name__)

OrderIdRole = Qt.ItemDataRole.UserRole + 1
CodRole = Qt.ItemDataRole.UserRole + 2
#: the other station that has the parcel open ("" when none, or this one)
TakenByRole = Qt.ItemDataRole.UserRole + 3
_TAKEN_COLOUR = QColor("#8a8f94")

AnyIndex = QModelIndex | QPersistentModelIndex


def _read_queue(factory: sessionmaker[Session]) -> tuple[list[int], dict[int, QueueEntry]]:
    with factory() as session:
        ids = queries.ready_to_pack(session)
        return ids, ui_queries.queue_entries(session, ids)


class PackingQueueModel(QAbstractListModel):
    """Ready parcels; ``refresh`` re-reads and applies the difference (see module docstring)."""

    #: The first read is in.
    sig_loaded = Signal()
    #: Every applied read, the first one included.
    sig_refreshed = Signal()

    def __init__(self, session_factory: sessionmaker[Session], parent: Any = None, station: str = "") -> None:
        super().__init__(parent)
        self._factory = session_factory
        #: this station: its own open parcel is not "taken"
        self._station = station
        self._ids: list[int] = []
        self._entries: dict[int, QueueEntry] = {}
        self._loaded = False
        self._reading = False
        self._again = False

    # ---- Public API ------------------------------------------------------------------------

    def refresh(self, _ids: object = None) -> None:
        """Re-read the queue off the GUI thread (a second call while reading runs once more)."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        run_in_background(partial(_read_queue, self._factory), self._apply, self._on_failed, owner=self)

    load = refresh

    @property
    def is_loaded(self) -> bool:
        return self._loaded

    def ids(self) -> list[int]:
        return list(self._ids)

    def entry(self, order_id: int) -> QueueEntry | None:
        return self._entries.get(order_id)

    def taken_by(self, order_id: int) -> str:
        """The other station that has ``order_id`` open ("" when it is free or ours)."""
        entry = self._entries.get(order_id)
        return entry.claimed_by if entry is not None and entry.claimed_by != self._station else ""

    def free_ids(self) -> list[int]:
        """The parcels no other station has open, in queue order."""
        return [oid for oid in self._ids if not self.taken_by(oid)]

    def row_of(self, order_id: int) -> int | None:
        try:
            return self._ids.index(order_id)
        except ValueError:
            return None

    # ---- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        oid = self._ids[index.row()]
        entry = self._entries.get(oid)
        if role == OrderIdRole:
            return oid
        if entry is None:
            return None
        taken = self.taken_by(oid)
        if role == Qt.ItemDataRole.DisplayRole:
            second = entry.delivery
            if entry.cod_amount > 0:
                second = self.tr("{delivery} · POBRANIE {amount}").format(
                    delivery=entry.delivery, amount=format_pln(entry.cod_amount))
            if taken:
                second = self.tr("{line} · pakuje: {station}").format(line=second, station=taken)
            return f"{entry.number}  {entry.buyer_name}\n{second}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{entry.number} — {entry.buyer_name} — {entry.delivery}"
        if role == Qt.ItemDataRole.ForegroundRole and taken:
            return _TAKEN_COLOUR
        if role == CodRole:
            return entry.cod_amount > 0
        if role == TakenByRole:
            return taken
        return None

    # ---- Applying a read -------------------------------------------------------------------

    def _on_failed(self, exc: BaseException) -> None:
        log.error("reading the packing queue failed", exc_info=exc)
        self._reading = False

    def _apply(self, result: tuple[list[int], dict[int, QueueEntry]]) -> None:
        new_ids, entries = result
        self._reading = False
        new_set = set(new_ids)
        # 1. rows that left the queue (packed here or elsewhere, or back to an exception)
        for row in range(len(self._ids) - 1, -1, -1):
            if self._ids[row] not in new_set:
                self.beginRemoveRows(QModelIndex(), row, row)
                self._entries.pop(self._ids.pop(row), None)
                self.endRemoveRows()
        # 2. the rest must be in the new order; if not (rare), take them out and re-insert
        kept = set(self._ids)
        if self._ids != [i for i in new_ids if i in kept] and self._ids:
            self.beginRemoveRows(QModelIndex(), 0, len(self._ids) - 1)
            self._ids.clear()
            self.endRemoveRows()
            kept = set()
        # 3. changed lines that stayed
        for row, oid in enumerate(self._ids):
            if entries.get(oid) != self._entries.get(oid):
                self._entries[oid] = entries[oid]
                index = self.index(row, 0)
                self.dataChanged.emit(index, index)
        # 4. new lines, each at its place in the new order (contiguous runs in one signal)
        row = 0
        pending: list[int] = []
        for oid in new_ids:
            if oid in kept:
                row = self._insert_run(row, pending, entries) + 1
                pending = []
            else:
                pending.append(oid)
        self._insert_run(row, pending, entries)
        self._again, again = False, self._again
        if not self._loaded:
            self._loaded = True
            self.sig_loaded.emit()
        self.sig_refreshed.emit()
        if again:
            self.refresh()

    def _insert_run(self, row: int, run: list[int], entries: dict[int, QueueEntry]) -> int:
        """Insert ``run`` before ``row``; return the row of the element that followed it."""
        if run:
            self.beginInsertRows(QModelIndex(), row, row + len(run) - 1)
            self._ids[row:row] = run
            self._entries.update({i: entries[i] for i in run})
            self.endInsertRows()
        return row + len(run)
