"""The large-type pieces of the packing screen: the status line, the parcel card and the
small model of the parcel's items.

A packer looks at this screen from a step away, with a parcel in their hands; everything
here is sized for that, not for a desk (order number ~30 pt, the COD amount on a coloured
band, items at ~15 pt). These pieces only display; the packing view decides what to show.

A new parcel is a different list of items altogether (not an update of the previous one),
so the items model resets when the parcel changes; it never holds more than one order.
"""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.domain.money import format_pln
from ...core.store.queries import Parcel, ParcelItem

AnyIndex = QModelIndex | QPersistentModelIndex


class ItemColumn(IntEnum):
    NAME = 0
    SKU = 1
    EAN = 2
    QUANTITY = 3
    SCANNED = 4  # only in the "scan every item" mode


def format_quantity(quantity: Decimal) -> str:
    """2 rather than 2.000; 0,5 with a Polish decimal comma for goods sold by weight."""
    if quantity == quantity.to_integral_value():
        return str(int(quantity))
    return format(quantity.normalize(), "f").replace(".", ",")


class ParcelItemsModel(QAbstractTableModel):
    """Name, SKU, EAN and quantity of each line of the current parcel."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: tuple[ParcelItem, ...] = ()
        self._progress: dict[str, tuple[int, int]] = {}
        self._font: QFont | None = None
        self._bold: QFont | None = None

    def set_items(self, items: tuple[ParcelItem, ...]) -> None:
        self.beginResetModel()
        self._items = tuple(items)
        self._progress = {}
        self.endResetModel()

    def set_progress(self, progress: dict[str, tuple[int, int]]) -> None:
        """SKU -> (scanned, needed), shown in the "Zeskanowano" column."""
        self._progress = dict(progress)
        if self._items:
            self.dataChanged.emit(self.index(0, ItemColumn.SCANNED), self.index(len(self._items) - 1, ItemColumn.SCANNED))

    def set_font(self, font: QFont) -> None:
        """The view's large font, so quantities can be shown bold in the same size."""
        self._font = QFont(font)
        self._bold = QFont(font)
        self._bold.setBold(True)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ItemColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(ItemColumn):
            return None
        return {
            ItemColumn.NAME: self.tr("Towar"),
            ItemColumn.SKU: self.tr("SKU"),
            ItemColumn.EAN: self.tr("EAN"),
            ItemColumn.QUANTITY: self.tr("Ilość"),
            ItemColumn.SCANNED: self.tr("Zeskanowano"),
        }[ItemColumn(section)]

    def _scanned_text(self, item: ParcelItem) -> str:
        if not item.ean:
            return self.tr("bez EAN")
        scanned, needed = self._progress.get(item.sku, (0, int(item.quantity)))
        return f"{scanned}/{needed}"

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._items):
            return None
        item = self._items[index.row()]
        column = ItemColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                ItemColumn.NAME: item.name,
                ItemColumn.SKU: item.sku,
                ItemColumn.EAN: item.ean,
                ItemColumn.QUANTITY: format_quantity(item.quantity),
                ItemColumn.SCANNED: self._scanned_text(item),
            }[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ItemColumn.QUANTITY, ItemColumn.SCANNED):
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole and column == ItemColumn.SCANNED:
            scanned, needed = self._progress.get(item.sku, (0, 0))
            if needed and scanned >= needed:
                return QColor("#bfe5c7")
            return None
        if role == Qt.ItemDataRole.FontRole:
            if column == ItemColumn.QUANTITY and self._bold is not None:
                return QFont(self._bold)
            return QFont(self._font) if self._font is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and column == ItemColumn.NAME:
            return item.name
        return None


def big_font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


class StatusKind(StrEnum):
    INFO = "info"
    OK = "ok"
    ERROR = "error"
    BUSY = "busy"


_STATUS_STYLE = {
    StatusKind.INFO: "background:#eef0f2; color:#1f2328;",
    StatusKind.BUSY: "background:#d5e6fb; color:#0b3d78;",
    StatusKind.OK: "background:#1e7b34; color:white;",
    StatusKind.ERROR: "background:#b3261e; color:white;",
}


