"""Several stations on one PostgreSQL store, for ``make bench`` (DESIGN.md §5).

- failover: two headless engines ("two computers": each names a host of its own, so the
  standby cannot see that the other's process is gone) beside a shop that keeps taking orders;
  the active one is killed (SIGKILL) and the time until the standby runs its first job is
  measured, over several kills, with the default 15 s lease;
- packing: ready parcels (their labels in the store) packed by one ``linkoptima pack --all`` and
  by three at once, parcels per second, every parcel once;
- the change feed: an event of one process seen by another, milliseconds.

PostgreSQL only (``LINKOPTIMA_TEST_PG_URL``; its ``public`` schema is emptied): without it the
rows say so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, func, select

from ..core.domain.steps import Stage, Step, StepState
from ..core.engine.change_feed import ChangeFeed
from ..core.engine.events import EngineEvent, EventBus
from ..core.engine.planning import add_job
from ..core.store.db import open_store
from ..core.store.documents import LABEL_PDF, keep_document
from ..core.store.lease import DEFAULT_TIMEOUT
from ..core.store.models import JobRow, OrderRow
from ..core.woo.client import ShopClient
from ..core.woo.settings import ShopSettings
from ..demo.optima_seed import create_demo_optima
from .common import Row, empty_postgres, percentile

KILLS = 5
PARCELS = 300
_LABEL = b"%PDF-1.4\n% a label of the benchmark\n"


def _command(*args: str, host: str = "") -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1", **({"LINKOPTIMA_HOSTNAME": host} if host else {}))
    return subprocess.Popen([sys.executable, "-m", "linkoptima_gui.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)


def _line(process: subprocess.Popen[str], **wanted: object) -> dict:
    assert process.stdout is not None
    for raw in process.stdout:
        line = json.loads(raw)
        if all(line.get(k) == v for k, v in wanted.items()):
            return line
    raise RuntimeError(f"the process ended without a line {wanted}")


def bench_failover(url: str, folder: Path, kills: int = KILLS) -> list[float]:
    """Seconds from killing the active engine to the standby's first job, per kill."""
    empty_postgres(url)
    create_demo_optima(folder / "optima.sqlite").dispose()
    shop_process = _command("demo-shop", "--world", str(folder))
    shop = _line(shop_process)
    engines: list[subprocess.Popen[str]] = []
    stop_orders = threading.Event()

    def engine(n: int) -> subprocess.Popen[str]:
        process = _command("engine", "--world", str(folder), "--store", url, "--station", f"E{n}",
                           "--shop-url", shop["url"], "--shop-key", shop["key"], "--shop-secret", shop["secret"],
                           host=f"komputer-{n}")
        _line(process)  # the world's line comes first
        engines.append(process)
        return process

    def keep_ordering() -> None:
        client = ShopClient(ShopSettings(url=shop["url"], consumer_key=shop["key"], consumer_secret=shop["secret"]))
        n = 0
        while not stop_orders.wait(0.5):
            n += 1
            client.create_order(_order(n))

    seconds: list[float] = []
    store = create_engine(url)
    try:
        active = engine(1)
        _line(active, engine="active")
        orderer = threading.Thread(target=keep_ordering, daemon=True)
        orderer.start()
        for n in range(2, kills + 2):
            standby = engine(n)
            _line(standby, engine="standby")
            time.sleep(2)  # orders flow through the active engine meanwhile
            active.kill()
            killed = time.monotonic()
            token = n  # the standby's token after the takeover
            while True:
                with store.connect() as conn:
                    ran = conn.execute(select(func.count()).select_from(JobRow)
                                       .where(JobRow.claim_fencing == token)).scalar_one()
                if ran:
                    seconds.append(time.monotonic() - killed)
                    break
                if time.monotonic() - killed > 120:
                    raise RuntimeError("the standby ran nothing within 120 s")
                time.sleep(0.05)
            active.wait()
            active = standby
    finally:
        stop_orders.set()
        for process in [*engines, shop_process]:
            if process.poll() is None:
                process.terminate()
                process.wait(60)
        store.dispose()
    return seconds


def _order(n: int) -> dict:
    address = {"first_name": "Jan", "last_name": f"Nowak{n}", "address_1": "ul. Polna 1", "city": "Kraków",
               "postcode": "30-001", "country": "PL"}
    from ..demo.catalogue import CATALOGUE

    return {"status": "processing", "set_paid": True, "payment_method": "payustandard", "payment_method_title": "PayU",
            "transaction_id": f"TXB{n:07d}", "billing": {**address, "email": f"jan{n}@example.com"},
            "shipping": address, "line_items": [{"sku": CATALOGUE[n % 100].code, "quantity": 1}],
            "shipping_lines": [{"method_id": "flat_rate", "method_title": "Kurier", "total": "15.00"}]}


