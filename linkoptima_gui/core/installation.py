"""A real installation assembled from the settings: the shop, Optima, mail, the carrier and the
console's own store, the same engine and services the demo world builds (DESIGN.md §2).

Why it refuses rather than guesses: a console started with half its connections would take
orders it cannot book. Whatever is missing or wrong is reported, all at once and in Polish
(``InstallationError``), and the console opens on its settings screen instead.

Writing into Optima goes through the COM API on the Windows machine next to Optima (DESIGN.md
§3). On a test company (an SQLite or PostgreSQL copy, never a real Optima database on SQL
Server) the settings may name the simulated writer instead; that is how this module is tested.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Engine

from .config.app_settings import AppSettings
from .config.secrets import SecretError, SecretStore
from .documents.mailer import SmtpMailer
from .domain.order import Address
from .engine.engine import Engine as PipelineEngine
from .engine.events import EventBus
from .engine.manual import ManualActions
from .engine.packing import PackingService
from .engine.reprint import ReprintService
from .engine.services import EmailSettings, EngineServices
from .engine.stock_sync import StockSyncSettings
from .optima.connect import OptimaConnectionError, reader_engine
from .optima.port import OptimaWriter
from .optima.price_list import OptimaPriceList
from .optima.reader import SqlOptimaReader
from .shipping.builtin import BuiltinCarrier, SenderInfo
from .shipping.inpost import InPostSettings, InPostShipX
from .shipping.port import Carrier
from .store.db import open_store, sqlite_url
from .woo.catalogue import CataloguePublisher, PublishSettings
from .woo.client import ShopClient
from .woo.webhooks import WebhookReceiver

#: ``AppSettings.optima_writer`` values
COM, SIMULATED = "com", "simulated"


class InstallationError(Exception):
    """The settings cannot make a working installation; ``problems`` are Polish sentences."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Nie można uruchomić połączeń: " + " ".join(problems))
        self.problems = problems


@dataclass
class Installation:
    """Everything the console and the headless engine need, open; ``close`` releases it."""

    settings: AppSettings
    services: EngineServices
    engine: PipelineEngine
    packing: PackingService
    reprints: ReprintService
    manual: ManualActions
    optima_engine: Engine
    #: the webhook receiver when the settings turn it on (it only wakes the engine)
    webhooks: WebhookReceiver | None = None

    def close(self) -> None:
        if self.webhooks is not None:
            self.webhooks.stop()
        self.engine.stop()
        self.optima_engine.dispose()
        self.services.sessions.kw["bind"].dispose()


def check_settings(settings: AppSettings, secrets: dict[str, str]) -> list[str]:
    """What is missing before anything is opened (empty: nothing)."""
    problems = []
    if not settings.shop.url or not settings.shop.consumer_key or not secrets.get("shop.consumer_secret"):
        problems.append("Podaj adres sklepu, klucz klienta i klucz tajny (Ustawienia → Połączenia).")
    if not settings.smtp.host or not (settings.smtp.sender or settings.optima.seller.email):
        problems.append("Podaj serwer poczty i adres nadawcy faktur.")
    if settings.carrier == "inpost" and not (settings.inpost.organization_id and secrets.get("inpost.token")):
        problems.append("Podaj numer organizacji i token InPost ShipX.")
    if settings.webhook_port and not secrets.get("shop.webhook_secret"):
        problems.append("Webhooki są włączone: podaj ich sekret (ten sam co w WooCommerce → Webhooki).")
    if settings.optima_writer not in (COM, SIMULATED):
        problems.append(f"Nieznany sposób zapisu do Optimy: {settings.optima_writer!r} (com albo simulated).")
    elif settings.optima_writer == COM and sys.platform != "win32":
        problems.append("Zapis do Optimy działa przez jej API COM, na komputerze z Windows obok Optimy.")
    return problems


