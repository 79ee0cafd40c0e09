"""The stock pass beside the shop's own floor (issue 17), for ``make bench``.

    python -m linkoptima_gui.bench.stock_floor [--changed 2000] [--products N] [--pace 0.25]

What is compared. The floor is the best time the shop takes for the same batches (the changed
SKUs, 100 an update, ``stock_quantity`` at the value the shop already has, so the shop is left
as it was) sent by a bare client, the ``woocommerce`` package, with 1, 2 and 4 batches in flight.
Then the engine's own full stock pass (``StockSync.run_pass``) on the same shop: it reads the
whole catalogue, polls the orders, reads Optima and sends the differences. The ratio of the two
is the measure (goal: at most 1.1).

Which shop. By default the emulator, in a process of its own, paced as a real WooCommerce (4 PHP
workers, a batch of 100 stock updates in about 2.85 s, ``demo/shop/pace.py``) times ``--pace``
(1: real time; the default 0.25 keeps the run short and the proportions). With the variables of
``make contract`` (``LINKOPTIMA_CONTRACT_URL``, ``_KEY``, ``_SECRET``) it is that shop, a staging
copy: the bench creates its ``BENCH-`` products there and deletes them afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from woocommerce import API

from ..core.woo.client import BATCH_SIZE
from ..core.woo.settings import ShopSettings
from ..demo.shop.store import ShopStore
from ..demo.world import DemoWorld
from .common import Row, print_table
from .woo import bench_sku, changed_quantities, seed_optima_items, seed_shop_items

IN_FLIGHT = (1, 2, 4)


@dataclass(frozen=True)
class Shop:
    url: str
    key: str
    secret: str

    def api(self) -> API:
        return API(url=self.url, consumer_key=self.key, consumer_secret=self.secret, version="wc/v3",
                   timeout=120, query_string_auth=self.url.startswith("https"))


@dataclass(frozen=True)
class FloorResult:
    """The bare client's time per number in flight, and the engine's pass."""

    floor: dict[int, float]
    pass_seconds: float
    changed: int
    batches: int
    where: str
    products: int

    @property
    def best(self) -> tuple[int, float]:
        in_flight = min(self.floor, key=lambda k: self.floor[k])
        return in_flight, self.floor[in_flight]

    @property
    def ratio(self) -> float:
        return self.pass_seconds / self.best[1]


@contextmanager
def _emulator(folder: Path, products: int, pace: float) -> Iterator[Shop]:
    """The emulator seeded with ``products`` bench goods, served by a process of its own."""
    store = ShopStore(folder / "shop", catalogue=False)
    seed_shop_items(store, products)
    store.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "linkoptima_gui.cli", "demo-shop", "--world", str(folder), "--empty",
         "--paced", str(pace)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        assert process.stdout is not None
        line = json.loads(process.stdout.readline())
        yield Shop(line["url"], line["key"], line["secret"])
    finally:
        process.terminate()
        process.wait(30)


@contextmanager
def _real_shop(products: int) -> Iterator[Shop]:
    """A real (staging) shop from the environment, with the bench goods created for the run."""
    shop = Shop(os.environ["LINKOPTIMA_CONTRACT_URL"].rstrip("/"), os.environ["LINKOPTIMA_CONTRACT_KEY"],
                os.environ["LINKOPTIMA_CONTRACT_SECRET"])
    api, ids = shop.api(), []
    try:
        for start in range(0, products, BATCH_SIZE):
            created = api.post("products/batch", {"create": [
                {"name": f"Towar testowy {n}", "sku": bench_sku(n), "regular_price": "19.99", "manage_stock": True,
                 "stock_quantity": 50} for n in range(start, min(products, start + BATCH_SIZE))]}).json()
            ids += [int(doc["id"]) for doc in created.get("create") or [] if doc.get("id")]
        yield shop
    finally:
        for start in range(0, len(ids), BATCH_SIZE):
            api.post("products/batch", {"delete": ids[start:start + BATCH_SIZE]})


def _bench_ids(api: API, skus: set[str]) -> list[int]:
    ids, page = [], 1
    while True:
        docs = api.get("products", params={"per_page": 100, "page": page, "_fields": "id,sku"}).json()
        ids += [int(d["id"]) for d in docs if d.get("sku") in skus]
        if len(docs) < 100:
            return sorted(ids)
        page += 1


def bare_floor(shop: Shop, ids: list[int], in_flight: int) -> float:
    """Seconds for the bare client to send ``ids`` as stock updates, 100 a batch, ``in_flight``
    batches at once (the values the shop already has: it is left as it was)."""
    api = shop.api()
    batches = [ids[start:start + BATCH_SIZE] for start in range(0, len(ids), BATCH_SIZE)]

    def send(batch: list[int]) -> None:
        answer = api.post("products/batch", {"update": [{"id": i, "stock_quantity": 50} for i in batch]})
        if answer.status_code != 200:
            raise RuntimeError(f"the shop answered {answer.status_code}: {answer.text[:200]}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=in_flight) as pool:
        list(pool.map(send, batches))
    return time.perf_counter() - started


def engine_pass(folder: Path, shop: Shop, products: int, changed: int) -> tuple[float, int, int]:
    """The engine's full pass on ``shop``: (seconds, SKUs corrected, batch calls)."""
    settings = ShopSettings(url=shop.url, consumer_key=shop.key, consumer_secret=shop.secret)
    with DemoWorld(folder, shop=settings, buyers=False, undo_seconds=0) as world:
        world.services.catalogue = None  # stock alone, as the floor
        targets = changed_quantities(products, changed)
        seed_optima_items(world, products, targets)
        sync = world.engine.stock
        assert sync is not None
        stats = world.services.shop.stats
        before = stats.by_endpoint["POST products/batch"]
        started = time.perf_counter()
        result = sync.run_pass(full=True)
        seconds = time.perf_counter() - started
        batches = stats.by_endpoint["POST products/batch"] - before
    if result.errors or result.changed != len(targets):
        raise RuntimeError(f"pass errors {result.errors[:3]}; {result.changed} corrected of {len(targets)}")
    return seconds, result.changed, batches


