"""The WooCommerce connector for ``make bench``: intake of many orders and a large stock push,
against the shop emulator on loopback through the real client.

    python -m linkoptima_gui.bench.woo [--orders 5000] [--products 20000] [--changed 2000]

- intake: ``--orders`` orders placed straight into a fresh demo world's shop (its simulated
  buyers), then one poll of the engine's intake: every order read over HTTP (100 a page), mapped,
  stored and its steps planned. Reported: wall time, requests made, and the client's own CPU time
  per request (building, signing, sending and parsing, measured on the calling thread, so the
  emulator's threads in the same process do not count). The same read by the client alone is
  shown beside it, to tell the connector's cost from the store's.
- stock push: a demo world given ``--products`` more goods in its shop and in its Optima (written
  straight into both databases: setup, not the measure), ``--changed`` of them at another
  quantity in Optima; then the engine's own full stock pass (``StockSync.run_pass``): every
  product read for the SKU -> id map and the shop's quantities, the orders polled, Optima's
  stock read, and only the differing quantities sent (as differences, the default) in
  ``products/batch`` calls of 100. The batch calls must be at most ``changed / 100`` (20 for
  2,000); the run stops otherwise, and it checks that the shop shows every new quantity.

Measurements, not assertions of speed: the tests check correctness, this shows cost.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from ..core.domain.vat import VatRate
from ..core.optima.schema import Magazyny, Towary, TwrIlosci
from ..core.woo.client import BATCH_SIZE, ShopClient
from ..demo.optima_seed import item_row
from ..demo.shop.store import ShopStore
from ..demo.world import DemoWorld
from .common import Row, print_table


@dataclass(frozen=True)
class Measured:
    """One measured run: what it did, its wall time, requests and the client's CPU time."""

    items: int
    seconds: float
    requests: int
    cpu_seconds: float

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.cpu_seconds / self.requests if self.requests else float("nan")


def bench_intake(folder: Path, orders: int) -> tuple[Measured, Measured]:
    """(the engine's intake of ``orders`` orders, the client reading them alone)."""
    with DemoWorld(folder, undo_seconds=0) as world:
        while world.customers.orders_placed() < orders:
            world.customers.place_order()
        reader = ShopClient(world.shop_settings)
        started = time.perf_counter()
        read = sum(1 for _ in reader.orders_modified_after(None))
        alone = Measured(read, time.perf_counter() - started, reader.stats.requests, reader.stats.cpu_seconds)
        client = world.services.shop = ShopClient(world.shop_settings)
        started = time.perf_counter()
        changed = world.engine.intake.poll()
        intake = Measured(len(changed), time.perf_counter() - started, client.stats.requests, client.stats.cpu_seconds)
    if intake.items != orders or alone.items != orders:
        raise RuntimeError(f"the intake took {intake.items} and the client read {alone.items} of {orders} orders")
    return intake, alone


def bench_sku(n: int) -> str:
    return f"BENCH-{n:06d}"


