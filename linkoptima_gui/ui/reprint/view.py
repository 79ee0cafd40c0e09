"""The "Wydruki" screen: search by order number, buyer name, e-mail, FA or tracking number, and
print the label or the invoice again.

The search runs on the read lane after a short pause in typing; the prints run on the action
lane (a slow printer never freezes the screen). Every reprint is written to the audit log by
the reprint service, with this station's operator.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from ...core.store import ui_queries
from ...core.store.ui_queries import SearchHit
from ..background import Lane, run_in_background
from ..context import ConsoleContext
from ..packing.widgets import StatusKind, StatusLine, big_font
from .model import ResultColumn, SearchResultsModel

_DEBOUNCE_MS = 250


def _search(factory: sessionmaker[Session], text: str) -> list[SearchHit]:
    with factory() as session:
        return ui_queries.search_orders(session, text)


class ReprintView(QWidget):
    #: results of a search are on screen (how many)
    sig_results = Signal(int)
    #: a reprint finished: (message, ok)
    sig_printed = Signal(str, bool)

    def __init__(self, context: ConsoleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.model = SearchResultsModel(self)
        self.search = QLineEdit(self)
        self.search.setFont(big_font(14))
        self.search.setPlaceholderText(self.tr("Szukaj: nr zamówienia, nabywca, e-mail, nr faktury lub przesyłki"))
        self.search.setClearButtonEnabled(True)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # numbers shown whole
        for column in (ResultColumn.BUYER, ResultColumn.EMAIL):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.label_button = QPushButton(self.tr("Drukuj ponownie etykietę (Ctrl+P)"), self)
        self.invoice_button = QPushButton(self.tr("Drukuj ponownie fakturę (Ctrl+Shift+P)"), self)
        self.correction_button = QPushButton(self.tr("Drukuj ponownie korektę"), self)
        #: the selected order's corrections with a PDF (an order may have several refunds)
        self.correction_choice = QComboBox(self)
        self.correction_choice.setFont(big_font(12))
        for button in (self.label_button, self.invoice_button, self.correction_button):
            button.setMinimumHeight(44)
            button.setFont(big_font(13, bold=True))
        self.status_line = StatusLine(self)
        self.status_line.show_message(self.tr("Wpisz co najmniej 2 znaki, aby wyszukać zamówienie."), StatusKind.INFO)

        buttons = QHBoxLayout()
        buttons.addWidget(self.label_button)
        buttons.addWidget(self.invoice_button)
        buttons.addWidget(self.correction_choice)
        buttons.addWidget(self.correction_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status_line)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self.run_search)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.label_button.clicked.connect(partial(self.reprint, "label"))
        self.invoice_button.clicked.connect(partial(self.reprint, "invoice"))
        self.correction_button.clicked.connect(partial(self.reprint, "correction"))
        # Ctrl+P prints a label again, as on the packing screen; a disabled button ignores its click
        for key, slot in (("Ctrl+P", self.label_button.click), ("Ctrl+Shift+P", self.invoice_button.click),
                          ("Ctrl+F", self.focus_search)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.search.setToolTip(self.tr("Szukaj (Ctrl+F)"))
        self._update_buttons()

    def focus_search(self) -> None:
        """Back to the search field from the table or the buttons, ready to type over."""
        self.search.setFocus()
        self.search.selectAll()

    def run_search(self) -> None:
        self._debounce.stop()
        text = self.search.text()
        run_in_background(partial(_search, self._context.session_factory, text),
                          partial(self._show, text), owner=self)

    def selected(self) -> SearchHit | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.hit(rows[0].row()) if rows else None

    def reprint(self, what: str) -> None:
        hit, ctx = self.selected(), self._context
        if hit is None or ctx.reprints is None:
            return
        actor = ctx.operator or ctx.station
        if what == "label":
            job = partial(ctx.reprints.reprint_label, hit.id, ctx.printer, actor=actor, station=ctx.station)
        elif what == "correction":
            refund_id = self.correction_choice.currentData()
            if refund_id is None:
                return
            job = partial(ctx.reprints.reprint_correction, hit.id, int(refund_id), ctx.invoice_printer or ctx.printer,
                          actor=actor, station=ctx.station)
        else:
            job = partial(ctx.reprints.reprint_invoice, hit.id, ctx.invoice_printer or ctx.printer, actor=actor,
                          station=ctx.station)
        self.status_line.show_message(self.tr("Drukowanie…"), StatusKind.BUSY)
        run_in_background(job, partial(self._printed, hit, what), self._failed, owner=self, lane=Lane.ACTION)

    def _show(self, text: str, hits: list[SearchHit]) -> None:
        if text != self.search.text():
            return  # the user typed on; a newer search is coming
        self.model.set_hits(hits)
        if hits:
            self.table.selectRow(0)
            self.status_line.show_message(self.tr("Znaleziono: {count}").format(count=len(hits)), StatusKind.INFO)
        elif len(text.strip()) >= 2:
            self.status_line.show_message(self.tr("Nic nie znaleziono dla „{text}”").format(text=text.strip()),
                                          StatusKind.ERROR)
        self._update_buttons()
        self.sig_results.emit(len(hits))

    def _printed(self, hit: SearchHit, what: str, where: str) -> None:
        if what == "correction":
            text = self.tr("Korekta {correction} wydrukowana ponownie: {where}")
        elif what == "label":
            text = self.tr("Etykieta zamówienia {number} wydrukowana ponownie: {where}")
        else:
            text = self.tr("Faktura {fa} wydrukowana ponownie: {where}")
        message = text.format(number=hit.number, fa=hit.fa_number, where=where,
                              correction=self.correction_choice.currentText())
        self.status_line.show_message(message, StatusKind.OK)
        self.sig_printed.emit(message, True)

    def _failed(self, exc: BaseException) -> None:
        message = getattr(exc, "reason", "") or str(exc)
        self.status_line.show_message(message, StatusKind.ERROR)
        self.sig_printed.emit(message, False)

    def _update_buttons(self) -> None:
        hit = self.selected()
        self.label_button.setEnabled(hit is not None and hit.has_label)
        self.invoice_button.setEnabled(hit is not None and hit.has_invoice)
        corrections = hit.corrections if hit is not None else ()
        if [self.correction_choice.itemData(i) for i in range(self.correction_choice.count())] != \
                [refund_id for refund_id, _ in corrections]:
            self.correction_choice.clear()
            for refund_id, numbers in corrections:
                self.correction_choice.addItem(numbers, refund_id)
            self.correction_choice.setCurrentIndex(self.correction_choice.count() - 1)  # the latest
        self.correction_choice.setVisible(bool(corrections))
        self.correction_button.setVisible(bool(corrections))
        self.correction_button.setEnabled(bool(corrections))
        self.table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
