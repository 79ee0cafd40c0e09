"""The row under the big button: take back the last "packed", or print its label again.

A packer notices a mistake just after pressing (a wrong box, an item left on the table) or the
label comes out smudged. Both actions concern the parcel packed last at this station, so this
bar remembers it. Undo is offered only within the packing service's undo window (after that
the shop has been told and the button goes grey); reprint stays available until the next
parcel is packed. Both run on the action lane and report in the status line via signals.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ..background import Lane, run_in_background
from ..context import ConsoleContext


class AfterPackBar(QWidget):
    #: an action finished: (message, ok)
    sig_done = Signal(str, bool)
    #: the last parcel went back to the queue (its order id)
    sig_undone = Signal(int)

    def __init__(self, context: ConsoleContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._last: tuple[int, str] | None = None  # (order id, number)
        self._since = QElapsedTimer()
        self.undo_button = QPushButton(self)
        self.reprint_button = QPushButton(self)
        for button in (self.undo_button, self.reprint_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scanner keeps the focus
            button.setMinimumHeight(40)
        self.undo_button.clicked.connect(self.undo_last)
        self.reprint_button.clicked.connect(self.reprint_last)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.undo_button)
        layout.addWidget(self.reprint_button)
        self._expiry = QTimer(self)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(self._update)
        self._update()

    @property
    def last_order_id(self) -> int | None:
        return self._last[0] if self._last else None

    def remember(self, order_id: int, number: str) -> None:
        """The parcel just packed at this station."""
        self._last = (order_id, number)
        self._since.start()
        self._expiry.start(int(self._context.packing.undo_seconds * 1000) + 50)
        self._update()

    def undo_allowed(self) -> bool:
        return (self._last is not None and self._since.isValid()
                and self._since.elapsed() < self._context.packing.undo_seconds * 1000)

    def undo_last(self) -> None:
        if not self.undo_allowed() or self._last is None:
            return
        order_id, _number = self._last
        ctx = self._context
        self.undo_button.setEnabled(False)
        run_in_background(partial(ctx.packing.undo_pack, order_id, station=ctx.station, operator=ctx.operator),
                          partial(self._on_undone, order_id), self._on_failed, owner=self, lane=Lane.ACTION)

    def reprint_last(self) -> None:
        if self._last is None or self._context.reprints is None:
            return
        order_id, _number = self._last
        ctx = self._context
        actor = ctx.operator or ctx.station
        run_in_background(partial(ctx.reprints.reprint_label, order_id, ctx.printer, actor=actor, station=ctx.station),
                          self._on_reprinted, self._on_failed, owner=self, lane=Lane.ACTION)

    def _on_undone(self, order_id: int, number: str) -> None:
        self._last = None
        self._update()
        self.sig_done.emit(self.tr("Cofnięto spakowanie zamówienia {number}: paczka wróciła do kolejki")
                           .format(number=number), True)
        self.sig_undone.emit(order_id)

    def _on_reprinted(self, where: str) -> None:
        self.sig_done.emit(self.tr("Wydrukowano ponownie etykietę: {where}").format(where=where), True)

    def _on_failed(self, exc: BaseException) -> None:
        self._update()
        self.sig_done.emit(getattr(exc, "reason", "") or str(exc), False)

    def _update(self) -> None:
        number = self._last[1] if self._last else ""
        self.undo_button.setText(self.tr("Cofnij spakowanie {number} (F8)").format(number=number)
                                 if number else self.tr("Cofnij spakowanie (F8)"))
        self.reprint_button.setText(self.tr("Drukuj ponownie etykietę {number} (Ctrl+P)").format(number=number)
                                    if number else self.tr("Drukuj ponownie etykietę (Ctrl+P)"))
        self.undo_button.setEnabled(self.undo_allowed())
        self.reprint_button.setEnabled(self._last is not None)
