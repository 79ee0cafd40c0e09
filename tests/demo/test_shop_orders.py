"""Orders through the real client: the sample shop's arithmetic, transitions, notes, batches."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from woocommerce import API

from linkoptima_gui.demo.shop import ShopEmulator
from tests.demo.test_shop_samples import sample

T0 = datetime(2026, 11, 28, 4, 29, 47)


class Clock:
    """The shop's clock, moved by hand so date assertions need no sleeping."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: int = 1) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def shop(tmp_path: Path, clock: Clock) -> Iterator[ShopEmulator]:
    emulator = ShopEmulator(tmp_path / "shop", clock=clock)
    emulator.start()
    yield emulator
    emulator.stop()


@pytest.fixture
def sample_products(api: API) -> list[int]:
    """The sample shop's three products (the T-shirt is a simple product here, not a variation)."""
    ids = []
    for name, sku, price, tax_class in (
        ("Kubek ceramiczny Żółw", "T-KUB-001", "39.90", ""),
        ("Książka: Pan Tadeusz", "T-KS-002", "29.00", "reduced-rate"),
        ("Koszulka - M", "T-KOSZ-M", "59.00", ""),
    ):
        created = api.post(
            "products",
            {
                "name": name,
                "sku": sku,
                "regular_price": price,
                "tax_class": tax_class,
                "manage_stock": True,
                "stock_quantity": 12,
            },
        )
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    return ids


def sample_request(product_ids: list[int], **changes: Any) -> dict[str, Any]:
    """The request behind woo-samples/order-create-paid-payu.json."""
    body = sample("order-create-paid-payu.json")
    request = {
        "set_paid": True,
        "payment_method": "payustandard",
        "payment_method_title": "PayU",
        "transaction_id": "PAYU-7H3K9",
        "billing": body["billing"],
        "shipping": body["shipping"],
        "meta_data": [{"key": m["key"], "value": m["value"]} for m in body["meta_data"]],
        "line_items": [
            {"product_id": pid, "quantity": qty} for pid, qty in zip(product_ids, (2, 1, 1), strict=True)
        ],
        "shipping_lines": [
            {
                "method_id": "easypack_parcel_machines",
                "method_title": "InPost Paczkomat 24/7",
                "total": "13.00",
            }
        ],
        "fee_lines": [
            {"name": "Opłata manipulacyjna", "total": "5.00", "tax_class": "", "tax_status": "taxable"}
        ],
        "coupon_lines": [{"code": "rabat10"}],
    }
    request.update(changes)
    return request


MONEY = ("discount_total", "discount_tax", "shipping_total", "shipping_tax", "cart_tax", "total", "total_tax")
LINE = ("name", "quantity", "tax_class", "subtotal", "subtotal_tax", "total", "total_tax", "taxes", "price")


def without_ids(items: list[dict[str, Any]], *drop: str) -> list[dict[str, Any]]:
    return [{k: v for k, v in item.items() if k not in ("id", *drop)} for item in items]


def test_paid_order_matches_the_sample_shop(api: API, sample_products: list[int]) -> None:
    expected = sample("order-create-paid-payu.json")
    response = api.post("orders", sample_request(sample_products))
    assert response.status_code == 201, response.text
    order = response.json()
    assert set(order) == set(expected)
    assert {k: order[k] for k in MONEY} == {k: expected[k] for k in MONEY}
    for mine, theirs in zip(order["line_items"], expected["line_items"], strict=True):
        assert set(mine) == set(theirs)
        assert {k: mine[k] for k in LINE} == {k: theirs[k] for k in LINE}
        assert mine["sku"] == "T-" + theirs["sku"]
        reduced = [m for m in theirs["meta_data"] if m["key"] == "_reduced_stock"]
        assert without_ids(mine["meta_data"]) == without_ids(reduced)
    assert without_ids(order["tax_lines"]) == without_ids(expected["tax_lines"])
    assert without_ids(order["shipping_lines"], "instance_id") == without_ids(
        expected["shipping_lines"], "instance_id"
    )
    assert without_ids(order["fee_lines"]) == without_ids(expected["fee_lines"])
    assert without_ids(order["coupon_lines"], "meta_data") == without_ids(
        expected["coupon_lines"], "meta_data"
    )
    assert [(m["key"], m["value"]) for m in order["meta_data"]] == [
        (m["key"], m["value"]) for m in expected["meta_data"]
    ]
    assert (order["status"], order["number"], order["currency"]) == ("processing", str(order["id"]), "PLN")
    assert order["date_paid_gmt"] == order["date_created_gmt"] == "2026-11-28T04:29:47"
    assert order["date_paid"] == "2026-11-28T05:29:47"  # Warsaw, winter time
    assert api.get(f"products/{sample_products[0]}").json()["stock_quantity"] == 10


