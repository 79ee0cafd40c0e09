"""Screenshots of the console for the documentation, rendered offscreen.

``save_screenshots`` builds the real main window at the design size (1366×768), waits until
the screens have read their data, and grabs each tab to a PNG. The demo script calls it with
a populated demo world; ``make screenshots`` builds a fresh demo world and photographs it,
and the command line can also photograph an existing store:

    python -m linkoptima_gui.ui.screenshots docs/screenshots [--store sqlite:///path/state.db]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QWidget

from ..core.config.app_settings import AppSettings, StationSettings
from ..core.config.secrets import MemoryKeyring, SecretStore
from ..core.config.settings_file import SettingsFile
from ..core.config.vocabulary import OptimaConnection
from .app import ensure_application
from .context import ConsoleContext
from .main_window import DESIGN_SIZE, MainWindow

if TYPE_CHECKING:
    from ..demo.world import DemoWorld

#: How long to wait for the screens' reads before photographing whatever is there.
_LOAD_TIMEOUT_S = 10.0


def _wait_until(condition: Callable[[], bool], timeout_s: float = _LOAD_TIMEOUT_S) -> bool:
    """Process Qt events until ``condition()`` holds (results come back through the loop)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)
    return True


def _settle(ms: int = 300) -> None:
    """Let the window lay out and the lazy row reads that painting triggers come back."""
    _wait_until(lambda: False, timeout_s=ms / 1000)


def save_screenshots(context: ConsoleContext, folder: Path, reprint_search: str = "") -> list[Path]:
    """Save ``dashboard.png`` (the Pulpit), ``pipeline.png``, ``packing.png``, ``exceptions.png``, ``reprint.png`` (searching ``reprint_search``),
    ``settings.png`` (the connections, each tested) and ``stations.png`` (the stations and the
    store, tested) of a console over ``context`` into ``folder``.

    Works inside a running console too: the window is rendered without being mapped on
    screen (``WA_DontShowOnScreen``), and without any application the offscreen platform
    is chosen, so no display is needed.
    """
    if QCoreApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    ensure_application()
    folder.mkdir(parents=True, exist_ok=True)
    window = MainWindow(context)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    window.resize(*DESIGN_SIZE)
    window.show()
    try:
        _wait_until(lambda: window.pipeline.model.is_loaded and window.packing.queue.is_loaded
                    and window.status.counts is not None)
        saved = []

        def show_reprint() -> None:
            window.tabs.setCurrentWidget(window.reprint)
            if reprint_search:
                window.reprint.search.setText(reprint_search)
                window.reprint.run_search()
                _wait_until(lambda: window.reprint.model.rowCount() > 0)

        def show_pipeline() -> None:
            window.show_pipeline()
            window.pipeline.table.selectRow(0)  # with the first order's history underneath
            _wait_until(lambda: window.pipeline.timeline.order_id is not None, timeout_s=2)

        def show_refunds() -> None:  # the orders with refunds, the first one's corrections below
            window.show_pipeline()
            window.pipeline.refunds_filter.setChecked(True)
            _wait_until(lambda: window.pipeline.proxy.rowCount() > 0 and window.pipeline.model.is_loaded, timeout_s=5)
            window.pipeline.table.selectRow(0)
            _wait_until(lambda: window.pipeline.timeline.order_id is not None, timeout_s=2)

        def show_settings() -> None:
            window.tabs.setCurrentWidget(window.settings)
            _wait_until(lambda: window.settings.is_loaded, timeout_s=5)
            connections = window.settings.connections
            checks = [connections.shop.check, connections.optima.check, connections.smtp.check,
                      connections.carrier.check]
            for check in checks:
                check.start()
            _wait_until(lambda: not any(check.running for check in checks), timeout_s=20)

        def show_exceptions() -> None:
            window.tabs.setCurrentWidget(window.exceptions)
            _wait_until(lambda: window.exceptions.model.rowCount() > 0, timeout_s=2)

        def show_dashboard() -> None:
            window.tabs.setCurrentWidget(window.dashboard)
            window.dashboard.refresh()
            _wait_until(lambda: window.dashboard.figures is not None, timeout_s=10)

        def show_stations() -> None:
            window.settings.show_page(window.settings.stations)
            check = window.settings.stations.store_box.check
            check.start()
            _wait_until(lambda: not check.running, timeout_s=20)

        for name, show in (("dashboard.png", show_dashboard), ("pipeline.png", show_pipeline),
                           ("refunds.png", show_refunds), ("packing.png", window.show_packing),
                           ("exceptions.png", show_exceptions), ("reprint.png", show_reprint),
                           ("settings.png", show_settings), ("stations.png", show_stations)):
            show()
            if name == "packing.png":
                _wait_until(lambda: window.packing.card.parcel is not None or window.packing.queue.rowCount() == 0)
            _settle()
            target = folder / name
            widget: QWidget = window
            if not widget.grab().save(str(target)):
                raise OSError(f"cannot write {target}")
            saved.append(target)
        return saved
    finally:
        window.close()
        window.deleteLater()
        QCoreApplication.processEvents()


