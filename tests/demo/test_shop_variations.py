"""Variable products and their variations, through the real client over HTTP: the routes, the
batch rules, stock "managed by the parent", and orders and checkout taking a variation's stock."""

from __future__ import annotations

from typing import Any

from woocommerce import API

from linkoptima_gui.demo.catalogue import VARIABLE_PRODUCTS
from linkoptima_gui.demo.shop import ShopEmulator
from tests.demo.test_shop_samples import sample


def koszulka(api: API, *, parent_stock: int | None = None) -> int:
    """A variable T-shirt in sizes; with ``parent_stock`` the parent keeps the stock."""
    payload: dict[str, Any] = {
        "name": "Koszulka",
        "type": "variable",
        "attributes": [{"name": "Rozmiar", "variation": True, "options": ["S", "M", "L"]}],
    }
    if parent_stock is not None:
        payload.update(sku="KOSZ-RODZIC", manage_stock=True, stock_quantity=parent_stock)
    answer = api.post("products", payload)
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def add_variation(api: API, parent: int, size: str, **fields: Any) -> dict[str, Any]:
    body = {"regular_price": "59.00", "attributes": [{"name": "Rozmiar", "option": size}], **fields}
    answer = api.post(f"products/{parent}/variations", body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def order(api: API, line: dict[str, Any], status: str = "processing") -> dict[str, Any]:
    answer = api.post("orders", {"status": status, "line_items": [line]})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_variation_answers_like_the_recorded_shop(api: API) -> None:
    parent = koszulka(api)
    created = add_variation(api, parent, "M", sku="KOSZ-M", manage_stock=True, stock_quantity=3)

    assert set(created) == set(sample("variation-create.json"))
    assert (created["sku"], created["name"], created["parent_id"], created["tax_class"]) == (
        "KOSZ-M", "M", parent, "parent")
    assert (created["manage_stock"], created["stock_quantity"], created["stock_status"]) == (True, 3, "instock")
    assert created["attributes"] == [{"id": 0, "name": "Rozmiar", "slug": "rozmiar", "option": "M"}]
    assert created["permalink"].endswith("/product/koszulka/?attribute_rozmiar=M")
    product = api.get(f"products/{parent}").json()
    assert (product["variations"], product["price"]) == ([created["id"]], "59.00")
    assert api.get("products", params={"per_page": 100}).headers["X-WP-Total"] == "203"  # not listed as a product


def test_list_get_update_delete_with_the_shops_errors(api: API) -> None:
    parent = koszulka(api)
    ids = [add_variation(api, parent, size, sku=f"KOSZ-{size}")["id"] for size in ("S", "M", "L")]

    first = api.get(f"products/{parent}/variations", params={"per_page": 2, "orderby": "id", "order": "asc"})
    assert (first.headers["X-WP-Total"], first.headers["X-WP-TotalPages"]) == ("3", "2")
    assert [v["id"] for v in first.json()] == ids[:2] and 'rel="next"' in first.headers["Link"]
    assert api.get(f"products/{parent}/variations/{ids[1]}").json()["sku"] == "KOSZ-M"

    changed = api.put(f"products/{parent}/variations/{ids[1]}", {"regular_price": "61", "sku": "KOSZ-MM"})
    assert (changed.json()["regular_price"], changed.json()["sku"]) == ("61.00", "KOSZ-MM")
    other = koszulka(api)
    assert api.get(f"products/{other}/variations/{ids[1]}").json()["code"] == (
        "woocommerce_rest_product_variation_invalid_id")  # another parent's variation
    missing = api.put(f"products/{parent}/variations/999999", {"regular_price": "1"})
    assert (missing.status_code, missing.json()["code"]) == (400, "woocommerce_rest_product_variation_invalid_id")
    assert api.get(f"products/{parent}/variations/999999").status_code == 404
    duplicate = api.post(f"products/{parent}/variations", {"sku": "KUB-001"})  # a simple product's SKU
    assert (duplicate.status_code, duplicate.json()["code"]) == (400, "product_invalid_sku")
    assert api.post("products", {"name": "x", "sku": "KOSZ-S"}).json()["code"] == "product_invalid_sku"

    assert api.delete(f"products/{parent}/variations/{ids[0]}", params={"force": True}).status_code == 200
    assert api.get(f"products/{parent}").json()["variations"] == ids[1:]
    api.delete(f"products/{parent}", params={"force": True})
    assert api.get(f"products/{parent}/variations/{ids[1]}").status_code == 404


def test_batch_reports_items_and_refuses_more_than_100(api: API) -> None:
    parent = koszulka(api)
    variation = add_variation(api, parent, "S", sku="KOSZ-S", manage_stock=True, stock_quantity=4)

    answer = api.post(f"products/{parent}/variations/batch", {
        "create": [{"sku": "KOSZ-L", "regular_price": "59", "attributes": [{"name": "Rozmiar", "option": "L"}]}],
        "update": [{"id": variation["id"], "inventory_delta": -3}, {"id": 424242, "stock_quantity": 1}],
    })

    assert answer.status_code == 200
    body = answer.json()
    assert body["create"][0]["sku"] == "KOSZ-L"
    assert body["update"][0]["stock_quantity"] == 1
    assert body["update"][1] == {"id": 424242, "error": {
        "code": "woocommerce_rest_product_variation_invalid_id", "message": "Invalid ID.", "data": {"status": 400}}}
    too_many = api.post(f"products/{parent}/variations/batch", {"update": [{"id": variation["id"]}] * 101})
    assert (too_many.status_code, too_many.json()["code"]) == (413, "woocommerce_rest_request_entity_too_large")


def test_stock_managed_by_the_parent(api: API) -> None:
    parent = koszulka(api, parent_stock=10)
    variation = add_variation(api, parent, "M", manage_stock="parent")
    path = f"products/{parent}/variations/{variation['id']}"

    assert (variation["manage_stock"], variation["stock_quantity"], variation["sku"]) == ("parent", 10, "KOSZ-RODZIC")
    # a quantity written to the variation is kept out of sight: the parent's stock is what counts
    assert api.put(path, {"inventory_delta": -4}).json()["stock_quantity"] == 10
    api.put(f"products/{parent}", {"inventory_delta": -4})
    assert api.get(path).json()["stock_quantity"] == 6

    sold = order(api, {"product_id": parent, "variation_id": variation["id"], "quantity": 2})

    line = sold["line_items"][0]
    assert (line["name"], line["sku"], line["product_id"], line["variation_id"]) == (
        "Koszulka - M", "KOSZ-RODZIC", parent, variation["id"])
    assert api.get(f"products/{parent}").json()["stock_quantity"] == 4
    assert api.get(path).json()["stock_quantity"] == 4


def test_an_order_takes_the_variations_own_stock_and_gives_it_back(api: API) -> None:
    parent = koszulka(api)
    variation = add_variation(api, parent, "L", sku="KOSZ-L", manage_stock=True, stock_quantity=5)
    path = f"products/{parent}/variations/{variation['id']}"

    sold = order(api, {"sku": "KOSZ-L", "quantity": 7})  # the REST API does not refuse oversell

    line = sold["line_items"][0]
    assert (line["variation_id"], line["parent_name"], line["tax_class"]) == (variation["id"], "Koszulka", "")
    assert [(m["key"], m["value"], m["display_key"]) for m in line["meta_data"]] == [
        ("rozmiar", "L", "Rozmiar"), ("_reduced_stock", "7", "_reduced_stock")]
    assert (api.get(path).json()["stock_quantity"], api.get(path).json()["stock_status"]) == (-2, "outofstock")
    assert api.get(f"products/{parent}").json()["stock_status"] == "outofstock"  # follows its only child
    api.put(f"orders/{sold['id']}", {"status": "cancelled"})
    assert api.get(path).json()["stock_quantity"] == 5


def test_checkout_sells_only_what_the_variation_or_its_parent_has(shop: ShopEmulator, api: API) -> None:
    own = koszulka(api)
    add_variation(api, own, "S", sku="KOSZ-S", manage_stock=True, stock_quantity=2)
    shared = koszulka(api, parent_stock=3)
    add_variation(api, shared, "M", sku="KOSZ-WSP-M")
    add_variation(api, shared, "L", sku="KOSZ-WSP-L")

    placed = shop.store.checkout({"status": "processing", "line_items": [
        {"sku": "KOSZ-S", "quantity": 5}, {"sku": "KOSZ-WSP-M", "quantity": 2}, {"sku": "KOSZ-WSP-L", "quantity": 2}]})

    assert placed is not None
    assert [(li["sku"], li["quantity"]) for li in placed["line_items"]] == [
        ("KOSZ-S", 2), ("KOSZ-WSP-M", 2), ("KOSZ-WSP-L", 1)]  # M and L share the parent's 3
    assert api.get(f"products/{shared}").json()["stock_quantity"] == 0
    assert shop.store.checkout({"line_items": [{"sku": "KOSZ-S", "quantity": 1}]}) is None


def test_the_demo_shop_has_its_variable_products(api: API) -> None:
    bluza, skarpetki = VARIABLE_PRODUCTS
    listed = api.get("products", params={"search": bluza.name}).json()
    assert [p["type"] for p in listed] == ["variable"]
    variations = api.get(f"products/{listed[0]['id']}/variations", params={"orderby": "id", "order": "asc"}).json()
    assert [(v["sku"], v["stock_quantity"]) for v in variations] == [(i.code, i.stock) for i in bluza.items]

    parent = api.get("products", params={"sku": skarpetki.items[0].code}).json()[0]
    shared = api.get(f"products/{parent['id']}/variations").json()
    assert {(v["manage_stock"], v["sku"], v["stock_quantity"]) for v in shared} == {
        ("parent", skarpetki.items[0].code, skarpetki.items[0].stock)}


def test_products_by_sku_finds_variations_too(api: API) -> None:
    """``GET products?sku=`` searches products and variations alike, as the real shop's query
    does (its post types become product and product_variation when a SKU is asked for)."""
    parent = koszulka(api)
    variation = add_variation(api, parent, "L", sku="KOSZ-L")
    found = api.get("products", params={"sku": "KOSZ-L,KUB-001", "per_page": 10})
    assert found.headers["X-WP-Total"] == "2"
    by_sku = {doc["sku"]: doc for doc in found.json()}
    assert (by_sku["KOSZ-L"]["id"], by_sku["KOSZ-L"]["type"], by_sku["KOSZ-L"]["parent_id"]) == (
        variation["id"], "variation", parent)
    assert by_sku["KUB-001"]["type"] == "simple"
    assert api.get("products", params={"per_page": 100}).headers["X-WP-Total"] == "203"  # unfiltered: products only
