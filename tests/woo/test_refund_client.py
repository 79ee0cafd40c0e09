"""The client's refund calls over real HTTP: to the shop emulator, and to a scripted server for
what the emulator will not do (a 500 that is an outage, not a refusal). A refund is sent once;
the shop's refusals become Polish ``PermanentError``s; our key is found in a refund's meta."""

from __future__ import annotations

import random
from typing import Any

import pytest

from linkoptima_gui.core.errors import PermanentError, RetryableError
from linkoptima_gui.core.woo.client import ShopClient
from linkoptima_gui.core.woo.refunds import REFUND_KEY
from linkoptima_gui.core.woo.settings import ShopSettings
from linkoptima_gui.demo.shop import ShopEmulator

from .scripted_server import Answer, ScriptedServer
from .test_transport import Waits, emulator_client


def paid_order(shop: ShopEmulator, payment_method: str = "przelewy24") -> dict[str, Any]:
    product = shop.store.create_product({"name": "Zwrot", "sku": f"ZW-{payment_method}", "regular_price": "50.00",
                                         "manage_stock": True, "stock_quantity": 5})
    return shop.store.create_order({"set_paid": True, "payment_method": payment_method,
                                    "line_items": [{"product_id": product["id"], "quantity": 2}]})


def test_a_refund_is_created_read_listed_and_found_by_our_key(shop: ShopEmulator) -> None:
    client = emulator_client(shop)
    order = paid_order(shop)
    assert client.order_refunds(order["id"]) == [] and client.find_refund_with_key(order["id"], "zw-1") is None
    item = order["line_items"][0]
    made = client.create_refund(order["id"], {
        "amount": "50.00", "reason": "Zwrot 1 szt.", "api_refund": False,
        "line_items": [{"id": item["id"], "quantity": 1, "refund_total": "40.65"}],
        "meta_data": [{"key": REFUND_KEY, "value": "zw-1"}]})
    assert made["amount"] == "50.00" and made["line_items"][0]["quantity"] == -1
    client.create_refund(order["id"], {"amount": "1.00", "api_refund": False,
                                       "meta_data": [{"key": REFUND_KEY, "value": "zw-2"}]})
    assert client.get_refund(order["id"], made["id"])["reason"] == "Zwrot 1 szt."
    assert [r["id"] for r in client.order_refunds(order["id"])][0] == made["id"]  # oldest first (by id)
    found = client.find_refund_with_key(order["id"], "zw-1")
    assert found is not None and found["id"] == made["id"]
    assert client.find_refund_with_key(order["id"], "zw-3") is None


def test_every_refund_of_an_order_is_read_across_pages(shop: ShopEmulator) -> None:
    order = paid_order(shop)
    for n in range(105):
        shop.store.create_refund(order["id"], {"amount": "0.01", "api_refund": False,
                                               "meta_data": [{"key": REFUND_KEY, "value": f"k{n}"}]})
    client = emulator_client(shop)
    assert len(client.order_refunds(order["id"])) == 105
    last = client.find_refund_with_key(order["id"], "k104")
    assert last is not None and last["meta_data"][0]["value"] == "k104"


def test_a_gateway_that_cannot_refund_is_a_permanent_error_naming_api_refund(shop: ShopEmulator) -> None:
    client = emulator_client(shop)
    order = paid_order(shop, payment_method="cod")
    with pytest.raises(PermanentError) as caught:
        client.create_refund(order["id"], {"amount": "10.00", "api_refund": True})
    assert caught.value.code == "shop_refund_gateway" and "api_refund" in caught.value.reason
    assert client.order_refunds(order["id"]) == []


def test_the_gateways_that_cannot_refund_are_a_setting_of_the_emulator(shop: ShopEmulator) -> None:
    client = emulator_client(shop)
    order = paid_order(shop, payment_method="cod")
    shop.store.set_gateways_without_refunds({"bacs"})
    assert client.create_refund(order["id"], {"amount": "10.00"})["refunded_payment"] is True
    shop.store.set_gateways_without_refunds({"cod", "przelewy24"})
    with pytest.raises(PermanentError):
        client.create_refund(paid_order(shop)["id"], {"amount": "10.00"})


