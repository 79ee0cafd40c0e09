"""What the console relies on in WooCommerce refunds (corrections.md §1), checked on the shop the
``target`` fixture names: the emulator by default, a staging shop with ``make contract``.

The refunds here record money returned by other means (``api_refund: false``) unless a test is
about the gateway: a staging shop's gateways cannot refund test orders. Only ``cod`` is assumed
to exist everywhere (WooCommerce core registers it) and it cannot refund.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from woocommerce import API

from .conftest import ShopTarget

Maker = Callable[..., dict[str, Any]]
SHIPPING = [{"method_id": "flat_rate", "method_title": "Kurier", "total": "10.00"}]


def paid_order(make_product: Maker, make_order: Maker, sku: str, quantity: int = 2,
               payment_method: str = "przelewy24", **order: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A stock-managed product (stock 10) and a paid order of ``quantity`` of it with shipping."""
    product = make_product(sku, manage_stock=True, stock_quantity=10, regular_price="123.00")
    body = {"set_paid": True, "payment_method": payment_method, "shipping_lines": SHIPPING,
            "line_items": [{"product_id": product["id"], "quantity": quantity}], **order}
    return product, make_order(**body)


def line_ask(item: dict[str, Any], quantity: int | None = None) -> dict[str, Any]:
    """A refund line for a whole order item (``quantity`` of it for a product line)."""
    ask = {"id": item["id"], "refund_total": item["total"],
           "refund_tax": [{"id": t["id"], "refund_total": t["total"]} for t in item.get("taxes") or []]}
    if quantity is not None:
        ask["quantity"] = quantity
    return ask


def gross(item: dict[str, Any]) -> Decimal:
    return Decimal(item["total"]) + Decimal(item["total_tax"])


def refund(api: API, order_id: int, **body: Any) -> dict[str, Any]:
    answer = api.post(f"orders/{order_id}/refunds", {"api_refund": False, **body})
    assert answer.status_code == 201, answer.text
    return answer.json()


def stock(api: API, product_id: int) -> int:
    return api.get(f"products/{product_id}").json()["stock_quantity"]


def refunded_from(line: dict[str, Any]) -> str:
    return next(str(m["value"]) for m in line["meta_data"] if m["key"] == "_refunded_item_id")


# --- creating refunds ----------------------------------------------------------------------------


def test_a_full_refund_copies_every_line_negative_and_marks_the_order_refunded(
        api: API, make_product: Maker, make_order: Maker) -> None:
    product, order = paid_order(make_product, make_order, "R1")
    item, ship = order["line_items"][0], order["shipping_lines"][0]
    made = refund(api, order["id"], amount=order["total"], reason="Odstąpienie od umowy",
                  line_items=[line_ask(item, 2), line_ask(ship)])
    assert made["amount"] == order["total"] and made["reason"] == "Odstąpienie od umowy"
    assert made["refunded_payment"] is False
    (line,), (shipping,) = made["line_items"], made["shipping_lines"]
    assert (line["quantity"], line["product_id"], refunded_from(line)) == (-2, product["id"], str(item["id"]))
    assert Decimal(line["total"]) == -Decimal(item["total"]) and Decimal(line["total_tax"]) == -Decimal(item["total_tax"])
    assert refunded_from(shipping) == str(ship["id"]) and Decimal(shipping["total"]) == -Decimal(ship["total"])
    after = api.get(f"orders/{order['id']}").json()
    assert after["status"] == "refunded"
    assert after["refunds"] == [{"id": made["id"], "reason": "Odstąpienie od umowy", "total": "-" + order["total"]}]
    assert after["line_items"][0]["quantity"] == 2  # the order keeps its lines; the refund holds the change


def test_a_partial_refund_leaves_the_status_and_restocks_what_it_names(
        api: API, make_product: Maker, make_order: Maker) -> None:
    product, order = paid_order(make_product, make_order, "R2", quantity=3)
    assert stock(api, product["id"]) == 7
    item = order["line_items"][0]
    one = {"id": item["id"], "quantity": 1, "refund_total": "100.00"}
    made = refund(api, order["id"], amount="123.00", line_items=[one])
    assert made["line_items"][0]["quantity"] == -1
    assert stock(api, product["id"]) == 8  # api_restock defaults to true
    assert api.get(f"orders/{order['id']}").json()["status"] == "processing"


def test_a_shipping_only_refund_names_the_shipping_item_and_moves_no_goods(
        api: API, make_product: Maker, make_order: Maker) -> None:
    product, order = paid_order(make_product, make_order, "R3")
    ship = order["shipping_lines"][0]
    made = refund(api, order["id"], amount=str(gross(ship)), line_items=[line_ask(ship)])
    assert made["line_items"] == [] and [refunded_from(s) for s in made["shipping_lines"]] == [str(ship["id"])]
    assert Decimal(made["amount"]) == gross(ship)
    assert stock(api, product["id"]) == 8
    assert api.get(f"orders/{order['id']}").json()["status"] == "processing"


