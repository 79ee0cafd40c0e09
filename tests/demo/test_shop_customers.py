"""The simulated buyers: deterministic per seed and restart-proof, with the configured mix."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from woocommerce import API

from linkoptima_gui.core.domain.nip import is_valid_nip
from linkoptima_gui.demo.catalogue import CATALOGUE
from linkoptima_gui.demo.shop import ListQuery, ShopCustomers, ShopEmulator, ShopStore, make_nip

ONLINE = {"payustandard", "przelewy24", "ppcp-gateway"}
PRICES = {item.code: item.price_gross for item in CATALOGUE}


def all_orders(store: ShopStore) -> list[dict[str, Any]]:
    orders, _ = store.query_orders(ListQuery(per_page=10_000, orderby="id", descending=False))
    return orders


def comparable(order: dict[str, Any]) -> dict[str, Any]:
    """An order without what depends on the wall clock or the port."""
    return {
        k: v for k, v in order.items() if not k.startswith("date_") and k not in ("_links", "payment_url")
    }


def test_nip_generator() -> None:
    rng = random.Random(5)
    assert all(is_valid_nip(make_nip(rng)) for _ in range(500))
    assert not any(is_valid_nip(make_nip(rng, valid=False)) for _ in range(500))


def test_same_seed_same_orders_even_across_a_restart(tmp_path: Path) -> None:
    straight = ShopStore(tmp_path / "a")
    buyers = ShopCustomers(straight, seed=7)
    expected_ids = [buyers.place_order() for _ in range(40)]

    restarted = ShopStore(tmp_path / "b")
    first_ids = [ShopCustomers(restarted, seed=7).place_order() for _ in range(15)]
    restarted.close()
    restarted = ShopStore(tmp_path / "b")
    later = ShopCustomers(restarted, seed=999)  # the seed stored on first use wins
    assert (later.seed, later.orders_placed()) == (7, 15)
    ids = first_ids + [later.place_order() for _ in range(25)]

    assert ids == expected_ids
    assert [comparable(o) for o in all_orders(restarted)] == [comparable(o) for o in all_orders(straight)]
    other = ShopStore(tmp_path / "c")
    ShopCustomers(other, seed=8).place_order()
    assert comparable(all_orders(other)[0]) != comparable(all_orders(straight)[0])
    for store in (straight, restarted, other):
        store.close()


def test_two_hundred_orders_have_the_configured_mix(tmp_path: Path) -> None:
    shop = ShopEmulator(tmp_path / "shop")
    shop.start()
    try:
        buyers = ShopCustomers(shop.store, seed=1)
        for _ in range(200):
            buyers.place_order()
        api = API(
            url=shop.url, consumer_key=shop.consumer_key, consumer_secret=shop.consumer_secret, timeout=10
        )
        orders = []
        for page in (1, 2):
            response = api.get(
                "orders", params={"per_page": 100, "page": page, "orderby": "id", "order": "asc"}
            )
            assert response.headers["X-WP-Total"] == "200"
            orders += response.json()
    finally:
        shop.stop()

    methods = Counter("online" if o["payment_method"] in ONLINE else o["payment_method"] for o in orders)
    assert 0.6 <= methods["online"] / 200 <= 0.8 and 0.08 <= methods["cod"] / 200 <= 0.22
    assert 0.08 <= methods["bacs"] / 200 <= 0.22
    meta = [{m["key"]: m["value"] for m in o["meta_data"]} for o in orders]
    companies = [(o, m) for o, m in zip(orders, meta, strict=True) if "_billing_nip" in m]
    assert 0.17 <= len(companies) / 200 <= 0.33
    assert all(o["billing"]["company"] and m["_billing_invoice_ask"] == "1" for o, m in companies)
    bad_nips = [m["_billing_nip"] for _, m in companies if not is_valid_nip(m["_billing_nip"])]
    unknown = [o for o in orders if any(line["sku"].startswith("NIEZNANY-") for line in o["line_items"])]
    assert 1 <= len(bad_nips) + len(unknown) <= 15
    assert all(line["product_id"] for o in unknown for line in o["line_items"])  # the shop knows them
    lockers = [o for o, m in zip(orders, meta, strict=True) if "_parcel_machine_id" in m]
    assert 0.5 <= len(lockers) / 200 <= 0.7
    assert all(o["shipping_lines"][0]["method_id"] == "easypack_parcel_machines" for o in lockers)

    for position, order in enumerate(orders):
        assert 1 <= len(order["line_items"]) <= 4
        assert all(1 <= line["quantity"] <= 3 for line in order["line_items"])
        if all(line["sku"] in PRICES for line in order["line_items"]):  # what the buyer pays, to the grosz
            gross = sum(PRICES[line["sku"]] * line["quantity"] for line in order["line_items"])
            charges = order["shipping_lines"] + order["fee_lines"]
            assert Decimal(order["total"]) == gross + sum(
                Decimal(c["total"]) + Decimal(c["total_tax"]) for c in charges
            )
        method = order["payment_method"]
        if method in ONLINE:
            assert order["status"] == "processing" and order["transaction_id"] and order["date_paid_gmt"]
        elif method == "cod":
            assert order["status"] == "processing" and order["date_paid_gmt"] and not order["transaction_id"]
            assert [(f["name"], f["total"], f["total_tax"]) for f in order["fee_lines"]] == [
                ("Opłata za pobranie", "5.00", "1.15")
            ]
        else:
            assert not order["transaction_id"] and order["payment_method_title"] == "Przelew bankowy"
            paid = order["status"] == "processing"
            assert paid == bool(order["date_paid_gmt"]) and (paid or order["status"] == "on-hold")
            assert not paid or position <= 196  # paid only after three more orders came in

    transfers = [o for o in orders[:197] if o["payment_method"] == "bacs"]
    paid_share = sum(o["status"] == "processing" for o in transfers) / len(transfers)
    assert 0.4 <= paid_share <= 0.9
