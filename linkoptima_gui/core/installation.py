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
from sqlalchemy.orm import Session, sessionmaker

from .config.app_settings import ENGINE_OFF, AppSettings, weighing
from .config.secrets import SecretError, SecretStore
from .config.validation import account_problems
from .dashboard.daily_report import DailyReport
from .dashboard.optima_figures import OptimaFigures
from .dashboard.service import Dashboard
from .documents.mailer import SmtpMailer
from .domain.correction import PayoutKind
from .domain.order import Address
from .engine.change_feed import ChangeFeed
from .engine.end_of_day import EndOfDay
from .engine.engine import Engine as PipelineEngine
from .engine.events import EventBus
from .engine.manual import ManualActions
from .engine.packing import PackingService
from .engine.reprint import ReprintService
from .engine.services import EmailSettings, EngineServices
from .engine.stock_sync import StockSyncSettings
from .engine.supervisor import EngineSupervisor
from .optima.connect import OptimaConnectionError, reader_engine
from .optima.port import OptimaWriter
from .optima.price_list import OptimaPriceList
from .optima.reader import SqlOptimaReader
from .shipping.builtin import BuiltinCarrier, SenderInfo
from .shipping.dpd import DPDCarrier, DPDLedger, DPDSettings
from .shipping.furgonetka import FurgonetkaCarrier, FurgonetkaSettings
from .shipping.inpost import InPostSettings, InPostShipX
from .shipping.port import Carrier
from .store.fencing import Fence, fenced_sessions
from .store.lease import EngineLease
from .store.location import StoreError, dispose, open_checked
from .store.location import store_url as location_url
from .store.shops import OtherShop, resolve_shop
from .store.shops import add_shop as register_another_shop
from .woo.catalogue import CataloguePublisher, PublishSettings
from .woo.client import ShopClient
from .woo.webhooks import WebhookReceiver

#: ``AppSettings.optima_writer`` values
COM, SIMULATED = "com", "simulated"
#: the Furgonetka and DPD accounts' secrets (read when the engine runs here)
ACCOUNT_SECRETS = ("furgonetka.client_secret", "furgonetka.password", "dpd.password", "dpd.pudo_key")