def _pdf_page_to_png(pdf: Path, target: Path, dpi: int) -> Path:
    """The first page of ``pdf`` as ``target`` (poppler's pdftoppm), to look at as a user would."""
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(target.with_suffix(""))], check=True, timeout=60)
    return target


def _demo_settings(world: DemoWorld) -> tuple[SettingsFile, SecretStore]:
    """A settings file pointing at the demo world's own shop, Optima and mail sink (as a person
    would fill the screen in), with the shop's secret in a keyring that lives in this process."""
    settings = AppSettings(carrier=world.settings.carrier, optima_company="DEMO", station=world.station,
                           store_url=world.store_url)
    settings.shop = replace(settings.shop, url=world.shop.url, consumer_key=world.shop.consumer_key)
    settings.smtp = replace(settings.smtp, host=world.smtp.host, port=world.smtp.port, security="none",
                            sender="sklep@linkoptima.demo", bcc=("archiwum@linkoptima.demo",))
    settings.optima_connection = OptimaConnection(url=f"sqlite:///{world.folder / 'optima.sqlite'}")
    settings.stations = {
        "stanowisko-1": StationSettings(label_printer=world.printer_url, pack_key="F12",
                                        invoice_printer=(world.folder / "printer" / "dokumenty").as_uri()),
        "stanowisko-2": StationSettings(label_printer="zpl://192.168.1.50:9100", verify_eans=True),
    }
    file = SettingsFile(world.folder / "settings.json")
    file.save(settings.to_document())
    return file, SecretStore(backend=MemoryKeyring({"shop.consumer_secret": world.shop.consumer_secret}))


def demo_screenshots(folder: Path, orders: int = 40, pack: int = 8) -> list[Path]:
    """Build a demo world in a temporary folder, let it work, pack a few parcels, and save the
    console's screens plus the first invoice and label as PNGs."""
    import asyncio

    from sqlalchemy import select

    from ..core.store.models import OrderRow, RefundRow
    from ..core.store.queries import ready_to_pack
    from ..demo.returns import return_some
    from ..demo.world import DemoWorld
    from .launch import demo_context

    with tempfile.TemporaryDirectory(prefix="linkoptima-shots-") as tmp, DemoWorld(Path(tmp) / "world", undo_seconds=0, history=True) as world:
        while world.customers.orders_placed() < orders:
            world.customers.place_order()
        asyncio.run(world.engine.run_until_idle(300))
        printer = world.printer()
        with world.sessions() as session:
            ready = ready_to_pack(session, limit=pack)
        for order_id in ready:
            world.packing.pack(order_id, printer, station="stanowisko-1", operator="demo")
        asyncio.run(world.engine.run_until_idle(60))
        # some packed parcels come back: the pipeline's Korekty column and the correction PDF
        return_some(world.services.shop, list(world.services.shop.orders_modified_after(None)), 50, world.seed)
        asyncio.run(world.engine.run_until_idle(60))
        world.supervisor.start()  # shown running (the store's active engine), as in the console
        with world.sessions() as session:
            packed = session.scalars(select(OrderRow).where(OrderRow.packed_at.is_not(None))
                                     .order_by(OrderRow.id)).first()
            company = session.scalars(select(OrderRow).where(OrderRow.is_company, OrderRow.invoice_pdf != "")
                                      .order_by(OrderRow.id)).first()
            cod = session.scalars(select(OrderRow).where(OrderRow.payment_kind == "cod", OrderRow.label_pdf != "")
                                  .order_by(OrderRow.id)).first()
            correction = session.scalars(select(RefundRow.pdf_path).where(RefundRow.pdf_path != "")
                                         .order_by(RefundRow.id)).first()
        context = demo_context(world)
        context.settings_file, context.secrets = _demo_settings(world)
        saved = save_screenshots(context, folder, reprint_search=packed.number if packed else "")
        if company is not None:  # the fullest invoice: a company with NIP, KSeF number and QR code
            saved.append(_pdf_page_to_png(Path(company.invoice_pdf), folder / "invoice.png", 60))
        if cod is not None:  # the fullest label: cash on delivery
            saved.append(_pdf_page_to_png(Path(cod.label_pdf), folder / "label.png", 90))
        if correction:  # a returned parcel's correction invoice
            saved.append(_pdf_page_to_png(Path(correction), folder / "correction.png", 60))
        return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--store", help="SQLAlchemy URL of a populated state store (default: a fresh demo world)")
    args = parser.parse_args(argv)
    if not args.store:
        for path in demo_screenshots(args.folder):
            print(path)
        return 0
    from ..core.engine.events import EventBus
    from ..core.engine.packing import PackingService
    from ..core.printing.file_printer import FilePrinter
    from ..core.store.db import open_store

    factory = open_store(args.store)
    bus = EventBus()
    printer = FilePrinter(Path(tempfile.mkdtemp(prefix="linkoptima-shots-")))
    context = ConsoleContext(factory, bus, PackingService(factory, bus), printer)
    for path in save_screenshots(context, args.folder):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
