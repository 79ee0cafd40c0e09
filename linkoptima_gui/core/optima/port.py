"""The engine's view of Optima: a writer (COM on a real installation, simulated in the demo and
tests) and a reader (SQL). Every write is idempotent by the shop order number."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from ..domain.correction import CorrectionDocument, CorrectionRequest, PayoutKind
from ..domain.invoice import InvoiceDocument
from ..domain.order import Buyer, Order


@dataclass(frozen=True)
class DocumentRef:
    """A document booked in Optima: its id (``TrN_TrNID`` / ``BZp_BZpID``) and printed number."""

    id: int
    number: str


@dataclass(frozen=True)
class ContractorRef:
    id: int  # Knt_KntId
    code: str  # Knt_Kod


@dataclass(frozen=True)
class ItemInfo:
    id: int
    code: str
    name: str
    ean: str
    unit: str
    is_service: bool
    active: bool
    available: Decimal  # stock minus reservations in the configured warehouse
    weight_kg: Decimal = Decimal(0)  # ``Twr_WagaKG``; 0 when the card does not say


@dataclass(frozen=True)
class SupplierOrderLine:
    """One line of an order to a supplier: the item (``Twr_Kod``) and how many to order."""

    code: str
    quantity: Decimal


@dataclass(frozen=True)
class SupplierOrder:
    """An order to one supplier (ZD 309000), booked into Optima's buffer for a person to confirm.

    ``reference`` is the request's own key (``TrN_NumerObcy``): asking twice with the same key
    returns the first ZD instead of booking another. ``supplier_id`` is the ``Knt_KntId``."""

    reference: str
    supplier_id: int
    lines: tuple[SupplierOrderLine, ...]
    note: str = ""


class OptimaWriter(Protocol):
    def ensure_contractor(self, buyer: Buyer) -> ContractorRef:
        """Find the buyer (by NIP for a company, else by e-mail) or create the card."""

    def create_invoice(self, order: Order, contractor: ContractorRef) -> DocumentRef:
        """Book a confirmed FA (302000) with ``TrN_NumerObcy`` = order number; if one already
        carries that order number, return it instead of booking another."""

    def create_wz_from_invoice(self, invoice: DocumentRef) -> DocumentRef:
        """Book the WZ (306000) linked by ``TrN_FaId``; return the existing one if present."""

    def settle_payment(self, invoice: DocumentRef, order: Order) -> DocumentRef:
        """Book the KP into the gateway's register and settle the FA's payment due;
        return the existing KP if this order's payment was booked already."""

    def create_supplier_order(self, order: SupplierOrder) -> DocumentRef:
        """Book the ZD (309000) in the buffer (``TrN_Bufor`` = 1) with ``TrN_NumerObcy`` =
        the order's reference; return the ZD that already carries that reference if present."""

    def create_correction(self, invoice: DocumentRef, request: CorrectionRequest) -> DocumentRef:
        """Book a correction of the FA ``invoice`` (``TrN_ZwrId``; kind 302001/302002, lines as
        differences) with ``TrN_NumerObcy`` = ``request.reference``, confirmed unless
        ``request.confirm`` is False; a confirmed quantity correction of an FA with a WZ also
        books the WZ correction (306, ``TrN_ZwrId`` = the WZ) and so brings the stock back.
        If a correction already carries that reference, return it instead of booking another."""

    def settle_correction(self, correction: DocumentRef, invoice: DocumentRef, order: Order,
                          payout: PayoutKind) -> DocumentRef | None:
        """Close the correction's due (money back to the buyer), once per correction:
        - the FA's due is still open (COD not collected, transfer not paid): net the correction
          against it (``BnkRozKwoty``), no money moves; returns None;
        - the FA was paid: book the payout (a bank "wypłata" in the gateway's register or a KW,
          by ``payout``) for the correction's amount and settle the correction with it; returns
          the payout. A payout already booked for this correction is returned, not booked again."""


class OptimaReader(Protocol):
    def find_invoice(self, order_number: str) -> DocumentRef | None: ...

    def find_wz(self, invoice_id: int) -> DocumentRef | None: ...

    def find_payment(self, order_number: str) -> DocumentRef | None: ...

    def find_correction(self, reference: str) -> DocumentRef | None:
        """The correction carrying ``reference`` (``TrN_NumerObcy``), confirmed or in the buffer."""

    def corrections_of(self, invoice_id: int) -> list[DocumentRef]:
        """Every correction of the FA (``TrN_ZwrId`` = it), oldest first."""

    def read_correction(self, correction_id: int) -> CorrectionDocument: ...

    def find_correction_payout(self, correction_id: int) -> DocumentRef | None:
        """The payout (KW / bank wypłata) settled with the correction, if one was booked."""

    def read_invoice(self, invoice_id: int) -> InvoiceDocument: ...

    def item_by_code(self, code: str) -> ItemInfo | None: ...

    def stock_levels(self, codes: Iterable[str] | None = None) -> dict[str, Decimal]: ...

    def stock_changes(self, since: datetime | None) -> tuple[set[str], datetime | None]: ...
