"""Everything the engine talks to, bundled: the store, the shop, Optima, mail, the carrier.

The engine only sees these ports, so the demo world, the tests and a real installation differ
only in what they put here (DESIGN.md §2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import Session, sessionmaker

from ..domain.correction import PayoutKind
from ..errors import PermanentError
from ..optima.port import OptimaReader, OptimaWriter
from ..shipping.port import Carrier
from ..store.documents import KEEP_DAYS
from ..store.fencing import Fence
from ..woo.catalogue import CataloguePublisher
from ..woo.client import ShopClient
from ..woo.settings import ShopSettings
from .events import EventBus
from .parcel_weight import Weighing

if TYPE_CHECKING:
    from ..dashboard.daily_report import DailyReport


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class ShippingRule:
    """Shop shipping method -> carrier, its service and the default parcel.

    ``carrier`` empty means the installation's default carrier (``EngineServices.carrier``), so
    a shop with one carrier keeps its old map; a shop with several names one per method (lockers
    by InPost, the heavy parcels by DPD). ``carrier_service`` is the carrier's own service code
    when the port's generic ``service`` is not enough (Furgonetka: which network, e.g. ``dhl``).
    """

    service: str
    parcel_size: str = "small"
    carrier: str = ""
    carrier_service: str = ""


DEFAULT_SHIPPING_RULES = {
    "easypack_parcel_machines": ShippingRule("locker_standard", "small"),
    "easypack_parcel_machines_cod": ShippingRule("locker_standard", "small"),
    "flat_rate": ShippingRule("courier_standard", "medium"),
    "free_shipping": ShippingRule("courier_standard", "medium"),
}


@dataclass
class EmailSettings:
    sender: str
    shop_name: str
    reply_to: str = ""
    template_dir: Path | None = None
    #: the seller's logo on the invoice PDF (PNG or JPEG), from settings
    invoice_logo: Path | None = None
    #: A company's invoice is e-mailed once Optima has its KSeF number (it goes on the PDF with
    #: the verification QR code); after this many seconds without one it becomes an exception.
    #: 0 sends at once without waiting.
    ksef_wait_seconds: float = 3600.0
    #: how often to look again while waiting for the KSeF number
    ksef_poll_seconds: float = 5.0


@dataclass
class EngineServices:
    sessions: sessionmaker[Session]
    bus: EventBus
    shop: ShopClient
    shop_settings: ShopSettings
    optima_writer: OptimaWriter
    optima_reader: OptimaReader
    mailer: Mailer
    email: EmailSettings
    carrier: Carrier  # the default carrier: a method the map does not route elsewhere goes here
    documents_dir: Path  # invoice PDFs and labels kept for reprints
    shipping_rules: dict[str, ShippingRule] = field(default_factory=lambda: dict(DEFAULT_SHIPPING_RULES))
    #: brings the shop's products up to Optima (prices, names, EANs) on every stock pass;
    #: None: prices are not synced
    catalogue: CataloguePublisher | None = None
    #: this engine's name and lease token, which its claims and writes carry (DESIGN.md §5);
    #: ``sessions`` must be ``fenced_sessions`` over the same fence for the writes to be checked
    fence: Fence = field(default_factory=Fence)
    #: how long a claimed job stays this engine's without a heartbeat renewing the claim
    claim_seconds: float = 30.0
    #: days after packing that an order's label and invoice stay in the store
    documents_keep_days: float = KEEP_DAYS
    #: book the FA even when Optima has not the goods (a shop that sells on back order);
    #: off: such an order stops before anything is booked (``stock_check``)
    book_without_stock: bool = False
    #: buy the label with the order's other steps, beside the books (the packer never waits for a
    #: carrier); off: once FA and WZ are booked (no label for an order that cannot be invoiced)
    label_at_payment: bool = False
    #: how a parcel's weight is found (the products' weights, the packaging)
    weighing: Weighing = field(default_factory=Weighing)
    #: how money back to a buyer is booked in Optima (a bank "wypłata" in the gateway's
    #: register, or a KW); and whether a refund of an online payment the gateway did not make is
    #: booked as paid out all the same (off: a person checks that the money went back)
    refund_payout: PayoutKind = PayoutKind.BANK
    refund_without_gateway: bool = False
    #: the Pulpit's daily report, e-mailed by the active engine once a day (None: not sent)
    daily_report: DailyReport | None = None
    #: the other carriers the shipping map may route to, by name (``ShippingRule.carrier``)
    carriers: dict[str, Carrier] = field(default_factory=dict)

    def carrier_named(self, name: str) -> Carrier:
        """The carrier a rule or an order's record names ("" = the default one)."""
        if not name or name == self.carrier.name:
            return self.carrier
        found = self.carriers.get(name)
        if found is None:
            raise PermanentError(
                f"Mapa metod wysyłki wskazuje przewoźnika „{name}”, którego nie skonfigurowano. "
                "Dodaj jego konto w ustawieniach albo popraw mapę.", code="carrier_unknown",
                details={"carrier": name})
        return found

    def all_carriers(self) -> list[Carrier]:
        return [self.carrier, *(c for n, c in self.carriers.items() if n != self.carrier.name)]

    def shipping_rule(self, method_id: str, has_locker: bool) -> ShippingRule:
        rule = self.shipping_rules.get(method_id)
        if rule is None:
            rule = ShippingRule("locker_standard" if has_locker else "courier_standard")
        return rule