def test_an_amount_only_refund_has_no_lines_and_never_restocks(
        api: API, make_product: Maker, make_order: Maker) -> None:
    product, order = paid_order(make_product, make_order, "R4")
    made = refund(api, order["id"], amount="20.00", reason="Rabat za rysę", api_restock=True)
    assert (made["amount"], made["line_items"], made["shipping_lines"], made["fee_lines"]) == ("20.00", [], [], [])
    assert stock(api, product["id"]) == 8
    assert api.get(f"orders/{order['id']}").json()["refunds"][0]["total"] == "-20.00"


def test_the_amount_is_not_checked_against_the_lines_and_is_summed_when_missing(
        api: API, make_product: Maker, make_order: Maker) -> None:
    _, order = paid_order(make_product, make_order, "R5", quantity=3)
    item = order["line_items"][0]
    odd = refund(api, order["id"], amount="5.00",
                 line_items=[{"id": item["id"], "quantity": 1, "refund_total": "50.00"}], api_restock=False)
    assert odd["amount"] == "5.00" and odd["line_items"][0]["total"] == "-50.00"
    summed = refund(api, order["id"], api_restock=False,
                    line_items=[{"id": item["id"], "quantity": 1, "refund_total": "10.00",
                                 "refund_tax": [{"id": t["id"], "refund_total": "2.30"} for t in item["taxes"]]}])
    assert Decimal(summed["amount"]) == Decimal("10.00") + Decimal("2.30") * len(item["taxes"])


def test_more_than_is_left_is_refused_and_nothing_is_created(
        api: API, make_product: Maker, make_order: Maker) -> None:
    _, order = paid_order(make_product, make_order, "R6")
    refund(api, order["id"], amount="100.00")
    left = Decimal(order["total"]) - Decimal("100.00")
    over = api.post(f"orders/{order['id']}/refunds", {"amount": str(left + Decimal("0.01")), "api_refund": False})
    assert (over.status_code, over.json()["code"]) == (500, "woocommerce_rest_cannot_create_order_refund")
    assert over.json()["message"] == "Invalid refund amount."
    negative = api.post(f"orders/{order['id']}/refunds", {"amount": "-1.00", "api_refund": False})
    assert (negative.status_code, negative.json()["code"]) == (400, "woocommerce_rest_invalid_order_refund")
    assert len(api.get(f"orders/{order['id']}").json()["refunds"]) == 1
    assert len(api.get(f"orders/{order['id']}/refunds").json()) == 1


def test_the_status_becomes_refunded_only_when_nothing_is_left(
        api: API, make_product: Maker, make_order: Maker) -> None:
    _, order = paid_order(make_product, make_order, "R7")
    first = Decimal("50.00")
    refund(api, order["id"], amount=str(first))
    assert api.get(f"orders/{order['id']}").json()["status"] == "processing"
    refund(api, order["id"], amount=str(Decimal(order["total"]) - first))
    after = api.get(f"orders/{order['id']}").json()
    assert after["status"] == "refunded" and len(after["refunds"]) == 2


def test_restock_only_when_asked_and_only_what_the_order_took(
        api: API, make_product: Maker, make_order: Maker) -> None:
    product, order = paid_order(make_product, make_order, "R8", quantity=3)
    item = order["line_items"][0]
    refund(api, order["id"], amount="0", line_items=[{"id": item["id"], "quantity": 1}], api_restock=False)
    assert stock(api, product["id"]) == 7
    refund(api, order["id"], amount="0", line_items=[{"id": item["id"], "quantity": 2}])
    assert stock(api, product["id"]) == 9
    pending = make_order(line_items=[{"product_id": product["id"], "quantity": 1}])  # took no stock
    refund(api, pending["id"], amount="0", line_items=[{"id": pending["line_items"][0]["id"], "quantity": 1}])
    assert stock(api, product["id"]) == 9


def test_setting_refunded_by_hand_refunds_the_rest_as_an_amount(
        api: API, make_product: Maker, make_order: Maker) -> None:
    product, order = paid_order(make_product, make_order, "R9")
    refund(api, order["id"], amount="30.00")
    after = api.put(f"orders/{order['id']}", {"status": "refunded"}).json()
    assert after["status"] == "refunded"
    rest = Decimal(order["total"]) - Decimal("30.00")
    totals = {Decimal(r["total"]): r["id"] for r in after["refunds"]}  # the same second: any order
    assert set(totals) == {-rest, Decimal("-30.00")}
    made = api.get(f"orders/{order['id']}/refunds/{totals[-rest]}").json()  # its reason is translated
    assert made["line_items"] == [] and made["refunded_payment"] is False
    assert stock(api, product["id"]) == 8


# --- the gateway ---------------------------------------------------------------------------------


