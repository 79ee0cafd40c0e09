"""OAuth 1.0a as the real shop checks it, exercised with the real ``woocommerce`` client (the nonce
and timestamp rules are contract tests: ``tests/contract``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlencode

import requests
from woocommerce import API

from linkoptima_gui.demo.shop import ShopEmulator
from tests.demo.test_shop_samples import sample


def test_signed_requests_pass(api: API) -> None:
    response = api.get("orders")
    assert response.status_code == 200
    assert response.json() == []


def test_parameters_with_spaces_colons_and_polish_letters_are_signed_alike(api: API) -> None:
    response = api.get(
        "products",
        params={
            "search": "Kubek ceramiczny Żółw",
            "per_page": 5,
            "modified_after": "2000-01-01T00:00:00",
            "dates_are_gmt": True,
        },
    )
    assert response.status_code == 200, response.text
    assert [p["sku"] for p in response.json()] == ["KUB-001"]


def test_bad_secret_is_the_shops_401(shop: ShopEmulator) -> None:
    bad = API(url=shop.url, consumer_key=shop.consumer_key, consumer_secret="cs_" + "0" * 40)
    response = bad.get("orders")
    assert response.status_code == 401
    assert response.json() == sample("error-auth-bad-secret.json")


def test_other_host_name_breaks_the_signature(shop: ShopEmulator) -> None:
    other = API(
        url=shop.url.replace("127.0.0.1", "localhost"),
        consumer_key=shop.consumer_key,
        consumer_secret=shop.consumer_secret,
    )
    response = other.get("orders")
    assert response.status_code == 401
    assert response.json()["message"] == "Invalid signature - provided signature does not match."


def test_unknown_consumer_key(shop: ShopEmulator) -> None:
    response = API(url=shop.url, consumer_key="ck_nope", consumer_secret=shop.consumer_secret).get("orders")
    assert (response.status_code, response.json()["message"]) == (401, "Consumer key is invalid.")


def sha1_oauth(shop: ShopEmulator, base_uri: str, nonce: str) -> dict[str, str]:
    """OAuth parameters signed with HMAC-SHA1 (the client only does SHA-256), per RFC 5849."""
    params = {
        "oauth_consumer_key": shop.consumer_key,
        "oauth_nonce": nonce,
        "per_page": "5",
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": str(int(time.time())),
    }
    enc = lambda s: quote(s, safe="-._~")  # noqa: E731 - RFC 3986 encoding, written out for the test
    normalized = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    text = f"GET&{enc(base_uri)}&{enc(normalized)}"
    digest = hmac.new(f"{shop.consumer_secret}&".encode(), text.encode(), hashlib.sha1).digest()
    params["oauth_signature"] = base64.b64encode(digest).decode()
    return params


def test_hmac_sha1_in_the_query_or_the_authorization_header(shop: ShopEmulator) -> None:
    base_uri = f"{shop.url}/wp-json/wc/v3/orders"
    assert (
        requests.get(f"{base_uri}?{urlencode(sha1_oauth(shop, base_uri, 'n1'))}", timeout=10).status_code
        == 200
    )
    params = sha1_oauth(shop, base_uri, "n2")
    header = "OAuth " + ", ".join(f'{k}="{quote(v, safe="")}"' for k, v in params.items() if k != "per_page")
    response = requests.get(base_uri, params={"per_page": "5"}, headers={"Authorization": header}, timeout=10)
    assert response.status_code == 200


def test_basic_auth_and_query_keys_are_ignored_over_http(shop: ShopEmulator) -> None:
    endpoint = f"{shop.url}/wp-json/wc/v3/orders"
    basic = requests.get(endpoint, auth=(shop.consumer_key, shop.consumer_secret), timeout=10)
    query = requests.get(
        endpoint,
        params={"consumer_key": shop.consumer_key, "consumer_secret": shop.consumer_secret},
        timeout=10,
    )
    for response in (basic, query):
        assert response.status_code == 401
        assert response.json()["code"] == "woocommerce_rest_cannot_view"
    create = requests.post(endpoint, json={}, timeout=10)
    assert (create.status_code, create.json()["code"]) == (401, "woocommerce_rest_cannot_create")


def test_unknown_routes(api: API) -> None:
    for endpoint in ("nothing-here", "orders/statuses", "orders/abc"):
        response = api.get(endpoint)
        assert response.status_code == 404
        assert response.json() == {
            "code": "rest_no_route",
            "data": {"status": 404},
            "message": "No route was found matching the URL and request method.",
        }


def test_parallel_clients_do_not_corrupt_state(shop: ShopEmulator, api: API) -> None:
    product_id = api.get("products", params={"sku": "KUB-001"}).json()[0]["id"]
    stock_before = api.get(f"products/{product_id}").json()["stock_quantity"]

    def work(i: int) -> int:
        created = api.post(
            "orders", {"set_paid": True, "line_items": [{"product_id": product_id, "quantity": 1}]}
        )
        assert created.status_code == 201, created.text
        assert api.get("orders", params={"per_page": 5}).status_code == 200
        return created.json()["id"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(work, range(40)))
    assert len(set(ids)) == 40
    listing = api.get("orders", params={"per_page": 100})
    assert listing.headers["X-WP-Total"] == "40"
    assert api.get(f"products/{product_id}").json()["stock_quantity"] == stock_before - 40
