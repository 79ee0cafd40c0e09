"""An invoice as booked in Optima, read back for printing (the PDF always matches the books)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .order import Address
from .vat import VatRate, VatRow


@dataclass(frozen=True)
class Party:
    name: str
    address: Address
    nip: str = ""  # compact digits; empty for a private person
    email: str = ""


@dataclass(frozen=True)
class InvoiceLine:
    position: int
    code: str
    name: str
    unit: str
    quantity: Decimal
    unit_net: Decimal
    unit_gross: Decimal
    rate: VatRate
    net: Decimal
    vat: Decimal
    gross: Decimal
    discount_percent: Decimal = Decimal("0")


@dataclass(frozen=True)
class InvoiceDocument:
    number: str  # Optima's TrN_NumerPelny, e.g. FA/17/2026
    issue_date: date
    sale_date: date
    place: str
    seller: Party
    buyer: Party
    lines: tuple[InvoiceLine, ...]
    vat_rows: tuple[VatRow, ...]
    net_total: Decimal
    vat_total: Decimal
    gross_total: Decimal
    from_gross: bool  # TrN_TypNB = 2: prices are gross and VAT is computed from gross
    payment_method: str
    payment_due: date
    paid: bool  # settled against a confirmed payment
    cash_on_delivery: bool = False
    order_number: str = ""  # the shop order number (TrN_NumerObcy)
    ksef_number: str = ""  # TrN_NrKSeF once KSeF accepted the invoice
    #: KSeF "KOD I" verification link (qr.ksef.mf.gov.pl/invoice/<NIP>/<date>/<hash>), printed as a
    #: QR code labelled with ``ksef_number``; empty when the invoice's KSeF file is not known
    ksef_url: str = ""
    seller_bank_account: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