class StatusLine(QLabel):
    """One big line saying what just happened: green when packed, red when it was not."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(big_font(17, bold=True))
        self.setWordWrap(True)
        self.setMinimumHeight(64)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = StatusKind.INFO
        self.show_message("", StatusKind.INFO)

    def show_message(self, text: str, kind: StatusKind) -> None:
        self.kind = kind
        # A hint is quieter than an outcome: the outcome must win the packer's eye.
        self.setFont(big_font(13) if kind is StatusKind.INFO else big_font(17, bold=True))
        self.setText(text)
        self.setStyleSheet(f"QLabel {{ {_STATUS_STYLE[kind]} border-radius:6px; padding:8px 14px; }}")


class ParcelCard(QWidget):
    """The current parcel (number, buyer, delivery, COD, items) or the empty-queue message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parcel: Parcel | None = None
        self.items_model = ParcelItemsModel(self)

        self.number_label = QLabel(self)
        self.number_label.setFont(big_font(30, bold=True))
        self.buyer_label = QLabel(self)
        self.buyer_label.setFont(big_font(20))
        self.buyer_label.setWordWrap(True)
        self.delivery_label = QLabel(self)
        self.delivery_label.setFont(big_font(20, bold=True))
        self.delivery_label.setWordWrap(True)
        self.cod_label = QLabel(self)
        self.cod_label.setFont(big_font(24, bold=True))
        self.cod_label.setStyleSheet(
            "QLabel { background:#f4a100; color:#1f1300; border-radius:6px; padding:6px 14px; }")
        self.cod_label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)

        self.items_view = QTableView(self)
        self.items_view.setModel(self.items_model)
        items_font = big_font(15)
        self.items_model.set_font(items_font)
        self.items_view.setFont(items_font)
        self.items_view.horizontalHeader().setFont(big_font(12, bold=True))
        self.items_view.verticalHeader().hide()
        self.items_view.verticalHeader().setDefaultSectionSize(self.items_view.fontMetrics().height() + 16)
        self.items_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.items_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.items_view.setAlternatingRowColors(True)
        self.items_view.setWordWrap(False)
        header = self.items_view.horizontalHeader()
        header.setSectionResizeMode(ItemColumn.NAME, QHeaderView.ResizeMode.Stretch)
        for column in (ItemColumn.SKU, ItemColumn.EAN, ItemColumn.QUANTITY, ItemColumn.SCANNED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.show_scanned_column(False)

        card = QWidget(self)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(0, 0, 0, 0)
        card_layout.setSpacing(6)
        card_layout.addWidget(self.number_label)
        card_layout.addWidget(self.buyer_label)
        card_layout.addWidget(self.delivery_label)
        card_layout.addWidget(self.cod_label)
        card_layout.addWidget(self.items_view, 1)

        self.empty_label = QLabel(self)
        self.empty_label.setFont(big_font(26, bold=True))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("QLabel { color:#57606a; }")

        self._stack = QStackedLayout(self)
        self._stack.addWidget(card)
        self._stack.addWidget(self.empty_label)
        self._card = card
        self.show_empty(self.tr("Brak paczek do spakowania"))

    def show_parcel(self, parcel: Parcel) -> None:
        self.parcel = parcel
        self.number_label.setText(self.tr("Zamówienie {number}").format(number=parcel.number))
        self.buyer_label.setText(parcel.buyer_name)
        self.delivery_label.setText(parcel.delivery or self.tr("(brak adresu dostawy)"))
        if parcel.cod_amount > 0:
            self.cod_label.setText(self.tr("POBRANIE {amount}").format(amount=format_pln(parcel.cod_amount)))
            self.cod_label.show()
        else:
            self.cod_label.hide()
        self.items_model.set_items(parcel.items)
        # An empty EAN column only takes room from the names (shops without EANs on their lines).
        self.items_view.setColumnHidden(ItemColumn.EAN, not any(item.ean for item in parcel.items))
        self._stack.setCurrentWidget(self._card)

    def show_scanned_column(self, shown: bool) -> None:
        """The "Zeskanowano" column, for the "scan every item" mode."""
        self.items_view.setColumnHidden(ItemColumn.SCANNED, not shown)

    def show_empty(self, text: str) -> None:
        self.parcel = None
        self.items_model.set_items(())
        self.empty_label.setText(text)
        self._stack.setCurrentWidget(self.empty_label)

    @property
    def showing_empty(self) -> bool:
        return self._stack.currentWidget() is self.empty_label


def pack_button(text: str, parent: QWidget) -> QPushButton:
    """The packer's one big green button (it never takes the focus: the scanner keeps it)."""
    button = QPushButton(text, parent)
    button.setFont(big_font(22, bold=True))
    button.setMinimumHeight(96)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setStyleSheet(
        "QPushButton { background:#1e7b34; color:white; border-radius:10px; }"
        "QPushButton:pressed { background:#145a25; }"
        "QPushButton:disabled { background:#9aa5ae; color:#eef0f2; }")
    return button


def queue_list(model: QAbstractItemModel, parent: QWidget) -> QListView:
    """The queue of parcels to pack, in big type."""
    view = QListView(parent)
    view.setModel(model)
    view.setFont(big_font(13))
    view.setSpacing(2)
    # Every line is two lines of the same font: measuring one is enough, where measuring all
    # (hundreds while the engine works) stalled the window on each change of the queue.
    view.setUniformItemSizes(True)
    view.setAlternatingRowColors(True)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the scanner's focus
    return view
