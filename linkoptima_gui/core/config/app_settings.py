"""The typed view of the settings file's sections that the engine and the stations use.

Each section maps to the dataclass its component already takes (``OptimaSettings``,
``ShippingRule``, ``ShopSettings``, ``SmtpSettings``, ``OptimaConnection``...), so a value has one
name from the file to the code. Unknown keys are kept untouched on save (a newer section written
by a later program, a comment a support person added), and a missing section means the defaults.
Secrets are never part of the document (``sections.py`` drops them; the keyring keeps them).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from typing import Any

from ..dashboard.settings import DashboardSettings
from ..documents.mailer import SmtpSettings
from ..engine.parcel_weight import Weighing
from ..engine.services import DEFAULT_SHIPPING_RULES, ShippingRule
from ..optima.connect import OptimaConnection
from ..optima.settings import OptimaSettings
from ..woo.settings import ShopSettings
from . import sections

PARCEL_SIZES = ("small", "medium", "large")


@dataclass
class StationSettings:
    """One packing station: its printers (URLs, see ``printing.factory``) and packing options."""

    label_printer: str = ""
    invoice_printer: str = ""
    verify_eans: bool = False
    pack_key: str = ""


@dataclass
class InPostAccount:
    """The ShipX account (the token is a secret: keyring "inpost.token")."""

    base_url: str = "https://api-shipx-pl.easypack24.net"
    organization_id: str = ""


@dataclass
class FurgonetkaAccount:
    """The Furgonetka account (OAuth2; the secrets: keyring "furgonetka.client_secret" and
    "furgonetka.password"). Filled in (client id and login): the shipping map may route to it."""

    base_url: str = "https://api.furgonetka.pl"
    client_id: str = ""
    username: str = ""
    #: where Furgonetka pays the collected COD money
    cod_iban: str = ""

    def filled_in(self) -> bool:
        return bool(self.client_id.strip() and self.username.strip())


@dataclass
class DPDAccount:
    """The DPD Polska account (DPDServices; the secrets: keyring "dpd.password" and "dpd.pudo_key").
    Filled in (login and master FID): the shipping map may route to it."""

    base_url: str = "https://dpdservices.dpd.com.pl"
    login: str = ""
    master_fid: str = ""
    pudo_url: str = "https://mypudo.dpd.com.pl/api/pudo"

    def filled_in(self) -> bool:
        return bool(self.login.strip() and self.master_fid.strip())


#: ``AppSettings.engine_mode``: this computer may run the engine (active or standby), or never
ENGINE_AUTO, ENGINE_OFF = "auto", "off"


@dataclass
class AppSettings:
    #: this computer's packing station (its printers are ``stations[station]``); ``--station`` wins
    station: str = "stanowisko-1"
    #: the console's store: "" for the SQLite file in the user data folder (one computer), or a
    #: server's URL shared by several (postgresql+psycopg://…, mssql+pyodbc://…); its password in
    #: the keyring ("store.password")
    store_url: str = ""
    #: "auto": this computer runs the engine when no other does (standby otherwise); "off": it
    #: only packs and manages, the engine runs elsewhere (e.g. as a service next to Optima)
    engine_mode: str = ENGINE_AUTO
    #: seconds without the active engine's heartbeat after which a standby takes over
    lease_seconds: float = 15.0
    #: shop shipping method id (e.g. easypack_parcel_machines, flat_rate) -> carrier service + parcel
    shipping_rules: dict[str, ShippingRule] = field(default_factory=lambda: dict(DEFAULT_SHIPPING_RULES))
    carrier: str = "builtin"  # "builtin" or "inpost"
    inpost: InPostAccount = field(default_factory=InPostAccount)
    #: the other carriers' accounts, for the shipping map's ``ShippingRule.carrier``
    furgonetka: FurgonetkaAccount = field(default_factory=FurgonetkaAccount)
    dpd: DPDAccount = field(default_factory=DPDAccount)
    stations: dict[str, StationSettings] = field(default_factory=lambda: {"stanowisko-1": StationSettings()})
    undo_seconds: float = 60.0
    #: the console's language: "pl" (default) or "en"; ``--lang`` and ``LINKOPTIMA_LANG`` win
    language: str = "pl"
    #: how the console writes into Optima: "com" (its API on Windows) or "simulated" (a test
    #: company in SQLite or PostgreSQL only; see ``core/installation.py``)
    optima_writer: str = "com"
    #: Optima's sales price list the shop sells at (``TwC_TwCNumer``; 0: prices not synced) and
    #: whether the shop's prices are entered with tax (WooCommerce → Ustawienia → Podatek)
    price_list: int = 2
    shop_prices_include_tax: bool = True
    #: stock corrections as differences (``inventory_delta``: a sale in the shop during a pass is
    #: kept) or, for a shop that does not take them, as absolute quantities (``StockSync``)
    stock_differences: bool = True
    #: book the FA even when Optima has not the goods (a shop that sells on back order); off:
    #: such an order stops before anything is booked, and goes on when the goods arrive
    book_without_stock: bool = False
    #: buy the label with the order's other steps (the packer never waits for a carrier) instead
    #: of once FA and WZ are booked; either way never for an order stopped in exception
    label_at_payment: bool = False
    #: money back for a refund made in the shop: a bank "wypłata" in the gateway's register
    #: ("bank") or a KW in the cash register ("kw"); and whether a refund of an online payment the
    #: gateway did not make is booked as paid out all the same (off: a person checks first)
    refund_payout: str = "bank"
    refund_without_gateway: bool = False
    #: a return booked at the packing station refunds an online payment through the shop's gateway
    #: (``api_refund``); off (default): the money goes back by hand, as not every gateway can refund
    #: through WooCommerce (reference/corrections.md §1.2)
    returns_api_refund: bool = False
    #: a parcel's weight: item weights from the shop's products ("shop", in ``shop_weight_unit``)
    #: or from Optima's item cards ("optima"), plus the packaging; an item neither knows weighs
    #: ``unknown_item_kg``
    weight_source: str = "shop"
    shop_weight_unit: str = "kg"
    packaging_kg: float = 0.3
    unknown_item_kg: float = 1.0
    #: WooCommerce webhooks as hints to poll sooner: the receiver's port (0: off) and address
    #: (behind a relay or reverse proxy; the secret: keyring "shop.webhook_secret")
    webhook_port: int = 0
    webhook_host: str = "127.0.0.1"
    ksef_wait_seconds: float = 3600.0
    optima: OptimaSettings = field(default_factory=OptimaSettings)
    #: where the shop is and how its orders read (the consumer secret: keyring "shop.consumer_secret")
    shop: ShopSettings = field(default_factory=ShopSettings)
    #: the mail server invoices go out through (the password: keyring "smtp.password")
    smtp: SmtpSettings = field(default_factory=lambda: SmtpSettings(host=""))
    #: the Optima company database the reader reads (the SQL password: keyring "optima.sql_password")
    optima_connection: OptimaConnection = field(default_factory=OptimaConnection)
    #: the Optima company the COM writer logs in to (operator: ``optima.operator``; its password:
    #: keyring "optima.password")
    optima_company: str = ""
    #: the Pulpit: the daily report's recipients and hour, suppliers' lead times
    dashboard: DashboardSettings = field(default_factory=DashboardSettings)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)  # sections this program does not know

    @classmethod
    def from_document(cls, document: dict[str, Any], where: str = "") -> AppSettings:
        """The settings of a document, checked against the schema first (``SettingsError``, a
        ``ValueError``, in Polish with every field that is wrong; ``where``: the file)."""
        from .schema import check_document

        document = check_document(document, where).model_dump(exclude_unset=True)
        known = {f.name for f in fields(cls)} - {"extra"}
        settings = cls(extra={k: v for k, v in document.items() if k not in known and k != "version"})
        if "shipping_rules" in document:
            settings.shipping_rules = {
                method: _rule(method, value) for method, value in dict(document["shipping_rules"]).items()
            }
        if "stations" in document:
            settings.stations = {name: StationSettings(**_known(StationSettings, value))
                                 for name, value in dict(document["stations"]).items()}
        for name in ("carrier", "undo_seconds", "ksef_wait_seconds", "optima_company", "language",
                     "optima_writer", "webhook_port", "webhook_host", "price_list", "station", "store_url",
                     "engine_mode", "lease_seconds", "weight_source", "shop_weight_unit", "packaging_kg",
                     "unknown_item_kg", "refund_payout"):
            if name in document:
                setattr(settings, name, type(getattr(settings, name))(document[name]))
        for flag in ("shop_prices_include_tax", "stock_differences", "book_without_stock", "label_at_payment",
                     "refund_without_gateway", "returns_api_refund"):
            if flag in document:
                setattr(settings, flag, bool(document[flag]))
        if settings.carrier not in ("builtin", "inpost"):
            raise ValueError(f"Nieznany przewoźnik w ustawieniach: {settings.carrier!r} (builtin albo inpost).")
        if settings.weight_source not in ("shop", "optima"):
            raise ValueError(f"Nieznane źródło wagi paczki: {settings.weight_source!r} (shop albo optima).")
        if settings.engine_mode not in (ENGINE_AUTO, ENGINE_OFF):
            raise ValueError(f"Nieznany tryb silnika w ustawieniach: {settings.engine_mode!r} (auto albo off).")
        if not 3 <= settings.lease_seconds <= 600:
            raise ValueError(f"Czas przejęcia silnika {settings.lease_seconds:g} s: dozwolone od 3 do 600 s.")
        if "inpost" in document:
            settings.inpost = InPostAccount(**_known(InPostAccount, document["inpost"]))
        if "furgonetka" in document:
            settings.furgonetka = FurgonetkaAccount(**_known(FurgonetkaAccount, document["furgonetka"]))
        if "dpd" in document:
            settings.dpd = DPDAccount(**_known(DPDAccount, document["dpd"]))
        if "optima" in document:
            settings.optima = OptimaSettings.from_mapping(document["optima"])
        if "shop" in document:
            settings.shop = sections.shop_from_document(document["shop"])
        if "smtp" in document:
            settings.smtp = sections.smtp_from_document(document["smtp"])
        if "dashboard" in document:
            settings.dashboard = DashboardSettings.from_mapping(document["dashboard"])
        if "optima_connection" in document:
            settings.optima_connection = sections.connection_from_document(document["optima_connection"])
        return settings

    def to_document(self) -> dict[str, Any]:
        return {
            **self.extra,
            "station": self.station,
            "store_url": self.store_url,
            "engine_mode": self.engine_mode,
            "lease_seconds": self.lease_seconds,
            "shipping_rules": {method: asdict(rule) for method, rule in self.shipping_rules.items()},
            "carrier": self.carrier,
            "inpost": asdict(self.inpost),
            "furgonetka": asdict(self.furgonetka),
            "dpd": asdict(self.dpd),
            "stations": {name: asdict(station) for name, station in self.stations.items()},
            "undo_seconds": self.undo_seconds,
            "ksef_wait_seconds": self.ksef_wait_seconds,
            "language": self.language,
            "optima_writer": self.optima_writer,
            "price_list": self.price_list,
            "shop_prices_include_tax": self.shop_prices_include_tax,
            "stock_differences": self.stock_differences,
            "book_without_stock": self.book_without_stock,
            "label_at_payment": self.label_at_payment,
            "refund_payout": self.refund_payout,
            "refund_without_gateway": self.refund_without_gateway,
            "returns_api_refund": self.returns_api_refund,
            "weight_source": self.weight_source,
            "shop_weight_unit": self.shop_weight_unit,
            "packaging_kg": self.packaging_kg,
            "unknown_item_kg": self.unknown_item_kg,
            "webhook_port": self.webhook_port,
            "webhook_host": self.webhook_host,
            "optima": self.optima.to_mapping(),
            "shop": sections.shop_to_document(self.shop),
            "smtp": sections.smtp_to_document(self.smtp),
            "optima_connection": sections.connection_to_document(self.optima_connection),
            "optima_company": self.optima_company,
            "dashboard": self.dashboard.to_mapping(),
        }


def weighing(settings: AppSettings) -> Weighing:
    """How the engine weighs a parcel, from the settings."""
    return Weighing(source=settings.weight_source, packaging_kg=Decimal(str(settings.packaging_kg)),
                    unknown_item_kg=Decimal(str(settings.unknown_item_kg)), shop_unit=settings.shop_weight_unit)


def _known(kind: type, value: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(kind)}
    return {k: v for k, v in dict(value).items() if k in names}


def _rule(method: str, value: dict[str, Any]) -> ShippingRule:
    rule = ShippingRule(**_known(ShippingRule, value))
    if rule.parcel_size not in PARCEL_SIZES:
        raise ValueError(f"Metoda wysyłki {method}: nieznany gabaryt {rule.parcel_size!r} "
                         f"(dozwolone: {', '.join(PARCEL_SIZES)}).")
    return rule

