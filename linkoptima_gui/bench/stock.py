"""Stock sync latency for ``make bench``: from a change in Optima to the new quantity in the shop.

The engine runs in its own thread at the default stock interval while deliveries and counter
sales are booked into the simulated Optima at random moments; each change is timed until the
shop's product shows the formula's new value (read from the emulator's store every 10 ms, which
is what a buyer's browser would see). Expected: about half the interval at p50 plus the pass.
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

from ..core.engine.stock_sync import StockSyncSettings
from ..demo.catalogue import CATALOGUE
from ..demo.world import DemoWorld
from .common import percentile

#: goods with plenty of stock, so a counter sale never runs short
_CODES = [item.code for n, item in enumerate(CATALOGUE) if n % 40 != 7][:50]


def bench_stock_latency(folder: Path, changes: int = 20, seed: int = 5) -> dict[str, float]:
    settings = StockSyncSettings()
    rng = random.Random(seed)
    pause = threading.Event()  # never set: spaces the changes at random moments
    latencies: list[float] = []
    with DemoWorld(folder, stock=settings) as world:
        assert world.engine.stock is not None
        world.engine.stock.run_pass(full=True)
        world.engine.start()
        try:
            for _ in range(changes):
                pause.wait(rng.uniform(0, settings.interval_seconds))
                code = rng.choice(_CODES)
                before = world.shop.store.product_by_sku(code)["stock_quantity"]
                quantity = rng.randint(1, 5)
                if rng.random() < 0.5:
                    world.stock_moves.deliver({code: quantity})
                    expected = before + quantity
                else:
                    world.stock_moves.sell_at_counter({code: quantity})
                    expected = before - quantity
                changed = time.perf_counter()
                deadline = changed + 10 * settings.interval_seconds
                while world.shop.store.product_by_sku(code)["stock_quantity"] != expected:
                    if time.perf_counter() > deadline:
                        raise RuntimeError(f"the shop never showed {expected} for {code}")
                    pause.wait(0.01)
                latencies.append(time.perf_counter() - changed)
        finally:
            world.engine.stop()
    return {"changes": len(latencies), "interval": settings.interval_seconds,
            "p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}


def table_row(result: dict[str, float]) -> tuple[str, str, str, str]:
    return ("stock", f"Optima change -> shop quantity ({result['changes']} changes, "
            f"interval {result['interval']:.0f} s)", f"p50 {result['p50']:.2f} s", f"p95 {result['p95']:.2f} s")
