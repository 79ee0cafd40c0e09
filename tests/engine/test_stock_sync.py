"""Stock sync against the real shop emulator (over HTTP) and the simulated Optima: the formula,
incremental passes that look only at what changed, drift repaired by the full pass, refusals
reported, and the engine's own loop publishing the last pass."""

from __future__ import annotations

import math
import threading
from pathlib import Path

import pytest
from woocommerce import API

from linkoptima_gui.core.engine.events import EngineEvent, EventKind
from linkoptima_gui.core.engine.stock_sync import StockSync, StockSyncSettings
from linkoptima_gui.demo.catalogue import CATALOGUE, VARIATION_GOODS
from linkoptima_gui.demo.world import DemoWorld

from .conftest import paid_order, run_engine

GOODS = [item.code for item in CATALOGUE]


@pytest.fixture
def stock_settings() -> StockSyncSettings:
    # no overlap: the seed stamped every item card a moment ago, and these tests count what a
    # pass looks at (the overlap's re-reads are harmless but would be counted)
    return StockSyncSettings(overlap_seconds=0)


def shop_stock(world: DemoWorld) -> dict[str, int]:
    return {p["sku"]: p["stock_quantity"] for p in world.services.shop.products() if p.get("sku") in GOODS}


def formula(world: DemoWorld, sync: StockSync) -> dict[str, int]:
    available = world.services.optima_reader.stock_levels()
    pending = sync.pending_quantities()
    return {sku: max(0, math.floor(available[sku] - pending.get(sku, 0))) for sku in GOODS}


def test_full_pass_makes_the_shop_show_the_formula(world: DemoWorld, api: API, sync: StockSync) -> None:
    before = shop_stock(world)
    paid_order(api, 0)  # the shop takes one of item 0 at once; Optima has not issued it
    world.stock_moves.deliver({GOODS[2]: 7})
    world.stock_moves.sell_at_counter({GOODS[3]: 3})

    result = sync.run_pass(full=True)

    assert result.errors == []
    # every simple product, and the demo's variable products: 4 sizes, 1 parent keeping the stock
    assert (result.full, result.checked, result.changed) == (True, len(GOODS) + len(VARIATION_GOODS), 2)
    after = shop_stock(world)
    assert after == formula(world, sync)
    assert after[GOODS[0]] == before[GOODS[0]] - 1  # the shop's own sale stands, no correction
    assert (after[GOODS[2]], after[GOODS[3]]) == (before[GOODS[2]] + 7, before[GOODS[3]] - 3)

    run_engine(world)  # FA and WZ: Optima's stock and the pending orders both drop by one
    again = sync.run_pass(full=False)
    assert (again.checked, again.changed, again.errors) == (1, 0, [])  # only the WZ's item looked at
    assert shop_stock(world) == after


def test_incremental_pass_looks_only_at_what_optima_changed(world: DemoWorld, sync: StockSync) -> None:
    sync.run_pass(full=True)
    assert sync.run_pass().checked == 0  # nothing changed since: nothing compared, nothing sent

    world.stock_moves.deliver({GOODS[5]: 4, GOODS[6]: 1})
    result = sync.run_pass()

    assert (result.full, result.checked, result.changed) == (False, 2, 2)
    assert shop_stock(world) == formula(world, sync)
    last = sync.last_pass()
    assert last is not None and (last.checked, last.changed) == (2, 2)


def test_drift_is_repaired_by_the_full_pass(world: DemoWorld, api: API, sync: StockSync) -> None:
    sync.run_pass(full=True)
    product = world.shop.store.product_by_sku(GOODS[9])
    assert product is not None
    assert api.put(f"products/{product['id']}", {"stock_quantity": 999}).status_code == 200  # a hand edit

    assert sync.run_pass().checked == 0  # Optima did not change: the incremental pass does not see it
    assert shop_stock(world)[GOODS[9]] == 999
    repaired = sync.run_pass(full=True)

    assert repaired.changed == 1
    assert shop_stock(world) == formula(world, sync)


def test_absolute_quantities_when_the_shop_takes_no_differences(world: DemoWorld, sync: StockSync) -> None:
    absolute = StockSync(world.services, world.engine.intake.poll, StockSyncSettings(relative_updates=False))
    world.stock_moves.sell_at_counter({GOODS[4]: 2})

    result = absolute.run_pass(full=True)

    assert (result.changed, result.errors) == (1, [])
    assert shop_stock(world) == formula(world, sync)


def test_the_shop_refusing_one_item_is_reported_and_the_rest_go_through(world: DemoWorld) -> None:
    first = world.shop.store.product_by_sku(GOODS[0])
    assert first is not None

    answers = world.services.shop.update_products([{"id": first["id"], "stock_quantity": 5},
                                                   {"id": 999_999, "stock_quantity": 5}])

    assert answers[0]["stock_quantity"] == 5
    assert answers[1]["error"]["code"] == "woocommerce_rest_product_invalid_id"
    with pytest.raises(ValueError, match="at most 100"):
        world.services.shop.update_products([{"id": first["id"]}] * 101)


def test_an_unreachable_shop_ends_the_pass_with_the_reason(world: DemoWorld, sync: StockSync) -> None:
    sync.run_pass(full=True)
    world.stock_moves.deliver({GOODS[1]: 1})
    world.shop.stop()

    result = sync.run_pass()

    assert result.changed == 0
    assert len(result.errors) == 1 and "sklep" in result.errors[0].lower()


def test_the_engine_runs_passes_on_its_interval_and_publishes_them(tmp_path: Path) -> None:
    seen: list[EngineEvent] = []
    arrived = threading.Event()

    def listen(event: EngineEvent) -> None:
        if event.kind == EventKind.STOCK_SYNC:
            seen.append(event)
            if len(seen) >= 2:
                arrived.set()

    with DemoWorld(tmp_path / "world", stock=StockSyncSettings(interval_seconds=0.1)) as world:
        world.bus.subscribe(listen)
        world.stock_moves.sell_at_counter({GOODS[8]: 5})
        world.engine.start()
        assert arrived.wait(30)
        world.engine.stop()

    assert seen[0].data["full"] is True and seen[0].data["changed"] == 1
    assert seen[1].data["full"] is False and seen[1].data["errors"] == []


def test_a_pass_with_many_corrections_reports_its_progress(world: DemoWorld, sync: StockSync) -> None:
    plenty = [sku for n, sku in enumerate(GOODS) if n % 40 != 7][:120]
    world.stock_moves.sell_at_counter(dict.fromkeys(plenty, 1))
    progress: list[tuple[int, int]] = []
    world.bus.subscribe(lambda event: progress.append((event.data["sent"], event.data["total"]))
                        if event.kind == EventKind.STOCK_PROGRESS else None)

    result = sync.run_pass(full=True)

    assert result.changed == 120 and progress == [(100, 120), (120, 120)]
