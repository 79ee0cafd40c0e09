"""Products: the seeded catalogue, the integer stock rule, errors and batches like the real shop."""

from __future__ import annotations

from woocommerce import API

from linkoptima_gui.demo.catalogue import CATALOGUE, VARIABLE_PRODUCTS
from tests.demo.test_shop_samples import sample


def product_id(api: API, sku: str) -> int:
    return api.get("products", params={"sku": sku}).json()[0]["id"]


def test_catalogue_is_seeded(api: API) -> None:
    first = api.get("products", params={"per_page": 100, "orderby": "id", "order": "asc"})
    assert first.headers["X-WP-Total"] == str(len(CATALOGUE) + len(VARIABLE_PRODUCTS))  # parents; no variations
    item = next(i for i in CATALOGUE if i.tax_class == "super-reduced-rate")
    product = api.get("products", params={"sku": item.code}).json()[0]
    assert (product["name"], product["regular_price"], product["price"]) == (
        item.name,
        f"{item.price_gross:.2f}",
        f"{item.price_gross:.2f}",
    )
    assert (product["tax_class"], product["manage_stock"], product["stock_quantity"]) == (
        item.tax_class,
        True,
        item.stock,
    )
    assert set(product) == set(sample("product-create.json"))


def test_stock_quantity_must_be_an_integer(api: API) -> None:
    pid = product_id(api, "KUB-001")
    assert api.put(f"products/{pid}", {"stock_quantity": "5"}).json()["stock_quantity"] == 5
    bad = api.put(f"products/{pid}", {"stock_quantity": 5.5})
    assert bad.status_code == 400
    assert bad.json()["code"] == "rest_invalid_param"
    assert bad.json()["data"]["params"] == {"stock_quantity": "stock_quantity is not of type integer."}
    negative = api.put(f"products/{pid}", {"stock_quantity": -3}).json()
    assert (negative["stock_quantity"], negative["stock_status"]) == (-3, "outofstock")
    back = api.put(f"products/{pid}", {"inventory_delta": 10}).json()
    assert (back["stock_quantity"], back["stock_status"]) == (7, "instock")
    price = api.put(f"products/{pid}", {"regular_price": 12.5})
    assert price.status_code == 400  # a price is a string in the schema


def test_product_errors_match_the_shop(api: API) -> None:
    assert api.get("products/999999").json() == sample("error-product-404.json")
    assert api.put("products/999999", {"stock_quantity": 1}).json() == sample("error-product-put-400.json")
    duplicate = api.post("products", {"name": "Kubek", "sku": "KUB-001", "regular_price": "10.00"})
    assert (duplicate.status_code, duplicate.json()["code"]) == (400, "product_invalid_sku")


def test_batch_per_item_errors_and_limit(api: API) -> None:
    pid = product_id(api, "KUB-002")
    response = api.post(
        "products/batch",
        {
            "update": [
                {"id": pid, "stock_quantity": 7},
                {"id": 999999, "stock_quantity": 1},
                {"sku": "KUB-003", "stock_quantity": 1},
            ]
        },
    )
    assert response.status_code == 200
    expected = sample("batch-mixed-errors.json")["update"]
    update = response.json()["update"]
    assert (update[0]["id"], update[0]["stock_quantity"], update[0]["stock_status"]) == (pid, 7, "instock")
    assert update[1:] == expected
    too_many = api.post("products/batch", {"update": [{"id": pid, "stock_quantity": 1}] * 101})
    assert (too_many.status_code, too_many.json()) == (413, sample("error-batch-413.json"))
    assert api.get(f"products/{pid}").json()["stock_quantity"] == 7


def test_batch_skips_the_schema_like_woocommerce(api: API) -> None:
    """Batch items are not schema-checked by WooCommerce: 5.5 is truncated by intval, not refused."""
    pid = product_id(api, "KUB-004")
    response = api.post(
        "products/batch",
        {
            "update": [{"id": pid, "stock_quantity": 5.5}],
            "create": [{"name": "Nowy", "sku": "NEW-1", "regular_price": 9.99}],
        },
    )
    body = response.json()
    assert body["update"][0]["stock_quantity"] == 5
    assert body["create"][0]["regular_price"] == "9.99"
    duplicate = api.post("products/batch", {"create": [{"name": "Nowy", "sku": "NEW-1"}]}).json()
    assert (
        duplicate["create"][0]["id"] == 0 and duplicate["create"][0]["error"]["code"] == "product_invalid_sku"
    )
