"""One small editable table model for every mapping on the settings screen (shipping methods,
payment routes, VAT classes, packing stations).

Why one generic model: these tables are a few dozen rows at most, edited by hand, and differ
only in their columns; one model (tested once with ``qtmodeltester``) and a column list per
table keeps each page to the part that matters, the conversion to and from the settings.

Rows are plain dicts keyed by the columns' keys. A "choice" column stores a code and shows its
Polish label (``ChoiceDelegate`` edits it with a combo box); a "bool" column is a check box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: Literal["text", "choice", "bool"] = "text"
    #: (code, label) of a choice column
    choices: tuple[tuple[str, str], ...] = ()
    #: a choice column that also takes codes not in ``choices`` (typed into the combo box)
    open_choice: bool = False
    tooltip: str = ""
    #: what an empty text cell shows (e.g. "(standardowa)" for WooCommerce's unnamed tax class)
    blank: str = ""

    def label(self, value: Any) -> str:
        if value in ("", None):
            return self.blank
        for code, label in self.choices:
            if code == value:
                return label
        return str(value)


class RowsModel(QAbstractTableModel):
    #: a cell was edited or a row added or removed (the page is "changed")
    sig_edited = Signal()

    def __init__(self, columns: list[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[dict[str, Any]] = []

    # -- the page's side -------------------------------------------------------------------

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        """Replace every row (a reload of the settings: a new answer, not an update)."""
        self.beginResetModel()
        self._rows = [self._complete(row) for row in rows]
        self.endResetModel()

    def rows(self) -> list[dict[str, Any]]:
        return [dict(row) for row in self._rows]

    def add_row(self, values: dict[str, Any] | None = None) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(self._complete(values or {}))
        self.endInsertRows()
        self.sig_edited.emit()
        return row

    def remove_row(self, row: int) -> None:
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self.sig_edited.emit()

    def column_of(self, key: str) -> int:
        return next(i for i, column in enumerate(self.columns) if column.key == key)

    def _complete(self, row: dict[str, Any]) -> dict[str, Any]:
        return {c.key: row.get(c.key, self._default(c)) for c in self.columns}

    @staticmethod
    def _default(column: Column) -> Any:
        if column.kind == "bool":
            return False
        if column.kind == "choice" and column.choices:
            return column.choices[0][0]
        return ""

    # -- Qt's side -------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].kind == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        column = self.columns[index.column()]
        value = self._rows[index.row()][column.key]
        if column.kind == "bool":
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column.label(value)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.ToolTipRole and value:
            return str(value)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.row() >= len(self._rows):
            return False
        column = self.columns[index.column()]
        if column.kind == "bool":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            new: Any = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == Qt.ItemDataRole.EditRole:
            new = str(value or "").strip()
        else:
            return False
        row = self._rows[index.row()]
        if row[column.key] == new:
            return True
        row[column.key] = new
        self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.DisplayRole])
        self.sig_edited.emit()
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a "choice" column with a combo box of its labels (open columns take any code)."""

    def __init__(self, column: Column, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = column

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(self.column.open_choice)
        for code, label in self.column.choices:
            combo.addItem(label, code)
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        value = index.data(Qt.ItemDataRole.EditRole)
        position = editor.findData(value)
        if position >= 0:
            editor.setCurrentIndex(position)
        elif editor.isEditable():
            editor.setEditText(str(value or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        text = editor.currentText()
        position = editor.findText(text)
        code = editor.itemData(position) if position >= 0 else text
        model.setData(index, code, Qt.ItemDataRole.EditRole)
