"""``demo-run --shop-url URL --shop-key K --shop-secret S``: the demo on a shop of its own.

The "real" shop here is an emulator started empty in another process (``linkoptima demo-shop``
on a blank folder), reached only over HTTP with its keys, as a real WooCommerce would be. The
demo must publish its Optima catalogue there, place its orders through the REST API, and the
rest of the run is the same as on the embedded shop.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from woocommerce import API

from linkoptima_gui import cli
from linkoptima_gui.core.woo.client import ShopClient
from linkoptima_gui.core.woo.settings import ShopSettings
from linkoptima_gui.demo.catalogue import CATALOGUE
from linkoptima_gui.demo.rest_customers import DEMO_META_KEY, RestCustomers
from linkoptima_gui.demo.shop import ShopEmulator

ORDERS = 20


@pytest.fixture
def blank_shop(tmp_path: Path) -> Iterator[ShopEmulator]:
    """A shop with no products yet (what a shop owner trying the demo would bring)."""
    emulator = ShopEmulator(tmp_path / "real-shop", catalogue=False)
    emulator.start()
    yield emulator
    emulator.stop()


def run_demo(world: Path, shop: ShopEmulator, orders: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "linkoptima_gui.cli", "demo-run", "--world", str(world), "--orders", str(orders),
         "--ksef-delay", "0.5", "--shop-url", shop.url, "--shop-key", shop.consumer_key],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "LINKOPTIMA_SHOP_SECRET": shop.consumer_secret},
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def all_of(api: API, endpoint: str) -> list[dict]:
    items, page = [], 1
    while True:
        answer = api.get(endpoint, params={"per_page": 100, "page": page, "orderby": "id", "order": "asc"})
        items += answer.json()
        if page >= int(answer.headers["X-WP-TotalPages"]):
            return items
        page += 1


def test_the_demo_publishes_its_catalogue_and_orders_through_rest(tmp_path: Path, blank_shop: ShopEmulator) -> None:
    world = tmp_path / "world"
    counts = run_demo(world, blank_shop, ORDERS)

    assert not (world / "shop").exists()  # no embedded shop was started
    api = API(url=blank_shop.url, consumer_key=blank_shop.consumer_key,
              consumer_secret=blank_shop.consumer_secret, timeout=20)
    products = {p["sku"]: p for p in all_of(api, "products")}
    assert {item.code for item in CATALOGUE} <= set(products)  # the whole catalogue was published
    first = CATALOGUE[0]
    assert (products[first.code]["name"], products[first.code]["regular_price"]) == (first.name, f"{first.price_gross:.2f}")
    orders = all_of(api, "orders")
    assert len(orders) == ORDERS
    assert all(o["created_via"] == "rest-api" for o in orders)
    assert all(any(m["key"] == DEMO_META_KEY for m in o["meta_data"]) for o in orders)

    assert counts["orders"] == ORDERS and counts["duplicates"] == 0
    assert counts["packed"] + counts["awaiting_payment"] + counts["exceptions"] == ORDERS
    assert counts["packed"] >= ORDERS // 2
    assert counts["fa"] == counts["wz"] == counts["emails"] >= counts["packed"]
    assert counts["stock_corrected"] == 0  # the shop's own stock keeping and Optima agree
    assert sum(1 for o in orders if o["status"] == "completed") == counts["packed"]

    again = run_demo(world, blank_shop, ORDERS + 5)  # a rerun continues the same world
    assert again["orders"] == ORDERS + 5 and again["duplicates"] == 0
    assert len({p["sku"] for p in all_of(api, "products")}) == len(all_of(api, "products"))  # no second product


def test_an_order_sent_before_a_crash_is_not_placed_again(tmp_path: Path, blank_shop: ShopEmulator) -> None:
    """The ledger notes a buyer before ``POST orders``; a crash after the shop took the order
    leaves that note, and the next start finds the order by its mark instead of placing it again."""
    settings = ShopSettings(url=blank_shop.url, consumer_key=blank_shop.consumer_key,
                            consumer_secret=blank_shop.consumer_secret)
    for item in CATALOGUE:
        blank_shop.store.create_product({"name": item.name, "sku": item.code, "regular_price": str(item.price_gross),
                                         "manage_stock": True, "stock_quantity": 1000})
    ledger = tmp_path / "buyers.sqlite"
    buyers = RestCustomers(ShopClient(settings), ledger, seed=3)
    placed = [buyers.place_order() for _ in range(3)]
    buyers.close()
    with sqlite3.connect(ledger) as db:  # as if killed after the shop answered
        k = db.execute("SELECT MAX(k) FROM customer_orders").fetchone()[0]
        db.execute("DELETE FROM customer_orders WHERE k = ?", (k,))
        db.execute("INSERT INTO placing VALUES (?)", (k,))

    restarted = RestCustomers(ShopClient(settings), ledger, seed=3)
    assert restarted.orders_placed() == 2
    assert restarted.place_order() == placed[-1]  # found, not placed again
    assert restarted.orders_placed() == 3
    fourth = restarted.place_order()
    restarted.close()
    assert fourth not in placed
    api = API(url=blank_shop.url, consumer_key=blank_shop.consumer_key,
              consumer_secret=blank_shop.consumer_secret, timeout=20)
    assert len(all_of(api, "orders")) == 4


@pytest.mark.parametrize("before", [True, False])
def test_the_shop_options_count_before_or_after_the_subcommand(before: bool, tmp_path: Path) -> None:
    shop = ["--shop-url", "https://sklep.pl", "--shop-key", "ck_1", "--shop-secret", "cs_1", "--seed", "4"]
    run = ["demo-run", "--world", str(tmp_path), "--orders", "1"]
    args = cli._parser().parse_args(shop + run if before else run + shop)
    assert cli._real_shop(args) == ShopSettings(url="https://sklep.pl", consumer_key="ck_1", consumer_secret="cs_1")
    assert args.seed == 4
    assert cli._real_shop(cli._parser().parse_args(run)) is None  # the emulator
