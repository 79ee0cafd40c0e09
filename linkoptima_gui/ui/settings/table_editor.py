"""A mapping table with "Dodaj" / "Usuń" buttons under it: the shape of every mapping page.

New rows start editing in their first cell (the key a person came to add, e.g. the shop's
shipping method id), so adding is one click and typing, all by keyboard if need be (Insert
adds, Delete removes the selected row).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .rows_model import ChoiceDelegate, Column, RowsModel


class TableEditor(QWidget):
    def __init__(self, columns: list[Column], add_text: str, parent: QWidget | None = None,
                 stretch: tuple[str, ...] = (), new_row: Callable[[], dict[str, Any]] | None = None,
                 edit_key: str = "", remove_text: str = "") -> None:
        """``new_row`` gives a new row's values; ``edit_key`` the cell that starts editing."""
        super().__init__(parent)
        self._new_row = new_row or dict
        self._edit_column = 0
        self.model = RowsModel(columns, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for number, column in enumerate(columns):
            if column.kind == "choice":
                self.table.setItemDelegateForColumn(number, ChoiceDelegate(column, self.table))
            if column.key in stretch:
                header.setSectionResizeMode(number, QHeaderView.ResizeMode.Stretch)
        if edit_key:
            self._edit_column = self.model.column_of(edit_key)
        self.add_button = QPushButton(add_text, self)
        self.remove_button = QPushButton(remove_text or self.tr("Usuń zaznaczony"), self)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        for key, slot in ((QKeySequence.StandardKey.Delete, self.remove_selected), (Qt.Key.Key_Insert, self.add_row)):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.model.set_rows(rows)

    def rows(self) -> list[dict[str, Any]]:
        return self.model.rows()

    def add_row(self) -> None:
        row = self.model.add_row(self._new_row())
        self.table.selectRow(row)
        self.table.setFocus()
        self.table.edit(self.model.index(row, self._edit_column))

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.model.remove_row(rows[0].row())
