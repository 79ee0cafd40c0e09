"""The WooCommerce connector for ``make bench``: intake of many orders and a large stock push,
against the shop emulator on loopback through the real client.

    python -m linkoptima_gui.bench_woo [--orders 5000] [--products 20000] [--changed 2000]

- intake: ``--orders`` orders placed straight into a fresh demo world's shop (its simulated
  buyers), then one poll of the engine's intake: every order read over HTTP (100 a page), mapped,
  stored and its steps planned. Reported: wall time, requests made, and the client's own CPU time
  per request (building, signing, sending and parsing, measured on the calling thread, so the
  emulator's threads in the same process do not count). The same read by the client alone is
  shown beside it, to tell the connector's cost from the store's.
- stock push: a shop of ``--products`` products created through the emulator's store (not over
  HTTP: that is setup, not the measure), then what a full stock pass does on the shop's side:
  read every product for the SKU -> id map and the shop's quantities, and send only the
  ``--changed`` quantities that differ, as absolute values in ``products/batch`` calls of 100.
  The batch calls must be at most ``changed / 100`` (20 for 2,000); the run stops otherwise, and
  it checks that the shop shows every new quantity.

Measurements, not assertions of speed: the tests check correctness, this shows cost.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .bench_common import Row, print_table
from .core.woo.client import BATCH_SIZE, ShopClient
from .core.woo.settings import ShopSettings
from .demo.shop import ShopEmulator, ShopStore
from .demo.world import DemoWorld


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


def _seed_products(folder: Path, products: int) -> None:
    store = ShopStore(folder, catalogue=False)
    try:
        with store.transaction():
            for n in range(products):
                store.create_product({"name": f"Towar testowy {n}", "sku": f"BENCH-{n:06d}", "regular_price": "19.99",
                                      "manage_stock": True, "stock_quantity": 50})
    finally:
        store.close()


def bench_stock_push(folder: Path, products: int, changed: int) -> tuple[Measured, Measured, int]:
    """(reading the shop's quantities, pushing the changed ones, batch calls made)."""
    _seed_products(folder, products)
    with ShopEmulator(folder) as shop:
        settings = ShopSettings(url=shop.url, consumer_key=shop.consumer_key, consumer_secret=shop.consumer_secret)
        client = ShopClient(settings)
        started = time.perf_counter()
        in_shop = {p["sku"]: (p["id"], p["stock_quantity"]) for p in client.products()}
        read = Measured(len(in_shop), time.perf_counter() - started, client.stats.requests, client.stats.cpu_seconds)
        step = max(1, products // changed)
        targets = {f"BENCH-{n:06d}": 50 - 1 - n % 7 for n in range(0, products, step)}
        pusher = ShopClient(settings)
        started = time.perf_counter()
        updates = [{"id": in_shop[sku][0], "stock_quantity": target}
                   for sku, target in sorted(targets.items()) if in_shop[sku][1] != target]
        for start in range(0, len(updates), BATCH_SIZE):
            answers = pusher.update_products(updates[start:start + BATCH_SIZE])
            refused = [a for a in answers if "error" in a]
            if refused:
                raise RuntimeError(f"the shop refused {len(refused)} items: {refused[0]}")
        push = Measured(len(updates), time.perf_counter() - started, pusher.stats.requests, pusher.stats.cpu_seconds)
        batches = pusher.stats.by_endpoint["POST products/batch"]
        wrong = [sku for sku, target in targets.items() if shop.store.product_by_sku(sku)["stock_quantity"] != target]
    if len(in_shop) != products or wrong:
        raise RuntimeError(f"read {len(in_shop)} of {products} products; {len(wrong)} quantities not pushed")
    if batches > -(-changed // BATCH_SIZE):
        raise RuntimeError(f"{batches} batch calls for {changed} changed SKUs")
    return read, push, batches


def rows_for(intake: Measured, alone: Measured, read: Measured, push: Measured, batches: int,
             products: int) -> list[Row]:
    def cost(m: Measured) -> str:
        return f"{m.requests} requests, {m.cpu_ms_per_request:.1f} ms client CPU/request"

    return [
        ("woo", f"intake: {intake.items} orders read, mapped, stored", f"{intake.seconds:.1f} s", cost(intake)),
        ("woo", f"orders read by the client alone ({alone.items})", f"{alone.seconds:.1f} s", cost(alone)),
        ("woo", f"stock: quantities of {read.items} products read", f"{read.seconds:.1f} s", cost(read)),
        ("woo", f"stock push: {push.items} of {products} SKUs changed", f"{push.seconds:.2f} s",
         f"{batches} batch calls, {push.cpu_ms_per_request:.1f} ms client CPU/request"),
    ]


def table_rows(orders: int = 5000, products: int = 20_000, changed: int = 2000) -> list[Row]:
    """Run both benchmarks in temporary folders; the rows for ``bench.py``'s table."""
    with tempfile.TemporaryDirectory(prefix="linkoptima-bench-woo-") as tmp:
        intake, alone = bench_intake(Path(tmp) / "world", orders)
        read, push, batches = bench_stock_push(Path(tmp) / "shop", products, changed)
    return rows_for(intake, alone, read, push, batches, products)


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
