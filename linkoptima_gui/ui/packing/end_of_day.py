"""The packing screen's "Zamknij dzień" button: the carriers' handover protocols and courier
bookings, once per day and carrier (``core/engine/end_of_day.py`` keeps that promise in the store).

It calls carriers and a printer, so it runs on the action lane and says how far it got in the
status line (one carrier after another). A carrier whose day another press (here or at another
station) closed already is named with when and where, and the protocol may be printed again;
so may one whose printout did not come out. The button (or Ctrl+Shift+D) is there only when some
carrier of this installation wants an end of day (InPost's lockers and the built-in carrier do not).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from ...core.config.vocabulary import carrier_title
from ...core.engine.end_of_day import ALREADY, CLOSED, NOTHING, Closing
from ..background import Lane, gui_poster, run_in_background
from ..context import ConsoleContext


class EndOfDayButton(QPushButton):
    #: a step of the closing: the text for the status line
    sig_progress = Signal(str)
    #: the closing (or a reprint) ended: (message, ok)
    sig_done = Signal(str, bool)

    def __init__(self, context: ConsoleContext, parent: QWidget | None = None,
                 ask: Callable[[str], bool] | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._ask = ask or self._question
        self.busy = False
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scanner keeps the focus
        self.setMinimumHeight(40)
        self.clicked.connect(self.close_day)
        end = context.end_of_day
        carriers = end.carriers if end is not None else []
        self.setVisible(bool(carriers))
        self.setToolTip(self.tr("Raz dziennie dla każdego przewoźnika: {carriers} — protokół przekazania i "
                                "zamówienie kuriera, wydruk na drukarce tego stanowiska").format(
            carriers=", ".join(carrier_title(c.name) for c in carriers)))
        self._update()

    def close_day(self) -> None:
        end, ctx = self._context.end_of_day, self._context
        if end is None or not end.carriers or self.busy:
            return
        self.busy = True
        self._update()
        self.sig_progress.emit(self.tr("Zamykanie dnia…"))
        post = gui_poster(self)
        run_in_background(
            partial(end.close_day, self._printer(), station=ctx.station, operator=ctx.operator,
                    progress=lambda text: post(partial(self.sig_progress.emit, text))),
            self._on_closed, self._on_failed, owner=self, lane=Lane.ACTION)

    def reprint(self, closing: Closing) -> None:
        end, ctx = self._context.end_of_day, self._context
        if end is None or closing.closing_id is None:
            return
        run_in_background(
            partial(end.reprint, closing.closing_id, self._printer(), station=ctx.station, operator=ctx.operator),
            lambda where: self.sig_done.emit(self.tr("{carrier}: wydrukowano ponownie protokół: {where}").format(
                carrier=carrier_title(closing.carrier), where=where), True),
            self._on_failed, owner=self, lane=Lane.ACTION)

    # -- reactions ---------------------------------------------------------------------------------

    def _on_closed(self, results: list[Closing]) -> None:
        self.busy = False
        self._update()
        ok = all(r.outcome in (CLOSED, ALREADY, NOTHING) and not r.print_failed for r in results)
        self.sig_done.emit("\n".join(r.message for r in results) or self.tr("Brak przewoźników do zamknięcia dnia."),
                           ok)
        for closing in results:
            if closing.outcome == ALREADY:
                question = self.tr("{message}\n\nWydrukować protokół ponownie?")
            elif closing.print_failed:
                question = self.tr("{message}\n\nWydrukować protokół teraz?")
            else:
                continue
            if self._ask(question.format(message=closing.message)):
                self.reprint(closing)

    def _on_failed(self, exc: BaseException) -> None:
        self.busy = False
        self._update()
        self.sig_done.emit(self.tr("Nie zamknięto dnia: {reason}").format(reason=getattr(exc, "reason", "") or exc),
                           False)

    # -- helpers -----------------------------------------------------------------------------------

    def _printer(self):  # noqa: ANN202 - the station's printer for A4 documents, else its label printer
        return self._context.invoice_printer or self._context.printer

    def _update(self) -> None:
        self.setEnabled(not self.busy)
        self.setText(self.tr("Zamykanie dnia…") if self.busy
                     else self.tr("Zamknij dzień: protokół i zamówienie kuriera (Ctrl+Shift+D)"))

    def _question(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Protokół przekazania"), text)
        return answer == QMessageBox.StandardButton.Yes
