"""The bottom line of the window: is the engine running (where, ``engine_status``), and how
much work is where.

The counts come from one grouped query, re-read (off the GUI thread) at most twice a second
while orders change, so a manager glancing at any screen sees the backlog move.
Backlog stages are counted whatever their age; "packed" counts only today's parcels, which
is what a shift wants to know.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QStatusBar, QWidget
from sqlalchemy.orm import Session, sessionmaker

from ..core.domain.steps import Stage
from ..core.store import queries, ui_queries
from . import texts
from .background import run_in_background
from .bridge import Coalescer, EngineBridge
from .context import ConsoleContext
from .elided_label import ElidedLabel
from .engine_status import EngineStatus

log = logging.getLogger(__name__)

#: Stages shown in the bar, in the order work flows.
_BACKLOG = (Stage.NEW, Stage.AWAITING_PAYMENT, Stage.PROCESSING, Stage.READY_TO_PACK, Stage.EXCEPTION)


@dataclass(frozen=True)
class Counts:
    by_stage: dict[str, int]
    packed_today: int


def _read_counts(factory: sessionmaker[Session]) -> Counts:
    with factory() as session:
        return Counts(queries.stage_counts(session), ui_queries.packed_since(session, ui_queries.start_of_today_utc()))


def _separator(parent: QWidget) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class ConsoleStatusBar(QStatusBar):
    """Engine state (with pause/resume when this console controls the engine) and counts."""

    #: New counts are on screen.
    sig_counts_shown = Signal()

    def __init__(self, context: ConsoleContext, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._factory = context.session_factory
        self.counts: Counts | None = None
        self.engine = EngineStatus(context, bridge, self)
        self.engine.sig_message.connect(lambda text: self.showMessage(text, 15000))
        self.counts_label = QLabel(self)
        self.stock_label = ElidedLabel(self.tr("Stany: jeszcze nie synchronizowano"), self)
        self.addWidget(self.engine)
        self.addPermanentWidget(_separator(self))  # a long message on the left must not run into it
        self.addPermanentWidget(self.stock_label)
        self.addPermanentWidget(_separator(self))  # else "…errors 0 New: 3" reads as one sentence
        self.addPermanentWidget(self.counts_label)
        self._coalescer = Coalescer(interval_ms=500, parent=self)
        self._coalescer.sig_flush.connect(self.refresh_counts)
        bridge.sig_orders_changed.connect(self._coalescer.add)
        bridge.sig_engine_state.connect(self._on_engine_state)
        bridge.sig_exception.connect(self._on_exception)
        bridge.sig_stock_sync.connect(self.show_stock_pass)
        bridge.sig_stock_progress.connect(self.show_stock_progress)
        self.refresh_counts()

    @property
    def engine_label(self) -> QLabel:
        return self.engine.label

    @property
    def pause_button(self) -> QPushButton:
        return self.engine.pause_button

    def refresh_counts(self, _ids: object = None) -> None:
        run_in_background(partial(_read_counts, self._factory), self._show_counts, owner=self)

    def _on_engine_state(self, data: dict) -> None:
        if data.get("error"):
            self.showMessage(self.tr("Silnik: {error}").format(error=data["error"]), 15000)

    def show_stock_progress(self, data: dict) -> None:
        """A long stock pass on its way (the first full one can send thousands of corrections)."""
        self.stock_label.setText(self.tr("Stany: wysyłanie {sent} z {total}…").format(
            sent=data.get("sent", 0), total=data.get("total", 0)))

    def show_stock_pass(self, data: dict) -> None:
        """The last stock pass: when (local time), SKUs corrected, prices changed, errors (listed
        in the tooltip)."""
        try:
            at = datetime.fromisoformat(str(data.get("at"))).replace(tzinfo=UTC).astimezone()
            when = at.strftime("%H:%M:%S")
        except ValueError:
            when = "?"
        errors = [str(e) for e in data.get("errors") or []]
        kind = self.tr("pełna") if data.get("full") else self.tr("zmiany")
        text = self.tr("Stany ({kind}): {when}, poprawione {changed} z {checked}, błędy {errors}").format(
            kind=kind, when=when, changed=data.get("changed", 0), checked=data.get("checked", 0), errors=len(errors))
        if data.get("prices"):  # products brought up to Optima's price, name or EAN in that pass
            text += self.tr(", ceny/nazwy/EAN: {prices}").format(prices=data["prices"])
        self.stock_label.setText(text)
        self.stock_label.setToolTip("\n".join(errors) if errors else self.tr("Bez błędów"))
        self.stock_label.setStyleSheet("color: #b00020;" if errors else "")

    def _on_exception(self, data: dict) -> None:
        reason = data.get("reason", "")
        self.showMessage(self.tr("Wyjątek wymaga decyzji: {reason}").format(reason=reason), 15000)

    def _show_counts(self, counts: Counts) -> None:
        self.counts = counts
        parts = [f"{texts.stage_text(stage)}: {counts.by_stage.get(stage.value, 0)}" for stage in _BACKLOG]
        parts.append(self.tr("Spakowane dziś: {count}").format(count=counts.packed_today))
        self.counts_label.setText("   ·   ".join(parts))
        self.sig_counts_shown.emit()
