"""The "Zamówienia" screen: a search bar over the live pipeline table.

Wiring only: the model reads and updates rows, the proxy filters, the bridge's change events
go through a ``Coalescer`` so a burst of engine activity becomes one ranged update.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.domain.order import PaymentKind
from ...core.domain.steps import Stage, StepState
from .. import texts
from ..bridge import Coalescer, EngineBridge
from ..context import ConsoleContext
from .columns import Column
from .filter import PipelineFilterProxy
from .model import PipelineModel
from .timeline import TimelinePanel

#: Each column is as wide as a typical value or its title, whichever is wider (measured in the
#: table's font), so the whole table fits 1366 px in either language and the buyer's name takes
#: what is left. Values that are words come from ``texts`` at build time, in the console's language;
#: "Płatność przy odbiorze" is the shop's own title of cash on delivery, data rather than UI text.
_COLUMN_SAMPLES: dict[Column, str | Callable[[], str]] = {
    Column.NUMBER: "000000",
    Column.DATE: "00.00.0000 00:00",
    Column.TOTAL: "00 000,00 zł",
    Column.PAYMENT: "Płatność przy odbiorze",
    Column.FA: "FA/0000/2026",
    Column.WZ: "WZ/0000/2026",
    Column.KP: "KP/0000/2026",
    Column.EMAIL: lambda: texts.step_state_text(StepState.DONE),
    Column.LABEL: "…0000000000",
    Column.PACKED: lambda: texts.step_state_text(StepState.DONE),
    Column.KOREKTY: "−000,00 zł",  # narrow: the amount stays in view (elided on the left), numbers in the tooltip
    Column.STAGE: lambda: max((texts.stage_text(stage) for stage in Stage), key=len),
}

_TEXT_DEBOUNCE_MS = 250


class TailElideDelegate(QStyledItemDelegate):
    """Elides on the left ("…0001007"), for long numbers whose last digits tell them apart."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


class PipelineView(QWidget):
    """The pipeline screen; ``model`` and ``proxy`` are public for tests and screenshots."""

    #: The visible row count or the total changed (after loads, filters, inserts).
    sig_counts_changed = Signal(int, int)

    def __init__(self, context: ConsoleContext, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session_factory = context.session_factory
        self.model = PipelineModel(context.session_factory, self)
        self.proxy = PipelineFilterProxy(context.session_factory, self)
        self.proxy.setSourceModel(self.model)
        self._coalescer = Coalescer(parent=self)
        self._build()
        self._connect(bridge)
        self.model.load()

    # ---- Construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Szukaj: numer zamówienia, nabywca, e-mail, nr przesyłki, FA…"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(self.tr("Szukaj (Ctrl+F)"))
        find = QShortcut(QKeySequence("Ctrl+F"), self)  # back to the search from the table
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)
        self.stage_filter = QComboBox(self)
        self.stage_filter.addItem(self.tr("Wszystkie etapy"), "")
        for stage in Stage:
            self.stage_filter.addItem(texts.stage_text(stage), stage.value)
        self.period_filter = QComboBox(self)
        for label, period in ((self.tr("Każda data"), ""), (self.tr("Dziś"), "today"),
                              (self.tr("Ostatnie 7 dni"), "7"), (self.tr("Ostatnie 30 dni"), "30")):
            self.period_filter.addItem(label, period)
        self.payment_filter = QComboBox(self)
        for label, kind in ((self.tr("Każda płatność"), ""), (self.tr("Płatność online"), PaymentKind.ONLINE.value),
                            (self.tr("Za pobraniem"), PaymentKind.COD.value),
                            (self.tr("Przelew"), PaymentKind.TRANSFER.value)):
            self.payment_filter.addItem(label, kind)
        self.refunds_filter = QCheckBox(self.tr("Korekty"), self)
        self.refunds_filter.setToolTip(self.tr("Tylko zamówienia ze zwrotami i korektami"))
        self.count_label = QLabel(self)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.stage_filter, 1)
        bar.addWidget(self.period_filter, 1)
        bar.addWidget(self.payment_filter, 1)
        bar.addWidget(self.refunds_filter)
        bar.addWidget(self.count_label, 1)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(False)  # newest first is the order; sorting would need all rows
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().hide()
        metrics = self.table.fontMetrics()
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        bold = QFont(self.table.font())
        bold.setBold(True)
        for column, sample in _COLUMN_SAMPLES.items():
            font_metrics = QFontMetrics(bold) if column == Column.STAGE else metrics
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(font_metrics.horizontalAdvance(sample() if callable(sample) else sample),
                        metrics.horizontalAdvance(title))
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width + 16)
        header.setSectionResizeMode(Column.BUYER, QHeaderView.ResizeMode.Stretch)
        # Tracking numbers differ at the end: keep the end visible when they do not fit.
        self._tail_delegate = TailElideDelegate(self.table)
        self.table.setItemDelegateForColumn(Column.LABEL, self._tail_delegate)
        self.table.setItemDelegateForColumn(Column.KOREKTY, self._tail_delegate)

        self.timeline = TimelinePanel(self._session_factory, self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.timeline)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(splitter)

        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(_TEXT_DEBOUNCE_MS)

    def _connect(self, bridge: EngineBridge) -> None:
        bridge.sig_orders_changed.connect(self._coalescer.add)
        self._coalescer.sig_flush.connect(self.model.apply_changes)
        self.model.sig_refreshed.connect(self._after_refresh)
        self.search.textChanged.connect(lambda _text: self._text_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self._text_timer.timeout.connect(self.apply_filter)
        for combo in (self.stage_filter, self.period_filter, self.payment_filter):
            combo.currentIndexChanged.connect(lambda _index: self.apply_filter())
        self.refunds_filter.toggled.connect(lambda _checked: self.apply_filter())
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._update_count)
        self.model.sig_loaded.connect(self._update_count)
        self.table.selectionModel().currentRowChanged.connect(
            lambda _current, _previous: self.timeline.show_order(self.selected_order_id()))
        self._coalescer.sig_flush.connect(self.timeline.refresh_if_shown)

    # ---- Behaviour -------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def apply_filter(self) -> None:
        """Filter by the search text, stage, period and payment now (the text box also waits for
        a pause in typing)."""
        self._text_timer.stop()
        self.proxy.set_filter(self.search.text(), self.stage_filter.currentData() or "",
                              self.period_filter.currentData() or "", self.payment_filter.currentData() or "",
                              refunds=self.refunds_filter.isChecked())

    def _after_refresh(self, _ids: list[int]) -> None:
        if not self.proxy.spec.is_empty:
            self.proxy.recheck()

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            self.count_label.setText(self.tr("Zamówień: {total}").format(total=total))
        else:
            self.count_label.setText(self.tr("Pokazano {shown} z {total}").format(shown=shown, total=total))
        self.sig_counts_changed.emit(shown, total)

    def selected_order_id(self) -> int | None:
        index: QModelIndex = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.order_id(self.proxy.mapToSource(index).row())
