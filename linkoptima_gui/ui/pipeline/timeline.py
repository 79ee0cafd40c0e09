"""The selected order's story under the pipeline table: its audit log, and its documents.

Read on the read lane when the selection changes or the engine reports a change of that order;
the buttons open the invoice PDF and the label with the system's viewer, so a manager answering
a customer sees what the customer got. The engine's own file is opened where it is on this
computer; elsewhere the copy kept in the store is written to a temporary file first.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ...core.store import queries
from ...core.store.documents import INVOICE_PDF, LABEL_PDF, DocumentMissing, read_document
from ...core.store.models import OrderRow, StoredDocument
from ...core.store.refund_queries import RefundSummary, refund_summaries
from .. import texts
from ..background import run_in_background
from .refund_list import RefundList


@dataclass(frozen=True)
class Timeline:
    order_id: int
    number: str
    lines: tuple[str, ...]
    #: the documents the order has (``INVOICE_PDF``/``LABEL_PDF``/``korekta_<refund id>`` -> the
    #: engine's file, maybe "")
    documents: dict[str, str]
    #: its refunds with their corrections and states, oldest first
    refunds: tuple[RefundSummary, ...] = ()


def _who(actor: str, station: str) -> str:
    """"  (jan, stanowisko-2)" after an event a person made; nothing after the engine's."""
    who = [actor] if actor not in ("engine", "") else []
    if station and station != actor:
        who.append(station)
    return f"  ({', '.join(who)})" if who else ""


def _read(factory: sessionmaker[Session], order_id: int) -> Timeline | None:
    with factory() as session:
        order = session.get(OrderRow, order_id)
        if order is None:
            return None
        lines = tuple(
            f"{texts.local_time(event.at)}  {event.step.upper() + '  ' if event.step else ''}{event.message}"
            + _who(event.actor, event.station)
            for event in queries.timeline(session, order_id)
        )
        stored = set(session.scalars(select(StoredDocument.kind).where(StoredDocument.order_id == order_id)))
        files = {INVOICE_PDF: order.invoice_pdf, LABEL_PDF: order.label_pdf}
        refunds = refund_summaries(session, [order_id]).get(order_id, ())
        files.update({r.document_kind: "" for r in refunds})
        documents = {kind: path for kind, path in files.items()
                     if kind in stored or (path and Path(path).is_file())}
        return Timeline(order.id, order.number, lines, documents, refunds)


def _document_file(factory: sessionmaker[Session], order_id: int, kind: str, path: str) -> Path:
    """The engine's file when this computer has it, else the store's copy in a temporary file."""
    if path and Path(path).is_file():
        return Path(path)
    with factory() as session:
        content = read_document(session, order_id, kind)
    if content is None:
        raise DocumentMissing("Nie ma tego dokumentu w bazie konsoli.")
    folder = Path(tempfile.gettempdir()) / "linkoptima-dokumenty"
    folder.mkdir(exist_ok=True)
    target = folder / (Path(path).name if path else f"{kind}-{order_id}.pdf")
    target.write_bytes(content)
    return target


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
        self.invoice_button.clicked.connect(lambda: self._open(INVOICE_PDF))
        self.label_button.clicked.connect(lambda: self._open(LABEL_PDF))
        self.refunds = RefundList(self)
        self.correction_button = QPushButton(self.tr("Otwórz korektę"), self)
        self.correction_button.clicked.connect(self._open_correction)
        self.refunds.currentRowChanged.connect(lambda _row: self._update_buttons())
        buttons = QVBoxLayout()
        buttons.addWidget(self.invoice_button)
        buttons.addWidget(self.label_button)
        buttons.addWidget(self.correction_button)
        buttons.addStretch(1)
        lists = QVBoxLayout()
        lists.addWidget(self.events, 3)
        lists.addWidget(self.refunds, 1)
        body = QHBoxLayout()
        body.addLayout(lists, 1)
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
        self.refunds.show_refunds(timeline.refunds if timeline else ())
        self._update_buttons()
        if timeline is not None:
            self.sig_shown.emit(timeline.order_id)

    def _open(self, kind: str) -> None:
        t = self._timeline
        if t is not None and kind in t.documents:
            run_in_background(partial(_document_file, self._factory, t.order_id, kind, t.documents[kind]),
                              self._open_file, self._open_failed, owner=self)

    def _open_failed(self, exc: BaseException) -> None:
        self.title.setText(self.tr("Nie można otworzyć dokumentu: {error}").format(error=exc))

    def _update_buttons(self) -> None:
        t = self._timeline
        self.invoice_button.setEnabled(bool(t and INVOICE_PDF in t.documents))
        self.label_button.setEnabled(bool(t and LABEL_PDF in t.documents))
        refund = self.refunds.current_refund()
        self.correction_button.setVisible(bool(t and t.refunds))
        self.correction_button.setEnabled(bool(t and refund and refund.document_kind in t.documents))

    def _open_correction(self) -> None:
        refund = self.refunds.current_refund()
        if refund is not None:
            self._open(refund.document_kind)
