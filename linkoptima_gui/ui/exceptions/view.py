"""The "Wyjątki" screen: the list of what needs a human and the actions a manager takes.

Retry (the selected problem, or its whole group), fix and retry (map a shop SKU to an Optima item
code, correct a NIP), skip the step, or cancel the order; skipping
and cancelling ask for a reason, and everything is done by ``ManualActions`` on the action lane
with this station's operator as the actor, so the audit log says who and why. Everything but a single retry is a manager's action and
asks for the manager's PIN when one is set. The list reloads
when the engine reports changes (coalesced), keeping the selected order when it is still there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from ...core.config.manager_pin import ManagerPin
from ...core.config.secrets import SecretError, SecretsLocked, SecretStore, WrongSecretsPassword
from ...core.config.vocabulary import carrier_title
from ...core.domain.steps import Step
from ...core.engine.manual import ManualActions
from ...core.store.exception_queries import ExceptionEntry, open_exceptions
from .. import texts
from ..background import Lane, gui_poster, run_in_background
from ..bridge import Coalescer, EngineBridge
from ..context import ConsoleContext
from ..packing.widgets import StatusKind, StatusLine
from .model import ExcColumn, ExceptionsModel

log = logging.getLogger(__name__)

#: rows the column widths are measured on
RESIZE_ROWS = 40

#: reason codes a person can fix here (the rest: retry, skip or cancel)
FIXABLE = ("unknown_sku", "inactive_sku", "invalid_nip")


def _load(factory: sessionmaker[Session]) -> list[ExceptionEntry]:
    with factory() as session:
        return open_exceptions(session)


class ExceptionsView(QWidget):
    #: the list was (re)loaded: how many problems
    sig_loaded = Signal(int)
    #: an action finished: (message, ok)
    sig_acted = Signal(str, bool)
    #: a group retry moved on: (orders done, orders in all)
    sig_progress = Signal(int, int)

    def __init__(self, context: ConsoleContext, bridge: EngineBridge, parent: QWidget | None = None,
                 ask_reason: Callable[[str], str | None] | None = None,
                 ask_pin: Callable[[str], str | None] | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._pin = ManagerPin(context.secrets or SecretStore())
        self._ask_pin = ask_pin or self._pin_dialog
        self._actions = ManualActions(context.session_factory, context.bus, getattr(context.engine, "wake", lambda: None))
        self._ask_reason = ask_reason or self._reason_dialog
        self.model = ExceptionsModel(self)
        self.summary = QLabel(self)
        #: (group as shown, local day or None) the list is narrowed to, from a Pulpit bar
        self.filter: tuple[str, date | None] | None = None
        self.filter_label = QLabel(self)
        self.clear_filter_button = QPushButton(self.tr("Pokaż wszystkie"), self)
        self.clear_filter_button.clicked.connect(lambda: self.show_filtered("", None))
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # sized from the first rows only: measuring hundreds of rows on every reload stalled the
        # window for ~0.4 s when a burst of exceptions arrived (bench_gui)
        header.setResizeContentsPrecision(RESIZE_ROWS)
        header.setSectionResizeMode(ExcColumn.REASON, QHeaderView.ResizeMode.Stretch)
        self.retry_button = QPushButton(self.tr("Ponów (R)"), self)
        self.retry_group_button = QPushButton(self.tr("Ponów całą grupę"), self)
        self.fix_button = QPushButton(self.tr("Popraw i ponów… (P)"), self)
        self.fix_button.setShortcut("P")
        self.skip_button = QPushButton(self.tr("Pomiń krok…"), self)
        self.cancel_button = QPushButton(self.tr("Anuluj zamówienie…"), self)
        self.label_cancel_button = QPushButton(self.tr("Anuluj etykietę u przewoźnika…"), self)
        self.retry_button.setShortcut("R")
        self.status_line = StatusLine(self)
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.fix_button, self.retry_group_button, self.skip_button,
                       self.cancel_button, self.label_cancel_button):
            button.setMinimumHeight(36)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.summary)
        banner = QHBoxLayout()
        banner.addWidget(self.filter_label, 1)
        banner.addWidget(self.clear_filter_button)
        layout.addLayout(banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status_line)

        self.retry_button.clicked.connect(self.retry_selected)
        self.fix_button.clicked.connect(self.fix_selected)
        self.retry_group_button.clicked.connect(self.retry_group)
        self.skip_button.clicked.connect(self.skip_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.label_cancel_button.clicked.connect(self.cancel_label_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._coalescer = Coalescer(parent=self)
        bridge.sig_orders_changed.connect(self._coalescer.add)
        self._coalescer.sig_flush.connect(lambda _ids: self._orders_changed())
        #: the engine changed orders while the screen was hidden: read them when it is shown
        self._stale = False
        self._update_buttons()
        self._show_filter()
        self.reload()

    # -- loading --------------------------------------------------------------------------------

    def reload(self) -> None:
        self._stale = False
        run_in_background(partial(_load, self._context.session_factory), self._show, owner=self)

    def _orders_changed(self) -> None:
        """Re-read on the engine's changes while on screen; hidden, only note them: a busy
        engine changes orders every few hundred milliseconds, and a screen nobody looks at
        reading every open exception again each time takes the interpreter from the one that
        is shown (the status bar counts the exceptions on its own)."""
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def selected(self) -> tuple[int, ExceptionEntry] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        entry = self.model.entry(rows[0].row())
        return (rows[0].row(), entry) if entry else None

    def show_filtered(self, group: str, day: date | None) -> None:
        """Narrow the list to one reason group (as the list names it) and local day; an empty
        group shows everything again."""
        self.filter = (group, day) if group else None
        self._show_filter()
        self.reload()

    def _show_filter(self) -> None:
        if self.filter is None:
            self.filter_label.setText("")
        else:
            group, day = self.filter
            self.filter_label.setText(self.tr("Tylko: {group}{day} (nierozwiązane)").format(
                group=group, day=f", {day.strftime('%d.%m.%Y')}" if day else ""))
        self.filter_label.setVisible(self.filter is not None)
        self.clear_filter_button.setVisible(self.filter is not None)

    def _wanted(self, entry: ExceptionEntry) -> bool:
        if self.filter is None:
            return True
        group, day = self.filter
        local_day = entry.at.replace(tzinfo=UTC).astimezone().date() if entry.at.tzinfo is None else entry.at.date()
        return texts.exception_group(entry.code, entry.step) == group and (day is None or local_day == day)

    def _show(self, entries: list[ExceptionEntry]) -> None:
        entries = [entry for entry in entries if self._wanted(entry)]
        current = self.selected()
        keep = (current[1].order_id, current[1].step, current[1].job_id) if current else None
        self.model.set_entries(entries)
        groups = self.model.groups()
        self.summary.setText(self.tr("Do wyjaśnienia: {count}").format(count=len(entries)) + (
            "  ·  " + "  ·  ".join(f"{g}: {n}" for g, n in groups.items()) if groups else ""))
        row = next((r for r in range(self.model.rowCount()) if keep and
                    (self.model.entry(r).order_id, self.model.entry(r).step, self.model.entry(r).job_id) == keep), 0 if entries else None)
        if row is not None:
            self.table.selectRow(row)
        self._update_buttons()
        self.sig_loaded.emit(len(entries))

    # -- actions --------------------------------------------------------------------------------

    def retry_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        entry = chosen[1]
        step = Step(entry.step) if entry.step else None
        self._act(partial(self._actions.retry, entry.order_id, actor=self._actor(), step=step,
                          job_id=entry.job_id or None),
                  self.tr("Ponowiono zamówienie {number}").format(number=entry.number))

    def retry_group(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if not self._authorised():
            return
        group = self.model.group(chosen[0])
        entries = [self.model.entry(r) for r in range(self.model.rowCount()) if self.model.group(r) == group]
        ids = sorted({e.order_id for e in entries if e is not None and e.step})

        post = gui_poster(self)
        actor = self._actor()

        def retry_all() -> int:
            done = 0
            for number, order_id in enumerate(ids, start=1):
                done += self._actions.retry(order_id, actor=actor, reason=f"ponowienie grupy: {group}")
                post(partial(self._show_progress, number, len(ids)))
            return done

        self._act(retry_all, self.tr("Ponowiono grupę „{group}”: {count} zamówień").format(group=group, count=len(ids)))

    def fix_selected(self) -> None:
        """Fix what stopped the order and let it go on: map the shop's SKU to an Optima item code
        (for good, for every order stopped on it) or correct the buyer's NIP."""
        chosen = self.selected()
        if chosen is None or chosen[1].code not in FIXABLE:
            return
        if not self._authorised():
            return
        entry = chosen[1]
        if entry.code == "invalid_nip":
            nip = self._ask_reason(self.tr("Poprawny NIP nabywcy zamówienia {number} (puste: osoba prywatna):").format(
                number=entry.number))
            if nip is None:
                return
            self._act(partial(self._actions.correct_nip, entry.order_id, nip, actor=self._actor()),
                      self.tr("Poprawiono NIP zamówienia {number}").format(number=entry.number))
            return
        sku = str(entry.details.get("sku") or "")
        code = self._ask_reason(self.tr("Kod towaru w Optimie dla towaru sklepu „{sku}”:").format(sku=sku))
        if code is None:
            return
        self._act(partial(self._actions.map_sku, entry.order_id, sku, code, actor=self._actor()),
                  self.tr("„{sku}” to w Optimie „{code}”: ponowiono zamówienia z tym towarem").format(
                      sku=sku, code=code.strip()))

    def skip_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen[1].step:
            return
        if not self._authorised():
            return
        entry = chosen[1]
        reason = self._ask_reason(self.tr("Dlaczego pominąć krok {step} zamówienia {number}?").format(
            step=entry.step.upper(), number=entry.number))
        if reason is None:
            return
        self._act(partial(self._actions.skip, entry.order_id, Step(entry.step), actor=self._actor(), reason=reason,
                          job_id=entry.job_id or None),
                  self.tr("Pominięto krok {step} zamówienia {number}").format(step=entry.step.upper(),
                                                                          number=entry.number))

    def cancel_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if not self._authorised():
            return
        entry = chosen[1]
        reason = self._ask_reason(self.tr("Dlaczego anulować zamówienie {number}?").format(number=entry.number))
        if reason is None:
            return
        self._act(partial(self._actions.cancel, entry.order_id, actor=self._actor(), reason=reason),
                  self.tr("Anulowano zamówienie {number}").format(number=entry.number))

    def cancel_label_selected(self) -> None:
        """The order stopped after its label was bought: the engine cancels it with the carrier
        (a carrier charges for every label), and buys a new one if the order goes on."""
        chosen = self.selected()
        if chosen is None or not chosen[1].tracking_number or not self._authorised():
            return
        entry = chosen[1]
        reason = self._ask_reason(self.tr("Dlaczego anulować etykietę {tracking} zamówienia {number}?").format(
            tracking=entry.tracking_number, number=entry.number))
        if reason is None:
            return
        self._act(partial(self._actions.cancel_label, entry.order_id, actor=self._actor(), reason=reason),
                  self.tr("Etykieta zamówienia {number} zostanie anulowana u przewoźnika").format(number=entry.number))

    def _show_progress(self, done: int, total: int) -> None:
        self.status_line.show_message(self.tr("Ponawianie: {done} z {total}…").format(done=done, total=total),
                                      StatusKind.BUSY)
        self.sig_progress.emit(done, total)

    def _act(self, job: Callable[[], object], message: str) -> None:
        self.status_line.show_message(self.tr("Wykonywanie…"), StatusKind.BUSY)
        run_in_background(job, lambda _result: self._done(message), self._failed, owner=self, lane=Lane.ACTION)

    def _done(self, message: str) -> None:
        self.status_line.show_message(message, StatusKind.OK)
        self.sig_acted.emit(message, True)
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        message = getattr(exc, "reason", "") or str(exc)
        self.status_line.show_message(message, StatusKind.ERROR)
        self.sig_acted.emit(message, False)

    def _actor(self) -> str:
        return self._context.operator or self._context.station

    def _authorised(self) -> bool:
        """A manager's action: with a PIN set, ask for it; a wrong one does nothing. A keyring
        that cannot be read cannot hold a PIN either, so it does not lock the screen; an encrypted
        secrets file not yet opened may hold one, so it does (cancelling its password must not skip
        the PIN)."""
        try:
            if not self._pin.is_set():
                return True
        except (SecretsLocked, WrongSecretsPassword):
            message = self.tr("PIN kierownika jest w zablokowanym pliku haseł: odblokuj go w Ustawieniach.")
            self.status_line.show_message(message, StatusKind.ERROR)
            self.sig_acted.emit(message, False)
            return False
        except SecretError:
            log.warning("the keyring cannot be read: manager actions go without a PIN")
            return True
        pin = self._ask_pin(self.tr("PIN kierownika:"))
        if pin is None:
            return False
        if not self._pin.verify(pin):
            self.status_line.show_message(self.tr("Błędny PIN: nic nie zostało zmienione."), StatusKind.ERROR)
            self.sig_acted.emit(self.tr("Błędny PIN"), False)
            return False
        return True

    def _pin_dialog(self, question: str) -> str | None:
        text, ok = QInputDialog.getText(self, self.tr("PIN kierownika"), question, QLineEdit.EchoMode.Password)
        return text if ok else None

    def _reason_dialog(self, question: str) -> str | None:
        text, ok = QInputDialog.getText(self, self.tr("Powód"), question)
        return text if ok else None

    def _update_buttons(self) -> None:
        chosen = self.selected()
        has_step = chosen is not None and bool(chosen[1].step)
        self.retry_button.setEnabled(has_step)
        self.retry_group_button.setEnabled(has_step)
        self.skip_button.setEnabled(has_step)
        self.fix_button.setEnabled(chosen is not None and chosen[1].code in FIXABLE and (
            chosen[1].code == "invalid_nip" or bool(chosen[1].details.get("sku"))))
        self.cancel_button.setEnabled(chosen is not None)
        label = chosen[1].tracking_number if chosen is not None else ""
        self.label_cancel_button.setEnabled(bool(label))
        self.label_cancel_button.setToolTip(
            self.tr("Kupiona etykieta: {tracking} ({carrier})").format(tracking=label,
                                                                       carrier=carrier_title(chosen[1].carrier))
            if label and chosen is not None else self.tr("Zamówienie nie ma kupionej etykiety"))