def _ready_parcels(url: str, count: int) -> None:
    """``count`` parcels ready to pack, their labels in the store (as the engine leaves them)."""
    empty_postgres(url)
    sessions = open_store(url)
    with sessions.begin() as session:
        for n in range(count):
            order = OrderRow(shop_order_id=n + 1, number=str(10_000 + n), stage=Stage.READY_TO_PACK.value,
                             buyer_name=f"Nabywca {n}", payload={"line_items": [], "shipping": {}},
                             tracking_number=f"6{n:023d}")
            session.add(order)
            session.flush()
            for step in (Step.FA, Step.WZ, Step.LABEL):
                add_job(session, order, step).state = StepState.DONE.value
            add_job(session, order, Step.PACKED)
            keep_document(session, order.id, LABEL_PDF, f"{order.number}.pdf", _LABEL)
    sessions.kw["bind"].dispose()


def bench_packing(url: str, folder: Path, stations: int, count: int = PARCELS) -> dict[str, float]:
    _ready_parcels(url, count)
    printer = folder / f"printer-{stations}"
    started = time.monotonic()
    processes = [_command("pack", "--all", "--store", url, "--station", f"P{n}", "--printer", printer.as_uri(),
                          "--undo-seconds", "0") for n in range(1, stations + 1)]
    packed = sum(_line(p)["packed"] for p in processes)
    for process in processes:
        process.wait()
    seconds = time.monotonic() - started
    printed = Counter(p.name.split("-")[1] for p in printer.glob("etykieta-*"))
    return {"packed": packed, "seconds": seconds, "per_second": packed / seconds,
            "twice": sum(1 for n in printed.values() if n > 1)}


def bench_feed(url: str, samples: int = 20) -> list[float]:
    """Milliseconds from one process's event to another's bus (two feeds over the store)."""
    empty_postgres(url)
    sessions = open_store(url)
    bind = sessions.kw["bind"]
    here, there = EventBus(), EventBus()
    arrived: dict[int, float] = {}
    got = threading.Condition()

    def seen(event: EngineEvent) -> None:
        if event.origin:
            with got:
                for order_id in event.order_ids:
                    arrived[order_id] = time.monotonic()
                got.notify_all()

    there.subscribe(seen)
    feeds = [ChangeFeed(bind, here, "a"), ChangeFeed(bind, there, "b")]
    for feed in feeds:
        feed.start()
    latencies: list[float] = []
    try:
        for n in range(1, samples + 1):
            sent = time.monotonic()
            here.orders_changed(n)
            with got:
                got.wait_for(lambda n=n: n in arrived, timeout=10)
            latencies.append((arrived.get(n, float("nan")) - sent) * 1000)
            time.sleep(0.3)
    finally:
        for feed in feeds:
            feed.stop()
        bind.dispose()
    return latencies


def table_rows() -> list[Row]:
    url = os.environ.get("LINKOPTIMA_TEST_PG_URL", "")
    if not url:
        return [("stations", "failover, packing and live changes on PostgreSQL", "skipped",
                 "set LINKOPTIMA_TEST_PG_URL")]
    with tempfile.TemporaryDirectory(prefix="linkoptima-bench-stations-") as tmp:
        print(f"… stations: failover ({KILLS} kills, lease {DEFAULT_TIMEOUT:.0f} s)", flush=True)
        failover = bench_failover(url, Path(tmp) / "world")
        print("… stations: packing with 1 and 3 stations", flush=True)
        one = bench_packing(url, Path(tmp), 1)
        three = bench_packing(url, Path(tmp), 3)
        print("… stations: the change feed", flush=True)
        feed = bench_feed(url)
    return [
        ("stations", f"kill -9 of the active engine -> the standby runs jobs ({len(failover)} kills, lease "
                     f"{DEFAULT_TIMEOUT:.0f} s)", f"p50 {percentile(failover, 50):.1f} s",
         f"p95 {percentile(failover, 95):.1f} s (goal p95 <= 20 s)"),
        ("stations", f"packing on PostgreSQL, 1 station ({one['packed']:.0f} parcels)",
         f"{one['per_second']:.1f} parcels/s", f"{one['seconds']:.1f} s"),
        ("stations", f"packing on PostgreSQL, 3 stations at once ({three['packed']:.0f} parcels)",
         f"{three['per_second']:.1f} parcels/s", f"printed twice: {three['twice']:.0f}"),
        ("stations", "a change seen by another console (PostgreSQL NOTIFY)", f"p50 {percentile(feed, 50):.0f} ms",
         f"p95 {percentile(feed, 95):.0f} ms (goal < 2 s)"),
    ]


if __name__ == "__main__":
    from .common import print_table

    print_table(table_rows())
