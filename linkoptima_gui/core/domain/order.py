"""The shop order as the console understands it, independent of WooCommerce's JSON.

``woo.mapping`` builds these from the shop's answer; everything downstream (Optima writer,
invoice, carrier) consumes only these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .money import ZERO
from .vat import VatRate


class BuyerKind(StrEnum):
    PERSON = "person"
    COMPANY = "company"


class PaymentKind(StrEnum):
    """How the money arrives, which decides what may be booked, shipped and settled."""

    ONLINE = "online"  # a gateway confirmed it (PayU, P24, PayPal, cards, BLIK): settle at once
    COD = "cod"  # cash on delivery: invoice and ship now, the due stays open
    TRANSFER = "transfer"  # plain bank transfer: wait until the shop shows it paid
    OTHER = "other"


@dataclass(frozen=True)
class Address:
    street: str = ""
    city: str = ""
    postcode: str = ""
    country: str = "PL"

    def one_line(self) -> str:
        return ", ".join(p for p in (self.street, f"{self.postcode} {self.city}".strip()) if p)


@dataclass(frozen=True)
class Buyer:
    kind: BuyerKind
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    company: str = ""
    nip: str = ""  # compact, validated; empty for a private person
    address: Address = field(default_factory=Address)

    @property
    def person_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self) -> str:
        """The name printed on the invoice: the company if there is one, else the person."""
        return self.company if self.kind is BuyerKind.COMPANY and self.company else self.person_name


@dataclass(frozen=True)
class OrderLine:
    """One booked line. Amounts are the line's totals after discounts, in PLN."""

    sku: str
    name: str
    quantity: Decimal
    net: Decimal
    vat: Decimal
    rate: VatRate
    is_service: bool = False  # shipping and fees: booked as a service item, no stock
    #: the shop's order item id (a line, shipping or fee item): a refund names the lines it
    #: refunds by it (``_refunded_item_id``), and the FA's line ``TrE_Lp`` is this line's place
    item_id: int = 0

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat

    @property
    def unit_gross(self) -> Decimal:
        return self.gross / self.quantity if self.quantity else ZERO


@dataclass(frozen=True)
class Payment:
    method_id: str
    title: str
    kind: PaymentKind
    transaction_id: str = ""
    confirmed: bool = False  # money confirmed (online gateway + transaction id, or transfer marked paid)


@dataclass(frozen=True)
class Shipping:
    method_id: str = ""
    title: str = ""
    locker_id: str = ""
    address: Address = field(default_factory=Address)
    recipient: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Order:
    """A shop order, mapped. ``number`` is what the buyer sees and what Optima keeps as
    ``TrN_NumerObcy``; ``shop_order_id`` is the shop's numeric id."""

    shop_order_id: int
    number: str
    status: str
    currency: str
    prices_include_tax: bool
    buyer: Buyer
    lines: tuple[OrderLine, ...]
    payment: Payment
    shipping: Shipping
    total: Decimal
    date_created_gmt: str = ""
    date_modified_gmt: str = ""
    customer_note: str = ""

    @property
    def may_ship(self) -> bool:
        """Paid and confirmed, or cash on delivery (paid to the carrier on delivery)."""
        return self.payment.confirmed or self.payment.kind is PaymentKind.COD

    @property
    def may_book(self) -> bool:
        """A transfer is not booked until the money is there; everything else that may ship is."""
        return self.may_ship

    @property
    def settles_now(self) -> bool:
        """Only payments a gateway confirmed are settled; COD and transfers stay open."""
        return self.payment.kind is PaymentKind.ONLINE and self.payment.confirmed

    @property
    def cod_amount(self) -> Decimal:
        return self.total if self.payment.kind is PaymentKind.COD else ZERO
