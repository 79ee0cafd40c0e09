"""What the console relies on in a WooCommerce shop (woocommerce.md §1 and §8), checked on the
shop the ``target`` fixture names: the emulator by default, any shop by its URL and keys."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests
from woocommerce import API
from woocommerce.oauth import OAuth

from .conftest import ShopTarget

Maker = Callable[..., dict[str, Any]]


def signed_url(target: ShopTarget, endpoint: str, timestamp: int | None = None) -> str:
    """A URL signed by the client's own OAuth class, so that it can be sent twice."""
    oauth = OAuth(url=f"{target.url}/wp-json/wc/v3/{endpoint}", consumer_key=target.key,
                  consumer_secret=target.secret, version="wc/v3", method="GET",
                  oauth_timestamp=timestamp or int(time.time()))
    return oauth.get_oauth_url()


def oauth_only(target: ShopTarget) -> None:
    if not target.over_http:
        pytest.skip("OAuth 1.0a is what a shop over plain http checks; this shop is https (Basic auth)")


# --- authentication ----------------------------------------------------------------------------


def test_a_wrong_secret_is_a_401_with_the_shops_error_body(target: ShopTarget) -> None:
    answer = target.api(secret="cs_" + "0" * 40).get("orders")
    assert answer.status_code == 401
    body = answer.json()
    assert set(body) == {"code", "message", "data"} and body["data"]["status"] == 401


def test_a_nonce_is_accepted_once(target: ShopTarget) -> None:
    oauth_only(target)
    url = signed_url(target, "orders")
    assert requests.get(url, timeout=60).status_code == 200
    replay = requests.get(url, timeout=60)
    assert replay.status_code == 401
    assert replay.json()["code"] == "woocommerce_rest_authentication_error"
    assert replay.json()["message"] == "Invalid nonce - nonce has already been used."


def test_a_signature_older_than_15_minutes_is_refused(target: ShopTarget) -> None:
    oauth_only(target)
    assert requests.get(signed_url(target, "orders", int(time.time()) - 14 * 60), timeout=60).status_code == 200
    stale = requests.get(signed_url(target, "orders", int(time.time()) - 16 * 60), timeout=60)
    assert (stale.status_code, stale.json()["message"]) == (401, "Invalid timestamp.")


# --- errors and products -----------------------------------------------------------------------


def test_unknown_product_id_is_404_to_read_and_400_to_change(api: API) -> None:
    read, change = api.get("products/999999999"), api.put("products/999999999", {"stock_quantity": 1})
    assert (read.status_code, read.json()["code"]) == (404, "woocommerce_rest_product_invalid_id")
    assert (change.status_code, change.json()["code"]) == (400, "woocommerce_rest_product_invalid_id")


def test_a_sku_is_taken_once_and_stock_is_an_integer(api: API, make_product: Maker, prefix: str) -> None:
    product = make_product("A", manage_stock=True, stock_quantity=3)
    again = api.post("products", {"name": "drugi", "sku": prefix + "A"})
    assert (again.status_code, again.json()["code"]) == (400, "product_invalid_sku")
    assert api.put(f"products/{product['id']}", {"stock_quantity": "5"}).json()["stock_quantity"] == 5
    assert api.put(f"products/{product['id']}", {"stock_quantity": 5.5}).status_code == 400


def test_products_by_sku_finds_variations_and_pages_with_headers(api: API, make_product: Maker, prefix: str) -> None:
    simple = [make_product(name) for name in ("S1", "S2")]
    parent = make_product("V", type="variable",
                          attributes=[{"name": "Rozmiar", "variation": True, "options": ["S", "M"]}])
    answer = api.post(f"products/{parent['id']}/variations",
                      {"sku": prefix + "V-M", "regular_price": "12.00", "attributes": [{"name": "Rozmiar", "option": "M"}]})
    assert answer.status_code == 201, answer.text
    skus = ",".join(prefix + s for s in ("S1", "S2", "V-M"))

    first = api.get("products", params={"sku": skus, "per_page": 2, "page": 1, "orderby": "id", "order": "asc"})
    assert (first.headers["X-WP-Total"], first.headers["X-WP-TotalPages"]) == ("3", "2")
    second = api.get("products", params={"sku": skus, "per_page": 2, "page": 2, "orderby": "id", "order": "asc"})
    past = api.get("products", params={"sku": skus, "per_page": 2, "page": 3, "orderby": "id", "order": "asc"})
    assert (past.status_code, past.json()) == (200, [])
    found = {doc["sku"]: doc for doc in first.json() + second.json()}
    assert {found[prefix + s]["id"] for s in ("S1", "S2")} == {p["id"] for p in simple}
    variation = found[prefix + "V-M"]
    assert (variation["id"], variation["type"], variation["parent_id"]) == (answer.json()["id"], "variation", parent["id"])


