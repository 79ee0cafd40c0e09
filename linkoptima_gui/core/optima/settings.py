"""Optima-side settings: which warehouse, which document definitions, where payments go.

Everything here names things by what a person sees in Optima (warehouse symbol ``MAGAZYN``,
definition symbol ``FA``, payment form ``PayU``, register ``PAYU``), never by database ids, which
differ between installations. The defaults match the demo Optima (``demo/optima_seed.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from ..domain.invoice import Party
from ..domain.order import Address


@dataclass(frozen=True)
class PaymentRoute:
    """Where one shop payment method lands in Optima.

    ``form`` is the payment form (``FPl_Nazwa``) put on the invoice; ``register`` is the cash/bank
    register (``BRa_Akronim``) the KP is booked into, or ``None`` when nothing is settled
    automatically (cash on delivery: the due stays open until the carrier pays out).
    """

    form: str
    register: str | None = None
    cash_on_delivery: bool = False


def default_payment_routes() -> dict[str, PaymentRoute]:
    """WooCommerce gateway ids (``reference/woocommerce.md`` 2.2) of the common Polish gateways."""
    payu = PaymentRoute("PayU", "PAYU")
    p24 = PaymentRoute("Przelewy24", "P24")
    paypal = PaymentRoute("PayPal", "PAYPAL")
    tpay = PaymentRoute("Tpay", "TPAY")
    stripe = PaymentRoute("Stripe", "STRIPE")
    routes = {
        "cod": PaymentRoute("pobranie", None, cash_on_delivery=True),
        "bacs": PaymentRoute("przelew", "BANK"),
        "przelewy24": p24,
        "przelewy24_online_payments": p24,
        "ppcp-gateway": paypal,
        "ppcp-credit-card-gateway": paypal,
        "paypal": paypal,
        "stripe": stripe,
        "stripe_blik": stripe,
        "stripe_p24": stripe,
    }
    for method in ("payustandard", "payulistbanks", "payucreditcard", "payusecureform", "payublik"):
        routes[method] = payu
    for method in ("tpaypbl", "tpayblik", "tpaycc", "tpaysf"):
        routes[method] = tpay
    return routes


#: ``OptimaSettings.settlement``: how an online payment settles its FA in Optima.
#: ``PAYMENT_FORM``: Optima's own route, the gateway's payment form is set in Optima to add the KP and
#: settle the invoice by itself when the FA is confirmed; the console only checks that it did.
#: ``COM_KP``: the console books the KP and the settlement through COM (unverified on a real Optima).
SETTLE_BY_PAYMENT_FORM, SETTLE_BY_COM_KP = "payment_form", "com_kp"
SETTLEMENT_ROUTES = (SETTLE_BY_PAYMENT_FORM, SETTLE_BY_COM_KP)

#: ``OptimaSettings.com_correction_quantity``: what ``Ilosc`` on a COM correction line means. Comarch's
#: sample sets the quantity after the correction (2 on the FA, 1 on its correction), but says nothing
#: about it; the database stores the change (reference/corrections.md §3.3). ``AFTER`` follows the
#: sample; the writer reads the correction back and stops when the books show another change.
COM_QUANTITY_AFTER, COM_QUANTITY_DELTA = "after", "delta"
COM_QUANTITY_MEANINGS = (COM_QUANTITY_AFTER, COM_QUANTITY_DELTA)


@dataclass(frozen=True)
class SellerInfo:
    """The seller as printed on the invoice (Optima keeps it in the company settings)."""

    name: str = "Sklep Demo LinkOptima sp. z o.o."
    nip: str = "5554443334"
    street: str = "ul. Przykładowa 12"
    postcode: str = "00-950"
    city: str = "Warszawa"
    country: str = "PL"
    bank_account: str = "PL61 1090 1014 0000 0712 1981 2874"
    email: str = "sklep@example.com"

    @property
    def place(self) -> str:
        """Miejsce wystawienia: the seller's city."""
        return self.city

    def party(self) -> Party:
        address = Address(street=self.street, city=self.city, postcode=self.postcode, country=self.country)
        return Party(name=self.name, address=address, nip=self.nip, email=self.email)


