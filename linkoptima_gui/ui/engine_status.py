"""The engine's part of the status bar: which station runs the engine, how fresh its heartbeat
is, and what this console's own engine does (runs, stands by, may not run here).

Several consoles share one store and one active engine (DESIGN.md §5). A packer at station 3
wants to know the parcels keep coming; a manager wants to see at a glance that the engine PC
next to Optima is alive. The lease row says it all; it is read every two seconds off the GUI
thread. This console's role arrives as an event the moment it changes.
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget
from sqlalchemy.orm import Session, sessionmaker

from ..core.store.lease import LeaseInfo, read_lease
from . import texts
from .background import Lane, run_in_background
from .bridge import EngineBridge
from .context import ConsoleContext, EngineControl

log = logging.getLogger(__name__)

#: how often the lease row is read (the heartbeat's age on screen)
LEASE_READ_MS = 2000
_WARN = "color: #b00020;"


def _read_lease(factory: sessionmaker[Session]) -> LeaseInfo | None:
    with factory() as session:
        return read_lease(session.connection())


class EngineStatus(QWidget):
    """"Silnik: …" with the pause button when this console controls an engine."""

    #: a message for the status bar's passing line (an action failed)
    sig_message = Signal(str)

    def __init__(self, context: ConsoleContext, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = context.session_factory
        self._engine: EngineControl | None = context.engine
        self._timeout = context.lease_seconds
        self._state = ""
        self._reason = ""
        self.lease: LeaseInfo | None = None
        self.label = QLabel(self)  # never shortened: the status bar's stock line gives way first
        self.pause_button = QPushButton(self)
        self.pause_button.setVisible(self._engine is not None)
        self.pause_button.clicked.connect(self._toggle_engine)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.pause_button)
        bridge.sig_engine_state.connect(lambda data: self.show_state(str(data.get("state", ""))))
        bridge.sig_engine_role.connect(self._on_role)
        self._timer = QTimer(self)
        self._timer.setInterval(LEASE_READ_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.show_state(self._engine.state() if self._engine is not None else "")
        self.refresh()

    def refresh(self) -> None:
        run_in_background(partial(_read_lease, self._factory), self._show_lease, self._on_read_failed, owner=self)

    def show_state(self, state: str) -> None:
        self._state = state
        self.pause_button.setText(self.tr("Wznów") if state == "paused" else self.tr("Wstrzymaj"))
        self.pause_button.setEnabled(state in ("running", "paused"))
        self._render()

    def _on_role(self, data: dict) -> None:
        self._reason = str(data.get("reason") or "")
        self.show_state(self._engine.state() if self._engine is not None else str(data.get("role", "")))
        self.refresh()

    def _show_lease(self, lease: LeaseInfo | None) -> None:
        self.lease = lease
        self._render()

    def _on_read_failed(self, exc: BaseException) -> None:
        log.warning("reading the engine lease failed: %s", exc)
        self.label.setText(self.tr("Silnik: brak połączenia z bazą konsoli"))
        self.label.setStyleSheet(_WARN)

    def _render(self) -> None:
        """The label from this console's state and the lease (see the module docstring)."""
        lease, state = self.lease, self._state
        alive = lease is not None and lease.held and lease.age_seconds <= self._timeout
        where = ""
        if lease is not None and lease.held:
            where = self.tr("{station}, sygnał {age} s temu").format(station=lease.station,
                                                                     age=f"{lease.age_seconds:.0f}")
        if state == "refused":
            text, warn = self.tr("Silnik: nie może działać na tym komputerze"), True
        elif state in ("running", "paused", "stopped", "starting"):
            text, warn = self.tr("Silnik: {state}").format(state=texts.engine_state_text(state)), False
            if where:
                text += f" ({where})"
        elif alive:
            text = (self.tr("Silnik: czuwa, działa na {where}") if state == "standby"
                    else self.tr("Silnik: działa na {where}")).format(where=where)
            warn = False
        elif lease is not None:
            text = self.tr("Silnik: żaden nie działa (ostatni: stanowisko {station}, {age} s temu)").format(
                station=lease.station, age=f"{lease.age_seconds:.0f}")
            warn = True
        elif state == "standby":
            text, warn = self.tr("Silnik: czuwa"), False
        else:
            text, warn = self.tr("Silnik: stan nieznany"), False
        self.label.setText(text)
        self.label.setToolTip(self._reason or text)
        self.label.setStyleSheet(_WARN if warn else "")

    def _toggle_engine(self) -> None:
        engine = self._engine
        if engine is None:
            return
        action = engine.resume if self._state == "paused" else engine.pause
        self.pause_button.setEnabled(False)
        run_in_background(lambda: (action(), engine.state())[1], self.show_state,
                          self._on_toggle_failed, owner=self, lane=Lane.ACTION)

    def _on_toggle_failed(self, exc: BaseException) -> None:
        log.error("pausing/resuming the engine failed", exc_info=exc)
        self.sig_message.emit(self.tr("Nie udało się zmienić stanu silnika: {error}").format(error=exc))
        self.show_state(self._state)
