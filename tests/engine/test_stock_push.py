"""The stock pass's sender (issue 17), against the shop emulator over HTTP: full batches go out
as soon as they fill, a parent's variations at once; a refused item is reported and the rest
applied; a shop that takes no batch at all stops the sending, and nothing is counted as pushed."""

from __future__ import annotations

from typing import Any

import pytest

from linkoptima_gui.core.engine.events import EventKind
from linkoptima_gui.core.engine.stock_holders import Holder
from linkoptima_gui.core.engine.stock_push import StockPusher, Update
from linkoptima_gui.core.errors import RetryableError
from linkoptima_gui.demo.world import DemoWorld


def _products(world: DemoWorld, count: int) -> list[dict[str, Any]]:
    with world.shop.store.transaction():
        return [world.shop.store.create_product({"name": f"Towar {n}", "sku": f"PUSH-{n:04d}", "regular_price": "9.99",
                                                 "manage_stock": True, "stock_quantity": 10}) for n in range(count)]


def _update(doc: dict[str, Any], delta: int) -> Update:
    return Update(Holder(0, doc, {str(doc["sku"])}), {"id": int(doc["id"]), "inventory_delta": delta})


def test_corrections_go_in_full_batches_and_a_refused_item_is_named(world: DemoWorld) -> None:
    docs = _products(world, 230)
    progress: list[dict[str, Any]] = []
    world.services.bus.subscribe(lambda e: progress.append(e.data) if e.kind == EventKind.STOCK_PROGRESS else None)
    calls = world.services.shop.stats.by_endpoint
    before = calls["POST products/batch"]
    pusher = StockPusher(world.services.shop, world.services.bus, relative=True, most=3)
    pusher.add([_update(d, -3) for d in docs[:150]])
    assert calls["POST products/batch"] - before <= 1  # the first 100 may be out; 50 wait for more
    ghost = {"id": 999_999, "sku": "PUSH-GHOST", "stock_quantity": 0}
    pusher.add([_update(d, -3) for d in docs[150:]] + [_update(ghost, 5)])
    outcome = pusher.finish()

    assert calls["POST products/batch"] - before == 3  # 231 items: 100 + 100 + 31
    assert outcome.changed == 230 and outcome.batches == 3
    assert set(outcome.failed) == {"PUSH-GHOST"} and outcome.errors == ["PUSH-GHOST: Invalid ID."]
    assert {world.shop.store.product_by_sku(d["sku"])["stock_quantity"] for d in docs} == {7}
    assert progress and progress[-1] == {"sent": 231, "total": 231}


def test_a_shop_that_takes_no_batch_stops_the_sending(world: DemoWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _products(world, 300)
    shop = world.services.shop
    tried: list[int] = []

    def down(items: list[dict[str, Any]], **how: bool) -> list[dict[str, Any]]:
        tried.append(len(items))
        raise RetryableError("Sklep nie odpowiada (503) po 5 próbach")

    monkeypatch.setattr(shop, "update_products", down)
    pusher = StockPusher(shop, world.services.bus, relative=True, start=1, most=1)
    for start in range(0, 300, 100):
        pusher.add([_update(d, 1) for d in docs[start:start + 100]])
    outcome = pusher.finish()

    assert tried == [100]  # one in flight, and after its failure nothing more is sent
    assert outcome.changed == 0 and not outcome.pushed and len(outcome.failed) == 300
    assert outcome.errors == ["Sklep nie odpowiada (503) po 5 próbach"]
