"""Opening the console on the embedded demo world (``make demo``, ``linkoptima --demo``).

The demo world is assembled here, outside the window, and handed in as a ``ConsoleContext``:
the window does not know it is a demo except for the title. The world's engine starts before
the window opens and its simulated buyers keep placing orders; closing the window stops both.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..core.config.app_settings import AppSettings
from ..core.config.settings_file import SettingsFile
from ..core.config.vocabulary import ShopSettings
from ..core.engine.returns_desk import ReturnsDesk
from ..demo.world import DemoWorld
from .context import ConsoleContext, station_context

log = logging.getLogger(__name__)

#: Orders placed at once on the first start, so the screens are not empty for the first minute.
FIRST_START_ORDERS = 12


def demo_context(world: DemoWorld) -> ConsoleContext:
    """The console's context over an open demo world; the station's printers and packing
    options come from the settings when they name them, else the demo's file printers."""
    return station_context(
        settings=world.settings, station=world.station, session_factory=world.sessions, bus=world.bus,
        packing=world.packing, reprints=world.reprints, engine=world.supervisor, title_suffix="DEMO",
        default_label_printer=world.printer_url,
        default_invoice_printer=(world.folder / "printer" / "dokumenty").as_uri(), dashboard=world.dashboard,
        returns=ReturnsDesk(world.sessions, world.services.shop, world.bus, api_refund=world.settings.returns_api_refund,
                            wake_engine=world.supervisor.wake),
        end_of_day=world.end_of_day,
    )


def open_demo_world(folder: Path, seed: int = 1, settings: AppSettings | None = None,
                    shop: ShopSettings | None = None, *, station: str = "", store_url: str = "") -> DemoWorld:
    """Open (or create) the world, give a new one a first batch of orders, start the engine
    (or stand by, when another process runs the world's engine) and the simulated buyers;
    ``shop``: a real WooCommerce instead of the emulator."""
    settings = settings or AppSettings()
    world = DemoWorld(folder, seed=seed, settings=settings, undo_seconds=settings.undo_seconds, shop=shop,
                      station=station or settings.station, store_url=store_url,
                      lease_timeout=settings.lease_seconds, history=True).open()
    try:
        if world.customers.orders_placed() == 0:
            for _ in range(FIRST_START_ORDERS):
                world.customers.place_order()
        world.feed.start()
        world.supervisor.start()
        world.start_placing_orders()
    except BaseException:
        world.close()
        raise
    return world


def launch_demo_console(folder: Path, seed: int = 1, language: str | None = None,
                        shop: ShopSettings | None = None, station: str = "", store_url: str = "") -> int:
    """Run the console on the demo world in ``folder`` until its window is closed; ``language``
    is what ``--lang`` asked for (None: ``LINKOPTIMA_LANG``, else the settings, else Polish)."""
    from .app import run_console
    from .i18n import choose_language

    document = SettingsFile().load()
    settings = AppSettings.from_document(document)
    if "carrier" not in document:  # the demo shows the carrier mix unless the settings name one
        settings.carrier = "mixed"
    world = open_demo_world(folder, seed, settings, shop, station=station, store_url=store_url)
    log.info("demo world in %s, shop at %s", world.folder, world.shop_url)
    return run_console(demo_context(world), on_quit=world.close,
                       language=choose_language(language, settings.language))