def test_cod_and_transfer_posted_with_a_status_get_no_date_paid(api: API, sample_products: list[int]) -> None:
    for name, changes in (
        (
            "order-create-cod.json",
            {"status": "processing", "payment_method": "cod", "payment_method_title": "Za pobraniem"},
        ),
        (
            "order-create-bacs.json",
            {
                "status": "on-hold",
                "payment_method": "bacs",
                "fee_lines": [],
                "payment_method_title": "Przelew bankowy",
            },
        ),
    ):
        expected = sample(name)
        request = sample_request(
            sample_products, set_paid=False, transaction_id="", coupon_lines=[], **changes
        )
        order = api.post("orders", request).json()
        assert {k: order[k] for k in MONEY} == {k: expected[k] for k in MONEY}
        for key in ("status", "date_paid", "date_paid_gmt", "transaction_id", "is_editable", "needs_payment"):
            assert order[key] == expected[key], key
        assert all(
            any(m["key"] == "_reduced_stock" for m in line["meta_data"]) for line in order["line_items"]
        )


def test_unknown_product_gives_an_empty_pending_line(api: API) -> None:
    expected = sample("order-create-unknown-product.json")
    response = api.post(
        "orders",
        {"billing": {"email": "x@example.pl"}, "line_items": [{"product_id": 999999, "quantity": 1}]},
    )
    assert response.status_code == 201
    order = response.json()
    volatile = (
        "id",
        "number",
        "date_created",
        "date_created_gmt",
        "date_modified",
        "date_modified_gmt",
        "order_key",
        "payment_url",
        "_links",
        "line_items",
        "tax_lines",
    )
    assert {k: v for k, v in order.items() if k not in volatile} == {
        k: v for k, v in expected.items() if k not in volatile
    }
    assert without_ids(order["line_items"]) == without_ids(expected["line_items"])
    assert without_ids(order["tax_lines"]) == without_ids(expected["tax_lines"])


def test_status_update_notes_and_meta(api: API, sample_products: list[int], clock: Clock) -> None:
    order = api.post("orders", sample_request(sample_products, set_paid=False, status="processing")).json()
    assert order["date_paid"] is None
    clock.tick(5)
    updated = api.put(
        f"orders/{order['id']}",
        {
            "status": "completed",
            "transaction_id": "PAYU-XYZ",
            "meta_data": [{"key": "_faktura", "value": "FA/1/2026"}],
        },
    ).json()
    assert updated["status"] == "completed"
    assert updated["date_completed_gmt"] == updated["date_modified_gmt"] == "2026-11-28T04:29:52"
    assert updated["date_paid_gmt"] == "2026-11-28T04:29:52"  # reaching completed counts as paid
    assert updated["date_created_gmt"] == "2026-11-28T04:29:47"
    assert updated["transaction_id"] == "PAYU-XYZ"
    first_meta = updated["meta_data"][-1]
    assert (first_meta["key"], first_meta["value"]) == ("_faktura", "FA/1/2026")
    again = api.put(
        f"orders/{order['id']}", {"meta_data": [{"key": "_faktura", "value": "FA/2/2026"}]}
    ).json()
    assert again["meta_data"][-1] == {**first_meta, "value": "FA/2/2026"}
    assert len(again["meta_data"]) == len(updated["meta_data"])

    note = api.post(f"orders/{order['id']}/notes", {"note": "Wystawiono FA/1/2026"})
    assert note.status_code == 201
    assert set(note.json()) == set(sample("order-note-create.json"))
    assert note.json()["author"] == "WooCommerce" and note.json()["customer_note"] is False
    notes = api.get(f"orders/{order['id']}/notes").json()
    assert [n["note"] for n in notes] == [
        "Wystawiono FA/1/2026",
        "Order status changed from Processing to Completed.",
        "Stock levels reduced: Kubek ceramiczny Żółw (T-KUB-001) 12&rarr;10, "
        "Książka: Pan Tadeusz (T-KS-002) 12&rarr;11, Koszulka - M (T-KOSZ-M) 12&rarr;11",
        "Order status changed from Pending payment to Processing.",
    ]
    assert notes[0]["date_created_gmt"] == "2026-11-28T04:29:52"
    assert api.post("orders/999999/notes", {"note": "x"}).status_code == 404
    assert api.put(f"orders/{order['id']}", {"status": "shipped"}).json()["code"] == "rest_invalid_param"