@dataclass(frozen=True)
class OptimaSettings:
    """How the console books into one Optima company."""

    warehouse: str = "MAGAZYN"  # Mag_Symbol the goods leave from
    invoice_definition: str = "FA"  # DDf_Symbol of the sales invoice (class 302)
    wz_definition: str = "WZ"  # DDf_Symbol of the goods issue (class 306)
    kp_definition: str = "KP"  # DDf_Symbol of the cash/bank receipt (class 202)
    supplier_order_definition: str = "ZD"  # DDf_Symbol of the order to a supplier (class 309)
    correction_quantity_definition: str = "FAKI"  # quantity correction of an FA (class 302, 302001)
    correction_value_definition: str = "FAKW"  # value correction of an FA (class 302, 302002)
    wz_correction_definition: str = "WZKI"  # the WZ correction a quantity correction makes (class 306)
    kw_definition: str = "KW"  # DDf_Symbol of money paid out (class 201): a KW or a bank "wypłata"
    #: the cash register (``BRa_Akronim``) a KW for a refund is booked into (payout "kw")
    payout_cash_register: str = "KASA"
    #: what ``Ilosc`` on a COM correction line means (``COM_QUANTITY_MEANINGS``), unverified
    com_correction_quantity: str = COM_QUANTITY_AFTER
    payment_routes: Mapping[str, PaymentRoute] = field(default_factory=default_payment_routes)
    #: used for a shop method that is not in ``payment_routes``: invoiced, never settled by us
    fallback_route: PaymentRoute = PaymentRoute("przelew", None)
    seller: SellerInfo = field(default_factory=SellerInfo)
    operator: str = "LINKOPTIMA"  # operator code stamped on what we write (varchar(20))
    #: Optima refuses to issue more than is in stock; a demo may allow it
    allow_negative_stock: bool = False
    #: the KSeF environment Optima sends to ("prd", "test", "demo"): the host of the QR link
    ksef_environment: str = "prd"
    #: folder where the structured files of invoices sent to KSeF are kept as ``<KSeF number>.xml``;
    #: the verification QR code needs the file's hash, so without it the PDF shows the number only
    ksef_xml_folder: str = ""
    #: how online payments settle their FA (``SETTLEMENT_ROUTES``); Optima's own route by default
    settlement: str = SETTLE_BY_PAYMENT_FORM
    #: the COM login on the Windows PC next to Optima: Optima's folder (made the working directory
    #: before the first login), ``NET:CDN_KNF_Konfiguracja,SERVER,NT=0`` for a Windows user without
    #: Optima's registry settings, and module codes to log in with (none: the operator's card)
    install_dir: str = ""
    config_connection: str = ""
    login_modules: tuple[str, ...] = ()

    def route_for(self, method_id: str) -> PaymentRoute:
        return self.payment_routes.get(method_id, self.fallback_route)

    @property
    def cod_forms(self) -> frozenset[str]:
        """Payment form names that mean cash on delivery (read back onto the invoice)."""
        routes = [*self.payment_routes.values(), self.fallback_route]
        return frozenset(r.form for r in routes if r.cash_on_delivery)

    def to_mapping(self) -> dict[str, Any]:
        """Plain data for the settings file."""
        data = asdict(self)
        data["payment_routes"] = {k: asdict(v) for k, v in self.payment_routes.items()}
        data["login_modules"] = list(self.login_modules)
        return data

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> OptimaSettings:
        """Inverse of ``to_mapping``; unknown keys are ignored, missing ones keep the defaults."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        if "payment_routes" in values:
            values["payment_routes"] = {k: PaymentRoute(**v) for k, v in values["payment_routes"].items()}
        if "fallback_route" in values:
            values["fallback_route"] = PaymentRoute(**values["fallback_route"])
        if "seller" in values:
            values["seller"] = replace(SellerInfo(), **values["seller"])
        if "login_modules" in values:
            values["login_modules"] = tuple(str(code) for code in values["login_modules"])
        if values.get("settlement", SETTLE_BY_PAYMENT_FORM) not in SETTLEMENT_ROUTES:
            raise ValueError(f"Nieznany sposób rozliczania płatności w Optimie: {values['settlement']!r} "
                             f"(dozwolone: {', '.join(SETTLEMENT_ROUTES)}).")
        if values.get("com_correction_quantity", COM_QUANTITY_AFTER) not in COM_QUANTITY_MEANINGS:
            raise ValueError(f"Nieznane znaczenie ilości w korekcie przez COM: {values['com_correction_quantity']!r} "
                             f"(dozwolone: {', '.join(COM_QUANTITY_MEANINGS)}).")
        return cls(**values)

    @property
    def settles_through_com(self) -> bool:
        """The console books the KP and the settlement itself (the unverified COM route)."""
        return self.settlement == SETTLE_BY_COM_KP
