"""Stock sync for variable products, against the shop emulator over HTTP and the simulated Optima:
variations in the SKU -> id map, corrections through one variations batch per parent, stock
"managed by the parent" corrected once at the parent, and a SKU no single document can stand for."""

from __future__ import annotations

import logging
import math
from typing import Any

import pytest
from sqlalchemy import select
from woocommerce import API

from linkoptima_gui.core.engine.stock_sync import StockSync, StockSyncSettings
from linkoptima_gui.core.store.models import ShopProduct
from linkoptima_gui.demo.catalogue import VARIABLE_PRODUCTS
from linkoptima_gui.demo.world import DemoWorld

BLUZA, SKARPETKI = VARIABLE_PRODUCTS
SOCKS = SKARPETKI.items[0].code


@pytest.fixture
def stock_settings() -> StockSyncSettings:
    # no overlap: the seed stamped every item card a moment ago, and these tests count what a
    # pass looks at (the overlap's re-reads are harmless but would be counted)
    return StockSyncSettings(overlap_seconds=0)


@pytest.fixture
def batches(world: DemoWorld, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, list[dict[str, Any]]]]:
    """Every batch the pass sends (the real calls go on): (endpoint kind, parent, items). The
    catalogue's own updates (prices, EANs on full passes) are left out: these tests count stock."""
    world.services.catalogue = None
    sent: list[tuple[str, int, list[dict[str, Any]]]] = []
    shop = world.services.shop
    products, variations = shop.update_products, shop.update_variations

    def update_products(items: list[dict[str, Any]], **how: bool) -> list[dict[str, Any]]:
        sent.append(("products", 0, list(items)))
        return products(items, **how)

    def update_variations(parent: int, items: list[dict[str, Any]], **how: bool) -> list[dict[str, Any]]:
        sent.append(("variations", parent, list(items)))
        return variations(parent, items, **how)

    monkeypatch.setattr(shop, "update_products", update_products)
    monkeypatch.setattr(shop, "update_variations", update_variations)
    return sent


