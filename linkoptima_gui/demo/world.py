"""The embedded demo world (DESIGN.md §4), persisted entirely under one folder:

    <world>/shop/          the WooCommerce emulator's state (shop.sqlite)
    <world>/optima.sqlite  the simulated Optima company database (CDN tables)
    <world>/ksef/          the structured files of invoices the simulated Optima sent to KSeF
    <world>/console.sqlite the console's own state store
    <world>/mail/          every e-mail the SMTP sink accepted, one .eml each
    <world>/carrier/       the built-in carrier's shipments
    <world>/shipx/         the InPost ShipX emulator's state (when the settings choose "inpost")
    <world>/documents/     invoice PDFs and labels kept for reprints
    <world>/printer/       the default label printer (a file printer)

Every part survives a kill -9 and a restart on the same folder; servers get fresh loopback
ports on each start.
"""

from __future__ import annotations

import logging
import random
import threading
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from ..core.config.app_settings import AppSettings, weighing
from ..core.dashboard.daily_report import DailyReport
from ..core.dashboard.optima_figures import OptimaFigures
from ..core.dashboard.service import Dashboard
from ..core.documents.mailer import SmtpMailer, SmtpSettings
from ..core.domain.correction import PayoutKind
from ..core.domain.order import Address
from ..core.engine.change_feed import ChangeFeed
from ..core.engine.end_of_day import EndOfDay
from ..core.engine.engine import Engine
from ..core.engine.events import EventBus
from ..core.engine.manual import ManualActions
from ..core.engine.packing import PackingService
from ..core.engine.reprint import ReprintService
from ..core.engine.services import EmailSettings, EngineServices, ShippingRule
from ..core.engine.stock_sync import StockSyncSettings
from ..core.engine.supervisor import EngineSupervisor
from ..core.installation import catalogue_publisher
from ..core.optima.reader import SqlOptimaReader
from ..core.optima.settings import OptimaSettings
from ..core.optima.simulated import SimulatedOptimaWriter
from ..core.optima.simulated.ksef import SimulatedKsef
from ..core.optima.simulated.stock import SimulatedStockMoves
from ..core.printing.factory import open_printer
from ..core.printing.port import Printer
from ..core.resources import resource
from ..core.shipping.builtin import BuiltinCarrier, SenderInfo
from ..core.shipping.dpd import DPDCarrier, DPDLedger, DPDSettings
from ..core.shipping.furgonetka import FurgonetkaCarrier, FurgonetkaSettings
from ..core.shipping.inpost import InPostSettings, InPostShipX
from ..core.shipping.port import Carrier
from ..core.store.db import sqlite_url
from ..core.store.fencing import Fence, fenced_sessions
from ..core.store.lease import DEFAULT_TIMEOUT, EngineLease
from ..core.store.location import open_checked
from ..core.store.shops import resolve_shop
from ..core.woo.client import ShopClient
from ..core.woo.settings import ShopSettings
from .catalogue import CATALOGUE
from .dpd import DPDEmulator
from .furgonetka import FurgonetkaEmulator
from .history import DAYS as HISTORY_DAYS
from .history import seed_history
from .optima_seed import create_demo_optima
from .rest_customers import RestCustomers
from .returns import choose_kind, refund_body
from .shipx import ShipXEmulator
from .shop import ShopCustomers, ShopEmulator
from .smtp_sink import SmtpSink

log = logging.getLogger(__name__)

#: who gets the demo's daily report (it lands in the SMTP sink's folder)
REPORT_RECIPIENT = "kierownik@linkoptima.demo"
#: the demo suppliers' lead times in days, by item group (``demo/optima_seed.py``)
DEMO_LEAD_TIMES = {1: 14, 2: 10, 3: 21, 4: 14}

SENDER = SenderInfo(
    name="Sklep Demo LinkOptima",
    address=Address(street="ul. Przykładowa 12", city="Warszawa", postcode="00-950"),
    phone="+48 22 345 67 89",
    email="sklep@linkoptima.demo",
)


