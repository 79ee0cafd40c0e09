"""The selected order's story under the pipeline table: its audit log, and its documents.

Read on the read lane when the selection changes or the engine reports a change of that order;
the buttons open the invoice PDF and the label with the system's viewer (the files the engine
kept for reprints), so a manager answering a customer sees what the customer got.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget
from sqlalchemy.orm import Session, sessionmaker

from ...core.store import queries
from ...core.store.models import OrderRow
from .. import texts
from ..background import run_in_background


@dataclass(frozen=True)
class Timeline:
    order_id: int
    number: str
    lines: tuple[str, ...]
    invoice_pdf: str
    label_pdf: str


def _read(factory: sessionmaker[Session], order_id: int) -> Timeline | None:
    with factory() as session:
        order = session.get(OrderRow, order_id)
        if order is None:
            return None
        lines = tuple(
            f"{texts.local_time(event.at)}  {event.step.upper() + '  ' if event.step else ''}{event.message}"
            + (f"  ({event.actor})" if event.actor not in ("engine", "") else "")
            for event in queries.timeline(session, order_id)
        )
        return Timeline(order.id, order.number, lines, order.invoice_pdf, order.label_pdf)


class TimelinePanel(QWidget):
    #: the timeline of an order is on screen (its id)
    sig_shown = Signal(int)

    def __init__(self, session_factory: sessionmaker[Session], parent: QWidget | None = None,
                 open_file=None) -> None:  # noqa: ANN001 - a callable taking a Path, for tests
        super().__init__(parent)
        self._factory = session_factory
        self._open_file = open_file or (lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
        self._timeline: Timeline | None = None
        self.title = QLabel(self.tr("Wybierz zamówienie, aby zobaczyć jego historię."), self)
        self.events = QListWidget(self)
        self.invoice_button = QPushButton(self.tr("Otwórz fakturę"), self)
        self.label_button = QPushButton(self.tr("Otwórz etykietę"), self)
        self.invoice_button.clicked.connect(lambda: self._open("invoice_pdf"))
        self.label_button.clicked.connect(lambda: self._open("label_pdf"))
        buttons = QVBoxLayout()
        buttons.addWidget(self.invoice_button)
        buttons.addWidget(self.label_button)
        buttons.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.events, 1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(body)
        self._update_buttons()

    @property
    def order_id(self) -> int | None:
        return self._timeline.order_id if self._timeline else None

    def show_order(self, order_id: int | None) -> None:
        if order_id is None:
            return
        run_in_background(partial(_read, self._factory, order_id), self._show, owner=self)

    def refresh_if_shown(self, order_ids: list[int]) -> None:
        if self._timeline is not None and self._timeline.order_id in order_ids:
            self.show_order(self._timeline.order_id)

    def _show(self, timeline: Timeline | None) -> None:
        self._timeline = timeline
        self.events.clear()
        if timeline is None:
            self.title.setText(self.tr("Nie ma już tego zamówienia."))
        else:
            self.title.setText(self.tr("Historia zamówienia {number}").format(number=timeline.number))
            self.events.addItems(list(timeline.lines))
            self.events.scrollToBottom()
        self._update_buttons()
        if timeline is not None:
            self.sig_shown.emit(timeline.order_id)

    def _open(self, which: str) -> None:
        if self._timeline is not None and getattr(self._timeline, which):
            self._open_file(Path(getattr(self._timeline, which)))

    def _update_buttons(self) -> None:
        t = self._timeline
        self.invoice_button.setEnabled(bool(t and t.invoice_pdf and Path(t.invoice_pdf).is_file()))
        self.label_button.setEnabled(bool(t and t.label_pdf and Path(t.label_pdf).is_file()))