def test_set_paid_later_and_cancel_returns_stock(api: API, sample_products: list[int]) -> None:
    order = api.post("orders", sample_request(sample_products, set_paid=False, coupon_lines=[])).json()
    assert order["status"] == "pending"
    assert api.get(f"products/{sample_products[0]}").json()["stock_quantity"] == 12
    paid = api.put(f"orders/{order['id']}", {"set_paid": True, "transaction_id": "P24-1"}).json()
    assert (paid["status"], paid["transaction_id"]) == ("processing", "P24-1")
    assert paid["date_paid_gmt"] is not None
    assert api.get(f"products/{sample_products[0]}").json()["stock_quantity"] == 10
    cancelled = api.put(f"orders/{order['id']}", {"status": "cancelled"}).json()
    assert all(not line["meta_data"] for line in cancelled["line_items"])
    assert api.get(f"products/{sample_products[0]}").json()["stock_quantity"] == 12


def test_order_errors(api: API) -> None:
    assert api.get("orders/999999").json() == {
        "code": "woocommerce_rest_shop_order_invalid_id",
        "message": "Invalid ID.",
        "data": {"status": 404},
    }
    assert api.put("orders/999999", {"status": "completed"}).status_code == 400
    coupon = api.post("orders", {"coupon_lines": [{"code": "nope"}]})
    assert (coupon.status_code, coupon.json()["code"]) == (400, "woocommerce_rest_invalid_coupon")
    quantity = api.post("orders", {"line_items": [{"product_id": 1, "quantity": 0}]})
    assert quantity.json()["code"] == "woocommerce_rest_invalid_product_quantity"


def test_order_batch_limit_and_per_item_errors(api: API, sample_products: list[int]) -> None:
    too_many = api.post("orders/batch", {"create": [{}] * 60, "update": [{"id": 1}] * 41})
    assert too_many.status_code == 413
    assert too_many.json() == sample("error-batch-413.json")
    first = api.post("orders", sample_request(sample_products)).json()
    second = api.post("orders", sample_request(sample_products)).json()
    request = {
        "create": [copy.deepcopy(sample_request(sample_products))],
        "update": [{"id": first["id"], "status": "completed"}, {"id": 999999, "status": "completed"}],
        "delete": [second["id"]],
    }
    response = api.post("orders/batch", request, params={"force": "true"})
    assert response.status_code == 200
    body = response.json()
    assert body["create"][0]["total"] == first["total"]
    assert body["update"][0]["status"] == "completed"
    assert body["update"][1] == {
        "id": 999999,
        "error": {
            "code": "woocommerce_rest_shop_order_invalid_id",
            "message": "Invalid ID.",
            "data": {"status": 400},
        },
    }
    assert body["delete"][0]["id"] == second["id"]
    assert api.get(f"orders/{second['id']}").status_code == 404
