"""The search results of the reprint screen: a small read-only table, replaced on each search.

Each search is a new answer (not an update of the previous one), so the model resets; it
holds at most the query's limit of rows.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ...core.store.ui_queries import SearchHit
from .. import texts

AnyIndex = QModelIndex | QPersistentModelIndex


class ResultColumn(IntEnum):
    NUMBER = 0
    BUYER = 1
    EMAIL = 2
    FA = 3
    TRACKING = 4
    STAGE = 5


class SearchResultsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ResultColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(ResultColumn):
            return None
        return {
            ResultColumn.NUMBER: self.tr("Zamówienie"),
            ResultColumn.BUYER: self.tr("Nabywca"),
            ResultColumn.EMAIL: self.tr("E-mail"),
            ResultColumn.FA: self.tr("Faktura"),
            ResultColumn.TRACKING: self.tr("Nr przesyłki"),
            ResultColumn.STAGE: self.tr("Etap"),
        }[ResultColumn(section)]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._hits):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        hit = self._hits[index.row()]
        return {
            ResultColumn.NUMBER: hit.number,
            ResultColumn.BUYER: hit.buyer_name,
            ResultColumn.EMAIL: hit.buyer_email,
            ResultColumn.FA: hit.fa_number or "—",
            ResultColumn.TRACKING: hit.tracking_number or "—",
            ResultColumn.STAGE: texts.stage_text(hit.stage),
        }[ResultColumn(index.column())]