def bench_floor(folder: Path, changed: int = 2000, pace: float = 0.25, products: int = 0) -> FloorResult:
    """Floor and pass on one shop of ``products`` bench goods (default: ``changed``), of which
    ``changed`` differ in Optima."""
    products = max(products, changed)
    real = bool(os.environ.get("LINKOPTIMA_CONTRACT_URL"))
    opened = _real_shop(products) if real else _emulator(folder / "shop-world", products, pace)
    with opened as shop:
        ids = _bench_ids(shop.api(), set(changed_quantities(products, changed)))
        floor = {n: bare_floor(shop, ids, n) for n in IN_FLIGHT}
        seconds, corrected, batches = engine_pass(folder / "console", shop, products, changed)
    where = shop.url if real else f"emulator paced ×{pace:g}"
    return FloorResult(floor, seconds, corrected, batches, where, products)


def table_rows(changed: int = 2000, pace: float = 0.25, products: int = 0) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="linkoptima-bench-floor-") as tmp:
        result = bench_floor(Path(tmp), changed, pace, products)
    best_in_flight, best = result.best
    floor = ", ".join(f"{n} in flight {s:.1f} s" for n, s in result.floor.items())
    return [
        ("woo", f"shop floor: {result.changed:,} stock updates, bare client ({result.where})",
         f"{best:.1f} s", floor),
        ("woo", f"stock full pass on the same shop: {result.products:,} SKUs read, {result.batches} batch calls",
         f"{result.pass_seconds:.1f} s",
         f"{result.ratio:.2f}× the floor (goal ≤ 1.1×; best floor with {best_in_flight} in flight)"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="LinkOptima benchmark: the stock pass beside the shop's floor")
    parser.add_argument("--changed", type=int, default=2000)
    parser.add_argument("--products", type=int, default=0, help="bench goods in the shop (default: --changed)")
    parser.add_argument("--pace", type=float, default=0.25, help="the emulator's pace (1: a real shop's time)")
    args = parser.parse_args(argv)
    print_table(table_rows(args.changed, args.pace, args.products))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
