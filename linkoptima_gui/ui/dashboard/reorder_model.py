"""The "do zamówienia" table: items that run out within their supplier's lead time.

The person ticks the lines to order and may change the quantity (the suggestion is prefilled);
both survive a refresh for an item still in the table, so the screen's 30-second refresh never
undoes what someone is in the middle of choosing. A new answer with the same items only changes
the figures (``dataChanged``); a different set of items resets the table (it holds a few dozen).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ...core.dashboard.figures import StockCover
from ...core.dashboard.supplier_orders import ChosenLine

AnyIndex = QModelIndex | QPersistentModelIndex


class ReorderColumn(IntEnum):
    CHOSEN = 0
    CODE = 1
    NAME = 2
    SUPPLIER = 3
    AVAILABLE = 4
    PER_DAY = 5
    COVER = 6
    LEAD_TIME = 7
    ORDER = 8


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


class ReorderModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._covers: list[StockCover] = []
        self._chosen: set[str] = set()
        self._quantities: dict[str, Decimal] = {}

    def set_covers(self, covers: tuple[StockCover, ...]) -> None:
        codes = [c.code for c in covers]
        if list(covers) == self._covers:
            return  # nothing moved: the table (its columns sized to their contents) is not measured again
        if codes == [c.code for c in self._covers]:
            self._covers = list(covers)
            if covers:
                self.dataChanged.emit(self.index(0, 0), self.index(len(covers) - 1, len(ReorderColumn) - 1))
            return
        self.beginResetModel()
        self._covers = list(covers)
        self._chosen &= set(codes)
        self._quantities = {code: q for code, q in self._quantities.items() if code in codes}
        self.endResetModel()

    def covers(self) -> list[StockCover]:
        return list(self._covers)

    def quantity(self, cover: StockCover) -> Decimal:
        return self._quantities.get(cover.code, cover.suggested)

    def quantities(self) -> dict[str, Decimal]:
        return {c.code: self.quantity(c) for c in self._covers}

    def chosen_lines(self) -> list[ChosenLine]:
        return [ChosenLine(c, self.quantity(c)) for c in self._covers if c.code in self._chosen]

    def choose_all(self, chosen: bool = True) -> None:
        self._chosen = {c.code for c in self._covers} if chosen else set()
        if self._covers:
            self.dataChanged.emit(self.index(0, ReorderColumn.CHOSEN), self.index(len(self._covers) - 1, ReorderColumn.CHOSEN))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._covers)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ReorderColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(ReorderColumn):
            return None
        return {
            ReorderColumn.CHOSEN: self.tr("Zamów"), ReorderColumn.CODE: self.tr("Kod"),
            ReorderColumn.NAME: self.tr("Nazwa"), ReorderColumn.SUPPLIER: self.tr("Dostawca"),
            ReorderColumn.AVAILABLE: self.tr("Dostępne"), ReorderColumn.PER_DAY: self.tr("Dziennie"),
            ReorderColumn.COVER: self.tr("Dni zapasu"), ReorderColumn.LEAD_TIME: self.tr("Dostawa (dni)"),
            ReorderColumn.ORDER: self.tr("Ilość"),
        }[ReorderColumn(section)]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == ReorderColumn.CHOSEN:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == ReorderColumn.ORDER:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._covers):
            return None
        c = self._covers[index.row()]
        column = ReorderColumn(index.column())
        if role == Qt.ItemDataRole.CheckStateRole and column is ReorderColumn.CHOSEN:
            return Qt.CheckState.Checked if c.code in self._chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= ReorderColumn.AVAILABLE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        return {
            ReorderColumn.CHOSEN: "",
            ReorderColumn.CODE: c.code,
            ReorderColumn.NAME: c.name,
            ReorderColumn.SUPPLIER: c.supplier or "—",
            ReorderColumn.AVAILABLE: _number(c.available),
            ReorderColumn.PER_DAY: _number(c.per_day),
            ReorderColumn.COVER: f"{c.days_of_cover:.1f}".replace(".", ","),
            ReorderColumn.LEAD_TIME: str(c.lead_time_days),
            ReorderColumn.ORDER: _number(self.quantity(c)),
        }[column]

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.row() >= len(self._covers):
            return False
        code = self._covers[index.row()].code
        if index.column() == ReorderColumn.CHOSEN and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            (self._chosen.add if checked else self._chosen.discard)(code)
        elif index.column() == ReorderColumn.ORDER and role == Qt.ItemDataRole.EditRole:
            try:
                quantity = Decimal(str(value).replace(",", ".").strip())
            except InvalidOperation:
                return False
            if quantity < 0:
                return False
            self._quantities[code] = quantity
        else:
            return False
        self.dataChanged.emit(index, index, [role])
        return True