def test_more_than_is_left_is_a_permanent_error(shop: ShopEmulator) -> None:
    client = emulator_client(shop)
    order = paid_order(shop)
    with pytest.raises(PermanentError) as caught:
        client.create_refund(order["id"], {"amount": "100.01", "api_refund": False})
    assert caught.value.code == "shop_refund_amount" and caught.value.details["status"] == 500
    unknown = {"amount": "1.00", "api_refund": False}
    with pytest.raises(PermanentError) as missing:
        client.create_refund(999999, unknown)
    assert missing.value.details["shop_code"] == "woocommerce_rest_invalid_order_id"


def test_a_refund_is_sent_once_even_when_the_shop_answers_503() -> None:
    with ScriptedServer(lambda _: Answer(503, {"code": "busy", "message": "busy"})) as server:
        waits = Waits()
        client = ShopClient(ShopSettings(url=server.url, consumer_key="ck_test", consumer_secret="cs_test",
                                         timeout=5), sleep=waits, rng=random.Random(7))
        with pytest.raises(RetryableError):
            client.create_refund(7, {"amount": "1.00"})
        assert [s.method for s in server.seen] == ["POST"] and waits.seconds == []


def test_a_gateways_own_refusal_is_permanent_and_says_to_check_the_gateway() -> None:
    refusal = {"code": "woocommerce_rest_cannot_create_order_refund", "message": "Card declined.",
               "data": {"status": 500}}
    with ScriptedServer(lambda _: Answer(500, refusal)) as server:
        client = ShopClient(ShopSettings(url=server.url, consumer_key="ck_test", consumer_secret="cs_test",
                                         timeout=5), sleep=Waits(), rng=random.Random(7))
        with pytest.raises(PermanentError) as caught:
            client.create_refund(7, {"amount": "1.00"})
        assert caught.value.code == "shop_refund_refused" and "Card declined." in caught.value.reason
        assert len(server.seen) == 1


def test_a_variation_comes_back_to_its_own_stock_and_keeps_its_attributes(shop: ShopEmulator) -> None:
    parent = shop.store.create_product({"name": "Koszulka", "type": "variable", "attributes": [
        {"name": "Rozmiar", "variation": True, "options": ["S", "M"]}]})
    size_m = shop.store.create_variation(parent["id"], {
        "sku": "KOSZ-M", "regular_price": "60.00", "manage_stock": True, "stock_quantity": 4,
        "attributes": [{"name": "Rozmiar", "option": "M"}]})
    order = shop.store.create_order({"set_paid": True, "payment_method": "przelewy24",
                                     "line_items": [{"variation_id": size_m["id"], "quantity": 3}]})
    item = order["line_items"][0]
    client = emulator_client(shop)
    made = client.create_refund(order["id"], {"amount": "60.00", "api_refund": False,
                                              "line_items": [{"id": item["id"], "quantity": 1}]})
    line = made["line_items"][0]
    assert (line["variation_id"], line["quantity"]) == (size_m["id"], -1)
    visible = {m["key"]: m["value"] for m in line["meta_data"]}
    assert visible["_refunded_item_id"] == str(item["id"]) and "_reduced_stock" not in visible
    attributes = [(m["key"], m["value"]) for m in item["meta_data"] if not m["key"].startswith("_")]
    assert attributes and [(m["key"], m["value"]) for m in line["meta_data"][:-1]] == attributes
    assert shop.store.get_variation(parent["id"], size_m["id"])["stock_quantity"] == 2  # 4 - 3 + 1
    reduced = {m["key"]: m["value"] for m in shop.store.get_order(order["id"])["line_items"][0]["meta_data"]}
    assert (reduced["_reduced_stock"], reduced["_restock_refunded_items"]) == ("2", "1")