def test_batches_take_100_items_and_report_refusals_inside_a_200(api: API, make_product: Maker) -> None:
    product = make_product("B", manage_stock=True, stock_quantity=10)
    too_many = api.post("products/batch", {"update": [{"id": product["id"], "stock_quantity": 1}] * 101})
    assert too_many.status_code == 413
    answer = api.post("products/batch", {"update": [{"id": product["id"], "inventory_delta": -3},
                                                    {"id": 999999999, "stock_quantity": 1}]})
    assert answer.status_code == 200
    updated, refused = answer.json()["update"]
    assert updated["stock_quantity"] == 7  # inventory_delta is relative to the current stock
    assert refused["error"]["code"] == "woocommerce_rest_product_invalid_id"


# --- orders and stock --------------------------------------------------------------------------


def stock_of(api: API, product_id: int) -> tuple[int, str]:
    doc = api.get(f"products/{product_id}").json()
    return doc["stock_quantity"], doc["stock_status"]


def test_a_paid_order_takes_stock_even_below_zero_and_a_pending_one_does_not(
        api: API, make_product: Maker, make_order: Maker) -> None:
    product = make_product("C", manage_stock=True, stock_quantity=2)
    pending = make_order(line_items=[{"product_id": product["id"], "quantity": 1}])
    assert pending["status"] == "pending" and stock_of(api, product["id"]) == (2, "instock")
    make_order(set_paid=True, payment_method="przelewy24", line_items=[{"product_id": product["id"], "quantity": 5}])
    assert stock_of(api, product["id"]) == (-3, "outofstock")  # the REST API does not refuse an oversell
    paid_later = api.put(f"orders/{pending['id']}", {"set_paid": True}).json()
    assert paid_later["status"] == "processing" and paid_later["date_paid_gmt"]
    assert stock_of(api, product["id"]) == (-4, "outofstock")


def test_modified_after_is_strictly_after_in_utc_whole_seconds(api: API, make_product: Maker, make_order: Maker) -> None:
    product = make_product("D")
    order = make_order(line_items=[{"product_id": product["id"], "quantity": 1}])
    modified = datetime.fromisoformat(order["date_modified_gmt"])

    def listed(after: datetime) -> bool:
        answer = api.get("orders", params={"include": order["id"], "dates_are_gmt": "true",
                                           "modified_after": after.strftime("%Y-%m-%dT%H:%M:%S")})
        assert answer.status_code == 200, answer.text
        return [o["id"] for o in answer.json()] == [order["id"]]

    assert listed(modified - timedelta(seconds=1))
    assert not listed(modified)  # strictly after
    date_only = api.get("orders", params={"modified_after": modified.strftime("%Y-%m-%d")})
    assert date_only.status_code == 400


def test_notes_and_status_write_back(api: API, make_product: Maker, make_order: Maker) -> None:
    product = make_product("E")
    order = make_order(status="processing", line_items=[{"product_id": product["id"], "quantity": 1}])
    note = api.post(f"orders/{order['id']}/notes", {"note": "Faktura FA/1/2026", "customer_note": False})
    assert note.status_code == 201 and note.json()["customer_note"] is False
    done = api.put(f"orders/{order['id']}", {"status": "completed",
                                            "meta_data": [{"key": "_tracking_number", "value": "620000000000000000000001"}]})
    assert done.json()["status"] == "completed"
    assert any(m["key"] == "_tracking_number" and m["value"] == "620000000000000000000001"
               for m in done.json()["meta_data"])
    assert any(n["note"] == "Faktura FA/1/2026" for n in api.get(f"orders/{order['id']}/notes").json())