def changed_quantities(products: int, changed: int) -> dict[str, int]:
    """The ``changed`` SKUs (spread over ``products``) Optima holds at another quantity than the
    shop's 50, and the quantity each must end with in the shop."""
    step = max(1, products // changed)
    return {bench_sku(n): 50 - 1 - n % 7 for n in range(0, products, step)}


def seed_optima_items(world: DemoWorld, products: int, quantities: dict[str, int]) -> None:
    """The ``products`` bench goods in the world's Optima, 50 of each unless ``quantities`` says
    otherwise (written straight into its database: setup, not the measure)."""
    now = datetime.now().replace(microsecond=0)
    with world.optima_engine.begin() as conn:
        warehouse = conn.execute(select(Magazyny.c.Mag_MagId)
                                 .where(Magazyny.c.Mag_Symbol == world.optima_settings.warehouse)).scalar_one()
        conn.execute(Towary.insert(), [item_row(bench_sku(n), f"Towar testowy {n}", "", 1, VatRate.R23, "szt.", now)
                                       for n in range(products)])
        ids = conn.execute(select(Towary.c.Twr_Kod, Towary.c.Twr_TwrId).where(Towary.c.Twr_Kod.like("BENCH-%"))).all()
        opening = datetime(now.year, 1, 1)
        conn.execute(TwrIlosci.insert(), [
            {"TwI_TwrId": item_id, "TwI_MagId": place, "TwI_Data": opening,
             "TwI_Ilosc": Decimal(quantities.get(code, 50)), "TwI_Wartosc": Decimal(0)}
            for code, item_id in ids for place in (warehouse, None)])  # the warehouse and the all-warehouse total


def seed_shop_items(store: ShopStore, products: int) -> None:
    """The ``products`` bench goods in the emulator's shop, 50 of each (straight into its database)."""
    with store.transaction():
        for n in range(products):
            store.create_product({"name": f"Towar testowy {n}", "sku": bench_sku(n), "regular_price": "19.99",
                                  "manage_stock": True, "stock_quantity": 50})


def bench_stock_push(folder: Path, products: int, changed: int) -> tuple[Measured, int, int]:
    """The engine's own full stock pass over a shop of ``products`` SKUs of which ``changed``
    differ from Optima: (the pass, its batch calls, its page reads). Checks that every changed
    quantity reached the shop and nothing else was touched."""
    with DemoWorld(folder, undo_seconds=0) as world:
        world.services.catalogue = None  # stock alone: the price check is measured in the Optima bench (``optima``)
        sync = world.engine.stock
        assert sync is not None
        targets = changed_quantities(products, changed)
        seed_shop_items(world.shop.store, products)
        seed_optima_items(world, products, targets)
        client = world.services.shop = ShopClient(world.shop_settings)  # its own counts
        started = time.perf_counter()
        result = sync.run_pass(full=True)
        measured = Measured(result.changed, time.perf_counter() - started, client.stats.requests,
                            client.stats.cpu_seconds)
        batches = client.stats.by_endpoint["POST products/batch"]
        pages = client.stats.by_endpoint["GET products"]
        wrong = [sku for sku, target in targets.items() if world.shop.store.product_by_sku(sku)["stock_quantity"] != target]
    if result.errors or wrong or result.changed != len(targets):
        raise RuntimeError(f"pass errors {result.errors[:3]}; {result.changed} corrected of {len(targets)}; "
                           f"{len(wrong)} quantities not in the shop")
    if batches > -(-changed // BATCH_SIZE):
        raise RuntimeError(f"{batches} batch calls for {changed} changed SKUs")
    return measured, batches, pages


def rows_for(intake: Measured, alone: Measured, push: Measured, batches: int, pages: int,
             products: int) -> list[Row]:
    def cost(m: Measured) -> str:
        return f"{m.requests} requests, {m.cpu_ms_per_request:.1f} ms client CPU/request"

    return [
        ("woo", f"intake: {intake.items} orders read, mapped, stored", f"{intake.seconds:.1f} s", cost(intake)),
        ("woo", f"orders read by the client alone ({alone.items})", f"{alone.seconds:.1f} s", cost(alone)),
        ("woo", f"stock full pass: {products:,} SKUs read ({pages} pages), {push.items:,} corrected",
         f"{push.seconds:.1f} s", f"{batches} batch calls; {cost(push)}"),
    ]


def table_rows(orders: int = 5000, products: int = 20_000, changed: int = 2000) -> list[Row]:
    """Run both benchmarks in temporary folders; the rows for the ``make bench`` table."""
    with tempfile.TemporaryDirectory(prefix="linkoptima-bench-woo-") as tmp:
        intake, alone = bench_intake(Path(tmp) / "world", orders)
        push, batches, pages = bench_stock_push(Path(tmp) / "stock", products, changed)
    return rows_for(intake, alone, push, batches, pages, products)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="LinkOptima benchmark: the WooCommerce connector")
    parser.add_argument("--orders", type=int, default=5000)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--changed", type=int, default=2000)
    args = parser.parse_args(argv)
    print_table(table_rows(args.orders, args.products, args.changed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