class DemoWorld:
    def __init__(self, folder: Path, *, seed: int = 1, poll_interval: float = 2.0, printer_url: str = "",
                 store_url: str = "", ksef_delay: float = 3.0, undo_seconds: float = 30.0,
                 settings: AppSettings | None = None, stock: StockSyncSettings | None = None,
                 shop: ShopSettings | None = None, sessions: sessionmaker[Session] | None = None,
                 station: str = "stanowisko-1", lease_timeout: float = DEFAULT_TIMEOUT,
                 buyers: bool = True, history: bool = False) -> None:
        self.folder = Path(folder)
        #: the station this process is (the lease and the audit name it)
        self.station = station
        #: seconds without a heartbeat after which a standby engine takes over
        self.lease_timeout = lease_timeout
        #: whether the demo's buyers may order (and, on a real shop, the catalogue be published
        #: there first); an engine beside another process's shop leaves that to it
        self.buyers = buyers
        #: a new world gets 90 days of past sales in Optima and past orders in the store (the
        #: console's demo, for the Pulpit); the headless runs and the tests start empty
        self.history = history
        #: the console's store when the caller has it open already (one pool per process, as a
        #: real installation has); otherwise opened from ``store_url`` and closed with the world
        self._given_sessions = sessions
        #: a real WooCommerce to use instead of the emulator (``--shop-url``): the demo publishes
        #: its Optima catalogue there and its buyers order through the REST API
        self.real_shop = shop
        #: The console's state store; by default ``console.sqlite`` in the world (any SQLAlchemy URL).
        self.store_url = store_url or sqlite_url(self.folder / "console.sqlite")
        self.seed = seed
        self.poll_interval = poll_interval
        self.printer_url = printer_url or (self.folder / "printer").as_uri()
        self._placer: OrderPlacer | None = None
        #: how long the simulated Optima takes to get a company invoice its KSeF number
        self.ksef_delay = ksef_delay
        #: how long a packer can take a "packed" back before the shop is told
        self.undo_seconds = undo_seconds
        #: the user's settings where the demo honours them (shipping mapping, KSeF wait)
        self.settings = settings or AppSettings()
        #: the stock sync's intervals (it runs while the engine's thread runs)
        self.stock_settings = stock or StockSyncSettings()

    # -- life cycle -------------------------------------------------------------------------

    def open(self) -> DemoWorld:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "printer").mkdir(exist_ok=True)
        self.shop: ShopEmulator | None = None
        if self.real_shop is None:
            self.shop = ShopEmulator(self.folder / "shop")
            self.shop.start()
            self.customers: ShopCustomers | RestCustomers = ShopCustomers(self.shop.store, seed=self.seed)
        self.smtp = SmtpSink(self.folder / "mail")
        self.smtp.start()
        self.optima_settings = OptimaSettings(ksef_environment="demo", ksef_xml_folder=str(self.folder / "ksef"))
        # a world with a past opens its company (its opening stock) before the past begins
        self.optima_engine = create_demo_optima(
            self.folder / "optima.sqlite", now=datetime.now() - timedelta(days=HISTORY_DAYS + 5) if self.history else None)
        self.ksef = SimulatedKsef(self.optima_engine, self.optima_settings, self.folder / "ksef",
                                  delay_seconds=self.ksef_delay)
        self.ksef.start(interval=0.5)
        self.sessions = self._given_sessions or open_checked(self.store_url)
        if self.history:
            seed_history(self.sessions, self.optima_engine, self.optima_settings, seed=self.seed)
        self.bus = EventBus()
        bind = self.sessions.kw["bind"]
        #: the engine's name and lease token; its writes go through ``fenced_sessions``
        self.fence = Fence(timeout=self.lease_timeout)
        self.shipx: ShipXEmulator | None = None
        self.furgonetka: FurgonetkaEmulator | None = None
        self.dpd: DPDEmulator | None = None
        self.carrier: Carrier = self._open_carrier()
        carriers, rules = self._more_carriers()
        if self.real_shop is not None:  # a real shop is named by its address, never mixed with another
            with self.sessions.begin() as session:
                self.real_shop = replace(self.real_shop, shop_id=resolve_shop(session, self.real_shop.url))
        self.shop_settings = self.real_shop or ShopSettings(
            url=self.shop.url, consumer_key=self.shop.consumer_key, consumer_secret=self.shop.consumer_secret
        )
        self.services = EngineServices(
            sessions=fenced_sessions(bind, self.fence),
            bus=self.bus,
            shop=ShopClient(self.shop_settings),
            shop_settings=self.shop_settings,
            optima_writer=SimulatedOptimaWriter(self.optima_engine, self.optima_settings),
            optima_reader=SqlOptimaReader(self.optima_engine, self.optima_settings),
            mailer=SmtpMailer(SmtpSettings(host=self.smtp.host, port=self.smtp.port, security="none",
                                           sender=SENDER.email)),
            email=EmailSettings(sender=SENDER.email, shop_name=SENDER.name, ksef_poll_seconds=1.0,
                                invoice_logo=resource("demo", "logo.png")),
            carrier=self.carrier,
            documents_dir=self.folder / "documents",
            shipping_rules=rules,
            carriers=carriers,
            fence=self.fence,
            claim_seconds=2 * self.lease_timeout,
            book_without_stock=self.settings.book_without_stock,
            label_at_payment=self.settings.label_at_payment,
            refund_payout=PayoutKind(self.settings.refund_payout),
            refund_without_gateway=self.settings.refund_without_gateway,
            weighing=weighing(self.settings),
        )
        self.services.email.ksef_wait_seconds = self.settings.ksef_wait_seconds
        self.engine = Engine(self.services, poll_interval=self.poll_interval, stock=self.stock_settings)
        #: runs ``engine`` while this process holds the store's engine lease (DESIGN.md §5)
        self.supervisor = EngineSupervisor(self.engine, EngineLease(bind, self.station, self.fence,
                                                                    timeout=self.lease_timeout))
        #: carries this process's changes to the others on the store (started by who needs it)
        self.feed = ChangeFeed(bind, self.bus)
        self.stock_moves = SimulatedStockMoves(self.optima_engine, self.optima_settings)
        if self.engine.stock is not None:  # prices, names and EANs follow Optima on full passes
            self.services.catalogue = catalogue_publisher(self.settings, self.services.shop, self.optima_engine,
                                                          self.engine.stock.formula)
        if self.real_shop is not None and self.buyers:
            self._open_real_shop()
        self.packing = PackingService(self.sessions, self.bus, self.engine.wake, undo_seconds=self.undo_seconds)
        self.reprints = ReprintService(self.sessions)
        #: the carriers' end of the day (DPD's protocol, the couriers of DPD and Furgonetka)
        self.end_of_day = EndOfDay(self.sessions, self.services.all_carriers(), sender=SENDER.name)
        self.dashboard = self._open_dashboard()
        self.manual = ManualActions(self.sessions, self.bus, self.engine.wake,
                                    item_exists=lambda code: self.services.optima_reader.item_by_code(code) is not None)
        return self

    def _open_dashboard(self) -> Dashboard:
        """The Pulpit over this world (its ZD booked by the simulated Optima) and, for a world
        with a past (the console's demo), the daily report to the manager's demo mailbox."""
        settings = self.settings.dashboard
        if self.history and not settings.report_recipients:
            settings = replace(settings, report_recipients=(REPORT_RECIPIENT,),
                               lead_time_by_group=settings.lead_time_by_group or DEMO_LEAD_TIMES)
        dashboard = Dashboard(self.sessions, OptimaFigures(self.optima_engine, self.optima_settings), settings,
                              writer=self.services.optima_writer)
        if settings.report_recipients:
            self.services.daily_report = DailyReport(dashboard, self.services.sessions, self.services.mailer,
                                                     sender=SENDER.email, shop_name=SENDER.name, station=self.station)
        return dashboard

    def _open_real_shop(self) -> None:
        """Publish the demo's Optima catalogue to the real shop (new products by SKU, prices,
        names, EANs; only what differs), then let the buyers order there."""
        publisher = self.services.catalogue
        if publisher is None:
            raise ValueError("Demo na prawdziwym sklepie potrzebuje synchronizacji cen (price_list) i stanów.")
        result = publisher.publish()
        if result.errors:
            raise RuntimeError("Sklep nie przyjął katalogu demo: " + "; ".join(result.errors[:5]))
        log.info("demo catalogue published to %s: %d created, %d updated", self.shop_settings.url,
                 result.created, result.updated)
        self.customers = RestCustomers(self.services.shop, self.folder / "buyers.sqlite", seed=self.seed)

    @property
    def shop_url(self) -> str:
        return self.shop_settings.url

    def _open_carrier(self) -> Carrier:
        """The built-in carrier, InPost ShipX or Furgonetka against its emulator on loopback;
        "mixed": InPost for the lockers, DPD and Furgonetka (DHL) for the couriers (``_more_carriers``)."""
        if self.settings.carrier == "furgonetka":
            return self._open_furgonetka()
        if self.settings.carrier == "dpd":
            return self._open_dpd()
        if self.settings.carrier not in ("inpost", "mixed"):
            return BuiltinCarrier(self.folder / "carrier", SENDER)
        self.shipx = ShipXEmulator(self.folder / "shipx", confirm_after_seconds=1.0, sender=SENDER)
        self.shipx.start()
        return InPostShipX(InPostSettings(base_url=self.shipx.url, token=self.shipx.token,
                                          organization_id=str(self.shipx.organization_id),
                                          poll_interval=0.2, pending_retry_after=1.0))

    def _open_furgonetka(self) -> FurgonetkaCarrier:
        self.furgonetka = FurgonetkaEmulator(self.folder / "furgonetka", ready_after_polls=2)
        self.furgonetka.start()
        settings = FurgonetkaSettings(base_url=self.furgonetka.url, cod_iban="PL61109010140000071219812874",
                                      poll_interval=0.1, pending_retry_after=1.0, **self.furgonetka.credentials())
        return FurgonetkaCarrier(settings, SENDER)

    def _open_dpd(self) -> DPDCarrier:
        self.dpd = DPDEmulator(self.folder / "dpd")
        self.dpd.start()
        settings = DPDSettings(base_url=self.dpd.url, pudo_url=self.dpd.url + "/api/pudo", **self.dpd.credentials())
        return DPDCarrier(settings, SENDER, DPDLedger(self.folder / "dpd"))

    def _more_carriers(self) -> tuple[dict[str, Carrier], dict[str, ShippingRule]]:
        """The mix: lockers by InPost (the default carrier), the ``flat_rate`` courier by DPD
        direct, the ``free_shipping`` courier through Furgonetka by DHL."""
        rules = dict(self.settings.shipping_rules)
        if self.settings.carrier != "mixed":
            return {}, rules
        furgonetka, dpd = self._open_furgonetka(), self._open_dpd()
        for method, rule in rules.items():
            if method == "flat_rate":
                rules[method] = replace(rule, carrier="dpd")
            elif not rule.service.startswith("locker"):
                rules[method] = replace(rule, carrier="furgonetka", carrier_service="dhl")
        return {"furgonetka": furgonetka, "dpd": dpd}, rules

    def count_shipments(self) -> dict[str, int]:
        """Shipments at the carriers (total, and references booked more than once)."""
        references: list[str] = []
        if self.shipx is None and self.furgonetka is None and self.dpd is None:
            assert isinstance(self.carrier, BuiltinCarrier)
            counts = self.carrier.count_shipments()
            return {"total": counts["total"], "duplicates": counts["duplicates"]}
        if self.shipx is not None:
            references += [row.reference for row in self.shipx.shipments() if row.status != "canceled"]
        if self.furgonetka is not None:
            references += [p["user_reference_number"] for p in self.furgonetka.ordered()]
        if self.dpd is not None:  # numbers the console recorded (a lost one is never handed over)
            ledger = DPDLedger(self.folder / "dpd")
            references += [p["reference"] for p in self.dpd.generated()
                           if (ledger.get(p["reference"]) or {}).get("waybill") == p["waybill"]]
        return {"total": len(references), "duplicates": len(references) - len(set(references))}

    def printer(self) -> Printer:
        return open_printer(self.printer_url)

    def start_placing_orders(self, min_seconds: float = 4.0, max_seconds: float = 10.0) -> None:
        """Have the shop's simulated buyers place orders over time (the live demo)."""
        self._placer = OrderPlacer(self, min_seconds, max_seconds)
        self._placer.start()

    def close(self) -> None:
        if self._placer is not None:
            self._placer.stop()
        self.supervisor.stop()
        self.engine.stop()
        self.feed.stop()
        self.ksef.stop()
        self.smtp.stop()
        if self.shipx is not None:
            self.shipx.stop()
        if self.furgonetka is not None:
            self.furgonetka.stop()
        if self.dpd is not None:
            self.dpd.stop()
        if self.shop is not None:
            self.shop.stop()
        elif hasattr(self, "customers"):
            self.customers.close()
        self.optima_engine.dispose()
        if self._given_sessions is None:
            self.sessions.kw["bind"].dispose()

    def __enter__(self) -> DemoWorld:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()