def open_installation(settings: AppSettings, secrets: SecretStore, data_dir: Path, *,
                      store_url: str = "", stock: StockSyncSettings | None = None) -> Installation:
    """Open every connection the settings name; raises ``InstallationError`` with all problems."""
    try:
        values = {name: secrets.get(name) for name in
                  ("shop.consumer_secret", "smtp.password", "inpost.token", "optima.password", "optima.sql_password",
                   "shop.webhook_secret")}
    except SecretError as exc:
        raise InstallationError([str(exc)]) from exc
    problems = check_settings(settings, values)
    if problems:
        raise InstallationError(problems)
    try:
        optima_engine = reader_engine(replace(settings.optima_connection, password=values["optima.sql_password"]))
    except OptimaConnectionError as exc:
        raise InstallationError([exc.reason]) from exc
    reader = SqlOptimaReader(optima_engine, settings.optima)
    writer = _writer(settings, values, optima_engine, reader)
    shop_settings = replace(settings.shop, consumer_secret=values["shop.consumer_secret"])
    data_dir.mkdir(parents=True, exist_ok=True)
    sessions = open_store(store_url or sqlite_url(data_dir / "console.sqlite"))
    bus = EventBus()
    seller = settings.optima.seller
    services = EngineServices(
        sessions=sessions, bus=bus, shop=ShopClient(shop_settings), shop_settings=shop_settings,
        optima_writer=writer, optima_reader=reader,
        mailer=SmtpMailer(replace(settings.smtp, password=values["smtp.password"])),
        email=EmailSettings(sender=settings.smtp.sender or seller.email, shop_name=seller.name,
                            reply_to=settings.smtp.reply_to, ksef_wait_seconds=settings.ksef_wait_seconds),
        carrier=_carrier(settings, values, data_dir), documents_dir=data_dir / "documents",
        shipping_rules=dict(settings.shipping_rules),
    )
    engine = PipelineEngine(services, stock=stock or StockSyncSettings(relative_updates=settings.stock_differences))
    if engine.stock is not None:
        services.catalogue = catalogue_publisher(settings, services.shop, optima_engine, engine.stock.formula)
    webhooks = None
    if settings.webhook_port:
        webhooks = WebhookReceiver(values["shop.webhook_secret"], engine.wake, host=settings.webhook_host,
                                   port=settings.webhook_port)
        webhooks.start()
    return Installation(
        settings=settings, services=services, engine=engine, webhooks=webhooks,
        packing=PackingService(sessions, bus, engine.wake, undo_seconds=settings.undo_seconds),
        reprints=ReprintService(sessions),
        manual=ManualActions(sessions, bus, engine.wake, item_exists=lambda code: reader.item_by_code(code) is not None),
        optima_engine=optima_engine,
    )


def _writer(settings: AppSettings, values: dict[str, str], optima_engine: Engine,
            reader: SqlOptimaReader) -> OptimaWriter:
    if settings.optima_writer == SIMULATED:
        if optima_engine.dialect.name == "mssql":
            raise InstallationError(["Zapis symulowany jest tylko dla firmy testowej (SQLite, PostgreSQL): "
                                     "do prawdziwej Optimy pisze jej API COM."])
        from .optima.simulated import SimulatedOptimaWriter

        return SimulatedOptimaWriter(optima_engine, settings.optima)
    from .optima.com_session import OptimaComSession
    from .optima.com_writer import ComOptimaWriter

    session = OptimaComSession(settings.optima.operator, values["optima.password"], settings.optima_company)
    return ComOptimaWriter(session, reader, settings.optima)


def _carrier(settings: AppSettings, values: dict[str, str], data_dir: Path) -> Carrier:
    if settings.carrier == "inpost":
        return InPostShipX(InPostSettings(base_url=settings.inpost.base_url, token=values["inpost.token"],
                                          organization_id=settings.inpost.organization_id))
    seller = settings.optima.seller
    sender = SenderInfo(name=seller.name, address=Address(street=seller.street, city=seller.city,
                                                          postcode=seller.postcode, country=seller.country),
                        email=seller.email)
    return BuiltinCarrier(data_dir / "carrier", sender)


def catalogue_publisher(settings: AppSettings, shop: ShopClient, optima: Engine,
                        formula: Callable[[Iterable[str]], Mapping[str, int]]) -> CataloguePublisher | None:
    """The publisher the settings ask for (None when prices are not synced): the one place the
    demo world and a real installation make it."""
    if not settings.price_list:
        return None
    publish = PublishSettings(price_list=settings.price_list, shop_prices_include_tax=settings.shop_prices_include_tax)
    return CataloguePublisher(shop, OptimaPriceList(optima, publish.price_list), formula,
                              settings.shop.tax_classes, publish)
