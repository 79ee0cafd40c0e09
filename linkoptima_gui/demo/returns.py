"""The demo buyers who send something back: refunds made in the shop, as a shop's staff makes them.

A few percent of the packed orders come back (``--returns PERCENT``): about half as whole
orders (every item and the shipping, as a withdrawal within 14 days refunds the delivery too),
a third as one item, the rest as the shipping alone (a late parcel). The refund is created
through the shop's REST API with the lines WooCommerce expects (the order item ids, the net
``refund_total`` and the tax per rate), so the console finds it exactly as it would a refund
made in a real shop's admin. Online payments are refunded through the gateway (``api_refund``);
cash on delivery and transfers are paid back by hand, so the refund only records it. Which
orders come back, and how, is drawn from a generator seeded with (seed, order id): a rerun
returns the same ones, and an order is returned at most once (the shop's ``refunds`` say so).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ..core.domain.money import money
from ..core.domain.refund import RETURN_KEY_META
from ..core.woo.refund_lines import refund_amount, refund_line

#: payment methods whose gateway can pay the money back (the emulator's PayU, P24, PayPal)
GATEWAYS = ("payustandard", "przelewy24", "ppcp-gateway")
REASONS = {
    "whole": "Odstąpienie od umowy (zwrot w ciągu 14 dni)",
    "item": "Zwrot jednej pozycji",
    "shipping": "Zwrot kosztów dostawy (opóźniona przesyłka)",
}


def refund_body(order: Mapping[str, Any], kind: str, rng: random.Random) -> dict[str, Any] | None:
    """The ``POST orders/<id>/refunds`` body of one kind of return, or None when the order has
    nothing of that kind (no shipping to give back)."""
    goods = [i for i in order.get("line_items") or [] if money(i.get("total")) > 0]
    shipping = [s for s in order.get("shipping_lines") or [] if money(s.get("total")) > 0]
    if kind == "whole":
        lines = [refund_line(i, int(Decimal(str(i["quantity"])))) for i in goods]
        lines += [refund_line(s, None) for s in shipping] + [refund_line(f, None) for f in order.get("fee_lines") or []
                                                       if money(f.get("total")) > 0]
    elif kind == "item" and goods:
        lines = [refund_line(rng.choice(goods), 1)]
    elif kind == "shipping" and shipping:
        lines = [refund_line(shipping[0], None)]
    else:
        return None
    amount = refund_amount(lines)
    return {
        "amount": str(amount),
        "reason": REASONS[kind],
        "api_refund": order.get("payment_method") in GATEWAYS,
        "api_restock": kind != "shipping",
        "line_items": lines,
        "meta_data": [{"key": RETURN_KEY_META, "value": f"demo-{order['id']}"}],
    }


def choose_kind(rng: random.Random) -> str:
    roll = rng.random()
    return "whole" if roll < 0.5 else "item" if roll < 0.83 else "shipping"


def return_some(shop: Any, orders: Iterable[Mapping[str, Any]], percent: float, seed: int) -> list[int]:
    """Refund ``percent`` % of the completed ``orders`` (never one refunded already); returns the
    shop order ids refunded now."""
    done = []
    for order in orders:
        rng = random.Random(f"{seed}:return:{order['id']}")
        if order.get("status") != "completed" or order.get("refunds") or rng.random() * 100 >= percent:
            continue
        body = refund_body(order, choose_kind(rng), rng)
        if body is None:
            continue
        shop.create_refund(int(order["id"]), body)
        done.append(int(order["id"]))
    return done