#: the chance that a new order's moment also brings a return of a delivered one (a few percent
#: of the orders come back, as in a real shop)
RETURN_CHANCE = 0.04


class OrderPlacer(threading.Thread):
    """Places a new order every few seconds and wakes the engine, like a live shop."""

    def __init__(self, world: DemoWorld, min_seconds: float, max_seconds: float) -> None:
        super().__init__(name="demo-orders", daemon=True)
        self.world = world
        self.min_seconds, self.max_seconds = min_seconds, max_seconds
        self._stop_event = threading.Event()
        self._rng = random.Random(world.seed)

    def run(self) -> None:
        while not self._stop_event.wait(self._rng.uniform(self.min_seconds, self.max_seconds)):
            try:
                self.world.customers.place_order()
                self.world.engine.wake()
                if self._rng.random() < 0.25:
                    self._move_stock_in_optima()
                if self._rng.random() < RETURN_CHANCE:
                    self._return_one()
            except Exception:  # the demo must keep going; the log says what happened
                log.exception("demo order placement failed")

    def _move_stock_in_optima(self) -> None:
        """Now and then a delivery arrives or the shop's counter sells something, in Optima
        only: the stock sync carries it to the shop (shown in the status bar)."""
        code = self._rng.choice(CATALOGUE).code
        if self._rng.random() < 0.5:
            self.world.stock_moves.deliver({code: self._rng.randint(5, 20)})
        elif self.world.stock_moves.available(code) > 1:
            self.world.stock_moves.sell_at_counter({code: 1})

    def _return_one(self) -> None:
        """Now and then a buyer sends a delivered parcel back (``demo.returns``): the shop's
        staff refunds it, and the console books the correction."""
        shop = self.world.services.shop
        delivered = shop.read("orders", {"status": "completed", "per_page": 20}).json()
        candidates = [order for order in delivered if not order.get("refunds")]
        if candidates:
            order = self._rng.choice(candidates)
            body = refund_body(order, choose_kind(self._rng), self._rng)
            if body is not None:
                shop.create_refund(int(order["id"]), body)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(5)
