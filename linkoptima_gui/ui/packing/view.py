"""The "Pakowanie" screen: queue on the left, the current parcel and one big button.

The packer's loop is: look at the items, put them in the box, press Enter (or the button),
stick the label on. Everything here serves that loop:

- the print-and-pack call blocks on the printer, so it runs on the action lane and the
  button stays disabled until it answers (a double press cannot pack twice, and the
  service's claim guards other stations);
- a failure leaves the same parcel on screen with the reason in red, and the button
  enabled again, because the usual fix (printer paper, cable) is followed by pressing again;
- focus stays in the scan field (the list and the button never take it), so a barcode
  scanner typing a number plus Enter always lands there. Enter with an empty field packs,
  Enter after a scanned code opens that parcel;
- several stations share one queue: the parcel on screen is claimed for this station (renewed
  while it stays there, released when the packer moves on), the others see "pakuje: <stacja>"
  and pass it by (``core/engine/parcel_claims``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from ...core.domain.ean_check import EanChecklist, ScanOutcome
from ...core.domain.steps import Stage
from ...core.engine.packing import PackingError, PackResult
from ...core.printing.port import PrinterError
from ...core.store import ui_queries
from ...core.store.queries import Parcel
from ...core.store.ui_queries import ScanHit
from .. import texts
from ..background import Lane, run_in_background
from ..bridge import Coalescer, EngineBridge
from ..context import ConsoleContext
from .after_pack import AfterPackBar
from .claims import ParcelClaims
from .end_of_day import EndOfDayButton
from .queue_model import OrderIdRole, PackingQueueModel
from .return_desk import ReturnModeSwitch
from .widgets import ParcelCard, StatusKind, StatusLine, big_font, pack_button, queue_list

log = logging.getLogger(__name__)


def _find(factory: sessionmaker[Session], code: str) -> ScanHit | None:
    with factory() as session:
        return ui_queries.find_order_for_scan(session, code)


class PackingView(QWidget):
    """The packing station; the attributes are public for tests and screenshots."""

    #: A parcel is on screen (its order id).
    sig_parcel_shown = Signal(int)
    #: The order was packed and its label printed (order id).
    sig_packed = Signal(int)
    #: Packing failed; the parcel stays (order id, the message shown).
    sig_pack_failed = Signal(int, str)
    #: An item's EAN was scanned in the "scan every item" mode (the ScanOutcome value).
    sig_item_checked = Signal(str)

    def __init__(self, context: ConsoleContext, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._current: int | None = None
        self._busy = False
        self._checklist: EanChecklist | None = None
        self.queue = PackingQueueModel(context.session_factory, self, station=context.station)
        self._coalescer = Coalescer(parent=self)
        self._build()
        bridge.sig_orders_changed.connect(self._coalescer.add)
        self._coalescer.sig_flush.connect(self._orders_changed)
        #: the engine changed orders while the screen was hidden: read the queue when it is shown
        self._stale = False
        self.queue.sig_refreshed.connect(self._on_queue_refreshed)
        self.claims = ParcelClaims(context, lambda: None if self._busy else self._current, self._on_claim_refused,
                                   self)
        self.queue.load()

    # ---- Construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.scan = QLineEdit(self)
        self.scan.setFont(big_font(16))
        self.scan.setPlaceholderText(self.tr("Zeskanuj lub wpisz nr zamówienia"))
        self.scan.setClearButtonEnabled(True)
        self.queue_label = QLabel(self)
        self.queue_label.setFont(big_font(14, bold=True))
        self.queue_view = queue_list(self.queue, self)
        self.queue_view.clicked.connect(self._on_queue_clicked)

        left = QVBoxLayout()
        left.addWidget(self.scan)
        left.addWidget(self.queue_label)
        left.addWidget(self.queue_view, 1)
        left_box = QWidget(self)
        left_box.setLayout(left)
        left.setContentsMargins(0, 0, 0, 0)
        left_box.setFixedWidth(380)

        self.status_line = StatusLine(self)
        self.status_line.show_message(
            self.tr("Włóż towary do paczki i naciśnij Enter — etykieta wydrukuje się sama."), StatusKind.INFO)
        self.card = ParcelCard(self)
        self.pack_button = pack_button(self.tr("Drukuj etykietę i spakuj (Enter)"), self)
        self.pack_button.clicked.connect(self.pack_current)

        self.after_pack = AfterPackBar(self._context, self)
        self.after_pack.sig_done.connect(self._on_after_pack_done)
        self.end_of_day = EndOfDayButton(self._context, self)
        self.end_of_day.sig_progress.connect(lambda text: self.status_line.show_message(text, StatusKind.BUSY))
        self.end_of_day.sig_done.connect(self._on_after_pack_done)
        self.after_pack.sig_undone.connect(lambda _order_id: self.queue.refresh())
        self.card.show_scanned_column(self._context.verify_eans)

        right = QVBoxLayout()
        right.addWidget(self.status_line)
        right.addWidget(self.card, 1)
        right.addWidget(self.pack_button)
        right.addWidget(self.after_pack)
        right.addWidget(self.end_of_day)

        packing_page = QWidget(self)
        layout = QHBoxLayout(packing_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(left_box)
        layout.addLayout(right, 1)
        self.modes = ReturnModeSwitch(self._context, packing_page, self.scan, self)  # packing, or "zwrot"
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(self.modes)

        keys: list[tuple[QKeySequence, Callable[[], None]]] = [
            (QKeySequence(Qt.Key.Key_Return), self._on_enter),
            (QKeySequence(Qt.Key.Key_Enter), self._on_enter),  # Enter on the keypad
            (QKeySequence("F8"), self.after_pack.undo_last),  # Ctrl+Z is the scan field's own undo
            (QKeySequence("Ctrl+P"), self.after_pack.reprint_last),
            (QKeySequence("Ctrl+Shift+D"), self.end_of_day.close_day),
        ]
        if self._context.pack_key:  # e.g. a foot pedal sending F12
            keys.append((QKeySequence(self._context.pack_key), self.pack_current))
        for sequence, action in keys:
            shortcut = QShortcut(sequence, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        self._update_queue_label()
        self._update_button()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.scan.setFocus()
        if self._stale:
            self._stale = False
            self.queue.refresh()

    def _orders_changed(self, ids: list[int]) -> None:
        """The queue read again on screen; hidden, the changes only noted (``showEvent`` reads)."""
        if self.isVisible():
            self.queue.refresh(ids)
        else:
            self._stale = True

    # ---- Public API ------------------------------------------------------------------------

    @property
    def current_order_id(self) -> int | None:
        return self._current

    @property
    def busy(self) -> bool:
        return self._busy

    def open_parcel(self, order_id: int, *, chosen: bool = True) -> None:
        """Make ``order_id`` the current parcel: claimed for this station and read, off the GUI
        thread. ``chosen``: the packer picked it (a parcel another station has is then named in
        the status line); otherwise the next free one is taken instead."""
        previous = self._current
        self._current = order_id
        self._select_current()
        self._update_button()
        if previous is not None and previous != order_id:
            self.claims.release(previous)
        self.claims.open(order_id, chosen, partial(self._show_parcel, order_id))

    def release_current(self) -> None:
        """The packer leaves (the window closes): the parcel on screen is free for the others."""
        self.claims.release_now()

    def open_scanned(self, code: str) -> None:
        """Find the order a scanned/typed code names and open it if it waits for packing."""
        code = code.strip()
        if not code or self._busy:
            return
        self.scan.clear()
        run_in_background(partial(_find, self._context.session_factory, code),
                          partial(self._on_scan_result, code), owner=self)

    def pack_current(self) -> None:
        """Print the label of the parcel on screen and mark it packed (off the GUI thread)."""
        parcel = self.card.parcel
        if self._busy or parcel is None or parcel.id != self._current:
            return
        if self._checklist is not None and not self._checklist.complete:
            self._warn(self.tr("Najpierw zeskanuj wszystkie towary tej paczki."))
            return
        self._busy = True
        self._update_button()
        self.status_line.show_message(
            self.tr("Drukowanie etykiety zamówienia {number}…").format(number=parcel.number), StatusKind.BUSY)
        ctx = self._context
        run_in_background(
            partial(ctx.packing.pack, parcel.id, ctx.printer, station=ctx.station, operator=ctx.operator),
            partial(self._on_packed, parcel), partial(self._on_pack_failed, parcel),
            owner=self, lane=Lane.ACTION)

    # ---- Reactions -------------------------------------------------------------------------

    def _on_enter(self) -> None:
        if self.modes.active:
            self.modes.panel.on_enter()
            return
        code = self.scan.text().strip()
        if not code:
            self.pack_current()
        elif self._checklist is not None and not self._busy and self._check_item(code):
            self.scan.clear()
        else:
            self.open_scanned(code)

    def _check_item(self, code: str) -> bool:
        """Count a scanned EAN against the parcel; False when the code is no EAN (an order number)."""
        assert self._checklist is not None
        result = self._checklist.scan(code)
        if result.outcome is ScanOutcome.NOT_AN_EAN:
            return False
        self.card.items_model.set_progress(self._progress())
        if result.outcome is ScanOutcome.WRONG_ITEM:
            self._warn(self.tr("TEGO TOWARU NIE MA W ZAMÓWIENIU (EAN {code}). Odłóż go!").format(code=code))
        elif result.outcome is ScanOutcome.TOO_MANY:
            self._warn(self.tr("ZA DUŻO: {name} — zamówiono {needed} szt.").format(
                name=result.name, needed=result.needed))
        elif result.outcome is ScanOutcome.PARCEL_DONE:
            self.status_line.show_message(
                self.tr("Wszystko zeskanowane — naciśnij Enter, aby wydrukować etykietę."), StatusKind.OK)
        else:
            self.status_line.show_message(self.tr("{name}: {scanned}/{needed}").format(
                name=result.name, scanned=result.scanned, needed=result.needed), StatusKind.INFO)
        self._update_button()
        self.sig_item_checked.emit(result.outcome.value)
        return True

    def _warn(self, message: str) -> None:
        """A mistake the packer must notice from a step away: red, large, with a beep."""
        self.status_line.show_message(message, StatusKind.ERROR)
        QApplication.beep()

    def _progress(self) -> dict[str, tuple[int, int]]:
        assert self._checklist is not None
        return {item.sku: self._checklist.progress(item.sku) for item in (self.card.parcel.items if self.card.parcel else ())}

    def _on_after_pack_done(self, message: str, ok: bool) -> None:
        self.status_line.show_message(message, StatusKind.OK if ok else StatusKind.ERROR)

    def _on_queue_clicked(self, index: QModelIndex) -> None:
        order_id = index.data(OrderIdRole)
        if not self._busy and order_id is not None and order_id != self._current:
            self.open_parcel(int(order_id))

    def _on_queue_refreshed(self) -> None:
        self._update_queue_label()
        if self._busy:
            return
        ids = self.queue.ids()
        if self._current is None or self._current not in ids or self.queue.taken_by(self._current):
            self._open_next()
        else:
            self._select_current()

    def _open_next(self, skip: int | None = None) -> None:
        following = [i for i in self.queue.free_ids() if i != skip]
        if following:
            self.open_parcel(following[0], chosen=False)
        else:
            if self._current is not None:
                self.claims.release(self._current)
            self._current = None
            self.card.show_empty(self.tr("Brak paczek do spakowania") if not self.queue.ids()
                                 else self.tr("Pozostałe paczki pakują inne stanowiska"))
            self._update_button()

    def _on_claim_refused(self, order_id: int, chosen: bool, exc: BaseException) -> None:
        if order_id != self._current:
            return
        self._current = None
        if isinstance(exc, PackingError):
            if chosen:
                self.status_line.show_message(exc.reason, StatusKind.ERROR)
        else:
            log.error("opening parcel %s failed", order_id, exc_info=exc)
            self.status_line.show_message(self.tr("Nie można otworzyć paczki: {error}").format(error=exc),
                                          StatusKind.ERROR)
        self.queue.refresh()  # shows who has it; the refresh opens the next free parcel


    def _show_parcel(self, order_id: int, parcel: Parcel | None) -> None:
        if order_id != self._current:
            return  # the packer moved on while it was being read
        if parcel is None:
            self._current = None
            self._open_next(skip=order_id)
            return
        self.card.show_parcel(parcel)
        self._checklist = EanChecklist(parcel.items) if self._context.verify_eans else None
        if self._checklist is not None:
            self.card.items_model.set_progress(self._progress())
        self._update_button()
        self.sig_parcel_shown.emit(order_id)

    def _on_scan_result(self, code: str, hit: ScanHit | None) -> None:
        if hit is None:
            self.status_line.show_message(
                self.tr("Nie znaleziono zamówienia „{code}”").format(code=code), StatusKind.ERROR)
        elif hit.stage != Stage.READY_TO_PACK.value:
            self.status_line.show_message(
                self.tr("Zamówienie {number} nie czeka na spakowanie (etap: {stage})").format(
                    number=hit.number, stage=texts.stage_text(hit.stage)), StatusKind.ERROR)
        elif not self._busy:
            self.status_line.show_message(
                self.tr("Otwarto zamówienie {number}").format(number=hit.number), StatusKind.INFO)
            self.open_parcel(hit.id)

    def _on_packed(self, parcel: Parcel, result: PackResult) -> None:
        self._busy = False
        self.status_line.show_message(
            self.tr("Spakowano zamówienie {number} — etykieta: {where}").format(
                number=result.number or parcel.number, where=result.printed_to), StatusKind.OK)
        self.after_pack.remember(parcel.id, result.number or parcel.number)
        self.sig_packed.emit(parcel.id)
        self._open_next(skip=parcel.id)
        self.queue.refresh()

    def _on_pack_failed(self, parcel: Parcel, exc: BaseException) -> None:
        self._busy = False
        reason = getattr(exc, "reason", "") or str(exc)
        if isinstance(exc, PrinterError):
            text = self.tr("Nie spakowano zamówienia {number}. Błąd drukarki: {reason}")
        elif isinstance(exc, PackingError):
            text = self.tr("Nie spakowano zamówienia {number}: {reason}")
        else:
            log.error("packing %s failed", parcel.number, exc_info=exc)
            text = self.tr("Nie spakowano zamówienia {number}: nieoczekiwany błąd ({reason})")
        message = text.format(number=parcel.number, reason=reason)
        self.status_line.show_message(message, StatusKind.ERROR)
        self._update_button()
        self.sig_pack_failed.emit(parcel.id, message)
        self.queue.refresh()

    # ---- Small helpers ---------------------------------------------------------------------

    def _select_current(self) -> None:
        row = self.queue.row_of(self._current) if self._current is not None else None
        selection = self.queue_view.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self.queue.index(row, 0)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.queue_view.scrollTo(index)

    def _update_button(self) -> None:
        parcel = self.card.parcel
        ready = parcel is not None and parcel.id == self._current
        checked = self._checklist is None or self._checklist.complete
        self.pack_button.setEnabled(ready and checked and not self._busy)
        self.pack_button.setText(
            self.tr("Drukowanie…") if self._busy else self.tr("Drukuj etykietę i spakuj (Enter)"))

    def _update_queue_label(self) -> None:
        self.queue_label.setText(self.tr("Do spakowania: {count}").format(count=self.queue.rowCount()))