class InstallationError(Exception):
    """The settings cannot make a working installation; ``problems`` are Polish sentences."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Nie można uruchomić połączeń: " + " ".join(problems))
        self.problems = problems


class ShopChoiceNeeded(InstallationError):
    """The store holds another shop's orders: a person chooses (a store of its own for this shop,
    or a second shop in this one: ``open_installation(..., add_shop=True)``)."""

    def __init__(self, other: OtherShop) -> None:
        super().__init__([str(other)])
        self.other = other


@dataclass
class Installation:
    """Everything the console and the headless engine need, open; ``close`` releases it.

    Every installation has the store and the packing services; one that may run the engine
    (``engine_mode`` "auto") also has the shop, Optima, mail and the carrier, and a supervisor
    that runs the engine while this computer holds the lease (DESIGN.md §5)."""

    settings: AppSettings
    station: str
    #: the store, for the screens, packing and a person's actions (the engine's writes go
    #: through ``services.sessions``, fenced by its lease)
    sessions: sessionmaker[Session]
    bus: EventBus
    packing: PackingService
    reprints: ReprintService
    manual: ManualActions
    #: carries this computer's changes to the other stations and theirs here
    feed: ChangeFeed
    data_dir: Path
    services: EngineServices | None = None
    engine: PipelineEngine | None = None
    supervisor: EngineSupervisor | None = None
    optima_engine: Engine | None = None
    #: the webhook receiver when the settings turn it on (it only wakes the engine)
    webhooks: WebhookReceiver | None = None
    #: the Pulpit's figures (with Optima's and its ZD where this computer reaches Optima)
    dashboard: Dashboard | None = None
    #: the carriers' end of the day, where this computer has the carrier accounts (the engine's)
    end_of_day: EndOfDay | None = None

    def close(self) -> None:
        if self.webhooks is not None:
            self.webhooks.stop()
        if self.supervisor is not None:
            self.supervisor.stop()
        self.feed.stop()
        if self.optima_engine is not None:
            self.optima_engine.dispose()
        dispose(self.sessions)


def check_settings(settings: AppSettings, secrets: dict[str, str]) -> list[str]:
    """What is missing before anything is opened (empty: nothing)."""
    problems = []
    if not settings.shop.url or not settings.shop.consumer_key or not secrets.get("shop.consumer_secret"):
        problems.append("Podaj adres sklepu, klucz klienta i klucz tajny (Ustawienia → Połączenia).")
    if not settings.smtp.host or not (settings.smtp.sender or settings.optima.seller.email):
        problems.append("Podaj serwer poczty i adres nadawcy faktur.")
    if settings.carrier == "inpost" and not (settings.inpost.organization_id and secrets.get("inpost.token")):
        problems.append("Podaj numer organizacji i token InPost ShipX.")
    problems += [text for _section, _field, text in account_problems(settings, secrets)]
    if settings.webhook_port and not secrets.get("shop.webhook_secret"):
        problems.append("Webhooki są włączone: podaj ich sekret (ten sam co w WooCommerce → Webhooki).")
    if settings.optima_writer not in (COM, SIMULATED):
        problems.append(f"Nieznany sposób zapisu do Optimy: {settings.optima_writer!r} (com albo simulated).")
    elif settings.optima_writer == COM and sys.platform != "win32":
        problems.append("Zapis do Optimy działa przez jej API COM, na komputerze z Windows obok Optimy. "
                        "Ten komputer może tylko pakować: ustaw „Silnik na tym komputerze: nie” "
                        "(Ustawienia → Stanowiska i baza).")
    return problems


def open_installation(settings: AppSettings, secrets: SecretStore, data_dir: Path, *, station: str = "",
                      store_url: str = "", stock: StockSyncSettings | None = None,
                      engine: bool | None = None, add_shop: bool = False) -> Installation:
    """Open every connection the settings name; raises ``InstallationError`` with all problems
    (``ShopChoiceNeeded`` when the store holds another shop's orders).

    ``station``/``store_url`` override the settings (``--station``, ``--store``); ``engine``
    False opens only what packing and managing need (None: as ``engine_mode`` says);
    ``add_shop``: a person chose to keep this shop beside the store's other one."""
    station = station or settings.station
    with_engine = settings.engine_mode != ENGINE_OFF if engine is None else engine
    names = ["store.password"]
    if with_engine:
        names += ["shop.consumer_secret", "smtp.password", "inpost.token", "optima.password", "optima.sql_password",
                  "shop.webhook_secret", *ACCOUNT_SECRETS]
    try:
        values = {name: secrets.get(name) for name in names}
    except SecretError as exc:
        raise InstallationError([str(exc)]) from exc
    problems = check_settings(settings, values) if with_engine else []
    if problems:
        raise InstallationError(problems)
    try:
        url = store_url or location_url(settings.store_url, values["store.password"], data_dir)
        sessions = open_checked(url)
    except StoreError as exc:
        raise InstallationError([str(exc)]) from exc
    bus = EventBus()
    feed = ChangeFeed(sessions.kw["bind"], bus)
    try:
        installation = Installation(
            settings=settings, station=station, sessions=sessions, bus=bus, feed=feed, data_dir=data_dir,
            packing=PackingService(sessions, bus, undo_seconds=settings.undo_seconds),
            reprints=ReprintService(sessions), manual=ManualActions(sessions, bus))
        installation.dashboard = Dashboard(sessions, settings=settings.dashboard)
        if with_engine:
            _open_engine(installation, values, stock, add_shop)
    except BaseException:
        dispose(sessions)
        raise
    feed.start()
    return installation


def _open_engine(inst: Installation, values: dict[str, str], stock: StockSyncSettings | None,
                 add_shop: bool) -> None:
    """The shop, Optima, mail, the carrier and the engine with its supervisor."""
    settings = inst.settings
    try:
        with inst.sessions.begin() as session:
            shop_id = (register_another_shop(session, settings.shop.url) if add_shop
                       else resolve_shop(session, settings.shop.url))
    except OtherShop as exc:
        raise ShopChoiceNeeded(exc) from exc
    try:
        optima_engine = reader_engine(replace(settings.optima_connection, password=values["optima.sql_password"]))
    except OptimaConnectionError as exc:
        raise InstallationError([exc.reason]) from exc
    inst.optima_engine = optima_engine
    try:
        reader = SqlOptimaReader(optima_engine, settings.optima)
        writer = _writer(settings, values, optima_engine, reader)
    except BaseException:
        optima_engine.dispose()
        raise
    shop_settings = replace(settings.shop, consumer_secret=values["shop.consumer_secret"], shop_id=shop_id)
    inst.data_dir.mkdir(parents=True, exist_ok=True)
    bind = inst.sessions.kw["bind"]
    fence = Fence(timeout=settings.lease_seconds)
    seller = settings.optima.seller
    services = EngineServices(
        sessions=fenced_sessions(bind, fence), bus=inst.bus, shop=ShopClient(shop_settings),
        shop_settings=shop_settings, optima_writer=writer, optima_reader=reader,
        mailer=SmtpMailer(replace(settings.smtp, password=values["smtp.password"])),
        email=EmailSettings(sender=settings.smtp.sender or seller.email, shop_name=seller.name,
                            reply_to=settings.smtp.reply_to, ksef_wait_seconds=settings.ksef_wait_seconds),
        carrier=_carrier(settings, values, inst.data_dir), carriers=carrier_accounts(settings, values, inst.data_dir),
        documents_dir=inst.data_dir / "documents",
        shipping_rules=dict(settings.shipping_rules), fence=fence, claim_seconds=2 * settings.lease_seconds,
        book_without_stock=settings.book_without_stock, label_at_payment=settings.label_at_payment,
        refund_payout=PayoutKind(settings.refund_payout), refund_without_gateway=settings.refund_without_gateway,
        weighing=weighing(settings),
    )
    engine = PipelineEngine(services, stock=stock or StockSyncSettings(relative_updates=settings.stock_differences))
    if engine.stock is not None:
        services.catalogue = catalogue_publisher(settings, services.shop, optima_engine, engine.stock.formula)
    inst.services, inst.engine = services, engine
    inst.end_of_day = EndOfDay(inst.sessions, services.all_carriers(), sender=seller.name)
    inst.dashboard = Dashboard(inst.sessions, OptimaFigures(optima_engine, settings.optima), settings.dashboard,
                               writer=writer)
    if settings.dashboard.report_recipients:
        services.daily_report = DailyReport(inst.dashboard, services.sessions, services.mailer,
                                            sender=services.email.sender, shop_name=seller.name, station=inst.station)
    inst.supervisor = EngineSupervisor(engine, EngineLease(bind, inst.station, fence, timeout=settings.lease_seconds))
    inst.packing.wake_engine = engine.wake
    inst.manual = ManualActions(inst.sessions, inst.bus, engine.wake,
                                item_exists=lambda code: reader.item_by_code(code) is not None)
    if settings.webhook_port:
        inst.webhooks = WebhookReceiver(values["shop.webhook_secret"], engine.wake, host=settings.webhook_host,
                                        port=settings.webhook_port)
        inst.webhooks.start()


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

    session = OptimaComSession.from_settings(settings.optima, password=values["optima.password"],
                                             company=settings.optima_company)
    return ComOptimaWriter(session, reader, settings.optima)


def _sender(settings: AppSettings) -> SenderInfo:
    seller = settings.optima.seller
    return SenderInfo(name=seller.name, address=Address(street=seller.street, city=seller.city,
                                                        postcode=seller.postcode, country=seller.country),
                      email=seller.email)


def _carrier(settings: AppSettings, values: dict[str, str], data_dir: Path) -> Carrier:
    if settings.carrier == "inpost":
        return InPostShipX(InPostSettings(base_url=settings.inpost.base_url, token=values["inpost.token"],
                                          organization_id=settings.inpost.organization_id))
    return BuiltinCarrier(data_dir / "carrier", _sender(settings))


def carrier_accounts(settings: AppSettings, values: Mapping[str, str | None], data_dir: Path) -> dict[str, Carrier]:
    """The Furgonetka and DPD carriers whose accounts are filled in, by name (``ShippingRule.carrier``);
    with ``services.carrier`` they make the end of the day's carriers."""
    carriers: dict[str, Carrier] = {}
    furgonetka, dpd = settings.furgonetka, settings.dpd
    if furgonetka.filled_in():
        carriers["furgonetka"] = FurgonetkaCarrier(FurgonetkaSettings(
            base_url=furgonetka.base_url.strip(), client_id=furgonetka.client_id.strip(),
            client_secret=(values.get("furgonetka.client_secret") or "").strip(), username=furgonetka.username.strip(),
            password=values.get("furgonetka.password") or "", cod_iban=furgonetka.cod_iban.strip()), _sender(settings))
    if dpd.filled_in():
        carriers["dpd"] = DPDCarrier(DPDSettings(
            base_url=dpd.base_url.strip(), login=dpd.login.strip(), password=values.get("dpd.password") or "",
            master_fid=dpd.master_fid.strip(), pudo_url=dpd.pudo_url.strip(),
            pudo_key=values.get("dpd.pudo_key") or ""), _sender(settings), DPDLedger(data_dir / "dpd"))
    return carriers


def catalogue_publisher(settings: AppSettings, shop: ShopClient, optima: Engine,
                        formula: Callable[[Iterable[str]], Mapping[str, int]]) -> CataloguePublisher | None:
    """The publisher the settings ask for (None when prices are not synced): the one place the
    demo world and a real installation make it."""
    if not settings.price_list:
        return None
    publish = PublishSettings(price_list=settings.price_list, shop_prices_include_tax=settings.shop_prices_include_tax)
    return CataloguePublisher(shop, OptimaPriceList(optima, publish.price_list), formula,
                              settings.shop.tax_classes, publish)
