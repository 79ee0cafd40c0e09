"""The packing station's "zwrot" mode: a returned parcel booked from the console.

Scan (or type) the order number, tick what came back (pieces of each item, and the shipping when
it is paid back too), pick or type the reason, "Zapisz zwrot". The refund is created in the shop
by ``core/engine/returns_desk.ReturnsDesk`` on the action lane, with the progress in the status
line; the engine is woken, its intake finds the refund and books the correction in Optima like
any refund made in the shop. Pressing again after a lost answer cannot refund twice: the form's
key goes with it, and the desk looks the refund up by it first.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.domain.money import format_money
from ...core.engine.returns_desk import ReturnForm, ReturnRefused, ReturnSaved, ReturnsDesk
from ..background import Lane, run_in_background
from ..context import ConsoleContext
from .widgets import StatusKind, StatusLine, big_font, format_quantity

#: the reasons offered (the packer may type another); the shop keeps it, the correction prints it
REASONS = ("Odstąpienie od umowy (zwrot w ciągu 14 dni)", "Przesyłka nieodebrana", "Towar uszkodzony",
           "Reklamacja uznana")


class ReturnDeskPanel(QWidget):
    #: an order is on the form (its number)
    sig_opened = Signal(str)
    #: the refund is in the shop (its id, whether this press created it)
    sig_saved = Signal(int, bool)
    #: opening or saving was refused or failed (the message shown)
    sig_failed = Signal(str)

    def __init__(self, context: ConsoleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._desk: ReturnsDesk | None = context.returns
        self._form: ReturnForm | None = None
        self._busy = False
        self.scan = QLineEdit(self)
        self.scan.setFont(big_font(16))
        self.scan.setPlaceholderText(self.tr("Zwrot: zeskanuj lub wpisz nr zamówienia"))
        self.scan.setClearButtonEnabled(True)
        self.title = QLabel(self.tr("Zeskanuj numer zamówienia z paczki, która wróciła."), self)
        self.title.setFont(big_font(15, bold=True))
        self.title.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("Pozycja"), self.tr("Kod"), self.tr("Zamówiono"),
                                              self.tr("Do zwrotu"), self.tr("Wraca")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().hide()
        self.table.setFont(big_font(13))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.all_button = QPushButton(self.tr("Wszystko wraca"), self)
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        shown = (self.tr("Odstąpienie od umowy (zwrot w ciągu 14 dni)"), self.tr("Przesyłka nieodebrana"),
                 self.tr("Towar uszkodzony"), self.tr("Reklamacja uznana"))
        for text, polish in zip(shown, REASONS, strict=True):  # the shop and the correction get the Polish
            self.reason.addItem(text, polish)
        self.reason.setFont(big_font(13))
        self.amount_label = QLabel(self)
        self.amount_label.setFont(big_font(15, bold=True))
        self.money_note = QLabel(self)
        self.money_note.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Zapisz zwrot"), self)
        self.save_button.setFont(big_font(20, bold=True))
        self.save_button.setMinimumHeight(80)
        self.save_button.setStyleSheet(
            "QPushButton { background:#8a4b08; color:white; border-radius:10px; }"
            "QPushButton:disabled { background:#9aa5ae; color:#eef0f2; }")
        self.status_line = StatusLine(self)

        reason_row = QHBoxLayout()
        reason_row.addWidget(QLabel(self.tr("Powód:"), self))
        reason_row.addWidget(self.reason, 1)
        reason_row.addWidget(self.all_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scan)
        layout.addWidget(self.status_line)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addLayout(reason_row)
        layout.addWidget(self.amount_label)
        layout.addWidget(self.money_note)
        layout.addWidget(self.save_button)

        self.scan.returnPressed.connect(self.on_enter)
        self.all_button.clicked.connect(self.tick_all)
        self.save_button.clicked.connect(self.save)
        self.reason.currentTextChanged.connect(lambda _text: self._update())
        self.status_line.show_message(self.tr("Tryb zwrotu: towary wrócą na stan, a klient dostanie korektę faktury."),
                                      StatusKind.INFO)
        self._update()

    @property
    def form(self) -> ReturnForm | None:
        return self._form

    def on_enter(self) -> None:
        """Enter: a code in the scan field opens that order; an empty field saves the form."""
        code = self.scan.text().strip()
        if code:
            self.open(code)
        elif self.save_button.isEnabled():
            self.save()

    def open(self, code: str) -> None:
        if self._desk is None or self._busy:
            return
        self.scan.clear()
        self._set_busy(True, self.tr("Czytanie zamówienia {code} ze sklepu…").format(code=code))
        run_in_background(partial(self._desk.open, code), self._show_form, self._failed, owner=self,
                          lane=Lane.ACTION)

    def quantities(self) -> dict[int, Decimal]:
        """Item id -> pieces ticked back (a shipping line: 1 when ticked)."""
        if self._form is None:
            return {}
        result = {}
        for row, line in enumerate(self._form.lines):
            widget = self.table.cellWidget(row, 4)
            if isinstance(widget, QSpinBox) and widget.value():
                result[line.item_id] = Decimal(widget.value())
            elif isinstance(widget, QCheckBox) and widget.isChecked():
                result[line.item_id] = Decimal(1)
        return result

    def set_quantity(self, item_id: int, pieces: int) -> None:
        """Tick ``pieces`` of an item back (a shipping line: ticked when > 0); for tests and scanners."""
        if self._form is None:
            return
        for row, line in enumerate(self._form.lines):
            if line.item_id == item_id:
                widget = self.table.cellWidget(row, 4)
                if isinstance(widget, QSpinBox):
                    widget.setValue(pieces)
                elif isinstance(widget, QCheckBox):
                    widget.setChecked(pieces > 0)

    def reason_text(self) -> str:
        """The reason for the shop and the correction: a preset's Polish, or what was typed."""
        index = self.reason.currentIndex()
        if index >= 0 and self.reason.currentText() == self.reason.itemText(index):
            return str(self.reason.itemData(index))
        return self.reason.currentText()

    def tick_all(self) -> None:
        if self._form is not None:
            for line in self._form.lines:
                self.set_quantity(line.item_id, int(line.left))

    def save(self) -> None:
        form, desk = self._form, self._desk
        if form is None or desk is None or self._busy:
            return
        ctx = self._context
        job = partial(desk.save, form, self.quantities(), self.reason_text(),
                      actor=ctx.operator or ctx.station, station=ctx.station)
        self._set_busy(True, self.tr("Zapisywanie zwrotu zamówienia {number} w sklepie…").format(number=form.number))
        run_in_background(job, self._saved, self._failed, owner=self, lane=Lane.ACTION)

    # ---- answers ---------------------------------------------------------------------------

    def _show_form(self, form: ReturnForm) -> None:
        self._form = form
        self.table.setRowCount(len(form.lines))
        for row, line in enumerate(form.lines):
            name = self.tr("Dostawa: {name}").format(name=line.name) if line.shipping else line.name
            cells = (name, line.sku, "" if line.shipping else format_quantity(line.ordered),
                     format_money(line.unit_gross) if line.shipping else format_quantity(line.left), None)
            for column, text in enumerate(cells[:4]):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
            if line.shipping:
                widget: QWidget = QCheckBox(self.tr("zwróć"), self.table)
                widget.setEnabled(line.left > 0)
                widget.toggled.connect(lambda _on: self._update())
            else:
                widget = QSpinBox(self.table)
                widget.setRange(0, int(line.left))
                widget.setEnabled(line.left > 0)
                widget.valueChanged.connect(lambda _value: self._update())
            self.table.setCellWidget(row, 4, widget)
        refunded = (self.tr(" · zwrócono już {amount}").format(amount=format_money(form.refunded))
                    if form.refunded else "")
        self.title.setText(self.tr("Zwrot zamówienia {number} · {buyer} · {fa}").format(
            number=form.number, buyer=form.buyer_name, fa=form.fa_number) + refunded)
        gateway = self._desk is not None and self._desk.api_refund and form.payment_kind == "online"
        self.money_note.setText(self.tr("Pieniądze wrócą do klienta przez bramkę płatności.") if gateway else
                                self.tr("Pieniądze zwróć klientowi sam (przelew, kasa): sklep tylko zapisze zwrot."))
        self._set_busy(False)
        self.status_line.show_message(self.tr("Zaznacz, co wróciło, i naciśnij „Zapisz zwrot”."), StatusKind.INFO)
        self.sig_opened.emit(form.number)

    def _saved(self, saved: ReturnSaved) -> None:
        self._set_busy(False)
        self._form = None
        self.table.setRowCount(0)
        self.title.setText(self.tr("Zeskanuj numer zamówienia z paczki, która wróciła."))
        self.status_line.show_message(
            self.tr("Zwrot zamówienia {number} zapisany w sklepie ({amount}): korekta faktury powstanie "
                    "automatycznie.").format(number=saved.number, amount=format_money(saved.amount)), StatusKind.OK)
        self._update()
        self.sig_saved.emit(saved.refund_id, saved.created)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        message = getattr(exc, "reason", "") or str(exc)
        self.status_line.show_message(message, StatusKind.ERROR)
        self.sig_failed.emit(message)

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self._busy = busy
        if busy:
            self.status_line.show_message(message, StatusKind.BUSY)
        self._update()

    def _update(self) -> None:
        amount = ""
        if self._form is not None and self._desk is not None:
            try:
                body = self._desk.body(self._form, self.quantities(), self.reason_text())
                amount = self.tr("Do zwrotu: {amount}").format(amount=format_money(Decimal(body["amount"])))
            except ReturnRefused:
                amount = ""
        self.amount_label.setText(amount)
        self.save_button.setEnabled(bool(amount) and not self._busy)
        self.all_button.setEnabled(self._form is not None and not self._busy)


class ReturnModeSwitch(QWidget):
    """The packing screen's two modes, packing and "zwrot": a toggle above them (F9) and a stack
    showing the packing page or the return desk. Hidden when the console has no shop to refund in."""

    #: the mode changed (True: "zwrot")
    sig_mode = Signal(bool)

    def __init__(self, context: ConsoleContext, packing_page: QWidget, packing_scan: QLineEdit,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.panel = ReturnDeskPanel(context, self)
        self._packing_scan = packing_scan
        self.toggle = QPushButton(self.tr("Tryb: zwrot (F9)"), self)
        self.toggle.setCheckable(True)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scanner's focus stays in the scan field
        self.toggle.setVisible(context.returns is not None)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(packing_page)
        self.stack.addWidget(self.panel)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self.toggle.toggled.connect(self._switch)
        shortcut = QShortcut(QKeySequence("F9"), parent)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: self.toggle.toggle() if self.toggle.isVisible() else None)

    @property
    def active(self) -> bool:
        return self.toggle.isChecked()

    def _switch(self, on: bool) -> None:
        self.stack.setCurrentWidget(self.panel if on else self.stack.widget(0))
        (self.panel.scan if on else self._packing_scan).setFocus()
        self.sig_mode.emit(on)
