"""Reprinting a label or an invoice: nothing changes in the order, everything goes to the audit.

Open to every station (whoever has the parcel open), and audited with the person and the
station. Copies get their own job names (``kopia-…``), so a file printer never overwrites the
original printout and a copy is never counted as a second label of the parcel. The documents
come from the store, so any computer reprints what the engine's computer made.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ..errors import PermanentError
from ..printing.port import Printer
from ..store.documents import INVOICE_PDF, KEEP_DAYS, LABEL_PDF, LABEL_ZPL, DocumentMissing, read_document
from ..store.models import OrderRow, RefundRow
from . import audit


class ReprintError(PermanentError):
    """There is nothing to reprint (no label or invoice yet) or its file is gone."""

    code = "reprint"


class ReprintService:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def reprint_label(self, order_id: int, printer: Printer, *, actor: str, station: str = "") -> str:
        """Print the parcel's label again; returns where it went."""
        with self._sessions() as session:
            order = self._order(session, order_id)
            number = order.number
            pdf = self._read(session, order, LABEL_PDF, order.label_pdf)
            zpl = self._read(session, order, LABEL_ZPL, order.label_zpl)
        if not (pdf or zpl):
            raise ReprintError(f"Zamówienie {number} nie ma jeszcze etykiety.")
        where = printer.print_label(f"kopia-etykiety-{number}-{uuid.uuid4().hex[:6]}", pdf=pdf, zpl=zpl)
        self._record(order_id, "reprint_label", f"Ponowny wydruk etykiety: {where}", actor, station)
        return where

    def reprint_invoice(self, order_id: int, printer: Printer, *, actor: str, station: str = "") -> str:
        """Print the invoice PDF as e-mailed (the figures of the books); returns where it went."""
        with self._sessions() as session:
            order = self._order(session, order_id)
            number, fa_number = order.number, order.fa_number
            pdf = self._read(session, order, INVOICE_PDF, order.invoice_pdf)
        if not pdf:
            raise ReprintError(f"Zamówienie {number} nie ma jeszcze faktury w PDF.")
        name = f"kopia-faktury-{(fa_number or number).replace('/', '_')}-{uuid.uuid4().hex[:6]}"
        where = printer.print_label(name, pdf=pdf)
        self._record(order_id, "reprint_invoice", f"Ponowny wydruk faktury {fa_number}: {where}", actor, station)
        return where

    def reprint_correction(self, order_id: int, refund_id: int, printer: Printer, *, actor: str,
                           station: str = "") -> str:
        """Print a refund's correction PDF as e-mailed (stored as ``korekta_<refund id>``)."""
        with self._sessions() as session:
            order = self._order(session, order_id)
            refund = session.scalar(select(RefundRow).where(RefundRow.order_id == order_id,
                                                            RefundRow.shop_refund_id == refund_id))
            numbers = ", ".join(str(c.get("number", "")) for c in (refund.corrections if refund else []) or [])
            pdf = self._read(session, order, f"korekta_{refund_id}", refund.pdf_path if refund else "")
        if not pdf:
            raise ReprintError(f"Zwrot {refund_id} zamówienia {order.number} nie ma jeszcze korekty w PDF.")
        name = f"kopia-korekty-{(numbers or str(refund_id)).replace('/', '_').replace(', ', '+')}-{uuid.uuid4().hex[:6]}"
        where = printer.print_label(name, pdf=pdf)
        self._record(order_id, "reprint_correction", f"Ponowny wydruk korekty {numbers or refund_id}: {where}", actor,
                     station)
        return where

    @staticmethod
    def _order(session: Session, order_id: int) -> OrderRow:
        order = session.get(OrderRow, order_id)
        if order is None:
            raise ReprintError(f"Nie ma zamówienia o id {order_id}.")
        return order

    @staticmethod
    def _read(session: Session, order: OrderRow, kind: str, legacy_path: str) -> bytes | None:
        try:
            return read_document(session, order.id, kind, legacy_path)
        except DocumentMissing as exc:
            raise ReprintError(
                f"Nie można odczytać pliku do wydruku zamówienia {order.number}: {exc} Dokumenty zamówień "
                f"spakowanych ponad {KEEP_DAYS} dni temu są tylko na komputerze silnika.") from exc

    def _record(self, order_id: int, kind: str, message: str, actor: str, station: str) -> None:
        with self._sessions.begin() as session:
            audit.record(session, kind, message, order_id=order_id, actor=actor, station=station)