def test_api_refund_on_a_gateway_that_cannot_is_a_500_and_no_refund(
        api: API, make_product: Maker, make_order: Maker) -> None:
    product, order = paid_order(make_product, make_order, "G1", payment_method="cod")
    answer = api.post(f"orders/{order['id']}/refunds", {"amount": "10.00", "api_refund": True,
                                                        "line_items": [{"id": order["line_items"][0]["id"], "quantity": 1}]})
    assert (answer.status_code, answer.json()["code"]) == (500, "woocommerce_rest_cannot_create_order_refund")
    assert "does not support automatic refunds" in answer.json()["message"]
    assert api.get(f"orders/{order['id']}").json()["refunds"] == []
    assert stock(api, product["id"]) == 8  # nothing restocked either
    recorded = refund(api, order["id"], amount="10.00")  # the money went back another way
    assert recorded["refunded_payment"] is False


def test_api_refund_through_a_gateway_that_can_refund(
        api: API, target: ShopTarget, make_product: Maker, make_order: Maker) -> None:
    if not target.is_emulator:
        pytest.skip("a staging shop's gateways cannot refund a test order")
    _, order = paid_order(make_product, make_order, "G2")
    answer = api.post(f"orders/{order['id']}/refunds", {"amount": "10.00"})  # api_refund defaults to true
    assert answer.status_code == 201 and answer.json()["refunded_payment"] is True


# --- deleting, listing, finding ------------------------------------------------------------------


def test_deleting_a_refund_reverses_nothing_and_leaves_the_order_date(
        api: API, target: ShopTarget, make_product: Maker, make_order: Maker) -> None:
    product, order = paid_order(make_product, make_order, "D1")
    made = refund(api, order["id"], amount=order["total"],
                  line_items=[{"id": order["line_items"][0]["id"], "quantity": 2}])
    before = api.get(f"orders/{order['id']}").json()
    assert (before["status"], stock(api, product["id"])) == ("refunded", 10)
    target.advance(30)
    trash = api.delete(f"orders/{order['id']}/refunds/{made['id']}", params={"force": "false"})
    assert trash.status_code == 501
    gone = api.delete(f"orders/{order['id']}/refunds/{made['id']}", params={"force": "true"})
    assert gone.status_code == 200 and gone.json()["id"] == made["id"]
    after = api.get(f"orders/{order['id']}").json()
    assert after["refunds"] == [] and after["status"] == "refunded" and stock(api, product["id"]) == 10
    assert after["date_modified_gmt"] == before["date_modified_gmt"]
    assert api.get(f"orders/{order['id']}/refunds/{made['id']}").status_code == 404


def test_a_refund_of_another_order_is_not_found_under_this_one(
        api: API, make_product: Maker, make_order: Maker) -> None:
    _, first = paid_order(make_product, make_order, "D2")
    other = make_order(line_items=[{"product_id": first["line_items"][0]["product_id"], "quantity": 1}])
    made = refund(api, first["id"], amount="1.00")
    wrong = api.get(f"orders/{other['id']}/refunds/{made['id']}")
    assert (wrong.status_code, wrong.json()["code"]) == (404, "woocommerce_rest_invalid_order_refund_id")


def test_refunds_are_listed_per_order_and_across_orders_with_their_meta(
        api: API, target: ShopTarget, make_product: Maker, make_order: Maker) -> None:
    _, order = paid_order(make_product, make_order, "L1")
    made = refund(api, order["id"], amount="1.00", meta_data=[{"key": "_linkoptima_return", "value": "zw-1"}])
    listed = api.get(f"orders/{order['id']}/refunds").json()
    assert [r["id"] for r in listed] == [made["id"]]
    assert any(m["key"] == "_linkoptima_return" and m["value"] == "zw-1" for m in listed[0]["meta_data"])
    everywhere = api.get("refunds", params={"include": made["id"]})
    if everywhere.status_code == 404 and not target.is_emulator:
        pytest.skip("GET refunds came with WooCommerce 9.0")
    assert [(r["id"], r["parent_id"]) for r in everywhere.json()] == [(made["id"], order["id"])]


def test_modified_after_finds_the_order_after_a_refund(
        api: API, target: ShopTarget, make_product: Maker, make_order: Maker) -> None:
    _, order = paid_order(make_product, make_order, "M1")
    target.advance(30)
    made = refund(api, order["id"], amount="1.00")
    after = api.get(f"orders/{order['id']}").json()
    assert after["date_modified_gmt"] >= made["date_created_gmt"]  # WooCommerce >= 7.6 bumps it
    since = datetime.fromisoformat(made["date_created_gmt"]) - timedelta(seconds=1)
    found = api.get("orders", params={"include": order["id"], "dates_are_gmt": "true",
                                      "modified_after": since.strftime("%Y-%m-%dT%H:%M:%S")})
    assert [o["id"] for o in found.json()] == [order["id"]]
    if target.is_emulator:  # the shop's clock moved on: the refund, not the order's creation, matched
        assert after["date_modified_gmt"] > order["date_modified_gmt"]