def family(api: API, name: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The variable product and its variations by id."""
    parent = api.get("products", params={"search": name}).json()[0]
    listed = api.get(f"products/{parent['id']}/variations").json()
    return parent, {v["id"]: v for v in listed}


def by_sku(variations: dict[int, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {v["sku"]: v for v in variations.values()}


def formula(world: DemoWorld, sync: StockSync, sku: str) -> int:
    available = world.services.optima_reader.stock_levels([sku])[sku]
    return max(0, math.floor(available - sync.pending_quantities([sku]).get(sku, 0)))


def test_full_pass_corrects_variations_per_parent_and_shared_stock_once(
        world: DemoWorld, api: API, sync: StockSync, batches: list) -> None:
    bluza, sizes = family(api, BLUZA.name)
    small = by_sku(sizes)["BLUZA-S"]
    api.put(f"products/{bluza['id']}/variations/{small['id']}", {"stock_quantity": 99})  # a hand edit
    world.stock_moves.deliver({"BLUZA-M": 5})
    world.stock_moves.sell_at_counter({SOCKS: 4})

    result = sync.run_pass(full=True)

    assert result.errors == [] and result.changed == 3
    socks, colours = family(api, SKARPETKI.name)
    assert socks["stock_quantity"] == formula(world, sync, SOCKS) == SKARPETKI.items[0].stock - 4
    assert {v["stock_quantity"] for v in colours.values()} == {socks["stock_quantity"]}
    _, sizes = family(api, BLUZA.name)
    assert {sku: v["stock_quantity"] for sku, v in by_sku(sizes).items()} == {
        i.code: formula(world, sync, i.code) for i in BLUZA.items}
    # the sizes in one batch of their parent; the shared stock once, at the parent, as a product
    # (the batches go out at once, several in flight: in no set order)
    assert sorted((kind, parent, sorted(i["id"] for i in items)) for kind, parent, items in batches) == [
        ("products", 0, [socks["id"]]),
        ("variations", bluza["id"], sorted([small["id"], by_sku(sizes)["BLUZA-M"]["id"]])),
    ]


def test_the_map_keeps_variations_with_their_parent(world: DemoWorld, api: API, sync: StockSync) -> None:
    sync.run_pass(full=True)
    bluza, sizes = family(api, BLUZA.name)
    socks, _ = family(api, SKARPETKI.name)

    with world.sessions() as session:
        rows = {r.sku: (r.product_id, r.parent_id) for r in session.scalars(select(ShopProduct))}

    assert {sku: rows[sku] for sku in by_sku(sizes)} == {
        sku: (v["id"], bluza["id"]) for sku, v in by_sku(sizes).items()}
    assert rows[SOCKS] == (socks["id"], 0)  # the colours show the parent's SKU: one entry, the parent


def test_incremental_pass_corrects_only_the_changed_variation(
        world: DemoWorld, api: API, sync: StockSync, batches: list) -> None:
    sync.run_pass(full=True)
    batches.clear()
    world.stock_moves.deliver({"BLUZA-XL": 3})
    world.stock_moves.sell_at_counter({SOCKS: 1})

    result = sync.run_pass()

    assert (result.full, result.checked, result.changed, result.errors) == (False, 2, 2, [])
    _, sizes = family(api, BLUZA.name)
    socks, _ = family(api, SKARPETKI.name)
    assert by_sku(sizes)["BLUZA-XL"]["stock_quantity"] == BLUZA.items[3].stock + 3
    assert socks["stock_quantity"] == SKARPETKI.items[0].stock - 1
    assert sorted((kind, [list(i) for i in items]) for kind, _, items in batches) == [
        ("products", [["id", "inventory_delta"]]), ("variations", [["id", "inventory_delta"]])]


def test_a_shop_sale_of_a_shared_variation_stands(world: DemoWorld, api: API, sync: StockSync) -> None:
    socks, colours = family(api, SKARPETKI.name)
    colour = next(iter(colours))
    sold = api.post("orders", {"status": "processing", "set_paid": True, "payment_method": "payustandard",
                               "transaction_id": "TX1", "line_items": [
                                   {"product_id": socks["id"], "variation_id": colour, "quantity": 2}]})
    assert sold.status_code == 201 and sold.json()["line_items"][0]["sku"] == SOCKS

    result = sync.run_pass(full=True)

    assert result.errors == [] and result.changed == 0  # Optima - pending = what the shop shows
    assert family(api, SKARPETKI.name)[0]["stock_quantity"] == SKARPETKI.items[0].stock - 2
    assert sync.pending_quantities([SOCKS]) == {SOCKS: 2}


def test_a_sku_no_single_document_holds_is_left_out_and_named(
        world: DemoWorld, api: API, sync: StockSync, caplog: pytest.LogCaptureFixture) -> None:
    socks, colours = family(api, SKARPETKI.name)
    for colour in colours:  # each colour now counts its own stock, yet shows the parent's SKU
        api.put(f"products/{socks['id']}/variations/{colour}", {"manage_stock": True, "stock_quantity": 7})
    world.stock_moves.sell_at_counter({SOCKS: 10})

    with caplog.at_level(logging.WARNING):
        result = sync.run_pass(full=True)

    assert result.errors == [] and any(SOCKS in message for message in caplog.messages)
    after, colours_after = family(api, SKARPETKI.name)
    assert after["stock_quantity"] == SKARPETKI.items[0].stock  # untouched: which one would it be?
    assert {v["stock_quantity"] for v in colours_after.values()} == {7}
    with world.sessions() as session:
        assert session.scalar(select(ShopProduct).where(ShopProduct.sku == SOCKS)) is None


def test_a_refused_variation_is_reported_by_the_client(world: DemoWorld, api: API) -> None:
    bluza, sizes = family(api, BLUZA.name)
    first = next(iter(sizes))

    answers = world.services.shop.update_variations(bluza["id"], [{"id": first, "stock_quantity": 5},
                                                                   {"id": 999_999, "stock_quantity": 5}])

    assert answers[0]["stock_quantity"] == 5
    assert answers[1]["error"]["code"] == "woocommerce_rest_product_variation_invalid_id"
    with pytest.raises(ValueError, match="at most 100"):
        world.services.shop.update_variations(bluza["id"], [{"id": first}] * 101)
