"""The exceptions list: one row per problem, ordered by group, then newest first.

The list is short (what a manager has not handled yet) and each reload is a fresh answer, so
the model resets on load rather than diffing; the view keeps the selection by order id.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ...core.store.exception_queries import ExceptionEntry
from .. import texts

AnyIndex = QModelIndex | QPersistentModelIndex


class ExcColumn(IntEnum):
    GROUP = 0
    NUMBER = 1
    BUYER = 2
    STEP = 3
    REASON = 4
    AT = 5


class ExceptionsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, ExceptionEntry]] = []

    def set_entries(self, entries: list[ExceptionEntry]) -> None:
        grouped = [(texts.exception_group(e.code), e) for e in entries]
        order = {g: i for i, g in enumerate(dict.fromkeys(g for g, _ in grouped))}  # newest group first
        self.beginResetModel()
        self._rows = sorted(grouped, key=lambda ge: (order[ge[0]], -ge[1].at.timestamp()))
        self.endResetModel()

    def entry(self, row: int) -> ExceptionEntry | None:
        return self._rows[row][1] if 0 <= row < len(self._rows) else None

    def group(self, row: int) -> str:
        return self._rows[row][0] if 0 <= row < len(self._rows) else ""

    def groups(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for group, _ in self._rows:
            counts[group] = counts.get(group, 0) + 1
        return counts

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ExcColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(ExcColumn):
            return None
        return {
            ExcColumn.GROUP: self.tr("Rodzaj"),
            ExcColumn.NUMBER: self.tr("Zamówienie"),
            ExcColumn.BUYER: self.tr("Nabywca"),
            ExcColumn.STEP: self.tr("Krok"),
            ExcColumn.REASON: self.tr("Przyczyna"),
            ExcColumn.AT: self.tr("Kiedy"),
        }[ExcColumn(section)]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        group, entry = self._rows[index.row()]
        column = ExcColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole and column != ExcColumn.REASON:
                return None
            return {
                ExcColumn.GROUP: group,
                ExcColumn.NUMBER: entry.number,
                ExcColumn.BUYER: entry.buyer_name,
                ExcColumn.STEP: entry.step.upper() if entry.step else self.tr("przyjęcie"),
                ExcColumn.REASON: entry.reason,
                ExcColumn.AT: texts.local_time(entry.at),
            }[column]
        return None
