"""Reprinting a label or an invoice: nothing changes in the order, everything goes to the audit.

Copies get their own job names (``kopia-…``), so a file printer never overwrites the original
printout and a copy is never counted as a second label of the parcel.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from ..errors import PermanentError
from ..printing.port import Printer
from ..store.models import OrderRow
from . import audit


class ReprintError(PermanentError):
    """There is nothing to reprint (no label or invoice yet) or its file is gone."""

    code = "reprint"


class ReprintService:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def reprint_label(self, order_id: int, printer: Printer, *, actor: str) -> str:
        """Print the parcel's label again; returns where it went."""
        with self._sessions() as session:
            order = self._order(session, order_id)
            number, pdf_path, zpl_path = order.number, order.label_pdf, order.label_zpl
        if not (pdf_path or zpl_path):
            raise ReprintError(f"Zamówienie {number} nie ma jeszcze etykiety.")
        pdf, zpl = self._read(number, pdf_path), self._read(number, zpl_path)
        where = printer.print_label(f"kopia-etykiety-{number}-{uuid.uuid4().hex[:6]}", pdf=pdf, zpl=zpl)
        self._record(order_id, "reprint_label", f"Ponowny wydruk etykiety: {where}", actor)
        return where

    def reprint_invoice(self, order_id: int, printer: Printer, *, actor: str) -> str:
        """Print the invoice PDF as e-mailed (the figures of the books); returns where it went."""
        with self._sessions() as session:
            order = self._order(session, order_id)
            number, fa_number, pdf_path = order.number, order.fa_number, order.invoice_pdf
        if not pdf_path:
            raise ReprintError(f"Zamówienie {number} nie ma jeszcze faktury w PDF.")
        pdf = self._read(number, pdf_path)
        name = f"kopia-faktury-{(fa_number or number).replace('/', '_')}-{uuid.uuid4().hex[:6]}"
        where = printer.print_label(name, pdf=pdf)
        self._record(order_id, "reprint_invoice", f"Ponowny wydruk faktury {fa_number}: {where}", actor)
        return where

    @staticmethod
    def _order(session: Session, order_id: int) -> OrderRow:
        order = session.get(OrderRow, order_id)
        if order is None:
            raise ReprintError(f"Nie ma zamówienia o id {order_id}.")
        return order

    @staticmethod
    def _read(number: str, path: str) -> bytes | None:
        if not path:
            return None
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            raise ReprintError(f"Nie można odczytać pliku do wydruku zamówienia {number}: {exc}") from exc

    def _record(self, order_id: int, kind: str, message: str, actor: str) -> None:
        with self._sessions.begin() as session:
            audit.record(session, kind, message, order_id=order_id, actor=actor)
