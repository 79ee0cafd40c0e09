"""What the console needs to know about one shop: how to reach it and how to read its orders.

The defaults cover the common Polish plugins (woocommerce.md §2): NIP meta keys, the
"I want an invoice" flag, InPost locker keys, and the payment gateways that confirm money.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.vat import VatRate

DEFAULT_ONLINE_GATEWAYS = (
    "payustandard", "payulistbanks", "payucreditcard", "payusecureform", "payublik",
    "przelewy24", "przelewy24_online_payments", "p24",
    "ppcp-gateway", "ppcp-credit-card-gateway", "paypal",
    "tpaypbl", "tpayblik", "tpaycc", "tpaysf",
    "stripe", "stripe_blik", "stripe_p24",
)
DEFAULT_NIP_KEYS = (
    "_billing_nip", "billing_nip", "_billing_vat_number", "_vat_number", "_polski_billing_nip",
    "_wc_other/polski/nip", "nip", "_nip",
)
DEFAULT_INVOICE_FLAG_KEYS = ("_billing_invoice_ask", "_billing_faktura", "invoice_checkbox")
DEFAULT_LOCKER_KEYS = ("_parcel_machine_id", "_paczkomat_id", "delivery_point_id")

#: the moments the console may move an order's status in the shop (``ShopSettings.status_map``)
INVOICED = "invoiced"  # the FA is booked in Optima
PACKED = "packed"  # the parcel is packed and its label printed
STATUS_EVENTS = (INVOICED, PACKED)
#: statuses that end an order without a sale
FINAL_STATUSES = ("cancelled", "refunded", "failed", "trash")
#: statuses the console never writes: those, and a block checkout's draft (not an order yet)
UNWRITABLE_STATUSES = (*FINAL_STATUSES, "checkout-draft")


@dataclass
class ShopSettings:
    url: str = ""
    consumer_key: str = ""
    consumer_secret: str = ""
    shop_id: str = "default"
    timeout: float = 30.0
    #: over https, send the keys as ``consumer_key``/``consumer_secret`` in the query instead of
    #: Basic auth, for servers that strip the ``Authorization`` header (woocommerce.md §1.2);
    #: plain http always signs with OAuth 1.0a
    query_string_auth: bool = False
    #: a CA bundle (PEM file) to trust for the shop's certificate; "" = the system's trust store
    ca_bundle: str = ""
    #: further attempts of a read or an idempotent write after a timeout, 429 or 5xx
    retries: int = 3
    #: the one currency the console books in; an order in another becomes an exception
    currency: str = "PLN"
    online_gateways: tuple[str, ...] = DEFAULT_ONLINE_GATEWAYS
    cod_methods: tuple[str, ...] = ("cod",)
    transfer_methods: tuple[str, ...] = ("bacs",)
    #: WooCommerce tax class -> VAT rate ("" is the standard class)
    tax_classes: dict[str, VatRate] = field(
        default_factory=lambda: {
            "": VatRate.R23,
            "standard": VatRate.R23,
            "reduced-rate": VatRate.R8,
            "super-reduced-rate": VatRate.R5,
            "zero-rate": VatRate.R0,
            "exempt": VatRate.ZW,
        }
    )
    nip_keys: tuple[str, ...] = DEFAULT_NIP_KEYS
    invoice_flag_keys: tuple[str, ...] = DEFAULT_INVOICE_FLAG_KEYS
    locker_keys: tuple[str, ...] = DEFAULT_LOCKER_KEYS
    shipping_service_code: str = "USL-TRANSPORT"
    fee_service_code: str = "USL-OPLATA"
    #: shop statuses in which a paid order is worth processing
    active_statuses: tuple[str, ...] = ("processing", "on-hold", "pending", "completed")
    #: event (``STATUS_EVENTS``) -> the shop status the order gets then; "" leaves it as it is
    #: (after packing, the note with the FA and the tracking number are written all the same)
    status_map: dict[str, str] = field(default_factory=lambda: {INVOICED: "", PACKED: "completed"})
    #: overlap subtracted from the watermark so orders modified in the same second are not missed
    poll_overlap_seconds: int = 120

    def status_for(self, event: str) -> str:
        """The shop status ``event`` (``STATUS_EVENTS``) moves an order to; "" leaves it."""
        return self.status_map.get(event, "").strip()
