"""A correction invoice (faktura korygująca) of an FA, as the engine asks Optima for one and as
Optima's books show it afterwards.

Optima keeps one kind per correction document (reference/corrections.md §3.1): a quantity
correction (302001, "FAKI": goods came back; with the FA's WZ it brings the stock back when it
is confirmed, §3.4) or a value correction (302002, "FAKW": money back with no goods, e.g. the
shipping or a discount for a broken item). Corrections store differences: the lines and totals
of a reducing correction are negative (§3.2), and every correction points at the original FA
(``TrN_ZwrId``), never at a previous correction. The shop's refund id is the idempotency key:
it goes into the correction as ``reference`` (``TrN_NumerObcy``), so a retry after a crash finds
the correction booked before instead of booking a second one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .invoice import InvoiceDocument, InvoiceLine
from .vat import VatRow


class CorrectionKind(StrEnum):
    """Optima's ``TrN_Rodzaj`` of a sales-invoice correction."""

    QUANTITY = "quantity"  # 302001: goods returned (stock back through the WZ correction)
    VALUE = "value"  # 302002: money back, no goods (shipping, a discount, an amount)

    @property
    def rodzaj(self) -> int:
        return 302001 if self is CorrectionKind.QUANTITY else 302002

    @classmethod
    def from_rodzaj(cls, rodzaj: int) -> CorrectionKind:
        return {302001: cls.QUANTITY, 302002: cls.VALUE}[int(rodzaj)]


class PayoutKind(StrEnum):
    """How money going back to the buyer is booked in Optima (a setting)."""

    BANK = "bank"  # a "wypłata" in the gateway's bank register (the gateway returned the money)
    KW = "kw"  # a KW in a cash register


@dataclass(frozen=True)
class CorrectionLine:
    """The change to one FA line (``position`` = the FA's ``TrE_Lp``; ``code`` = ``Twr_Kod``).

    A quantity correction gives ``quantity`` < 0 (how many came back) and leaves the value to
    Optima (FA unit price × quantity); a value correction gives ``gross`` < 0 (the line's gross
    value goes down by that much) and ``quantity`` 0."""

    position: int
    code: str
    quantity: Decimal = Decimal(0)
    gross: Decimal = Decimal(0)


@dataclass(frozen=True)
class CorrectionRequest:
    """One correction of one FA, booked for one refund of the shop (``reference``)."""

    reference: str  # the idempotency key, e.g. "ZW-1234" for the shop's refund 1234
    kind: CorrectionKind
    lines: tuple[CorrectionLine, ...]
    reason: str  # the refund's reason from the shop, printed and kept (``TrN_KorektaZTytulu``)
    issue_date: date
    #: False keeps it in Optima's buffer (no WZ correction, no stock, no KSeF until a person
    #: confirms it); the engine books confirmed corrections by default
    confirm: bool = True


@dataclass(frozen=True)
class CorrectionDocument:
    """A correction as booked in Optima, read back for the PDF and the checks.

    ``lines``, ``vat_rows`` and the totals are the differences (negative for a reducing
    correction), exactly as Optima stores them."""

    id: int  # TrN_TrNID
    number: str  # TrN_NumerPelny, e.g. FAKI/3/2026
    kind: CorrectionKind
    issue_date: date
    reference: str  # TrN_NumerObcy
    reason: str
    confirmed: bool  # TrN_Bufor = 0
    original: InvoiceDocument  # the corrected FA as booked (before any correction)
    original_id: int  # TrN_ZwrId
    lines: tuple[InvoiceLine, ...]
    vat_rows: tuple[VatRow, ...]
    net_total: Decimal
    vat_total: Decimal
    gross_total: Decimal
    ksef_number: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
